/**
 * The integrity rating, model v1 (explained in docs/rating.md), as a pure function of one
 * merchant's records and an as-of date. No GraphQL, no database, no clock.
 *
 * Exactness: record weights are 1, ½ or ¼, so weighted sums are kept as integer quarters and
 * every factor is computed as a fraction and rounded half-up to hundredths in integers. Points are
 * carried as integer hundredths, so the factors add up to the score exactly.
 */
import { addWorkingDays } from '../calendar';
import { dateOfDayNumber, dayNumberOf, shanghaiDate, shanghaiDayNumber, type LocalDate } from '../local-date';
import { DEADLINE_WORKING_DAYS } from '../appeal-deadlines';
import { isConcludedComplaint, RESOLVED_COMPLAINT_STATUSES } from '../appeal-workflow';
import { enrollmentOn } from '../enrollment';
import { listedOn } from '../credit-list';
import { balanceOf, isBelowMinimum, remainingReimbursable, type LedgerEntryKind } from '../ledger';
import { activePledgeOn } from '../pledge-period';

export const MODEL_VERSION = 'v1';

export type SizeBand = 'MICRO' | 'SMALL' | 'MEDIUM' | 'LARGE';
export type Grade = 'A' | 'B' | 'C' | 'D' | 'NR';

/** Everything the model reads about one merchant. Instants are Dates; calendar dates are strings. */
export interface RatingRecords {
  merchant: { id: string; sizeBand: SizeBand; establishedOn: LocalDate };
  /** Appeals of type COMPLAINT against the merchant. */
  complaints: {
    id: string;
    acceptedAt: Date | null;
    status: string;
    concludedAt: Date | null;
    issueType: string | null;
    /** All of the merchant's answers to it (the model takes the first on or before T). */
    answeredAt: Date[];
  }[];
  /** Appeals of type REPORT against the merchant. */
  reports: { id: string; caseFiledAt: Date | null }[];
  /** Appeals of type PRAISE naming the merchant. */
  praise: { id: string; receivedAt: Date }[];
  pledges: {
    id: string;
    effectiveFrom: LocalDate;
    expiresOn: LocalDate | null;
    revokedAt: Date | null;
    /** Status changes, in any order; the status at T is the last one on or before T. */
    statusChanges: { toStatus: string; at: Date }[];
  }[];
  audits: { id: string; pledgeId: string; auditedOn: LocalDate; outcome: 'COMPLIANT' | 'MINOR_ISSUES' | 'VIOLATION' }[];
  enrollments: { id: string; program: 'SETTLEMENT_PLATFORM' | 'ODR'; startedAt: Date; endedAt: Date | null }[];
  listEntries: { id: string; list: 'ABNORMAL_OPERATIONS' | 'SERIOUS_VIOLATION'; listedOn: LocalDate; removedOn: LocalDate | null }[];
  patternResponses: { id: string; issueType: string; respondedAt: Date }[];
  /** Whether at least one other merchant names this one as its host. */
  hostsTenants: boolean;
  /** The merchant's own fund, when it has one. */
  fund: { id: string; requiredMinimumFen: number; openedAt: Date; entries: { id: string; kind: string; amountFen: number; occurredAt: Date }[] } | null;
  /** Payouts made on this merchant's behalf from its host's fund, with their reimbursements. */
  payoutsForTenant: { id: string; amountFen: number; occurredAt: Date; reimbursements: { amountFen: number; occurredAt: Date }[] }[];
}

export type FactorKey =
  | 'responsiveness'
  | 'resolution'
  | 'volume'
  | 'pledge'
  | 'disputeChannel'
  | 'tenure'
  | 'pledgeViolations'
  | 'substantiatedReports'
  | 'complaintPattern'
  | 'compensationFund'
  | 'praise'
  | 'clamp'
  | 'cap';

