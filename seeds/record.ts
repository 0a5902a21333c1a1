/**
 * The seed of record: Suizhou's 12315 appeals of 2022 and 2023, generated so that the annual
 * report computed from the rows reproduces every figure the city bureau published for 2023
 * (docs/annual-report.md, "The published 2023 figures"), and the 2022 rows give the right bases for
 * the year-on-year changes.
 *
 * Pure and deterministic like the rest of the demo (seeds/demo.ts): a seeded PRNG, ids derived
 * from natural keys (the external id), no clock. Every row is a legal workflow path
 * (buildAppealRecord) and its transition rows are that path; deadlines come from the official
 * working-day calendar.
 *
 * The exact figures are not left to chance: every count the report reads (per type, per
 * category, per outcome, late or on time) is fixed first and then dealt out to shuffled rows, so
 * only the realistic detail (days, hours, merchants, amounts) is random.
 */
import type { appealTransitions, appeals, merchantAnswers } from '../src/db/schema';
import { buildAppealRecord, type AppealFacts } from '../src/domain/appeal-record';
import type { AppealStatus } from '../src/domain/appeal-workflow';
import type { IssueType, ViolationType } from '../src/domain/appeal-taxonomy';
import { addWorkingDays, isWorkingDay } from '../src/domain/calendar';
import { day, isoDate } from './dates';
import { DEFAULT_DEMO_SEED, SEED_ACTOR, type MerchantRow } from './demo';
import { seedId } from './ids';
import { Random } from './random';

export type RecordAppealRow = typeof appeals.$inferInsert & { id: string; externalId: string };
export type RecordTransitionRow = typeof appealTransitions.$inferInsert & { id: string };
export type RecordAnswerRow = typeof merchantAnswers.$inferInsert & { id: string };

/** The rows of the seed of record, in insert order (appeals before what refers to them). */
export interface RecordSeed {
  appeals: RecordAppealRow[];
  appealTransitions: RecordTransitionRow[];
  merchantAnswers: RecordAnswerRow[];
}

export interface RecordSeedOptions {
  /** PRNG seed; the default is the demo's, so `npm start` always loads the same records. */
  seed?: number;
}

export type Channel = RecordAppealRow['channel'];
type Industry = MerchantRow['industry'];
type SizeBand = MerchantRow['sizeBand'];

// ---- arithmetic of the published percentages ----------------------------------------------

/**
 * `100 × n ÷ d` rounded half-up to two decimals, as an integer number of hundredths (−2.15 →
 * −215). Exact in integers; the sign is applied after rounding the magnitude, which is what
 * PostgreSQL's `round(numeric, 2)` does. The seed's figures never sit on a tie anyway.
 */
export function percentHundredths(n: number, d: number): number {
  if (d <= 0) throw new RangeError('percentage of an empty denominator');
  const magnitude = Math.floor((20_000 * Math.abs(n) + d) / (2 * d));
  return n < 0 ? -magnitude : magnitude;
}

/** Whether `100 × n ÷ d` lies exactly half-way between two hundredths (where rounding rules differ). */
export function isHalfwayPercent(n: number, d: number): boolean {
  return (20_000 * Math.abs(n)) % (2 * d) === d;
}

/** The count out of `d` nearest `target` hundredths that rounds to exactly `target` (and is no tie). */
export function countForPercent(targetHundredths: number, d: number): number {
  const guess = Math.round((targetHundredths * d) / 10_000);
  for (let delta = 0; delta <= 5; delta++) {
    for (const n of [guess - delta, guess + delta]) {
      if (n >= 0 && n <= d && percentHundredths(n, d) === targetHundredths && !isHalfwayPercent(n, d)) return n;
    }
  }
  throw new RangeError(`no count out of ${d} gives ${targetHundredths / 100}%`);
}

// ---- the published figures and the integer solution ---------------------------------------

/** The figures the 2023 report must reproduce, in hundredths of a percent where a percentage. */
export const PUBLISHED_2023 = {
  consultations: 216,
  complaints: 23_971,
  reports: 3_259,
  praise: 1,
  decidedOnTimePct: 9_953,
  concludedOnTimePct: 9_963,
  mediationSuccessPct: 7_178,
  reportsVerifiedOnTimePct: 9_883,
  recoveredFen: 708_680_000,
  goodsChangePct: -215,
  servicesChangePct: 2_615,
  vehiclesChangePct: -2_693,
  salesSharePct: 2_429,
  internetSharePct: 1_875,
  reportsChangePct: 3_329,
} as const;

// eslint-disable-next-line @typescript-eslint/no-unused-vars -- the list is the source of the category type
const GOODS_CODES = [
  'GOODS.FOOD',
  'GOODS.VEHICLES',
  'GOODS.CLOTHING',
  'GOODS.HOME_APPLIANCES',
  'GOODS.DAILY_GOODS',
  'GOODS.COMMUNICATIONS',
  'GOODS.FURNITURE_BUILDING',
  'GOODS.MEDICAL',
  'GOODS.COSMETICS_JEWELRY',
  'GOODS.AGRICULTURAL',
  'GOODS.OTHER',
] as const;
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- the list is the source of the category type
const SERVICE_CODES = [
  'SERVICES.SALES.PREPAID',
  'SERVICES.SALES.OTHER',
  'SERVICES.INTERNET',
  'SERVICES.CATERING_LODGING',
  'SERVICES.LIFE',
  'SERVICES.EDUCATION_TRAINING',
  'SERVICES.CULTURE_SPORTS',
  'SERVICES.TOURISM',
  'SERVICES.PROPERTY',
  'SERVICES.TELECOM',
  'SERVICES.AFTER_SALES',
  'SERVICES.FINANCE',
  'SERVICES.POSTAL',
  'SERVICES.OTHER',
] as const;
/** Complaint categories used by the seed: always level 2 or 3 (never the bare group). */
export type ComplaintCategory = (typeof GOODS_CODES)[number] | (typeof SERVICE_CODES)[number];

/** Everything counted about one year: fixed before any row is drawn. */
interface YearPlan {
  year: 2022 | 2023;
  consultations: number;
  praise: number;
  complaintsByCategory: Record<ComplaintCategory, number>;
  reportsByViolation: Record<ViolationType, number>;
  /** Complaints rejected; all others are accepted and concluded. */
  rejected: number;
  mediated: number;
  failed: number;
  /** Decided (accepted or rejected) after the 7-working-day acceptance deadline. */
  lateDecisions: number;
  /** Concluded after the 45-working-day deadline. */
  lateConclusions: number;
  extendedReports: number;
  /** Reports decided after their verification deadline (extended or not). */
  lateVerifications: number;
  caseFiled: number;
  /** The exact total recovered, in yuan (the drawn amounts are scaled to it). */
  recoveredYuan: number;
  /** Share of accepted complaints the merchant answered (0 for years before the registry's answers). */
  answered: number;
}

