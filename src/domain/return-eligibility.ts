/**
 * Whether goods bought under a seven-day no-reason-return pledge (线下七日无理由退货承诺) can still
 * be returned: 消保法 Art. 25 and the 网络购买商品七日无理由退货暂行办法, applied to offline pledges.
 * Pure: no GraphQL or database imports.
 */
import { addDays, nextWorkingDayOnOrAfter } from './calendar';
import type { LocalDate } from './local-date';
import { pledgeOn, type PledgePeriod, type StatusChange } from './pledge-period';

/** Goods the law always leaves out of no-reason returns. */
export const ALWAYS_EXCLUDED = [
  'MADE_TO_ORDER',
  'FRESH_PERISHABLE',
  'DIGITAL_DOWNLOADED_OR_UNSEALED',
  'NEWSPAPERS_PERIODICALS',
] as const;

/** Goods left out only when the consumer confirmed it at purchase (and the pledge lists it). */
export const CONDITIONALLY_EXCLUDED = [
  'UNSEALING_AFFECTS_SAFETY_HEALTH',
  'LOSES_VALUE_ONCE_ACTIVATED',
  'NEAR_EXPIRY_OR_DEFECTIVE_DISCLOSED',
] as const;

/** The whole legal list; a pledge may exclude nothing else. Mirrors the `return_exclusion` enum. */
export const LEGAL_EXCLUSIONS = [...ALWAYS_EXCLUDED, ...CONDITIONALLY_EXCLUDED] as const;
export type ReturnExclusionCode = (typeof LEGAL_EXCLUSIONS)[number];

/** Whether `value` is one of the exclusions the law allows. */
export function isLegalExclusion(value: string): value is ReturnExclusionCode {
  return (LEGAL_EXCLUSIONS as readonly string[]).includes(value);
}

/** Whether the law excludes these goods whatever the consumer confirmed. */
export function isAlwaysExcluded(exclusion: ReturnExclusionCode): boolean {
  return (ALWAYS_EXCLUDED as readonly string[]).includes(exclusion);
}

export interface GoodsCategory {
  code: string;
  nameZh: string;
  nameEn: string;
  /** The legal exclusion that applies to these goods, if any. */
  exclusion: ReturnExclusionCode | null;
  /** Names a pledge's listed categories may use for these goods (the demo pledges use Chinese names). */
  aliases: readonly string[];
}

/**
 * Goods categories a consumer can ask about, each tied to the legal exclusion that always or
 * conditionally applies to it. Deliberately short: anything else is matched against a pledge's
 * listed categories by name only.
 */
export const GOODS_CATEGORIES: readonly GoodsCategory[] = [
  { code: 'FRESH_FOOD', nameZh: '生鲜食品', nameEn: 'Fresh or perishable food', exclusion: 'FRESH_PERISHABLE', aliases: ['生鲜', '鲜活易腐商品', '果蔬', '肉禽蛋奶', '水产'] },
  { code: 'MADE_TO_ORDER', nameZh: '定作商品', nameEn: 'Goods made to the consumer’s order', exclusion: 'MADE_TO_ORDER', aliases: ['定制商品', '定作'] },
  { code: 'DIGITAL_DOWNLOAD', nameZh: '数字化商品', nameEn: 'Downloaded or unsealed digital goods (audio-video, software)', exclusion: 'DIGITAL_DOWNLOADED_OR_UNSEALED', aliases: ['音像制品', '计算机软件'] },
  { code: 'NEWSPAPERS', nameZh: '报纸、期刊', nameEn: 'Newspapers and periodicals', exclusion: 'NEWSPAPERS_PERIODICALS', aliases: ['报纸', '期刊', '报刊'] },
  { code: 'COSMETICS', nameZh: '化妆品', nameEn: 'Cosmetics', exclusion: 'UNSEALING_AFFECTS_SAFETY_HEALTH', aliases: ['护肤品', '美妆'] },
  { code: 'PERSONAL_HYGIENE', nameZh: '贴身卫生用品', nameEn: 'Intimate and personal hygiene goods', exclusion: 'UNSEALING_AFFECTS_SAFETY_HEALTH', aliases: ['内衣', '个人护理用品'] },
  { code: 'PREPACKAGED_FOOD', nameZh: '预包装食品', nameEn: 'Prepackaged food', exclusion: 'UNSEALING_AFFECTS_SAFETY_HEALTH', aliases: ['酒水饮料', '茶叶', '土特产礼盒'] },
  { code: 'ELECTRONICS', nameZh: '电子电器', nameEn: 'Electronics and appliances', exclusion: 'LOSES_VALUE_ONCE_ACTIVATED', aliases: ['小家电', '厨房电器', '个护电器', '电脑配件', '手机', '家电'] },
  { code: 'CLEARANCE_GOODS', nameZh: '临期或瑕疵商品', nameEn: 'Near-expiry or defective goods disclosed at sale', exclusion: 'NEAR_EXPIRY_OR_DEFECTIVE_DISCLOSED', aliases: ['临期商品', '瑕疵商品', '特价处理商品'] },
  { code: 'CLOTHING', nameZh: '服装鞋帽', nameEn: 'Clothing, shoes and hats', exclusion: null, aliases: ['服装', '鞋帽', '箱包', '围巾配饰'] },
  { code: 'HOUSEHOLD', nameZh: '日用百货', nameEn: 'Household goods', exclusion: null, aliases: ['家居用品', '儿童用品', '文具', '钟表眼镜'] },
  { code: 'FURNITURE', nameZh: '家具建材', nameEn: 'Furniture and building materials', exclusion: null, aliases: ['成品家具', '灯具', '照明灯具', '五金配件', '卫浴洁具', '窗帘布艺'] },
];

