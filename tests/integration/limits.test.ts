import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { getIntrospectionQuery } from 'graphql';
import { like, sql } from 'drizzle-orm';
import { appeals } from '../../src/db/schema';
import { drivers } from '../helpers/drivers';
import { authHeader, startTestServer, type GraphQLResponse, type TestServer } from '../helpers/server';
import { until } from '../helpers/ws';

/** A seeded merchant (the busiest platform of the demo data); refused queries never look it up. */
const USCC = '91421300MA4G02YY0F';
const times = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join(' ');
const level = 'tenants(first: 100) { edges { node { name host { ';

/** The attacks of issue 10, as sent. */
const ATTACKS = {
  // Anonymous, under 230 bytes: 22 s and 450 MB before limits.
  tenantsNesting: `{ merchant(uscc: "${USCC}") { ${level}${level}tenants(first: 100) { edges { node { name } } }${' } } } }'.repeat(2)} } }`,
  ratingAsOfAliases: `{ ${times(100, (i) => `a${i}: merchant(uscc: "${USCC}") { ratingAsOf(date: "2024-06-30") { score } }`)} }`,
  annualReportAliases: `{ ${times(200, (i) => `a${i}: annualReport(year: 2023) { total }`)} }`,
  // 1.4 MB of query text.
  hugeQuery: `{ ${'__typename '.repeat(130_000)} }`,
  // The same field may be asked again and again; each copy carries its directive.
  directives: `{ merchant(uscc: "${USCC}") { ${times(30, () => 'name @include(if: true)')} } }`,
  ratingAsOfList: `{ merchants(first: 100) { edges { node { ratingAsOf(date: "2024-06-30") { score } } } } }`,
};

interface Timed {
  status: number;
  body: GraphQLResponse;
  headers: Headers;
  /** Time from sending the attack to its refusal. */
  ms: number;
  /** Time /healthz took to answer, asked while the attack was in flight. */
  healthMs: number;
}

async function post(url: string, body: string, headers: Record<string, string> = {}) {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
}

/** Sends `body` and, meanwhile, GET /healthz; both timed. */
async function attack(server: TestServer, body: string): Promise<Timed> {
  const started = performance.now();
  const pending = post(server.url, body).then(async (response) => ({ response, json: await response.json(), ms: performance.now() - started }));
  const healthStarted = performance.now();
  const health = await fetch(server.url.replace(/\/graphql$/, '/healthz'));
  expect(await health.json()).toEqual({ status: 'ok' });
  const healthMs = performance.now() - healthStarted;
  const { response, json, ms } = await pending;
  return { status: response.status, body: json as GraphQLResponse, headers: response.headers, ms, healthMs };
}

/**
 * The refusal, asserted every time, with /healthz answered while it was in flight. How fast both
 * came is measured (docs/limits.md keeps the figures) but not asserted: a timing on this shared
 * machine is not a test. That nothing ran before the refusal is asserted by the statement counts.
 */
async function refusedQuickly(server: TestServer, query: string, variables?: Record<string, unknown>) {
  const timed = await attack(server, JSON.stringify({ query, variables }));
  expect(timed.body.data ?? null).toBeNull();
  expect(timed.body.errors).toHaveLength(1);
  return timed;
}

const README_QUERIES = [
  `{ merchants(first: 5) { totalCount edges { node { uscc name regionCode } } } }`,
  `query { merchant(uscc: "${USCC}") { name kind industry regionCode host { name } }
     merchants(filter: { nameContains: "超市", regionCode: "421300", industry: SUPERMARKET }, first: 20) {
       totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id uscc name address } } } }`,
  `query { merchant(uscc: "${USCC}") {
     rating { score grade asOf factors { key points max limit evidence } }
     ratingHistory(first: 5) { edges { node { computedAt score grade previousScore previousGrade cause } } }
     ratingAsOf(date: "2025-06-30") { score grade } } }`,
  `query { annualReport(year: 2023, regionCode: "421300") {
     total byType { key count changePercent }
     complaintsDecidedOnTime { numerator denominator percent definition }
     complaintsConcludedOnTime { percent } mediationSuccess { percent } reportsVerifiedOnTime { percent }
     amountRecoveredFen complaintGroups { key label count changePercent }
     complaintCategories { key label count sharePercent changePercent } reportViolationTypes { key count sharePercent } } }`,
  `query { enrollmentRates(regionCode: "421300") { regionCode regionName enrolled total percent } }`,
  `query { merchants(first: 100) { edges { node { id name rating { score grade } pledge { status } } } } }`,
  getIntrospectionQuery(),
];