/** Allocates the remainder of `total` to the key `rest`, after the given exact counts. */
function withRest<K extends string>(total: number, counts: Partial<Record<K, number>>, rest: K): Record<K, number> {
  const used = Object.values<number | undefined>(counts).reduce<number>((s, n) => s + (n ?? 0), 0);
  if (used > total) throw new RangeError(`categories exceed the total ${total}`);
  return { ...counts, [rest]: total - used };
}

/*
 * The complaint groups. With C = 23,971 complaints in 2023, the goods change −2.15% and the
 * services change +26.15% admit thousands of (g22, s22, g23, s23) solutions, and the service
 * shares 24.29% / 18.75% need s23 such that both round exactly. We take the one with round
 * numbers and goods the larger group (as it is in a city of Suizhou's size):
 *
 *   goods    2022: 14,278  2023: 13,971   (−307 / 14,278 = −2.1502%)
 *   services 2022:  7,927  2023: 10,000   (+2,073 / 7,927 = +26.1511%)
 *   sales 2,429 / 10,000 = 24.29%; internet 1,875 / 10,000 = 18.75%
 *   vehicles 2022: 2,258   2023: 1,650    (−608 / 2,258 = −26.9265%)
 *   food + vehicles + clothing 2023 = 3,620 + 1,650 + 2,140 = 7,410 of 13,971 = 53.04%
 *   reports  2022: 2,445   2023: 3,259    (+814 / 2,445 = +33.2924%)
 *
 * The remaining categories are a plausible mix (prepaid is most of sales, per the document).
 */
const GOODS_2022 = withRest<(typeof GOODS_CODES)[number]>(
  14_278,
  {
    'GOODS.FOOD': 3_540,
    'GOODS.VEHICLES': 2_258,
    'GOODS.CLOTHING': 2_060,
    'GOODS.HOME_APPLIANCES': 1_650,
    'GOODS.DAILY_GOODS': 1_150,
    'GOODS.COMMUNICATIONS': 1_090,
    'GOODS.FURNITURE_BUILDING': 760,
    'GOODS.MEDICAL': 520,
    'GOODS.COSMETICS_JEWELRY': 540,
    'GOODS.AGRICULTURAL': 300,
  },
  'GOODS.OTHER',
);
/** Complaints per goods category in 2023 (also the scale seed's category mix). */
export const GOODS_2023 = withRest<(typeof GOODS_CODES)[number]>(
  13_971,
  {
    'GOODS.FOOD': 3_620,
    'GOODS.VEHICLES': 1_650,
    'GOODS.CLOTHING': 2_140,
    'GOODS.HOME_APPLIANCES': 1_580,
    'GOODS.DAILY_GOODS': 1_130,
    'GOODS.COMMUNICATIONS': 1_010,
    'GOODS.FURNITURE_BUILDING': 720,
    'GOODS.MEDICAL': 390,
    'GOODS.COSMETICS_JEWELRY': 560,
    'GOODS.AGRICULTURAL': 280,
  },
  'GOODS.OTHER',
);
const SERVICES_2022 = withRest<(typeof SERVICE_CODES)[number]>(
  7_927,
  {
    'SERVICES.SALES.PREPAID': 1_520,
    'SERVICES.SALES.OTHER': 380,
    'SERVICES.INTERNET': 1_150,
    'SERVICES.CATERING_LODGING': 980,
    'SERVICES.LIFE': 760,
    'SERVICES.EDUCATION_TRAINING': 640,
    'SERVICES.CULTURE_SPORTS': 380,
    'SERVICES.TOURISM': 310,
    'SERVICES.PROPERTY': 700,
    'SERVICES.TELECOM': 290,
    'SERVICES.AFTER_SALES': 210,
    'SERVICES.FINANCE': 50,
    'SERVICES.POSTAL': 170,
  },
  'SERVICES.OTHER',
);
export const SERVICES_2023 = withRest<(typeof SERVICE_CODES)[number]>(
  10_000,
  {
    'SERVICES.SALES.PREPAID': 2_010,
    'SERVICES.SALES.OTHER': 419,
    'SERVICES.INTERNET': 1_875,
    'SERVICES.CATERING_LODGING': 1_180,
    'SERVICES.LIFE': 900,
    'SERVICES.EDUCATION_TRAINING': 650,
    'SERVICES.CULTURE_SPORTS': 480,
    'SERVICES.TOURISM': 560,
    'SERVICES.PROPERTY': 760,
    'SERVICES.TELECOM': 300,
    'SERVICES.AFTER_SALES': 230,
    'SERVICES.FINANCE': 50,
    'SERVICES.POSTAL': 160,
  },
  'SERVICES.OTHER',
);

// Advertising, unfair competition and consumer-rights infringement: 2,360 of 3,259 = 72.4% in 2023.
const REPORTS_2022 = withRest<ViolationType>(
  2_445,
  { ADVERTISING: 640, UNFAIR_COMPETITION: 330, CONSUMER_RIGHTS: 620, PRODUCT_QUALITY: 290, FOOD_SAFETY: 280, PRICE: 150, UNLICENSED: 70, TRADEMARK: 40 },
  'OTHER',
);
export const REPORTS_2023 = withRest<ViolationType>(
  3_259,
  { ADVERTISING: 1_010, UNFAIR_COMPETITION: 560, CONSUMER_RIGHTS: 790, PRODUCT_QUALITY: 300, FOOD_SAFETY: 290, PRICE: 160, UNLICENSED: 80, TRADEMARK: 45 },
  'OTHER',
);

function sum(record: Record<string, number>): number {
  return Object.values(record).reduce((s, n) => s + n, 0);
}

function plan2023(): YearPlan {
  const p = PUBLISHED_2023;
  // About one complaint in twenty is not accepted (outside the bureau's remit, no consumer dispute…).
  const rejected = 1_150;
  const accepted = p.complaints - rejected;
  const mediated = countForPercent(p.mediationSuccessPct, accepted);
  return {
    year: 2023,
    consultations: p.consultations,
    praise: p.praise,
    complaintsByCategory: { ...GOODS_2023, ...SERVICES_2023 },
    reportsByViolation: REPORTS_2023,
    rejected,
    mediated,
    // Of the rest, most mediations fail; a few consumers withdraw (often after settling).
    failed: Math.round((accepted - mediated) * 0.87),
    lateDecisions: p.complaints - countForPercent(p.decidedOnTimePct, p.complaints),
    lateConclusions: accepted - countForPercent(p.concludedOnTimePct, accepted),
    extendedReports: 212,
    lateVerifications: p.reports - countForPercent(p.reportsVerifiedOnTimePct, p.reports),
    caseFiled: 921,
    recoveredYuan: p.recoveredFen / 100,
    answered: 0.93,
  };
}

