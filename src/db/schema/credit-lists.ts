import { sql } from 'drizzle-orm';
import { check, date, index, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { actor, createdAt, id, instant } from './columns';
import { creditList } from './enums';
import { merchants } from './merchants';

/**
 * An entry on the abnormal-operations list (经营异常名录) or the serious-violation list
 * (严重违法失信名单). `removedOn` closes it (信用修复); the entry is in force on days
 * `listedOn ≤ d < removedOn`.
 */
export const creditListEntries = pgTable(
  'credit_list_entries',
  {
    id: id(),
    merchantId: uuid('merchant_id')
      .notNull()
      .references(() => merchants.id, { onDelete: 'restrict' }),
    list: creditList('list').notNull(),
    listedOn: date('listed_on', { mode: 'string' }).notNull(),
    reason: text('reason').notNull(),
    decisionRef: text('decision_ref'),
    removedOn: date('removed_on', { mode: 'string' }),
    removalReason: text('removal_reason'),
    listedBy: actor('listed_by'),
    removedBy: text('removed_by'),
    removedAt: instant('removed_at'),
    createdAt: createdAt(),
  },
  (t) => [
    index('credit_list_entries_merchant_idx').on(t.merchantId, t.listedOn),
    check('credit_list_entries_period', sql`${t.removedOn} IS NULL OR ${t.removedOn} > ${t.listedOn}`),
    check('credit_list_entries_removal_reason', sql`(${t.removedOn} IS NULL) = (${t.removalReason} IS NULL)`),
  ],
);
