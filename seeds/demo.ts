/**
 * The deterministic demo data set for Suizhou (随州), after the city bureau's 2024 consumer-rights
 * document: merchants of the three districts, the 解放路 demonstration street, the fifteen red
 * consumer-rights service stations, return pledges with their audits, dispute-platform
 * enrollments, credit-list entries, and the prepaid compensation funds of markets and platforms.
 *
 * Pure: the same options always give deep-equal rows. Nothing reads the clock or Math.random; ids
 * are derived from natural keys and every instant is a fixed Beijing-time moment.
 */
import type {
  compensationFunds,
  creditListEntries,
  demonstrationStreetMembers,
  demonstrationStreets,
  disputeEnrollments,
  fundLedgerEntries,
  merchants,
  pledgeAudits,
  pledgeStatusChanges,
  returnPledges,
} from '../src/db/schema';
import type { auditOutcome, industry, merchantKind, pledgeStatus, sizeBand, tenancyKind } from '../src/db/schema/enums';
import { USCC_CHARSET, withUsccCheckCharacter } from '../src/domain/uscc';
import { addYears, beijingInstant, day, isoDate } from './dates';
import { seedId } from './ids';
import { Random } from './random';
import {
  BRANDS,
  COMPANY_ENDINGS,
  COOPERATIVE_PRODUCTS,
  DECISION_PREFIXES,
  GIVEN_NAMES,
  GUANGSHUI_STREETS,
  GUANGSHUI_TOWNS,
  INSPECTION_OFFICES,
  JIEFANG_ROAD,
  LISHAN_STREETS,
  MARKET_STALL_ENDINGS,
  PHONE_PREFIXES,
  PLEDGE_CATEGORIES,
  PLEDGE_EXCLUSIONS,
  SCENIC_ENDINGS,
  SCENIC_PLACES,
  SHOP_PREFIXES,
  SMALL_SHOP_ENDINGS,
  SUIXIAN_TOWNS,
  SURNAMES,
  TOWN_STREETS,
  ZENGDU_STREETS,
  ZENGDU_TOWNS,
  type DistrictCode,
} from './words';

export type MerchantRow = typeof merchants.$inferInsert;
export type DemonstrationStreetRow = typeof demonstrationStreets.$inferInsert;
export type DemonstrationStreetMemberRow = typeof demonstrationStreetMembers.$inferInsert;
export type CreditListEntryRow = typeof creditListEntries.$inferInsert;
export type ReturnPledgeRow = typeof returnPledges.$inferInsert;
export type PledgeStatusChangeRow = typeof pledgeStatusChanges.$inferInsert;
export type PledgeAuditRow = typeof pledgeAudits.$inferInsert;
export type DisputeEnrollmentRow = typeof disputeEnrollments.$inferInsert;
export type CompensationFundRow = typeof compensationFunds.$inferInsert;
export type FundLedgerEntryRow = typeof fundLedgerEntries.$inferInsert;

/** Every table the demo fills, as plain insert rows in an order that satisfies the foreign keys. */
export interface DemoSeed {
  merchants: MerchantRow[];
  demonstrationStreets: DemonstrationStreetRow[];
  demonstrationStreetMembers: DemonstrationStreetMemberRow[];
  creditListEntries: CreditListEntryRow[];
  returnPledges: ReturnPledgeRow[];
  pledgeStatusChanges: PledgeStatusChangeRow[];
  pledgeAudits: PledgeAuditRow[];
  disputeEnrollments: DisputeEnrollmentRow[];
  compensationFunds: CompensationFundRow[];
  fundLedgerEntries: FundLedgerEntryRow[];
}

export interface DemoSeedOptions {
  /** PRNG seed; the default gives the canonical demo. */
  seed?: number;
  /** Number of merchants, at least 200. */
  merchants?: number;
}

export const DEFAULT_DEMO_SEED = 20240315;
export const DEFAULT_DEMO_MERCHANTS = 2400;
export const MIN_DEMO_MERCHANTS = 200;

/** The demo's "today": every record lies before it, and 90 days before it is the NR threshold. */
export const DEMO_TODAY = '2026-11-29';
/** The name of the demonstration street from the source document. */
export const DEMO_STREET_NAME = '解放路放心消费示范街';
/** Actor recorded on every seeded row. */
export const SEED_ACTOR = 'seed';

type Industry = (typeof industry.enumValues)[number];
type Kind = (typeof merchantKind.enumValues)[number];
type SizeBand = (typeof sizeBand.enumValues)[number];
type TenancyKind = (typeof tenancyKind.enumValues)[number];
type PledgeStatus = (typeof pledgeStatus.enumValues)[number];
type AuditOutcome = (typeof auditOutcome.enumValues)[number];
type ReturnExclusion = NonNullable<ReturnPledgeRow['exclusions']>[number];

const EXCLUSIONS_BY_INDUSTRY: Partial<Record<Industry, readonly ReturnExclusion[]>> = PLEDGE_EXCLUSIONS;
const CATEGORIES_BY_INDUSTRY: Partial<Record<Industry, readonly string[]>> = PLEDGE_CATEGORIES;

export const TODAY = day(DEMO_TODAY);
/** Audits end a little before "today" so the demo's latest ones are already filed. */
const LAST_AUDIT_DAY = day('2026-11-20');
/** The last day with a ledger entry other than the closing top-up. */
const LAST_LEDGER_DAY = day('2026-11-20');
const FIRST_PLEDGE_DAY = day('2020-01-01');
/** The 3·15 day the provincial settlement platform and ODR enrollment are taken to start. */
const FIRST_PLATFORM_DAY = day('2020-03-15');
/** When the registry took over its first records (the bureau's 2023 station programme). */
export const REGISTRY_START_DAY = day('2023-05-08');
export const STREET_LAUNCH_DAY = day('2023-05-18');
const UNIFIED_CODE_DAY = day('2015-10-01');

const USCC_CHARS = [...USCC_CHARSET];
const ORG_CODE_CHECK_CHARS = [...'0123456789X'];
const KIND_DIGIT: Record<Kind, string> = { ENTERPRISE: '1', INDIVIDUAL_BUSINESS: '2', FARMER_COOPERATIVE: '3' };

/** Goods retailers: the ones a seven-day no-reason return pledge makes sense for. */
const RETAIL_INDUSTRIES: ReadonlySet<Industry> = new Set<Industry>([
  'SUPERMARKET',
  'SHOPPING_CENTER',
  'HOME_APPLIANCES',
  'FOOD',
  'CLOTHING',
  'FURNITURE_BUILDING_MATERIALS_MARKET',
]);

/** Industry mix of the merchants that are not named, hosted or on the street. */
const FILLER_INDUSTRIES: ReadonlyArray<readonly [Industry, number]> = [
  ['CATERING', 24],
  ['FOOD', 20],
  ['CLOTHING', 13],
  ['PREPAID_SERVICES', 10],
  ['SUPERMARKET', 9],
  ['HOME_APPLIANCES', 6],
  ['AUTOMOBILE', 6],
  ['PROPERTY_MANAGEMENT', 3],
  ['FURNITURE_BUILDING_MATERIALS_MARKET', 2],
  ['SCENIC_SPOT', 1.5],
  ['SHOPPING_CENTER', 0.3],
];

const SCENIC_ADDRESS_PREFIX: Record<DistrictCode, string> = { '421303': '随州市曾都区', '421321': '随州市随县', '421381': '广水市' };

const DISTRICT_WEIGHTS: ReadonlyArray<readonly [DistrictCode, number]> = [
  ['421303', 46],
  ['421321', 24],
  ['421381', 30],
];

/** Share of enterprises per industry; the rest are individual businesses (and a few cooperatives). */
export const ENTERPRISE_SHARE: Record<Industry, number> = {
  SUPERMARKET: 0.4,
  SHOPPING_CENTER: 1,
  HOME_APPLIANCES: 0.35,
  SCENIC_SPOT: 0.7,
  FARMERS_MARKET: 1,
  FOOD_DELIVERY_PLATFORM: 1,
  PROPERTY_MANAGEMENT: 1,
  AUTOMOBILE: 0.55,
  FOOD: 0.15,
  CLOTHING: 0.12,
  FURNITURE_BUILDING_MATERIALS_MARKET: 0.15,
  CATERING: 0.12,
  PREPAID_SERVICES: 0.45,
};

const BARE_COMPANY_ENDINGS: ReadonlySet<string> = new Set(['超市', '购物广场', '大酒店', '酒楼', '商业广场', '百货大楼', '购物中心', '家电', '电器', '服饰', '鞋业', '家居', '家具', '建材']);

export interface HostPlan {
  tenancy: TenancyKind;
  /** Tenants at the default 2,400 merchants; scaled with the merchant count. */
  tenants: number;
  /** Short name used inside tenants' addresses, e.g. 东关农贸市场. */
  shortName: string;
  minimumYuan: readonly [number, number];
  /** Deposits never reached the minimum (to show the rating's fund deduction). */
  underfunded?: boolean;
  fundOpenedBetween: readonly [string, string];
}

