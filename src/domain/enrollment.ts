/**
 * A merchant's standing in a consumer-dispute program (the 3·15 settlement platform, ODR), from
 * its enrollment periods. Pure. A period runs from `startedAt` up to, not including, `endedAt`
 * (null while open), like every period of the rating model.
 */
import { shanghaiDate, type LocalDate } from './local-date';

export const DISPUTE_PROGRAMS = ['SETTLEMENT_PLATFORM', 'ODR'] as const;
export type DisputeProgramCode = (typeof DISPUTE_PROGRAMS)[number];

export const ENROLLMENT_STATUSES = ['ENROLLED', 'NOT_ENROLLED'] as const;
export type EnrollmentStatusCode = (typeof ENROLLMENT_STATUSES)[number];
export const ENROLLED: EnrollmentStatusCode = 'ENROLLED';
export const NOT_ENROLLED: EnrollmentStatusCode = 'NOT_ENROLLED';

export interface EnrollmentPeriodLike {
  id: string;
  program: DisputeProgramCode;
  startedAt: Date;
  endedAt: Date | null;
}

/** A merchant's standing in one program, derived from its periods. */
export interface ProgramStanding<P extends EnrollmentPeriodLike = EnrollmentPeriodLike> {
  program: DisputeProgramCode;
  status: EnrollmentStatusCode;
  since: Date | null;
  history: P[];
}

/**
 * Standing in `program` from all of a merchant's periods (any programs, any order): ENROLLED
 * while a period is open; otherwise NOT_ENROLLED since the last period ended (or never enrolled).
 */
export function standingIn<P extends EnrollmentPeriodLike>(program: DisputeProgramCode, periods: readonly P[]): ProgramStanding<P> {
  const history = periods
    .filter((p) => p.program === program)
    .sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime() || (a.id < b.id ? 1 : -1));
  const open = history.find((p) => p.endedAt === null);
  if (open) return { program, status: ENROLLED, since: open.startedAt, history };
  const lastEnd = history.reduce<Date | null>((latest, p) => (p.endedAt && (!latest || p.endedAt > latest) ? p.endedAt : latest), null);
  return { program, status: NOT_ENROLLED, since: lastEnd, history };
}

/** Whether the period covers the Shanghai day `day`: start day ≤ day < end day. */
export function enrolledOn(period: { startedAt: Date; endedAt: Date | null }, day: LocalDate): boolean {
  return shanghaiDate(period.startedAt) <= day && (period.endedAt === null || day < shanghaiDate(period.endedAt));
}

/** The period of `program` that covers `day`, if any (the first found). */
export function enrollmentOn<P extends { program: DisputeProgramCode; startedAt: Date; endedAt: Date | null }>(
  periods: readonly P[],
  program: DisputeProgramCode,
  day: LocalDate,
): P | undefined {
  return periods.find((p) => p.program === program && enrolledOn(p, day));
}

/**
 * When a period that started at `startedAt` ends if it is closed at `now`. The database requires
 * an end strictly after the start; a withdrawal in the same millisecond as the enrollment (or
 * after a clock step back) is recorded one millisecond after the start instead of failing.
 */
export function periodEnd(startedAt: Date, now: Date): Date {
  return now > startedAt ? now : new Date(startedAt.getTime() + 1);
}