function plan2022(): YearPlan {
  const complaints = sum(GOODS_2022) + sum(SERVICES_2022);
  const rejected = 1_210;
  const accepted = complaints - rejected;
  const mediated = Math.round(accepted * 0.7031);
  return {
    year: 2022,
    consultations: 243,
    praise: 2,
    complaintsByCategory: { ...GOODS_2022, ...SERVICES_2022 },
    reportsByViolation: REPORTS_2022,
    rejected,
    mediated,
    failed: Math.round((accepted - mediated) * 0.85),
    lateDecisions: 141,
    lateConclusions: 118,
    extendedReports: 166,
    lateVerifications: 37,
    caseFiled: 650,
    // Not published; of the same order as 2023 so the two years compare sensibly.
    recoveredYuan: 6_512_300,
    answered: 0,
  };
}

// ---- calendar --------------------------------------------------------------------------------

const MS_PER_DAY = 86_400_000;
const MS_PER_MINUTE = 60_000;
/** Asia/Shanghai has been UTC+8 all year since 1991. */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** The instant `minute` minutes (and `second` s) after midnight of a Shanghai day. */
export function at(dayNumber: number, minute: number, second = 0): Date {
  return new Date(dayNumber * MS_PER_DAY + minute * MS_PER_MINUTE + second * 1000 - SHANGHAI_OFFSET_MS);
}

/**
 * Working days of the official calendar as an index, so that "the n-th working day after d" is
 * an array lookup: the same days `addWorkingDays` counts, but 50,000 appeals need it fast.
 */
export class WorkingDays {
  private readonly first: number;
  private readonly days: number[] = [];
  /** Per day from `first`: how many working days lie on or before it. */
  private readonly upTo: Int32Array;
  readonly working: Uint8Array;

  constructor(from: string, to: string) {
    this.first = day(from);
    const last = day(to);
    this.upTo = new Int32Array(last - this.first + 1);
    this.working = new Uint8Array(last - this.first + 1);
    for (let d = this.first; d <= last; d++) {
      if (isWorkingDay(isoDate(d))) {
        this.days.push(d);
        this.working[d - this.first] = 1;
      }
      this.upTo[d - this.first] = this.days.length;
    }
  }

  isWorking(d: number): boolean {
    return this.working[d - this.first] === 1;
  }

  /** The `n`-th working day after `d` (n ≥ 1; the start day is not counted), like addWorkingDays. */
  after(d: number, n: number): number {
    const result = this.days[this.upTo[d - this.first]! + n - 1];
    if (result === undefined) throw new RangeError(`working day ${n} after ${isoDate(d)} is outside the seed's calendar`);
    return result;
  }
}

const dueCache = new Map<string, { date: string; provisional: boolean }>();
/** addWorkingDays itself (the deadlines stored are the service's), cached per start day. */
function due(startDay: number, workingDays: number): { date: string; provisional: boolean } {
  const key = `${startDay}:${workingDays}`;
  let result = dueCache.get(key);
  if (!result) {
    result = addWorkingDays(isoDate(startDay), workingDays);
    dueCache.set(key, result);
  }
  return result;
}

/**
 * Relative volume of appeals per day of a year: fewer on weekends, fewer still in the Spring
 * Festival and National Day golden weeks (runs of 7+ days off), more in the run-up to 3·15
 * (World Consumer Rights Day) and a little more after the 618 and Double 11 sales.
 */
export function dayWeights(year: number, calendar: WorkingDays): { days: number[]; cumulative: number[] } {
  const first = day(`${year}-01-01`);
  const last = day(`${year}-12-31`);
  const days: number[] = [];
  const cumulative: number[] = [];
  let total = 0;
  for (let d = first; d <= last; d++) {
    let w: number;
    if (calendar.isWorking(d)) w = 1;
    else {
      let runStart = d;
      let runEnd = d;
      while (!calendar.isWorking(runStart - 1)) runStart--;
      while (!calendar.isWorking(runEnd + 1)) runEnd++;
      w = runEnd - runStart + 1 >= 7 ? 0.22 : 0.42;
    }
    const md = isoDate(d).slice(5);
    if (md >= '03-01' && md <= '03-20') w *= md >= '03-13' && md <= '03-16' ? 2.4 : 1.45;
    else if ((md >= '06-18' && md <= '06-30') || (md >= '11-11' && md <= '11-25')) w *= 1.2;
    total += w;
    days.push(d);
    cumulative.push(total);
  }
  return { days, cumulative };
}

/** An item drawn with the weights whose running totals are `cumulative` (binary search). */
export function pickCumulative<T>(rng: Random, items: readonly T[], cumulative: readonly number[]): T {
  const r = rng.next() * cumulative[cumulative.length - 1]!;
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid]! > r) hi = mid;
    else lo = mid + 1;
  }
  return items[lo]!;
}

/** A minute of the working day (08:30–12:00, 14:00–17:30), when offices decide things. */
export function officeMinute(rng: Random): number {
  return rng.chance(0.55) ? rng.int(8 * 60 + 30, 11 * 60 + 59) : rng.int(14 * 60, 17 * 60 + 29);
}

/** When an appeal arrives, by channel: the hotline and visits in office hours, the web any time. */
export function receiptMinute(rng: Random, channel: Channel): number {
  switch (channel) {
    case 'WEB':
    case 'PLATFORM':
      // Online: from early morning to late evening, busiest after work.
      return rng.chance(0.35) ? rng.int(19 * 60, 23 * 60 + 29) : rng.int(7 * 60, 18 * 60 + 59);
    case 'HOTLINE':
      return rng.chance(0.55) ? rng.int(8 * 60 + 30, 11 * 60 + 59) : rng.int(13 * 60 + 30, 17 * 60 + 29);
    default:
      return officeMinute(rng);
  }
}

// ---- merchants ---------------------------------------------------------------------------

/** Complaints grow with the business: the rating's own allowance per size band. */
export const COMPLAINT_SIZE_WEIGHT: Record<SizeBand, number> = { MICRO: 1, SMALL: 3, MEDIUM: 10, LARGE: 30 };
/** Reports depend less on size (a single online listing draws them as easily). */
export const REPORT_SIZE_WEIGHT: Record<SizeBand, number> = { MICRO: 1, SMALL: 2, MEDIUM: 4, LARGE: 8 };

