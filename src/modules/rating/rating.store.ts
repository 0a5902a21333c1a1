import { asc, gt, inArray, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db';
import { merchants, ratingHistory, ratings } from '../../db/schema';
import { rate, type Rating } from '../../domain/rating/v1';
import type { LocalDate } from '../../domain/local-date';
import { loadRatingRecords } from './rating.records';
import { appendEvents } from '../../events/log';
import type { PendingEvent } from '../../events/events';

/** The `rating` events of stored changes (placed in their merchants' regions when appended). */
export function ratingEvents(changes: readonly RatingChange[]): PendingEvent[] {
  return changes.map((change) => ({ type: 'rating' as const, ...change }));
}

/** A stored rating whose score or grade changed (what subscribers are told). */
export interface RatingChange {
  merchantId: string;
  score: number;
  grade: Rating['grade'];
  previousScore: number | null;
  previousGrade: Rating['grade'] | null;
  asOf: LocalDate;
  cause: string;
}

/**
 * Rates the given merchants as of `asOf` and stores the results: the current rating is always
 * replaced; a history row is added only when score or grade changed (or there was none), with
 * the cause. A fixed number of statements, whatever the number of merchants.
 */
export async function storeRatings(
  tx: DbOrTx,
  merchantIds: readonly string[],
  asOf: LocalDate,
  cause: string,
  causeRef: string | null = null,
  computedAt: Date = new Date(),
): Promise<RatingChange[]> {
  if (merchantIds.length === 0) return [];
  const [records, previousRows] = await Promise.all([
    loadRatingRecords(tx, merchantIds),
    tx.select({ merchantId: ratings.merchantId, score: ratings.score, grade: ratings.grade }).from(ratings).where(inArray(ratings.merchantId, [...merchantIds])),
  ]);
  const previous = new Map(previousRows.map((r) => [r.merchantId, r]));
  const current: (typeof ratings.$inferInsert)[] = [];
  const changes: RatingChange[] = [];
  const history: (typeof ratingHistory.$inferInsert)[] = [];
  for (const [merchantId, input] of records) {
    const rating = rate(input, asOf);
    current.push({ merchantId, modelVersion: rating.modelVersion, score: rating.score, grade: rating.grade, asOf, computedAt, factors: rating.factors });
    const before = previous.get(merchantId);
    if (before && Number(before.score) === rating.score && before.grade === rating.grade) continue;
    const change: RatingChange = {
      merchantId,
      score: rating.score,
      grade: rating.grade,
      previousScore: before ? Number(before.score) : null,
      previousGrade: before?.grade ?? null,
      asOf,
      cause,
    };
    changes.push(change);
    history.push({ ...change, modelVersion: rating.modelVersion, computedAt, factors: rating.factors, causeRef });
  }
  for (let i = 0; i < current.length; i += 1000) {
    await tx
      .insert(ratings)
      .values(current.slice(i, i + 1000))
      .onConflictDoUpdate({
        target: ratings.merchantId,
        set: {
          modelVersion: sql`excluded.model_version`,
          score: sql`excluded.score`,
          grade: sql`excluded.grade`,
          asOf: sql`excluded.as_of`,
          computedAt: sql`excluded.computed_at`,
          factors: sql`excluded.factors`,
        },
      });
  }
  for (let i = 0; i < history.length; i += 1000) await tx.insert(ratingHistory).values(history.slice(i, i + 1000));
  return changes;
}

/**
 * Re-rates every merchant as of `asOf` in batches (each batch one transaction of a fixed number of
 * statements); `onBatch` reports progress. Returns how many ratings changed.
 */
export async function recomputeAllRatings(
  db: Db,
  asOf: LocalDate,
  cause: string,
  options: BatchOptions = {},
): Promise<{ merchants: number; changed: number; changes: RatingChange[] }> {
  const changes: RatingChange[] = [];
  const merchantCount = await forEachMerchantBatch(db, options, async (ids) => {
    await db.transaction(async (tx) => {
      const batch = await storeRatings(tx, ids, asOf, cause);
      changes.push(...batch);
      // Subscribers on every node hear of each change (CLI or daily job alike), one wake-up per batch.
      await appendEvents(tx, ratingEvents(batch));
    });
  });
  return { merchants: merchantCount, changed: changes.length, changes };
}

/** A rating computed for a past (or any) day without touching the stored ones. */
export interface PastRating {
  merchantId: string;
  rating: Rating;
}

/**
 * Rates every merchant as of `asOf` in batches and hands each batch to `onRatings`; writes
 * nothing. A rating of another day than today must never replace the current one, so looking
 * back goes through here rather than recomputeAllRatings.
 */
export async function rateAllAsOf(
  db: Db,
  asOf: LocalDate,
  onRatings: (ratings: PastRating[]) => Promise<void> | void,
  options: BatchOptions = {},
): Promise<{ merchants: number }> {
  const merchantCount = await forEachMerchantBatch(db, options, async (ids) => {
    const records = await loadRatingRecords(db, ids);
    await onRatings([...records].map(([merchantId, input]) => ({ merchantId, rating: rate(input, asOf) })));
  });
  return { merchants: merchantCount };
}

interface BatchOptions {
  batchSize?: number;
  onBatch?: (done: number, total: number) => void;
  shouldStop?: () => boolean;
}

/** Walks every merchant id in keyset-ordered batches; returns how many were visited. */
async function forEachMerchantBatch(db: Db, options: BatchOptions, work: (ids: string[]) => Promise<void>): Promise<number> {
  const batchSize = options.batchSize ?? 500;
  const [{ total }] = (await db.select({ total: sql<number>`count(*)::int` }).from(merchants)) as [{ total: number }];
  let after: string | null = null;
  let done = 0;
  // Between batches a stopping server may call it off; the next run picks up where it matters.
  while (!options.shouldStop?.()) {
    const page: { id: string }[] = await db
      .select({ id: merchants.id })
      .from(merchants)
      .where(after ? gt(merchants.id, after) : undefined)
      .orderBy(asc(merchants.id))
      .limit(batchSize);
    if (page.length === 0) break;
    await work(page.map((p) => p.id));
    done += page.length;
    after = page.at(-1)!.id;
    options.onBatch?.(done, Number(total));
  }
  return done;
}
