/**
 * Calendar dates as `YYYY-MM-DD` strings, and the Asia/Shanghai day of an instant. Days,
 * deadlines and reports are Shanghai days whatever the server's time zone. Pure.
 */

export type LocalDate = string;

const SHANGHAI_DAY = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** Whether `value` is a real calendar date written `YYYY-MM-DD` (rejects 2023-02-29). */
export function isLocalDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const probe = new Date(Date.UTC(year, month - 1, day));
  return probe.getUTCFullYear() === year && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day;
}

/**
 * From 1992 on Asia/Shanghai is UTC+8 all year (China last kept summer time in 1991), so the day
 * is plain arithmetic; Intl, which knows the earlier rules, costs a hundred times more per call.
 */
const FIXED_OFFSET_SINCE_MS = Date.UTC(1992, 0, 1);
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** The Asia/Shanghai calendar date of an instant. */
export function shanghaiDate(instant: Date): LocalDate {
  const ms = instant.getTime();
  if (ms >= FIXED_OFFSET_SINCE_MS && ms < MAX_ISO_MS) return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
  return SHANGHAI_DAY.format(instant);
}

/** Past year 9999 toISOString changes form; Intl answers those. */
const MAX_ISO_MS = Date.UTC(9999, 0, 1);

/** Today's date in Asia/Shanghai. */
export function shanghaiToday(now: Date = new Date()): LocalDate {
  return shanghaiDate(now);
}

const MS_PER_DAY = 86_400_000;

/** Days from 1970-01-01 to `date` (the rating and other day arithmetic run on these integers). */
export function dayNumberOf(date: LocalDate): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return Math.round(Date.UTC(y, m - 1, d) / MS_PER_DAY);
}

/** The date `dayNumberOf` numbers `day`. */
export function dateOfDayNumber(day: number): LocalDate {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** The day number of the Asia/Shanghai date of an instant: plain arithmetic since 1992 (see shanghaiDate). */
export function shanghaiDayNumber(instant: Date): number {
  const ms = instant.getTime();
  if (ms >= FIXED_OFFSET_SINCE_MS && ms < MAX_ISO_MS) return Math.floor((ms + SHANGHAI_OFFSET_MS) / MS_PER_DAY);
  return dayNumberOf(shanghaiDate(instant));
}
