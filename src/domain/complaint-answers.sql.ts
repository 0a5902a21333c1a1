/** The answer counts of complaint-answers.ts as SQL conditions, for counting a page of merchants in one statement. */
import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { AnswerCount } from './complaint-answers';
import { metDueDaySql } from './appeal-counts.sql';
import type { LocalDate } from './local-date';

/** The columns (or expressions) of a complaint the answer counts read. */
export interface AnsweredComplaintColumns {
  acceptedAt: SQLWrapper;
  answerDueOn: SQLWrapper;
  firstAnswerAt: SQLWrapper;
}

/** SQL of answerCounts: one never-null boolean condition per count. */
export function answerCountsSql(c: AnsweredComplaintColumns, today: LocalDate): Record<AnswerCount, SQL> {
  const accepted = sql`(${c.acceptedAt} is not null)`;
  const answered = sql`(${accepted} and ${c.firstAnswerAt} is not null)`;
  const stillOpen = sql`(${c.firstAnswerAt} is null and ${c.answerDueOn} is not null and ${today}::date <= ${c.answerDueOn})`;
  return {
    answerable: sql`(${accepted} and not ${stillOpen})`,
    answered,
    answeredOnTime: sql`(${accepted} and ${metDueDaySql(c.firstAnswerAt, c.answerDueOn)})`,
  };
}
