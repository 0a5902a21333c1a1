/**
 * The scale seed: the demo's world in proportion, at any size. `--scale 100000` gives 100,000
 * merchants of Suizhou with everything the demo has for them (hosts and tenants, demonstration
 * streets, rights-service stations, credit-list entries, pledges with history and audits,
 * enrollments, compensation funds with ledgers) and ten 12315 appeals per merchant on average
 * (2022 to the demo's "today"), each a legal workflow path with its transitions, deadlines and,
 * for complaints, the merchant's answers.
 *
 * The world is cut into blocks of at most 2,400 merchants (the demo's size), each self-contained:
 * its hosts' tenants, its street, its appeals and funds name only its own merchants, so a block
 * can be rated and written before the next one is drawn, and memory stays flat at any size.
 *
 * Pure and deterministic, like the demo: a seeded PRNG, no clock. Merchant ids are derived from
 * the USCC as the API derives them; pledges, enrollments, credit entries and funds come from the
 * demo's own generators (name-based ids); the millions of appeal rows get counter-based ids.
 */
import type { appealTransitions, appeals, merchantAnswers } from '../src/db/schema';
import { appealDeadlines } from '../src/domain/appeal-deadlines';
import { buildAppealRecord, type AppealFacts } from '../src/domain/appeal-record';
import type { IssueType, ViolationType } from '../src/domain/appeal-taxonomy';
import type { AppealStatus } from '../src/domain/appeal-workflow';
import type { RatingRecords } from '../src/domain/rating/v1';
import { day, isoDate } from './dates';
import {
  ENTERPRISE_SHARE,
  FEATURED,
  REGISTRY_START_DAY,
  SEED_ACTOR,
  STREET_LAUNCH_DAY,
  TODAY,
  generateCreditEntries,
  generateEnrollments,
  generateFunds,
  generatePledges,
  MerchantFactory,
  type CompensationFundRow,
  type CreditListEntryRow,
  type DemonstrationStreetMemberRow,
  type DemonstrationStreetRow,
  type DisputeEnrollmentRow,
  type Draft,
  type FundLedgerEntryRow,
  type HostDraft,
  type HostPlan,
  type MerchantRow,
  type PledgeAuditRow,
  type PledgeStatusChangeRow,
  type ReturnPledgeRow,
} from './demo';
import { seedId } from './ids';
import { Random } from './random';
import {
  AMOUNT_YUAN,
  ANSWER_BODIES,
  at,
  CATEGORY_MERCHANTS,
  COMPLAINT_SIZE_WEIGHT,
  CONSULTATION_DETAILS,
  dayWeights,
  GOODS_2023,
  GOODS_ISSUES,
  ISSUE_DETAILS,
  ISSUES_BY_CATEGORY,
  logUniform,
  MerchantPool,
  officeMinute,
  pickCumulative,
  receiptMinute,
  REGION_WEIGHTS,
  REJECTION_REASONS,
  REPORT_SIZE_WEIGHT,
  REPORTS_2023,
  SERVICE_ISSUES,
  SERVICES_2023,
  shanghaiDay,
  VIOLATION_MERCHANTS,
  WorkingDays,
  type Channel,
  type ComplaintCategory,
} from './record';
import { GUANGSHUI_STREETS, GUANGSHUI_TOWNS, LISHAN_STREETS, SUIXIAN_TOWNS, TOWN_STREETS, ZENGDU_STREETS, ZENGDU_TOWNS, BRANDS, type DistrictCode } from './words';

export type ScaleAppealRow = typeof appeals.$inferInsert & { id: string; externalId: string; merchantId: string | null };
export type ScaleTransitionRow = typeof appealTransitions.$inferInsert & { id: string };
export type ScaleAnswerRow = typeof merchantAnswers.$inferInsert & { id: string };

/** One self-contained slice of the world, in insert order (parents before children). */
export interface ScaleBlock {
  index: number;
  merchants: MerchantRow[];
  demonstrationStreets: DemonstrationStreetRow[];
  demonstrationStreetMembers: DemonstrationStreetMemberRow[];
  creditListEntries: CreditListEntryRow[];
  returnPledges: ReturnPledgeRow[];
  pledgeStatusChanges: PledgeStatusChangeRow[];
  pledgeAudits: PledgeAuditRow[];
  disputeEnrollments: DisputeEnrollmentRow[];
  appeals: ScaleAppealRow[];
  appealTransitions: ScaleTransitionRow[];
  merchantAnswers: ScaleAnswerRow[];
  compensationFunds: CompensationFundRow[];
  fundLedgerEntries: FundLedgerEntryRow[];
}

export interface ScaleSeedOptions {
  /** Number of merchants (at least MIN_SCALE_MERCHANTS); appeals are ten times as many. */
  merchants: number;
  /** PRNG seed; the default gives the same world on every run and machine. */
  seed?: number;
}