export interface RatingFactor {
  key: FactorKey;
  kind: 'POSITIVE' | 'DEDUCTION' | 'ADJUSTMENT';
  /** Points to two decimals (deductions negative). */
  points: number;
  /** Positive factors: the most they can give. */
  max: number | null;
  /** Deductions and adjustments: the most they can take or give (negative for deductions). */
  limit: number | null;
  /** How the points came about: counts, weighted sums, and the ids of the records used. */
  evidence: Record<string, unknown> & { recordIds: string[] };
}

export interface Rating {
  modelVersion: typeof MODEL_VERSION;
  asOf: LocalDate;
  score: number;
  grade: Grade;
  /** The grade the score gives, also when NR is shown instead. */
  scoreGrade: Exclude<Grade, 'NR'>;
  factors: RatingFactor[];
}

const ALLOWANCE: Record<SizeBand, number> = { MICRO: 1, SMALL: 3, MEDIUM: 10, LARGE: 30 };

// ---- dates -------------------------------------------------------------------------------

/** Days from `date` to `asOf` (negative when the record is dated after it). */
export function ageInDays(date: LocalDate, asOf: LocalDate): number {
  return dayNumberOf(asOf) - dayNumberOf(date);
}

/**
 * The ageing steps: a record weighs 4 quarters up to 365 days old, 2 up to 730, 1 up to 1095, then
 * nothing. The SQL that aggregates the inputs (v1.sql.ts) is built from the same table.
 */
export const WEIGHT_STEPS: readonly { maxAgeDays: number; quarters: number }[] = [
  { maxAgeDays: 365, quarters: 4 },
  { maxAgeDays: 730, quarters: 2 },
  { maxAgeDays: 1095, quarters: 1 },
];
/** The oldest age (in days) at which a record still weighs something. */
export const MAX_WEIGHTED_AGE_DAYS = 1095;
/** "The last year": ages 0 to 365 days (praise, patterns, tenant payouts). */
export const LAST_YEAR_DAYS = 365;

/** The weight in quarters of a record `age` days old. */
export function weightOfAge(age: number): number {
  if (age < 0) return 0;
  for (const step of WEIGHT_STEPS) if (age <= step.maxAgeDays) return step.quarters;
  return 0;
}

/** A record's weight in quarters (4 = 1, 2 = ½, 1 = ¼, 0 = ignored), by its age. */
export function weightQuarters(date: LocalDate, asOf: LocalDate): number {
  return weightOfAge(ageInDays(date, asOf));
}

const inLastYearAge = (age: number) => age >= 0 && age <= LAST_YEAR_DAYS;

const day = (instant: Date) => shanghaiDate(instant);
const dayNo = (instant: Date) => shanghaiDayNumber(instant);

/** The day number of the answer deadline of a complaint accepted on day `accepted` (memoised: pure). */
const answerDueCache = new Map<number, number>();
export function answerDueDay(accepted: number): number {
  let due = answerDueCache.get(accepted);
  if (due === undefined) {
    due = dayNumberOf(addWorkingDays(dateOfDayNumber(accepted), DEADLINE_WORKING_DAYS.answer).date);
    if (answerDueCache.size > 50_000) answerDueCache.clear();
    answerDueCache.set(accepted, due);
  }
  return due;
}

/** Whole years from `start` to `asOf`; a 29 February start completes its year on 1 March. */
export function wholeYears(start: LocalDate, asOf: LocalDate): number {
  const [sy, sm, sd] = start.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = asOf.split('-').map(Number) as [number, number, number];
  let years = ty - sy;
  const anniversaryMonth = sm;
  let anniversaryDay = sd;
  let month = anniversaryMonth;
  // In a year without 29 February the anniversary falls on 1 March.
  const leap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  if (sm === 2 && sd === 29 && !leap(ty)) {
    month = 3;
    anniversaryDay = 1;
  }
  if (tm < month || (tm === month && td < anniversaryDay)) years--;
  return Math.max(0, years);
}

// ---- arithmetic in hundredths --------------------------------------------------------------

/** `maxPoints × num ÷ den` in hundredths, rounded half-up (num, den ≥ 0, den > 0). */
function scaledHundredths(maxPoints: number, num: number, den: number): number {
  const numerator = maxPoints * 100 * num;
  return Math.floor((2 * numerator + den) / (2 * den));
}

