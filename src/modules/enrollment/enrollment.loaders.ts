import type { Db } from '../../db';
import { waveLoader, type LoadWaves } from '../../common/load-waves';
import { anyUuid } from '../../db/any';
import { disputeEnrollments } from '../../db/schema';
import type { EnrollmentPeriodRow } from './enrollment.type';

/** Per-request DataLoaders of this module; made in createContext, never shared across requests. */
export function createEnrollmentLoaders(db: Db, waves: LoadWaves) {
  return {
    /** Every period of every program of each merchant: one statement for a whole page of merchants. */
    enrollmentPeriodsByMerchant: waveLoader<string, EnrollmentPeriodRow[]>(waves, async (merchantIds) => {
      const rows = await db
        .select()
        .from(disputeEnrollments)
        .where(anyUuid(disputeEnrollments.merchantId, merchantIds));
      const byMerchant = new Map<string, EnrollmentPeriodRow[]>();
      for (const row of rows) {
        const list = byMerchant.get(row.merchantId);
        if (list) list.push(row);
        else byMerchant.set(row.merchantId, [row]);
      }
      return merchantIds.map((id) => byMerchant.get(id) ?? []);
    }),
  };
}

export type EnrollmentLoaders = ReturnType<typeof createEnrollmentLoaders>;