export const DEFAULT_SCALE_SEED = 20250315;
export const MIN_SCALE_MERCHANTS = 200;
/** Appeals per merchant: 1,000,000 for 100,000 merchants. */
export const APPEALS_PER_MERCHANT = 10;
/** Merchants per block: the demo's size, so a block has what the demo has. */
export const BLOCK_MERCHANTS = 2400;

const isoDays = new Map<number, string>();
/** isoDate, remembered: a million appeals fall on under two thousand days. */
function isoDay(dayNumber: number): string {
  let iso = isoDays.get(dayNumber);
  if (iso === undefined) {
    iso = isoDate(dayNumber);
    isoDays.set(dayNumber, iso);
  }
  return iso;
}

/** The last day of the scale world's records: the day before the demo's "today". */
const LAST_DAY = TODAY - 1;
const FIRST_APPEAL_DAY = day('2022-01-01');
const MS_PER_MINUTE = 60_000;

type Industry = MerchantRow['industry'];
type Kind = MerchantRow['kind'];

// ---- ids ---------------------------------------------------------------------------------

/** Table tags of the counter-based ids (the second group of the UUID). */
const ID_TAGS = { appeal: 0xa001, transition: 0xa002, answer: 0xa003, ratingHistory: 0xa004 } as const;

/**
 * A deterministic UUID for the `n`-th row of a table of the scale seed. Hashing a natural key
 * (as the demo does) costs more than the rest of an appeal; millions of rows need none, only to
 * be distinct within their table, which a counter is by construction. Version 8 (custom) layout:
 * `5ca1e5ed-<table>-8000-8<n, 60 bits>`.
 */
export function scaleRowId(table: keyof typeof ID_TAGS, n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`row number ${n}`);
  const hex = n.toString(16).padStart(15, '0');
  return `5ca1e5ed-${ID_TAGS[table].toString(16)}-8000-8${hex.slice(0, 3)}-${hex.slice(3)}`;
}

// ---- block sizes -------------------------------------------------------------------------

/** How many merchants each block gets: as equal as possible, none above BLOCK_MERCHANTS. */
export function blockSizes(merchants: number): number[] {
  if (!Number.isInteger(merchants) || merchants < MIN_SCALE_MERCHANTS) {
    throw new RangeError(`the scale seed needs an integer of at least ${MIN_SCALE_MERCHANTS} merchants, got ${merchants}`);
  }
  const count = Math.ceil(merchants / BLOCK_MERCHANTS);
  const base = Math.floor(merchants / count);
  return Array.from({ length: count }, (_, i) => base + (i < merchants % count ? 1 : 0));
}

// ---- hosts, streets, stations ------------------------------------------------------------

/** The demo's thirteen hosts serve as templates: industry, size, district, tenancy and fund. */
const HOST_TEMPLATES = FEATURED.filter((f) => f.host);
/** The demo has fifteen rights-service stations per 2,400 merchants, in these industries. */
const STATION_INDUSTRIES: ReadonlySet<Industry> = new Set<Industry>(['SUPERMARKET', 'HOME_APPLIANCES', 'SCENIC_SPOT', 'PROPERTY_MANAGEMENT', 'AUTOMOBILE', 'FOOD']);

const DISTRICT_PREFIX: Record<DistrictCode, string> = { '421303': '随州市曾都区', '421321': '随州市随县', '421381': '广水市' };

/** A road or town street a demonstration street can be on, with the address prefix of its shops. */
interface StreetSite {
  district: DistrictCode;
  label: string;
  addressPrefix: string;
}

/** Every site of the three districts (解放路 stays the demo's). */
function streetSites(): StreetSite[] {
  const sites: StreetSite[] = [];
  const add = (district: DistrictCode, label: string) => sites.push({ district, label, addressPrefix: `${DISTRICT_PREFIX[district]}${label}` });
  for (const road of ZENGDU_STREETS) add('421303', road);
  for (const road of GUANGSHUI_STREETS) add('421381', road);
  for (const town of ZENGDU_TOWNS) for (const street of TOWN_STREETS) add('421303', `${town}${street}`);
  for (const town of SUIXIAN_TOWNS) for (const street of town === '厉山镇' ? LISHAN_STREETS : TOWN_STREETS) add('421321', `${town}${street}`);
  for (const town of GUANGSHUI_TOWNS) for (const street of TOWN_STREETS) add('421381', `${town}${street}`);
  return sites;
}

const HOST_NAMES: Record<string, { endings: readonly string[]; company: boolean }> = {
  SHOPPING_CENTER: { endings: ['购物中心', '商业广场', '百货大楼'], company: false },
  FARMERS_MARKET: { endings: ['农贸市场', '农贸大市场', '菜市场'], company: false },
  FURNITURE_BUILDING_MATERIALS_MARKET: { endings: ['家居建材城', '家具大市场', '建材大市场'], company: false },
  FOOD_DELIVERY_PLATFORM: { endings: ['网络科技有限公司', '外卖平台有限公司', '外卖服务有限公司'], company: true },
};