// `|| 0` turns -0 (a deduction of nothing) into 0.
const toPoints = (hundredths: number) => hundredths / 100 || 0;
const quartersToNumber = (q: number) => q / 4;

/** The grade a score gives: A ≥ 90, B ≥ 75, C ≥ 60, D below. */
export function gradeForScore(score: number): Exclude<Grade, 'NR'> {
  return score >= 90 ? 'A' : score >= 75 ? 'B' : score >= 60 ? 'C' : 'D';
}

// ---- the inputs: what the model reads, aggregated as of T -----------------------------------

/**
 * The most record ids a factor's evidence lists. The counts and weighted sums beside them always
 * cover every record; the ids are the most recent ones of each group: by the record's day
 * (acceptance, case filing, receipt) descending, then by id ascending within a day, so the full
 * computation and the aggregated one (rating.inputs.ts, which reads them by walking back from T
 * only as far as the day counters say the group needs) name the same records. See docs/rating.md.
 */
export const RECORD_IDS_CAP = 100;

/** A group of records: how many, their weight in quarters, and their most recent ids (at most RECORD_IDS_CAP). */
export interface Tally {
  n: number;
  q: number;
  ids: string[];
}

export interface RatingInputs {
  asOf: LocalDate;
  merchant: RatingRecords['merchant'];
  complaints: {
    /** Accepted on or before T and at most 1095 days before. */
    counted: Tally;
    /** Of those: first answer on or before T and by the answer deadline. */
    onTime: Tally;
    /** Not answered yet and T within the deadline. */
    pending: Tally;
    /** The rest: answered late, or not at all past the deadline. */
    late: Tally;
    /** Concluded on or before T (mediated, mediation failed, withdrawn). */
    concluded: Tally;
    /** Of those, mediated or withdrawn. */
    resolved: Tally;
    /** Per issue type (ordered by it), the counted complaints of the last year: counts per day in day order, the lowest ids. */
    recentByIssueType: { issueType: string; days: { day: number; n: number }[]; ids: string[] }[];
  };
  reports: {
    /** Reports whose case was filed on or before T, weighted by the filing day. */
    filed: Tally;
    /** Whether any report (of any age) had its case filed on or before T. */
    anyFiledSoFar: boolean;
  };
  /** Praise received in the last year. */
  praise: Tally;
  pledges: RatingRecords['pledges'];
  audits: RatingRecords['audits'];
  enrollments: RatingRecords['enrollments'];
  listEntries: RatingRecords['listEntries'];
  patternResponses: RatingRecords['patternResponses'];
  hostsTenants: boolean;
  /** The merchant's own fund, with its balance from the entries dated on or before T. */
  fund: { id: string; requiredMinimumFen: number; openedAt: Date; balanceFen: number } | null;
  payoutsForTenant: RatingRecords['payoutsForTenant'];
}

/** The lowest RECORD_IDS_CAP ids, in order (the few-per-merchant records: audits, pledges, list entries, payouts). */
export function lowestIds(ids: readonly string[]): string[] {
  return [...ids].sort().slice(0, RECORD_IDS_CAP);
}

/** A record id with its day (the day that dates it for the model). */
export interface DatedId {
  id: string;
  day: number;
}

/** The RECORD_IDS_CAP most recent ids: day descending, then id ascending (lowercase uuids: string order is PostgreSQL's uuid order). */
export function mostRecentIds(records: readonly DatedId[]): string[] {
  return [...records]
    .sort((x, y) => y.day - x.day || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0))
    .slice(0, RECORD_IDS_CAP)
    .map((r) => r.id);
}

/** A tally being built from records: every id kept until `finish` keeps the most recent. */
export class TallyBuilder {
  n = 0;
  q = 0;
  readonly ids: DatedId[] = [];
  add(id: string, day: number, q: number): void {
    this.n++;
    this.q += q;
    this.ids.push({ id, day });
  }
  finish(): Tally {
    return { n: this.n, q: this.q, ids: mostRecentIds(this.ids) };
  }
}