export interface FeaturedMerchant {
  name: string;
  kind: Kind;
  industry: Industry;
  size: SizeBand;
  district: DistrictCode;
  address: string;
  established: string;
  station?: boolean;
  /** Registered with the city bureau: the USCC carries 421300. */
  cityRegistered?: boolean;
  streetMember?: boolean;
  host?: HostPlan;
}

/**
 * The merchants the demo always contains. The first fifteen flagged `station` are the document's
 * 15 红色消费维权示范站 covering 商超, 家电, 旅游景区, 农贸市场, 外卖平台, 物业, 汽车 and 食品.
 */
export const FEATURED: readonly FeaturedMerchant[] = [
  {
    name: '随州新世纪购物中心',
    kind: 'ENTERPRISE',
    industry: 'SHOPPING_CENTER',
    size: 'LARGE',
    district: '421303',
    address: '随州市曾都区解放路88号',
    established: '2004-09-28',
    station: true,
    cityRegistered: true,
    streetMember: true,
    host: { tenancy: 'COUNTER_TENANT', tenants: 40, shortName: '新世纪购物中心', minimumYuan: [300_000, 300_000], fundOpenedBetween: ['2023-05-20', '2023-06-30'] },
  },
  {
    name: '随州市曾都区东关农贸市场',
    kind: 'ENTERPRISE',
    industry: 'FARMERS_MARKET',
    size: 'MEDIUM',
    district: '421303',
    address: '随州市曾都区烈山大道216号',
    established: '2001-04-16',
    station: true,
    host: { tenancy: 'COUNTER_TENANT', tenants: 45, shortName: '东关农贸市场', minimumYuan: [80_000, 100_000], fundOpenedBetween: ['2023-06-01', '2023-09-30'] },
  },
  {
    name: '随州市曾都区青年路农贸市场',
    kind: 'ENTERPRISE',
    industry: 'FARMERS_MARKET',
    size: 'MEDIUM',
    district: '421303',
    address: '随州市曾都区青年路45号',
    established: '1999-08-02',
    station: true,
    host: { tenancy: 'COUNTER_TENANT', tenants: 35, shortName: '青年路农贸市场', minimumYuan: [60_000, 100_000], fundOpenedBetween: ['2023-06-01', '2023-09-30'] },
  },
  {
    name: '随州市曾都区南郊农贸市场',
    kind: 'ENTERPRISE',
    industry: 'FARMERS_MARKET',
    size: 'MEDIUM',
    district: '421303',
    address: '随州市曾都区交通大道311号',
    established: '2006-03-21',
    host: { tenancy: 'COUNTER_TENANT', tenants: 28, shortName: '南郊农贸市场', minimumYuan: [50_000, 80_000], fundOpenedBetween: ['2023-09-01', '2024-03-31'] },
  },
  {
    name: '随县厉山镇农贸市场',
    kind: 'ENTERPRISE',
    industry: 'FARMERS_MARKET',
    size: 'SMALL',
    district: '421321',
    address: '随州市随县厉山镇神农大道102号',
    established: '2003-11-10',
    host: { tenancy: 'COUNTER_TENANT', tenants: 25, shortName: '厉山镇农贸市场', minimumYuan: [50_000, 60_000], fundOpenedBetween: ['2024-01-01', '2024-06-30'] },
  },
  {
    name: '广水市应山农贸市场',
    kind: 'ENTERPRISE',
    industry: 'FARMERS_MARKET',
    size: 'MEDIUM',
    district: '421381',
    address: '广水市应山大道156号',
    established: '2000-05-08',
    host: { tenancy: 'COUNTER_TENANT', tenants: 32, shortName: '应山农贸市场', minimumYuan: [60_000, 90_000], fundOpenedBetween: ['2023-10-01', '2024-04-30'] },
  },
  {
    name: '广水市十里农贸市场',
    kind: 'ENTERPRISE',
    industry: 'FARMERS_MARKET',
    size: 'SMALL',
    district: '421381',
    address: '广水市永阳大道78号',
    established: '2009-07-14',
    host: { tenancy: 'COUNTER_TENANT', tenants: 20, shortName: '十里农贸市场', minimumYuan: [50_000, 50_000], underfunded: true, fundOpenedBetween: ['2024-03-01', '2024-08-31'] },
  },
  {
    name: '随州市曾都区汉东家居建材城',
    kind: 'ENTERPRISE',
    industry: 'FURNITURE_BUILDING_MATERIALS_MARKET',
    size: 'LARGE',
    district: '421303',
    address: '随州市曾都区交通大道1288号',
    established: '2011-06-18',
    host: { tenancy: 'COUNTER_TENANT', tenants: 30, shortName: '汉东家居建材城', minimumYuan: [200_000, 300_000], fundOpenedBetween: ['2023-06-01', '2023-08-31'] },
  },
  {
    name: '随州市曾都区神农家具大市场',
    kind: 'ENTERPRISE',
    industry: 'FURNITURE_BUILDING_MATERIALS_MARKET',
    size: 'MEDIUM',
    district: '421303',
    address: '随州市曾都区文帝大道66号',
    established: '2008-10-09',
    host: { tenancy: 'COUNTER_TENANT', tenants: 18, shortName: '神农家具大市场', minimumYuan: [150_000, 200_000], underfunded: true, fundOpenedBetween: ['2023-09-01', '2024-02-29'] },
  },
  {
    name: '广水市应山建材大市场',
    kind: 'ENTERPRISE',
    industry: 'FURNITURE_BUILDING_MATERIALS_MARKET',
    size: 'MEDIUM',
    district: '421381',
    address: '广水市城南大道208号',
    established: '2012-04-25',
    host: { tenancy: 'COUNTER_TENANT', tenants: 15, shortName: '应山建材大市场', minimumYuan: [100_000, 150_000], fundOpenedBetween: ['2024-01-01', '2024-06-30'] },
  },
  {
    name: '随州市随心送网络科技有限公司',
    kind: 'ENTERPRISE',
    industry: 'FOOD_DELIVERY_PLATFORM',
    size: 'MEDIUM',
    district: '421303',
    address: '随州市曾都区明珠路19号',
    established: '2017-03-06',
    station: true,
    cityRegistered: true,
    host: { tenancy: 'PLATFORM_SHOP', tenants: 55, shortName: '随心送', minimumYuan: [400_000, 500_000], fundOpenedBetween: ['2021-03-15', '2021-12-31'] },
  },
  {
    name: '随州市邻里到家外卖平台有限公司',
    kind: 'ENTERPRISE',
    industry: 'FOOD_DELIVERY_PLATFORM',
    size: 'SMALL',
    district: '421303',
    address: '随州市曾都区季梁大道203号',
    established: '2019-08-12',
    cityRegistered: true,
    host: { tenancy: 'PLATFORM_SHOP', tenants: 40, shortName: '邻里到家', minimumYuan: [200_000, 300_000], fundOpenedBetween: ['2022-03-15', '2022-12-31'] },
  },
  {
    name: '广水市快乐送外卖服务有限公司',
    kind: 'ENTERPRISE',
    industry: 'FOOD_DELIVERY_PLATFORM',
    size: 'SMALL',
    district: '421381',
    address: '广水市广安路37号',
    established: '2018-05-20',
    host: { tenancy: 'PLATFORM_SHOP', tenants: 30, shortName: '快乐送', minimumYuan: [100_000, 200_000], fundOpenedBetween: ['2022-06-01', '2023-03-31'] },
  },
  { name: '随州市曾都区福临门超市', kind: 'INDIVIDUAL_BUSINESS', industry: 'SUPERMARKET', size: 'SMALL', district: '421303', address: '随州市曾都区解放路126号', established: '2010-01-18', station: true, streetMember: true },
  { name: '随州市曾都区惠万家购物广场有限公司', kind: 'ENTERPRISE', industry: 'SUPERMARKET', size: 'MEDIUM', district: '421303', address: '随州市曾都区沿河大道58号', established: '2012-09-09', station: true },
  { name: '随州市曾都区汉东家电商场有限公司', kind: 'ENTERPRISE', industry: 'HOME_APPLIANCES', size: 'MEDIUM', district: '421303', address: '随州市曾都区舜井大道102号', established: '2007-05-26', station: true },
  { name: '曾都区好邻居家电商行', kind: 'INDIVIDUAL_BUSINESS', industry: 'HOME_APPLIANCES', size: 'SMALL', district: '421303', address: '随州市曾都区交通大道87号', established: '2015-03-02', station: true },
  { name: '随州市曾都区白云湖风景区', kind: 'ENTERPRISE', industry: 'SCENIC_SPOT', size: 'MEDIUM', district: '421303', address: '随州市曾都区白云大道1号', established: '2009-04-30', station: true },
  { name: '随州市曾都区安居物业服务有限公司', kind: 'ENTERPRISE', industry: 'PROPERTY_MANAGEMENT', size: 'MEDIUM', district: '421303', address: '随州市曾都区编钟大道25号', established: '2013-12-11', station: true },
  { name: '随州市汉东物业管理有限公司', kind: 'ENTERPRISE', industry: 'PROPERTY_MANAGEMENT', size: 'LARGE', district: '421303', address: '随州市曾都区烈山大道488号', established: '2005-06-20', station: true, cityRegistered: true },
  { name: '随州市曾都区众达汽车销售服务有限公司', kind: 'ENTERPRISE', industry: 'AUTOMOBILE', size: 'MEDIUM', district: '421303', address: '随州市曾都区擂鼓墩大道318号', established: '2011-08-08', station: true },
  { name: '随州市曾都区顺驰汽车维修服务部', kind: 'INDIVIDUAL_BUSINESS', industry: 'AUTOMOBILE', size: 'SMALL', district: '421303', address: '随州市曾都区汉东路142号', established: '2014-02-27', station: true },
  { name: '随州市曾都区香菇坊食品商行', kind: 'INDIVIDUAL_BUSINESS', industry: 'FOOD', size: 'SMALL', district: '421303', address: '随州市曾都区清河路33号', established: '2016-06-06', station: true },
  { name: '随州市曾都区编钟老字号糕点店', kind: 'INDIVIDUAL_BUSINESS', industry: 'FOOD', size: 'MICRO', district: '421303', address: '随州市曾都区解放路203号', established: '2002-10-01', station: true, streetMember: true },
  { name: '随县大洪山风景区', kind: 'ENTERPRISE', industry: 'SCENIC_SPOT', size: 'LARGE', district: '421321', address: '随州市随县长岗镇大洪山风景区游客中心', established: '2006-05-01' },
  { name: '广水市惠民家电商行', kind: 'INDIVIDUAL_BUSINESS', industry: 'HOME_APPLIANCES', size: 'SMALL', district: '421381', address: '广水市应山大道233号', established: '2013-09-16' },
  { name: '曾都区小李烧烤店', kind: 'INDIVIDUAL_BUSINESS', industry: 'CATERING', size: 'MICRO', district: '421303', address: '随州市曾都区龙门街17号', established: '2019-05-23' },
];

