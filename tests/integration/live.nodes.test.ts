import postgres from 'postgres';
import { openTestDb, type TestDb } from '../helpers/drivers';
import { startServerProcess, type ServerProcess } from '../helpers/process';
import { authHeader, TEST_AUTH_SECRET } from '../helpers/server';
import { subscribe, until } from '../helpers/ws';

const describePg = process.env.TEST_DATABASE_URL ? describe : describe.skip;

const RATING = `subscription ($id: ID) { ratingChanged(merchantId: $id) { merchantId score cause } }`;

describePg('subscriptions across two server processes on one PostgreSQL', () => {
  let testDb: TestDb;
  let nodes: ServerProcess[] = [];
  let merchantId: string;

  beforeAll(async () => {
    testDb = await openTestDb('postgres');
    const sql = testDb.handle.sql!;
    // A merchant on no dispute channel, so enrolling changes its rating.
    const [row] = await sql`
      select m.id from merchants m
      where not exists (select 1 from dispute_enrollments e where e.merchant_id = m.id and e.ended_at is null)
      order by m.id limit 1`;
    merchantId = row!.id as string;
    nodes = await Promise.all(
      [0, 1].map(() => startServerProcess(
          // No poll of the log within the test: only NOTIFY (or a reconnect's catch-up) can bring an event.
          { DATABASE_URL: testDb.url!, AUTH_SECRET: TEST_AUTH_SECRET, SEED_DEMO: 'false', RUN_JOBS: 'false', EVENTS_POLL_MS: '600000' },
          60_000,
        )),
    );
  });
  afterAll(async () => {
    for (const node of nodes) if (node.child.exitCode === null) await node.stop('SIGTERM');
    await testDb?.dispose();
  });

  const url = (node: ServerProcess) => `http://127.0.0.1:${node.port}/graphql`;
  const ready = async (node: ServerProcess) => (await fetch(`http://127.0.0.1:${node.port}/readyz`)).json() as Promise<any>;
  const mutate = async (node: ServerProcess, query: string) => {
    const response = await fetch(url(node), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await authHeader({ sub: 'admin', role: 'ADMIN' })) },
      body: JSON.stringify({ query, variables: { id: merchantId } }),
    });
    return (await response.json()) as any;
  };

  it('delivers by NOTIFY an event from a mutation on the other node, and again after the listener is killed', async () => {
    const [a, b] = nodes as [ServerProcess, ServerProcess];
    const feed = subscribe(url(a), RATING, { id: merchantId });
    try {
      await until(async () => (await ready(a)).subscriptions?.rating >= 1);
      const enrolled = await mutate(b, `mutation ($id: ID!) { enrollOnSettlementPlatform(merchantId: $id) { id } }`);
      expect(enrolled.errors).toBeUndefined();
      // How fast is the bench's concern; here, that it comes at all without a poll.
      await feed.next(1, 10_000);
      expect(feed.results[0].data.ratingChanged).toMatchObject({ merchantId, cause: 'enrollment.enroll' });

      // Kill node A's listening connection; it must say so, reconnect, and hear events again.
      const admin = postgres(testDb.url!, { max: 1, onnotice: () => undefined });
      try {
        const killed = await admin`
          select pg_terminate_backend(pid) from pg_stat_activity
          where application_name = ${`merchant-registry-listener-${a.child.pid}`}`;
        expect(killed).toHaveLength(1);
      } finally {
        await admin.end();
      }
      await until(() => a.logs.some((l) => l.msg === 'event listener disconnected'), 5000);
      await until(async () => (await ready(a)).events === 'listening', 15_000);
      expect(a.logs.filter((l) => l.msg === 'event listener connected').length).toBeGreaterThanOrEqual(1);

      const withdrawn = await mutate(b, `mutation ($id: ID!) { withdrawFromSettlementPlatform(merchantId: $id, reason: "测试") { id } }`);
      expect(withdrawn.errors).toBeUndefined();
      await feed.next(2, 10_000);
      expect(feed.results[1].data.ratingChanged).toMatchObject({ merchantId, cause: 'enrollment.withdraw' });
    } finally {
      await feed.close();
    }
  });
});
