import { eq } from 'drizzle-orm';
import { appeals, compensationFunds, fundLedgerEntries, merchants } from '../../src/db/schema';
import { drivers } from '../helpers/drivers';
import { auditCount, marketsWithoutFund, plainMerchants } from '../helpers/fixtures';
import { authHeader, startTestServer, type GraphQLResponse, type TestServer } from '../helpers/server';

const FUND_FIELDS = 'id requiredMinimumFen balanceFen belowMinimum host { id }';
const RESULT = 'replayed entry { id kind amountFen tenant { id } reimbursesEntryId appealId note } fund { balanceFen belowMinimum }';
const OPEN = `mutation ($host: ID!, $min: SafeInt!) { openCompensationFund(hostMerchantId: $host, requiredMinimumFen: $min) { ${FUND_FIELDS} } }`;
const SET_MIN = `mutation ($fund: ID!, $min: SafeInt!) { setFundMinimum(fundId: $fund, requiredMinimumFen: $min) { ${FUND_FIELDS} } }`;
const DEPOSIT = `mutation ($fund: ID!, $amount: SafeInt!, $key: String!, $note: String) {
  depositToFund(fundId: $fund, amountFen: $amount, idempotencyKey: $key, note: $note) { ${RESULT} } }`;
const PAYOUT = `mutation ($fund: ID!, $amount: SafeInt!, $tenant: ID!, $key: String!, $appeal: ID, $note: String) {
  payoutFromFund(fundId: $fund, amountFen: $amount, tenantMerchantId: $tenant, idempotencyKey: $key, appealId: $appeal, note: $note) { ${RESULT} } }`;
const REIMBURSE = `mutation ($fund: ID!, $payout: ID!, $tenant: ID!, $amount: SafeInt!, $key: String!) {
  reimburseFund(fundId: $fund, payoutEntryId: $payout, tenantMerchantId: $tenant, amountFen: $amount, idempotencyKey: $key) { ${RESULT} } }`;
const WITHDRAW = `mutation ($fund: ID!, $amount: SafeInt!, $key: String!) {
  withdrawFromFund(fundId: $fund, amountFen: $amount, idempotencyKey: $key) { ${RESULT} } }`;
const FUND_OF = `query ($id: ID, $first: Int, $after: String) { merchant(id: $id) { compensationFund {
  ${FUND_FIELDS} entries(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor }
    edges { node { id kind amountFen note appealId idempotencyKey recordedBy tenant { id } } } } } } }`;
const OUTSTANDING = `query ($id: ID) { merchant(id: $id) { unreimbursedPayouts { payout { id amountFen } reimbursedFen outstandingFen } } }`;

type Row = { id: string; regionCode: string; industry: string };