/** Industry weights per category; PLATFORM_SHOP / PLATFORM_HOST weigh tenants and hosts of trading platforms. */
export type PoolSpec = Partial<Record<Industry | 'PLATFORM_SHOP' | 'PLATFORM_HOST', number>>;

export const CATEGORY_MERCHANTS: Record<ComplaintCategory, PoolSpec> = {
  'GOODS.FOOD': { FOOD: 4, SUPERMARKET: 3, FARMERS_MARKET: 2, CATERING: 0.4, SHOPPING_CENTER: 0.5 },
  'GOODS.VEHICLES': { AUTOMOBILE: 1 },
  'GOODS.CLOTHING': { CLOTHING: 5, SHOPPING_CENTER: 1.5, SUPERMARKET: 0.3 },
  'GOODS.HOME_APPLIANCES': { HOME_APPLIANCES: 5, SHOPPING_CENTER: 1, SUPERMARKET: 0.3 },
  'GOODS.DAILY_GOODS': { SUPERMARKET: 4, SHOPPING_CENTER: 1, FARMERS_MARKET: 0.5 },
  'GOODS.COMMUNICATIONS': { HOME_APPLIANCES: 3, SHOPPING_CENTER: 1 },
  'GOODS.FURNITURE_BUILDING': { FURNITURE_BUILDING_MATERIALS_MARKET: 1 },
  'GOODS.MEDICAL': { SUPERMARKET: 2, SHOPPING_CENTER: 1, FOOD: 0.2 },
  'GOODS.COSMETICS_JEWELRY': { SHOPPING_CENTER: 3, CLOTHING: 1, SUPERMARKET: 1 },
  'GOODS.AGRICULTURAL': { FARMERS_MARKET: 3, FOOD: 0.3 },
  'GOODS.OTHER': { SUPERMARKET: 2, SHOPPING_CENTER: 2, HOME_APPLIANCES: 0.5, FURNITURE_BUILDING_MATERIALS_MARKET: 0.5 },
  'SERVICES.SALES.PREPAID': { PREPAID_SERVICES: 6, CATERING: 0.5, SUPERMARKET: 0.3 },
  'SERVICES.SALES.OTHER': { SUPERMARKET: 2, SHOPPING_CENTER: 2, AUTOMOBILE: 1, HOME_APPLIANCES: 1 },
  // 互联网信息服务: the delivery platforms, their shops, and online-course sellers.
  'SERVICES.INTERNET': { PLATFORM_HOST: 40, PLATFORM_SHOP: 1.5, PREPAID_SERVICES: 0.4 },
  'SERVICES.CATERING_LODGING': { CATERING: 4, SCENIC_SPOT: 0.5, PLATFORM_HOST: 3 },
  'SERVICES.LIFE': { PREPAID_SERVICES: 2, PROPERTY_MANAGEMENT: 0.5 },
  'SERVICES.EDUCATION_TRAINING': { PREPAID_SERVICES: 1 },
  'SERVICES.CULTURE_SPORTS': { PREPAID_SERVICES: 1, SCENIC_SPOT: 1 },
  'SERVICES.TOURISM': { SCENIC_SPOT: 1 },
  'SERVICES.PROPERTY': { PROPERTY_MANAGEMENT: 3, FURNITURE_BUILDING_MATERIALS_MARKET: 0.5 },
  'SERVICES.TELECOM': { HOME_APPLIANCES: 1, SHOPPING_CENTER: 0.5 },
  'SERVICES.AFTER_SALES': { HOME_APPLIANCES: 3, AUTOMOBILE: 2 },
  'SERVICES.FINANCE': { AUTOMOBILE: 1, PREPAID_SERVICES: 1 },
  'SERVICES.POSTAL': { PLATFORM_HOST: 5, PLATFORM_SHOP: 0.5, SUPERMARKET: 0.3 },
  'SERVICES.OTHER': { PREPAID_SERVICES: 1, PROPERTY_MANAGEMENT: 0.5, CATERING: 0.3, SCENIC_SPOT: 0.3 },
};

// The document: advertising and unfair-competition reports mostly name online shops.
export const VIOLATION_MERCHANTS: Record<ViolationType, PoolSpec> = {
  ADVERTISING: { PLATFORM_SHOP: 6, FOOD: 1, PREPAID_SERVICES: 1.5, SUPERMARKET: 0.5, AUTOMOBILE: 0.5 },
  UNFAIR_COMPETITION: { PLATFORM_SHOP: 5, FOOD: 1, CLOTHING: 1, HOME_APPLIANCES: 0.5, SUPERMARKET: 0.5 },
  CONSUMER_RIGHTS: { PREPAID_SERVICES: 2, SUPERMARKET: 1, CATERING: 1, AUTOMOBILE: 1, PROPERTY_MANAGEMENT: 0.5, PLATFORM_HOST: 4 },
  PRODUCT_QUALITY: { HOME_APPLIANCES: 2, CLOTHING: 2, FURNITURE_BUILDING_MATERIALS_MARKET: 1, SUPERMARKET: 1 },
  FOOD_SAFETY: { FOOD: 3, CATERING: 2, FARMERS_MARKET: 2, SUPERMARKET: 1 },
  PRICE: { SUPERMARKET: 2, FARMERS_MARKET: 2, SCENIC_SPOT: 1, CATERING: 0.5 },
  UNLICENSED: { CATERING: 1, FOOD: 1, PREPAID_SERVICES: 1 },
  TRADEMARK: { CLOTHING: 2, FOOD: 1, HOME_APPLIANCES: 1 },
  OTHER: { SUPERMARKET: 1, CATERING: 1, FOOD: 1 },
};

/** Weighted merchants of one category, sampled with the establishment date respected. */
export class MerchantPool {
  private readonly items: MerchantRow[] = [];
  private readonly cumulative: number[] = [];

  constructor(merchants: readonly MerchantRow[], spec: PoolSpec, size: Record<SizeBand, number>, hosts: ReadonlySet<string>) {
    let total = 0;
    for (const m of merchants) {
      let w = spec[m.industry] ?? 0;
      if (m.tenancyKind === 'PLATFORM_SHOP') w = Math.max(w, spec.PLATFORM_SHOP ?? 0);
      if (m.industry === 'FOOD_DELIVERY_PLATFORM' && hosts.has(m.id!)) w = Math.max(w, spec.PLATFORM_HOST ?? 0);
      if (w <= 0) continue;
      total += w * size[m.sizeBand];
      this.items.push(m);
      this.cumulative.push(total);
    }
  }

  get empty(): boolean {
    return this.items.length === 0;
  }

