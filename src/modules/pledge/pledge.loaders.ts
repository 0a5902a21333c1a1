import { and, asc, desc, inArray } from 'drizzle-orm';
import type { Db } from '../../db';
import { waveLoader, type LoadWaves } from '../../common/load-waves';
import { anyUuid } from '../../db/any';
import { IN_EFFECT_STATUSES } from '../../domain/pledge-period';
import { pledgeAudits, pledgeStatusChanges, returnPledges } from '../../db/schema';
import type { PledgeAuditRow, PledgeRow, PledgeStatusChangeRow } from './pledge.type';

function groupBy<T>(keys: readonly string[], rows: T[], keyOf: (row: T) => string): T[][] {
  const groups = new Map<string, T[]>(keys.map((k) => [k, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((k) => groups.get(k)!);
}

/** Per-request DataLoaders of this module; made in createContext, never shared across requests. */
export function createPledgeLoaders(db: Db, waves: LoadWaves) {
  return {
    pledgeById: waveLoader<string, PledgeRow | null>(waves, async (ids) => {
      const rows = await db.select().from(returnPledges).where(anyUuid(returnPledges.id, ids));
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    }),

    /**
     * The pledge each merchant has in effect by its stored status (ACTIVE or SUSPENDED; the
     * partial unique index allows at most one). Whether its date has passed is for the reader.
     */
    pledgeInEffectByMerchant: waveLoader<string, PledgeRow | null>(waves, async (merchantIds) => {
      const rows = await db
        .select()
        .from(returnPledges)
        .where(and(inArray(returnPledges.merchantId, [...merchantIds]), inArray(returnPledges.status, [...IN_EFFECT_STATUSES])));
      const byMerchant = new Map(rows.map((row) => [row.merchantId, row]));
      return merchantIds.map((id) => byMerchant.get(id) ?? null);
    }),

    /** Every pledge of each merchant, newest first. */
    pledgesByMerchant: waveLoader<string, PledgeRow[]>(waves, async (merchantIds) => {
      const rows = await db
        .select()
        .from(returnPledges)
        .where(anyUuid(returnPledges.merchantId, merchantIds))
        .orderBy(desc(returnPledges.createdAt), desc(returnPledges.id));
      return groupBy(merchantIds, rows, (row) => row.merchantId);
    }),

    /** Status history of each pledge, oldest first. */
    pledgeHistory: waveLoader<string, PledgeStatusChangeRow[]>(waves, async (pledgeIds) => {
      const rows = await db
        .select()
        .from(pledgeStatusChanges)
        .where(anyUuid(pledgeStatusChanges.pledgeId, pledgeIds))
        .orderBy(asc(pledgeStatusChanges.at), asc(pledgeStatusChanges.id));
      return groupBy(pledgeIds, rows, (row) => row.pledgeId);
    }),

    /** Audits of each pledge, newest first. */
    pledgeAudits: waveLoader<string, PledgeAuditRow[]>(waves, async (pledgeIds) => {
      const rows = await db
        .select()
        .from(pledgeAudits)
        .where(anyUuid(pledgeAudits.pledgeId, pledgeIds))
        .orderBy(desc(pledgeAudits.auditedOn), desc(pledgeAudits.createdAt), desc(pledgeAudits.id));
      return groupBy(pledgeIds, rows, (row) => row.pledgeId);
    }),
  };
}

export type PledgeLoaders = ReturnType<typeof createPledgeLoaders>;