/** Where a counted complaint's answer stands at T. */
export type AnswerStanding = 'onTime' | 'pending' | 'late';

/**
 * A complaint accepted on day `accepted` whose first answer (of all, or undefined) came on day
 * `firstAnswer`, as of day `t`: answered on time (on or before T and by the deadline), pending
 * (no answer on or before T, T within the deadline) or late (the rest). The first answer on or
 * before T is the first of all when that one is on or before T, and none otherwise.
 */
export function answerStanding(accepted: number, firstAnswer: number | undefined, t: number): AnswerStanding {
  const due = answerDueDay(accepted);
  const answered = firstAnswer !== undefined && firstAnswer <= t;
  if (answered && firstAnswer <= due) return 'onTime';
  if (!answered && t <= due) return 'pending';
  return 'late';
}

/** A complaint as the model classifies it: days as day numbers, `firstAnswer` the day of its first answer of all. */
export interface DatedComplaint {
  id: string;
  accepted: number;
  firstAnswer: number | undefined;
  concluded: number | undefined;
  status: string;
  issueType: string | null;
}

/** The complaint tallies being built (ratingInputs, and the evidence walk of rating.inputs.ts). */
export class ComplaintTallies {
  readonly counted = new TallyBuilder();
  readonly onTime = new TallyBuilder();
  readonly pending = new TallyBuilder();
  readonly late = new TallyBuilder();
  readonly concluded = new TallyBuilder();
  readonly resolved = new TallyBuilder();
  readonly recent = new Map<string, { days: Map<number, number>; ids: DatedId[] }>();
  constructor(private readonly t: number) {}

  /** Adds a complaint if it counts as of T (accepted at most 1095 days before, not after). */
  add(c: DatedComplaint): void {
    const t = this.t;
    const w = weightOfAge(t - c.accepted);
    if (w === 0) return;
    this.counted.add(c.id, c.accepted, w);
    this[answerStanding(c.accepted, c.firstAnswer, t)].add(c.id, c.accepted, w);
    if (c.concluded !== undefined && c.concluded <= t && isConcludedComplaint(c.status)) {
      this.concluded.add(c.id, c.accepted, w);
      if ((RESOLVED_COMPLAINT_STATUSES as readonly string[]).includes(c.status)) this.resolved.add(c.id, c.accepted, w);
    }
    if (c.issueType && inLastYearAge(t - c.accepted)) {
      let group = this.recent.get(c.issueType);
      if (!group) this.recent.set(c.issueType, (group = { days: new Map(), ids: [] }));
      group.days.set(c.accepted, (group.days.get(c.accepted) ?? 0) + 1);
      group.ids.push({ id: c.id, day: c.accepted });
    }
  }

  finish(): RatingInputs['complaints'] {
    return {
      counted: this.counted.finish(),
      onTime: this.onTime.finish(),
      pending: this.pending.finish(),
      late: this.late.finish(),
      concluded: this.concluded.finish(),
      resolved: this.resolved.finish(),
      recentByIssueType: [...this.recent]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([issueType, g]) => ({
          issueType,
          days: [...g.days].sort(([a], [b]) => a - b).map(([d, n]) => ({ day: d, n })),
          ids: mostRecentIds(g.ids),
        })),
    };
  }
}

