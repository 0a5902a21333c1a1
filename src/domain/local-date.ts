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

/** The Asia/Shanghai calendar date of an instant. */
export function shanghaiDate(instant: Date): LocalDate {
  return SHANGHAI_DAY.format(instant);
}

/** Today's date in Asia/Shanghai. */
export function shanghaiToday(now: Date = new Date()): LocalDate {
  return shanghaiDate(now);
}
