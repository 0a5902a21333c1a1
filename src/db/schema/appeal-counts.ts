import { sql } from 'drizzle-orm';
import { bigint, boolean, check, date, index, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { appealType } from './enums';

/**
 * The key and the counts of a row of the appeal count tables. The counts are those of
 * src/domain/appeal-counts.ts (one column each, snake_case); the triggers of the custom migration
 * `appeal_counts_triggers` keep them in the same transaction as every change of `appeals`.
 */
const countsOf = () => ({
  regionCode: text('region_code').notNull(),
  type: appealType('type').notNull(),
  /** The appeal's category, '' for none: a key column has no nulls. */
  categoryCode: text('category_code').notNull(),
  /** A report's violation type, '' for none. */
  violationType: text('violation_type').notNull(),
  appeals: integer('appeals').notNull(),
  decided: integer('decided').notNull(),
  decidedOnTime: integer('decided_on_time').notNull(),
  concluded: integer('concluded').notNull(),
  concludedOnTime: integer('concluded_on_time').notNull(),
  mediated: integer('mediated').notNull(),
  verified: integer('verified').notNull(),
  verifiedOnTime: integer('verified_on_time').notNull(),
  recoveredFen: bigint('recovered_fen', { mode: 'bigint' }).notNull(),
});

/** Appeal counts per Asia/Shanghai day of receipt × region × type × category × violation type. */
export const appealCountsDaily = pgTable(
  'appeal_counts_daily',
  { day: date('day', { mode: 'string' }).notNull(), ...countsOf() },
  (t) => [
    primaryKey({ name: 'appeal_counts_daily_pkey', columns: [t.day, t.regionCode, t.type, t.categoryCode, t.violationType] }),
    index('appeal_counts_daily_region_idx').on(t.regionCode, t.day),
  ],
);

/** The same counts per month of receipt (`month` is its first day): a year is twelve rows per key. */
export const appealCountsMonthly = pgTable(
  'appeal_counts_monthly',
  { month: date('month', { mode: 'string' }).notNull(), ...countsOf() },
  (t) => [
    primaryKey({ name: 'appeal_counts_monthly_pkey', columns: [t.month, t.regionCode, t.type, t.categoryCode, t.violationType] }),
    index('appeal_counts_monthly_region_idx').on(t.regionCode, t.month),
    check('appeal_counts_monthly_first_day', sql`extract(day from ${t.month}) = 1`),
  ],
);

/**
 * One row: a number that grows with every committed transaction that changed the counts, read
 * in the same snapshot as the counts, so a report cached under it is current while it is unchanged.
 */
export const appealCountsVersion = pgTable(
  'appeal_counts_version',
  {
    id: boolean('id').primaryKey().default(true),
    version: bigint('version', { mode: 'number' }).notNull().default(0),
  },
  (t) => [check('appeal_counts_version_one_row', sql`${t.id}`)],
);

/**
 * Transactions that changed the counts and have yet to raise the version: a deferred trigger
 * raises it at commit and removes the row, so writers wait on the version row only while committing.
 */
export const appealCountsChanged = pgTable('appeal_counts_changed', {
  txid: bigint('txid', { mode: 'number' }).primaryKey(),
});
