/**
 * The rating inputs that grow with history (complaints, reports, praise), reduced from the
 * per-merchant day counters (`rating_day_counts`, kept by triggers: drizzle/0012) instead of the
 * records: counts and weighted sums come from the counters alone; the evidence ids come from a walk
 * back from T over the records of the most recent days only, as far as the counters say each group
 * needs to find its RECORD_IDS_CAP most recent records. Pure; rating.inputs.ts runs the SQL.
 */
import { answerStanding, ComplaintTallies, LAST_YEAR_DAYS, mostRecentIds, RECORD_IDS_CAP, weightOfAge, type DatedComplaint, type DatedId, type RatingInputs, type Tally } from './v1';

/** `rating_day_counts.kind`. */
export const DAY_COUNT_KIND = { accepted: 1, concluded: 2, reportFiled: 3, praise: 4 } as const;
/** The answer lag of a complaint without an answer. */
export const NO_ANSWER_LAG = 999;
/** Answer lags are clipped here: longer than any answer deadline (ten working days), so a clipped lag is always late. */
export const ANSWER_LAG_CLIP = 60;

/** One counter row: `n` records of `kind` dated `day` with the same key. */
export interface DayCountRow {
  kind: number;
  day: number;
  issueType: string;
  answerLag: number;
  concludedDay: number;
  resolved: boolean;
  n: number;
}

/** The counted part of the inputs (ids still empty) and the first day each walk must go back to. */
export interface CountedInputs {
  complaints: RatingInputs['complaints'];
  reports: RatingInputs['reports'];
  praise: Tally;
  /** The oldest day the walk over complaints / reports / praise must read (undefined: no walk). */
  walkFrom: { complaints?: number; reports?: number; praise?: number };
}

/** Counts per day of one group, for its walk bound. */
class DayGroup {
  n = 0;
  q = 0;
  readonly days = new Map<number, number>();
  add(day: number, n: number, q: number): void {
    this.n += n;
    this.q += n * q;
    this.days.set(day, (this.days.get(day) ?? 0) + n);
  }
  tally(): Tally {
    return { n: this.n, q: this.q, ids: [] };
  }
  /** The day of the group's RECORD_IDS_CAP-th most recent record (or of its oldest): its ids all lie on that day or later. */
  from(): number | undefined {
    let seen = 0;
    let last: number | undefined;
    for (const day of [...this.days.keys()].sort((a, b) => b - a)) {
      if (this.days.get(day)! <= 0) continue;
      last = day;
      seen += this.days.get(day)!;
      if (seen >= RECORD_IDS_CAP) break;
    }
    return last;
  }
}

const minOf = (days: (number | undefined)[]): number | undefined => {
  const defined = days.filter((d): d is number => d !== undefined);
  return defined.length ? Math.min(...defined) : undefined;
};

/**
 * Reduces one merchant's counter rows of the last 1096 days (complaints and reports) and 366 days
 * (praise) to the counted inputs as of day `t`; `anyFiledSoFar` comes from a lookup of its own.
 * Gives exactly the counts and weighted sums `ratingInputs` gives from the records.
 */
export function countedInputs(rows: readonly DayCountRow[], t: number, anyFiledSoFar: boolean): CountedInputs {
  const counted = new DayGroup();
  const onTime = new DayGroup();
  const pending = new DayGroup();
  const late = new DayGroup();
  const concluded = new DayGroup();
  const resolved = new DayGroup();
  const recent = new Map<string, DayGroup>();
  const filed = new DayGroup();
  const praise = new DayGroup();
  const standings = { onTime, pending, late };
  for (const r of rows) {
    if (r.n === 0) continue;
    const age = t - r.day;
    const w = weightOfAge(age);
    if (r.kind === DAY_COUNT_KIND.accepted) {
      if (w === 0) continue;
      counted.add(r.day, r.n, w);
      const firstAnswer = r.answerLag === NO_ANSWER_LAG ? undefined : r.day + r.answerLag;
      // A clipped lag lies past every deadline, as the true one does: the standing is the same.
      standings[answerStanding(r.day, firstAnswer, t)].add(r.day, r.n, w);
      if (r.issueType !== '' && age <= LAST_YEAR_DAYS) {
        let group = recent.get(r.issueType);
        if (!group) recent.set(r.issueType, (group = new DayGroup()));
        group.add(r.day, r.n, 0);
      }
    } else if (r.kind === DAY_COUNT_KIND.concluded) {
      if (w === 0 || r.concludedDay > t) continue;
      concluded.add(r.day, r.n, w);
      if (r.resolved) resolved.add(r.day, r.n, w);
    } else if (r.kind === DAY_COUNT_KIND.reportFiled) {
      if (w > 0) filed.add(r.day, r.n, w);
    } else if (r.kind === DAY_COUNT_KIND.praise) {
      if (age >= 0 && age <= LAST_YEAR_DAYS) praise.add(r.day, r.n, 4);
    }
  }
  const recentGroups = [...recent].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    complaints: {
      counted: counted.tally(),
      onTime: onTime.tally(),
      pending: pending.tally(),
      late: late.tally(),
      concluded: concluded.tally(),
      resolved: resolved.tally(),
      recentByIssueType: recentGroups.map(([issueType, g]) => ({
        issueType,
        days: [...g.days].filter(([, n]) => n > 0).sort(([a], [b]) => a - b).map(([day, n]) => ({ day, n })),
        ids: [],
      })),
    },
    reports: { filed: filed.tally(), anyFiledSoFar },
    praise: praise.tally(),
    walkFrom: {
      complaints: minOf([counted, onTime, pending, late, concluded, resolved, ...recentGroups.map(([, g]) => g)].map((g) => g.from())),
      reports: filed.from(),
      praise: praise.from(),
    },
  };
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