const normalise = (text: string) => text.trim().toUpperCase();

/** The category named by a code (any case) or by its Chinese name or an alias; null when unknown. */
export function findGoodsCategory(text: string): GoodsCategory | null {
  const wanted = normalise(text);
  return (
    GOODS_CATEGORIES.find(
      (c) => c.code === wanted || normalise(c.nameZh) === wanted || c.aliases.some((a) => normalise(a) === wanted),
    ) ?? null
  );
}

export type { PledgeStatusCode } from './pledge-period';

/** What of a pledge the rule reads: the pledge that bound the merchant on the day the goods were received. */
export interface PledgeTerms {
  /** Its status on the day the goods were received (see pledgeOn). */
  status: 'ACTIVE' | 'SUSPENDED';
  windowDays: number;
  scope: 'ALL_GOODS' | 'LISTED_CATEGORIES';
  scopeCategories: readonly string[];
  exclusions: readonly string[];
  effectiveFrom: LocalDate;
  /** The first day no longer in effect; null when open-ended. */
  expiresOn: LocalDate | null;
}

export interface EligibilityQuestion {
  receivedOn: LocalDate;
  /** The day the consumer asks (would return the goods). */
  askedOn: LocalDate;
  /** A category code of GOODS_CATEGORIES, or any name (matched against a pledge's listed categories). */
  goodsCategory?: string | null;
  /** Whether the consumer confirmed at purchase that the goods are unsuitable for return; null: unknown. */
  confirmedAtPurchase?: boolean | null;
}

export const ELIGIBILITY_REASON_CODES = [
  'NO_PLEDGE_IN_EFFECT',
  'PLEDGE_SUSPENDED',
  'WINDOW_PASSED',
  'CATEGORY_EXCLUDED_BY_LAW',
  'CATEGORY_NOT_IN_PLEDGE_SCOPE',
  'CATEGORY_EXCLUDED_BY_PLEDGE',
  'NEEDS_CONFIRMATION_AT_PURCHASE',
  'CATEGORY_NOT_GIVEN',
] as const;
export type EligibilityReasonCode = (typeof ELIGIBILITY_REASON_CODES)[number];

export interface EligibilityReason {
  code: EligibilityReasonCode;
  /** A blocking reason makes the goods ineligible; the others are caveats the consumer should read. */
  blocking: boolean;
  messageZh: string;
  messageEn: string;
}

export interface Eligibility {
  eligible: boolean;
  /** The last day to return the goods; null when no pledge applies. */
  lastDay: LocalDate | null;
  /** The last day depends on a year whose holiday schedule is not published yet. */
  lastDayProvisional: boolean;
  windowDays: number | null;
  reasons: EligibilityReason[];
  /** The category the question named, when it is one of GOODS_CATEGORIES. */
  category: GoodsCategory | null;
}

