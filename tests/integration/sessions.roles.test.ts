import { parse, subscribe as graphqlSubscribe, type ExecutionResult } from 'graphql';
import { SignJWT } from 'jose';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { createContext } from '../../src/context';
import { signToken, type TokenClaims } from '../../src/auth/tokens';
import { drivers } from '../helpers/drivers';
import { plainMerchants } from '../helpers/fixtures';
import { authHeader, startTestServer, TEST_AUTH_SECRET, type TestServer } from '../helpers/server';
import { settle, until } from '../helpers/ws';

const nowS = () => Math.floor(Date.now() / 1000);
const SUPERVISOR: TokenClaims = { sub: 'sup-zengdu', role: 'SUPERVISOR', regions: ['421303'] };
const APPEALS = `subscription { appealUpdated(regionCode: "421303") { id status } }`;

/** A token with exactly these time claims (undefined: left out), signed with the test secret. */
function tokenWithTimes(times: { iat?: number; exp?: number }, claims: TokenClaims = SUPERVISOR): Promise<string> {
  const { sub, ...rest } = claims;
  return new SignJWT({ ...rest, ...times }).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).sign(new TextEncoder().encode(TEST_AUTH_SECRET));
}

/** A graphql-ws connection that records how it closed and what its one subscription got. */
function connect(url: string, connectionParams: Record<string, unknown>) {
  let socket: WebSocket | undefined;
  const state = { closed: undefined as { code: number; reason: string } | undefined, results: [] as ExecutionResult[], error: undefined as unknown };
  const client: Client = createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: false,
    connectionParams,
    onNonLazyError: () => undefined,
    on: {
      opened: (s) => (socket = s as WebSocket),
      closed: (event) => (state.closed = { code: (event as { code: number }).code, reason: String((event as { reason: unknown }).reason) }),
    },
  });
  return {
    state,
    subscribe(query: string) {
      client.subscribe({ query }, { next: (r) => void state.results.push(r as ExecutionResult), error: (e) => (state.error = e), complete: () => undefined });
    },
    /** One query over the socket; resolves with its result (or the close event that ended it). */
    query: (query: string) =>
      new Promise<ExecutionResult | { closed: unknown }>((resolve) => {
        let value: ExecutionResult | undefined;
        client.subscribe({ query }, { next: (r) => (value = r as ExecutionResult), error: (e) => resolve({ closed: e }), complete: () => resolve(value!) });
      }),
    /** A graphql-ws ping with a payload: how a client hands the server a fresh token. */
    ping: (payload: Record<string, unknown>) => socket!.send(JSON.stringify({ type: 'ping', payload })),
    dispose: () => client.dispose(),
  };
}