/** Internal bookkeeping for a merchant while the rest of its records are generated. */
export interface Draft {
  row: MerchantRow & { id: string; uscc: string; name: string; kind: Kind; industry: Industry };
  est: number;
  district: DistrictCode;
  isHost: boolean;
  station: boolean;
  streetMember: boolean;
  joinedStreetOn?: number;
}

export interface HostDraft {
  draft: Draft;
  plan: HostPlan;
  tenants: Draft[];
}

const TOWNS: readonly string[] = [...ZENGDU_TOWNS, ...SUIXIAN_TOWNS, ...GUANGSHUI_TOWNS];
/** The market town an address lies in, if any. */
const townOf = (address: string) => TOWNS.find((town) => address.includes(town));

const minutesInOfficeHours = (rng: Random) => rng.int(8 * 60 + 30, 17 * 60 + 30);

/** A day between `from` and `to` (both included), or undefined when the range is empty. */
function dayBetween(rng: Random, from: number, to: number): number | undefined {
  return to < from ? undefined : rng.int(from, to);
}

function personName(rng: Random): string {
  return rng.pick(SURNAMES) + rng.pick(GIVEN_NAMES);
}

function phoneNumber(rng: Random): string {
  let digits = '';
  for (let i = 0; i < 8; i++) digits += String(rng.int(0, 9));
  return rng.pick(PHONE_PREFIXES) + digits;
}

/**
 * Builds the merchants: the featured ones, the tenants of every host, the other members of the
 * 解放路 street and then random merchants up to the requested count.
 */
export class MerchantFactory {
  readonly drafts: Draft[] = [];
  private readonly usccs = new Set<string>();
  private readonly names = new Set<string>();
  private readonly jiefangNumbers: number[];

  constructor(private readonly rng: Random) {
    // House numbers 88 and 126 and 203 belong to featured members.
    this.jiefangNumbers = rng.shuffle(Array.from({ length: 360 }, (_, i) => i + 1).filter((n) => ![88, 126, 203].includes(n)));
  }

  uscc(kind: Kind, registrationRegion: string, est: number): string {
    const rng = this.rng;
    for (;;) {
      let body: string;
      if (est >= UNIFIED_CODE_DAY || kind === 'FARMER_COOPERATIVE' || rng.chance(0.1)) {
        body = 'MA4';
        for (let i = 0; i < 6; i++) body += rng.pick(USCC_CHARS);
      } else if (kind === 'ENTERPRISE') {
        // Pre-2015 companies kept their nine-character organisation code.
        body = '';
        for (let i = 0; i < 8; i++) body += String(rng.int(0, 9));
        body += rng.pick(ORG_CODE_CHECK_CHARS);
      } else {
        body = 'L';
        for (let i = 0; i < 8; i++) body += String(rng.int(0, 9));
      }
      const code = withUsccCheckCharacter(`9${KIND_DIGIT[kind]}${registrationRegion}${body}`);
      if (!this.usccs.has(code)) {
        this.usccs.add(code);
        return code;
      }
    }
  }

  /** Makes a name unique: first by retrying the generator, then with a branch suffix. */
  uniqueName(make: () => string): string {
    for (let attempt = 0; attempt < 12; attempt++) {
      const name = make();
      if (!this.names.has(name)) {
        this.names.add(name);
        return name;
      }
    }
    const base = make();
    for (let n = 2; ; n++) {
      const name = `${base}（${n}店）`;
      if (!this.names.has(name)) {
        this.names.add(name);
        return name;
      }
    }
  }

  add(spec: {
    name: string;
    kind: Kind;
    industry: Industry;
    size: SizeBand;
    district: DistrictCode;
    address: string;
    est: number;
    cityRegistered?: boolean;
    station?: boolean;
    streetMember?: boolean;
    isHost?: boolean;
    host?: Draft;
    tenancy?: TenancyKind;
  }): Draft {
    const rng = this.rng;
    const uscc = this.uscc(spec.kind, spec.cityRegistered ? '421300' : spec.district, spec.est);
    const createdAt = beijingInstant(Math.max(spec.est, REGISTRY_START_DAY), minutesInOfficeHours(rng));
    const hasContact = spec.isHost || spec.station || rng.chance(0.96);
    this.names.add(spec.name);
    const draft: Draft = {
      row: {
        id: seedId(`merchant:${uscc}`),
        uscc,
        name: spec.name,
        kind: spec.kind,
        industry: spec.industry,
        sizeBand: spec.size,
        regionCode: spec.district,
        address: spec.address,
        establishedOn: isoDate(spec.est),
        contactName: hasContact ? personName(rng) : null,
        contactPhone: hasContact ? phoneNumber(rng) : null,
        hostMerchantId: spec.host ? spec.host.row.id : null,
        tenancyKind: spec.host ? (spec.tenancy ?? 'COUNTER_TENANT') : null,
        rightsServiceStation: spec.station ?? false,
        version: 1,
        createdAt,
        updatedAt: createdAt,
      },
      est: spec.est,
      district: spec.district,
      isHost: spec.isHost ?? false,
      station: spec.station ?? false,
      streetMember: spec.streetMember ?? false,
    };
    this.drafts.push(draft);
    return draft;
  }

  featured(f: FeaturedMerchant): Draft {
    return this.add({
      name: f.name,
      kind: f.kind,
      industry: f.industry,
      size: f.size,
      district: f.district,
      address: f.address,
      est: day(f.established),
      cityRegistered: f.cityRegistered,
      station: f.station,
      streetMember: f.streetMember,
      isHost: f.host !== undefined,
    });
  }

  /** A street address in the district; `jiefang` puts it on 解放路 with a house number of its own. */
  address(district: DistrictCode, opts: { jiefang?: boolean; town?: boolean } = {}): string {
    const rng = this.rng;
    const number = () => `${rng.int(1, 399)}号`;
    if (opts.jiefang) {
      const n = this.jiefangNumbers.pop() ?? rng.int(361, 420);
      return `随州市曾都区${JIEFANG_ROAD}${n}号`;
    }
    switch (district) {
      case '421303':
        if (opts.town ?? rng.chance(0.15)) return `随州市曾都区${rng.pick(ZENGDU_TOWNS)}${rng.pick(TOWN_STREETS)}${number()}`;
        return `随州市曾都区${rng.pick(ZENGDU_STREETS)}${number()}`;
      case '421321': {
        const town = opts.town === false || rng.chance(0.3) ? '厉山镇' : rng.pick(SUIXIAN_TOWNS);
        return `随州市随县${town}${rng.pick(town === '厉山镇' ? LISHAN_STREETS : TOWN_STREETS)}${number()}`;
      }
      case '421381':
        if (opts.town ?? rng.chance(0.4)) return `广水市${rng.pick(GUANGSHUI_TOWNS)}${rng.pick(TOWN_STREETS)}${number()}`;
        return `广水市${rng.pick(GUANGSHUI_STREETS)}${number()}`;
    }
  }

