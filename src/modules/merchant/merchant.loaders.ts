import DataLoader from 'dataloader';
import { inArray } from 'drizzle-orm';
import type { Db } from '../../db';
import { merchants } from '../../db/schema';
import type { MerchantRow } from './merchant.type';

/** Batches merchant look-ups of one request into one query; made per request, never shared. */
export function createMerchantLoaders(db: Db) {
  return {
    merchantById: new DataLoader<string, MerchantRow | null>(async (ids) => {
      const rows = await db.select().from(merchants).where(inArray(merchants.id, [...ids]));
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}

export type MerchantLoaders = ReturnType<typeof createMerchantLoaders>;