/** A market or platform modelled on one of the demo's hosts, with its tenants. */
function addHost(factory: MerchantFactory, rng: Random, template: (typeof HOST_TEMPLATES)[number], tenantShare: number): HostDraft {
  const plan0 = template.host!;
  const district = template.district;
  const words = HOST_NAMES[template.industry]!;
  let shortName = '';
  const name = factory.uniqueName(() => {
    const brand = rng.pick(BRANDS);
    const ending = rng.pick(words.endings);
    shortName = words.company ? brand : `${brand}${ending}`;
    return words.company ? `随州市${brand}${ending}` : `${DISTRICT_PREFIX[district]}${brand}${ending}`;
  });
  const draft = factory.add({
    name,
    kind: 'ENTERPRISE',
    industry: template.industry,
    size: template.size,
    district,
    address: factory.address(district, { town: false }),
    est: factory.establishment(day('1998-01-01'), day('2019-12-31')),
    cityRegistered: template.cityRegistered,
    station: template.station,
    isHost: true,
  });
  const plan: HostPlan = { ...plan0, shortName };
  const host: HostDraft = { draft, plan, tenants: [] };
  const tenants = Math.max(2, Math.round(plan0.tenants * tenantShare));
  for (let i = 0; i < tenants; i++) factory.tenant(host);
  return host;
}

/** A shop on the block's demonstration street, there before the street was launched. */
function addStreetShop(factory: MerchantFactory, rng: Random, site: StreetSite, houseNumber: number, launchDay: number): Draft {
  const ind = rng.weighted<Industry>([['CLOTHING', 40], ['FOOD', 22], ['HOME_APPLIANCES', 14], ['SUPERMARKET', 10], ['SHOPPING_CENTER', 2]]);
  const kind: Kind = ind === 'SHOPPING_CENTER' || rng.chance(ENTERPRISE_SHARE[ind]) ? 'ENTERPRISE' : 'INDIVIDUAL_BUSINESS';
  const address = `${site.addressPrefix}${houseNumber}号`;
  return factory.add({
    name: factory.merchantName(kind, ind, site.district, address, false),
    kind,
    industry: ind,
    size: factory.sizeBand(kind, ind),
    district: site.district,
    address,
    est: factory.establishment(day('1998-01-01'), launchDay - 60),
    streetMember: true,
  });
}

// ---- appeals -----------------------------------------------------------------------------

const COMPLAINT_CATEGORIES = Object.entries({ ...GOODS_2023, ...SERVICES_2023 }) as [ComplaintCategory, number][];
const VIOLATIONS = Object.entries(REPORTS_2023) as [ViolationType, number][];

/** Share of each appeal type, after the bureau's 2023 figures (praise a little more common). */
const TYPE_SHARES = { consultation: 0.008, praise: 0.001, report: 0.119 } as const;
/** Outcomes of concluded complaints: the 2023 mediation success of 71.78%, most of the rest failed. */
const OUTCOMES: ReadonlyArray<readonly [AppealStatus, number]> = [
  ['MEDIATED', 71.8],
  ['MEDIATION_FAILED', 24.5],
  ['WITHDRAWN', 3.7],
];

interface AppealCalendar {
  calendar: WorkingDays;
  days: number[];
  cumulative: number[];
}

let appealCalendar: AppealCalendar | undefined;
/** Receipt days from 2022 to the last day, weighted like the seed of record, growing 7% a year. */
function receiptCalendar(): AppealCalendar {
  if (appealCalendar) return appealCalendar;
  const calendar = new WorkingDays('2021-11-01', '2027-12-31');
  const days: number[] = [];
  const cumulative: number[] = [];
  let total = 0;
  for (let year = 2022; year <= Number(isoDate(LAST_DAY).slice(0, 4)); year++) {
    const weights = dayWeights(year, calendar);
    const growth = 1 + 0.07 * (year - 2022);
    weights.days.forEach((d, i) => {
      if (d < FIRST_APPEAL_DAY || d > LAST_DAY) return;
      const w = (weights.cumulative[i]! - (i > 0 ? weights.cumulative[i - 1]! : 0)) * growth;
      total += w;
      days.push(d);
      cumulative.push(total);
    });
  }
  appealCalendar = { calendar, days, cumulative };
  return appealCalendar;
}

type DueColumns = Pick<ScaleAppealRow, 'acceptanceDueOn' | 'answerDueOn' | 'conclusionDueOn' | 'verificationDueOn' | 'deadlinesProvisional'>;
const dueCache = new Map<string, DueColumns>();

/**
 * The stored deadline columns, from the domain's appealDeadlines as the service stores them.
 * Due days depend only on the Shanghai days of the steps, so the result is cached per those days
 * (a million appeals share a few tens of thousands of them).
 */