/** Reduces a merchant's full records to the model's inputs as of `asOf`. */
export function ratingInputs(records: RatingRecords, asOf: LocalDate): RatingInputs {
  const t = dayNumberOf(asOf);
  const complaints = new ComplaintTallies(t);
  for (const c of records.complaints) {
    if (!c.acceptedAt) continue;
    let firstAnswer: number | undefined;
    for (const at of c.answeredAt) {
      const d = dayNo(at);
      if (firstAnswer === undefined || d < firstAnswer) firstAnswer = d;
    }
    complaints.add({ id: c.id, accepted: dayNo(c.acceptedAt), firstAnswer, concluded: c.concludedAt ? dayNo(c.concludedAt) : undefined, status: c.status, issueType: c.issueType });
  }
  const filed = new TallyBuilder();
  let anyFiledSoFar = false;
  for (const r of records.reports) {
    if (!r.caseFiledAt) continue;
    const filedDay = dayNo(r.caseFiledAt);
    if (filedDay <= t) anyFiledSoFar = true;
    const w = weightOfAge(t - filedDay);
    if (w > 0) filed.add(r.id, filedDay, w);
  }
  const praise = new TallyBuilder();
  for (const p of records.praise) {
    const received = dayNo(p.receivedAt);
    if (inLastYearAge(t - received)) praise.add(p.id, received, 4);
  }
  const fund = records.fund
    ? {
        id: records.fund.id,
        requiredMinimumFen: records.fund.requiredMinimumFen,
        openedAt: records.fund.openedAt,
        // Kinds come from the ledger_entry_kind enum; the ledger's sign table decides what they do.
        balanceFen: balanceOf(records.fund.entries.filter((e) => dayNo(e.occurredAt) <= t).map((e) => ({ kind: e.kind as LedgerEntryKind, amountFen: e.amountFen }))),
      }
    : null;
  return {
    asOf,
    merchant: records.merchant,
    complaints: complaints.finish(),
    reports: { filed: filed.finish(), anyFiledSoFar },
    praise: praise.finish(),
    pledges: records.pledges,
    audits: records.audits,
    enrollments: records.enrollments,
    listEntries: records.listEntries,
    patternResponses: records.patternResponses,
    hostsTenants: records.hostsTenants,
    fund,
    payoutsForTenant: records.payoutsForTenant,
  };
}

// ---- the model ------------------------------------------------------------------------------

/** A factor while it is computed: points in integer hundredths. */
interface Factor {
  key: FactorKey;
  kind: RatingFactor['kind'];
  hundredths: number;
  max: number | null;
  limit: number | null;
  evidence: RatingFactor['evidence'];
}

const capIds = (ids: readonly string[]) => ids.slice(0, RECORD_IDS_CAP);

/** Share of counted complaints answered by the merchant within the answer deadline; 30 points. */
function responsiveness({ onTime, late, pending }: RatingInputs['complaints']): Factor {
  const allW = onTime.q + late.q;
  return {
    key: 'responsiveness',
    kind: 'POSITIVE',
    hundredths: allW === 0 ? 3000 : scaledHundredths(30, onTime.q, allW),
    max: 30,
    limit: null,
    evidence: {
      answeredOnTime: onTime.n,
      answeredLateOrNot: late.n,
      pendingWithinDeadline: pending.n,
      weightedOnTime: quartersToNumber(onTime.q),
      weightedAll: quartersToNumber(allW),
      recordIds: capIds([...onTime.ids, ...late.ids]),
    },
  };
}

/** Share of concluded complaints mediated or withdrawn; 25 points. */
function resolution({ concluded, resolved }: RatingInputs['complaints']): Factor {
  return {
    key: 'resolution',
    kind: 'POSITIVE',
    hundredths: concluded.q === 0 ? 2500 : scaledHundredths(25, resolved.q, concluded.q),
    max: 25,
    limit: null,
    evidence: {
      concluded: concluded.n,
      mediatedOrWithdrawn: resolved.n,
      weightedResolved: quartersToNumber(resolved.q),
      weightedConcluded: quartersToNumber(concluded.q),
      recordIds: concluded.ids,
    },
  };
}

/** V = countedW / allowance; 15 if V ≤ 1, 0 if V ≥ 3, else 15 × (3 − V) / 2. */
function volume(counted: Tally, sizeBand: SizeBand): Factor {
  const countedW = counted.q;
  const allowanceQ = ALLOWANCE[sizeBand] * 4;
  let hundredths: number;
  if (countedW <= allowanceQ) hundredths = 1500;
  else if (countedW >= 3 * allowanceQ) hundredths = 0;
  // 15 × (3 − w/a) / 2 = 15 × (3a − w) / (2a)
  else hundredths = scaledHundredths(15, 3 * allowanceQ - countedW, 2 * allowanceQ);
  return {
    key: 'volume',
    kind: 'POSITIVE',
    hundredths,
    max: 15,
    limit: null,
    evidence: {
      countedComplaints: counted.n,
      weightedComplaints: quartersToNumber(countedW),
      allowance: ALLOWANCE[sizeBand],
      sizeBand,
      ratio: quartersToNumber(countedW) / ALLOWANCE[sizeBand],
      recordIds: counted.ids,
    },
  };
}

