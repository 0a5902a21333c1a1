import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { actor, createdAt, id, instant, updatedAt } from './columns';
import { auditOutcome, pledgeScope, pledgeStatus, returnExclusion } from './enums';
import { merchants } from './merchants';

/** A 线下七日无理由退货承诺: voluntary, binding once made. */
export const returnPledges = pgTable(
  'return_pledges',
  {
    id: id(),
    merchantId: uuid('merchant_id')
      .notNull()
      .references(() => merchants.id, { onDelete: 'restrict' }),
    windowDays: integer('window_days').notNull().default(7),
    scope: pledgeScope('scope').notNull().default('ALL_GOODS'),
    /** Goods categories covered when scope is LISTED_CATEGORIES. */
    scopeCategories: text('scope_categories').array().notNull().default(sql`'{}'::text[]`),
    /** Chosen only from the legal list: the enum type refuses anything else. */
    exclusions: returnExclusion('exclusions').array().notNull().default(sql`'{}'::return_exclusion[]`),
    status: pledgeStatus('status').notNull().default('ACTIVE'),
    effectiveFrom: date('effective_from', { mode: 'string' }).notNull(),
    expiresOn: date('expires_on', { mode: 'string' }),
    signboardDisplayed: boolean('signboard_displayed').notNull().default(false),
    revokedAt: instant('revoked_at'),
    revocationReason: text('revocation_reason'),
    filedBy: actor('filed_by'),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('return_pledges_merchant_idx').on(t.merchantId),
    // At most one pledge in effect per merchant, enforced by the database.
    uniqueIndex('return_pledges_one_in_effect').on(t.merchantId).where(sql`${t.status} IN ('ACTIVE', 'SUSPENDED')`),
    check('return_pledges_window_at_least_7', sql`${t.windowDays} >= 7`),
    check('return_pledges_period', sql`${t.expiresOn} IS NULL OR ${t.expiresOn} > ${t.effectiveFrom}`),
    check(
      'return_pledges_scope_categories',
      sql`(${t.scope} = 'LISTED_CATEGORIES') = (cardinality(${t.scopeCategories}) > 0)`,
    ),
    check(
      'return_pledges_revocation',
      sql`(${t.status} = 'REVOKED') = (${t.revokedAt} IS NOT NULL) AND (${t.revokedAt} IS NULL) = (${t.revocationReason} IS NULL)`,
    ),
    check('return_pledges_version_positive', sql`${t.version} > 0`),
  ],
);

/** Every status change of a pledge, kept as history (the first row has no `fromStatus`). */
export const pledgeStatusChanges = pgTable(
  'pledge_status_changes',
  {
    id: id(),
    pledgeId: uuid('pledge_id')
      .notNull()
      .references(() => returnPledges.id, { onDelete: 'cascade' }),
    fromStatus: pledgeStatus('from_status'),
    toStatus: pledgeStatus('to_status').notNull(),
    reason: text('reason'),
    actor: actor(),
    at: instant('at').notNull().defaultNow(),
  },
  (t) => [index('pledge_status_changes_pledge_idx').on(t.pledgeId, t.at)],
);

/** A 承诺履行监督检查 of a pledge. */
export const pledgeAudits = pgTable(
  'pledge_audits',
  {
    id: id(),
    pledgeId: uuid('pledge_id')
      .notNull()
      .references(() => returnPledges.id, { onDelete: 'restrict' }),
    auditedOn: date('audited_on', { mode: 'string' }).notNull(),
    inspector: text('inspector').notNull(),
    outcome: auditOutcome('outcome').notNull(),
    findings: text('findings'),
    rectificationDueOn: date('rectification_due_on', { mode: 'string' }),
    recordedBy: actor('recorded_by'),
    createdAt: createdAt(),
  },
  (t) => [
    index('pledge_audits_pledge_idx').on(t.pledgeId, t.auditedOn),
    check(
      'pledge_audits_rectification_after_audit',
      sql`${t.rectificationDueOn} IS NULL OR ${t.rectificationDueOn} >= ${t.auditedOn}`,
    ),
  ],
);