describe.each(drivers)('request limits on %s', (driver) => {
  describe('with the default limits', () => {
    let server: TestServer;
    const statements: string[] = [];

    beforeAll(async () => {
      server = await startTestServer(driver, { onQuery: (query) => statements.push(query) });
      // Warm the code paths (parse, validation, cost) so that timings measure the steady state.
      for (const query of Object.values(ATTACKS)) await post(server.url, JSON.stringify({ query }));
    });
    afterAll(async () => {
      await server?.stop();
    });

    it('refuses the tenants nesting of the issue by its depth, before running anything', async () => {
      const before = statements.length;
      const { status, body } = await refusedQuickly(server, ATTACKS.tenantsNesting);
      expect(status).toBe(400);
      expect(body.errors![0]!.extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', measure: 'depth', limit: 10, actual: 13 });
      expect(statements.length).toBe(before);
    });

    it('refuses 100 aliases of ratingAsOf by their number', async () => {
      const { body } = await refusedQuickly(server, ATTACKS.ratingAsOfAliases);
      expect(body.errors![0]!.extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', measure: 'aliases', limit: 30, actual: 100 });
    });

    it('refuses a flood of directives by their number', async () => {
      const { body } = await refusedQuickly(server, ATTACKS.directives);
      expect(body.errors![0]!.extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', measure: 'directives', limit: 20, actual: 30 });
    });

    it('refuses a 1.4 MB query by its tokens, counted before parsing', async () => {
      const { status, body } = await refusedQuickly(server, ATTACKS.hugeQuery);
      expect(status).toBe(400);
      expect(body.errors![0]!.extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', measure: 'tokens', limit: 2000, actual: null });
      const aliases = await refusedQuickly(server, ATTACKS.annualReportAliases);
      expect(aliases.body.errors![0]!.extensions).toMatchObject({ measure: 'tokens' });
    });

    it('refuses 100 ratingAsOf in a list by its cost', async () => {
      const before = statements.length;
      const { body } = await refusedQuickly(server, ATTACKS.ratingAsOfList);
      expect(body.errors![0]!.extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', measure: 'cost', limit: 5000, actual: 10_101 });
      expect(statements.length).toBe(before);
    });

    it('answers a body over REQUEST_BODY_LIMIT with a JSON GraphQL error, HTTP 413', async () => {
      const body = JSON.stringify({ query: '{ __typename }', variables: { filler: 'x'.repeat(7 * 1024 * 1024) } });
      const response = await post(server.url, body);
      expect(response.status).toBe(413);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      const json = (await response.json()) as GraphQLResponse;
      expect(json.errors![0]!.extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', measure: 'bytes', limit: 6 * 1024 * 1024, actual: Buffer.byteLength(body) });
    });

    it('lets the README’s queries, a page of 100 merchants and introspection through', async () => {
      for (const query of README_QUERIES) {
        const response = await server.gql(query);
        expect({ query: query.slice(0, 60), errors: response.errors }).toEqual({ query: query.slice(0, 60), errors: undefined });
      }
      // importAppeals' 5 MB of CSV stays possible: its body fits and the text is one token.
      const csv = `external_id,type,channel,received_at,region_code\n${'x'.repeat(5 * 1024 * 1024)}`;
      const response = await server.gql('mutation ($csv: String!) { importAppeals(csv: $csv) { read } }', { csv }, await authHeader({ sub: 'admin-limits', role: 'ADMIN' }));
      expect(response.errors?.[0]?.extensions?.code).not.toBe('QUERY_TOO_COMPLEX');
    });

    it('applies the same limits to subscriptions over graphql-ws', async () => {
      const client: Client = createClient({ url: server.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0 });
      try {
        const refusal = await new Promise<unknown>((resolve) => {
          client.subscribe(
            { query: 'subscription { pledgeChanged { merchant { tenants(first: 100) { edges { node { tenants(first: 100) { edges { node { name } } } } } } } } }' },
            { next: () => resolve('next'), error: resolve, complete: () => resolve('complete') },
          );
        });
        expect(refusal).toEqual([expect.objectContaining({ extensions: { code: 'QUERY_TOO_COMPLEX', measure: 'cost', limit: 5000, actual: 10_203 } })]);
        const nested = await new Promise<unknown>((resolve) => {
          client.subscribe({ query: ATTACKS.tenantsNesting }, { next: () => resolve('next'), error: resolve, complete: () => resolve('complete') });
        });
        expect(nested).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'QUERY_TOO_COMPLEX', measure: 'depth' }) })]);
        // The socket stays usable.
        const ok = await new Promise<unknown>((resolve) => {
          client.subscribe({ query: '{ rateLimit { cost } }' }, { next: resolve, error: resolve, complete: () => undefined });
        });
        expect(ok).toEqual({ data: { rateLimit: { cost: 0 } } });
      } finally {
        await client.dispose();
      }
    });

    // On PGlite the database runs in the server's own thread: nothing, a disconnect included, is
    // noticed until the request is done (the time budget is checked on the clock instead).
    (driver === 'postgres' ? it : it.skip)('stops starting resolvers once the client has gone', async () => {
      const headers = await authHeader({ sub: 'admin-disconnect', role: 'ADMIN' });
      const csv = (prefix: string, n: number) =>
        ['external_id,type,channel,received_at,region_code', ...Array.from({ length: n }, (_, i) => `${prefix}-${i},咨询,电话,2026-11-01 10:00,421381`)].join('\n');
      const mutation = 'mutation ($a: String!, $b: String!) { a: importAppeals(csv: $a) { inserted } b: importAppeals(csv: $b) { inserted } }';
      const countOf = async (prefix: string) => {
        const [row] = await server.handle.db.select({ n: sql<number>`count(*)::int` }).from(appeals).where(like(appeals.externalId, `${prefix}-%`));
        return Number(row!.n);
      };

      // Served to the end, both imports run (so the assertion below can fail).
      const control = await server.gql(mutation, { a: csv('CTRL-A', 300), b: csv('CTRL-B', 3) }, headers);
      expect(control.data).toEqual({ a: { inserted: 300 }, b: { inserted: 3 } });

      // The client leaves as soon as the first import reaches the database.
      const controller = new AbortController();
      const seen = statements.length;
      const watcher = setInterval(() => {
        if (statements.length > seen) controller.abort();
      }, 1);
      const body = JSON.stringify({ query: mutation, variables: { a: csv('GONE-A', 300), b: csv('GONE-B', 3) } });
      try {
        await expect(fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body, signal: controller.signal })).rejects.toThrow();
      } finally {
        clearInterval(watcher);
      }
      // The first import, under way when the client left, finishes; the second never starts.
      await until(async () => (await countOf('GONE-A')) === 300, 10_000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await countOf('GONE-B')).toBe(0);
    });
  });

  describe('with the shape limits lifted and a 5 ms time budget', () => {
    let server: TestServer;

    beforeAll(async () => {
      server = await startTestServer(driver, {
        env: { QUERY_MAX_DEPTH: '100', QUERY_MAX_ALIASES: '1000', QUERY_MAX_DIRECTIVES: '1000', QUERY_MAX_TOKENS: '100000', REQUEST_TIMEOUT_MS: '5' },
      });
      for (const query of Object.values(ATTACKS)) await post(server.url, JSON.stringify({ query }));
    });
    afterAll(async () => {
      await server?.stop();
    });

    it('still refuses each attack of the issue, by its cost', async () => {
      const costs: Record<string, unknown> = {};
      for (const name of ['tenantsNesting', 'ratingAsOfAliases', 'annualReportAliases'] as const) {
        const { body } = await refusedQuickly(server, ATTACKS[name]);
        expect(body.errors![0]!.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', measure: 'cost', limit: 5000 });
        costs[name] = body.errors![0]!.extensions!.actual;
      }
      expect(costs).toEqual({ tenantsNesting: 1_030_302, ratingAsOfAliases: 10_100, annualReportAliases: 15_000 });
    });

    it('stops starting resolvers once the time budget has passed', async () => {
      const response = await server.gql('{ annualReport(year: 2023) { total byType { key count } complaintGroups { key count } } }');
      expect(response.errors?.length).toBeGreaterThan(0);
      for (const error of response.errors!) {
        expect(error.extensions).toEqual({ code: 'TIMEOUT', reason: 'timeout', budgetMs: 5 });
      }
    });
  });

  describe('with a 40 ms time budget, a committed mutation', () => {
    let server: TestServer;

    beforeAll(async () => {
      server = await startTestServer(driver, { env: { REQUEST_TIMEOUT_MS: '40' } });
    });
    afterAll(async () => {
      await server?.stop();
    });

    it('is answered whole, however long it took', async () => {
      const headers = await authHeader({ sub: 'admin-budget', role: 'ADMIN' });
      const rows = (prefix: string) => ['external_id,type,channel,received_at,region_code', ...Array.from({ length: 1000 }, (_, i) => `${prefix}-${i},咨询,电话,2026-11-01 10:00,421381`)].join('\n');
      // The import takes far more than 40 ms; its root must have started in time for this to
      // show anything, which a busy machine may deny a try or two.
      for (let attempt = 0; attempt < 5; attempt++) {
        const response = await server.gql('mutation ($csv: String!) { importAppeals(csv: $csv) { inserted bad { line } } }', { csv: rows(`BUDGET${attempt}`) }, headers);
        if (response.data) {
          expect(response).toEqual({ data: { importAppeals: { inserted: 1000, bad: [] } } });
          return;
        }
        expect(response.errors![0]!.extensions).toMatchObject({ code: 'TIMEOUT' });
      }
      throw new Error('the mutation never started within its 40 ms budget');
    });
  });

  describe('with small budgets', () => {
    let server: TestServer;

    beforeAll(async () => {
      server = await startTestServer(driver, {
        env: {
          RATE_LIMIT_PUBLIC: '30',
          RATE_LIMIT_MERCHANT: '100',
          RATE_LIMIT_SUPERVISOR: '1000',
          RATE_LIMIT_WINDOW_S: '60',
          WS_MAX_SUBSCRIPTIONS_PER_CONNECTION: '2',
        },
      });
    });
    afterAll(async () => {
      await server?.stop();
    });

    const merchant = (sub: string) => authHeader({ sub, role: 'MERCHANT', merchantIds: [] });
    const PAGE = '{ merchants(first: 5) { edges { node { name } } } }'; // 1 + 5 × 1 = 6 points

    it('reports the cost of the query and the viewer’s budget in rateLimit', async () => {
      const headers = await merchant('merchant-figures');
      const query = '{ rateLimit { cost limit remaining used resetAt } merchants(first: 5) { edges { node { name } } } }';
      const first = await server.gql(query, undefined, headers);
      expect(first.data!.rateLimit).toEqual({ cost: 6, limit: 100, remaining: 94, used: 6, resetAt: expect.any(String) });
      const resetIn = Date.parse(first.data!.rateLimit.resetAt) - Date.now();
      expect(resetIn).toBeGreaterThan(50_000);
      expect(resetIn).toBeLessThanOrEqual(60_000);
      const second = await server.gql(query, undefined, headers);
      expect(second.data!.rateLimit).toMatchObject({ cost: 6, remaining: 88, used: 12 });
      if (driver === 'postgres') {
        // Counted where every API node reads and writes the same figures, within RATE_LIMIT_SYNC_MS.
        const stored = async () => (await server.handle.sql!`select points from rate_limit_points where key = 'merchant:sub:merchant-figures'`)[0]?.points;
        await until(async () => (await stored()) === 12, 2000);
      }
    });

    it('prices a dry run without charging it or running its other fields', async () => {
      const headers = await merchant('merchant-dry-run');
      const dry = await server.gql('{ rateLimit(dryRun: true) { cost remaining used } merchants(first: 10) { edges { node { name } } } }', undefined, headers);
      expect(dry).toEqual({ data: { rateLimit: { cost: 11, remaining: 100, used: 0 } } });
      const after = await server.gql('{ rateLimit { cost used } }', undefined, headers);
      expect(after.data!.rateLimit).toEqual({ cost: 0, used: 1 });
    });

    it('answers 429 RATE_LIMITED with Retry-After once the public budget of the address is spent', async () => {
      const answers: Response[] = [];
      for (let i = 0; i < 5; i++) answers.push(await post(server.url, JSON.stringify({ query: PAGE })));
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
      expect(answers[0]!.headers.get('ratelimit-policy')).toBe('"public";q=30;w=60');
      expect(answers[4]!.headers.get('ratelimit')).toMatch(/^"public";r=0;t=\d+$/);

      const timed = await attack(server, JSON.stringify({ query: PAGE }));
      expect(timed.status).toBe(429);
      const retryAfter = Number(timed.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(timed.headers.get('ratelimit')).toBe(`"public";r=0;t=${retryAfter}`);
      expect(timed.body.errors).toEqual([
        expect.objectContaining({ extensions: { code: 'RATE_LIMITED', retryAfter, limit: 30, resetAt: expect.any(String) } }),
      ]);
      expect(timed.body.data ?? null).toBeNull();

      // A merchant's budget is its own.
      const other = await server.gql(PAGE, undefined, await merchant('merchant-after-public'));
      expect(other.errors).toBeUndefined();
    });

    it('counts subscriptions: per socket, and from the viewer’s budget', async () => {
      const headers = await merchant('merchant-ws');
      const client: Client = createClient({
        url: server.url.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        connectionParams: { authorization: headers.authorization },
      });
      const outcomes: unknown[] = [];
      try {
        const subscription = 'subscription { ratingChanged(regionCode: "421303") { merchantId score } }';
        for (let i = 0; i < 3; i++) client.subscribe({ query: subscription }, { next: () => undefined, error: (e) => outcomes.push(e), complete: () => undefined });
        await until(() => outcomes.length > 0);
        expect(outcomes).toEqual([[expect.objectContaining({ extensions: { code: 'QUERY_TOO_COMPLEX', measure: 'subscriptions', limit: 2, actual: 3 } })]]);

        // Each subscribe was charged (1 point each, the refused one too), and this query 1.
        const status = await server.gql('{ rateLimit { used } }', undefined, headers);
        expect(status.data!.rateLimit.used).toBe(4);
        // Spend the rest over HTTP: the next subscribe is refused.
        for (let i = 0; i < 16; i++) await server.gql(PAGE, undefined, headers);
        const refused = await new Promise<unknown>((resolve) => {
          const other = createClient({ url: server.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: { authorization: headers.authorization } });
          other.subscribe({ query: subscription }, { next: () => resolve('next'), error: (e) => resolve(Promise.resolve(other.dispose()).then(() => e)), complete: () => resolve('complete') });
        });
        expect(refused).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'RATE_LIMITED', limit: 100 }) })]);
      } finally {
        await client.dispose();
      }
    });
  });
});
