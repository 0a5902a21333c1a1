import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { compensationFunds, disputeEnrollments, fundLedgerEntries, merchants } from '../../src/db/schema';
import { drivers } from '../helpers/drivers';
import { marketsWithoutFund, plainMerchants } from '../helpers/fixtures';
import { caseTitle, expectedOutcomes, runRoleCase, type RoleCase, type Target } from '../helpers/roles';
import { startTestServer, type TestServer } from '../helpers/server';

type Program = 'SETTLEMENT_PLATFORM' | 'ODR';

/** The n-th merchant in `program` now, or the n-th plain merchant of 曾都区 not in it. */
async function merchantIn(server: TestServer, program: Program, enrolled: boolean, n: number): Promise<Target> {
  const db = server.handle.db;
  const open = await db
    .select({ id: disputeEnrollments.merchantId })
    .from(disputeEnrollments)
    .where(and(eq(disputeEnrollments.program, program), isNull(disputeEnrollments.endedAt)));
  const ids = new Set(open.map((r) => r.id));
  const candidates = enrolled
    ? await db.select().from(merchants).where(inArray(merchants.id, [...ids])).orderBy(asc(merchants.id))
    : (await plainMerchants(db, '421303', 600)).filter((m) => !ids.has(m.id));
  return candidates[n]!;
}

/** A fund of a seeded host with tenants for this attempt (they take turns), its host and one of its tenants. */
async function seededFund(server: TestServer, attempt: number) {
  const db = server.handle.db;
  const funds = await db
    .select()
    .from(compensationFunds)
    .where(sql`exists (select 1 from merchants t where t.host_merchant_id = ${compensationFunds.hostMerchantId})`)
    .orderBy(asc(compensationFunds.id));
  const fund = funds[attempt % funds.length]!;
  const [host] = await db.select().from(merchants).where(eq(merchants.id, fund.hostMerchantId));
  const [tenant] = await db.select().from(merchants).where(eq(merchants.hostMerchantId, fund.hostMerchantId)).orderBy(asc(merchants.id)).limit(1);
  return { fund, host: host!, tenant: tenant! };
}

/** Appends an entry straight to the ledger so the attempt has money (or a payout) to act on. */
async function append(server: TestServer, entry: typeof fundLedgerEntries.$inferInsert) {
  const [row] = await server.handle.db.insert(fundLedgerEntries).values(entry).returning();
  return row!;
}

let uniq = 0;
const fresh = (label: string) => `roles-${label}-${uniq++}`;

const enrollmentCase = (mutation: string, program: Program, enrolled: boolean, allowed: RoleCase['allowed'], offset: number): RoleCase => ({
  mutation,
  allowed,
  prepare: async (server, attempt) => {
    const target = await merchantIn(server, program, enrolled, offset + attempt);
    return { target, query: `mutation ($id: ID!) { ${mutation}(merchantId: $id) { id } }`, variables: { id: target.id } };
  },
});

const KEEPERS = ['supervisorIn', 'admin'] as const;

