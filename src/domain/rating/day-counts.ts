/**
 * The rating inputs that grow with history (complaints, reports, praise), reduced from the
 * per-merchant day counters (`rating_day_counts`, kept by triggers: drizzle/0012) instead of the
 * records: counts and weighted sums come from the counters alone; the evidence ids come from a walk
 * back from T over the records of the most recent days only, as far as the counters say each group
 * needs to find its RECORD_IDS_CAP most recent records. Pure; rating.inputs.ts runs the SQL.
 */
import { ComplaintTallies, LAST_YEAR_DAYS, mostRecentIds, RECORD_IDS_CAP, weightOfAge, type DatedComplaint, type DatedId, type RatingInputs, type Tally } from './v1';

/** `rating_day_counts.kind`. */
export const DAY_COUNT_KIND = { accepted: 1, concluded: 2, reportFiled: 3, praise: 4 } as const;
/** The answer lag of a complaint without an answer. */
export const NO_ANSWER_LAG = 999;
/** Answer lags are clipped here: longer than any answer deadline (ten working days), so a clipped lag is always late. */
export const ANSWER_LAG_CLIP = 60;

/** The counted part of the inputs (ids still empty) and the first day each walk must go back to. */
export interface CountedInputs {
  complaints: RatingInputs['complaints'];
  reports: RatingInputs['reports'];
  praise: Tally;
  /** The oldest day the walk over complaints / reports / praise must read (undefined: no walk). */
  walkFrom: { complaints?: number; reports?: number; praise?: number };
}

/** The day of the RECORD_IDS_CAP-th most recent of records counted per day (or of the oldest): a group's ids all lie on that day or later. */
export function walkFromDays(days: readonly { day: number; n: number }[]): number | undefined {
  let seen = 0;
  let last: number | undefined;
  for (const { day, n } of [...days].sort((a, b) => b.day - a.day)) {
    if (n <= 0) continue;
    last = day;
    seen += n;
    if (seen >= RECORD_IDS_CAP) break;
  }
  return last;
}

/** The earliest of some days (undefined when none). */
export function earliest(days: readonly (number | undefined)[]): number | undefined {
  const defined = days.filter((d): d is number => d !== undefined);
  return defined.length ? Math.min(...defined) : undefined;
}

/**
 * Fills the evidence ids of `inputs` from the records the walk read: every complaint accepted,
 * report filed and praise received from its walk's first day to T. Each group's most recent ids
 * lie within its walk, so they are the ones `ratingInputs` names.
 */
export function addEvidence(inputs: CountedInputs, t: number, walked: { complaints: readonly DatedComplaint[]; reports: readonly DatedId[]; praise: readonly DatedId[] }): void {
  const tallies = new ComplaintTallies(t);
  for (const c of walked.complaints) tallies.add(c);
  const ids = tallies.finish();
  const c = inputs.complaints;
  c.counted.ids = ids.counted.ids;
  c.onTime.ids = ids.onTime.ids;
  c.pending.ids = ids.pending.ids;
  c.late.ids = ids.late.ids;
  c.concluded.ids = ids.concluded.ids;
  c.resolved.ids = ids.resolved.ids;
  const recentIds = new Map(ids.recentByIssueType.map((g) => [g.issueType, g.ids]));
  for (const g of c.recentByIssueType) g.ids = recentIds.get(g.issueType) ?? [];
  inputs.reports.filed.ids = mostRecentIds(walked.reports.filter((r) => weightOfAge(t - r.day) > 0));
  inputs.praise.ids = mostRecentIds(walked.praise.filter((p) => t - p.day >= 0 && t - p.day <= LAST_YEAR_DAYS));
}
