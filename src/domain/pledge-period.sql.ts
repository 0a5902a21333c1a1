/** The rules of pledge-period.ts as SQL, for queries that filter or count pledges in the database. */
import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { ACTIVE, IN_EFFECT_STATUSES } from './pledge-period';
import { inListSql } from './sql';
import type { LocalDate } from './local-date';

/** The columns (or aliased expressions) of a pledge row the rules read. */
export interface PledgePeriodColumns {
  status: SQLWrapper;
  effectiveFrom: SQLWrapper;
  expiresOn: SQLWrapper;
}

/** SQL of isInEffectStatus: the stored status binds the merchant (ACTIVE or SUSPENDED). */
export function inEffectStatusSql(status: SQLWrapper): SQL {
  return inListSql(status, IN_EFFECT_STATUSES);
}

/** SQL of periodCovers: effectiveFrom ≤ day < expiresOn (open-ended when null). */
export function periodCoversSql(p: PledgePeriodColumns, day: LocalDate): SQL {
  return sql`(${p.effectiveFrom} <= ${day}::date and (${p.expiresOn} is null or ${p.expiresOn} > ${day}::date))`;
}

/** SQL of isActiveOn for today's stored status: ACTIVE and its period covers `day`. */
export function activeOnSql(p: PledgePeriodColumns, day: LocalDate): SQL {
  return sql`(${inListSql(p.status, [ACTIVE])} and ${periodCoversSql(p, day)})`;
}

/** SQL of a pledge in effect on `day` by its stored status: ACTIVE or SUSPENDED and its period covers the day. */
export function inEffectOnSql(p: PledgePeriodColumns, day: LocalDate): SQL {
  return sql`(${inEffectStatusSql(p.status)} and ${periodCoversSql(p, day)})`;
}

/** SQL of isExpiryDue: in effect by its stored status but its expiresOn is on or before `asOf`. */
export function expiryDueSql(p: Pick<PledgePeriodColumns, 'status' | 'expiresOn'>, asOf: LocalDate): SQL {
  return sql`(${inEffectStatusSql(p.status)} and ${p.expiresOn} <= ${asOf}::date)`;
}
