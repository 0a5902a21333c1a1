import { asc } from 'drizzle-orm';
import type { Db } from '../../db';
import { waveLoader, type LoadWaves } from '../../common/load-waves';
import { anyUuid } from '../../db/any';
import { creditListEntries } from '../../db/schema';
import type { CreditListEntryRow } from './credit-list.type';

/** Per-request: every listing of the requested merchants in one query. */
export function createCreditListLoaders(db: Db, waves: LoadWaves) {
  return {
    creditListEntriesByMerchant: waveLoader<string, CreditListEntryRow[]>(waves, async (ids) => {
      const rows = await db
        .select()
        .from(creditListEntries)
        .where(anyUuid(creditListEntries.merchantId, ids))
        .orderBy(asc(creditListEntries.listedOn), asc(creditListEntries.id));
      return ids.map((id) => rows.filter((row) => row.merchantId === id));
    }),
  };
}
