import { sql } from 'drizzle-orm';
import { drivers } from '../helpers/drivers';
import { rowsOf } from '../helpers/fixtures';
import { RICH_PAGE_MARKER, richTenantPage } from '../helpers/rich-page';
import { authHeader, startTestServer, type GraphQLResponse, type TestServer } from '../helpers/server';
import { coordinateAt, printSelection, resolvedOnFewer, selectEverything, type FieldSelection } from '../helpers/selection';

/** Values for the arguments the schema requires; a new required argument makes the walk throw. */
const REQUIRED_ARGS = {
  'Merchant.ratingAsOf': { date: '"2024-06-30"' },
  'Merchant.ratingWhatIf': { changes: '[{ kind: ANSWER_OPEN_COMPLAINTS }, { kind: FILE_PLEDGE }]' },
};

/**
 * A tenant hosts no tenants (one level only), so the `tenants` edges of the merchants behind a
 * page of appeals are empty; the merchants page resolves `MerchantEdge` at its top.
 */
const EMPTY_UNDER_TENANTS = ['MerchantEdge.cursor', 'MerchantEdge.node'];

interface Page {
  /** The root field with its selection, for `coordinateAt` and the coverage checks. */
  root: FieldSelection;
  query: string;
  /** The coordinates left out because the viewer is refused them. */
  omitted: string[];
}

/** `field(args) { every field under type }`, leaving out `omit`, as a query taking `$first`. */
function pageQuery(server: TestServer, field: string, args: string, type: string, omit: ReadonlySet<string>): Page {
  const children = selectEverything(server.app.schema, type, { requiredArgs: REQUIRED_ARGS, omit, first: 3 });
  const root: FieldSelection = { coordinate: `Query.${field}`, name: field, args, children };
  return { root, query: `query Page($first: Int) {\n${printSelection([root])}\n}`, omitted: [...omit].sort() };
}