  /** A merchant that already existed on `onDay` (YYYY-MM-DD); null when none of the pool did. */
  pick(rng: Random, onDay: string): MerchantRow | null {
    if (this.empty) return null;
    for (let attempt = 0; attempt < 12; attempt++) {
      const m = pickCumulative(rng, this.items, this.cumulative);
      if (m.establishedOn <= onDay) return m;
    }
    // Young pools: the oldest merchant of the pool, if it existed by then.
    const oldest = this.items.reduce((a, b) => (b.establishedOn < a.establishedOn ? b : a));
    return oldest.establishedOn <= onDay ? oldest : null;
  }
}

// ---- amounts and words --------------------------------------------------------------------

/** Typical amounts in dispute per category, in yuan (drawn log-uniformly). */
export const AMOUNT_YUAN: Record<ComplaintCategory, readonly [number, number]> = {
  'GOODS.FOOD': [15, 600],
  'GOODS.VEHICLES': [1_500, 60_000],
  'GOODS.CLOTHING': [60, 1_500],
  'GOODS.HOME_APPLIANCES': [300, 9_000],
  'GOODS.DAILY_GOODS': [20, 500],
  'GOODS.COMMUNICATIONS': [400, 6_000],
  'GOODS.FURNITURE_BUILDING': [500, 20_000],
  'GOODS.MEDICAL': [30, 1_500],
  'GOODS.COSMETICS_JEWELRY': [100, 6_000],
  'GOODS.AGRICULTURAL': [200, 5_000],
  'GOODS.OTHER': [50, 2_000],
  'SERVICES.SALES.PREPAID': [300, 8_000],
  'SERVICES.SALES.OTHER': [100, 3_000],
  'SERVICES.INTERNET': [100, 5_000],
  'SERVICES.CATERING_LODGING': [50, 1_500],
  'SERVICES.LIFE': [50, 2_000],
  'SERVICES.EDUCATION_TRAINING': [1_000, 20_000],
  'SERVICES.CULTURE_SPORTS': [100, 3_000],
  'SERVICES.TOURISM': [300, 8_000],
  'SERVICES.PROPERTY': [200, 5_000],
  'SERVICES.TELECOM': [50, 1_000],
  'SERVICES.AFTER_SALES': [100, 3_000],
  'SERVICES.FINANCE': [500, 10_000],
  'SERVICES.POSTAL': [30, 800],
  'SERVICES.OTHER': [50, 2_000],
};

export const ISSUES_BY_CATEGORY: Partial<Record<ComplaintCategory, ReadonlyArray<readonly [IssueType, number]>>> = {
  'GOODS.FOOD': [['QUALITY', 4], ['SAFETY', 3], ['MEASUREMENT', 1], ['FALSE_ADVERTISING', 1], ['REFUSED_RETURN', 1]],
  'GOODS.VEHICLES': [['QUALITY', 4], ['AFTER_SALES', 3], ['CONTRACT', 2], ['PRICE', 1], ['FRAUD', 0.5]],
  'GOODS.CLOTHING': [['QUALITY', 4], ['REFUSED_RETURN', 3], ['PRICE', 1], ['FALSE_ADVERTISING', 1]],
  'GOODS.HOME_APPLIANCES': [['QUALITY', 4], ['AFTER_SALES', 3], ['REFUSED_RETURN', 1.5], ['SAFETY', 0.5]],
  'GOODS.COMMUNICATIONS': [['QUALITY', 3], ['AFTER_SALES', 3], ['REFUSED_RETURN', 1], ['PERSONAL_INFORMATION', 0.5]],
  'SERVICES.SALES.PREPAID': [['PREPAID_CARD', 6], ['CONTRACT', 2], ['FRAUD', 0.5]],
  'SERVICES.INTERNET': [['FALSE_ADVERTISING', 4], ['FRAUD', 2], ['CONTRACT', 2], ['PERSONAL_INFORMATION', 1]],
  'SERVICES.EDUCATION_TRAINING': [['PREPAID_CARD', 3], ['CONTRACT', 3], ['FALSE_ADVERTISING', 1]],
  'SERVICES.CATERING_LODGING': [['SAFETY', 2], ['QUALITY', 2], ['PRICE', 2], ['OTHER', 1]],
  'SERVICES.PROPERTY': [['CONTRACT', 3], ['PRICE', 2], ['OTHER', 1]],
  'SERVICES.TOURISM': [['CONTRACT', 3], ['PRICE', 2], ['FALSE_ADVERTISING', 1]],
};
export const GOODS_ISSUES: ReadonlyArray<readonly [IssueType, number]> = [['QUALITY', 4], ['REFUSED_RETURN', 2], ['PRICE', 1], ['FALSE_ADVERTISING', 1], ['AFTER_SALES', 1], ['OTHER', 0.5]];
export const SERVICE_ISSUES: ReadonlyArray<readonly [IssueType, number]> = [['CONTRACT', 3], ['PRICE', 2], ['QUALITY', 1], ['FALSE_ADVERTISING', 1], ['OTHER', 1]];

export const ISSUE_DETAILS: Record<IssueType, readonly string[]> = {
  QUALITY: ['商品存在质量问题，要求退换', '使用不久即出现故障', '与宣传的品质不符'],
  SAFETY: ['商品存在安全隐患', '食用后身体不适', '发现异物'],
  PRICE: ['结算价格高于标价', '未明码标价', '收费与约定不一致'],
  FALSE_ADVERTISING: ['宣传内容与实际不符', '夸大宣传诱导消费', '虚假宣传提高账户流量'],
  REFUSED_RETURN: ['商家拒绝退换货', '承诺七日无理由退货但拒不履行'],
  AFTER_SALES: ['售后维修拖延', '保修期内收取维修费', '售后服务不到位'],
  CONTRACT: ['商家未按合同履行', '单方变更合同条款', '要求解除合同退还费用'],
  PREPAID_CARD: ['预付卡商家停业无法退费', '预付卡余额不予退还', '办卡后服务缩水'],
  MEASUREMENT: ['缺斤少两', '计量器具不准'],
  PERSONAL_INFORMATION: ['个人信息被泄露', '频繁推销骚扰'],
  FRAUD: ['以次充好', '涉嫌欺诈消费者'],
  OTHER: ['其他消费纠纷'],
};

export const REJECTION_REASONS: readonly string[] = [
  '不属于市场监督管理部门职责范围',
  '投诉人不能证明与被投诉人之间存在消费者权益争议',
  '法院、仲裁机构或其他行政部门已受理',
  '超过法定投诉时效',
  '同一投诉已由其他部门受理（重复投诉）',
  '无明确的被投诉人',
];