  /** The place part of a name, e.g. 随州市曾都区, 曾都区, 随县洪山镇 or 广水市. */
  namePrefix(district: DistrictCode, kind: Kind, address: string, cityRegistered: boolean): string {
    const rng = this.rng;
    const town = townOf(address);
    switch (district) {
      case '421303':
        if (cityRegistered) return '随州市';
        if (kind === 'INDIVIDUAL_BUSINESS' && rng.chance(0.4)) return '曾都区';
        return '随州市曾都区';
      case '421321':
        return kind === 'INDIVIDUAL_BUSINESS' && town && rng.chance(0.6) ? `随县${town}` : '随县';
      case '421381':
        return kind === 'INDIVIDUAL_BUSINESS' && town && rng.chance(0.5) ? `广水市${town}` : '广水市';
    }
  }

  merchantName(kind: Kind, ind: Industry, district: DistrictCode, address: string, cityRegistered: boolean, opts: { stall?: boolean; place?: string } = {}): string {
    const rng = this.rng;
    const stall = opts.stall ?? false;
    return this.uniqueName(() => {
      const prefix = this.namePrefix(district, kind, address, cityRegistered);
      if (kind === 'FARMER_COOPERATIVE') {
        const town = townOf(address) ?? '';
        return `${prefix.replace(town, '')}${town}${rng.pick(BRANDS)}${rng.pick(COOPERATIVE_PRODUCTS)}专业合作社`;
      }
      if (ind === 'SCENIC_SPOT') {
        const place = opts.place ?? rng.pick(SCENIC_PLACES[district]);
        if (kind === 'INDIVIDUAL_BUSINESS') return `${prefix}${place}${rng.pick(BRANDS)}${rng.pick(SMALL_SHOP_ENDINGS.SCENIC_SPOT!)}`;
        return rng.chance(0.5) ? `${prefix}${place}${rng.pick(SCENIC_ENDINGS)}` : `${prefix}${place}${rng.pick(COMPANY_ENDINGS.SCENIC_SPOT!)}有限公司`;
      }
      if (kind === 'ENTERPRISE') {
        const ending = rng.pick(COMPANY_ENDINGS[ind] ?? COMPANY_ENDINGS.FOOD!);
        // Shops such as 超市 or 大酒店 often trade without the legal form in their name.
        const form = rng.weighted<string>([
          ['有限公司', 70],
          ['有限责任公司', 10],
          ['', BARE_COMPANY_ENDINGS.has(ending) ? 20 : 0],
        ]);
        return `${prefix}${rng.pick(BRANDS)}${ending}${form}`;
      }
      const endings = stall ? MARKET_STALL_ENDINGS : (SMALL_SHOP_ENDINGS[ind] ?? SMALL_SHOP_ENDINGS.FOOD!);
      const byOwner = ind === 'SUPERMARKET' || ind === 'HOME_APPLIANCES' ? rng.chance(0.2) : rng.chance(0.6);
      const owner = stall && rng.chance(0.5) ? `${rng.pick(SURNAMES)}${rng.pick(['记', '姐', '哥', '师傅', '嫂'])}` : rng.pick(SHOP_PREFIXES);
      return `${prefix}${byOwner || stall ? owner : rng.pick(BRANDS)}${rng.pick(endings)}`;
    });
  }

  sizeBand(kind: Kind, ind: Industry): SizeBand {
    const rng = this.rng;
    if (kind === 'INDIVIDUAL_BUSINESS') return rng.weighted<SizeBand>([['MICRO', 72], ['SMALL', 26], ['MEDIUM', 2]]);
    if (kind === 'FARMER_COOPERATIVE') return rng.weighted<SizeBand>([['MICRO', 45], ['SMALL', 50], ['MEDIUM', 5]]);
    switch (ind) {
      case 'SHOPPING_CENTER':
        return rng.weighted<SizeBand>([['MEDIUM', 40], ['LARGE', 60]]);
      case 'SUPERMARKET':
      case 'PROPERTY_MANAGEMENT':
        return rng.weighted<SizeBand>([['SMALL', 40], ['MEDIUM', 45], ['LARGE', 15]]);
      case 'AUTOMOBILE':
        return rng.weighted<SizeBand>([['SMALL', 30], ['MEDIUM', 50], ['LARGE', 20]]);
      default:
        return rng.weighted<SizeBand>([['MICRO', 20], ['SMALL', 50], ['MEDIUM', 25], ['LARGE', 5]]);
    }
  }

  /** Establishment dates lean to recent years, as Suizhou's register does; ~4% are under 90 days old. */
  establishment(notBefore = day('1998-01-01'), notAfter = day('2026-10-31')): number {
    const rng = this.rng;
    const recentFrom = day('2026-09-01');
    if (notAfter >= recentFrom && rng.chance(0.04)) return rng.int(Math.max(recentFrom, notBefore), notAfter);
    const firstYear = Math.max(1998, Number(isoDate(notBefore).slice(0, 4)));
    const lastYear = Math.min(2026, Number(isoDate(notAfter).slice(0, 4)));
    const years: Array<readonly [number, number]> = [];
    // 2026 has only eight months before the recent window.
    for (let y = firstYear; y <= lastYear; y++) years.push([y, Math.pow(y - 1996, 1.3) * (y === 2026 ? 2 / 3 : 1)]);
    const year = rng.weighted(years);
    const from = Math.max(notBefore, day(`${year}-01-01`));
    const to = Math.min(notAfter, year === 2026 ? day('2026-08-31') : day(`${year}-12-31`));
    return rng.int(from, Math.max(from, to));
  }

  kindFor(ind: Industry): Kind {
    const rng = this.rng;
    if (rng.chance(ENTERPRISE_SHARE[ind])) return 'ENTERPRISE';
    if (ind === 'FOOD' && rng.chance(0.06)) return 'FARMER_COOPERATIVE';
    return 'INDIVIDUAL_BUSINESS';
  }

  /** A merchant that is neither named, hosted nor on the street. */
  filler(): Draft {
    const rng = this.rng;
    const ind = rng.weighted(FILLER_INDUSTRIES);
    const district = rng.weighted(DISTRICT_WEIGHTS);
    const kind = this.kindFor(ind);
    const cityRegistered = kind === 'ENTERPRISE' && district === '421303' && rng.chance(0.2);
    // A scenic spot's address is the scenic area its name is after.
    const place = ind === 'SCENIC_SPOT' ? rng.pick(SCENIC_PLACES[district]) : undefined;
    const address =
      place !== undefined
        ? `${SCENIC_ADDRESS_PREFIX[district]}${place}${rng.pick(['旅游区', '景区', '生态园'])}${rng.int(1, 99)}号`
        : this.address(district, kind === 'FARMER_COOPERATIVE' ? { town: true } : {});
    return this.add({
      name: this.merchantName(kind, ind, district, address, cityRegistered, { place }),
      kind,
      industry: ind,
      size: this.sizeBand(kind, ind),
      district,
      address,
      est: this.establishment(),
      cityRegistered,
    });
  }

  /** A tenant of `host`: a stall or counter in its market, or a shop on its platform. */
  tenant(host: HostDraft, opts: { streetMember?: boolean } = {}): Draft {
    const rng = this.rng;
    const h = host.draft;
    const plan = host.plan;
    let ind: Industry;
    let address: string;
    let district = h.district;
    let stall = false;
    switch (h.row.industry) {
      case 'SHOPPING_CENTER':
        ind = opts.streetMember
          ? rng.weighted<Industry>([['CLOTHING', 70], ['FOOD', 15], ['HOME_APPLIANCES', 15]])
          : rng.weighted<Industry>([['CLOTHING', 55], ['FOOD', 10], ['CATERING', 15], ['HOME_APPLIANCES', 8], ['PREPAID_SERVICES', 7]]);
        address = `${h.row.address}${plan.shortName}${rng.int(1, 5)}楼${rng.pick(['A', 'B', 'C', 'D'])}${rng.int(1, 40)}号`;
        break;
      case 'FARMERS_MARKET':
        ind = rng.weighted<Industry>([['FOOD', 90], ['CATERING', 10]]);
        stall = ind === 'FOOD';
        address = `${h.row.address}${plan.shortName}${rng.pick(['A', 'B', 'C', 'D', 'E'])}区${rng.int(1, 80)}号`;
        break;
      case 'FURNITURE_BUILDING_MATERIALS_MARKET':
        ind = 'FURNITURE_BUILDING_MATERIALS_MARKET';
        address = `${h.row.address}${plan.shortName}${rng.int(1, 12)}栋${rng.int(1, 60)}号`;
        break;
      default:
        ind = rng.weighted<Industry>([['CATERING', 85], ['FOOD', 15]]);
        // Platform shops trade from their own premises, anywhere the platform delivers.
        district = h.district === '421303' ? rng.weighted<DistrictCode>([['421303', 85], ['421321', 15]]) : h.district;
        address = this.address(district, { town: false });
        break;
    }
    let kind: Kind = rng.chance(h.row.industry === 'SHOPPING_CENTER' ? 0.2 : 0.1) ? 'ENTERPRISE' : 'INDIVIDUAL_BUSINESS';
    if (h.row.industry === 'FARMERS_MARKET' && ind === 'FOOD' && rng.chance(0.05)) kind = 'FARMER_COOPERATIVE';
    // Members joined the street in 2023, so they must have existed by then.
    const est = opts.streetMember ? this.establishment(day('2005-01-01'), day('2022-12-31')) : this.establishment(h.row.industry === 'FOOD_DELIVERY_PLATFORM' ? day('2005-01-01') : h.est);
    const tenant = this.add({
      name: this.merchantName(kind, ind, district, address, false, { stall: stall && kind !== 'FARMER_COOPERATIVE' }),
      kind,
      industry: ind,
      size: this.sizeBand(kind, ind),
      district,
      address,
      est,
      host: h,
      tenancy: plan.tenancy,
      streetMember: opts.streetMember,
    });
    host.tenants.push(tenant);
    return tenant;
  }