describe.each(drivers)('SQL statements per page on %s', (driver) => {
  let server: TestServer;
  let statements = 0;
  let supervisor: Record<string, string>;

  beforeAll(async () => {
    server = await startTestServer(driver, {
      onQuery: () => statements++,
      // The selections are far larger than any client's: these tests are about SQL, not limits.
      env: {
        QUERY_MAX_DEPTH: '100',
        QUERY_MAX_TOKENS: '1000000',
        QUERY_MAX_COST: '1000000000',
        REQUEST_TIMEOUT_MS: '600000',
        RATE_LIMIT_PUBLIC: '1000000000',
        RATE_LIMIT_SUPERVISOR: '1000000000',
      },
    });
    supervisor = await authHeader({ sub: 'supervisor-pages', role: 'SUPERVISOR', regions: ['421300'] });
    await richTenantPage(server.handle.db, 100);
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  /** Sends the page with `first` and returns its response and the statements it ran. */
  async function run(page: Page, first: number, headers: Record<string, string>) {
    statements = 0;
    const response: GraphQLResponse = await server.gql(page.query, { first }, headers);
    return { response, statements };
  }

  /**
   * The page with every field the viewer may select: the fields refused to the viewer
   * (FORBIDDEN on the first page) are left out, and nothing else may fail.
   */
  async function everyFieldFor(field: string, args: string, type: string, headers: Record<string, string>): Promise<Page> {
    const omit = new Set<string>();
    const probe = pageQuery(server, field, args, type, omit);
    const { response } = await run(probe, 1, headers);
    for (const error of response.errors ?? []) {
      const coordinate = error.path && coordinateAt([probe.root], error.path);
      if (error.extensions?.code !== 'FORBIDDEN' || !coordinate) throw new Error(`${error.message} at ${JSON.stringify(error.path)}`);
      omit.add(coordinate);
    }
    return omit.size ? pageQuery(server, field, args, type, omit) : probe;
  }

  /** One page and a hundred read every field with the same statements, and every field is resolved. */
  async function expectConstant(page: Page, headers: Record<string, string>, allowedEmpty: readonly string[] = []) {
    const one = await run(page, 1, headers);
    const hundred = await run(page, 100, headers);
    expect(one.response.errors).toBeUndefined();
    expect(hundred.response.errors).toBeUndefined();
    const data = (r: GraphQLResponse) => r.data![page.root.name] as { edges: unknown[] };
    expect(data(one.response).edges).toHaveLength(1);
    expect(data(hundred.response).edges).toHaveLength(100);
    // Equal counts prove nothing about a field resolved on no object, or on one only: every
    // field under the edges must run on the single edge and on at least two of the hundred.
    const edges = page.root.children!.find((f) => f.name === 'edges')!.children!;
    const covered = (r: GraphQLResponse, min: number) => resolvedOnFewer(edges, data(r).edges, min).filter((c) => !allowedEmpty.includes(c));
    expect(covered(one.response, 1)).toEqual([]);
    expect(covered(hundred.response, 2)).toEqual([]);
    expect({ first: 100, statements: hundred.statements }).toEqual({ first: 100, statements: one.statements });
    return one.statements;
  }

  /**
   * Every node of the hundred, batched with the others, is what it is when asked for alone
   * (`single` by id with the node's selection), but for the times computed on demand.
   */
  async function expectSameAlone(page: Page, single: string, headers: Record<string, string>) {
    const { response } = await run(page, 100, headers);
    const nodes = (response.data![page.root.name] as { edges: { node: { id: string } }[] }).edges.map((e) => e.node);
    const edges = page.root.children!.find((f) => f.name === 'edges')!.children!;
    const nodeSelection = edges.find((f) => f.name === 'node')!.children!;
    const query = `query Alone($id: ID!) {\n${printSelection([{ coordinate: `Query.${single}`, name: single, args: '(id: $id)', children: nodeSelection }])}\n}`;
    // A rating computed on demand (ratingAsOf, ratingWhatIf) is stamped with the time of computing.
    const strip = (value: unknown) => JSON.parse(JSON.stringify(value, (key, v: unknown) => (key === 'computedAt' ? undefined : v))) as unknown;
    for (const node of [nodes[0]!, nodes[1]!, nodes[57]!, nodes[99]!]) {
      const alone = await server.gql(query, { id: node.id }, headers);
      expect(alone.errors).toBeUndefined();
      expect(strip(alone.data![single])).toEqual(strip(node));
    }
  }

  const MERCHANTS_ARGS = `(filter: { nameContains: "${RICH_PAGE_MARKER}" }, first: $first)`;

  it('reads merchants(first: 100) with every public field in as many statements as merchants(first: 1), for the public', async () => {
    const page = await everyFieldFor('merchants', MERCHANTS_ARGS, 'MerchantConnection', {});
    // What the public is refused is left out; everything else is in.
    expect(page.omitted).toEqual(['Merchant.complaints', 'Merchant.ratingWhatIf']);
    await expectConstant(page, {});
  });

  it('reads merchants(first: 100) with every field in as many statements as merchants(first: 1), for a supervisor', async () => {
    const page = await everyFieldFor('merchants', MERCHANTS_ARGS, 'MerchantConnection', supervisor);
    expect(page.omitted).toEqual([]);
    await expectConstant(page, supervisor);
  });

  it('reads a supervisor’s appeals(first: 100) with their merchants and every field in as many statements as appeals(first: 1)', async () => {
    const page = await everyFieldFor('appeals', '(first: $first)', 'AppealConnection', supervisor);
    expect(page.omitted).toEqual([]);
    await expectConstant(page, supervisor, EMPTY_UNDER_TENANTS);
  });

  it('gives each merchant of a batched page what it gets asked for alone', async () => {
    await expectSameAlone(await everyFieldFor('merchants', MERCHANTS_ARGS, 'MerchantConnection', supervisor), 'merchant', supervisor);
  });

  it('pages through the tenants and the complaints of two merchants asked in one request, in the database’s order', async () => {
    const db = server.handle.db;
    const column = <T>(result: unknown) => rowsOf<T>(result);
    const hosts = column<{ id: string }>(
      await db.execute(sql`select host_merchant_id as id from merchants where host_merchant_id is not null group by 1 order by count(*) desc limit 2`),
    ).map((r) => r.id);
    const busy = column<{ id: string }>(
      await db.execute(sql`select merchant_id as id from appeals where merchant_id is not null group by 1 order by count(*) desc, 1 limit 2`),
    ).map((r) => r.id);
    const lists = [
      {
        field: 'tenants',
        parents: hosts,
        truth: async (id: string) =>
          column<{ id: string }>(await db.execute(sql`select id from merchants where host_merchant_id = ${id}::uuid order by name collate "C", id`)),
      },
      {
        field: 'complaints',
        parents: busy,
        truth: async (id: string) =>
          column<{ id: string }>(await db.execute(sql`select id from appeals where merchant_id = ${id}::uuid order by received_at desc, id desc`)),
      },
    ];
    for (const { field, parents, truth } of lists) {
      const query = `query ($a: ID!, $b: ID!, $afterA: String, $afterB: String) {
        a: merchant(id: $a) { ${field}(first: 7, after: $afterA) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }
        b: merchant(id: $b) { ${field}(first: 7, after: $afterB) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }
      }`;
      const seen: Record<'a' | 'b', string[]> = { a: [], b: [] };
      const totals: Record<'a' | 'b', number[]> = { a: [], b: [] };
      const after: Record<'a' | 'b', string | null> = { a: null, b: null };
      const done = { a: false, b: false };
      while (!done.a || !done.b) {
        const { data, errors } = await server.gql(query, { a: parents[0], b: parents[1], afterA: after.a, afterB: after.b }, supervisor);
        expect(errors).toBeUndefined();
        for (const alias of ['a', 'b'] as const) {
          if (done[alias]) continue;
          const page = data![alias][field];
          seen[alias].push(...page.edges.map((e: { node: { id: string } }) => e.node.id));
          totals[alias].push(page.totalCount);
          after[alias] = page.pageInfo.endCursor;
          done[alias] = !page.pageInfo.hasNextPage;
        }
      }
      for (const [alias, id] of [['a', parents[0]!], ['b', parents[1]!]] as const) {
        const expected = (await truth(id)).map((r) => r.id);
        expect(expected.length).toBeGreaterThan(14);
        expect(seen[alias]).toEqual(expected);
        expect(new Set(totals[alias])).toEqual(new Set([expected.length]));
      }
    }
  });

  it('gives each appeal of a batched page what it gets asked for alone', async () => {
    await expectSameAlone(await everyFieldFor('appeals', '(first: $first)', 'AppealConnection', supervisor), 'appeal', supervisor);
  });
});
