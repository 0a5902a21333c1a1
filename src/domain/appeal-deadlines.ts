/**
 * Legal deadlines of an appeal in working days (official PRC calendar, Asia/Shanghai days) and
 * whether each step was on time. Pure.
 */
import { addWorkingDays } from './calendar';
import { shanghaiDate, type LocalDate } from './local-date';
import type { AppealType } from './appeal-workflow';

/** Working days allowed for each step, each with its legal source (see docs/architecture.md for where the rules live). */
export const DEADLINE_WORKING_DAYS = {
  /** Accept or reject a complaint: 市场监督管理投诉举报处理暂行办法 Art. 14. */
  acceptance: 7,
  /** The merchant's answer after acceptance (ODR negotiation). */
  answer: 10,
  /** Conclude mediation after acceptance: Art. 21. */
  conclusion: 45,
  /** Verify a report and decide on a case: 行政处罚程序规定 Art. 18. */
  verification: 15,
  /** The one extension of the verification period. */
  verificationExtension: 15,
} as const;

export interface AppealTimes {
  type: AppealType;
  receivedAt: Date;
  acceptedAt?: Date | null;
  rejectedAt?: Date | null;
  concludedAt?: Date | null;
  /** REPORT: when it was decided whether to file a case. */
  decidedAt?: Date | null;
  verificationExtendedAt?: Date | null;
  /** COMPLAINT: the merchant's first answer. */
  firstAnswerAt?: Date | null;
}

export interface Deadline {
  dueOn: LocalDate;
  /** Shanghai day the step was done, if it was. */
  doneOn: LocalDate | null;
  /** Done by the due day; false once overdue; null while still open and in time. */
  onTime: boolean | null;
  /** Not done and the due day has passed. */
  overdue: boolean;
  /** The due day lies in or crosses a year whose holiday schedule is not yet published. */
  provisional: boolean;
}

export interface AppealDeadlines {
  acceptance: Deadline | null;
  answer: Deadline | null;
  conclusion: Deadline | null;
  verification: Deadline | null;
}

function deadline(start: Date, workingDays: number, done: Date | null | undefined, today: LocalDate): Deadline {
  const { date: dueOn, provisional } = addWorkingDays(shanghaiDate(start), workingDays);
  const doneOn = done ? shanghaiDate(done) : null;
  const overdue = doneOn === null && today > dueOn;
  return { dueOn, doneOn, onTime: doneOn !== null ? doneOn <= dueOn : overdue ? false : null, overdue, provisional };
}

/** The deadlines that apply to an appeal of its type, as of `today`. */
export function appealDeadlines(appeal: AppealTimes, today: LocalDate): AppealDeadlines {
  const none: AppealDeadlines = { acceptance: null, answer: null, conclusion: null, verification: null };
  if (appeal.type === 'COMPLAINT') {
    const { acceptedAt } = appeal;
    return {
      ...none,
      acceptance: deadline(appeal.receivedAt, DEADLINE_WORKING_DAYS.acceptance, acceptedAt ?? appeal.rejectedAt, today),
      answer: acceptedAt ? deadline(acceptedAt, DEADLINE_WORKING_DAYS.answer, appeal.firstAnswerAt, today) : null,
      conclusion: acceptedAt ? deadline(acceptedAt, DEADLINE_WORKING_DAYS.conclusion, appeal.concludedAt, today) : null,
    };
  }
  if (appeal.type === 'REPORT') {
    // An extension made after the first period ran out cannot stretch it (see extensionRefusal).
    const extended = appeal.verificationExtendedAt != null && extensionRefusal(appeal.receivedAt, appeal.verificationExtendedAt) === null;
    const days = DEADLINE_WORKING_DAYS.verification + (extended ? DEADLINE_WORKING_DAYS.verificationExtension : 0);
    return { ...none, verification: deadline(appeal.receivedAt, days, appeal.decidedAt, today) };
  }
  return none;
}

/**
 * Why a report's verification period cannot be extended at `at`, or null when it can: the one
 * extension must be decided while the first 15 working days still run (through their last day,
 * Asia/Shanghai); once they have run out the report is already overdue and extending it would
 * only hide that.
 */
export function extensionRefusal(receivedAt: Date, at: Date): string | null {
  const { date: firstDue } = addWorkingDays(shanghaiDate(receivedAt), DEADLINE_WORKING_DAYS.verification);
  const day = shanghaiDate(at);
  if (day <= firstDue) return null;
  return `The verification period ran out on ${firstDue}: an extension is possible only while the first ${DEADLINE_WORKING_DAYS.verification} working days run`;
}
