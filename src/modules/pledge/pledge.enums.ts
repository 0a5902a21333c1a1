import { registerEnumType } from 'type-graphql';
import { enumObject } from '../../graphql/enums';
import { auditOutcome, pledgeScope, pledgeStatus, returnExclusion } from '../../db/schema';
import { ELIGIBILITY_REASON_CODES } from '../../domain/return-eligibility';
import { AUDIT_DUE_REASONS } from '../../domain/pledge-rules';


export const PledgeStatus = enumObject(pledgeStatus.enumValues);
export type PledgeStatus = keyof typeof PledgeStatus;
registerEnumType(PledgeStatus, {
  name: 'PledgeStatus',
  description: 'ACTIVE ⇄ SUSPENDED; REVOKED (by a supervisor) and EXPIRED (from expiresOn on) are final.',
  valuesConfig: {
    ACTIVE: { description: '有效' },
    SUSPENDED: { description: '暂停 (e.g. during rectification after a violation)' },
    REVOKED: { description: '撤销, by a supervisor, with a reason' },
    EXPIRED: { description: '期满: its expiresOn day has come (Asia/Shanghai)' },
  },
});

export const PledgeScope = enumObject(pledgeScope.enumValues);
export type PledgeScope = keyof typeof PledgeScope;
registerEnumType(PledgeScope, {
  name: 'PledgeScope',
  valuesConfig: {
    ALL_GOODS: { description: 'Every good sold, save the exclusions.' },
    LISTED_CATEGORIES: { description: 'Only the goods categories listed in scopeCategories.' },
  },
});

export const ReturnExclusion = enumObject(returnExclusion.enumValues);
export type ReturnExclusion = keyof typeof ReturnExclusion;
registerEnumType(ReturnExclusion, {
  name: 'ReturnExclusion',
  description: 'The only exclusions the law allows (消保法 Art. 25). The first four always apply; the last three only when the consumer confirmed them at purchase.',
  valuesConfig: {
    MADE_TO_ORDER: { description: '消费者定作的 (always)' },
    FRESH_PERISHABLE: { description: '鲜活易腐的 (always)' },
    DIGITAL_DOWNLOADED_OR_UNSEALED: { description: '在线下载或者消费者拆封的音像制品、计算机软件等数字化商品 (always)' },
    NEWSPAPERS_PERIODICALS: { description: '交付的报纸、期刊 (always)' },
    UNSEALING_AFFECTS_SAFETY_HEALTH: { description: '拆封后易影响人身安全或者生命健康的 (if confirmed at purchase)' },
    LOSES_VALUE_ONCE_ACTIVATED: { description: '一经激活或者试用后价值贬损较大的 (if confirmed at purchase)' },
    NEAR_EXPIRY_OR_DEFECTIVE_DISCLOSED: { description: '销售时已明示的临近保质期的商品、有瑕疵的商品 (if confirmed at purchase)' },
  },
});

export const AuditOutcome = enumObject(auditOutcome.enumValues);
export type AuditOutcome = keyof typeof AuditOutcome;
registerEnumType(AuditOutcome, {
  name: 'AuditOutcome',
  valuesConfig: {
    COMPLIANT: { description: '合格' },
    MINOR_ISSUES: { description: '存在轻微问题' },
    VIOLATION: { description: '违反承诺: a rectification due date is required' },
  },
});

export const EligibilityReasonCode = enumObject(ELIGIBILITY_REASON_CODES);
export type EligibilityReasonCode = keyof typeof EligibilityReasonCode;
registerEnumType(EligibilityReasonCode, {
  name: 'EligibilityReasonCode',
  valuesConfig: {
    NO_PLEDGE_IN_EFFECT: { description: 'No pledge in effect, or the goods were received before it took effect (blocking).' },
    PLEDGE_SUSPENDED: { description: 'The pledge is suspended (blocking).' },
    WINDOW_PASSED: { description: 'askedOn is after lastDay (blocking).' },
    CATEGORY_EXCLUDED_BY_LAW: { description: 'The goods are always excluded by law: fresh, made to order, digital, newspapers (blocking).' },
    CATEGORY_NOT_IN_PLEDGE_SCOPE: { description: 'The pledge covers only listed categories and not this one (blocking).' },
    CATEGORY_EXCLUDED_BY_PLEDGE: { description: 'The pledge lists a conditional exclusion for these goods and the consumer confirmed it at purchase (blocking).' },
    NEEDS_CONFIRMATION_AT_PURCHASE: { description: 'The pledge lists a conditional exclusion for these goods; it binds only if the consumer confirmed it at purchase (caveat).' },
    CATEGORY_NOT_GIVEN: { description: 'The pledge covers listed categories only and no goodsCategory was given (caveat).' },
  },
});

export const AuditDueReason = enumObject(AUDIT_DUE_REASONS);
export type AuditDueReason = keyof typeof AuditDueReason;
registerEnumType(AuditDueReason, {
  name: 'AuditDueReason',
  valuesConfig: {
    NEVER_AUDITED: { description: 'The pledge has no audit yet.' },
    LAST_AUDIT_OVER_12_MONTHS_AGO: { description: 'The last audit is more than 12 months before the day asked about.' },
    RECTIFICATION_DUE: { description: 'The last audit found a VIOLATION whose rectification was due on or before the day asked about.' },
  },
});
