/**
 * The integrity rating, model v1 (explained in docs/rating.md), as a pure function of one
 * merchant's records and an as-of date. No GraphQL, no database, no clock.
 *
 * Exactness: record weights are 1, ½ or ¼, so weighted sums are kept as integer quarters and
 * every factor is computed as a fraction and rounded half-up to hundredths in integers. Points are
 * carried as integer hundredths, so the factors add up to the score exactly.
 */
import { addWorkingDays } from '../calendar';
import { shanghaiDate, type LocalDate } from '../local-date';
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

const MS_PER_DAY = 86_400_000;

function dayNumber(date: LocalDate): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return Math.round(Date.UTC(y, m - 1, d) / MS_PER_DAY);
}

/** Days from `date` to `asOf` (negative when the record is dated after it). */
export function ageInDays(date: LocalDate, asOf: LocalDate): number {
  return dayNumber(asOf) - dayNumber(date);
}

/** A record's weight in quarters (4 = 1, 2 = ½, 1 = ¼, 0 = ignored), by its age. */
export function weightQuarters(date: LocalDate, asOf: LocalDate): number {
  const age = ageInDays(date, asOf);
  if (age < 0) return 0;
  if (age <= 365) return 4;
  if (age <= 730) return 2;
  if (age <= 1095) return 1;
  return 0;
}

const inLastYear = (date: LocalDate, asOf: LocalDate) => {
  const age = ageInDays(date, asOf);
  return age >= 0 && age <= 365;
};

const day = (instant: Date) => shanghaiDate(instant);

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

/** A complaint the model counts: accepted on or before T and young enough to weigh something. */
type Counted = RatingRecords['complaints'][number] & { acceptedOn: LocalDate; w: number };

/** Counted complaints: accepted on or before T, weighted from the acceptance day. */
function countedComplaints(records: RatingRecords, asOf: LocalDate): Counted[] {
  const counted: Counted[] = [];
  for (const c of records.complaints) {
    if (!c.acceptedAt) continue;
    const acceptedOn = day(c.acceptedAt);
    if (acceptedOn > asOf) continue;
    const w = weightQuarters(acceptedOn, asOf);
    if (w > 0) counted.push({ ...c, acceptedOn, w });
  }
  return counted;
}

const sumW = (items: readonly { w: number }[]) => items.reduce((sum, c) => sum + c.w, 0);

/** Share of counted complaints answered by the merchant within the answer deadline; 30 points. */
function responsiveness(counted: readonly Counted[], asOf: LocalDate): Factor {
  let onTimeW = 0;
  let allW = 0;
  const onTime: string[] = [];
  const late: string[] = [];
  const pending: string[] = [];
  for (const c of counted) {
    const due = addWorkingDays(c.acceptedOn, DEADLINE_WORKING_DAYS.answer).date;
    const first = c.answeredAt.map(day).filter((d) => d <= asOf).sort()[0];
    if (first !== undefined && first <= due) {
      onTimeW += c.w;
      allW += c.w;
      onTime.push(c.id);
    } else if (first === undefined && asOf <= due) {
      pending.push(c.id);
    } else {
      allW += c.w;
      late.push(c.id);
    }
  }
  return {
    key: 'responsiveness',
    kind: 'POSITIVE',
    hundredths: allW === 0 ? 3000 : scaledHundredths(30, onTimeW, allW),
    max: 30,
    limit: null,
    evidence: {
      answeredOnTime: onTime.length,
      answeredLateOrNot: late.length,
      pendingWithinDeadline: pending.length,
      weightedOnTime: quartersToNumber(onTimeW),
      weightedAll: quartersToNumber(allW),
      recordIds: [...onTime, ...late],
    },
  };
}

/** Share of concluded complaints mediated or withdrawn; 25 points. */
function resolution(counted: readonly Counted[], asOf: LocalDate): Factor {
  const concluded = counted.filter((c) => c.concludedAt && day(c.concludedAt) <= asOf && isConcludedComplaint(c.status));
  const resolved = concluded.filter((c) => (RESOLVED_COMPLAINT_STATUSES as readonly string[]).includes(c.status));
  const allW = sumW(concluded);
  const goodW = sumW(resolved);
  return {
    key: 'resolution',
    kind: 'POSITIVE',
    hundredths: allW === 0 ? 2500 : scaledHundredths(25, goodW, allW),
    max: 25,
    limit: null,
    evidence: {
      concluded: concluded.length,
      mediatedOrWithdrawn: resolved.length,
      weightedResolved: quartersToNumber(goodW),
      weightedConcluded: quartersToNumber(allW),
      recordIds: concluded.map((c) => c.id),
    },
  };
}

