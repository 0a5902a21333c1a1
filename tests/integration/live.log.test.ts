import postgres from 'postgres';
import { openTestDb, type TestDb } from '../helpers/drivers';
import { runCli, startServerProcess, type ServerProcess } from '../helpers/process';
import { authHeader, TEST_AUTH_SECRET } from '../helpers/server';
import { subscribe, until, type Feed } from '../helpers/ws';

const describePg = process.env.TEST_DATABASE_URL ? describe : describe.skip;

const RATINGS = `subscription ($after: String) { ratingChanged(after: $after) { merchantId cause cursor } }`;
const APPEALS = `subscription ($after: String) { appealUpdated(after: $after) { id externalId cursor } }`;

// The poll is a minute: what a node delivers here it owes to NOTIFY and to catching up after a reconnect or restart.
// A killed listener waits 5 s before it reconnects, so the mutations the test releases right after
// the kill commit while it is deaf, however slow the machine (at 100 ms it could be back first and
// simply hear them: no catch-up to observe).
const nodeEnv = (url: string) => ({ DATABASE_URL: url, AUTH_SECRET: TEST_AUTH_SECRET, SEED_DEMO: 'false', RUN_JOBS: 'false', EVENTS_POLL_MS: '60000', EVENTS_RECONNECT_MS: '5000' });

