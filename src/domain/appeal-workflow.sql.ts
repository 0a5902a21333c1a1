/** The status sets of appeal-workflow.ts as SQL, for the queries of services and reports. */
import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { PENDING_STEP, type AppealStatus, type PendingStep } from './appeal-workflow';
import { inListSql } from './sql';

/** `status in (…)` for one of the workflow's status sets. */
export function statusInSql(status: SQLWrapper, statuses: readonly AppealStatus[]): SQL {
  return inListSql(status, statuses);
}

/** SQL of pendingStep: the due day of the step each appeal waits for (null when none). */
export function pendingDueSql(cols: { type: SQLWrapper; status: SQLWrapper } & Record<`${PendingStep}DueOn`, SQLWrapper>): SQL<string> {
  const whens = (Object.entries(PENDING_STEP) as [PendingStep, { type: string; statuses: readonly AppealStatus[] }][]).map(
    ([step, rule]) => sql`when ${cols.type} = ${sql.raw(`'${rule.type}'`)} and ${statusInSql(cols.status, rule.statuses)} then ${cols[`${step}DueOn`]}`,
  );
  return sql<string>`case ${sql.join(whens, sql` `)} end`;
}
