import { asc, desc, gt, sql } from 'drizzle-orm';
import { anyUuid } from '../../db/any';
import type { Db, DbOrTx } from '../../db';
import { merchants, ratingHistory, ratings } from '../../db/schema';
import { factorsDigest } from '../../domain/rating/digest';
import { rateInputs, type Rating } from '../../domain/rating/v1';
import type { LocalDate } from '../../domain/local-date';
import { loadRatingInputs, type MerchantScope } from './rating.inputs';
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

/** A merchant's rating as the model computed it, before it is stored. */
export interface RatedMerchant {
  merchantId: string;
  rating: Rating;
}

/** Why ratings are being stored: the mutation or job, as recorded in the history. */
export interface RatingCause {
  cause: string;
  causeRef?: string | null;
  computedAt?: Date;
}

/** Rates the merchants of `scope` as of `asOf` from their aggregated inputs (a fixed number of statements). */
export async function rateMerchants(db: DbOrTx, scope: MerchantScope, asOf: LocalDate): Promise<RatedMerchant[]> {
  const inputs = await loadRatingInputs(db, scope, asOf);
  return [...inputs].map(([merchantId, input]) => ({ merchantId, rating: rateInputs(input) }));
}

/**
 * The one place current ratings and their history are written. A rating whose model version,
 * score, grade and factors (compared by their digest) equal the stored one is not rewritten (only
 * its `as_of` moves on, in one statement for all of them); the others replace the stored row; a
 * history row is added only when score or grade changed (or there was none), with the cause.
 * Returns the ratings whose score or grade changed (what subscribers are told). A fixed number of
 * statements per 1,000 ratings.
 */
export async function storeRatings(tx: DbOrTx, rated: readonly RatedMerchant[], why: RatingCause): Promise<RatingChange[]> {
  if (rated.length === 0) return [];
  const computedAt = why.computedAt ?? new Date();
  const previousRows = await tx
    .select({ merchantId: ratings.merchantId, modelVersion: ratings.modelVersion, score: ratings.score, grade: ratings.grade, asOf: ratings.asOf, factorsDigest: ratings.factorsDigest })
    .from(ratings)
    .where(anyUuid(ratings.merchantId, rated.map((r) => r.merchantId)));
  const previous = new Map(previousRows.map((r) => [r.merchantId, r]));
  const current: (typeof ratings.$inferInsert)[] = [];
  const changes: RatingChange[] = [];
  const history: (typeof ratingHistory.$inferInsert)[] = [];
  const moved = new Map<LocalDate, string[]>();
  for (const { merchantId, rating } of rated) {
    const { asOf } = rating;
    const before = previous.get(merchantId);
    const sameScore = before !== undefined && Number(before.score) === rating.score && before.grade === rating.grade;
    const digest = factorsDigest(rating.factors);
    if (sameScore && before.modelVersion === rating.modelVersion && before.factorsDigest === digest) {
      if (before.asOf !== asOf) {
        // Pushed, not copied: on the day's first recompute every merchant's as_of moves.
        const ids = moved.get(asOf);
        if (ids) ids.push(merchantId);
        else moved.set(asOf, [merchantId]);
      }
      continue;
    }
    current.push({ merchantId, modelVersion: rating.modelVersion, score: rating.score, grade: rating.grade, asOf, computedAt, factors: rating.factors, factorsDigest: digest });
    if (sameScore) continue;
    const change: RatingChange = {
      merchantId,
      score: rating.score,
      grade: rating.grade,
      previousScore: before ? Number(before.score) : null,
      previousGrade: before?.grade ?? null,
      asOf,
      cause: why.cause,
    };
    changes.push(change);
    history.push({ ...change, modelVersion: rating.modelVersion, computedAt, factors: rating.factors, causeRef: why.causeRef ?? null });
  }
  for (const [asOf, ids] of moved) {
    for (let i = 0; i < ids.length; i += 5000) {
      await tx.update(ratings).set({ asOf, computedAt }).where(anyUuid(ratings.merchantId, ids.slice(i, i + 5000)));
    }
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
          factorsDigest: sql`excluded.factors_digest`,
        },
      });
  }
  for (let i = 0; i < history.length; i += 1000) await tx.insert(ratingHistory).values(history.slice(i, i + 1000));
  return changes;
}

/**
 * Re-rates the given merchants as of `asOf` and stores the results (see storeRatings): what a
 * mutation's hook and the rating queue run. The cost depends on neither the number of other
 * merchants nor the length of these merchants' histories.
 */