describePg('the event log across two server processes on one PostgreSQL', () => {
  let testDb: TestDb;
  let admin: postgres.Sql;
  let nodes: ServerProcess[] = [];
  /** Merchants on no dispute channel: enrolling one, or withdrawing it again, changes its rating. */
  let merchantIds: string[];

  beforeAll(async () => {
    testDb = await openTestDb('postgres');
    admin = postgres(testDb.url!, { max: 1, onnotice: () => undefined });
    const rows = await admin`
      select m.id from merchants m
      where not exists (select 1 from dispute_enrollments e where e.merchant_id = m.id and e.ended_at is null)
      order by m.id limit 4`;
    merchantIds = rows.map((r) => r.id as string);
    nodes = await Promise.all([0, 1].map(() => startServerProcess(nodeEnv(testDb.url!), 60_000)));
  }, 120_000);
  afterAll(async () => {
    for (const node of nodes) if (node.child.exitCode === null) await node.stop('SIGTERM');
    await admin?.end();
    await testDb?.dispose();
  });

  const url = (node: ServerProcess) => `http://127.0.0.1:${node.port}/graphql`;
  const ready = async (node: ServerProcess) => (await fetch(`http://127.0.0.1:${node.port}/readyz`)).json() as Promise<any>;
  const asAdmin = async () => (await authHeader({ sub: 'admin', role: 'ADMIN' })).authorization!;
  const post = async (node: ServerProcess, query: string, variables: Record<string, unknown>) => {
    const response = await fetch(url(node), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: await asAdmin() },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as any;
    expect(body.errors).toBeUndefined();
    return body.data;
  };
  const enrolled = new Set<string>();
  /** One rating event: enrols the merchant, or withdraws it if enrolled. */
  const toggle = (node: ServerProcess, id: string) => {
    const enrolling = !enrolled.has(id);
    if (enrolling) enrolled.add(id);
    else enrolled.delete(id);
    return post(
      node,
      enrolling
        ? `mutation ($id: ID!) { enrollOnSettlementPlatform(merchantId: $id) { id } }`
        : `mutation ($id: ID!) { withdrawFromSettlementPlatform(merchantId: $id, reason: "测试") { id } }`,
      { id },
    );
  };
  /** The positions of the log's events of `kind` after `after`, in order. */
  const logged = async (kind: string, after: number) =>
    (await admin`select position from events where kind = ${kind} and position > ${after} order by position`).map((r) => String(r.position));
  const top = async () => Number((await admin`select coalesce(max(position), 0) as p from events`)[0]!.p);
  const cursors = (feed: Feed, field: string) => feed.results.map((r) => r.data?.[field]?.cursor as string);

  it('delivers every event once, in order, to a node whose listener was killed, and to a client resuming there', async () => {
    const [a, b] = nodes as [ServerProcess, ServerProcess];
    const start = await top();
    const feed = subscribe(url(b), RATINGS);
    const early = subscribe(url(b), RATINGS);
    try {
      await until(async () => (await ready(b)).subscriptions?.rating >= 2);
      // Two events before the fault; the resuming client leaves after the first.
      await toggle(a, merchantIds[0]!);
      await early.next(1);
      await early.close();
      const resumeFrom = cursors(early, 'ratingChanged')[0]!;
      await toggle(a, merchantIds[1]!);
      await feed.next(2);

      // Four mutations on A held at the event log's lock (the test holds it), so that they commit
      // the moment B's listener is gone: B hears of them only by catching up when it is back.
      const locker = await admin.reserve();
      let burst: Promise<unknown>;
      try {
        await locker`select pg_advisory_lock(4213000003)`;
        burst = Promise.all(merchantIds.map((id) => toggle(a, id)));
        const waiting = async () =>
          Number(
            (
              await locker`
                select count(*) as n from pg_locks
                where locktype = 'advisory' and objid = 4213000003 and not granted
                  and database = (select oid from pg_database where datname = current_database())`
            )[0]!.n,
          );
        await until(async () => (await waiting()) === 4, 10_000);
        const killed = await locker`
          select pg_terminate_backend(pid, 5000) from pg_stat_activity
          where application_name = ${`merchant-registry-listener-${b.child.pid}`}`;
        expect(killed).toHaveLength(1);
      } finally {
        await locker`select pg_advisory_unlock(4213000003)`;
        locker.release();
      }
      await burst;
      // And a stream of events after it.
      for (let i = 0; i < 6; i++) await toggle(a, merchantIds[i % merchantIds.length]!);

      const expected = await logged('rating', start);
      expect(expected).toHaveLength(12);
      await feed.next(expected.length, 15_000);
      expect(cursors(feed, 'ratingChanged')).toEqual(expected);
      const status = await ready(b);
      expect(status.eventLog).toMatchObject({ lag: 0, lastOutage: { ms: expect.any(Number) } });
      expect(status.eventLog.catchUps).toBeGreaterThanOrEqual(1);
      expect(b.logs.some((l) => l.msg === 'event log catch-up')).toBe(true);

      const resumed = subscribe(url(b), RATINGS, { after: resumeFrom });
      try {
        await resumed.next(expected.length - 1, 10_000);
        await toggle(a, merchantIds[0]!);
        const all = await logged('rating', start);
        await resumed.next(all.length - 1, 10_000);
        expect(cursors(resumed, 'ratingChanged')).toEqual(all.slice(1));
        await feed.next(all.length, 10_000);
        expect(cursors(feed, 'ratingChanged')).toEqual(all);
      } finally {
        await resumed.close();
      }
    } finally {
      await feed.close();
    }
    // A closed socket stops counting at once, with no event to wake its stream.
    await until(async () => (await ready(b)).subscriptions?.rating === 0);
  }, 60_000);

  it('delivers every event once, in order, to a client that resumes on a restarted node', async () => {
    const a = nodes[0]!;
    let b = nodes[1]!;
    const start = await top();
    const feed = subscribe(url(b), RATINGS);
    await until(async () => (await ready(b)).subscriptions?.rating >= 1);
    await toggle(a, merchantIds[0]!);
    await feed.next(1);
    const last = cursors(feed, 'ratingChanged').at(-1)!;
    const stopping = b.stop('SIGTERM');
    // A stream of events while B goes down and comes back.
    const stream = (async () => {
      for (let i = 1; i <= 8; i++) await toggle(a, merchantIds[i % merchantIds.length]!);
    })();
    await stopping;
    await feed.close();
    b = nodes[1] = await startServerProcess(nodeEnv(testDb.url!), 60_000);
    await stream;
    const resumed = subscribe(url(b), RATINGS, { after: last });
    try {
      await until(async () => (await ready(b)).subscriptions?.rating >= 1);
      await toggle(a, merchantIds[0]!);
      const all = await logged('rating', start);
      expect(all).toHaveLength(10);
      await resumed.next(all.length - 1, 15_000);
      expect(cursors(resumed, 'ratingChanged')).toEqual(all.slice(1));
    } finally {
      await resumed.close();
    }
  }, 120_000);

  it('refuses a cursor older than the log keeps with CURSOR_EXPIRED', async () => {
    const b = nodes[1]!;
    await admin`insert into events_pruned (id, through) values (1, 5) on conflict (id) do update set through = 5`;
    try {
      const feed = subscribe(url(b), RATINGS, { after: '4' });
      try {
        await feed.next(1, 5000);
        const error = feed.error() as any;
        expect((Array.isArray(error) ? error[0] : error)?.extensions?.code).toBe('CURSOR_EXPIRED');
      } finally {
        await feed.close();
      }
    } finally {
      await admin`update events_pruned set through = 0`;
    }
  }, 30_000);

  it('announces imports by mutation and by the command line, and a recompute by the command line, on the other node', async () => {
    const [a, b] = nodes as [ServerProcess, ServerProcess];
    const authorization = await asAdmin();
    const start = await top();
    const appealsFeed = subscribe(url(a), APPEALS, {}, authorization);
    const ratingsFeed = subscribe(url(a), RATINGS);
    try {
      await until(async () => {
        const s = (await ready(a)).subscriptions;
        return s?.appeal >= 1 && s?.rating >= 1;
      });
      const { readFileSync } = await import('node:fs');
      const csv = readFileSync('seeds/appeals-sample.csv', 'utf8').replace(/12315-4213-2026-/g, '12315-4213-2026-M');
      const viaMutation = await post(b, `mutation ($csv: String!) { importAppeals(csv: $csv, sourceName: "live-log") { inserted } }`, { csv });
      expect(viaMutation.importAppeals.inserted).toBe(27);

      const viaCli = await runCli('import-appeals', ['seeds/appeals-sample.csv'], { DATABASE_URL: testDb.url! }).exited;
      expect(viaCli.code).toBe(0);
      expect(viaCli.stdout + viaCli.stderr).toMatch(/27 inserted/);

      // A stored rating made stale, so the recompute changes it.
      await admin`update ratings set score = score - 1 where merchant_id = ${merchantIds[3]!}`;
      const recompute = await runCli('recompute-ratings', [], { DATABASE_URL: testDb.url! }).exited;
      expect(recompute.code).toBe(0);

      const appeals = await logged('appeal', start);
      expect(appeals).toHaveLength(54);
      await appealsFeed.next(54, 15_000);
      expect(cursors(appealsFeed, 'appealUpdated')).toEqual(appeals);
      const imported = (await admin`select id from appeals where external_id like '12315-4213-2026-%'`).map((r) => r.id as string);
      expect(new Set(appealsFeed.results.map((r) => r.data.appealUpdated.id))).toEqual(new Set(imported));

      const ratings = await logged('rating', start);
      const [{ n }] = (await admin`
        select count(*)::int as n from rating_history
        where cause in ('appeal.import', 'ratings.recompute') and computed_at > now() - interval '5 minutes'`) as unknown as [{ n: number }];
      expect(ratings.length).toBe(n);
      await ratingsFeed.next(ratings.length, 15_000);
      expect(cursors(ratingsFeed, 'ratingChanged')).toEqual(ratings);
      expect(ratingsFeed.results.map((r) => r.data.ratingChanged)).toContainEqual(
        expect.objectContaining({ merchantId: merchantIds[3], cause: 'ratings.recompute' }),
      );
    } finally {
      await appealsFeed.close();
      await ratingsFeed.close();
    }
  }, 120_000);
});