export const ANSWER_BODIES: readonly string[] = [
  '已与消费者联系，同意退货退款。',
  '已安排售后人员上门检测，将按三包规定处理。',
  '经核实情况属实，已向消费者致歉并给予补偿。',
  '已与消费者协商一致，按剩余金额退还预付款。',
  '我方对商品质量有异议，已申请第三方检测，结果出来后再与消费者协商。',
  '已通过湖北315消费纠纷和解平台与消费者沟通，正在协商处理方案。',
];

export const CONSULTATION_DETAILS: readonly string[] = [
  '咨询线下购物七日无理由退货的适用范围',
  '询问预付卡商家停业后如何退费',
  '询问湖北315消费纠纷和解平台如何注册',
  '咨询网购商品质量问题如何维权',
  '咨询汽车三包政策',
  '咨询食品标签的相关规定',
];

/** Where appeals without a merchant are received: the districts' shares. */
export const REGION_WEIGHTS: ReadonlyArray<readonly [string, number]> = [
  ['421303', 46],
  ['421321', 24],
  ['421381', 30],
];

/** A whole number between `low` and `high`, drawn log-uniformly. */
export function logUniform(rng: Random, [low, high]: readonly [number, number]): number {
  return Math.round(Math.exp(Math.log(low) + rng.next() * (Math.log(high) - Math.log(low))));
}

/** A multiset of `count` values, deterministically shuffled: how exact counts meet random rows. */
function deal<T>(rng: Random, parts: ReadonlyArray<readonly [T, number]>): T[] {
  const out: T[] = [];
  for (const [value, n] of parts) for (let i = 0; i < n; i++) out.push(value);
  return rng.shuffle(out);
}

// ---- generation ---------------------------------------------------------------------------

interface Draft {
  facts: AppealFacts;
  row: Omit<RecordAppealRow, 'id' | 'externalId' | 'status' | 'createdAt' | 'updatedAt' | 'version'>;
  /** Complaints: the merchant's first answer, if any. */
  answer?: { at: Date; body: string };
  /** Complaints: the recovered amount before scaling to the published total (yuan). */
  rawRecoveredYuan?: number;
}

class YearGenerator {
  readonly drafts: Draft[] = [];
  private readonly days: { days: number[]; cumulative: number[] };

  constructor(
    private readonly plan: YearPlan,
    private readonly rng: Random,
    private readonly calendar: WorkingDays,
    private readonly complaintPools: Map<ComplaintCategory, MerchantPool>,
    private readonly reportPools: Map<ViolationType, MerchantPool>,
    private readonly fallback: MerchantPool,
    private readonly praised: MerchantRow | undefined,
  ) {
    this.days = dayWeights(plan.year, calendar);
  }

  private receipt(channel: Channel): { day: number; minute: number; channel: Channel } {
    const d = pickCumulative(this.rng, this.days.days, this.days.cumulative);
    // Offices are closed on days off: visits and letters then come in on the web instead.
    const ch: Channel = !this.calendar.isWorking(d) && (channel === 'VISIT' || channel === 'LETTER') ? 'WEB' : channel;
    return { day: d, minute: receiptMinute(this.rng, ch), channel: ch };
  }

  private merchantFor(pool: MerchantPool | undefined, onDay: number): MerchantRow {
    const date = isoDate(onDay);
    const m = (pool && !pool.empty ? pool.pick(this.rng, date) : null) ?? this.fallback.pick(this.rng, date);
    if (!m) throw new Error(`no merchant of the demo existed on ${date}`);
    return m;
  }

  generate(): void {
    this.consultations();
    this.praise();
    this.complaints();
    this.reports();
  }

  private consultations(): void {
    const rng = this.rng;
    for (let i = 0; i < this.plan.consultations; i++) {
      const r = this.receipt(rng.weighted<Channel>([['HOTLINE', 80], ['WEB', 12], ['VISIT', 8]]));
      const receivedAt = at(r.day, r.minute, rng.int(0, 59));
      // Answered on the call or at the counter; written questions by the next working day.
      const closedAt =
        r.channel === 'WEB' ? at(this.calendar.after(r.day, 1), officeMinute(rng)) : new Date(receivedAt.getTime() + rng.int(3, 25) * MS_PER_MINUTE);
      this.drafts.push({
        facts: { type: 'CONSULTATION', status: 'CLOSED', receivedAt, closedAt },
        row: {
          type: 'CONSULTATION',
          channel: r.channel,
          receivedAt,
          merchantId: null,
          regionCode: rng.weighted(REGION_WEIGHTS),
          categoryCode: null,
          issueType: null,
          violationType: null,
          amountInvolvedFen: 0,
          amountRecoveredFen: 0,
          details: rng.pick(CONSULTATION_DETAILS),
        },
      });
    }
  }

  private praise(): void {
    const rng = this.rng;
    for (let i = 0; i < this.plan.praise; i++) {
      const r = this.receipt(rng.weighted<Channel>([['HOTLINE', 2], ['LETTER', 1]]));
      const receivedAt = at(r.day, r.minute, rng.int(0, 59));
      // The first praise of a year names the featured shopping centre when it existed.
      const merchant = i === 0 && this.praised && this.praised.establishedOn <= isoDate(r.day) ? this.praised : null;
      this.drafts.push({
        facts: { type: 'PRAISE', status: 'CLOSED', receivedAt, closedAt: at(this.calendar.after(r.day, 1), officeMinute(rng)) },
        row: {
          type: 'PRAISE',
          channel: r.channel,
          receivedAt,
          merchantId: merchant?.id ?? null,
          regionCode: merchant?.regionCode ?? rng.weighted(REGION_WEIGHTS),
          categoryCode: null,
          issueType: null,
          violationType: null,
          amountInvolvedFen: 0,
          amountRecoveredFen: 0,
          details: '表扬商家主动为消费者解决消费纠纷',
        },
      });
    }
  }