function dueColumns(type: ScaleAppealRow['type'], facts: AppealFacts, timestamps: { acceptedAt: Date | null; verificationExtendedAt: Date | null }): DueColumns {
  const key = `${type}:${shanghaiDay(facts.receivedAt)}:${timestamps.acceptedAt ? shanghaiDay(timestamps.acceptedAt) : ''}:${timestamps.verificationExtendedAt ? shanghaiDay(timestamps.verificationExtendedAt) : ''}`;
  let columns = dueCache.get(key);
  if (!columns) {
    // The day given as "today" only decides what is overdue, never a due day.
    const d = appealDeadlines({ type, receivedAt: facts.receivedAt, ...timestamps }, isoDate(LAST_DAY));
    columns = {
      acceptanceDueOn: d.acceptance?.dueOn ?? null,
      answerDueOn: d.answer?.dueOn ?? null,
      conclusionDueOn: d.conclusion?.dueOn ?? null,
      verificationDueOn: d.verification?.dueOn ?? null,
      deadlinesProvisional: [d.acceptance, d.answer, d.conclusion, d.verification].some((x) => x?.provisional),
    };
    dueCache.set(key, columns);
  }
  return columns;
}

interface AppealDraft {
  facts: AppealFacts;
  row: Pick<
    ScaleAppealRow,
    'type' | 'channel' | 'merchantId' | 'regionCode' | 'categoryCode' | 'issueType' | 'violationType' | 'amountInvolvedFen' | 'amountRecoveredFen' | 'details'
  >;
  answer?: { at: Date; body: string };
}

/** Draws the appeals of one block; facts only, laid out as rows by `appealRows`. */
class BlockAppeals {
  readonly drafts: AppealDraft[] = [];
  private readonly complaintPools: Map<ComplaintCategory, MerchantPool>;
  private readonly reportPools: Map<ViolationType, MerchantPool>;
  private readonly anyMerchant: MerchantPool;
  private readonly cal = receiptCalendar();
  private readonly categoryCumulative: number[];
  private readonly violationCumulative: number[];

  constructor(
    private readonly rng: Random,
    merchants: readonly MerchantRow[],
    hosts: ReadonlySet<string>,
  ) {
    this.complaintPools = new Map(COMPLAINT_CATEGORIES.map(([c]) => [c, new MerchantPool(merchants, CATEGORY_MERCHANTS[c], COMPLAINT_SIZE_WEIGHT, hosts)]));
    this.reportPools = new Map(VIOLATIONS.map(([v]) => [v, new MerchantPool(merchants, VIOLATION_MERCHANTS[v], REPORT_SIZE_WEIGHT, hosts)]));
    const all = Object.fromEntries(merchants.map((m) => [m.industry, 1]));
    this.anyMerchant = new MerchantPool(merchants, all, COMPLAINT_SIZE_WEIGHT, hosts);
    let total = 0;
    this.categoryCumulative = COMPLAINT_CATEGORIES.map(([, n]) => (total += n));
    total = 0;
    this.violationCumulative = VIOLATIONS.map(([, n]) => (total += n));
  }

  generate(count: number): void {
    const consultations = Math.round(count * TYPE_SHARES.consultation);
    const praise = Math.max(1, Math.round(count * TYPE_SHARES.praise));
    const reports = Math.round(count * TYPE_SHARES.report);
    for (let i = 0; i < consultations; i++) this.consultation();
    for (let i = 0; i < praise; i++) this.praise();
    for (let i = 0; i < reports; i++) this.report();
    for (let i = consultations + praise + reports; i < count; i++) this.complaint();
  }

  private receipt(channel: Channel): { day: number; receivedAt: Date; channel: Channel } {
    const rng = this.rng;
    const d = pickCumulative(rng, this.cal.days, this.cal.cumulative);
    // Offices are closed on days off: visits and letters then come in on the web instead.
    const ch: Channel = !this.cal.calendar.isWorking(d) && (channel === 'VISIT' || channel === 'LETTER') ? 'WEB' : channel;
    return { day: d, channel: ch, receivedAt: at(d, receiptMinute(rng, ch), rng.int(0, 59)) };
  }

  /** The instant of an office minute on the `n`-th working day after `from`, or null when after the last day. */
  private workingDayAt(from: number, n: number): { day: number; at: Date } | null {
    const d = this.cal.calendar.after(from, n);
    return d > LAST_DAY ? null : { day: d, at: at(d, officeMinute(this.rng), this.rng.int(0, 59)) };
  }

  private merchantFor(pool: MerchantPool | undefined, onDay: number): MerchantRow {
    const date = isoDay(onDay);
    const m = (pool && !pool.empty ? pool.pick(this.rng, date) : null) ?? this.anyMerchant.pick(this.rng, date);
    if (!m) throw new Error(`no merchant of the block existed on ${date}`);
    return m;
  }