/** A pledge honoured on T: 10 points after a clean last audit, 7 before any, 0 after a VIOLATION. */
function pledge(inputs: RatingInputs, asOf: LocalDate): Factor {
  const inEffect = activePledgeOn(inputs.pledges, asOf);
  let hundredths = 0;
  const evidence: RatingFactor['evidence'] = { pledgeInEffect: Boolean(inEffect), recordIds: [] };
  if (inEffect) {
    const last = inputs.audits
      .filter((a) => a.pledgeId === inEffect.id && a.auditedOn <= asOf)
      .sort((a, b) => (a.auditedOn < b.auditedOn ? -1 : a.auditedOn > b.auditedOn ? 1 : a.id < b.id ? -1 : 1))
      .at(-1);
    hundredths = !last ? 700 : last.outcome === 'VIOLATION' ? 0 : 1000;
    Object.assign(evidence, { lastAuditOutcome: last?.outcome ?? null, lastAuditedOn: last?.auditedOn ?? null });
    evidence.recordIds = [inEffect.id, ...(last ? [last.id] : [])];
  }
  return { key: 'pledge', kind: 'POSITIVE', hundredths, max: 10, limit: null, evidence };
}

/** Enrolled on T: 6 points for the settlement platform, 4 for ODR recognition. */
function disputeChannel(inputs: RatingInputs, asOf: LocalDate): Factor {
  const settlement = enrollmentOn(inputs.enrollments, 'SETTLEMENT_PLATFORM', asOf);
  const odr = enrollmentOn(inputs.enrollments, 'ODR', asOf);
  return {
    key: 'disputeChannel',
    kind: 'POSITIVE',
    hundredths: (settlement ? 600 : 0) + (odr ? 400 : 0),
    max: 10,
    limit: null,
    evidence: {
      settlementPlatform: Boolean(settlement),
      odr: Boolean(odr),
      recordIds: [settlement?.id, odr?.id].filter((id): id is string => Boolean(id)),
    },
  };
}

/** Whole years since establishment: 4 points from 1, 7 from 3, 10 from 5. */
function tenure(merchant: RatingRecords['merchant'], asOf: LocalDate): Factor {
  const years = merchant.establishedOn <= asOf ? wholeYears(merchant.establishedOn, asOf) : 0;
  const hundredths = years >= 5 ? 1000 : years >= 3 ? 700 : years >= 1 ? 400 : 0;
  return {
    key: 'tenure',
    kind: 'POSITIVE',
    hundredths,
    max: 10,
    limit: null,
    evidence: { establishedOn: merchant.establishedOn, wholeYears: years, recordIds: [] },
  };
}

/** −15 × w per VIOLATION audit, −20 × w per revocation; at most −40. */
function pledgeViolations(inputs: RatingInputs, asOf: LocalDate): Factor {
  const violations = inputs.audits.filter((a) => a.outcome === 'VIOLATION' && weightQuarters(a.auditedOn, asOf) > 0);
  const revoked = inputs.pledges.filter((p) => p.revokedAt && weightQuarters(day(p.revokedAt), asOf) > 0);
  // In hundredths: 15 × (w/4) × 100 = 375 × w.
  const raw =
    violations.reduce((s, a) => s + 375 * weightQuarters(a.auditedOn, asOf), 0) +
    revoked.reduce((s, p) => s + 500 * weightQuarters(day(p.revokedAt!), asOf), 0);
  return {
    key: 'pledgeViolations',
    kind: 'DEDUCTION',
    hundredths: -Math.min(raw, 4000),
    max: null,
    limit: -40,
    evidence: {
      violationAudits: violations.length,
      revocations: revoked.length,
      uncappedPoints: -raw / 100,
      recordIds: capIds([...lowestIds(violations.map((a) => a.id)), ...lowestIds(revoked.map((p) => p.id))]),
    },
  };
}

