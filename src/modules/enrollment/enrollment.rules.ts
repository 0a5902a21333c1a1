import type { DisputeProgram, EnrollmentPeriodRow } from './enrollment.type';
import { EnrollmentStatus } from './enrollment.type';

/** A merchant's standing in one program, derived from its periods. Pure. */
export interface ProgramStanding {
  program: DisputeProgram;
  status: EnrollmentStatus;
  since: Date | null;
  history: EnrollmentPeriodRow[];
}

/**
 * Standing in `program` from all of a merchant's periods (any programs, any order): ENROLLED
 * while a period is open; otherwise NOT_ENROLLED since the last period ended (or never enrolled).
 */
export function standingIn(program: DisputeProgram, periods: readonly EnrollmentPeriodRow[]): ProgramStanding {
  const history = periods
    .filter((p) => p.program === program)
    .sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime() || (a.id < b.id ? 1 : -1));
  const open = history.find((p) => p.endedAt === null);
  if (open) return { program, status: EnrollmentStatus.ENROLLED, since: open.startedAt, history };
  const lastEnd = history.reduce<Date | null>((latest, p) => (p.endedAt && (!latest || p.endedAt > latest) ? p.endedAt : latest), null);
  return { program, status: EnrollmentStatus.NOT_ENROLLED, since: lastEnd, history };
}

/**
 * When a period that started at `startedAt` ends if it is closed at `now`. The database requires
 * an end strictly after the start; a withdrawal in the same millisecond as the enrollment (or
 * after a clock step back) is recorded one millisecond after the start instead of failing.
 */
export function periodEnd(startedAt: Date, now: Date): Date {
  return now > startedAt ? now : new Date(startedAt.getTime() + 1);
}