/** V = countedW / allowance; 15 if V ≤ 1, 0 if V ≥ 3, else 15 × (3 − V) / 2. */
function volume(counted: readonly Counted[], sizeBand: SizeBand): Factor {
  const countedW = sumW(counted);
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
      countedComplaints: counted.length,
      weightedComplaints: quartersToNumber(countedW),
      allowance: ALLOWANCE[sizeBand],
      sizeBand,
      ratio: quartersToNumber(countedW) / ALLOWANCE[sizeBand],
      recordIds: counted.map((c) => c.id),
    },
  };
}

/** A pledge honoured on T: 10 points after a clean last audit, 7 before any, 0 after a VIOLATION. */
function pledge(records: RatingRecords, asOf: LocalDate): Factor {
  const inEffect = activePledgeOn(records.pledges, asOf);
  let hundredths = 0;
  const evidence: RatingFactor['evidence'] = { pledgeInEffect: Boolean(inEffect), recordIds: [] };
  if (inEffect) {
    const last = records.audits
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
function disputeChannel(records: RatingRecords, asOf: LocalDate): Factor {
  const settlement = enrollmentOn(records.enrollments, 'SETTLEMENT_PLATFORM', asOf);
  const odr = enrollmentOn(records.enrollments, 'ODR', asOf);
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
function pledgeViolations(records: RatingRecords, asOf: LocalDate): Factor {
  const violations = records.audits.filter((a) => a.outcome === 'VIOLATION' && weightQuarters(a.auditedOn, asOf) > 0);
  const revoked = records.pledges.filter((p) => p.revokedAt && weightQuarters(day(p.revokedAt), asOf) > 0);
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
      recordIds: [...violations.map((a) => a.id), ...revoked.map((p) => p.id)],
    },
  };
}

/** −10 × w per report on which a case was filed; at most −40. */
function substantiatedReports(records: RatingRecords, asOf: LocalDate): Factor {
  const filed = records.reports.filter((r) => r.caseFiledAt && weightQuarters(day(r.caseFiledAt), asOf) > 0);
  const raw = filed.reduce((s, r) => s + 250 * weightQuarters(day(r.caseFiledAt!), asOf), 0);
  return {
    key: 'substantiatedReports',
    kind: 'DEDUCTION',
    hundredths: -Math.min(raw, 4000),
    max: null,
    limit: -40,
    evidence: { casesFiled: filed.length, uncappedPoints: -raw / 100, recordIds: filed.map((r) => r.id) },
  };
}

/**
 * −10 once, for an issue type with three complaints within 89 days in the last year and no
 * pattern response dated on or after the pattern's latest qualifying day.
 */
function complaintPattern(counted: readonly Counted[], responses: RatingRecords['patternResponses'], asOf: LocalDate): Factor {
  const byType = new Map<string, { id: string; on: LocalDate }[]>();
  for (const c of counted) {
    if (!c.issueType || !inLastYear(c.acceptedOn, asOf)) continue;
    byType.set(c.issueType, [...(byType.get(c.issueType) ?? []), { id: c.id, on: c.acceptedOn }]);
  }
  const patterns: { issueType: string; patternDay: LocalDate; responded: boolean; ids: string[] }[] = [];
  for (const [issueType, list] of byType) {
    const days = list.map((x) => x.on).sort();
    let patternDay: LocalDate | null = null;
    for (const d of days) {
      const within = days.filter((e) => e <= d && ageInDays(e, d) <= 89).length;
      if (within >= 3 && (patternDay === null || d > patternDay)) patternDay = d;
    }
    if (!patternDay) continue;
    const since = patternDay;
    const responded = responses.some((r) => r.issueType === issueType && day(r.respondedAt) >= since && day(r.respondedAt) <= asOf);
    patterns.push({ issueType, patternDay, responded, ids: list.map((x) => x.id) });
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
      recordIds: unanswered.flatMap((p) => p.ids),
    },
  };
}

/**
 * A host: −10 without a fund, or with one below its required minimum on T. A tenant: −5 per
 * payout made for it in the last year and not fully reimbursed by T, at most −15.
 */
