/**
 * Calendar arithmetic for the seed. Dates are handled as whole day numbers (days since
 * 1970-01-01) so that adding days never meets a time zone; instants are then made in Beijing
 * time with an explicit +08:00 offset.
 */

const MS_PER_DAY = 86_400_000;

/** Day number of a `YYYY-MM-DD` calendar date. */
export function day(iso: string): number {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return Math.round(Date.UTC(y, m - 1, d) / MS_PER_DAY);
}

/** The `YYYY-MM-DD` of a day number. */
export function isoDate(dayNumber: number): string {
  return new Date(dayNumber * MS_PER_DAY).toISOString().slice(0, 10);
}

/** The instant `minuteOfDay` minutes after midnight of that day in Asia/Shanghai. */
export function beijingInstant(dayNumber: number, minuteOfDay: number): Date {
  const hh = String(Math.floor(minuteOfDay / 60)).padStart(2, '0');
  const mm = String(minuteOfDay % 60).padStart(2, '0');
  return new Date(`${isoDate(dayNumber)}T${hh}:${mm}:00+08:00`);
}

/** The same month and day `years` later (29 February becomes 28 February). */
export function addYears(dayNumber: number, years: number): number {
  const [y, m, d] = isoDate(dayNumber).split('-').map(Number) as [number, number, number];
  const lastOfMonth = new Date(Date.UTC(y + years, m, 0)).getUTCDate();
  return Math.round(Date.UTC(y + years, m - 1, Math.min(d, lastOfMonth)) / MS_PER_DAY);
}
