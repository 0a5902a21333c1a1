import { drivers } from '../helpers/drivers';
import { startTestServer, type TestServer } from '../helpers/server';
import { validateUscc } from '../../src/domain/uscc';
import { eq } from 'drizzle-orm';
import { merchants, ratings, returnPledges } from '../../src/db/schema';

const LIST = /* GraphQL */ `
  query List($filter: MerchantFilter, $first: Int, $after: String) {
    merchants(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { id uscc name kind industry regionCode host { id name } } }
    }
  }
`;

describe.each(drivers)('merchants on %s', (driver) => {
  let server: TestServer;
  let queries = 0;

  beforeAll(async () => {
    server = await startTestServer(driver, { onQuery: () => queries++ });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('lists the seeded demo merchants, more than 2,000 of them', async () => {
    const { data, errors } = await server.gql(`{ merchants(first: 5) { totalCount edges { node { name } } } }`);
    expect(errors).toBeUndefined();
    expect(data!.merchants.totalCount).toBeGreaterThan(2000);
    expect(data!.merchants.edges).toHaveLength(5);
  });

  it('finds a merchant by USCC and by id', async () => {
    const first = await server.gql(LIST, { first: 1 });
    const node = first.data!.merchants.edges[0].node;
    const byUscc = await server.gql(`query($u: String) { merchant(uscc: $u) { id name } }`, { u: node.uscc });
    expect(byUscc.data!.merchant).toEqual({ id: node.id, name: node.name });
    const byId = await server.gql(`query($id: ID) { merchant(id: $id) { uscc } }`, { id: node.id });
    expect(byId.data!.merchant).toEqual({ uscc: node.uscc });
  });

  it('accepts a lower-case USCC as the same code', async () => {
    const first = await server.gql(LIST, { first: 1 });
    const { uscc } = first.data!.merchants.edges[0].node;
    const { data } = await server.gql(`query($u: String) { merchant(uscc: $u) { uscc } }`, { u: uscc.toLowerCase() });
    expect(data!.merchant.uscc).toBe(uscc);
  });

  it('answers null for a valid USCC that is not registered', async () => {
    const { data, errors } = await server.gql(`{ merchant(uscc: "91350100M000100Y43") { id } }`);
    expect(errors).toBeUndefined();
    expect(data!.merchant).toBeNull();
  });

  it('rejects a USCC with a wrong check character as BAD_USER_INPUT naming the field', async () => {
    const { data, errors } = await server.gql(`{ merchant(uscc: "91421300MA4ABCDEF0") { id } }`);
    expect(data?.merchant ?? null).toBeNull();
    expect(errors).toHaveLength(1);
    expect(errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'uscc' });
    expect(errors![0]!.message).toMatch(/check character/);
  });

  it('rejects a lookup with neither or both of id and uscc, and a malformed id', async () => {
    const neither = await server.gql(`{ merchant { id } }`);
    expect(neither.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    const malformed = await server.gql(`{ merchant(id: "42") { id } }`);
    expect(malformed.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
  });

  it('pages through a filter without skipping or repeating a merchant', async () => {
    const filter = { regionCode: '421381' };
    const seen: string[] = [];
    let after: string | null = null;
    let total = 0;
    for (let page = 0; page < 200; page++) {
      const res: any = await server.gql(LIST, { filter, first: 100, after });
      expect(res.errors).toBeUndefined();
      const conn = res.data.merchants;
      total = conn.totalCount;
      seen.push(...conn.edges.map((e: any) => e.node.id));
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
    }
    expect(total).toBeGreaterThan(100);
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
  });

  it('orders merchants by name, the same on every driver', async () => {
    const { data } = await server.gql(LIST, { first: 50, filter: { regionCode: '421321' } });
    const names: string[] = data!.merchants.edges.map((e: any) => e.node.name);
    const sorted = [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    expect(names).toEqual(sorted);
  });

  it('filters by name substring, region, industry and kind together', async () => {
    const filter = { nameContains: '超市', regionCode: '421303', industry: 'SUPERMARKET', kind: 'INDIVIDUAL_BUSINESS' };
    const { data, errors } = await server.gql(LIST, { filter, first: 100 });
    expect(errors).toBeUndefined();
    const nodes = data!.merchants.edges.map((e: any) => e.node);
    expect(nodes.length).toBeGreaterThan(0);
    for (const node of nodes) {
      expect(node.name).toContain('超市');
      expect(node).toMatchObject({ regionCode: '421303', industry: 'SUPERMARKET', kind: 'INDIVIDUAL_BUSINESS' });
    }
  });

  it('lets a city code cover all of its districts', async () => {
    const city = await server.gql(`{ merchants(filter: { regionCode: "421300" }) { totalCount } }`);
    const all = await server.gql(`{ merchants { totalCount } }`);
    const districts = await Promise.all(
      ['421303', '421321', '421381'].map((code) =>
        server.gql(`query($f: MerchantFilter) { merchants(filter: $f) { totalCount } }`, { f: { regionCode: code } }),
      ),
    );
    const sum = districts.reduce((n, r) => n + r.data!.merchants.totalCount, 0);
    expect(city.data!.merchants.totalCount).toBe(sum);
    expect(sum).toBe(all.data!.merchants.totalCount);
  });

  it('treats % and _ in a name filter as plain characters', async () => {
    const { data } = await server.gql(`{ merchants(filter: { nameContains: "%" }) { totalCount } }`);
    expect(data!.merchants.totalCount).toBe(0);
  });

  it('caps the page size at 100', async () => {
    const { errors } = await server.gql(`{ merchants(first: 101) { totalCount } }`);
    expect(errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });

  it('rejects a forged cursor and a malformed region code', async () => {
    const cursor = await server.gql(`{ merchants(after: "bm9wZQ") { totalCount } }`);
    expect(cursor.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    const region = await server.gql(`{ merchants(filter: { regionCode: "4213" }) { totalCount } }`);
    expect(region.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.regionCode' });
  });

  it('loads hosts with one query whatever the page size (no N+1)', async () => {
    const filter = { industry: 'FOOD' };
    const count = async (first: number) => {
      queries = 0;
      const res = await server.gql(LIST, { filter, first });
      expect(res.errors).toBeUndefined();
      return { queries, hosts: res.data!.merchants.edges.filter((e: any) => e.node.host).length };
    };
    const small = await count(2);
    const large = await count(100);
    expect(large.hosts).toBeGreaterThan(small.hosts);
    expect(large.queries).toBe(small.queries + (small.hosts === 0 ? 1 : 0));
    expect(large.queries).toBeLessThanOrEqual(3);
  });

  it('looks a merchant up with its rating and pledge in one statement', async () => {
    const [row] = await server.handle.db
      .select({ uscc: merchants.uscc })
      .from(merchants)
      .innerJoin(returnPledges, eq(returnPledges.merchantId, merchants.id))
      .where(eq(returnPledges.status, 'ACTIVE'))
      .limit(1);
    const lookup = 'query Lookup($uscc: String!) { merchant(uscc: $uscc) { name regionCode rating { score grade } pledge { id status windowDays expiresOn } } }';
    queries = 0;
    const res = await server.gql(lookup, { uscc: row!.uscc });
    expect(res.errors).toBeUndefined();
    expect(res.data!.merchant.rating).toEqual({ score: expect.any(Number), grade: expect.any(String) });
    expect(res.data!.merchant.pledge).toMatchObject({ status: 'ACTIVE' });
    expect(queries).toBe(1);
    // Factors too: still one statement, and the stored factors.
    queries = 0;
    const full = await server.gql('query($uscc: String!) { merchant(uscc: $uscc) { rating { score factors { key points } } } }', { uscc: row!.uscc });
    expect(full.errors).toBeUndefined();
    expect(queries).toBe(1);
    const [stored] = await server.handle.db.select({ factors: ratings.factors }).from(ratings).innerJoin(merchants, eq(merchants.id, ratings.merchantId)).where(eq(merchants.uscc, row!.uscc));
    expect(full.data!.merchant.rating.factors).toEqual((stored!.factors as { key: string; points: number }[]).map(({ key, points }) => ({ key, points })));
  });

  it('reads a page of merchants with their ratings and pledges in one statement, whatever its size', async () => {
    const page = 'query($first: Int) { merchants(first: $first) { edges { node { uscc name rating { score grade } pledge { status } } } } }';
    for (const first of [1, 20, 100]) {
      queries = 0;
      const res = await server.gql(page, { first });
      expect(res.errors).toBeUndefined();
      expect(res.data!.merchants.edges).toHaveLength(first);
      expect(queries).toBe(1);
    }
    // totalCount is counted only when asked for.
    queries = 0;
    await server.gql('{ merchants(first: 5) { totalCount edges { node { name } } } }');
    expect(queries).toBe(2);
  });

  it('seeded every merchant with a USCC that passes the check', async () => {
    const rows = await server.handle.db.query.merchants.findMany({ columns: { uscc: true, kind: true } });
    expect(rows.length).toBeGreaterThan(2000);
    const bad = rows.filter((r) => {
      const v = validateUscc(r.uscc);
      return !v.valid || v.kind !== r.kind;
    });
    expect(bad).toEqual([]);
  });
});
