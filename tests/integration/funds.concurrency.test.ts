import { eq } from 'drizzle-orm';
import { fundLedgerEntries, merchants } from '../../src/db/schema';
import { auditCount, marketsWithoutFund, plainMerchants } from '../helpers/fixtures';
import { authHeader, startTestServer, type TestServer } from '../helpers/server';

const PAYOUT = `mutation ($fund: ID!, $amount: SafeInt!, $tenant: ID!, $key: String!) {
  payoutFromFund(fundId: $fund, amountFen: $amount, tenantMerchantId: $tenant, idempotencyKey: $key) { replayed entry { id } } }`;
const DEPOSIT = `mutation ($fund: ID!, $amount: SafeInt!, $key: String!) {
  depositToFund(fundId: $fund, amountFen: $amount, idempotencyKey: $key) { entry { id } } }`;
const OPEN = `mutation ($host: ID!) { openCompensationFund(hostMerchantId: $host, requiredMinimumFen: 0) { id } }`;

const ROUNDS = 20;
const PARALLEL = 30;
const PAYOUT_FEN = 1_000;
/** Room for exactly ten of the thirty payouts, with 500 fen to spare. */
const START_BALANCE_FEN = 10 * PAYOUT_FEN + 500;

// Only PostgreSQL runs transactions side by side; PGlite has one connection and cannot race.
const describePg = process.env.TEST_DATABASE_URL ? describe : describe.skip;

describePg('concurrent ledger writes on postgres', () => {
  let server: TestServer;
  let admin: Record<string, string>;
  let fundId: string;
  let tenantId: string;

  beforeAll(async () => {
    server = await startTestServer('postgres');
    admin = await authHeader({ sub: 'admin-1', role: 'ADMIN' });
    const db = server.handle.db;
    const [host] = await marketsWithoutFund(db, { withoutTenants: true });
    const tenant = (await plainMerchants(db, '421303', 50)).find((m) => m.industry === 'CATERING')!;
    await db.update(merchants).set({ hostMerchantId: host!.id, tenancyKind: 'COUNTER_TENANT' }).where(eq(merchants.id, tenant.id));
    tenantId = tenant.id;
    const opened = await server.gql(OPEN, { host: host!.id }, admin);
    expect(opened.errors).toBeUndefined();
    fundId = opened.data!.openCompensationFund.id;
  });
  afterAll(async () => {
    await server?.stop();
  });

  async function entries() {
    return server.handle.db.select().from(fundLedgerEntries).where(eq(fundLedgerEntries.fundId, fundId));
  }

  function balanceOf(rows: { kind: string; amountFen: number }[]): number {
    return rows.reduce((sum, r) => sum + (r.kind === 'DEPOSIT' || r.kind === 'REIMBURSEMENT' ? r.amountFen : -r.amountFen), 0);
  }

  it(`never overdraws under ${PARALLEL} simultaneous payouts, ${ROUNDS} rounds in a row`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const before = await entries();
      const topUp = START_BALANCE_FEN - balanceOf(before);
      const deposit = await server.gql(DEPOSIT, { fund: fundId, amount: topUp, key: `round-${round}-deposit` }, admin);
      expect(deposit.errors).toBeUndefined();
      const audits = await auditCount(server.handle.db);

      const responses = await Promise.all(
        Array.from({ length: PARALLEL }, (_, i) =>
          server.gql(PAYOUT, { fund: fundId, amount: PAYOUT_FEN, tenant: tenantId, key: `round-${round}-payout-${i}` }, admin),
        ),
      );
      const accepted = responses.filter((r) => !r.errors).map((r) => r.data!.payoutFromFund.entry.id as string);
      const refusedCodes = responses.filter((r) => r.errors).map((r) => r.errors![0]!.extensions!.code);

      const after = await entries();
      const newPayouts = after.filter((e) => e.kind === 'PAYOUT' && e.idempotencyKey.startsWith(`round-${round}-payout-`));
      expect({ round, accepted: accepted.length, refused: refusedCodes }).toEqual({
        round,
        accepted: 10,
        refused: Array(PARALLEL - 10).fill('CONFLICT'),
      });
      // Every accepted payout is in the ledger, and nothing else was added.
      expect(newPayouts.map((e) => e.id).sort()).toEqual([...accepted].sort());
      expect(after).toHaveLength(before.length + 1 + accepted.length);
      expect(balanceOf(after)).toBe(START_BALANCE_FEN - accepted.length * PAYOUT_FEN);
      expect(balanceOf(after)).toBeGreaterThanOrEqual(0);
      // One audit row per accepted payout; the refused ones rolled back theirs.
      expect(await auditCount(server.handle.db)).toBe(audits + accepted.length);
    }
  });

  it('records one entry for one idempotency key sent by many callers at once', async () => {
    await server.gql(DEPOSIT, { fund: fundId, amount: 50_000, key: 'one-key-deposit' }, admin);
    const responses = await Promise.all(
      Array.from({ length: 12 }, () => server.gql(PAYOUT, { fund: fundId, amount: 300, tenant: tenantId, key: 'one-key' }, admin)),
    );
    expect(responses.filter((r) => r.errors)).toEqual([]);
    const ids = new Set(responses.map((r) => r.data!.payoutFromFund.entry.id));
    expect(ids.size).toBe(1);
    expect(responses.filter((r) => !r.data!.payoutFromFund.replayed)).toHaveLength(1);
    expect((await entries()).filter((e) => e.idempotencyKey === 'one-key')).toHaveLength(1);
  });
});
