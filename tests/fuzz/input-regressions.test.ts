import { eq, sql } from 'drizzle-orm';
import { appeals, compensationFunds, fundLedgerEntries } from '../../src/db/schema';
import { MAX_AMOUNT_FEN } from '../../src/graphql/input-limits';
import { drivers } from '../helpers/drivers';
import { plainMerchants } from '../helpers/fixtures';
import { authHeader, startTestServer, type GraphQLResponse, type TestServer } from '../helpers/server';
import { subscribe } from '../helpers/ws';

const CREATE = `mutation ($input: CreateAppealInput!) { createAppeal(input: $input) { id } }`;
const DEPOSIT = `mutation ($fund: ID!, $amount: SafeInt!, $key: String!) {
  depositToFund(fundId: $fund, amountFen: $amount, idempotencyKey: $key) { fund { balanceFen } } }`;
const BALANCE = `query ($id: ID) { merchant(id: $id) { compensationFund { balanceFen } } }`;
const ADD_LISTING = `mutation ($input: AddCreditListEntryInput!) { addCreditListEntry(input: $input) { id } }`;

function refusal(response: GraphQLResponse) {
  expect(response.data ?? null).toBeNull();
  expect(response.errors).toHaveLength(1);
  return response.errors![0]!.extensions;
}

