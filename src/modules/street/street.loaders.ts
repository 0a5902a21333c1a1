import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db';
import { waveLoader, type LoadWaves } from '../../common/load-waves';
import { anyUuid } from '../../db/any';
import { rowsOf } from '../../db/rows';
import { demonstrationStreetMembers, demonstrationStreets, merchants } from '../../db/schema';
import { HANDLED_COMPLAINT_STATUSES } from '../../domain/appeal-workflow';
import { statusInSql } from '../../domain/appeal-workflow.sql';
import { shanghaiToday } from '../../domain/local-date';
import { activeOnSql } from '../../domain/pledge-period.sql';
import type { DemonstrationStreetRow } from './street.type';

/** The pledge columns of the `p` alias in the member flags query. */
const PLEDGE_ALIAS = { status: sql.raw('p.status'), effectiveFrom: sql.raw('p.effective_from'), expiresOn: sql.raw('p.expires_on') };

/** What a street's targets are computed from, for one current member (today, Asia/Shanghai). */
export interface MemberFlags {
  merchant_id: string;
  enrolled: boolean;
  pledge_displayed: boolean;
  complaints: number;
  handled: number;
}

function groupBy<T>(keys: readonly string[], rows: readonly T[], keyOf: (row: T) => string): T[][] {
  const groups = new Map<string, T[]>(keys.map((k) => [k, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((k) => groups.get(k)!);
}

/** Per-request loaders of streets and their members, one statement per kind for all streets asked about. */
export function createStreetLoaders(db: Db, waves: LoadWaves) {
  return {
    currentStreetsByMerchant: waveLoader<string, DemonstrationStreetRow[]>(waves, async (ids) => {
      const rows = await db
        .select({ merchantId: demonstrationStreetMembers.merchantId, street: demonstrationStreets })
        .from(demonstrationStreetMembers)
        .innerJoin(demonstrationStreets, eq(demonstrationStreets.id, demonstrationStreetMembers.streetId))
        .where(and(anyUuid(demonstrationStreetMembers.merchantId, ids), isNull(demonstrationStreetMembers.leftOn)));
      return groupBy(ids, rows, (row) => row.merchantId).map((list) => list.map((row) => row.street));
    }),

    /** Current member ids of each street, by name. */
    memberIdsByStreet: waveLoader<string, string[]>(waves, async (streetIds) => {
      const rows = await db
        .select({ streetId: demonstrationStreetMembers.streetId, id: merchants.id })
        .from(demonstrationStreetMembers)
        .innerJoin(merchants, eq(merchants.id, demonstrationStreetMembers.merchantId))
        .where(and(anyUuid(demonstrationStreetMembers.streetId, streetIds), isNull(demonstrationStreetMembers.leftOn)))
        .orderBy(asc(sql`${merchants.name} COLLATE "C"`), asc(merchants.id));
      return groupBy(streetIds, rows, (row) => row.streetId).map((list) => list.map((row) => row.id));
    }),

    /**
     * For each current member of each street: enrolled on the 3·15 settlement platform, a
     * seven-day pledge in effect with its signboard displayed, and its complaints of the last
     * 12 months and how many of them are handled (rejected, or accepted and concluded).
     */
    memberFlagsByStreet: waveLoader<string, MemberFlags[]>(waves, async (streetIds) => {
      const today = shanghaiToday();
      const since = `${Number(today.slice(0, 4)) - 1}${today.slice(4)}T00:00:00+08:00`;
      const rows = rowsOf<MemberFlags & { street_id: string }>(
        await db.execute(sql`
          select d.street_id, d.merchant_id,
            exists (select 1 from dispute_enrollments e where e.merchant_id = d.merchant_id
                    and e.program = 'SETTLEMENT_PLATFORM' and e.ended_at is null) as enrolled,
            exists (select 1 from return_pledges p where p.merchant_id = d.merchant_id
                    and p.signboard_displayed and ${activeOnSql(PLEDGE_ALIAS, today)}) as pledge_displayed,
            (select count(*) from appeals a where a.merchant_id = d.merchant_id and a.type = 'COMPLAINT'
                    and a.received_at >= ${since}::timestamptz)::int as complaints,
            (select count(*) from appeals a where a.merchant_id = d.merchant_id and a.type = 'COMPLAINT'
                    and a.received_at >= ${since}::timestamptz
                    and ${statusInSql(sql.raw('a.status'), HANDLED_COMPLAINT_STATUSES)})::int as handled
          from demonstration_street_members d
          where ${anyUuid(sql.raw('d.street_id'), streetIds)} and d.left_on is null`),
      );
      return groupBy(streetIds, rows, (row) => row.street_id).map((list) => list.map(({ street_id: _s, ...flags }) => flags));
    }),
  };
}
