import { sql } from 'drizzle-orm';
import { check, date, index, jsonb, numeric, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { id, instant } from './columns';
import { ratingGrade } from './enums';
import { merchants } from './merchants';

/** The current rating of each merchant (one row per merchant). */
export const ratings = pgTable(
  'ratings',
  {
    merchantId: uuid('merchant_id')
      .primaryKey()
      .references(() => merchants.id, { onDelete: 'cascade' }),
    modelVersion: text('model_version').notNull(),
    score: numeric('score', { precision: 5, scale: 2, mode: 'number' }).notNull(),
    grade: ratingGrade('grade').notNull(),
    asOf: date('as_of', { mode: 'string' }).notNull(),
    computedAt: instant('computed_at').notNull(),
    /** Every factor with points, maximum or limit and evidence, as the engine returned it. */
    factors: jsonb('factors').notNull(),
  },
  (t) => [
    index('ratings_grade_idx').on(t.grade),
    check('ratings_score_range', sql`${t.score} >= 0 AND ${t.score} <= 100`),
  ],
);

/** A rating row is appended only when score or grade changes, with the cause that changed it. */
export const ratingHistory = pgTable(
  'rating_history',
  {
    id: id(),
    merchantId: uuid('merchant_id')
      .notNull()
      .references(() => merchants.id, { onDelete: 'cascade' }),
    modelVersion: text('model_version').notNull(),
    score: numeric('score', { precision: 5, scale: 2, mode: 'number' }).notNull(),
    grade: ratingGrade('grade').notNull(),
    previousScore: numeric('previous_score', { precision: 5, scale: 2, mode: 'number' }),
    previousGrade: ratingGrade('previous_grade'),
    asOf: date('as_of', { mode: 'string' }).notNull(),
    computedAt: instant('computed_at').notNull(),
    factors: jsonb('factors').notNull(),
    /** The mutation or job that changed it, e.g. `appeal.accept`, `ratings.recompute`. */
    cause: text('cause').notNull(),
    causeRef: text('cause_ref'),
  },
  (t) => [
    index('rating_history_merchant_idx').on(t.merchantId, t.computedAt),
    check('rating_history_score_range', sql`${t.score} >= 0 AND ${t.score} <= 100`),
  ],
);

/**
 * Merchants whose rating must be recomputed: filled in the transaction that changed their records
 * when re-rating there would cost too much (an import batch), drained once at the end of the
 * import, and by the next import or daily job after a crash. Durable, so no change goes unrated.
 */
export const ratingQueue = pgTable('rating_queue', {
  merchantId: uuid('merchant_id')
    .primaryKey()
    .references(() => merchants.id, { onDelete: 'cascade' }),
  queuedAt: instant('queued_at').notNull().defaultNow(),
});
