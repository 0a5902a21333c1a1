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
    expect(await runDailyJob(testDb.handle, log, today)).toEqual({ asOf: today, expiredPledges: 0, merchants: 0, ratingsChanged: 0 });
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
    const published: RegistryEvent[] = [];
    const bus = { publish: async (events: RegistryEvent[]) => void published.push(...events) } as unknown as EventBus;
    const run = await runDailyJob(testDb.handle, log, tomorrow, () => false, bus);
    // Every change of score or grade is announced once, the pledge's expiry too.
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
