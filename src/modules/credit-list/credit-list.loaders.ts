import DataLoader from 'dataloader';
import { asc } from 'drizzle-orm';
import type { Db } from '../../db';
import { anyUuid } from '../../db/any';
import { creditListEntries } from '../../db/schema';
import type { CreditListEntryRow } from './credit-list.type';

/** Per-request: every listing of the requested merchants in one query. */
export function createCreditListLoaders(db: Db) {
  return {
    creditListEntriesByMerchant: new DataLoader<string, CreditListEntryRow[]>(async (ids) => {
      const rows = await db
        .select()
        .from(creditListEntries)
        .where(anyUuid(creditListEntries.merchantId, ids))
        .orderBy(asc(creditListEntries.listedOn), asc(creditListEntries.id));
      return ids.map((id) => rows.filter((row) => row.merchantId === id));
    }),
  };
}