/** −10 × w per report on which a case was filed; at most −40. */
function substantiatedReports({ filed }: RatingInputs['reports']): Factor {
  const raw = 250 * filed.q;
  return {
    key: 'substantiatedReports',
    kind: 'DEDUCTION',
    hundredths: -Math.min(raw, 4000),
    max: null,
    limit: -40,
    evidence: { casesFiled: filed.n, uncappedPoints: -raw / 100, recordIds: filed.ids },
  };
}

/**
 * −10 once, for an issue type with three complaints within 89 days in the last year and no
 * pattern response dated on or after the pattern's latest qualifying day.
 */
function complaintPattern(recent: RatingInputs['complaints']['recentByIssueType'], responses: RatingInputs['patternResponses'], asOf: LocalDate): Factor {
  const t = dayNumberOf(asOf);
  const patterns: { issueType: string; patternDay: LocalDate; responded: boolean; ids: string[] }[] = [];
  for (const { issueType, days, ids } of recent) {
    // The latest day d with at least three complaints on days d − 89 … d (a sliding window over the per-day counts).
    let patternDay: number | null = null;
    let within = 0;
    let from = 0;
    for (const { day: d, n } of days) {
      within += n;
      while (days[from]!.day < d - 89) within -= days[from++]!.n;
      if (within >= 3) patternDay = d;
    }
    if (patternDay === null) continue;
    const since = patternDay;
    const responded = responses.some((r) => {
      if (r.issueType !== issueType) return false;
      const on = dayNo(r.respondedAt);
      return on >= since && on <= t;
    });
    patterns.push({ issueType, patternDay: dateOfDayNumber(patternDay), responded, ids });
  }
  const unanswered = patterns.filter((p) => !p.responded);
  return {
    key: 'complaintPattern',
    kind: 'DEDUCTION',
    hundredths: unanswered.length ? -1000 : 0,
    max: null,
    limit: -10,
    evidence: {
      patterns: patterns.map(({ issueType, patternDay, responded }) => ({ issueType, patternDay, responded })),
      recordIds: capIds(unanswered.flatMap((p) => p.ids)),
    },
  };
}

/**
 * A host: −10 without a fund, or with one below its required minimum on T. A tenant: −5 per
 * payout made for it in the last year and not fully reimbursed by T, at most −15.
 */
function compensationFund(inputs: RatingInputs, asOf: LocalDate): Factor {
  const t = dayNumberOf(asOf);
  let hundredths = 0;
  const evidence: RatingFactor['evidence'] = { recordIds: [] };
  if (inputs.hostsTenants) {
    const fund = inputs.fund && dayNo(inputs.fund.openedAt) <= t ? inputs.fund : null;
    const balance = fund ? fund.balanceFen : null;
    const short = fund === null || balance === null || isBelowMinimum(balance, fund.requiredMinimumFen);
    hundredths = short ? -1000 : 0;
    Object.assign(evidence, {
      role: 'HOST',
      hasFund: fund !== null,
      balanceFen: balance,
      requiredMinimumFen: fund?.requiredMinimumFen ?? null,
      recordIds: fund ? [fund.id] : [],
    });
  } else {
    const open = inputs.payoutsForTenant.filter((p) => {
      if (!inLastYearAge(t - dayNo(p.occurredAt))) return false;
      const repaid = p.reimbursements.filter((r) => dayNo(r.occurredAt) <= t).map((r) => r.amountFen);
      return remainingReimbursable(p.amountFen, repaid) > 0;
    });
    hundredths = -Math.min(500 * open.length, 1500);
    if (inputs.payoutsForTenant.length) {
      Object.assign(evidence, { role: 'TENANT', unreimbursedPayouts: open.length, recordIds: lowestIds(open.map((p) => p.id)) });
    }
  }
  return { key: 'compensationFund', kind: 'DEDUCTION', hundredths, max: null, limit: inputs.hostsTenants ? -10 : -15, evidence };
}