function compensationFund(records: RatingRecords, asOf: LocalDate): Factor {
  let hundredths = 0;
  const evidence: RatingFactor['evidence'] = { recordIds: [] };
  if (records.hostsTenants) {
    const fund = records.fund && day(records.fund.openedAt) <= asOf ? records.fund : null;
    // Kinds come from the ledger_entry_kind enum; the ledger's sign table decides what they do.
    const balance = fund ? balanceOf(fund.entries.filter((e) => day(e.occurredAt) <= asOf).map((e) => ({ kind: e.kind as LedgerEntryKind, amountFen: e.amountFen }))) : null;
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
    const open = records.payoutsForTenant.filter((p) => {
      if (!inLastYear(day(p.occurredAt), asOf)) return false;
      const repaid = p.reimbursements.filter((r) => day(r.occurredAt) <= asOf).map((r) => r.amountFen);
      return remainingReimbursable(p.amountFen, repaid) > 0;
    });
    hundredths = -Math.min(500 * open.length, 1500);
    if (records.payoutsForTenant.length) {
      Object.assign(evidence, { role: 'TENANT', unreimbursedPayouts: open.length, recordIds: open.map((p) => p.id) });
    }
  }
  return { key: 'compensationFund', kind: 'DEDUCTION', hundredths, max: null, limit: records.hostsTenants ? -10 : -15, evidence };
}

/** +1 per praise in the last year, at most +3. */
function praise(records: RatingRecords, asOf: LocalDate): Factor {
  const recent = records.praise.filter((p) => inLastYear(day(p.receivedAt), asOf));
  return {
    key: 'praise',
    kind: 'ADJUSTMENT',
    hundredths: Math.min(recent.length, 3) * 100,
    max: null,
    limit: 3,
    evidence: { praiseInLastYear: recent.length, recordIds: recent.map((p) => p.id) },
  };
}

/** Clamps the sum to 0…100, then caps it for a listed merchant; extra factors carry any difference. */
function clampAndCap(sum: number, listEntries: RatingRecords['listEntries'], asOf: LocalDate): { score: number; adjustments: Factor[] } {
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
      evidence: { list: serious.length ? 'SERIOUS_VIOLATION' : 'ABNORMAL_OPERATIONS', recordIds: [...serious, ...abnormal].map((e) => e.id) },
    });
  }
  return { score, adjustments };
}

/** NR instead of the score's grade: under 90 days old with no counted complaint, audit or filed case yet. */
function notRatedYet(records: RatingRecords, counted: readonly Counted[], asOf: LocalDate): boolean {
  const auditsSoFar = records.audits.some((a) => a.auditedOn <= asOf);
  const reportsSoFar = records.reports.some((r) => r.caseFiledAt && day(r.caseFiledAt) <= asOf);
  const young = ageInDays(records.merchant.establishedOn, asOf) < 90;
  return young && counted.length === 0 && !auditsSoFar && !reportsSoFar;
}

/** Rates one merchant as of `asOf` (a Shanghai calendar date). Deterministic. */
export function rate(records: RatingRecords, asOf: LocalDate): Rating {
  const counted = countedComplaints(records, asOf);
  const factors: Factor[] = [
    responsiveness(counted, asOf),
    resolution(counted, asOf),
    volume(counted, records.merchant.sizeBand),
    pledge(records, asOf),
    disputeChannel(records, asOf),
    tenure(records.merchant, asOf),
    pledgeViolations(records, asOf),
    substantiatedReports(records, asOf),
    complaintPattern(counted, records.patternResponses, asOf),
    compensationFund(records, asOf),
    praise(records, asOf),
  ];
  const sum = factors.reduce((s, f) => s + f.hundredths, 0);
  const { score, adjustments } = clampAndCap(sum, records.listEntries, asOf);
  factors.push(...adjustments);

  const scoreGrade = gradeForScore(toPoints(score));
  const grade: Grade = notRatedYet(records, counted, asOf) ? 'NR' : scoreGrade;
  return {
    modelVersion: MODEL_VERSION,
    asOf,
    score: toPoints(score),
    grade,
    scoreGrade,
    factors: factors.map((f) => ({ key: f.key, kind: f.kind, points: toPoints(f.hundredths), max: f.max, limit: f.limit, evidence: f.evidence })),
  };
}