const EXCLUSION_NAMES: Record<ReturnExclusionCode, { zh: string; en: string }> = {
  MADE_TO_ORDER: { zh: '消费者定作的商品', en: 'goods made to the consumer’s order' },
  FRESH_PERISHABLE: { zh: '鲜活易腐的商品', en: 'fresh or perishable goods' },
  DIGITAL_DOWNLOADED_OR_UNSEALED: { zh: '在线下载或者消费者拆封的音像制品、计算机软件等数字化商品', en: 'downloaded or unsealed digital goods' },
  NEWSPAPERS_PERIODICALS: { zh: '交付的报纸、期刊', en: 'delivered newspapers and periodicals' },
  UNSEALING_AFFECTS_SAFETY_HEALTH: { zh: '拆封后易影响人身安全或者生命健康的商品', en: 'goods whose unsealing affects safety or health' },
  LOSES_VALUE_ONCE_ACTIVATED: { zh: '一经激活或者试用后价值贬损较大的商品', en: 'goods that lose much value once activated or tried' },
  NEAR_EXPIRY_OR_DEFECTIVE_DISCLOSED: { zh: '销售时已明示的临近保质期的商品、有瑕疵的商品', en: 'near-expiry or defective goods disclosed at sale' },
};

/**
 * The last day to return goods received on `receivedOn` under a `windowDays` pledge: the window
 * starts the day after receipt, so the last day is receipt + windowDays; when that is not a
 * working day (a public holiday, or a weekend that is not an adjusted workday) it moves to the
 * next working day, as periods ending on a 法定休假日 do (民法典 Art. 203).
 */
export function returnLastDay(receivedOn: LocalDate, windowDays: number): { date: LocalDate; provisional: boolean } {
  if (!Number.isInteger(windowDays) || windowDays < 7) throw new RangeError(`a pledge window is at least 7 days, got ${windowDays}`);
  return nextWorkingDayOnOrAfter(addDays(receivedOn, windowDays));
}

/**
 * Judges a return under the pledge that bound the merchant on the day the goods were received (or
 * none; `laterPledgeFrom` names the start of a pledge filed only after that day). What became of
 * the pledge after receipt takes nothing away. Eligible when no blocking reason applies.
 * Always-excluded goods are excluded whatever the pledge says; a conditional exclusion the
 * pledge lists binds only if the consumer confirmed it at purchase (unknown: a caveat, not a refusal).
 */
export function assessReturn(pledge: PledgeTerms | null, question: EligibilityQuestion, laterPledgeFrom: LocalDate | null = null): Eligibility {
  const { receivedOn } = question;
  const category = question.goodsCategory?.trim() ? findGoodsCategory(question.goodsCategory) : null;
  if (!pledge) {
    // A pledge filed after the goods were received does not reach back to them.
    const [messageZh, messageEn] = laterPledgeFrom
      ? [`收货日早于承诺生效日（${laterPledgeFrom}），该商品不在承诺范围内`, `The goods were received before the pledge took effect on ${laterPledgeFrom}`]
      : ['收货当日该经营者没有有效的七日无理由退货承诺', 'The merchant had no return pledge in effect on the day the goods were received'];
    return {
      eligible: false,
      lastDay: null,
      lastDayProvisional: false,
      windowDays: null,
      reasons: [{ code: 'NO_PLEDGE_IN_EFFECT', blocking: true, messageZh, messageEn }],
      category,
    };
  }
  const { askedOn } = question;

  const reasons: EligibilityReason[] = [];
  const last = returnLastDay(receivedOn, pledge.windowDays);

  if (pledge.status === 'SUSPENDED') {
    reasons.push({
      code: 'PLEDGE_SUSPENDED',
      blocking: true,
      messageZh: '收货当日该经营者的退货承诺处于暂停状态',
      messageEn: 'The merchant’s return pledge was suspended on the day the goods were received',
    });
  }
  if (askedOn > last.date) {
    reasons.push({
      code: 'WINDOW_PASSED',
      blocking: true,
      messageZh: `退货期限已于 ${last.date} 届满`,
      messageEn: `The return window ended on ${last.date}`,
    });
  }
  reasons.push(...categoryReasons(pledge, question, category));

  return {
    eligible: reasons.every((r) => !r.blocking),
    lastDay: last.date,
    lastDayProvisional: last.provisional,
    windowDays: pledge.windowDays,
    reasons,
    category,
  };
}

