/** The counts of appeal-counts.ts as SQL: for the count tables' triggers, their rebuild, and drill-downs. */
import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { CONCLUDED_COMPLAINT_STATUSES, DECIDED_REPORT_STATUSES, MEDIATED_STATUSES } from './appeal-workflow';
import type { AppealCount } from './appeal-counts';
import { inListSql } from './sql';

/** The columns (or aliased expressions) of an appeal row the counts read. */
export interface CountedAppealColumns {
  type: SQLWrapper;
  status: SQLWrapper;
  acceptedAt: SQLWrapper;
  rejectedAt: SQLWrapper;
  concludedAt: SQLWrapper;
  decidedAt: SQLWrapper;
  acceptanceDueOn: SQLWrapper;
  conclusionDueOn: SQLWrapper;
  verificationDueOn: SQLWrapper;
}

/** The Asia/Shanghai day of a timestamptz, whatever the session's time zone. */
export function shanghaiDaySql(instant: SQLWrapper): SQL {
  return sql`(${instant} at time zone 'Asia/Shanghai')::date`;
}

/** SQL of metDueDay: never null, so a missing time or due day is plainly "not on time". */
export function metDueDaySql(at: SQLWrapper, dueOn: SQLWrapper): SQL {
  return sql`coalesce(${shanghaiDaySql(at)} <= ${dueOn}, false)`;
}

/** SQL of appealCounts: one boolean condition per count, from the same constants. */
export function appealCountsSql(c: CountedAppealColumns): Record<AppealCount, SQL> {
  const complaint = inListSql(c.type, ['COMPLAINT']);
  const report = inListSql(c.type, ['REPORT']);
  const decision = sql`coalesce(${c.acceptedAt}, ${c.rejectedAt})`;
  const concluded = sql`(${complaint} and ${inListSql(c.status, CONCLUDED_COMPLAINT_STATUSES)})`;
  const verified = sql`(${report} and ${inListSql(c.status, DECIDED_REPORT_STATUSES)})`;
  return {
    appeals: sql`true`,
    decided: sql`(${complaint} and ${decision} is not null)`,
    decidedOnTime: sql`(${complaint} and ${metDueDaySql(decision, c.acceptanceDueOn)})`,
    concluded,
    concludedOnTime: sql`(${concluded} and ${metDueDaySql(c.concludedAt, c.conclusionDueOn)})`,
    mediated: sql`(${complaint} and ${inListSql(c.status, MEDIATED_STATUSES)})`,
    verified,
    verifiedOnTime: sql`(${verified} and ${metDueDaySql(c.decidedAt, c.verificationDueOn)})`,
  };
}