  private consultation(): void {
    const rng = this.rng;
    const r = this.receipt(rng.weighted<Channel>([['HOTLINE', 80], ['WEB', 12], ['VISIT', 8]]));
    // Answered on the call or at the counter; written questions by the next working day.
    const closedAt = r.channel === 'WEB' ? (this.workingDayAt(r.day, 1)?.at ?? null) : new Date(r.receivedAt.getTime() + rng.int(3, 25) * MS_PER_MINUTE);
    const closed = closedAt !== null && shanghaiDay(closedAt) <= LAST_DAY;
    this.drafts.push({
      facts: { type: 'CONSULTATION', status: closed ? 'CLOSED' : 'RECEIVED', receivedAt: r.receivedAt, closedAt: closed ? closedAt : null },
      row: {
        type: 'CONSULTATION',
        channel: r.channel,
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

  private praise(): void {
    const rng = this.rng;
    const r = this.receipt(rng.weighted<Channel>([['HOTLINE', 2], ['LETTER', 1], ['WEB', 1]]));
    const merchant = rng.chance(0.8) ? this.anyMerchant.pick(rng, isoDay(r.day)) : null;
    const closed = this.workingDayAt(r.day, 1);
    this.drafts.push({
      facts: { type: 'PRAISE', status: closed ? 'CLOSED' : 'RECEIVED', receivedAt: r.receivedAt, closedAt: closed?.at ?? null },
      row: {
        type: 'PRAISE',
        channel: r.channel,
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

  private complaint(): void {
    const rng = this.rng;
    const category = pickCumulative(rng, COMPLAINT_CATEGORIES, this.categoryCumulative)[0];
    const r = this.receipt(rng.weighted<Channel>([['HOTLINE', 52], ['PLATFORM', 24], ['WEB', 14], ['VISIT', 8], ['LETTER', 2]]));
    const merchant = this.merchantFor(this.complaintPools.get(category), r.day);
    const issue = rng.weighted<IssueType>(ISSUES_BY_CATEGORY[category] ?? (category.startsWith('GOODS') ? GOODS_ISSUES : SERVICE_ISSUES));
    const involvedYuan = logUniform(rng, AMOUNT_YUAN[category]);
    const draft: AppealDraft = {
      facts: { type: 'COMPLAINT', status: 'RECEIVED', receivedAt: r.receivedAt },
      row: {
        type: 'COMPLAINT',
        channel: r.channel,
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
    this.drafts.push(draft);
    const facts = draft.facts;

    // Decided k working days after receipt; the acceptance deadline is the 7th. Still open when
    // that day lies after the last day of the world.
    const k = rng.chance(0.005) ? rng.int(8, 12) : rng.weighted<number>([[1, 25], [2, 30], [3, 20], [4, 10], [5, 7], [6, 5], [7, 3]]);
    const decision = this.workingDayAt(r.day, k);
    if (!decision) return;
    if (rng.chance(0.048)) {
      facts.status = 'REJECTED';
      facts.rejectedAt = decision.at;
      facts.rejectionReason = rng.pick(REJECTION_REASONS);
      return;
    }
    facts.status = 'ACCEPTED';
    facts.acceptedAt = decision.at;
    const m = rng.chance(0.82) ? rng.weighted<number>([[0, 2], [1, 4], [2, 3], [3, 1]]) : -1;
    if (m === 0) facts.mediationStartedAt = new Date(decision.at.getTime() + rng.int(10, 120) * MS_PER_MINUTE);
    else if (m > 0) facts.mediationStartedAt = this.workingDayAt(decision.day, m)?.at ?? null;
    if (facts.mediationStartedAt) facts.status = 'IN_MEDIATION';
    const outcome = rng.weighted(OUTCOMES);
    // Concluded c working days after acceptance; the deadline is the 45th.
    const start = Math.max(m, 0) + 1;
    const c = rng.chance(0.004) ? rng.int(46, 55) : Math.min(45, start + Math.floor(-Math.log(1 - rng.next()) * (outcome === 'WITHDRAWN' ? 5 : 10)));
    const conclusion = facts.mediationStartedAt || m < 0 ? this.workingDayAt(decision.day, c) : null;
    if (conclusion) {
      facts.status = outcome;
      facts.concludedAt = conclusion.at;
      if (outcome === 'MEDIATED' ? rng.chance(0.82) : outcome === 'WITHDRAWN' && rng.chance(0.55)) {
        // Refunds are often in full; otherwise a part, never more than was at stake.
        const yuan = rng.chance(0.45) ? involvedYuan : Math.max(1, Math.round(involvedYuan * (0.3 + 0.7 * rng.next())));
        draft.row.amountRecoveredFen = yuan * 100;
      }
    }
    // Merchants answer in the registry since it took over the records; most within the 10 working days.
    if (decision.day >= REGISTRY_START_DAY && rng.chance(0.9)) {
      const answer = this.workingDayAt(decision.day, rng.int(1, Math.min(c, rng.chance(0.94) ? 10 : 20)));
      if (answer) {
        let answerAt = answer.at;
        if (facts.concludedAt && answerAt.getTime() > facts.concludedAt.getTime()) answerAt = new Date(facts.concludedAt.getTime() - rng.int(5, 60) * MS_PER_MINUTE);
        if (answerAt.getTime() <= decision.at.getTime()) answerAt = new Date(decision.at.getTime() + MS_PER_MINUTE);
        draft.answer = { at: answerAt, body: rng.pick(ANSWER_BODIES) };
      }
    }
  }

  private report(): void {
    const rng = this.rng;
    const violation = pickCumulative(rng, VIOLATIONS, this.violationCumulative)[0];
    const r = this.receipt(rng.weighted<Channel>([['HOTLINE', 45], ['PLATFORM', 25], ['WEB', 20], ['LETTER', 6], ['VISIT', 4]]));
    const merchant = this.merchantFor(this.reportPools.get(violation), r.day);
    const facts: AppealFacts = { type: 'REPORT', status: 'RECEIVED', receivedAt: r.receivedAt };
    this.drafts.push({
      facts,
      row: {
        type: 'REPORT',
        channel: r.channel,
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
    // Verification starts s working days after receipt; the deadline is the 15th (30th if extended).
    const s = rng.int(1, 3);
    const late = rng.chance(0.012);
    const extendOn = rng.chance(0.065) ? rng.int(Math.max(s + 1, 10), 14) : null;
    const k = extendOn !== null ? (late ? rng.int(31, 36) : rng.int(Math.max(extendOn + 1, 16), 30)) : late ? rng.int(16, 21) : rng.int(s + 1, 15);
    const started = this.workingDayAt(r.day, s);
    if (!started) return;
    facts.status = 'VERIFYING';
    facts.verificationStartedAt = started.at;
    if (extendOn !== null) {
      // Extended with approval before the first 15 days ran out, because it needed longer.
      const extended = this.workingDayAt(r.day, extendOn);
      if (!extended) return;
      facts.verificationExtendedAt = extended.at;
    }
    const decided = this.workingDayAt(r.day, k);
    if (!decided) return;
    facts.status = rng.chance(0.28) ? 'CASE_FILED' : 'NOT_FILED';
    facts.decidedAt = decided.at;
  }
}

const details = new Map<string, { action: string }>();
/** A transition's `detail`, one object per action: millions of rows share a dozen values. */
function actionDetail(action: string): { action: string } {
  let detail = details.get(action);
  if (!detail) {
    detail = Object.freeze({ action });
    details.set(action, detail);
  }
  return detail;
}

/** Counters of the counter-based ids, carried from block to block. */
interface RowCounters {
  appeal: number;
  transition: number;
  answer: number;
}

/** Lays out a block's appeals as rows, in order of receipt, with their history and answers. */
function appealRows(drafts: AppealDraft[], counters: RowCounters): Pick<ScaleBlock, 'appeals' | 'appealTransitions' | 'merchantAnswers'> {
  const out: Pick<ScaleBlock, 'appeals' | 'appealTransitions' | 'merchantAnswers'> = { appeals: [], appealTransitions: [], merchantAnswers: [] };
  const keys = drafts.map((d) => d.facts.receivedAt.getTime());
  const order = keys.map((_, i) => i).sort((a, b) => keys[a]! - keys[b]! || a - b);
  for (const index of order) {
    const draft = drafts[index]!;
    const record = buildAppealRecord(draft.facts);
    const n = counters.appeal++;
    const receivedDay = shanghaiDay(draft.facts.receivedAt);
    const externalId = `12315-${isoDay(receivedDay).slice(0, 4)}-S${String(n + 1).padStart(8, '0')}`;
    if (!record.ok) throw new Error(`scale seed: ${externalId} is not a legal path: ${JSON.stringify(record.problems)}`);
    const id = scaleRowId('appeal', n);
    const { row } = draft;
    const ts = record.timestamps;
    const due = dueColumns(row.type, draft.facts, ts);
    // Every column spelled out (no spreads): a million of these are made.
    out.appeals.push({
      id,
      externalId,
      type: row.type,
      channel: row.channel,
      receivedAt: draft.facts.receivedAt,
      merchantId: row.merchantId,
      regionCode: row.regionCode,
      categoryCode: row.categoryCode,
      issueType: row.issueType,
      violationType: row.violationType,
      amountInvolvedFen: row.amountInvolvedFen,
      amountRecoveredFen: row.amountRecoveredFen,
      consumerName: null,
      consumerPhone: null,
      details: row.details,
      status: draft.facts.status,
      acceptedAt: ts.acceptedAt,
      rejectedAt: ts.rejectedAt,
      rejectionReason: ts.rejectionReason,
      mediationStartedAt: ts.mediationStartedAt,
      concludedAt: ts.concludedAt,
      verificationExtendedAt: ts.verificationExtendedAt,
      decidedAt: ts.decidedAt,
      caseFiledAt: ts.caseFiledAt,
      acceptanceDueOn: due.acceptanceDueOn,
      answerDueOn: due.answerDueOn,
      conclusionDueOn: due.conclusionDueOn,
      verificationDueOn: due.verificationDueOn,
      deadlinesProvisional: due.deadlinesProvisional,
      // As an import records history: one version, created when received, updated at the last step.
      version: 1,
      createdAt: draft.facts.receivedAt,
      updatedAt: record.history[record.history.length - 1]!.at,
    });
    for (const step of record.history) {
      out.appealTransitions.push({
        id: scaleRowId('transition', counters.transition++),
        appealId: id,
        fromStatus: step.from,
        toStatus: step.to,
        actor: SEED_ACTOR,
        at: step.at,
        reason: step.action === 'REJECT' ? record.timestamps.rejectionReason : null,
        detail: actionDetail(step.action),
      });
    }
    if (draft.answer) {
      out.merchantAnswers.push({
        id: scaleRowId('answer', counters.answer++),
        appealId: id,
        merchantId: draft.row.merchantId!,
        body: draft.answer.body,
        answeredAt: draft.answer.at,
        actor: SEED_ACTOR,
        createdAt: draft.answer.at,
      });
    }
  }
  return out;
}

// ---- the world ---------------------------------------------------------------------------

/**
 * Generates the scale world block by block (see the file comment). Deterministic: the same
 * options give deep-equal blocks. Every block's appeals are exactly ten per merchant.
 */
export function* generateScaleSeed(options: ScaleSeedOptions): Generator<ScaleBlock> {
  const sizes = blockSizes(options.merchants);
  const root = new Random(options.seed ?? DEFAULT_SCALE_SEED);
  // One factory for the whole world: USCCs and names stay unique across blocks.
  const factory = new MerchantFactory(root.fork('merchants'));
  const sites = root.fork('streets').shuffle(streetSites());
  const counters: RowCounters = { appeal: 0, transition: 0, answer: 0 };

  for (const [index, size] of sizes.entries()) {
    const rng = root.fork(`block:${index}`);
    const first = factory.drafts.length;
    const share = size / BLOCK_MERCHANTS;

    const hosts: HostDraft[] = [];
    const hostCount = Math.max(1, Math.round(HOST_TEMPLATES.length * share));
    for (let k = 0; k < hostCount; k++) {
      hosts.push(addHost(factory, rng, HOST_TEMPLATES[(index * hostCount + k) % HOST_TEMPLATES.length]!, share));
    }

    // The block's demonstration street; past the sites of the three districts, a second phase.
    const site = sites[index % sites.length]!;
    const phase = Math.floor(index / sites.length);
    const streetName = `${site.label}放心消费示范街${phase ? `（${phase + 1}期）` : ''}`;
    const launchDay = STREET_LAUNCH_DAY + rng.int(0, 900);
    const streetId = seedId(`street:${site.district}:${streetName}`);
    const street: DemonstrationStreetRow = {
      id: streetId,
      name: streetName,
      regionCode: site.district,
      description: `${site.label}“文明诚信经营 放心舒心消费”示范街区：推行线下七天无理由退货，商户入驻湖北315消费纠纷和解平台，落实经营者首问制度。`,
      targetEnrollmentPct: 100,
      targetPledgeDisplayPct: 100,
      targetComplaintHandlingPct: 100,
      createdAt: at(launchDay, 9 * 60 + 30),
    };
    const streetSize = Math.min(60, Math.max(5, Math.round(size / 40)));
    const houseNumbers = rng.shuffle(Array.from({ length: 400 }, (_, i) => i + 1));
    for (let i = 0; i < streetSize && factory.drafts.length - first < size; i++) addStreetShop(factory, rng, site, houseNumbers[i]!, launchDay);

    if (factory.drafts.length - first > size) throw new RangeError(`a block of ${size} merchants cannot hold its hosts and street`);
    while (factory.drafts.length - first < size) factory.filler();
    const drafts = factory.drafts.slice(first);

    // Rights-service stations: hosts marked so by their template, then shops of the station industries.
    const stationTarget = Math.max(1, Math.round(15 * share));
    const candidates = drafts.filter((d) => !d.isHost && !d.station && !d.streetMember && !d.row.hostMerchantId && STATION_INDUSTRIES.has(d.row.industry) && d.row.sizeBand !== 'MICRO');
    for (const d of rng.sample(candidates, stationTarget - drafts.filter((x) => x.station).length)) {
      d.station = true;
      d.row.rightsServiceStation = true;
    }

    const members: DemonstrationStreetMemberRow[] = [];
    for (const d of drafts) {
      if (!d.streetMember) continue;
      d.joinedStreetOn = Math.min(TODAY - 3, launchDay + (d.station ? 0 : rng.int(0, 200)));
      members.push({ id: seedId(`street-member:${streetId}:${d.row.id}`), streetId, merchantId: d.row.id, joinedOn: isoDate(d.joinedStreetOn), leftOn: null });
    }

    const credit = generateCreditEntries(rng.fork('credit'), drafts, size);
    const pledges = generatePledges(rng.fork('pledges'), drafts);
    const enrollments = generateEnrollments(rng.fork('enrollments'), drafts);
    const funds = generateFunds(rng.fork('funds'), hosts);

    const merchantRows = [...drafts.filter((d) => d.isHost), ...drafts.filter((d) => !d.isHost)].map((d) => d.row);
    const appealsOfBlock = new BlockAppeals(rng.fork('appeals'), merchantRows, new Set(hosts.map((h) => h.draft.row.id)));
    appealsOfBlock.generate(size * APPEALS_PER_MERCHANT);

    yield {
      index,
      // Hosts first, so that no tenant comes before its host.
      merchants: merchantRows,
      demonstrationStreets: [street],
      demonstrationStreetMembers: members,
      creditListEntries: credit,
      returnPledges: pledges.pledges,
      pledgeStatusChanges: pledges.changes,
      pledgeAudits: pledges.audits,
      disputeEnrollments: enrollments,
      ...appealRows(appealsOfBlock.drafts, counters),
      compensationFunds: funds.funds,
      fundLedgerEntries: funds.entries,
    };
  }
}

// ---- ratings -----------------------------------------------------------------------------

/**
 * The rating inputs of every merchant of a block, read from its rows exactly as
 * `loadRatingRecords` reads them from the database (a block names only its own merchants).
 */
export function blockRatingRecords(block: ScaleBlock): Map<string, RatingRecords> {
  const result = new Map<string, RatingRecords>();
  for (const m of block.merchants) {
    result.set(m.id!, {
      merchant: { id: m.id!, sizeBand: m.sizeBand, establishedOn: m.establishedOn },
      complaints: [],
      reports: [],
      praise: [],
      pledges: [],
      audits: [],
      enrollments: [],
      listEntries: [],
      patternResponses: [],
      hostsTenants: false,
      fund: null,
      payoutsForTenant: [],
    });
  }
  const of = (id: string | null | undefined) => (id ? result.get(id) : undefined);
  const answers = new Map<string, Date[]>();
  for (const a of block.merchantAnswers) answers.set(a.appealId, [...(answers.get(a.appealId) ?? []), a.answeredAt]);
  for (const a of block.appeals) {
    const r = of(a.merchantId);
    if (!r) continue;
    if (a.type === 'COMPLAINT') {
      r.complaints.push({ id: a.id, acceptedAt: a.acceptedAt ?? null, status: a.status!, concludedAt: a.concludedAt ?? null, issueType: a.issueType ?? null, answeredAt: answers.get(a.id) ?? [] });
    } else if (a.type === 'REPORT') r.reports.push({ id: a.id, caseFiledAt: a.caseFiledAt ?? null });
    else if (a.type === 'PRAISE') r.praise.push({ id: a.id, receivedAt: a.receivedAt });
  }
  const changes = new Map<string, { toStatus: string; at: Date }[]>();
  for (const c of block.pledgeStatusChanges) changes.set(c.pledgeId, [...(changes.get(c.pledgeId) ?? []), { toStatus: c.toStatus, at: c.at! }]);
  const pledgeMerchant = new Map<string, string>();
  for (const p of block.returnPledges) {
    pledgeMerchant.set(p.id!, p.merchantId);
    of(p.merchantId)?.pledges.push({ id: p.id!, effectiveFrom: p.effectiveFrom, expiresOn: p.expiresOn ?? null, revokedAt: p.revokedAt ?? null, statusChanges: changes.get(p.id!) ?? [] });
  }
  for (const a of block.pledgeAudits) of(pledgeMerchant.get(a.pledgeId))?.audits.push({ id: a.id!, pledgeId: a.pledgeId, auditedOn: a.auditedOn, outcome: a.outcome });
  for (const e of block.disputeEnrollments) of(e.merchantId)?.enrollments.push({ id: e.id!, program: e.program, startedAt: e.startedAt, endedAt: e.endedAt ?? null });
  for (const l of block.creditListEntries) of(l.merchantId)?.listEntries.push({ id: l.id!, list: l.list, listedOn: l.listedOn, removedOn: l.removedOn ?? null });
  for (const m of block.merchants) {
    const host = of(m.hostMerchantId);
    if (host) host.hostsTenants = true;
  }
  const fundHost = new Map<string, RatingRecords>();
  for (const f of block.compensationFunds) {
    const r = of(f.hostMerchantId);
    if (!r) continue;
    r.fund = { id: f.id!, requiredMinimumFen: f.requiredMinimumFen, openedAt: f.openedAt, entries: [] };
    fundHost.set(f.id!, r);
  }
  const reimbursements = new Map<string, { amountFen: number; occurredAt: Date }[]>();
  for (const e of block.fundLedgerEntries) {
    fundHost.get(e.fundId)?.fund!.entries.push({ id: e.id!, kind: e.kind, amountFen: e.amountFen, occurredAt: e.occurredAt });
    if (e.kind === 'REIMBURSEMENT' && e.reimbursesEntryId) {
      reimbursements.set(e.reimbursesEntryId, [...(reimbursements.get(e.reimbursesEntryId) ?? []), { amountFen: e.amountFen, occurredAt: e.occurredAt }]);
    }
  }
  for (const e of block.fundLedgerEntries) {
    if (e.kind !== 'PAYOUT') continue;
    of(e.tenantMerchantId)?.payoutsForTenant.push({ id: e.id!, amountFen: e.amountFen, occurredAt: e.occurredAt, reimbursements: reimbursements.get(e.id!) ?? [] });
  }
  return result;
}