  /** A shop on 解放路 that joined the demonstration street. */
  streetShop(): Draft {
    const rng = this.rng;
    const ind = rng.weighted<Industry>([['CLOTHING', 40], ['FOOD', 22], ['HOME_APPLIANCES', 14], ['SUPERMARKET', 10], ['SHOPPING_CENTER', 2]]);
    const kind = ind === 'SHOPPING_CENTER' ? 'ENTERPRISE' : rng.chance(ENTERPRISE_SHARE[ind]) ? 'ENTERPRISE' : 'INDIVIDUAL_BUSINESS';
    const address = this.address('421303', { jiefang: true });
    return this.add({
      name: this.merchantName(kind, ind, '421303', address, false),
      kind,
      industry: ind,
      size: this.sizeBand(kind, ind),
      district: '421303',
      address,
      est: this.establishment(day('1998-01-01'), day('2022-12-31')),
      streetMember: true,
    });
  }
}

/** Generates the demo rows. Deterministic: equal options give deep-equal results. */
export function generateDemoSeed(options: DemoSeedOptions = {}): DemoSeed {
  const seed = options.seed ?? DEFAULT_DEMO_SEED;
  const total = options.merchants ?? DEFAULT_DEMO_MERCHANTS;
  if (!Number.isInteger(total) || total < MIN_DEMO_MERCHANTS) {
    throw new RangeError(`merchants must be an integer of at least ${MIN_DEMO_MERCHANTS}, got ${total}`);
  }
  const root = new Random(seed);
  const scale = total / DEFAULT_DEMO_MERCHANTS;

  // --- merchants ---
  const factory = new MerchantFactory(root.fork('merchants'));
  const hosts: HostDraft[] = [];
  for (const f of FEATURED) {
    const draft = factory.featured(f);
    if (f.host) hosts.push({ draft, plan: f.host, tenants: [] });
  }
  const streetSize = Math.min(60, Math.max(5, Math.round(total / 40)));
  const featuredMembers = factory.drafts.filter((d) => d.streetMember).length;
  const centre = hosts.find((h) => h.draft.row.industry === 'SHOPPING_CENTER')!;
  const centreMembers = Math.round((streetSize - featuredMembers) * 0.25);
  for (const host of hosts) {
    const count = Math.max(2, Math.round(host.plan.tenants * scale));
    for (let i = 0; i < count; i++) factory.tenant(host, { streetMember: host === centre && i < centreMembers });
  }
  while (factory.drafts.filter((d) => d.streetMember).length < streetSize) factory.streetShop();
  if (factory.drafts.length > total) {
    throw new RangeError(`merchants must be at least ${factory.drafts.length} for the fixed part of the demo, got ${total}`);
  }
  while (factory.drafts.length < total) factory.filler();
  const drafts = factory.drafts;

  // --- the demonstration street ---
  const streetRng = root.fork('street');
  const streetId = seedId(`street:421303:${DEMO_STREET_NAME}`);
  const street: DemonstrationStreetRow = {
    id: streetId,
    name: DEMO_STREET_NAME,
    regionCode: '421303',
    description:
      '随州市解放路“文明诚信经营 放心舒心消费”示范街区：推行线下七天无理由退货，商户入驻湖北315消费纠纷和解平台入驻率100%，落实经营者首问制度，有柜台或场地出租的市场实行消费维权赔偿预付制度。',
    targetEnrollmentPct: 100,
    targetPledgeDisplayPct: 100,
    targetComplaintHandlingPct: 100,
    createdAt: beijingInstant(STREET_LAUNCH_DAY, 9 * 60 + 30),
  };
  const members: DemonstrationStreetMemberRow[] = [];
  for (const d of drafts) {
    if (!d.streetMember) continue;
    // The featured members were there at the launch; the others joined during 2023.
    d.joinedStreetOn = d.station || d.isHost ? STREET_LAUNCH_DAY : streetRng.int(STREET_LAUNCH_DAY, day('2023-12-20'));
    members.push({ id: seedId(`street-member:${streetId}:${d.row.id}`), streetId, merchantId: d.row.id, joinedOn: isoDate(d.joinedStreetOn), leftOn: null });
  }

  const creditEntries = generateCreditEntries(root.fork('credit'), drafts, total);
  const pledges = generatePledges(root.fork('pledges'), drafts);
  const enrollments = generateEnrollments(root.fork('enrollments'), drafts);
  const funds = generateFunds(root.fork('funds'), hosts);

  return {
    // Hosts come first so a chunked insert never meets a tenant before its host.
    merchants: [...drafts.filter((d) => d.isHost), ...drafts.filter((d) => !d.isHost)].map((d) => d.row),
    demonstrationStreets: [street],
    demonstrationStreetMembers: members,
    creditListEntries: creditEntries,
    returnPledges: pledges.pledges,
    pledgeStatusChanges: pledges.changes,
    pledgeAudits: pledges.audits,
    disputeEnrollments: enrollments,
    compensationFunds: funds.funds,
    fundLedgerEntries: funds.entries,
  };
}

// ---------------------------------------------------------------------------------------------
// Credit lists

const ABNORMAL_REASONS = [
  { reason: '未依照《企业信息公示暂行条例》第八条规定的期限公示年度报告', removal: '已补报并公示年度报告，申请移出经营异常名录', annual: true },
  { reason: '通过登记的住所或者经营场所无法联系', removal: '已办理住所变更登记，经核实可以联系，申请移出经营异常名录', annual: false },
  { reason: '公示企业信息隐瞒真实情况、弄虚作假', removal: '已更正公示信息，申请移出经营异常名录', annual: false },
  { reason: '未在责令的期限内公示有关企业信息', removal: '已按要求公示有关信息，申请移出经营异常名录', annual: false },
] as const;

const SERIOUS_REASONS = {
  expired: '被列入经营异常名录届满3年仍未履行相关义务',
  fraud: '提交虚假材料或者采取其他欺诈手段隐瞒重要事实，取得市场主体登记，被撤销登记',
  food: '因食品安全违法行为受到较重行政处罚',
  quality: '因产品质量违法行为受到较重行政处罚',
} as const;

function decisionRef(rng: Random, d: Draft, kind: '异列' | '严违列', listedOn: number): string {
  return `${DECISION_PREFIXES[d.district]}${kind}〔${isoDate(listedOn).slice(0, 4)}〕${rng.int(1, 480)}号`;
}

