/**
 * The periods of the 12315 figures: Asia/Shanghai days, both ends included, compared with the
 * same days a year earlier. The appeal count tables keep each day and each month, so a period is
 * read as its whole months plus the days outside them. Pure.
 */
import { addDays } from './calendar';
import { isLocalDate, type LocalDate } from './local-date';

/** A period split for the count tables: its whole months (first days of), and the days outside them. */
export interface PeriodSpans {
  /** First days of the first and last whole month, or null when no month lies wholly inside. */
  months: { first: LocalDate; last: LocalDate } | null;
  /** Up to two runs of days outside the whole months (before and after them). */
  days: { from: LocalDate; to: LocalDate }[];
}

/** One year earlier, the same calendar days (29 February falls back to the 28th). */
export function yearEarlier(date: LocalDate): LocalDate {
  const year = Number(date.slice(0, 4)) - 1;
  const candidate = `${String(year).padStart(4, '0')}${date.slice(4)}`;
  return isLocalDate(candidate) ? candidate : `${String(year).padStart(4, '0')}-02-28`;
}

const firstOfMonth = (date: LocalDate): LocalDate => `${date.slice(0, 8)}01`;

/** The days from `from` to `to` (both included) as whole months and the days left over. */
export function periodSpans(from: LocalDate, to: LocalDate): PeriodSpans {
  if (!isLocalDate(from) || !isLocalDate(to)) throw new RangeError(`not a period of dates: ${from} to ${to}`);
  if (to < from) return { months: null, days: [] };
  // A month has at most 31 days: 31 days after its 1st is in the next month.
  const firstWhole = from.endsWith('-01') ? from : firstOfMonth(addDays(firstOfMonth(from), 31));
  const afterTo = addDays(to, 1);
  // The first day after the last whole month: `to` ends a month exactly when the next day is a 1st.
  const endWhole = afterTo.endsWith('-01') ? afterTo : firstOfMonth(to);
  if (firstWhole >= endWhole) return { months: null, days: [{ from, to }] };
  const days: PeriodSpans['days'] = [];
  if (from < firstWhole) days.push({ from, to: addDays(firstWhole, -1) });
  if (endWhole <= to) days.push({ from: endWhole, to });
  return { months: { first: firstWhole, last: firstOfMonth(addDays(endWhole, -1)) }, days };
}
