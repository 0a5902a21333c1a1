import DataLoader from 'dataloader';
import { getTableColumns, inArray } from 'drizzle-orm';
import type { Db } from '../../db';
import { ratings } from '../../db/schema';

export type RatingRow = typeof ratings.$inferSelect;
/** A stored rating without its factors: what score and grade need, a few bytes instead of kilobytes. */
export type RatingSummaryRow = Omit<RatingRow, 'factors'>;

const { factors: _factors, ...summaryColumns } = getTableColumns(ratings);
/** The columns of a RatingSummaryRow, for queries that join the rating to what they read. */
export const RATING_SUMMARY_COLUMNS = summaryColumns;

function byMerchant<T extends { merchantId: string }>(ids: readonly string[], rows: T[]): (T | null)[] {
  const byId = new Map(rows.map((r) => [r.merchantId, r]));
  return ids.map((id) => byId.get(id) ?? null);
}

/** Per-request: the current ratings of the requested merchants in one query. */
export function createRatingLoaders(db: Db) {
  return {
    ratingByMerchant: new DataLoader<string, RatingRow | null>(async (ids) =>
      byMerchant(ids, await db.select().from(ratings).where(inArray(ratings.merchantId, [...ids]))),
    ),
    /** The same without factors, for selections that do not ask for them. */
    ratingSummaryByMerchant: new DataLoader<string, RatingSummaryRow | null>(async (ids) =>
      byMerchant(ids, await db.select(RATING_SUMMARY_COLUMNS).from(ratings).where(inArray(ratings.merchantId, [...ids]))),
    ),
  };
}
