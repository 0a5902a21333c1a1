import { sql } from 'drizzle-orm';
import type { EventBus } from '../events/bus';
import { pruneEvents } from '../events/log';
import type { DbHandle } from '../db';
import type { Logger } from '../logger';
import { shanghaiToday, type LocalDate } from '../domain/local-date';
import { createContext } from '../context';
import { systemViewer } from '../auth/viewer';
import { recomputeAllRatings, type RatingChange } from '../modules/rating/rating.store';
import { rowsOf } from '../db/rows';
import { drainRatingQueue } from '../modules/rating/rating.queue';

/** Advisory lock of the daily job: one node runs it, the others skip. */
const DAILY_LOCK_KEY = 4_213_000_002;
/** 00:10 in Asia/Shanghai (UTC+8, no daylight saving) is 16:10 UTC the day before. */
const RUN_AT_UTC_MINUTES = 16 * 60 + 10;

/** Milliseconds from `now` until the next 00:10 Asia/Shanghai. */
export function msUntilNextRun(now: Date): number {
  const next = new Date(now);
  next.setUTCHours(0, RUN_AT_UTC_MINUTES, 0, 0);
  if (next.getTime() <= now.getTime()) next.setUTCDate(next.getUTCDate() + 1);
  return next.getTime() - now.getTime();
}

/**
 * Holds the daily job's advisory lock while `work` runs; resolves `null` without running it when
 * another node holds the lock. PGlite serves one process, so it needs no lock.
 */
async function withDailyLock<T>(handle: DbHandle, work: () => Promise<T>): Promise<T | null> {
  if (!handle.sql) return work();
  const reserved = await handle.sql.reserve();
  try {
    const [row] = await reserved`select pg_try_advisory_lock(${DAILY_LOCK_KEY}) as locked`;
    if (!row?.locked) return null;
    try {
      return await work();
    } finally {
      await reserved`select pg_advisory_unlock(${DAILY_LOCK_KEY})`;
    }
  } finally {
    reserved.release();
  }
}

export interface DailyRun {
  asOf: LocalDate;
  expiredPledges: number;
  merchants: number;
  ratingsChanged: number;
  /** Events older than the retention removed from the event log. */
  prunedEvents: number;
}

/**
 * The daily work: expire pledges whose date has come, then re-rate every merchant for `asOf`
 * (records age even when nothing happens), then prune the event log past `eventRetentionDays`. Expiry always runs; the re-rating is skipped when every
 * rating is already as of `asOf` (a restart, a recompute or a fresh seed the same day). Null when
 * another node holds the lock.
 */
export async function runDailyJob(
  handle: DbHandle,
  log: Logger,
  asOf: LocalDate = shanghaiToday(),
  shouldStop: () => boolean = () => false,
  events?: EventBus,
  eventRetentionDays = 7,
): Promise<DailyRun | null> {
  return withDailyLock(handle, async () => {
    const started = Date.now();
    const context = createContext({ db: handle.db, log, events }, systemViewer('job:daily'));
    // Expiry re-rates the merchants it touches in its own transaction, so it never waits on ageing.
    const expired = await context.services.pledges.expireDuePledges(asOf);
    const [stale] = rowsOf<{ n: number }>(
      await handle.db.execute(sql`
        select count(*)::int as n from merchants m left join ratings r on r.merchant_id = m.id
        where r.merchant_id is null or r.as_of < ${asOf}::date`),
    );
    let aged = { merchants: 0, changed: 0, changes: [] as RatingChange[] };
    if (stale && Number(stale.n) > 0) aged = await recomputeAllRatings(handle.db, asOf, 'ratings.daily', { shouldStop });
    // Merchants queued by an import that did not get to re-rate them (killed, or failed).
    const queued = shouldStop() ? [] : await drainRatingQueue(handle.db, { cause: 'ratings.queue', asOf, events });
    aged = { ...aged, changed: aged.changed + queued.length };
    // Ageing changes ratings too: recomputeAllRatings and the drain wrote their events to the log.
    if (aged.changes.length) events?.wake();
    const prunedEvents = await pruneEvents(handle.db, eventRetentionDays);
    const run = { asOf, expiredPledges: expired.length, merchants: aged.merchants, ratingsChanged: aged.changed, prunedEvents };
    log.info({ ...run, ms: Date.now() - started }, 'daily job done');
    return run;
  });
}

/** Runs the daily job now (to catch up after downtime) and then every day at 00:10 Shanghai. */
export function scheduleDailyJob(handle: DbHandle, log: Logger, events?: EventBus, eventRetentionDays = 7): { stop(): Promise<void> } {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  const run = () => {
    running = runDailyJob(handle, log, shanghaiToday(), () => stopped, events, eventRetentionDays).catch((error: unknown) => {
      if (!stopped) log.error({ err: error }, 'daily job failed');
    });
    return running;
  };
  const arm = () => {
    timer = setTimeout(() => void run().finally(() => !stopped && arm()), msUntilNextRun(new Date()));
    timer.unref();
  };
  const first = setImmediate(() => void run());
  arm();
  return {
    /** Cancels future runs and waits for one in progress (the database must outlive it). */
    async stop() {
      stopped = true;
      clearImmediate(first);
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
