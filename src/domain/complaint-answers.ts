/**
 * The merchant's on-time answers, for the public complaint summary: of the accepted complaints it
 * could have answered by now, how many it answered and how many by the answer due day (10 working
 * days after acceptance, fixed when the complaint was accepted). Pure; the SQL twin is in
 * complaint-answers.sql.ts.
 *
 * A complaint still inside its answer period and not yet answered is left out (the merchant may
 * still answer it in time), as the rating's responsiveness factor leaves it out.
 */
import { metDueDay } from './appeal-counts';
import type { LocalDate } from './local-date';

/** The fields of a complaint the answer counts read. */
export interface AnsweredComplaint {
  acceptedAt: Date | null;
  /** The answer due day fixed at acceptance. */
  answerDueOn: LocalDate | null;
  /** The merchant's first answer. */
  firstAnswerAt: Date | null;
}

export const ANSWER_COUNTS = ['answerable', 'answered', 'answeredOnTime'] as const;
export type AnswerCount = (typeof ANSWER_COUNTS)[number];

/** Which answer counts one complaint adds to, as of `today` (Asia/Shanghai). */
export function answerCounts(c: AnsweredComplaint, today: LocalDate): Record<AnswerCount, boolean> {
  if (c.acceptedAt === null) return { answerable: false, answered: false, answeredOnTime: false };
  const answered = c.firstAnswerAt !== null;
  // An unknown due day cannot be waited for: the complaint counts as answerable at once.
  const stillOpen = !answered && c.answerDueOn !== null && today <= c.answerDueOn;
  return { answerable: !stillOpen, answered, answeredOnTime: metDueDay(c.firstAnswerAt, c.answerDueOn) };
}

/** answeredOnTime ÷ answerable as a percentage to one decimal (half-up); null when nothing was answerable. */
export function onTimePercent(answeredOnTime: number, answerable: number): number | null {
  if (answerable <= 0) return null;
  return Math.floor((2000 * answeredOnTime + answerable) / (2 * answerable)) / 10;
}
