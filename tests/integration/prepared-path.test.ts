import { drivers } from '../helpers/drivers';
import { authHeader, startTestServer, type TestServer } from '../helpers/server';

/** A seeded merchant (the busiest platform of the demo data). */
const USCC = '91421300MA4G02YY0F';
const LOOKUP = 'query Lookup($uscc: String!) { merchant(uscc: $uscc) { name regionCode rating { score grade } pledge { status } } }';

interface Answer {
  status: number;
  body: string;
  headers: Record<string, string | null>;
}

async function send(server: TestServer, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const pick = (name: string) => response.headers.get(name);
  return {
    status: response.status,
    body: await response.text(),
    // `ratelimit` carries what remains, which each request changes: its policy part is compared.
    headers: {
      'content-type': pick('content-type'),
      'cache-control': pick('cache-control'),
      'ratelimit-policy': pick('ratelimit-policy'),
      ratelimit: pick('ratelimit')?.split(';r=')[0] ?? null,
      'retry-after': pick('retry-after') === null ? null : 'set',
    },
  };
}

/** Sends `body` twice: the first answer comes from Apollo's pipeline, which prepares the text; returns both and how many the prepared path answered. */
async function twice(server: TestServer, body: unknown, headers: Record<string, string> = {}) {
  const before = server.app.prepared.answered;
  const first = await send(server, body, headers);
  const afterFirst = server.app.prepared.answered;
  const second = await send(server, body, headers);
  return { first, second, byApollo: afterFirst - before, byPrepared: server.app.prepared.answered - afterFirst };
}