export async function rerateMerchants(
  tx: DbOrTx,
  merchantIds: readonly string[],
  asOf: LocalDate,
  cause: string,
  causeRef: string | null = null,
  computedAt: Date = new Date(),
): Promise<RatingChange[]> {
  if (merchantIds.length === 0) return [];
  return storeRatings(tx, await rateMerchants(tx, { ids: [...new Set(merchantIds)] }, asOf), { cause, causeRef, computedAt });
}

/**
 * Re-rates every merchant as of `asOf`, set-based: the merchants are walked in ranges of ids
 * (`batchSize`, default 5,000), each range's inputs gathered by a fixed number of aggregate
 * statements, rated in memory and written (only what changed) in the range's transaction, the
 * next range read meanwhile, so memory stays bounded whatever the size. `onBatch` reports
 * progress. Returns the changes.
 */
export async function recomputeAllRatings(
  db: Db,
  asOf: LocalDate,
  cause: string,
  options: BatchOptions = {},
): Promise<{ merchants: number; changed: number; changes: RatingChange[] }> {
  const changes: RatingChange[] = [];
  const computedAt = new Date();
  const merchantCount = await forEachMerchantRange(
    db,
    options,
    // The inputs are read through the pool, so their statements run on several connections at
    // once (inside a transaction they would queue on one; under READ COMMITTED each statement
    // has its own snapshot either way). A mutation meanwhile re-rates its merchant itself.
    (scope) => rateMerchants(db, scope, asOf),
    async (rated) => {
      await db.transaction(async (tx) => {
        const batch = await storeRatings(tx, rated, { cause, computedAt });
        changes.push(...batch);
        // Subscribers on every node hear of each change (CLI or daily job alike), one wake-up per batch.
        await appendEvents(tx, ratingEvents(batch));
      });
      return rated.length;
    },
  );
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
  const merchantCount = await forEachMerchantRange(
    db,
    options,
    (scope) => rateMerchants(db, scope, asOf),
    async (rated) => {
      await onRatings(rated);
      return rated.length;
    },
  );
  return { merchants: merchantCount };
}

interface BatchOptions {
  batchSize?: number;
  onBatch?: (done: number, total: number) => void;
  shouldStop?: () => boolean;
}

/**
 * Walks the merchants in ranges of ids of `batchSize` (keyset order: each range's upper id is one
 * index lookup). `load` reads and rates a range; `handle` writes or hands on what it gave and says
 * how many merchants it held. The next range is loaded while the current one is handled, so the
 * database's reads overlap Node's rating and the writes; at most two ranges are held. Returns the total.
 */
async function forEachMerchantRange<T>(db: Db, options: BatchOptions, load: (scope: MerchantScope) => Promise<T>, handle: (loaded: T) => Promise<number>): Promise<number> {
  const batchSize = options.batchSize ?? 5000;
  const [{ total }] = (await db.select({ total: sql<number>`count(*)::int` }).from(merchants)) as [{ total: number }];
  let after: string | null = null;
  const nextRange = async (): Promise<MerchantScope | null> => {
    const [bound]: { id: string }[] = await db
      .select({ id: merchants.id })
      .from(merchants)
      .where(after ? gt(merchants.id, after) : undefined)
      .orderBy(asc(merchants.id))
      .offset(batchSize - 1)
      .limit(1);
    const upTo: string | undefined =
      bound?.id ??
      (
        await db
          .select({ id: merchants.id })
          .from(merchants)
          .where(after ? gt(merchants.id, after) : undefined)
          .orderBy(desc(merchants.id))
          .limit(1)
      )[0]?.id;
    if (upTo === undefined) return null;
    const scope = { after, upTo };
    after = upTo;
    return scope;
  };
  let done = 0;
  const first = await nextRange();
  let loading: Promise<T> | null = first ? load(first) : null;
  try {
    // Between ranges a stopping server may call it off; the next run picks up where it matters.
    while (loading && !options.shouldStop?.()) {
      const loaded = await loading;
      loading = null;
      const next = await nextRange();
      loading = next ? load(next) : null;
      done += await handle(loaded);
      options.onBatch?.(done, Number(total));
    }
  } finally {
    // A range loaded ahead and never handled (stopped, or the handling failed) must not fail unheard.
    loading?.catch(() => {});
  }
  return done;
}
