/**
 * What one appeal adds to the 12315 figures (the annual report, the statistics of a period).
 * Every figure is a sum of these counts over the appeals received in the period, so the counts
 * can be kept per day and added up later (the appeal count tables), and a figure's drill-down
 * lists exactly the appeals its count left out. Pure.
 *
 * None of them depends on the day they are asked on: each reads only what the appeal has
 * recorded (its type, status, the times of its steps and the due days fixed when each step
 * started). A step not yet taken is simply not counted; "overdue as of today" is not a figure.
 */
import { CONCLUDED_COMPLAINT_STATUSES, DECIDED_REPORT_STATUSES, MEDIATED_STATUSES, type AppealStatus, type AppealType } from './appeal-workflow';
import { shanghaiDate, type LocalDate } from './local-date';

/** The counts of one appeal, each 0 or 1; the report's rates are ratios of two of them. */
export const APPEAL_COUNTS = ['appeals', 'decided', 'decidedOnTime', 'concluded', 'concludedOnTime', 'mediated', 'verified', 'verifiedOnTime'] as const;
export type AppealCount = (typeof APPEAL_COUNTS)[number];

/** The four rates of the report, each numerator ÷ denominator of two counts (the numerator's appeals are among the denominator's). */
export const REPORT_RATES = {
  /** 按时初查率: complaints accepted or rejected by the 7th working day after receipt. */
  complaintsDecidedOnTime: { numerator: 'decidedOnTime', denominator: 'decided' },
  /** 按时办结率: concluded complaints concluded by the 45th working day after acceptance. */
  complaintsConcludedOnTime: { numerator: 'concludedOnTime', denominator: 'concluded' },
  /** 调解成功率: concluded complaints that were MEDIATED. */
  mediationSuccess: { numerator: 'mediated', denominator: 'concluded' },
  /** 举报按时核查率: decided reports decided by the 15th (30th once extended) working day. */
  reportsVerifiedOnTime: { numerator: 'verifiedOnTime', denominator: 'verified' },
} as const satisfies Record<string, { numerator: AppealCount; denominator: AppealCount }>;
export type ReportRate = keyof typeof REPORT_RATES;

/** The fields of an appeal its counts read. */
export interface CountedAppeal {
  type: AppealType;
  status: AppealStatus;
  acceptedAt: Date | null;
  rejectedAt: Date | null;
  concludedAt: Date | null;
  decidedAt: Date | null;
  acceptanceDueOn: LocalDate | null;
  conclusionDueOn: LocalDate | null;
  verificationDueOn: LocalDate | null;
}

/** Whether a step taken at `at` met its due day (Shanghai days; the due day itself is on time). Unknown either way: not on time. */
export function metDueDay(at: Date | null, dueOn: LocalDate | null): boolean {
  return at !== null && dueOn !== null && shanghaiDate(at) <= dueOn;
}

const isIn = (statuses: readonly AppealStatus[], status: AppealStatus) => statuses.includes(status);

/** Which of the counts this appeal adds one to. */
export function appealCounts(a: CountedAppeal): Record<AppealCount, boolean> {
  const complaint = a.type === 'COMPLAINT';
  const report = a.type === 'REPORT';
  const decision = a.acceptedAt ?? a.rejectedAt;
  const concluded = complaint && isIn(CONCLUDED_COMPLAINT_STATUSES, a.status);
  const verified = report && isIn(DECIDED_REPORT_STATUSES, a.status);
  return {
    appeals: true,
    decided: complaint && decision !== null,
    decidedOnTime: complaint && metDueDay(decision, a.acceptanceDueOn),
    concluded,
    concludedOnTime: concluded && metDueDay(a.concludedAt, a.conclusionDueOn),
    mediated: complaint && isIn(MEDIATED_STATUSES, a.status),
    verified,
    verifiedOnTime: verified && metDueDay(a.decidedAt, a.verificationDueOn),
  };
}
