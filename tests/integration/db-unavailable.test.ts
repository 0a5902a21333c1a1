import { eq, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { createApp, type App } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createDb, type DbHandle } from '../../src/db';
import { databaseFault } from '../../src/db/faults';
import { merchants } from '../../src/db/schema';
import { auditCount, plainMerchants, rowsOf } from '../helpers/fixtures';
import { authHeader, startTestServer, TEST_AUTH_SECRET, type TestServer } from '../helpers/server';
import { openTestDb, type TestDb } from '../helpers/drivers';

const ADMIN = { sub: 'admin-unavailable', role: 'ADMIN' as const };
const CONTACT = `mutation ($input: UpdateMerchantContactInput!) { updateMerchantContact(input: $input) { id contactName } }`;

async function post(url: string, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as { data?: Record<string, unknown> | null; errors?: { extensions?: Record<string, unknown> }[] } };
}

// Needs no database server: the app is given a PostgreSQL client whose server refuses connections.
describe('a database that refuses connections', () => {
  let app: App;
  let url: string;
  let handle: DbHandle;

  beforeAll(async () => {
    handle = await createDb({ databaseUrl: 'postgres://registry@127.0.0.1:1/unreachable', maxConnections: 2 });
    const config = loadConfig({ NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: process.env.LOG_LEVEL, AUTH_SECRET: TEST_AUTH_SECRET });
    // Without `sql`/`url` the app keeps events in process instead of LISTENing on the dead server.
    app = await createApp({ config, db: { ...handle, sql: undefined, url: undefined } });
    ({ url } = await app.listen());
  });
  afterAll(async () => {
    await app?.stop();
    await handle?.close();
  });

  it('answers a read that failed as a whole with HTTP 503, Retry-After and a retryable SERVICE_UNAVAILABLE, never INTERNAL', async () => {
    const { status, retryAfter, body } = await post(url, `{ merchants(first: 1) { totalCount } }`);
    expect(status).toBe(503);
    expect(retryAfter).toBe('1');
    expect(body.data ?? null).toBeNull();
    expect(body.errors!.map((e) => e.extensions)).toEqual([{ code: 'SERVICE_UNAVAILABLE', retryable: true }]);
    // The read was sent twice: once, and once more after the connection error.
    expect(handle.poolStats!().readsRetried).toBeGreaterThanOrEqual(1);
  });

  it('answers a mutation the same way, without retrying it', async () => {
    const retriedBefore = handle.poolStats!().readsRetried;
    const { status, body } = await post(
      url,
      CONTACT,
      { input: { merchantId: '00000000-0000-4000-8000-000000000000', contactName: '张三' } },
      await authHeader(ADMIN),
    );
    expect(status).toBe(503);
    expect(body.errors!.map((e) => e.extensions?.code)).toEqual(['SERVICE_UNAVAILABLE']);
    expect(handle.poolStats!().readsRetried).toBe(retriedBefore);
  });

  it('keeps HTTP 200 when part of the request was answered', async () => {
    const { status, body } = await post(url, `{ __typename merchant(id: "00000000-0000-4000-8000-000000000000") { id } }`);
    expect(status).toBe(200);
    expect(body.data).toEqual({ __typename: 'Query', merchant: null });
    expect(body.errors!.map((e) => e.extensions?.code)).toEqual(['SERVICE_UNAVAILABLE']);
  });

  it('reports the pool and its connection errors on /readyz (503)', async () => {
    const response = await fetch(url.replace('/graphql', '/readyz'));
    expect(response.status).toBe(503);
    const body = (await response.json()) as { pool: { max: number; connectionErrors: { total: number; lastCode: string } } };
    expect(body.pool.max).toBe(2);
    expect(body.pool.connectionErrors.total).toBeGreaterThanOrEqual(3);
    expect(body.pool.connectionErrors.lastCode).toBe('ECONNREFUSED');
  });
});

// Terminating backends and server-side timeouts need PostgreSQL.
const describePg = process.env.TEST_DATABASE_URL ? describe : describe.skip;

