/** The audit-due rule of pledge-rules.ts as SQL, for the supervisors' audit queue. */
import { isNull, or, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { twelveMonthsBefore } from './pledge-rules';
import type { LocalDate } from './local-date';

/** The columns of a pledge's last audit (null columns: never audited), joined to the pledge. */
export interface LastAuditColumns {
  pledgeId: SQLWrapper;
  auditedOn: SQLWrapper;
  outcome: SQLWrapper;
  rectificationDueOn: SQLWrapper;
}

/** SQL of `auditDueReasons(last, asOf).length > 0`. */
export function auditDueSql(last: LastAuditColumns, asOf: LocalDate): SQL {
  return or(
    isNull(last.pledgeId),
    sql`${last.auditedOn} < ${twelveMonthsBefore(asOf)}::date`,
    sql`${last.outcome} = 'VIOLATION' and ${last.rectificationDueOn} <= ${asOf}::date`,
  )!;
}
