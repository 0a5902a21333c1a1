/**
 * Vocabularies of the 12315 statistics that the registry checks on intake. Categories are a
 * table (appeal_categories, two levels under GOODS and SERVICES); issue and violation types are
 * fixed lists here. Pure.
 */

/** What a complaint is about. REFUSED_RETURN feeds the pledge audit queue. */
export const ISSUE_TYPES = {
  QUALITY: '质量',
  SAFETY: '安全',
  PRICE: '价格',
  FALSE_ADVERTISING: '虚假宣传',
  REFUSED_RETURN: '拒绝退换货',
  AFTER_SALES: '售后服务',
  CONTRACT: '合同',
  PREPAID_CARD: '预付卡',
  MEASUREMENT: '计量',
  PERSONAL_INFORMATION: '个人信息',
  FRAUD: '欺诈',
  OTHER: '其他',
} as const;
export type IssueType = keyof typeof ISSUE_TYPES;

/** What a report alleges. The first three are the report's "over 70%" group. */
export const VIOLATION_TYPES = {
  ADVERTISING: '广告违法',
  UNFAIR_COMPETITION: '不正当竞争',
  CONSUMER_RIGHTS: '侵害消费者权益',
  PRODUCT_QUALITY: '产品质量违法',
  FOOD_SAFETY: '食品安全违法',
  PRICE: '价格违法',
  UNLICENSED: '无照经营',
  TRADEMARK: '商标侵权',
  OTHER: '其他',
} as const;
export type ViolationType = keyof typeof VIOLATION_TYPES;

export function isIssueType(value: string): value is IssueType {
  return Object.prototype.hasOwnProperty.call(ISSUE_TYPES, value);
}

export function isViolationType(value: string): value is ViolationType {
  return Object.prototype.hasOwnProperty.call(VIOLATION_TYPES, value);
}