describe.each(drivers)('sessions: token lifetime, WebSocket expiry and header casing, on %s', (driver) => {
  let server: TestServer;
  let admin: Record<string, string>;
  let merchantId: string;

  /** Registers an appeal in 曾都区, which appealUpdated subscribers of 421303 hear about. */
  async function createAppeal(): Promise<string> {
    const res = await server.gql(`mutation ($input: CreateAppealInput!) { createAppeal(input: $input) { id } }`, { input: { type: 'COMPLAINT', channel: 'WEB', merchantId } }, admin);
    expect(res.errors).toBeUndefined();
    return res.data!.createAppeal.id;
  }

  beforeAll(async () => {
    server = await startTestServer(driver);
    admin = await authHeader({ sub: 'admin', role: 'ADMIN' });
    merchantId = (await plainMerchants(server.handle.db, '421303', 1, 7))[0]!.id;
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('over HTTP refuses tokens without exp, with exp in 9999, without iat or issued in the future (401 UNAUTHENTICATED)', async () => {
    const cases = {
      'no exp': await tokenWithTimes({ iat: nowS() }),
      'exp in 9999': await tokenWithTimes({ iat: nowS(), exp: 253402300799 }),
      'no iat': await tokenWithTimes({ exp: nowS() + 600 }),
      'iat in the future': await tokenWithTimes({ iat: nowS() + 600, exp: nowS() + 1200 }),
      'a day and a second': await tokenWithTimes({ iat: nowS(), exp: nowS() + 86401 }),
    };
    const outcomes: Record<string, unknown> = {};
    for (const [name, token] of Object.entries(cases)) {
      const response = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ auditLog(first: 1) { totalCount } }' }),
      });
      const body = (await response.json()) as { errors?: { extensions: { code: string } }[] };
      outcomes[name] = [response.status, body.errors?.[0]?.extensions.code];
    }
    expect(outcomes).toEqual(Object.fromEntries(Object.keys(cases).map((name) => [name, [401, 'UNAUTHENTICATED']])));
    // Within the maximum, the same supervisor is served.
    const ok = await server.gql('{ auditLog(first: 1) { totalCount } }', {}, { authorization: `Bearer ${await tokenWithTimes({ iat: nowS(), exp: nowS() + 86400 })}` });
    expect(ok.errors).toBeUndefined();
  });

  it('refuses a WebSocket whose token has exp in 9999 (4403)', async () => {
    const conn = connect(server.url, { authorization: `Bearer ${await tokenWithTimes({ iat: nowS(), exp: 253402300799 })}` });
    try {
      await until(() => conn.state.closed !== undefined);
      expect(conn.state.closed).toEqual({ code: 4403, reason: 'Forbidden' });
    } finally {
      await conn.dispose();
    }
  });

  it('closes a WebSocket with 4403 "Token expired" at its token’s exp, and delivers nothing after', async () => {
    const exp = nowS() + 3;
    const conn = connect(server.url, { authorization: `Bearer ${await signToken(TEST_AUTH_SECRET, SUPERVISOR, exp)}` });
    try {
      conn.subscribe(APPEALS);
      await settle(200);
      const before = await createAppeal();
      await until(() => conn.state.results.length === 1);
      expect(conn.state.results[0]!.data).toEqual({ appealUpdated: { id: before, status: 'RECEIVED' } });
      await until(() => conn.state.closed !== undefined, 6000);
      expect(conn.state.closed).toEqual({ code: 4403, reason: 'Token expired' });
      expect(Date.now()).toBeGreaterThanOrEqual(exp * 1000);
      await createAppeal();
      await settle();
      expect(conn.state.results).toHaveLength(1);
    } finally {
      await conn.dispose();
    }
  });

  it('keeps a WebSocket open past the first exp when the client pings a fresh token of the same account', async () => {
    const firstExp = nowS() + 2;
    const conn = connect(server.url, { authorization: `Bearer ${await signToken(TEST_AUTH_SECRET, SUPERVISOR, firstExp)}` });
    try {
      conn.subscribe(APPEALS);
      await settle(200);
      conn.ping({ Authorization: `Bearer ${await signToken(TEST_AUTH_SECRET, SUPERVISOR, nowS() + 60)}` });
      await until(() => Date.now() > firstExp * 1000 + 1000, 6000);
      expect(conn.state.closed).toBeUndefined();
      const id = await createAppeal();
      await until(() => conn.state.results.length === 1);
      expect(conn.state.results[0]!.data).toEqual({ appealUpdated: { id, status: 'RECEIVED' } });
    } finally {
      await conn.dispose();
    }
  });

  it('closes a WebSocket (4403) that pings a token of another account', async () => {
    const conn = connect(server.url, { authorization: `Bearer ${await signToken(TEST_AUTH_SECRET, SUPERVISOR)}` });
    try {
      expect(await conn.query('{ auditLog(first: 1) { totalCount } }')).toMatchObject({ data: { auditLog: {} } });
      conn.ping({ authorization: `Bearer ${await signToken(TEST_AUTH_SECRET, { sub: 'sup-city', role: 'SUPERVISOR', regions: ['421300'] })}` });
      await until(() => conn.state.closed !== undefined);
      expect(conn.state.closed).toEqual({ code: 4403, reason: 'Forbidden' });
    } finally {
      await conn.dispose();
    }
  });

  it('stops a subscription whose viewer expired even before its socket is closed', async () => {
    const context = createContext(
      { db: server.handle.db, log: server.app.log, events: server.app.events },
      { role: 'SUPERVISOR', sub: 'sup-zengdu', merchantIds: [], regions: ['421303'], expiresAt: Date.now() + 500 },
    );
    const iterator = (await graphqlSubscribe({ schema: server.app.schema, document: parse(APPEALS), contextValue: context })) as AsyncGenerator<ExecutionResult>;
    const next = iterator.next().then(
      (r) => r.value as ExecutionResult,
      (error: { extensions?: { code?: string } }) => ({ thrown: error.extensions?.code }),
    );
    await until(() => Date.now() > (context.viewer.expiresAt ?? 0) + 50);
    await createAppeal();
    expect(await next).toEqual({ thrown: 'UNAUTHENTICATED' });
    await iterator.return?.(undefined);
  });

  it.each([['Authorization'], ['AUTHORIZATION'], ['authorization']])('reads connectionParams.%s as the token, not as the public', async (key) => {
    const conn = connect(server.url, { [key]: admin.authorization });
    try {
      const result = (await conn.query('{ auditLog(first: 1) { totalCount } }')) as ExecutionResult;
      expect(result.errors).toBeUndefined();
      expect(result.data).toMatchObject({ auditLog: { totalCount: expect.any(Number) } });
    } finally {
      await conn.dispose();
    }
  });

  it('refuses connectionParams with two casings of authorization that disagree (4403), accepts them when they agree', async () => {
    const other = await authHeader({ sub: 'merchant', role: 'MERCHANT', merchantIds: [merchantId] });
    const refused = connect(server.url, { authorization: admin.authorization, Authorization: other.authorization });
    try {
      await until(() => refused.state.closed !== undefined);
      expect(refused.state.closed).toEqual({ code: 4403, reason: 'Forbidden' });
    } finally {
      await refused.dispose();
    }
    const agreeing = connect(server.url, { authorization: admin.authorization, Authorization: admin.authorization });
    try {
      expect(await agreeing.query('{ auditLog(first: 1) { totalCount } }')).toMatchObject({ data: { auditLog: {} } });
    } finally {
      await agreeing.dispose();
    }
  });
});