  private complaints(): void {
    const { rng, plan, calendar } = this;
    const categories = deal(rng, Object.entries(plan.complaintsByCategory) as [ComplaintCategory, number][]);
    const total = categories.length;
    const accepted = total - plan.rejected;
    const withdrawn = accepted - plan.mediated - plan.failed;
    const outcomes = deal<AppealStatus>(rng, [
      ['REJECTED', plan.rejected],
      ['MEDIATED', plan.mediated],
      ['MEDIATION_FAILED', plan.failed],
      ['WITHDRAWN', withdrawn],
    ]);
    const lateDecision = deal(rng, [[true, plan.lateDecisions], [false, total - plan.lateDecisions]]);
    const lateConclusion = deal(rng, [[true, plan.lateConclusions], [false, accepted - plan.lateConclusions]]);
    let acceptedIndex = 0;

    for (let i = 0; i < total; i++) {
      const category = categories[i]!;
      const status = outcomes[i]!;
      const r = this.receipt(rng.weighted<Channel>([['HOTLINE', 52], ['PLATFORM', 24], ['WEB', 14], ['VISIT', 8], ['LETTER', 2]]));
      const receivedAt = at(r.day, r.minute, rng.int(0, 59));
      const merchant = this.merchantFor(this.complaintPools.get(category), r.day);
      const issue = rng.weighted(ISSUES_BY_CATEGORY[category] ?? (category.startsWith('GOODS') ? GOODS_ISSUES : SERVICE_ISSUES));
      const involvedYuan = logUniform(rng, AMOUNT_YUAN[category]);

      // Decided k working days after receipt: the acceptance deadline is the 7th.
      const k = lateDecision[i] ? rng.int(8, 12) : rng.weighted<number>([[1, 25], [2, 30], [3, 20], [4, 10], [5, 7], [6, 5], [7, 3]]);
      const decisionDay = calendar.after(r.day, k);
      const decidedAt = at(decisionDay, officeMinute(rng), rng.int(0, 59));
      const draft: Draft = {
        facts: { type: 'COMPLAINT', status, receivedAt },
        row: {
          type: 'COMPLAINT',
          channel: r.channel,
          receivedAt,
          merchantId: merchant.id!,
          regionCode: merchant.regionCode,
          categoryCode: category,
          issueType: issue,
          violationType: null,
          amountInvolvedFen: involvedYuan * 100,
          amountRecoveredFen: 0,
          details: rng.pick(ISSUE_DETAILS[issue]),
        },
      };
      if (status === 'REJECTED') {
        draft.facts.rejectedAt = decidedAt;
        draft.facts.rejectionReason = rng.pick(REJECTION_REASONS);
      } else {
        draft.facts.acceptedAt = decidedAt;
        const late = lateConclusion[acceptedIndex++]!;
        // Most go through a mediation session; some settle on the first call after acceptance.
        const m = rng.chance(0.82) ? rng.weighted<number>([[0, 2], [1, 4], [2, 3], [3, 1]]) : -1;
        if (m === 0) draft.facts.mediationStartedAt = new Date(decidedAt.getTime() + rng.int(10, 120) * MS_PER_MINUTE);
        else if (m > 0) draft.facts.mediationStartedAt = at(calendar.after(decisionDay, m), officeMinute(rng), rng.int(0, 59));
        // Concluded c working days after acceptance: the deadline is the 45th.
        const start = Math.max(m, 0) + 1;
        const c = late ? rng.int(46, 55) : Math.min(45, start + Math.floor(-Math.log(1 - rng.next()) * (status === 'WITHDRAWN' ? 5 : 10)));
        const concludedAt = at(calendar.after(decisionDay, c), officeMinute(rng), rng.int(0, 59));
        draft.facts.concludedAt = concludedAt;
        if (status === 'MEDIATED' ? rng.chance(0.82) : status === 'WITHDRAWN' && rng.chance(0.55)) {
          // Refunds are often in full; otherwise a part, never more than was at stake.
          draft.rawRecoveredYuan = rng.chance(0.45) ? involvedYuan : Math.max(1, Math.round(involvedYuan * (0.3 + 0.7 * rng.next())));
        }
        if (plan.answered > 0 && rng.chance(plan.answered)) {
          // ODR: the merchant answers within 10 working days, a few later; not after the conclusion.
          const lastDay = Math.min(c, rng.chance(0.94) ? 10 : 20);
          const a = rng.int(1, lastDay);
          const answerDay = calendar.after(decisionDay, a);
          let answerAt = at(answerDay, officeMinute(rng), rng.int(0, 59));
          if (answerAt.getTime() > concludedAt.getTime()) answerAt = new Date(concludedAt.getTime() - rng.int(5, 60) * MS_PER_MINUTE);
          if (answerAt.getTime() <= decidedAt.getTime()) answerAt = new Date(decidedAt.getTime() + MS_PER_MINUTE);
          draft.answer = { at: answerAt, body: rng.pick(ANSWER_BODIES) };
        }
      }
      this.drafts.push(draft);
    }
  }

  private reports(): void {
    const { rng, plan, calendar } = this;
    const violations = deal(rng, Object.entries(plan.reportsByViolation) as [ViolationType, number][]);
    const total = violations.length;
    const extended = deal(rng, [[true, plan.extendedReports], [false, total - plan.extendedReports]]);
    const late = deal(rng, [[true, plan.lateVerifications], [false, total - plan.lateVerifications]]);
    const filed = deal(rng, [[true, plan.caseFiled], [false, total - plan.caseFiled]]);
    for (let i = 0; i < total; i++) {
      const violation = violations[i]!;
      const r = this.receipt(rng.weighted<Channel>([['HOTLINE', 45], ['PLATFORM', 25], ['WEB', 20], ['LETTER', 6], ['VISIT', 4]]));
      const receivedAt = at(r.day, r.minute, rng.int(0, 59));
      const merchant = this.merchantFor(this.reportPools.get(violation), r.day);
      // Verification starts s working days after receipt; the deadline is the 15th (30th if extended).
      const s = rng.int(1, 3);
      const facts: AppealFacts = {
        type: 'REPORT',
        status: filed[i] ? 'CASE_FILED' : 'NOT_FILED',
        receivedAt,
        verificationStartedAt: at(calendar.after(r.day, s), officeMinute(rng), rng.int(0, 59)),
      };
      let k: number;
      if (extended[i]) {
        // Extended with approval before the first 15 days ran out, because it needed longer.
        const e = rng.int(Math.max(s + 1, 10), 14);
        facts.verificationExtendedAt = at(calendar.after(r.day, e), officeMinute(rng), rng.int(0, 59));
        k = late[i] ? rng.int(31, 36) : rng.int(Math.max(e + 1, 16), 30);
      } else {
        k = late[i] ? rng.int(16, 21) : rng.int(s + 1, 15);
      }
      facts.decidedAt = at(calendar.after(r.day, k), officeMinute(rng), rng.int(0, 59));
      this.drafts.push({
        facts,
        row: {
          type: 'REPORT',
          channel: r.channel,
          receivedAt,
          merchantId: merchant.id!,
          regionCode: merchant.regionCode,
          categoryCode: null,
          issueType: null,
          violationType: violation,
          amountInvolvedFen: 0,
          amountRecoveredFen: 0,
          details: null,
        },
      });
    }
  }