describe.each(drivers)('the prepared path on %s', (driver) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(driver);
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('answers a query Apollo has prepared byte for byte as Apollo did', async () => {
    const { first, second, byApollo, byPrepared } = await twice(server, { query: LOOKUP, variables: { uscc: USCC } });
    expect(byApollo).toBe(0);
    expect(byPrepared).toBe(1);
    expect(JSON.parse(second.body).data.merchant.name).toEqual(expect.any(String));
    expect(second).toEqual(first);
  });

  it('runs prepared queries compiled (GRAPHQL_JIT), answering byte for byte as graphql-js does', async () => {
    const interpreted = await startTestServer(driver, { env: { GRAPHQL_JIT: 'false' } });
    try {
      const page = 'query Page($n: Int) { merchants(first: $n) { edges { node { uscc name rating { score grade } pledge { id status windowDays expiresOn } } } } }';
      const first = await send(server, { query: page, variables: { n: 5 } });
      const usccs: string[] = JSON.parse(first.body).data.merchants.edges.map((e: { node: { uscc: string } }) => e.node.uscc);
      const bodies = [
        { query: page, variables: { n: 5 } },
        { query: page, variables: { n: 2 } },
        { query: LOOKUP, variables: { uscc: USCC } },
        ...usccs.map((uscc) => ({ query: LOOKUP, variables: { uscc } })),
        // Refused by the resolver with a variable's value, and a field the public may not see.
        { query: LOOKUP, variables: { uscc: '91421300MA4G02YY0X' } },
        { query: `{ merchant(uscc: "${USCC}") { name complaints(first: 1) { totalCount } } }` },
      ];
      // Each text prepared on both servers first (Apollo answers the first sending).
      for (const body of bodies) await Promise.all([send(server, body), send(interpreted, body)]);
      const compiledBefore = server.app.prepared.compiledRuns;
      for (const body of bodies) {
        const [jit, js] = await Promise.all([send(server, body), send(interpreted, body)]);
        expect({ status: jit.status, body: jit.body }).toEqual({ status: js.status, body: js.body });
      }
      expect(server.app.prepared.compiledRuns - compiledBefore).toBe(bodies.length);
      expect(interpreted.app.prepared.compiledRuns).toBe(0);
      expect(interpreted.app.prepared.answered).toBeGreaterThanOrEqual(bodies.length);
    } finally {
      await interpreted.stop();
    }
  });

  it('runs the prepared text again with other variables, checked and answered as Apollo would', async () => {
    await send(server, { query: LOOKUP, variables: { uscc: USCC } });
    const wrong = { query: LOOKUP, variables: { uscc: '91421300MA4G02YY0X' } };
    // A fresh text (a trailing space) is answered by Apollo; the prepared one by the path.
    const byApollo = await send(server, { ...wrong, query: `${LOOKUP} ` });
    const before = server.app.prepared.answered;
    const prepared = await send(server, wrong);
    expect(server.app.prepared.answered - before).toBe(1);
    expect(JSON.parse(prepared.body).errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(prepared.status).toBe(byApollo.status);
    expect(JSON.parse(prepared.body).errors.map((e: { message: string }) => e.message)).toEqual(
      JSON.parse(byApollo.body).errors.map((e: { message: string }) => e.message),
    );
  });

  it('masks a field the viewer may not see the same way on both paths', async () => {
    const query = `{ merchant(uscc: "${USCC}") { name complaints(first: 1) { totalCount } } }`;
    const { first, second, byPrepared } = await twice(server, { query });
    expect(byPrepared).toBe(1);
    expect(JSON.parse(second.body).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(second).toEqual(first);
  });

  it.each([
    ['variables of the wrong type', { query: LOOKUP, variables: { uscc: 42 } }, {}],
    ['a NUL in an argument', { query: LOOKUP, variables: { uscc: 'a\u0000b' } }, {}],
    ['a dry run', { query: 'query Dry { rateLimit(dryRun: true) { remaining } }' }, {}],
    ['a mutation', { query: 'mutation { updateMerchantContact(input: { merchantId: "00000000-0000-4000-8000-000000000000", contactPhone: "1" }) { __typename } }' }, {}],
    ['a token that fails', { query: LOOKUP, variables: { uscc: USCC } }, { authorization: 'Bearer not-a-token' }],
    ['an Accept Apollo negotiates', { query: LOOKUP, variables: { uscc: USCC } }, { accept: 'application/graphql-response+json' }],
  ])('leaves %s to Apollo, which answers it as before', async (_name, body, headers) => {
    // Prepared first, as a well-behaved client would have it, by a plain request of the same text.
    await send(server, { query: body.query, variables: { uscc: USCC } });
    const { first, second, byPrepared } = await twice(server, body, headers);
    expect(byPrepared).toBe(0);
    expect(second.status).toBe(first.status);
    expect(second.body).toBe(first.body);
  });

  it('charges the budget as Apollo does, and refuses with 429 once it is spent', async () => {
    const limited = await startTestServer(driver, { env: { RATE_LIMIT_PUBLIC: '6', RATE_LIMIT_WINDOW_S: '60' } });
    try {
      const body = { query: `{ merchant(uscc: "${USCC}") { name } }` };
      const answers = [];
      for (let i = 0; i < 8; i++) answers.push(await send(limited, body));
      expect(limited.app.prepared.answered).toBeGreaterThan(0);
      const statuses = answers.map((a) => a.status);
      expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(0);
      expect(statuses.at(-1)).toBe(429);
      const refusal = answers.at(-1)!;
      expect(JSON.parse(refusal.body).errors[0].extensions.code).toBe('RATE_LIMITED');
      expect(refusal.headers['retry-after']).toBe('set');
      expect(refusal.headers['ratelimit-policy']).toBe('"public";q=6;w=60');
    } finally {
      await limited.stop();
    }
  });

  it('answers a supervisor from the prepared text with what a supervisor may see', async () => {
    const supervisor = await authHeader({ sub: 'city', role: 'SUPERVISOR', regions: ['421300'] });
    const query = `{ merchant(uscc: "${USCC}") { name complaints(first: 1) { totalCount } } }`;
    await send(server, { query });
    const { first, second, byApollo, byPrepared } = await twice(server, { query }, supervisor);
    expect([byApollo, byPrepared]).toEqual([1, 1]);
    expect(JSON.parse(second.body).errors).toBeUndefined();
    expect(second).toEqual(first);
  });
});