function categoryReasons(pledge: PledgeTerms, question: EligibilityQuestion, category: GoodsCategory | null): EligibilityReason[] {
  const asked = question.goodsCategory?.trim();
  if (!asked) {
    if (pledge.scope === 'ALL_GOODS') return [];
    const listed = pledge.scopeCategories.join('、');
    return [
      {
        code: 'CATEGORY_NOT_GIVEN',
        blocking: false,
        messageZh: `该承诺仅适用于：${listed}；未提供商品类别，无法核对`,
        messageEn: `The pledge covers only: ${listed}; no goods category was given to check`,
      },
    ];
  }

  const reasons: EligibilityReason[] = [];
  const exclusion = category?.exclusion ?? null;
  if (exclusion && isAlwaysExcluded(exclusion)) {
    const name = EXCLUSION_NAMES[exclusion];
    reasons.push({
      code: 'CATEGORY_EXCLUDED_BY_LAW',
      blocking: true,
      messageZh: `依法不适用无理由退货：${name.zh}`,
      messageEn: `By law, no-reason return does not apply to ${name.en}`,
    });
  }

  if (pledge.scope === 'LISTED_CATEGORIES') {
    // A listed category may be written as our code or as a Chinese name; compare all of them.
    const names = new Set([asked, ...(category ? [category.code, category.nameZh, ...category.aliases] : [])].map(normalise));
    if (!pledge.scopeCategories.some((listed) => names.has(normalise(listed)))) {
      const listed = pledge.scopeCategories.join('、');
      reasons.push({
        code: 'CATEGORY_NOT_IN_PLEDGE_SCOPE',
        blocking: true,
        messageZh: `该承诺仅适用于：${listed}`,
        messageEn: `The pledge covers only: ${listed}`,
      });
    }
  }

  if (exclusion && !isAlwaysExcluded(exclusion) && pledge.exclusions.includes(exclusion)) {
    const name = EXCLUSION_NAMES[exclusion];
    if (question.confirmedAtPurchase === true) {
      reasons.push({
        code: 'CATEGORY_EXCLUDED_BY_PLEDGE',
        blocking: true,
        messageZh: `承诺排除了${name.zh}，且消费者购买时已确认不宜退货`,
        messageEn: `The pledge excludes ${name.en} and the consumer confirmed this at purchase`,
      });
    } else if (question.confirmedAtPurchase == null) {
      reasons.push({
        code: 'NEEDS_CONFIRMATION_AT_PURCHASE',
        blocking: false,
        messageZh: `承诺排除了${name.zh}，但仅在消费者购买时确认不宜退货的情况下适用；未经确认的仍可退货`,
        messageEn: `The pledge excludes ${name.en}, but only if the consumer confirmed it at purchase; without that confirmation the goods can be returned`,
      });
    }
  }
  return reasons;
}

/** A pledge as kept on record: its terms, period and status history. */
export interface PledgeOnRecord extends PledgePeriod, Omit<PledgeTerms, 'status'> {
  id: string;
  statusChanges: readonly StatusChange[];
}

/**
 * Judges a return against a merchant's whole pledge record: finds the pledge that bound the
 * merchant on the day of receipt (pledgeOn) and applies assessReturn under it.
 */
export function judgeReturn<P extends PledgeOnRecord>(
  pledges: readonly P[],
  question: EligibilityQuestion,
): Eligibility & { pledge: P | null; pledgeStatusOnReceipt: 'ACTIVE' | 'SUSPENDED' | null } {
  const governing = pledgeOn(pledges, question.receivedOn);
  const laterPledgeFrom = governing
    ? null
    : (pledges
        .map((p) => p.effectiveFrom)
        .filter((from) => from > question.receivedOn)
        .sort()[0] ?? null);
  const result = assessReturn(governing ? { ...governing.pledge, status: governing.status } : null, question, laterPledgeFrom);
  return { ...result, pledge: governing?.pledge ?? null, pledgeStatusOnReceipt: governing?.status ?? null };
}
