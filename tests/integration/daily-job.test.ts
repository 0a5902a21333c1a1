import postgres from 'postgres';
import { eq, sql } from 'drizzle-orm';
import { ratings, returnPledges } from '../../src/db/schema';
import { runDailyJob } from '../../src/jobs/daily';
import { createLogger } from '../../src/logger';
import { addDays } from '../../src/domain/calendar';
import { shanghaiToday } from '../../src/domain/local-date';
import { drivers, openTestDb, type TestDb } from '../helpers/drivers';
import type { EventBus } from '../../src/events/bus';
import type { RegistryEvent } from '../../src/events/events';
import { lastPosition, prunedThrough, readEvents } from '../../src/events/log';
import { events } from '../../src/db/schema';

const log = createLogger('silent');

describe.each(drivers)('the daily job on %s', (driver) => {
  let testDb: TestDb;

  beforeAll(async () => {
    testDb = await openTestDb(driver);
  });
  afterAll(async () => {
    await testDb?.dispose();
  });

  it('re-rates nothing when every rating is already as of the day, but still expires the pledges due', async () => {
    const db = testDb.handle.db;
    const today = shanghaiToday();
    // The seed may leave a pledge due today: the first run expires it, without re-rating everyone.
    expect(await runDailyJob(testDb.handle, log, today)).toMatchObject({ asOf: today, merchants: 0, ratingsChanged: 0 });
    expect(await runDailyJob(testDb.handle, log, today)).toEqual({ asOf: today, expiredPledges: 0, merchants: 0, ratingsChanged: 0, prunedEvents: 0 });
    const [pledge] = await db.select().from(returnPledges).where(eq(returnPledges.status, 'ACTIVE')).limit(1);
    await db.update(returnPledges).set({ expiresOn: today }).where(eq(returnPledges.id, pledge!.id));
    expect(await runDailyJob(testDb.handle, log, today)).toMatchObject({ expiredPledges: 1, merchants: 0 });
    const [after] = await db.select().from(returnPledges).where(eq(returnPledges.id, pledge!.id));
    expect(after!.status).toBe('EXPIRED');
  });

  it('expires pledges past their date, re-rates every merchant for the next day and announces the changes', async () => {
    const db = testDb.handle.db;
    const tomorrow = addDays(shanghaiToday(), 1);
    const [pledge] = await db.select().from(returnPledges).where(eq(returnPledges.status, 'ACTIVE')).limit(1);
    await db.update(returnPledges).set({ expiresOn: shanghaiToday() }).where(eq(returnPledges.id, pledge!.id));
    const start = await lastPosition(db);
    let woken = 0;
    const bus = { wake: () => void woken++ } as unknown as EventBus;
    const run = await runDailyJob(testDb.handle, log, tomorrow, () => false, bus);
    const published: RegistryEvent[] = await readEvents(db, start, 100_000);
    expect(woken).toBeGreaterThan(0);
    // Every change of score or grade is in the event log once, the pledge's expiry too.
    expect(published.filter((e) => e.type === 'rating' && e.cause === 'ratings.daily')).toHaveLength(run!.ratingsChanged);
    expect(run!.ratingsChanged).toBeGreaterThan(0);
    expect(published.some((e) => e.type === 'pledge' && e.pledgeId === pledge!.id)).toBe(true);
    expect(run).toMatchObject({ asOf: tomorrow, expiredPledges: 1 });
    expect(run!.merchants).toBeGreaterThan(2000);
    const [after] = await db.select().from(returnPledges).where(eq(returnPledges.id, pledge!.id));
    expect(after!.status).toBe('EXPIRED');
    const [{ n }] = (await db.select({ n: sql<number>`count(*)::int` }).from(ratings).where(sql`${ratings.asOf} <> ${tomorrow}::date`)) as [{ n: number }];
    expect(Number(n)).toBe(0);
  });

  it('prunes the event log past its retention, a prefix of it, and remembers how far', async () => {
    const db = testDb.handle.db;
    const start = await lastPosition(db);
    const old = new Date(Date.now() - 10 * 86_400_000);
    const rows = await db
      .insert(events)
      .values([0, 1, 2].map((i) => ({ kind: 'pledge', regionCode: '421303', payload: { type: 'pledge', pledgeId: `p${i}` }, createdAt: i < 2 ? old : new Date() })))
      .returning({ position: events.position });
    const run = await runDailyJob(testDb.handle, log, shanghaiToday(), () => false, undefined, 7);
    expect(run!.prunedEvents).toBeGreaterThanOrEqual(2);
    // Everything up to the newest old row is gone (a prefix), the recent row stays.
    expect(await prunedThrough(db)).toBe(rows[1]!.position);
    expect((await readEvents(db, start, 10)).map((e) => e.position)).toEqual([rows[2]!.position]);
  });

  if (driver === 'postgres') {
    it('is skipped by a node while another node holds its lock', async () => {
      const other = postgres(testDb.url!, { max: 1, onnotice: () => {} });
      try {
        await other`select pg_advisory_lock(4213000002)`;
        expect(await runDailyJob(testDb.handle, log, addDays(shanghaiToday(), 2))).toBeNull();
        await other`select pg_advisory_unlock(4213000002)`;
        expect(await runDailyJob(testDb.handle, log, addDays(shanghaiToday(), 2))).not.toBeNull();
      } finally {
        await other.end();
      }
    });
  }
});
