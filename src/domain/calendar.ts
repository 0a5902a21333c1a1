/**
 * The official PRC working-day calendar (国务院办公厅 holiday notices), from the `chinese-days`
 * package's published data: holidays (放假) and adjusted workdays (调休上班) by date. Pure.
 *
 * A year the State Council has not yet published falls back to Monday–Friday; anything computed
 * from such a year is marked provisional, because the notice may later move holidays into it.
 */
import calendarData from 'chinese-days/dist/chinese-days.json';
import { isLocalDate, type LocalDate } from './local-date';

/** A date computed over the calendar, and whether an unpublished year took part in it. */
export interface CalendarResult {
  date: LocalDate;
  /** True when a day of a year without a published schedule was counted or landed on. */
  provisional: boolean;
}

const MS_PER_DAY = 86_400_000;

// Keyed by 'YYYY-MM-DD'; the values (names of the festival) are not needed here.
const HOLIDAYS: ReadonlySet<string> = new Set(Object.keys(calendarData.holidays));
const ADJUSTED_WORKDAYS: ReadonlySet<string> = new Set(Object.keys(calendarData.workdays));
const PUBLISHED_YEARS: ReadonlySet<number> = new Set(
  [...HOLIDAYS, ...ADJUSTED_WORKDAYS].map((date) => Number(date.slice(0, 4))),
);

function requireDate(date: LocalDate): void {
  if (!isLocalDate(date)) throw new RangeError(`not a calendar date YYYY-MM-DD: ${date}`);
}

function dayNumber(date: LocalDate): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return Math.round(Date.UTC(y, m - 1, d) / MS_PER_DAY);
}

function fromDayNumber(day: number): LocalDate {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Whether the official schedule of `year` is in the data (2004 to the latest notice). */
export function isPublishedYear(year: number): boolean {
  return PUBLISHED_YEARS.has(year);
}

/** Whether a date lies in a year whose schedule is not published (so Monday–Friday is assumed). */
export function isProvisionalDate(date: LocalDate): boolean {
  requireDate(date);
  return !isPublishedYear(Number(date.slice(0, 4)));
}

/** The date `days` calendar days after `date` (negative: before). */
export function addDays(date: LocalDate, days: number): LocalDate {
  requireDate(date);
  if (!Number.isInteger(days)) throw new RangeError(`days must be an integer, got ${days}`);
  return fromDayNumber(dayNumber(date) + days);
}

/**
 * Whether `date` is a working day: an adjusted workday (even a Saturday or Sunday) is; a public
 * holiday is not; otherwise Monday–Friday are. Unpublished years follow Monday–Friday only.
 */
export function isWorkingDay(date: LocalDate): boolean {
  requireDate(date);
  if (ADJUSTED_WORKDAYS.has(date)) return true;
  if (HOLIDAYS.has(date)) return false;
  const weekday = new Date(dayNumber(date) * MS_PER_DAY).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/** `date` itself when it is a working day, otherwise the first working day after it. */
export function nextWorkingDayOnOrAfter(date: LocalDate): CalendarResult {
  requireDate(date);
  let day = dayNumber(date);
  let provisional = isProvisionalDate(date);
  while (!isWorkingDay(fromDayNumber(day))) {
    day++;
    provisional ||= isProvisionalDate(fromDayNumber(day));
  }
  return { date: fromDayNumber(day), provisional };
}

/** Results of addWorkingDays by `date|n`: the function is pure, so they never go stale. */
const workingDaysCache = new Map<string, CalendarResult>();
const WORKING_DAYS_CACHE_LIMIT = 100_000;

/**
 * The `n`-th working day after `date` (the start day itself is not counted; `n = 0` gives `date`).
 * Legal deadlines of 7, 10, 15 or 45 working days are computed with this.
 */
export function addWorkingDays(date: LocalDate, n: number): CalendarResult {
  // The deadlines of thousands of appeals (and their ratings) start on the same few hundred days.
  const key = `${date}|${n}`;
  const known = workingDaysCache.get(key);
  if (known) return { ...known };
  const result = countWorkingDays(date, n);
  if (workingDaysCache.size >= WORKING_DAYS_CACHE_LIMIT) workingDaysCache.clear();
  workingDaysCache.set(key, result);
  return { ...result };
}

function countWorkingDays(date: LocalDate, n: number): CalendarResult {
  requireDate(date);
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  let day = dayNumber(date);
  let provisional = false;
  for (let counted = 0; counted < n; ) {
    day++;
    const current = fromDayNumber(day);
    // Every day passed over matters: a holiday later published in it would shift the result.
    provisional ||= isProvisionalDate(current);
    if (isWorkingDay(current)) counted++;
  }
  return { date: fromDayNumber(day), provisional };
}
