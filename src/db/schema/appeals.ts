import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, jsonb, pgTable, text, uniqueIndex, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { actor, createdAt, fen, id, instant, updatedAt } from './columns';
import { appealChannel, appealStatus, appealType, categoryGroup } from './enums';
import { merchants } from './merchants';

/** The two-level appeal taxonomy (goods / services → category → sub-category). */
export const appealCategories = pgTable(
  'appeal_categories',
  {
    code: text('code').primaryKey(),
    parentCode: text('parent_code').references((): AnyPgColumn => appealCategories.code, { onDelete: 'restrict' }),
    group: categoryGroup('group').notNull(),
    nameZh: text('name_zh').notNull(),
    nameEn: text('name_en').notNull(),
  },
  (t) => [check('appeal_categories_code_format', sql`${t.code} ~ '^[A-Z_]+(\\.[A-Z_]+){0,2}$'`)],
);

/** A 12315 appeal: consultation, complaint, report or praise. */
export const appeals = pgTable(
  'appeals',
  {
    id: id(),
    /** The id in the 12315 system; the import is idempotent on it. */
    externalId: text('external_id'),
    type: appealType('type').notNull(),
    channel: appealChannel('channel').notNull(),
    receivedAt: instant('received_at').notNull(),
    merchantId: uuid('merchant_id').references(() => merchants.id, { onDelete: 'restrict' }),
    /** Jurisdiction that handles it: the merchant's region, or where it was received. */
    regionCode: text('region_code').notNull(),
    categoryCode: text('category_code').references(() => appealCategories.code, { onDelete: 'restrict' }),
    issueType: text('issue_type'),
    violationType: text('violation_type'),
    amountInvolvedFen: fen('amount_involved_fen').notNull().default(0),
    amountRecoveredFen: fen('amount_recovered_fen').notNull().default(0),
    consumerName: text('consumer_name'),
    consumerPhone: text('consumer_phone'),
    details: text('details'),
    status: appealStatus('status').notNull().default('RECEIVED'),
    acceptedAt: instant('accepted_at'),
    rejectedAt: instant('rejected_at'),
    rejectionReason: text('rejection_reason'),
    mediationStartedAt: instant('mediation_started_at'),
    concludedAt: instant('concluded_at'),
    verificationExtendedAt: instant('verification_extended_at'),
    decidedAt: instant('decided_at'),
    caseFiledAt: instant('case_filed_at'),
    /** Deadlines (Asia/Shanghai working days) fixed when the step that starts them happens. */
    acceptanceDueOn: date('acceptance_due_on', { mode: 'string' }),
    answerDueOn: date('answer_due_on', { mode: 'string' }),
    conclusionDueOn: date('conclusion_due_on', { mode: 'string' }),
    verificationDueOn: date('verification_due_on', { mode: 'string' }),
    deadlinesProvisional: boolean('deadlines_provisional').notNull().default(false),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('appeals_external_id_key').on(t.externalId),
    index('appeals_merchant_idx').on(t.merchantId, t.type, t.receivedAt),
    // The rating's evidence walks (rating.inputs.ts): a merchant's most recent complaints and reports.
    index('appeals_merchant_accepted_idx').on(t.merchantId, t.acceptedAt).where(sql`${t.type} = 'COMPLAINT'`),
    index('appeals_merchant_filed_idx').on(t.merchantId, t.caseFiledAt).where(sql`${t.type} = 'REPORT'`),
    index('appeals_region_received_idx').on(t.regionCode, t.receivedAt),
    index('appeals_received_idx').on(t.receivedAt),
    index('appeals_status_idx').on(t.status),
    check('appeals_region_code_format', sql`${t.regionCode} ~ '^[0-9]{6}$'`),
    check('appeals_merchant_required', sql`${t.type} IN ('CONSULTATION', 'PRAISE') OR ${t.merchantId} IS NOT NULL`),
    check('appeals_violation_only_on_reports', sql`${t.violationType} IS NULL OR ${t.type} = 'REPORT'`),
    check('appeals_amounts_non_negative', sql`${t.amountInvolvedFen} >= 0 AND ${t.amountRecoveredFen} >= 0`),
    check('appeals_rejection_reason', sql`(${t.rejectedAt} IS NULL) = (${t.rejectionReason} IS NULL)`),
    check('appeals_accepted_after_received', sql`${t.acceptedAt} IS NULL OR ${t.acceptedAt} >= ${t.receivedAt}`),
    check('appeals_concluded_after_accepted', sql`${t.concludedAt} IS NULL OR ${t.acceptedAt} IS NOT NULL AND ${t.concludedAt} >= ${t.acceptedAt}`),
    check('appeals_version_positive', sql`${t.version} > 0`),
  ],
);

/** Every workflow transition of an appeal, with actor and time. */
export const appealTransitions = pgTable(
  'appeal_transitions',
  {
    id: id(),
    appealId: uuid('appeal_id')
      .notNull()
      .references(() => appeals.id, { onDelete: 'cascade' }),
    fromStatus: appealStatus('from_status'),
    toStatus: appealStatus('to_status').notNull(),
    actor: actor(),
    at: instant('at').notNull(),
    reason: text('reason'),
    detail: jsonb('detail'),
  },
  (t) => [index('appeal_transitions_appeal_idx').on(t.appealId, t.at)],
);

/** A merchant's answer to a complaint against it (ODR: due within 10 working days). */
export const merchantAnswers = pgTable(
  'merchant_answers',
  {
    id: id(),
    appealId: uuid('appeal_id')
      .notNull()
      .references(() => appeals.id, { onDelete: 'restrict' }),
    merchantId: uuid('merchant_id')
      .notNull()
      .references(() => merchants.id, { onDelete: 'restrict' }),
    body: text('body').notNull(),
    answeredAt: instant('answered_at').notNull(),
    actor: actor(),
    createdAt: createdAt(),
  },
  (t) => [
    index('merchant_answers_appeal_idx').on(t.appealId, t.answeredAt),
    index('merchant_answers_merchant_idx').on(t.merchantId),
    check('merchant_answers_body_not_blank', sql`length(btrim(${t.body})) > 0`),
  ],
);

/** A merchant's response to a pattern of complaints of one issue type (lifts the rating deduction). */
export const patternResponses = pgTable(
  'pattern_responses',
  {
    id: id(),
    merchantId: uuid('merchant_id')
      .notNull()
      .references(() => merchants.id, { onDelete: 'restrict' }),
    issueType: text('issue_type').notNull(),
    body: text('body').notNull(),
    respondedAt: instant('responded_at').notNull(),
    actor: actor(),
    createdAt: createdAt(),
  },
  (t) => [index('pattern_responses_merchant_idx').on(t.merchantId, t.issueType, t.respondedAt)],
);