describe.each(drivers)('inputs that used to answer INTERNAL_SERVER_ERROR, on %s', (driver) => {
  let server: TestServer;
  let supervisor: Record<string, string>;
  let admin: Record<string, string>;
  let merchantId: string;
  let n = 0;

  beforeAll(async () => {
    server = await startTestServer(driver);
    const [m] = await plainMerchants(server.handle.db, '421303', 1, 40);
    merchantId = m!.id;
    supervisor = await authHeader({ sub: 'sup-fuzz', role: 'SUPERVISOR', regions: ['421300'] });
    admin = await authHeader({ sub: 'admin-fuzz', role: 'ADMIN' });
  });
  afterAll(async () => {
    await server?.stop();
  });

  const complaint = (over: Record<string, unknown> = {}) => ({
    type: 'COMPLAINT',
    channel: 'HOTLINE',
    merchantId,
    categoryCode: 'GOODS.FOOD',
    issueType: 'QUALITY',
    externalId: `fuzz-${driver}-${n++}`,
    ...over,
  });

  it('refuses a NUL byte in a public filter, by variable and inline, naming the field', async () => {
    const byVariable = await server.gql(`query ($f: MerchantFilter) { merchants(filter: $f) { totalCount } }`, { f: { nameContains: 'a\u0000b' } });
    expect(refusal(byVariable)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.nameContains' });
    const inline = await server.gql(`{ merchants(filter: { nameContains: "a\\u0000b" }) { totalCount } }`);
    expect(refusal(inline)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.nameContains' });
    const raw = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ merchants(filter: { nameContains: "\\uD800" }) { totalCount } }` }),
    });
    expect(raw.status).toBe(400);
  });

  it('refuses a NUL byte in a nested field argument inside a fragment', async () => {
    const [m] = await plainMerchants(server.handle.db, '421303', 1);
    const response = await server.gql(
      `query ($id: ID, $a: String) { merchant(id: $id) { ...F } } fragment F on Merchant { tenants(after: $a) { totalCount } }`,
      { id: m!.id, a: '\u0000' },
    );
    expect(refusal(response)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  it('refuses dates outside 1949-10-01 … 2099-12-31', async () => {
    const late = await server.gql(`{ appealStatistics(from: "2023-01-01", to: "9999-12-31") { total } }`, undefined, supervisor);
    expect(refusal(late)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
    const early = await server.gql(CREATE, { input: complaint({ receivedAt: '0001-01-01T00:00:00Z' }) }, supervisor);
    expect(refusal(early)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.receivedAt' });
    const edge = await server.gql(`{ appealStatistics(from: "1949-10-01", to: "2099-12-31") { total } }`, undefined, supervisor);
    expect(edge.errors).toBeUndefined();
  });

  it('refuses an empty categoryCode as BAD_USER_INPUT naming it (foreign key of the 12315 taxonomy)', async () => {
    const response = await server.gql(CREATE, { input: complaint({ categoryCode: '' }) }, supervisor);
    expect(refusal(response)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.categoryCode' });
  });

  it('refuses a lone surrogate in externalId', async () => {
    for (const bad of ['\uD800', 'x\uDC00y', 'ab\uD83D']) {
      const response = await server.gql(CREATE, { input: complaint({ externalId: bad }) }, supervisor);
      expect(refusal(response)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.externalId' });
    }
    // A proper pair (an emoji) is text like any other.
    const fine = await server.gql(CREATE, { input: complaint({ externalId: `ok-\uD83D\uDE00-${driver}` }) }, supervisor);
    expect(fine.errors).toBeUndefined();
  });

  it('answers six concurrent creations with one externalId: one created, five CONFLICT', async () => {
    const input = complaint();
    const responses = await Promise.all(Array.from({ length: 6 }, () => server.gql(CREATE, { input }, supervisor)));
    const codes = responses.map((r) => r.errors?.[0]?.extensions?.code ?? 'OK').sort();
    expect(codes).toEqual(['CONFLICT', 'CONFLICT', 'CONFLICT', 'CONFLICT', 'CONFLICT', 'OK']);
    const stored = await server.handle.db.select().from(appeals).where(eq(appeals.externalId, input.externalId));
    expect(stored).toHaveLength(1);
  });

  it('refuses 200,000-character strings, including the public decisionRef', async () => {
    const long = 'x'.repeat(200_000);
    const appeal = await server.gql(CREATE, { input: complaint({ externalId: long }) }, supervisor);
    expect(refusal(appeal)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.externalId' });
    const listing = await server.gql(
      ADD_LISTING,
      { input: { merchantId, list: 'SERIOUS_VIOLATION', listedOn: '2024-01-02', reason: 'r', decisionRef: long } },
      supervisor,
    );
    expect(refusal(listing)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.decisionRef' });
  });

  it('refuses money past the per-argument maximum, and a deposit that would take the balance past 2^53', async () => {
    const [fund] = await server.handle.db.select().from(compensationFunds).limit(1);
    const huge = await server.gql(DEPOSIT, { fund: fund!.id, amount: Number.MAX_SAFE_INTEGER, key: 'huge-1' }, admin);
    expect(refusal(huge)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'amountFen' });
    const recovered = await server.gql(CREATE, { input: complaint({ amountInvolvedFen: MAX_AMOUNT_FEN + 1 }) }, supervisor);
    expect(refusal(recovered)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.amountInvolvedFen' });

    // A ledger that is already near the limit (written around the API): the next credit is refused.
    const balanceRow = await server.handle.db.execute(
      sql`select coalesce(sum(case kind when 'DEPOSIT' then amount_fen when 'REIMBURSEMENT' then amount_fen else -amount_fen end), 0)::text as b
          from fund_ledger_entries where fund_id = ${fund!.id}`,
    );
    const balance = Number(((balanceRow as any).rows ?? balanceRow)[0].b);
    await server.handle.db.insert(fundLedgerEntries).values({
      fundId: fund!.id,
      kind: 'DEPOSIT',
      amountFen: Number.MAX_SAFE_INTEGER - balance - 10,
      occurredAt: new Date(),
      idempotencyKey: `near-limit-${driver}`,
      actor: 'test',
    });
    const over = await server.gql(DEPOSIT, { fund: fund!.id, amount: 11, key: 'over-1' }, admin);
    expect(refusal(over)).toMatchObject({ code: 'CONFLICT', maxBalanceFen: Number.MAX_SAFE_INTEGER });
    const fits = await server.gql(DEPOSIT, { fund: fund!.id, amount: 10, key: 'fits-1' }, admin);
    expect(fits.data?.depositToFund.fund.balanceFen).toBe(Number.MAX_SAFE_INTEGER);
    const read = await server.gql(BALANCE, { id: fund!.hostMerchantId });
    expect(read.errors).toBeUndefined();
  });

  it('answers a body that is not JSON with a JSON GraphQL error and HTTP 400, no stack', async () => {
    const response = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    const text = await response.text();
    expect(text).not.toMatch(/node_modules|at |<html|\/src\//);
    expect(JSON.parse(text)).toEqual({ errors: [expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT' } })] });
  });

  it('refuses a NUL byte in a subscription argument over graphql-ws', async () => {
    const feed = subscribe(server.url, `subscription ($r: String) { pledgeChanged(regionCode: $r) { id } }`, { r: '42\u00001303' });
    try {
      const [result] = await feed.next(1);
      expect(result.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'regionCode' });
    } finally {
      await feed.close();
    }
  });
});