/** Abnormal-operations and serious-violation entries for about 3% and 0.5% of `total` merchants. */
export function generateCreditEntries(rng: Random, drafts: readonly Draft[], total: number): CreditListEntryRow[] {
  const rows: CreditListEntryRow[] = [];
  // The showcase merchants stay clean; only merchants at least 18 months old can be listed.
  const candidates = rng.shuffle(drafts.filter((d) => !d.isHost && !d.station && !d.streetMember && d.est <= TODAY - 540));
  const abnormal = candidates.slice(0, Math.round(total * 0.03));
  const serious = candidates.slice(abnormal.length, abnormal.length + Math.max(1, Math.round(total * 0.005)));

  const addAbnormal = (d: Draft, listedOn: number, reason: string, removal: { on: number; reason: string } | null) => {
    rows.push({
      id: seedId(`credit:${d.row.uscc}:ABNORMAL_OPERATIONS:${isoDate(listedOn)}`),
      merchantId: d.row.id,
      list: 'ABNORMAL_OPERATIONS',
      listedOn: isoDate(listedOn),
      reason,
      decisionRef: decisionRef(rng, d, '异列', listedOn),
      removedOn: removal ? isoDate(removal.on) : null,
      removalReason: removal ? removal.reason : null,
      listedBy: SEED_ACTOR,
      removedBy: removal ? SEED_ACTOR : null,
      removedAt: removal ? beijingInstant(removal.on, minutesInOfficeHours(rng)) : null,
      createdAt: beijingInstant(Math.max(listedOn, REGISTRY_START_DAY), minutesInOfficeHours(rng)),
    });
  };

  for (const d of abnormal) {
    const cause = rng.weighted(ABNORMAL_REASONS.map((r) => [r, r.annual ? 65 : 12] as const));
    let listedOn: number | undefined;
    if (cause.annual) {
      // Annual reports are due by 30 June; the listing follows in early July.
      const years: number[] = [];
      for (let y = Number(isoDate(d.est).slice(0, 4)) + 1; y <= 2026; y++) {
        const july = day(`${y}-07-01`);
        if (july > d.est + 365 && july < TODAY) years.push(y);
      }
      if (years.length > 0) listedOn = day(`${rng.pick(years)}-07-01`) + rng.int(0, 14);
    }
    listedOn ??= rng.int(d.est + 180, TODAY - 1);
    const removedOn = rng.chance(0.4) ? dayBetween(rng, listedOn + 20, Math.min(listedOn + 700, TODAY - 1)) : undefined;
    addAbnormal(d, listedOn, cause.reason, removedOn === undefined ? null : { on: removedOn, reason: cause.removal });
  }

  for (const d of serious) {
    let listedOn: number;
    let reason: string;
    const abnormalFrom = dayBetween(rng, d.est + 365, addYears(TODAY, -3) - 31);
    if (abnormalFrom !== undefined && rng.chance(0.5)) {
      // The three-year rule: the earlier abnormal-operations listing stays open beside it.
      addAbnormal(d, abnormalFrom, ABNORMAL_REASONS[1].reason, null);
      listedOn = Math.min(TODAY - 1, addYears(abnormalFrom, 3) + rng.int(1, 30));
      reason = SERIOUS_REASONS.expired;
    } else {
      listedOn = rng.int(d.est + 180, TODAY - 1);
      reason =
        d.row.industry === 'FOOD' || d.row.industry === 'CATERING'
          ? SERIOUS_REASONS.food
          : rng.chance(0.5)
            ? SERIOUS_REASONS.quality
            : SERIOUS_REASONS.fraud;
    }
    const removedOn = rng.chance(0.15) ? dayBetween(rng, listedOn + 365, TODAY - 1) : undefined;
    rows.push({
      id: seedId(`credit:${d.row.uscc}:SERIOUS_VIOLATION:${isoDate(listedOn)}`),
      merchantId: d.row.id,
      list: 'SERIOUS_VIOLATION',
      listedOn: isoDate(listedOn),
      reason,
      decisionRef: decisionRef(rng, d, '严违列', listedOn),
      removedOn: removedOn === undefined ? null : isoDate(removedOn),
      removalReason: removedOn === undefined ? null : '信用修复：已履行行政处罚决定并公开作出信用承诺，准予移出',
      listedBy: SEED_ACTOR,
      removedBy: removedOn === undefined ? null : SEED_ACTOR,
      removedAt: removedOn === undefined ? null : beijingInstant(removedOn, minutesInOfficeHours(rng)),
      createdAt: beijingInstant(Math.max(listedOn, REGISTRY_START_DAY), minutesInOfficeHours(rng)),
    });
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Return pledges, their history and their audits

const SUSPENSION_REASON = '监督检查发现未按承诺办理无理由退货，责令限期整改，整改期间暂停承诺';
const REINSTATEMENT_REASON = '整改复查合格，恢复承诺';
const EXPIRY_REASON = '承诺期满未续期';
const REVOCATION_REASONS = [
  '多次拒绝履行七日无理由退货承诺，经核查属实，撤销承诺',
  '整改期满复查仍不合格，撤销承诺',
  '以“特价商品概不退换”为由排除消费者依法享有的退货权利，拒不整改，撤销承诺',
] as const;

const FINDINGS: Record<AuditOutcome, readonly string[]> = {
  COMPLIANT: [
    '承诺标志牌悬挂规范，退货登记台账完整，抽查退货记录均按承诺办理',
    '店内公示承诺内容及不适用商品清单，抽查近三个月退货记录，无拒退情形',
    '承诺公示到位，店员熟悉退货流程，消费者回访满意',
  ],
  MINOR_ISSUES: [
    '承诺标志牌位置不醒目，已要求移至收银台显著位置',
    '退货登记台账记录不完整，缺少部分退货日期',
    '不适用退货商品清单未在店内公示',
  ],
  VIOLATION: [
    '查实拒绝为消费者办理承诺范围内商品的退货',
    '以“已拆封”为由拒绝退货，超出法定不适用情形',
    '擅自缩短退货期限，与公示承诺不符',
  ],
};

interface PledgePlan {
  status: PledgeStatus;
  from: number;
  until?: number;
  /** Status changes after creation, in time order. */
  events: Array<{ day: number; to: PledgeStatus; reason: string }>;
  /** Audits forced by the story (the violation behind a suspension, the re-check). */
  storyAudits: Array<{ day: number; outcome: AuditOutcome; rectificationDue?: number }>;
  /** Last day ordinary audits may fall on. */
  auditUntil: number;
}

/** Return pledges of street members and some retailers, with their status history and audits. */
export function generatePledges(rng: Random, drafts: readonly Draft[]) {
  const pledges: ReturnPledgeRow[] = [];
  const changes: PledgeStatusChangeRow[] = [];
  const audits: PledgeAuditRow[] = [];

  const ordinaryOutcome = () => rng.weighted<AuditOutcome>([['COMPLIANT', 82], ['MINOR_ISSUES', 15], ['VIOLATION', 3]]);

  /** Adds a suspension (violation audit, then suspension) to a plan; returns the rectification deadline. */
  const suspend = (plan: PledgePlan, latest: number): number | undefined => {
    const auditDay = dayBetween(rng, plan.from + 30, latest - 3);
    if (auditDay === undefined) return undefined;
    const due = auditDay + rng.int(15, 30);
    plan.storyAudits.push({ day: auditDay, outcome: 'VIOLATION', rectificationDue: due });
    plan.events.push({ day: auditDay + rng.int(1, 3), to: 'SUSPENDED', reason: SUSPENSION_REASON });
    plan.auditUntil = auditDay - 1;
    return due;
  };

  /** Plans one pledge's story; `latest` is the last day anything of it may happen on. */
  const plan = (d: Draft, status: PledgeStatus, from: number, latest: number): PledgePlan => {
    const p: PledgePlan = { status: 'ACTIVE', from, events: [], storyAudits: [], auditUntil: Math.min(latest, LAST_AUDIT_DAY) };
    // Merchants younger than 90 days keep a plain active pledge and no audits (they show as NR).
    if (d.est > TODAY - 90) return p;
    switch (status) {
      case 'EXPIRED': {
        const years = rng.pick([1, 2, 3]);
        const until = addYears(from, years);
        if (until > latest) break;
        p.status = 'EXPIRED';
        p.until = until;
        p.events.push({ day: until, to: 'EXPIRED', reason: EXPIRY_REASON });
        p.auditUntil = Math.min(p.auditUntil, until - 1);
        break;
      }
      case 'SUSPENDED': {
        if (suspend(p, Math.min(latest, LAST_AUDIT_DAY)) === undefined) break;
        p.status = 'SUSPENDED';
        break;
      }
      case 'REVOKED': {
        const viaSuspension = rng.chance(0.5);
        if (viaSuspension) {
          const due = suspend(p, Math.min(latest - 40, LAST_AUDIT_DAY));
          if (due === undefined) break;
          const revokeDay = dayBetween(rng, due + 1, Math.min(due + 20, latest, LAST_AUDIT_DAY + 1));
          if (revokeDay === undefined) {
            p.events = [];
            p.storyAudits = [];
            p.auditUntil = Math.min(latest, LAST_AUDIT_DAY);
            break;
          }
          p.storyAudits.push({ day: revokeDay - 1, outcome: 'VIOLATION', rectificationDue: revokeDay - 1 });
          p.events.push({ day: revokeDay, to: 'REVOKED', reason: REVOCATION_REASONS[1] });
        } else {
          const auditDay = dayBetween(rng, from + 60, Math.min(latest, LAST_AUDIT_DAY) - 5);
          if (auditDay === undefined) break;
          p.storyAudits.push({ day: auditDay, outcome: 'VIOLATION', rectificationDue: auditDay + rng.int(7, 15) });
          p.events.push({ day: auditDay + rng.int(2, 5), to: 'REVOKED', reason: rng.pick([REVOCATION_REASONS[0], REVOCATION_REASONS[2]]) });
          p.auditUntil = auditDay - 1;
        }
        p.status = 'REVOKED';
        break;
      }
      case 'ACTIVE': {
        // Some active pledges carry a past suspension that was lifted after rectification.
        if (rng.chance(0.02)) {
          const due = suspend(p, Math.min(latest, LAST_AUDIT_DAY) - 50);
          if (due !== undefined) {
            const recheck = due + rng.int(0, 10);
            p.storyAudits.push({ day: recheck, outcome: 'COMPLIANT' });
            p.events.push({ day: recheck + rng.int(0, 2), to: 'ACTIVE', reason: REINSTATEMENT_REASON });
          }
        }
        if (from >= day('2023-12-01') && rng.chance(0.15)) p.until = addYears(from, 3);
        break;
      }
    }
    return p;
  };

  const emit = (d: Draft, ordinal: number, p: PledgePlan) => {
    const key = `pledge:${d.row.uscc}:${ordinal}`;
    const id = seedId(key);
    const ind = d.row.industry;
    const categories = CATEGORIES_BY_INDUSTRY[ind];
    const listed = categories !== undefined && rng.chance(0.2);
    const exclusionChoices = EXCLUSIONS_BY_INDUSTRY[ind] ?? [];
    const exclusions = exclusionChoices.length > 0 && rng.chance(0.85) ? rng.subset(exclusionChoices, 3) : [];
    const windowDays = rng.weighted<number>([[7, 85], [15, 10], [30, 5]]);

    // Filed on the day it takes effect or a few days before, never before the merchant existed.
    const filedDay = Math.max(d.est, p.from - rng.int(0, 5));
    const history: PledgeStatusChangeRow[] = [];
    const created = beijingInstant(filedDay, minutesInOfficeHours(rng));
    history.push({
      id: seedId(`${key}:status:0`),
      pledgeId: id,
      fromStatus: null,
      toStatus: 'ACTIVE',
      reason: `经营者作出线下${windowDays === 7 ? '七' : windowDays}日无理由退货承诺`,
      actor: SEED_ACTOR,
      at: created,
    });
    let current: PledgeStatus = 'ACTIVE';
    let revokedAt: Date | null = null;
    let revocationReason: string | null = null;
    for (const [i, e] of p.events.entries()) {
      // Expiry happens at the start of the day, everything else during office hours.
      const at = e.to === 'EXPIRED' ? beijingInstant(e.day, 0) : beijingInstant(e.day, minutesInOfficeHours(rng));
      history.push({ id: seedId(`${key}:status:${i + 1}`), pledgeId: id, fromStatus: current, toStatus: e.to, reason: e.reason, actor: SEED_ACTOR, at });
      current = e.to;
      if (e.to === 'REVOKED') {
        revokedAt = at;
        revocationReason = e.reason;
      }
    }
    changes.push(...history);

    pledges.push({
      id,
      merchantId: d.row.id,
      windowDays,
      scope: listed ? 'LISTED_CATEGORIES' : 'ALL_GOODS',
      scopeCategories: listed ? rng.subset(categories, 3) : [],
      exclusions,
      status: p.status,
      effectiveFrom: isoDate(p.from),
      expiresOn: p.until === undefined ? null : isoDate(p.until),
      signboardDisplayed: d.streetMember ? rng.chance(0.97) : rng.chance(0.85),
      revokedAt,
      revocationReason,
      filedBy: SEED_ACTOR,
      version: history.length,
      createdAt: created,
      updatedAt: history[history.length - 1]!.at,
    });

    // Merchants younger than 90 days stay unaudited so that the demo shows NR ratings.
    const auditDays: Array<{ day: number; outcome: AuditOutcome; rectificationDue?: number }> = [...p.storyAudits];
    if (d.est < TODAY - 90 && rng.chance(0.6)) {
      const count = rng.weighted<number>([[1, 60], [2, 30], [3, 10]]);
      for (let i = 0; i < count; i++) {
        const auditDay = dayBetween(rng, p.from + 1, p.auditUntil);
        if (auditDay === undefined) break;
        const outcome = ordinaryOutcome();
        auditDays.push({
          day: auditDay,
          outcome,
          rectificationDue: outcome === 'VIOLATION' ? auditDay + rng.int(15, 30) : outcome === 'MINOR_ISSUES' && rng.chance(0.5) ? auditDay + rng.int(7, 15) : undefined,
        });
      }
    }
    auditDays.sort((a, b) => a.day - b.day);
    const office = INSPECTION_OFFICES[d.district];
    for (const [i, a] of auditDays.entries()) {
      audits.push({
        id: seedId(`${key}:audit:${i}`),
        pledgeId: id,
        auditedOn: isoDate(a.day),
        inspector: `${office} ${personName(rng)}`,
        outcome: a.outcome,
        findings: rng.pick(FINDINGS[a.outcome]),
        rectificationDueOn: a.rectificationDue === undefined ? null : isoDate(a.rectificationDue),
        recordedBy: SEED_ACTOR,
        createdAt: beijingInstant(a.day, 17 * 60 + 40 + rng.int(0, 60)),
      });
    }
  };

  for (const d of drafts) {
    const retail = RETAIL_INDUSTRIES.has(d.row.industry) && !(d.isHost && d.row.industry !== 'SHOPPING_CENTER');
    if (!d.streetMember && !(retail && rng.chance(0.4))) continue;
    let from: number | undefined;
    if (d.streetMember && d.joinedStreetOn !== undefined) {
      from = rng.chance(0.6)
        ? Math.max(d.est, d.joinedStreetOn + rng.int(-20, 30))
        : dayBetween(rng, Math.max(FIRST_PLEDGE_DAY, d.est), d.joinedStreetOn);
    } else {
      from = dayBetween(rng, Math.max(FIRST_PLEDGE_DAY, d.est + 30), TODAY - 3);
    }
    if (from === undefined) continue;
    const status = d.streetMember
      ? rng.weighted<PledgeStatus>([['ACTIVE', 96], ['SUSPENDED', 4]])
      : rng.weighted<PledgeStatus>([['ACTIVE', 89], ['SUSPENDED', 2], ['REVOKED', 3], ['EXPIRED', 6]]);
    const current = plan(d, status, from, TODAY - 1);

    // Some merchants pledged before: that pledge expired or was revoked before this one began.
    let ordinal = 0;
    if ((current.status === 'ACTIVE' || current.status === 'SUSPENDED') && rng.chance(0.12)) {
      const olderFrom = dayBetween(rng, Math.max(FIRST_PLEDGE_DAY, d.est), from - 365);
      if (olderFrom !== undefined) {
        const older = plan(d, rng.chance(0.8) ? 'EXPIRED' : 'REVOKED', olderFrom, from - 1);
        if (older.status === 'EXPIRED' || older.status === 'REVOKED') emit(d, ordinal++, older);
      }
    }
    emit(d, ordinal, current);
  }
  return { pledges, changes, audits };
}

// ---------------------------------------------------------------------------------------------
// Dispute-resolution enrollments

const PLATFORM_END_REASONS = ['经营者申请退出', '经营者停业', '未按期处理平台纠纷，被平台移出', '经营者迁出本地'] as const;
const ODR_END_REASONS = ['未按时处理在线纠纷，取消ODR企业资格', '企业申请退出ODR'] as const;

/** Settlement-platform and ODR enrollment periods of the merchants. */
export function generateEnrollments(rng: Random, drafts: readonly Draft[]): DisputeEnrollmentRow[] {
  const rows: DisputeEnrollmentRow[] = [];
  const period = (d: Draft, program: 'SETTLEMENT_PLATFORM' | 'ODR', n: number, start: number, end?: number) => {
    const startedAt = beijingInstant(start, minutesInOfficeHours(rng));
    const endedAt = end === undefined ? null : beijingInstant(end, minutesInOfficeHours(rng));
    rows.push({
      id: seedId(`enrollment:${d.row.uscc}:${program}:${n}`),
      merchantId: d.row.id,
      program,
      startedAt,
      startedBy: SEED_ACTOR,
      endedAt,
      endedBy: endedAt ? SEED_ACTOR : null,
      endReason: endedAt ? rng.pick(program === 'ODR' ? ODR_END_REASONS : PLATFORM_END_REASONS) : null,
    });
  };

  /** One program for one merchant: perhaps a period that ended, then (when `open`) a current one. */
  const enroll = (d: Draft, program: 'SETTLEMENT_PLATFORM' | 'ODR', open: boolean, earliest: number, endedShare: number) => {
    let n = 0;
    let nextEarliest = earliest;
    if (!open || rng.chance(endedShare)) {
      const start = dayBetween(rng, earliest, TODAY - (open ? 90 : 40));
      if (start === undefined) return;
      const end = rng.int(start + 30, open ? Math.min(start + 700, TODAY - 60) : TODAY - 1);
      period(d, program, n++, start, end);
      nextEarliest = end + 1;
    }
    if (!open) return;
    const start = dayBetween(rng, nextEarliest, TODAY - 3);
    if (start !== undefined) period(d, program, n, start);
  };

  for (const d of drafts) {
    const earliest = Math.max(FIRST_PLATFORM_DAY, d.est);
    if (d.streetMember && d.joinedStreetOn !== undefined) {
      // The street's 100% enrollment target: members joined the platform around joining the street.
      period(d, 'SETTLEMENT_PLATFORM', 0, Math.max(earliest, d.joinedStreetOn - rng.int(0, 60)));
    } else if (d.isHost || d.station || rng.chance(0.55)) {
      enroll(d, 'SETTLEMENT_PLATFORM', true, earliest, 0.06);
    } else if (rng.chance(0.05)) {
      enroll(d, 'SETTLEMENT_PLATFORM', false, earliest, 1);
    }

    const odrShare = d.row.kind === 'ENTERPRISE' ? (d.isHost || d.station ? 0.5 : 0.13) : d.row.kind === 'INDIVIDUAL_BUSINESS' ? 0.008 : 0;
    if (rng.chance(odrShare)) {
      enroll(d, 'ODR', !rng.chance(0.1), Math.max(earliest, day('2021-01-01')), 0.05);
    }
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Compensation funds

const PAYOUT_REASONS: Record<string, readonly string[]> = {
  SHOPPING_CENTER: ['商品质量问题', '拒绝履行七日无理由退货承诺', '预付卡退款纠纷', '以次充好'],
  FARMERS_MARKET: ['短斤缺两', '商品变质', '以次充好', '价格欺诈'],
  FURNITURE_BUILDING_MATERIALS_MARKET: ['家具质量问题', '瓷砖色差、尺寸与约定不符', '安装后出现开裂', '逾期交货'],
  FOOD_DELIVERY_PLATFORM: ['外卖餐品质量问题', '配送超时餐品变质', '餐品与描述不符', '食品中有异物'],
};

/** Per-payout amount range in yuan and payouts per month, by host industry. */
const PAYOUT_PROFILE: Record<string, { yuan: readonly [number, number]; perMonth: number }> = {
  SHOPPING_CENTER: { yuan: [200, 5_000], perMonth: 0.4 },
  FARMERS_MARKET: { yuan: [50, 800], perMonth: 0.3 },
  FURNITURE_BUILDING_MATERIALS_MARKET: { yuan: [500, 20_000], perMonth: 0.3 },
  FOOD_DELIVERY_PLATFORM: { yuan: [30, 300], perMonth: 0.8 },
};

type LedgerKind = FundLedgerEntryRow['kind'];

interface PlannedEntry {
  at: Date;
  kind: LedgerKind | 'TOPUP';
  amount: number;
  tenant?: Draft;
  reason?: string;
  /** For reimbursements: the planned payout they repay. */
  repays?: PlannedEntry;
  /** Set when processed: the ledger row id (payouts) or undefined when skipped. */
  entryId?: string;
  paid?: number;
  reimbursed?: number;
}

/** Each host's compensation fund and its ledger, the balance never below zero. */
export function generateFunds(rng: Random, hosts: readonly HostDraft[]) {
  const funds: CompensationFundRow[] = [];
  const entries: FundLedgerEntryRow[] = [];

  for (const host of hosts) {
    const h = host.draft;
    const plan = host.plan;
    const fundKey = `fund:${h.row.uscc}`;
    const fundId = seedId(fundKey);
    const [minYuan, maxYuan] = plan.minimumYuan;
    const minimum = rng.int(minYuan / 1000, maxYuan / 1000) * 100_000;
    const openDay = Math.max(h.est + 1, rng.int(day(plan.fundOpenedBetween[0]), day(plan.fundOpenedBetween[1])));
    const openedAt = beijingInstant(openDay, minutesInOfficeHours(rng));
    funds.push({ id: fundId, hostMerchantId: h.row.id, requiredMinimumFen: minimum, openedAt, createdAt: openedAt });

    const planned: PlannedEntry[] = [];
    // An underfunded host paid in only part of the minimum and never topped it up.
    const initial = Math.round((minimum * (plan.underfunded ? rng.int(55, 80) : rng.int(100, 120))) / 100 / 10_000) * 10_000;
    planned.push({ at: beijingInstant(openDay, minutesInOfficeHours(rng)), kind: 'DEPOSIT', amount: initial, reason: '首次缴存消费维权赔偿预付金' });
    if (!plan.underfunded) {
      for (let y = 1; addYears(openDay, y) <= LAST_LEDGER_DAY; y++) {
        planned.push({ at: beijingInstant(addYears(openDay, y), minutesInOfficeHours(rng)), kind: 'TOPUP', amount: 0 });
      }
    }

    const profile = PAYOUT_PROFILE[h.row.industry]!;
    const months = (LAST_LEDGER_DAY - openDay) / 30.4;
    const payouts = Math.min(40, Math.round(months * profile.perMonth * (0.7 + rng.next() * 0.6)));
    for (let i = 0; i < payouts; i++) {
      const payDay = rng.int(openDay + 7, LAST_LEDGER_DAY);
      const eligible = host.tenants.filter((t) => t.est < payDay);
      if (eligible.length === 0) continue;
      const tenant = rng.pick(eligible);
      const payout: PlannedEntry = {
        at: beijingInstant(payDay, minutesInOfficeHours(rng)),
        kind: 'PAYOUT',
        amount: rng.int(profile.yuan[0], profile.yuan[1]) * 100,
        tenant,
        reason: rng.pick(PAYOUT_REASONS[h.row.industry]!),
      };
      planned.push(payout);
      if (rng.chance(0.7)) {
        // Most tenants repay the host (消保法 Art. 43/44); some in two instalments.
        const first = payDay + rng.int(5, 60);
        if (first <= LAST_LEDGER_DAY) {
          const partial = rng.chance(0.2);
          const share = partial ? rng.int(30, 90) / 100 : 1;
          planned.push({ at: beijingInstant(first, minutesInOfficeHours(rng)), kind: 'REIMBURSEMENT', amount: Math.round(payout.amount * share), repays: payout });
          const second = first + rng.int(10, 60);
          if (partial && rng.chance(0.5) && second <= LAST_LEDGER_DAY) {
            planned.push({ at: beijingInstant(second, minutesInOfficeHours(rng)), kind: 'REIMBURSEMENT', amount: payout.amount, repays: payout });
          }
        }
      }
    }
    if (!plan.underfunded && rng.chance(0.4)) {
      planned.push({ at: beijingInstant(rng.int(openDay + 200, LAST_LEDGER_DAY), minutesInOfficeHours(rng)), kind: 'WITHDRAWAL', amount: 0 });
    }

    // Walk the entries in time order keeping the balance, so that it never goes below zero.
    planned.sort((a, b) => a.at.getTime() - b.at.getTime());
    let balance = 0;
    let seq = 0;
    const push = (e: PlannedEntry, kind: LedgerKind, amount: number, note: string, extra: Partial<FundLedgerEntryRow> = {}) => {
      seq += 1;
      const id = seedId(`${fundKey}:ledger:${seq}`);
      entries.push({
        id,
        fundId,
        kind,
        amountFen: amount,
        occurredAt: e.at,
        appealId: null,
        tenantMerchantId: null,
        reimbursesEntryId: null,
        idempotencyKey: `seed:${seq}`,
        note,
        actor: SEED_ACTOR,
        createdAt: e.at,
        ...extra,
      });
      return id;
    };
    for (const e of planned) {
      switch (e.kind) {
        case 'DEPOSIT':
          balance += e.amount;
          push(e, 'DEPOSIT', e.amount, e.reason ?? '缴存预付金');
          break;
        case 'TOPUP':
          if (balance < minimum) {
            const amount = Math.ceil((minimum - balance) / 10_000) * 10_000;
            balance += amount;
            push(e, 'DEPOSIT', amount, '年度补缴，补足预付金至最低限额');
          }
          break;
        case 'PAYOUT': {
          const amount = Math.min(e.amount, balance);
          if (amount <= 0) break;
          balance -= amount;
          e.paid = amount;
          e.reimbursed = 0;
          e.entryId = push(e, 'PAYOUT', amount, `先行赔付：${e.tenant!.row.name}，${e.reason}`, { tenantMerchantId: e.tenant!.row.id });
          break;
        }
        case 'REIMBURSEMENT': {
          const payout = e.repays!;
          if (payout.entryId === undefined) break;
          const amount = Math.min(e.amount, payout.paid! - payout.reimbursed!);
          if (amount <= 0) break;
          payout.reimbursed! += amount;
          balance += amount;
          const complete = payout.reimbursed === payout.paid;
          push(e, 'REIMBURSEMENT', amount, complete ? '商户返还先行赔付款' : '商户返还部分先行赔付款', { reimbursesEntryId: payout.entryId, tenantMerchantId: payout.tenant!.row.id });
          break;
        }
        case 'WITHDRAWAL': {
          const surplus = balance - minimum;
          if (surplus < 200_000) break;
          const amount = Math.floor(surplus / 2 / 10_000) * 10_000;
          balance -= amount;
          push(e, 'WITHDRAWAL', amount, '经审核退回超出最低限额部分');
          break;
        }
      }
    }
    // A host in good standing tops up before the demo's "today"; the underfunded ones stay short.
    if (!plan.underfunded && balance < minimum) {
      // Every other entry is on or before LAST_LEDGER_DAY, so this one comes last.
      const at = beijingInstant(LAST_LEDGER_DAY + rng.int(1, 5), minutesInOfficeHours(rng));
      const amount = Math.ceil((minimum - balance) / 10_000) * 10_000;
      balance += amount;
      push({ at, kind: 'DEPOSIT', amount }, 'DEPOSIT', amount, '补足预付金至最低限额');
    }
  }
  return { funds, entries };
}