  /**
   * Scales the drawn recoveries to the published total exactly (whole yuan), keeping every
   * recovery at least 1 yuan and never above the amount involved (raised when needed).
   */
  fixRecovered(): void {
    const withMoney = this.drafts.filter((d) => d.rawRecoveredYuan !== undefined);
    const target = this.plan.recoveredYuan;
    const raw = withMoney.reduce((s, d) => s + d.rawRecoveredYuan!, 0);
    const factor = target / raw;
    const yuan = withMoney.map((d) => Math.max(1, Math.floor(d.rawRecoveredYuan! * factor)));
    let rest = target - yuan.reduce((s, n) => s + n, 0);
    // The rounding remainder: one yuan more (or less) for as many complaints as it takes.
    for (let i = 0; rest !== 0; i = (i + 1) % yuan.length) {
      if (rest > 0) {
        yuan[i]!++;
        rest--;
      } else if (yuan[i]! > 1) {
        yuan[i]!--;
        rest++;
      }
    }
    withMoney.forEach((d, i) => {
      d.row.amountRecoveredFen = yuan[i]! * 100;
      d.row.amountInvolvedFen = Math.max(d.row.amountInvolvedFen ?? 0, d.row.amountRecoveredFen);
    });
  }
}

/** The stored deadline columns of a row, from the calendar (as prepareAppeal stores them). */
function deadlineColumns(facts: AppealFacts, accepted: Date | null): Pick<
  RecordAppealRow,
  'acceptanceDueOn' | 'answerDueOn' | 'conclusionDueOn' | 'verificationDueOn' | 'deadlinesProvisional'
> {
  const receivedDay = shanghaiDay(facts.receivedAt);
  const none = { acceptanceDueOn: null, answerDueOn: null, conclusionDueOn: null, verificationDueOn: null, deadlinesProvisional: false };
  if (facts.type === 'COMPLAINT') {
    const acceptance = due(receivedDay, 7);
    const answer = accepted ? due(shanghaiDay(accepted), 10) : null;
    const conclusion = accepted ? due(shanghaiDay(accepted), 45) : null;
    return {
      ...none,
      acceptanceDueOn: acceptance.date,
      answerDueOn: answer?.date ?? null,
      conclusionDueOn: conclusion?.date ?? null,
      deadlinesProvisional: acceptance.provisional || Boolean(answer?.provisional) || Boolean(conclusion?.provisional),
    };
  }
  if (facts.type === 'REPORT') {
    const verification = due(receivedDay, facts.verificationExtendedAt ? 30 : 15);
    return { ...none, verificationDueOn: verification.date, deadlinesProvisional: verification.provisional };
  }
  return none;
}

/** The Shanghai day number of an instant. */
export function shanghaiDay(instant: Date): number {
  return Math.floor((instant.getTime() + SHANGHAI_OFFSET_MS) / MS_PER_DAY);
}

/**
 * Generates the 12315 appeals of 2022 and 2023 against the given demo merchants (pass
 * `generateDemoSeed().merchants` with the options the demo is loaded with, so the merchant ids
 * match). Deterministic: the same merchants and options give deep-equal rows.
 */
export function generateRecordSeed(merchants: readonly MerchantRow[], options: RecordSeedOptions = {}): RecordSeed {
  const root = new Random(options.seed ?? DEFAULT_DEMO_SEED).fork('record');
  const calendar = new WorkingDays('2021-11-01', '2024-12-31');
  const hosts = new Set(merchants.filter((m) => m.hostMerchantId).map((m) => m.hostMerchantId!));
  const complaintPools = new Map(
    (Object.keys(CATEGORY_MERCHANTS) as ComplaintCategory[]).map((c) => [c, new MerchantPool(merchants, CATEGORY_MERCHANTS[c], COMPLAINT_SIZE_WEIGHT, hosts)]),
  );
  const reportPools = new Map(
    (Object.keys(VIOLATION_MERCHANTS) as ViolationType[]).map((v) => [v, new MerchantPool(merchants, VIOLATION_MERCHANTS[v], REPORT_SIZE_WEIGHT, hosts)]),
  );
  const allIndustries = Object.fromEntries(merchants.map((m) => [m.industry, 1])) as PoolSpec;
  const fallback = new MerchantPool(merchants, allIndustries, COMPLAINT_SIZE_WEIGHT, hosts);
  const praised = merchants.find((m) => m.name === '随州新世纪购物中心');

  const seed: RecordSeed = { appeals: [], appealTransitions: [], merchantAnswers: [] };
  for (const plan of [plan2022(), plan2023()]) {
    const year = new YearGenerator(plan, root.fork(String(plan.year)), calendar, complaintPools, reportPools, fallback, praised);
    year.generate();
    year.fixRecovered();
    // External ids run in order of receipt within the year, as the 12315 system numbers them.
    const keys = year.drafts.map((d) => d.facts.receivedAt.getTime());
    const drafts = keys
      .map((_, index) => index)
      .sort((a, b) => keys[a]! - keys[b]! || a - b)
      .map((index) => year.drafts[index]!);
    drafts.forEach((draft, i) => {
      const externalId = `12315-${plan.year}-${String(i + 1).padStart(6, '0')}`;
      const record = buildAppealRecord(draft.facts);
      if (!record.ok) throw new Error(`seed of record: ${externalId} is not a legal path: ${JSON.stringify(record.problems)}`);
      const id = seedId(`appeal:${externalId}`);
      const lastAt = record.history[record.history.length - 1]!.at;
      seed.appeals.push({
        id,
        externalId,
        ...draft.row,
        consumerName: null,
        consumerPhone: null,
        status: draft.facts.status,
        ...record.timestamps,
        ...deadlineColumns(draft.facts, record.timestamps.acceptedAt),
        // As an import records history: one version, created when received, updated at the last step.
        version: 1,
        createdAt: draft.facts.receivedAt,
        updatedAt: lastAt,
      });
      record.history.forEach((step, n) => {
        seed.appealTransitions.push({
          id: seedId(`appeal-transition:${externalId}:${n}`),
          appealId: id,
          fromStatus: step.from,
          toStatus: step.to,
          actor: SEED_ACTOR,
          at: step.at,
          reason: step.action === 'REJECT' ? record.timestamps.rejectionReason : null,
          detail: { action: step.action },
        });
      });
      if (draft.answer) {
        seed.merchantAnswers.push({
          id: seedId(`merchant-answer:${externalId}`),
          appealId: id,
          merchantId: draft.row.merchantId!,
          body: draft.answer.body,
          answeredAt: draft.answer.at,
          actor: SEED_ACTOR,
          createdAt: draft.answer.at,
        });
      }
    });
  }
  return seed;
}