describe.each(drivers)('compensation funds on %s', (driver) => {
  let server: TestServer;
  let admin: Record<string, string>;
  let supervisor: Record<string, string>;
  let hostPool: Row[];
  let plainPool: Row[];
  let nextHost = 0;
  let nextKey = 0;

  const db = () => server.handle.db;
  const key = () => `key-${nextKey++}`;

  beforeAll(async () => {
    server = await startTestServer(driver);
    admin = await authHeader({ sub: 'admin-1', role: 'ADMIN' });
    supervisor = await authHeader({ sub: 'supervisor-1', role: 'SUPERVISOR', regions: ['421300'] });
    // Markets and platforms that are neither tenants nor hosts yet and keep no fund.
    hostPool = await marketsWithoutFund(db(), { withoutTenants: true });
    const hostIds = new Set(hostPool.map((h) => h.id));
    plainPool = (await plainMerchants(db(), '421303', 300)).filter((m) => !hostIds.has(m.id) && m.industry === 'CATERING');
  });
  afterAll(async () => {
    await server?.stop();
  });

  /** A market with two fresh tenants and no fund yet. */
  async function freshHost() {
    const host = hostPool[nextHost]!;
    const tenants = plainPool.slice(nextHost * 2, nextHost * 2 + 2);
    nextHost++;
    if (!host || tenants.length < 2) throw new Error('the seed has run out of fresh hosts or tenants for this file');
    for (const tenant of tenants) {
      await db().update(merchants).set({ hostMerchantId: host.id, tenancyKind: 'COUNTER_TENANT' }).where(eq(merchants.id, tenant.id));
    }
    return { host, tenants };
  }

  /** A fresh host with an open fund holding `depositFen`. */
  async function freshFund(depositFen = 0, minimumFen = 100_000) {
    const { host, tenants } = await freshHost();
    const opened = await server.gql(OPEN, { host: host.id, min: minimumFen }, admin);
    expect(opened.errors).toBeUndefined();
    const fundId: string = opened.data!.openCompensationFund.id;
    if (depositFen > 0) expect((await server.gql(DEPOSIT, { fund: fundId, amount: depositFen, key: key() }, admin)).errors).toBeUndefined();
    return { host, tenants, fundId };
  }

  /** The balance summed from the ledger rows here, not by the service. */
  async function ledgerBalance(fundId: string): Promise<number> {
    const rows = await db().select().from(fundLedgerEntries).where(eq(fundLedgerEntries.fundId, fundId));
    return rows.reduce((sum, r) => sum + (r.kind === 'DEPOSIT' || r.kind === 'REIMBURSEMENT' ? r.amountFen : -r.amountFen), 0);
  }

  async function entryCount(fundId: string): Promise<number> {
    return (await db().select({ id: fundLedgerEntries.id }).from(fundLedgerEntries).where(eq(fundLedgerEntries.fundId, fundId))).length;
  }

  /** Runs `send`, which must be refused with `code`, and checks it wrote no entry and no audit row. */
  async function expectRefused(fundId: string, code: string, send: () => Promise<any>) {
    const [entries, audits] = [await entryCount(fundId), await auditCount(db())];
    const res = await send();
    expect(res.errors?.[0]?.extensions?.code).toBe(code);
    expect(await entryCount(fundId)).toBe(entries);
    expect(await auditCount(db())).toBe(audits);
    return res.errors[0];
  }

  /** Runs `send`, which must succeed and write exactly one audit row. */
  async function expectAudited(send: () => Promise<any>) {
    const audits = await auditCount(db());
    const res = await send();
    expect(res.errors).toBeUndefined();
    expect(await auditCount(db())).toBe(audits + 1);
    return res.data;
  }

  it('opens a fund for a market: zero balance, below its minimum, one audit row', async () => {
    const { host } = await freshHost();
    const data = await expectAudited(() => server.gql(OPEN, { host: host.id, min: 300_000 }, supervisor));
    expect(data.openCompensationFund).toMatchObject({ requiredMinimumFen: 300_000, balanceFen: 0, belowMinimum: true, host: { id: host.id } });
    const { data: read } = await server.gql(FUND_OF, { id: host.id });
    expect(read!.merchant.compensationFund.id).toBe(data.openCompensationFund.id);
  });

  it('refuses a second fund for one host with CONFLICT naming the first', async () => {
    const { host, fundId } = await freshFund();
    const audits = await auditCount(db());
    const res = await server.gql(OPEN, { host: host.id, min: 1 }, admin);
    expect(res.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', fundId });
    expect(await auditCount(db())).toBe(audits);
  });

  it('refuses a fund for a tenant, and for a merchant that neither hosts tenants nor is a market', async () => {
    const { tenants } = await freshHost();
    const audits = await auditCount(db());
    const tenant = await server.gql(OPEN, { host: tenants[0]!.id, min: 1 }, admin);
    expect(tenant.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'hostMerchantId' });
    const restaurant = plainPool.at(-1)!;
    const plain = await server.gql(OPEN, { host: restaurant.id, min: 1 }, admin);
    expect(plain.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'hostMerchantId' });
    expect(await auditCount(db())).toBe(audits);
  });

  it('refuses a negative minimum, a zero or fractional amount and a blank idempotency key', async () => {
    const { host, fundId } = await freshFund(1_000);
    expect((await server.gql(OPEN, { host: host.id, min: -1 }, admin)).errors![0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'requiredMinimumFen',
    });
    const zero = await expectRefused(fundId, 'BAD_USER_INPUT', () => server.gql(DEPOSIT, { fund: fundId, amount: 0, key: key() }, admin));
    expect(zero.extensions.field).toBe('amountFen');
    await expectRefused(fundId, 'BAD_USER_INPUT', () => server.gql(DEPOSIT, { fund: fundId, amount: 1.5, key: key() }, admin));
    const blank = await expectRefused(fundId, 'BAD_USER_INPUT', () => server.gql(DEPOSIT, { fund: fundId, amount: 1, key: '  ' }, admin));
    expect(blank.extensions.field).toBe('idempotencyKey');
  });

  it("records deposits, payouts, reimbursements and withdrawals; the balance is the ledger's signed sum", async () => {
    const { host, tenants, fundId } = await freshFund();
    const tenant = tenants[0]!.id;
    const deposit = await expectAudited(() => server.gql(DEPOSIT, { fund: fundId, amount: 500_000, key: key(), note: '首次缴存' }, supervisor));
    expect(deposit.depositToFund).toMatchObject({ replayed: false, entry: { kind: 'DEPOSIT', amountFen: 500_000, note: '首次缴存' }, fund: { balanceFen: 500_000 } });

    const payout = await expectAudited(() => server.gql(PAYOUT, { fund: fundId, amount: 120_000, tenant, key: key() }, supervisor));
    expect(payout.payoutFromFund).toMatchObject({ entry: { kind: 'PAYOUT', tenant: { id: tenant } }, fund: { balanceFen: 380_000 } });
    const payoutId = payout.payoutFromFund.entry.id;

    const repaid = await expectAudited(() => server.gql(REIMBURSE, { fund: fundId, payout: payoutId, tenant, amount: 20_000, key: key() }, admin));
    expect(repaid.reimburseFund).toMatchObject({ entry: { kind: 'REIMBURSEMENT', reimbursesEntryId: payoutId }, fund: { balanceFen: 400_000 } });

    const withdrawn = await expectAudited(() => server.gql(WITHDRAW, { fund: fundId, amount: 50_000, key: key() }, admin));
    expect(withdrawn.withdrawFromFund.fund).toEqual({ balanceFen: 350_000, belowMinimum: false });

    expect(await ledgerBalance(fundId)).toBe(350_000);
    const { data } = await server.gql(FUND_OF, { id: host.id }, admin);
    expect(data!.merchant.compensationFund.balanceFen).toBe(350_000);
    expect(data!.merchant.compensationFund.entries.edges.map((e: any) => e.node.kind)).toEqual(['WITHDRAWAL', 'REIMBURSEMENT', 'PAYOUT', 'DEPOSIT']);
  });

  it('refuses a payout or withdrawal larger than the balance with CONFLICT carrying the balance', async () => {
    const { tenants, fundId } = await freshFund(10_000);
    const payout = await expectRefused(fundId, 'CONFLICT', () =>
      server.gql(PAYOUT, { fund: fundId, amount: 10_001, tenant: tenants[0]!.id, key: key() }, admin),
    );
    expect(payout.extensions).toMatchObject({ balanceFen: 10_000, amountFen: 10_001 });
    expect(payout.message).toContain('10000');
    const withdrawal = await expectRefused(fundId, 'CONFLICT', () => server.gql(WITHDRAW, { fund: fundId, amount: 10_001, key: key() }, admin));
    expect(withdrawal.extensions.balanceFen).toBe(10_000);
    // The whole balance may go.
    await expectAudited(() => server.gql(WITHDRAW, { fund: fundId, amount: 10_000, key: key() }, admin));
    expect(await ledgerBalance(fundId)).toBe(0);
  });

  it('refuses a payout for a merchant that is not a tenant of this host', async () => {
    const { fundId } = await freshFund(10_000);
    const other = await freshHost();
    const error = await expectRefused(fundId, 'BAD_USER_INPUT', () =>
      server.gql(PAYOUT, { fund: fundId, amount: 100, tenant: other.tenants[0]!.id, key: key() }, admin),
    );
    expect(error.extensions.field).toBe('tenantMerchantId');
    await expectRefused(fundId, 'BAD_USER_INPUT', () => server.gql(PAYOUT, { fund: fundId, amount: 100, tenant: other.host.id, key: key() }, admin));
  });

  it('links a payout to an existing appeal about the tenant and refuses an unknown or unrelated one', async () => {
    const { tenants, fundId } = await freshFund(10_000);
    const [appeal] = await db()
      .insert(appeals)
      .values({ type: 'COMPLAINT', channel: 'HOTLINE', receivedAt: new Date(), merchantId: tenants[0]!.id, regionCode: '421303' })
      .returning();
    const linked = await expectAudited(() =>
      server.gql(PAYOUT, { fund: fundId, amount: 500, tenant: tenants[0]!.id, appeal: appeal!.id, key: key() }, admin),
    );
    expect(linked.payoutFromFund.entry.appealId).toBe(appeal!.id);
    await expectRefused(fundId, 'NOT_FOUND', () =>
      server.gql(PAYOUT, { fund: fundId, amount: 500, tenant: tenants[0]!.id, appeal: '00000000-0000-4000-8000-000000000000', key: key() }, admin),
    );
    const unrelated = await expectRefused(fundId, 'BAD_USER_INPUT', () =>
      server.gql(PAYOUT, { fund: fundId, amount: 500, tenant: tenants[1]!.id, appeal: appeal!.id, key: key() }, admin),
    );
    expect(unrelated.extensions.field).toBe('appealId');
  });

  it("refuses over-reimbursement, the wrong tenant, a deposit as the payout, and another fund's payout", async () => {
    const { tenants, fundId } = await freshFund(50_000);
    const [a, b] = [tenants[0]!.id, tenants[1]!.id];
    const payoutId = (await server.gql(PAYOUT, { fund: fundId, amount: 10_000, tenant: a, key: key() }, admin)).data!.payoutFromFund.entry.id;
    await expectAudited(() => server.gql(REIMBURSE, { fund: fundId, payout: payoutId, tenant: a, amount: 6_000, key: key() }, admin));

    const over = await expectRefused(fundId, 'CONFLICT', () =>
      server.gql(REIMBURSE, { fund: fundId, payout: payoutId, tenant: a, amount: 4_001, key: key() }, admin),
    );
    expect(over.extensions).toMatchObject({ remainingFen: 4_000 });
    const wrongTenant = await expectRefused(fundId, 'BAD_USER_INPUT', () =>
      server.gql(REIMBURSE, { fund: fundId, payout: payoutId, tenant: b, amount: 1_000, key: key() }, admin),
    );
    expect(wrongTenant.extensions.field).toBe('tenantMerchantId');

    const depositId = (await server.gql(DEPOSIT, { fund: fundId, amount: 1, key: key() }, admin)).data!.depositToFund.entry.id;
    const notPayout = await expectRefused(fundId, 'BAD_USER_INPUT', () =>
      server.gql(REIMBURSE, { fund: fundId, payout: depositId, tenant: a, amount: 1, key: key() }, admin),
    );
    expect(notPayout.extensions.field).toBe('payoutEntryId');

    const other = await freshFund(5_000);
    const foreign = (await server.gql(PAYOUT, { fund: other.fundId, amount: 1_000, tenant: other.tenants[0]!.id, key: key() }, admin)).data!
      .payoutFromFund.entry.id;
    const wrongFund = await expectRefused(fundId, 'BAD_USER_INPUT', () =>
      server.gql(REIMBURSE, { fund: fundId, payout: foreign, tenant: other.tenants[0]!.id, amount: 1, key: key() }, admin),
    );
    expect(wrongFund.extensions.field).toBe('payoutEntryId');

    // Exactly the rest is accepted.
    await expectAudited(() => server.gql(REIMBURSE, { fund: fundId, payout: payoutId, tenant: a, amount: 4_000, key: key() }, admin));
  });

  it("lists a tenant's unreimbursed payouts until they are repaid in full", async () => {
    const { tenants, fundId } = await freshFund(50_000);
    const tenant = tenants[0]!.id;
    const payoutId = (await server.gql(PAYOUT, { fund: fundId, amount: 8_000, tenant, key: key() }, admin)).data!.payoutFromFund.entry.id;
    await server.gql(REIMBURSE, { fund: fundId, payout: payoutId, tenant, amount: 3_000, key: key() }, admin);
    let res = await server.gql(OUTSTANDING, { id: tenant });
    expect(res.data!.merchant.unreimbursedPayouts).toEqual([{ payout: { id: payoutId, amountFen: 8_000 }, reimbursedFen: 3_000, outstandingFen: 5_000 }]);
    await server.gql(REIMBURSE, { fund: fundId, payout: payoutId, tenant, amount: 5_000, key: key() }, admin);
    res = await server.gql(OUTSTANDING, { id: tenant });
    expect(res.data!.merchant.unreimbursedPayouts).toEqual([]);
  });

  describe('idempotency', () => {
    it('records one entry for one key sent twice and returns the first entry the second time', async () => {
      const { tenants, fundId } = await freshFund(20_000);
      const vars = { fund: fundId, amount: 700, tenant: tenants[0]!.id, key: 'appeal-42-payout' };
      const first = await expectAudited(() => server.gql(PAYOUT, vars, admin));
      const entries = await entryCount(fundId);
      const second = await server.gql(PAYOUT, vars, admin);
      expect(second.errors).toBeUndefined();
      expect(second.data!.payoutFromFund).toMatchObject({ replayed: true, entry: { id: first.payoutFromFund.entry.id }, fund: { balanceFen: 19_300 } });
      expect(first.payoutFromFund.replayed).toBe(false);
      expect(await entryCount(fundId)).toBe(entries);
      expect(await ledgerBalance(fundId)).toBe(19_300);
    });

    it('refuses a key reused with another amount or kind with CONFLICT and writes nothing', async () => {
      const { tenants, fundId } = await freshFund(20_000);
      const vars = { fund: fundId, amount: 700, tenant: tenants[0]!.id, key: 'reused' };
      const first = (await server.gql(PAYOUT, vars, admin)).data!.payoutFromFund.entry.id;
      const amount = await expectRefused(fundId, 'CONFLICT', () => server.gql(PAYOUT, { ...vars, amount: 701 }, admin));
      expect(amount.extensions).toMatchObject({ entryId: first, fields: ['amountFen'] });
      await expectRefused(fundId, 'CONFLICT', () => server.gql(PAYOUT, { ...vars, tenant: tenants[1]!.id }, admin));
      await expectRefused(fundId, 'CONFLICT', () => server.gql(WITHDRAW, { fund: fundId, amount: 700, key: 'reused' }, admin));
    });

    it('scopes keys to one fund', async () => {
      const a = await freshFund();
      const b = await freshFund();
      const one = await server.gql(DEPOSIT, { fund: a.fundId, amount: 100, key: 'shared' }, admin);
      const two = await server.gql(DEPOSIT, { fund: b.fundId, amount: 100, key: 'shared' }, admin);
      expect(two.data!.depositToFund.replayed).toBe(false);
      expect(two.data!.depositToFund.entry.id).not.toBe(one.data!.depositToFund.entry.id);
    });
  });

  it('keeps amounts above 2^31 fen exact', async () => {
    const { fundId } = await freshFund();
    const big = 2 ** 31 + 12_345; // 21,474,960.93 yuan
    const res = await server.gql(DEPOSIT, { fund: fundId, amount: big, key: key() }, admin);
    expect(res.data!.depositToFund.fund.balanceFen).toBe(big);
    expect(await ledgerBalance(fundId)).toBe(big);
  });

  it('changes the minimum with one audit row, and belowMinimum follows it', async () => {
    const { fundId } = await freshFund(50_000, 100_000);
    const data = await expectAudited(() => server.gql(SET_MIN, { fund: fundId, min: 40_000 }, supervisor));
    expect(data.setFundMinimum).toMatchObject({ requiredMinimumFen: 40_000, balanceFen: 50_000, belowMinimum: false });
    const [row] = await db().select().from(compensationFunds).where(eq(compensationFunds.id, fundId));
    expect(row!.requiredMinimumFen).toBe(40_000);
  });

  it('shows everyone balance, minimum and entries, but notes and keys only to the host, its keepers and the tenant concerned', async () => {
    const { host, tenants, fundId } = await freshFund();
    await server.gql(DEPOSIT, { fund: fundId, amount: 9_000, key: 'dep', note: '缴存' }, admin);
    await server.gql(PAYOUT, { fund: fundId, amount: 1_000, tenant: tenants[0]!.id, key: 'pay', note: '赔付' }, admin);
    const nodes = async (headers: Record<string, string>) => {
      const res = await server.gql(FUND_OF, { id: host.id }, headers);
      expect(res.errors).toBeUndefined();
      expect(res.data!.merchant.compensationFund).toMatchObject({ balanceFen: 8_000, requiredMinimumFen: 100_000, belowMinimum: true });
      return res.data!.merchant.compensationFund.entries.edges.map((e: any) => [e.node.kind, e.node.note, e.node.idempotencyKey]);
    };
    const hidden = [['PAYOUT', null, null], ['DEPOSIT', null, null]];
    expect(await nodes({})).toEqual(hidden);
    expect(await nodes(await authHeader({ sub: 'x', role: 'MERCHANT', merchantIds: [tenants[1]!.id] }))).toEqual(hidden);
    const shown = [['PAYOUT', '赔付', 'pay'], ['DEPOSIT', '缴存', 'dep']];
    expect(await nodes(await authHeader({ sub: 'h', role: 'MERCHANT', merchantIds: [host.id] }))).toEqual(shown);
    expect(await nodes(supervisor)).toEqual(shown);
    expect(await nodes(await authHeader({ sub: 't', role: 'MERCHANT', merchantIds: [tenants[0]!.id] }))).toEqual([
      ['PAYOUT', '赔付', 'pay'],
      ['DEPOSIT', null, null],
    ]);
  });

  it('pages entries newest first without skipping or repeating one', async () => {
    const { host, fundId } = await freshFund();
    for (let i = 1; i <= 5; i++) await server.gql(DEPOSIT, { fund: fundId, amount: i, key: key() }, admin);
    const seen: number[] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page++) {
      const res: any = await server.gql(FUND_OF, { id: host.id, first: 2, after });
      const conn = res.data.merchant.compensationFund.entries;
      expect(conn.totalCount).toBe(5);
      seen.push(...conn.edges.map((e: any) => e.node.amountFen));
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
    }
    expect(seen).toEqual([5, 4, 3, 2, 1]);
  });

  it("gives every seeded fund the balance summed from its ledger", async () => {
    const funds = await db().select().from(compensationFunds);
    expect(funds.length).toBeGreaterThan(5);
    for (const fund of funds) {
      const { data } = await server.gql(FUND_OF, { id: fund.hostMerchantId, first: 1 });
      expect(data!.merchant.compensationFund.balanceFen).toBe(await ledgerBalance(fund.id));
    }
  });

  it('refuses an unknown fund with NOT_FOUND', async () => {
    const res = await server.gql(DEPOSIT, { fund: '00000000-0000-4000-8000-000000000000', amount: 1, key: key() }, admin);
    expect(res.errors![0]!.extensions!.code).toBe('NOT_FOUND');
  });
  it('lists the funds of a region for its supervisors, all of them or those below (or not below) their minimum', async () => {
    const LIST = `query ($region: String!, $below: Boolean, $first: Int, $after: String) {
      compensationFunds(regionCode: $region, belowMinimum: $below, first: $first, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } edges { node { id balanceFen requiredMinimumFen belowMinimum host { regionCode } } } } }`;
    type Node = { id: string; balanceFen: number; requiredMinimumFen: number; belowMinimum: boolean; host: { regionCode: string } };
    const all = async (region: string, below: boolean | null, headers = supervisor) => {
      const nodes: Node[] = [];
      let after: string | null = null;
      for (;;) {
        const res: GraphQLResponse = await server.gql(LIST, { region, below, first: 7, after }, headers);
        expect(res.errors).toBeUndefined();
        const page: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; edges: { node: Node }[] } = res.data!.compensationFunds;
        nodes.push(...page.edges.map((e: { node: Node }) => e.node));
        if (!page.pageInfo.hasNextPage) {
          expect(page.totalCount).toBe(nodes.length);
          return nodes;
        }
        after = page.pageInfo.endCursor;
      }
    };
    // One fund short of its minimum for certain.
    const { host, fundId } = await freshFund(0, 100_000);
    const district = host.regionCode;
    const everyFund = await all('421300', null);
    const inRegion = await db().select({ id: compensationFunds.id }).from(compensationFunds).innerJoin(merchants, eq(merchants.id, compensationFunds.hostMerchantId));
    expect(everyFund.map((f) => f.id).sort()).toEqual(inRegion.map((f) => f.id).sort());
    const below = await all('421300', true);
    const notBelow = await all('421300', false);
    expect(below.length).toBeGreaterThan(0);
    expect(notBelow.length).toBeGreaterThan(0);
    // The filter in SQL agrees with each fund's belowMinimum (the pure rule on its ledger).
    expect(below.every((f) => f.belowMinimum && f.balanceFen < f.requiredMinimumFen)).toBe(true);
    expect(notBelow.every((f) => !f.belowMinimum)).toBe(true);
    expect([...below, ...notBelow].map((f) => f.id).sort()).toEqual(everyFund.map((f) => f.id).sort());
    expect(below.map((f) => f.id)).toContain(fundId);
    const ofDistrict = await all(district, true);
    expect(ofDistrict.every((f) => f.host.regionCode === district)).toBe(true);
    expect(ofDistrict.map((f) => f.id).sort()).toEqual(below.filter((f) => f.host.regionCode === district).map((f) => f.id).sort());

    // Another district's supervisor, a merchant and the public are refused.
    const elsewhere = await authHeader({ sub: 'supervisor-2', role: 'SUPERVISOR', regions: [district === '421321' ? '421381' : '421321'] });
    expect((await server.gql(LIST, { region: district, below: true }, elsewhere)).errors![0]!.extensions!.code).toBe('FORBIDDEN');
    const merchant = await authHeader({ sub: 'm', role: 'MERCHANT', merchantIds: [host.id] });
    expect((await server.gql(LIST, { region: district }, merchant)).errors![0]!.extensions!.code).toBe('FORBIDDEN');
    expect((await server.gql(LIST, { region: district })).errors![0]!.extensions!.code).toMatch(/UNAUTHENTICATED|FORBIDDEN/);
    expect((await server.gql(LIST, { region: '4213' }, supervisor)).errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect((await server.gql(LIST, { region: '421303', after: 'nonsense' }, supervisor)).errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
  });
});