const cases: RoleCase[] = [
  enrollmentCase('enrollOnSettlementPlatform', 'SETTLEMENT_PLATFORM', false, ['merchantOwn', ...KEEPERS], 0),
  enrollmentCase('withdrawFromSettlementPlatform', 'SETTLEMENT_PLATFORM', true, ['merchantOwn', ...KEEPERS], 0),
  enrollmentCase('grantOdrRecognition', 'ODR', false, KEEPERS, 20),
  enrollmentCase('withdrawOdrRecognition', 'ODR', true, KEEPERS, 0),
  {
    mutation: 'openCompensationFund',
    allowed: KEEPERS,
    prepare: async (server, attempt) => {
      // Markets that keep no fund and are no one's tenant: a fresh one each attempt.
      const hosts = await marketsWithoutFund(server.handle.db);
      const host = hosts[attempt]!;
      return {
        target: host,
        query: `mutation ($host: ID!) { openCompensationFund(hostMerchantId: $host, requiredMinimumFen: 100000) { id } }`,
        variables: { host: host.id },
      };
    },
  },
  {
    mutation: 'setFundMinimum',
    allowed: KEEPERS,
    prepare: async (server, attempt) => {
      const { fund, host } = await seededFund(server, attempt);
      return {
        target: host,
        query: `mutation ($fund: ID!) { setFundMinimum(fundId: $fund, requiredMinimumFen: ${fund.requiredMinimumFen + 100}) { id } }`,
        variables: { fund: fund.id },
      };
    },
  },
  {
    mutation: 'depositToFund',
    allowed: KEEPERS,
    prepare: async (server, attempt) => {
      const { fund, host } = await seededFund(server, attempt);
      return {
        target: host,
        query: `mutation ($fund: ID!, $key: String!) { depositToFund(fundId: $fund, amountFen: 1000, idempotencyKey: $key) { replayed } }`,
        variables: { fund: fund.id, key: fresh('deposit') },
      };
    },
  },
  {
    mutation: 'payoutFromFund',
    allowed: KEEPERS,
    prepare: async (server, attempt) => {
      const { fund, host, tenant } = await seededFund(server, attempt);
      await append(server, { fundId: fund.id, kind: 'DEPOSIT', amountFen: 1_000, occurredAt: new Date(), idempotencyKey: fresh('seed') });
      return {
        target: host,
        query: `mutation ($fund: ID!, $tenant: ID!, $key: String!) {
          payoutFromFund(fundId: $fund, amountFen: 1000, tenantMerchantId: $tenant, idempotencyKey: $key) { replayed } }`,
        variables: { fund: fund.id, tenant: tenant.id, key: fresh('payout') },
      };
    },
  },
  {
    mutation: 'reimburseFund',
    allowed: KEEPERS,
    prepare: async (server, attempt) => {
      const { fund, host, tenant } = await seededFund(server, attempt);
      await append(server, { fundId: fund.id, kind: 'DEPOSIT', amountFen: 500, occurredAt: new Date(), idempotencyKey: fresh('seed') });
      const payout = await append(server, {
        fundId: fund.id,
        kind: 'PAYOUT',
        amountFen: 500,
        tenantMerchantId: tenant.id,
        occurredAt: new Date(),
        idempotencyKey: fresh('seed'),
      });
      return {
        target: host,
        query: `mutation ($fund: ID!, $payout: ID!, $tenant: ID!, $key: String!) {
          reimburseFund(fundId: $fund, payoutEntryId: $payout, tenantMerchantId: $tenant, amountFen: 500, idempotencyKey: $key) { replayed } }`,
        variables: { fund: fund.id, payout: payout.id, tenant: tenant.id, key: fresh('reimburse') },
      };
    },
  },
  {
    mutation: 'withdrawFromFund',
    allowed: KEEPERS,
    prepare: async (server, attempt) => {
      const { fund, host } = await seededFund(server, attempt);
      await append(server, { fundId: fund.id, kind: 'DEPOSIT', amountFen: 1_000, occurredAt: new Date(), idempotencyKey: fresh('seed') });
      return {
        target: host,
        query: `mutation ($fund: ID!, $key: String!) { withdrawFromFund(fundId: $fund, amountFen: 1000, idempotencyKey: $key) { replayed } }`,
        variables: { fund: fund.id, key: fresh('withdraw') },
      };
    },
  },
];

describe.each(drivers)('who may change enrollments and funds on %s', (driver) => {
  let server: TestServer;
  let otherMerchantId: string;

  beforeAll(async () => {
    server = await startTestServer(driver);
    otherMerchantId = (await plainMerchants(server.handle.db, '421381', 1))[0]!.id;
  });
  afterAll(async () => {
    await server?.stop();
  });

  it.each(cases.map((c) => [caseTitle(c), c] as const))('%s', async (_name, roleCase) => {
    expect(await runRoleCase(server, roleCase, otherMerchantId)).toEqual(expectedOutcomes(roleCase));
  });
});