describePg('connection settings and lost connections (postgres only: statement_timeout and pg_terminate_backend)', () => {
  let testDb: TestDb;
  let admin: postgres.Sql;

  beforeAll(async () => {
    testDb = await openTestDb('postgres', { empty: true });
    admin = postgres(testDb.url!, { max: 1, onnotice: () => {} });
  });
  afterAll(async () => {
    await admin?.end();
    await testDb?.dispose();
  });

  it('sets statement_timeout and idle_in_transaction_session_timeout on every connection, and a statement past it fails as a timeout', async () => {
    const handle = await createDb({ databaseUrl: testDb.url, maxConnections: 2, statementTimeoutMs: 300, idleInTransactionTimeoutMs: 1500 });
    try {
      const settings = await handle.db.execute(sql`select current_setting('statement_timeout') as st, current_setting('idle_in_transaction_session_timeout') as it`);
      expect(rowsOf(settings)).toEqual([{ st: '300ms', it: '1500ms' }]);
      const error = await handle.db.execute(sql`select pg_sleep(2)`).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(databaseFault(error)).toEqual({ kind: 'timeout', code: '57014' });
    } finally {
      await handle.close();
    }
  });

  it('turns JIT compilation off on every connection, whatever the server default', async () => {
    await admin`alter database ${admin(testDb.url!.split('/').pop()!)} set jit = on`;
    const handle = await createDb({ databaseUrl: testDb.url, maxConnections: 2 });
    try {
      const settings = await Promise.all([0, 1].map(async () => rowsOf<{ jit: string }>(await handle.db.execute(sql`select current_setting('jit') as jit, pg_sleep(0.05)`))[0]!.jit));
      expect(settings).toEqual(['off', 'off']);
    } finally {
      await handle.close();
    }
  });

  it('answers a read whose connection was just terminated, by sending it once more', async () => {
    const handle = await createDb({ databaseUrl: testDb.url, maxConnections: 1 });
    try {
      const pid = async () => Number(rowsOf<{ pid: number }>(await handle.db.execute(sql`select pg_backend_pid() as pid`))[0]!.pid);
      // The kill races the next read; a few rounds make sure some read meets the dead connection.
      for (let round = 0; round < 10 && handle.poolStats!().readsRetried === 0; round++) {
        await admin`select pg_terminate_backend(${await pid()})`;
        await expect(pid()).resolves.toBeGreaterThan(0);
      }
      expect(handle.poolStats!().readsRetried).toBeGreaterThanOrEqual(1);
    } finally {
      await handle.close();
    }
  });
});

describePg('a mutation whose connection is terminated mid-transaction (postgres only)', () => {
  let server: TestServer;
  let locker: postgres.Sql;

  beforeAll(async () => {
    server = await startTestServer('postgres');
    locker = postgres(server.handle.url!, { max: 2, onnotice: () => {}, connection: { application_name: 'faults-test-locker' } });
  });
  afterAll(async () => {
    await locker?.end();
    await server?.stop();
  });

  it('rolls back what it had written and answers SERVICE_UNAVAILABLE with HTTP 503', async () => {
    const [merchant] = await plainMerchants(server.handle.db, '421303', 1);
    const auditsBefore = await auditCount(server.handle.db);
    const reserved = await locker.reserve();
    try {
      // The mutation updates the merchant, then waits here to write its audit row.
      await reserved`begin`;
      await reserved`lock table audit_log in share mode`;
      const answer = post(server.url, CONTACT, { input: { merchantId: merchant!.id, contactName: '应回滚' } }, await authHeader(ADMIN));
      let victim: number | undefined;
      for (let i = 0; i < 100 && !victim; i++) {
        const rows = await locker`
          select pid from pg_stat_activity
          where datname = current_database() and application_name = 'merchant-registry' and wait_event_type = 'Lock'`;
        victim = rows[0]?.pid as number | undefined;
        if (!victim) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(victim).toBeDefined();
      await locker`select pg_terminate_backend(${victim!})`;
      const { status, body } = await answer;
      expect(status).toBe(503);
      expect(body.errors!.map((e) => e.extensions)).toEqual([{ code: 'SERVICE_UNAVAILABLE', retryable: true }]);
    } finally {
      await reserved`rollback`;
      reserved.release();
    }
    const [after] = await server.handle.db.select({ contactName: merchants.contactName }).from(merchants).where(eq(merchants.id, merchant!.id));
    expect(after!.contactName).toBe(merchant!.contactName);
    expect(await auditCount(server.handle.db)).toBe(auditsBefore);
  });
});
