import DataLoader from 'dataloader';
import { inArray } from 'drizzle-orm';
import type { Db } from '../../db';
import { ratings } from '../../db/schema';

/** Per-request: the current ratings of the requested merchants in one query. */
export function createRatingLoaders(db: Db) {
  return {
    ratingByMerchant: new DataLoader<string, typeof ratings.$inferSelect | null>(async (ids) => {
      const rows = await db.select().from(ratings).where(inArray(ratings.merchantId, [...ids]));
      const byId = new Map(rows.map((r) => [r.merchantId, r]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}
