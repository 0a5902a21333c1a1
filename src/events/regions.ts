import { inArray } from 'drizzle-orm';
import type { DbOrTx } from '../db';
import { merchants } from '../db/schema';
import type { PendingEvent, RegistryEvent } from './events';

/**
 * Gives each pending event the region it is filed under: its own, or its merchant's (one query
 * for all). Events that end up without a region reach no subscriber and are dropped. The one
 * place events are placed: after a mutation and after the daily re-rating alike.
 */
export async function placeEvents(db: DbOrTx, pending: readonly PendingEvent[]): Promise<RegistryEvent[]> {
  const missing = [...new Set(pending.flatMap((e) => (!e.regionCode && e.merchantId ? [e.merchantId] : [])))];
  const regions = new Map<string, string>();
  if (missing.length) {
    const rows = await db.select({ id: merchants.id, regionCode: merchants.regionCode }).from(merchants).where(inArray(merchants.id, missing));
    for (const row of rows) regions.set(row.id, row.regionCode);
  }
  return pending
    .map((e) => ({ ...e, regionCode: e.regionCode ?? (e.merchantId ? regions.get(e.merchantId) : undefined) }))
    .filter((e): e is RegistryEvent => typeof e.regionCode === 'string');
}
