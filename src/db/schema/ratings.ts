import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, jsonb, numeric, pgTable, primaryKey, smallint, text, uuid } from 'drizzle-orm/pg-core';
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
    /**
     * A digest of `factors` as written (src/domain/rating/digest.ts), so a recompute tells an
     * unchanged rating from its digest without reading the factors back; null on rows written
     * before it existed, which count as changed once.
     */
    factorsDigest: text('factors_digest'),
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

/**
 * The rating's records counted per merchant and day, kept by statement-level triggers on `appeals`
 * and `merchant_answers` in the same transaction (drizzle/0011, 0012), so a re-rating reads at most
 * a few rows per day of the last three years instead of every record. `kind`: 1 an accepted
 * complaint by acceptance day (with its issue type and the days from acceptance to its first
 * answer), 2 a concluded complaint by acceptance day (with its conclusion day and whether it was
 * resolved), 3 a report by case filing day, 4 praise by receipt day. Unused key parts hold their
 * defaults. Rows may reach n = 0 (a complaint's answer moves it between groups); they count nothing.
 */
export const ratingDayCounts = pgTable(
  'rating_day_counts',
  {
    merchantId: uuid('merchant_id').notNull(),
    kind: smallint('kind').notNull(),
    /** Asia/Shanghai day number (days since 1970-01-01). */
    day: integer('day').notNull(),
    issueType: text('issue_type').notNull().default(''),
    /** Days from acceptance to the first answer, at most ANSWER_LAG_CLIP; NO_ANSWER_LAG when unanswered. */
    answerLag: smallint('answer_lag').notNull().default(999),
    concludedDay: integer('concluded_day').notNull().default(-1),
    resolved: boolean('resolved').notNull().default(false),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ name: 'rating_day_counts_pkey', columns: [t.merchantId, t.kind, t.day, t.issueType, t.answerLag, t.concludedDay, t.resolved] })],
);
