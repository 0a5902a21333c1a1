import { sql } from 'drizzle-orm';
import { check, index, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { actor, id, instant } from './columns';
import { disputeProgram } from './enums';
import { merchants } from './merchants';

/**
 * A period of enrollment on the provincial 3·15 settlement platform or of ODR recognition.
 * History is the list of periods; the merchant is ENROLLED at an instant inside an open period.
 */
export const disputeEnrollments = pgTable(
  'dispute_enrollments',
  {
    id: id(),
    merchantId: uuid('merchant_id')
      .notNull()
      .references(() => merchants.id, { onDelete: 'restrict' }),
    program: disputeProgram('program').notNull(),
    startedAt: instant('started_at').notNull(),
    startedBy: actor('started_by'),
    endedAt: instant('ended_at'),
    endedBy: text('ended_by'),
    endReason: text('end_reason'),
  },
  (t) => [
    index('dispute_enrollments_merchant_idx').on(t.merchantId, t.program, t.startedAt),
    uniqueIndex('dispute_enrollments_one_open').on(t.merchantId, t.program).where(sql`${t.endedAt} IS NULL`),
    check('dispute_enrollments_period', sql`${t.endedAt} IS NULL OR ${t.endedAt} > ${t.startedAt}`),
    check(
      'dispute_enrollments_end_fields',
      sql`(${t.endedAt} IS NULL) = (${t.endedBy} IS NULL) AND (${t.endedAt} IS NOT NULL OR ${t.endReason} IS NULL)`,
    ),
  ],
);