/** +1 per praise in the last year, at most +3. */
function praise(recent: Tally): Factor {
  return {
    key: 'praise',
    kind: 'ADJUSTMENT',
    hundredths: Math.min(recent.n, 3) * 100,
    max: null,
    limit: 3,
    evidence: { praiseInLastYear: recent.n, recordIds: recent.ids },
  };
}

/** Clamps the sum to 0…100, then caps it for a listed merchant; extra factors carry any difference. */
function clampAndCap(sum: number, listEntries: RatingInputs['listEntries'], asOf: LocalDate): { score: number; adjustments: Factor[] } {
  const adjustments: Factor[] = [];
  const clamped = Math.min(10_000, Math.max(0, sum));
  if (clamped !== sum) {
    adjustments.push({ key: 'clamp', kind: 'ADJUSTMENT', hundredths: clamped - sum, max: null, limit: null, evidence: { unclamped: sum / 100, recordIds: [] } });
  }
  const listed = (list: 'ABNORMAL_OPERATIONS' | 'SERIOUS_VIOLATION') => listEntries.filter((e) => e.list === list && listedOn(e, asOf));
  const serious = listed('SERIOUS_VIOLATION');
  const abnormal = listed('ABNORMAL_OPERATIONS');
  const ceiling = serious.length ? 3999 : abnormal.length ? 5999 : 10_000;
  const score = Math.min(clamped, ceiling);
  if (score !== clamped) {
    adjustments.push({
      key: 'cap',
      kind: 'ADJUSTMENT',
      hundredths: score - clamped,
      max: null,
      limit: ceiling / 100,
      evidence: {
        list: serious.length ? 'SERIOUS_VIOLATION' : 'ABNORMAL_OPERATIONS',
        recordIds: capIds([...lowestIds(serious.map((e) => e.id)), ...lowestIds(abnormal.map((e) => e.id))]),
      },
    });
  }
  return { score, adjustments };
}

/** NR instead of the score's grade: under 90 days old with no counted complaint, audit or filed case yet. */
function notRatedYet(inputs: RatingInputs, asOf: LocalDate): boolean {
  const auditsSoFar = inputs.audits.some((a) => a.auditedOn <= asOf);
  const young = ageInDays(inputs.merchant.establishedOn, asOf) < 90;
  return young && inputs.complaints.counted.n === 0 && !auditsSoFar && !inputs.reports.anyFiledSoFar;
}

/** Rates one merchant from its inputs as of their day. Deterministic. */
export function rateInputs(inputs: RatingInputs): Rating {
  const { asOf } = inputs;
  const factors: Factor[] = [
    responsiveness(inputs.complaints),
    resolution(inputs.complaints),
    volume(inputs.complaints.counted, inputs.merchant.sizeBand),
    pledge(inputs, asOf),
    disputeChannel(inputs, asOf),
    tenure(inputs.merchant, asOf),
    pledgeViolations(inputs, asOf),
    substantiatedReports(inputs.reports),
    complaintPattern(inputs.complaints.recentByIssueType, inputs.patternResponses, asOf),
    compensationFund(inputs, asOf),
    praise(inputs.praise),
  ];
  const sum = factors.reduce((s, f) => s + f.hundredths, 0);
  const { score, adjustments } = clampAndCap(sum, inputs.listEntries, asOf);
  factors.push(...adjustments);

  const scoreGrade = gradeForScore(toPoints(score));
  const grade: Grade = notRatedYet(inputs, asOf) ? 'NR' : scoreGrade;
  return {
    modelVersion: MODEL_VERSION,
    asOf,
    score: toPoints(score),
    grade,
    scoreGrade,
    factors: factors.map((f) => ({ key: f.key, kind: f.kind, points: toPoints(f.hundredths), max: f.max, limit: f.limit, evidence: f.evidence })),
  };
}

/** Rates one merchant as of `asOf` (a Shanghai calendar date) from its full records. Deterministic. */
export function rate(records: RatingRecords, asOf: LocalDate): Rating {
  return rateInputs(ratingInputs(records, asOf));
}
