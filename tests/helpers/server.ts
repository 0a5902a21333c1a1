import { createApp, type App } from '../../src/app';
import { loadConfig } from '../../src/config';
import type { DbHandle, Driver } from '../../src/db';
import { openTestDb, type TestDb, type TestDbOptions } from './drivers';
import { signToken, type TokenClaims } from '../../src/auth/tokens';

/** The HS256 secret every test server accepts. */
export const TEST_AUTH_SECRET = 'test-secret-for-the-registry-test-suite-0123456789';

/** A bearer token the test server accepts: `{ authorization: 'Bearer …' }` for gql headers. */
export async function authHeader(claims: TokenClaims): Promise<Record<string, string>> {
  return { authorization: `Bearer ${await signToken(TEST_AUTH_SECRET, claims)}` };
}

export interface GraphQLResponse<T = Record<string, any>> {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
}

export interface TestServer {
  app: App;
  handle: DbHandle;
  url: string;
  /** POSTs an operation to /graphql and returns the parsed body. */
  gql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse<T>>;
  stop(): Promise<void>;
}

export interface TestServerOptions extends TestDbOptions {
  /** Configuration overrides, as environment variables (e.g. small rate-limit budgets). */
  env?: Record<string, string>;
}

/** The real app (createApp) on a private test database, listening on a free loopback port. */
export async function startTestServer(driver: Driver, options: TestServerOptions = {}): Promise<TestServer> {
  const testDb: TestDb = await openTestDb(driver, options);
  let app: App | undefined;
  try {
    const config = loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: process.env.LOG_LEVEL,
      AUTH_SECRET: TEST_AUTH_SECRET,
      // Every test sends its requests from 127.0.0.1; the budgets are tested on their own.
      RATE_LIMIT_PUBLIC: '100000000',
      RATE_LIMIT_MERCHANT: '100000000',
      RATE_LIMIT_SUPERVISOR: '100000000',
      // The event log's poll would land in the statements a test counts: the server's own commits
      // wake it (tests of the poll set it).
      ...(options.onQuery ? { EVENTS_POLL_MS: '600000' } : {}),
      ...options.env,
    });
    app = await createApp({ config, db: testDb.handle });
    // PGlite runs in this thread: a long query delays timers, and the server could close an idle
    // keep-alive socket just as fetch reuses it. Tests keep their sockets for longer.
    app.httpServer.keepAliveTimeout = 60_000;
    const { url } = await app.listen();
    const started = app;
    return {
      app: started,
      handle: testDb.handle,
      url,
      gql: async (query, variables, headers = {}) => {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ query, variables }),
        });
        return (await response.json()) as GraphQLResponse<any>;
      },
      stop: async () => {
        try {
          await started.stop();
        } finally {
          await testDb.dispose();
        }
      },
    };
  } catch (error) {
    await app?.stop();
    await testDb.dispose();
    throw error;
  }
}
