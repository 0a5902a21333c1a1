/**
 * Loads the seed of record (seeds/record.ts) in bulk: some 50,000 appeals, 190,000 transitions
 * and 20,000 merchant answers must go in within seconds on embedded PGlite, so rows are sent as
 * large JSON batches and expanded by the server with `jsonb_populate_recordset` (one statement
 * and one parameter per batch, instead of one parameter per value).
 */
import { getTableColumns, sql, type Table } from 'drizzle-orm';
import type { Tx } from '../src/db';
import { appeals, appealTransitions, merchantAnswers } from '../src/db/schema';
import type { MerchantRow } from './demo';
import { generateRecordSeed, type RecordSeed, type RecordSeedOptions } from './record';

/** Rows per statement: a few MB of JSON, well within both drivers' limits. */
const BATCH_ROWS = 8_000;

export interface RecordLoadResult {
  /** Rows actually inserted per table; all zero when the records were loaded before. */
  inserted: Record<keyof RecordSeed, number>;
}

/**
 * JSON objects keyed by column name (not property name), as `jsonb_populate_recordset` expects.
 * Every column is written, nulls included: a missing key would be NULL, not the column default.
 */
function toColumnJson(table: Table, rows: readonly Record<string, unknown>[]): string {
  const columns = Object.entries(getTableColumns(table)).map(([key, column]) => [key, column.name] as const);
  const out = rows.map((row) => {
    const record: Record<string, unknown> = {};
    for (const [key, name] of columns) {
      const value = row[key];
      if (value === undefined) throw new Error(`seed of record: ${name} missing in a row`);
      record[name] = value;
    }
    return record;
  });
  // Dates become ISO-8601 UTC strings, which timestamptz reads exactly.
  return JSON.stringify(out);
}

async function insertJson(
  tx: Tx,
  table: Table,
  tableName: string,
  rows: readonly Record<string, unknown>[],
  progress: (rows: number) => void,
): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < rows.length; i += BATCH_ROWS) {
    const json = toColumnJson(table, rows.slice(i, i + BATCH_ROWS));
    // ON CONFLICT DO NOTHING: ids and external ids are deterministic, so a second load adds nothing.
    const result = await tx.execute<{ n: number }>(
      sql`WITH ins AS (
            INSERT INTO ${sql.identifier(tableName)}
            SELECT * FROM jsonb_populate_recordset(NULL::${sql.identifier(tableName)}, ${json}::jsonb)
            ON CONFLICT DO NOTHING RETURNING 1
          ) SELECT count(*)::int AS n FROM ins`,
    );
    // postgres.js returns the rows as an array, PGlite as { rows }.
    const resultRows = (Array.isArray(result) ? result : (result as { rows: { n: number }[] }).rows) as { n: number }[];
    inserted += Number(resultRows[0]?.n ?? 0);
    progress(Math.min(BATCH_ROWS, rows.length - i));
  }
  return inserted;
}

/**
 * Generates the appeals of record for the given demo merchants (the rows just loaded, so the ids
 * match) and inserts them with their transitions and merchant answers inside `tx`. Idempotent.
 */
export async function loadRecordSeed(
  tx: Tx,
  merchants: readonly MerchantRow[],
  options: RecordSeedOptions & { onRows?: (table: keyof RecordSeed, done: number, total: number) => void } = {},
): Promise<RecordLoadResult> {
  const seed = generateRecordSeed(merchants, options);
  const progress = (table: keyof RecordSeed) => {
    let done = 0;
    options.onRows?.(table, 0, seed[table].length);
    return (rows: number) => {
      done += rows;
      options.onRows?.(table, done, seed[table].length);
    };
  };
  return {
    inserted: {
      appeals: await insertJson(tx, appeals, 'appeals', seed.appeals, progress('appeals')),
      appealTransitions: await insertJson(tx, appealTransitions, 'appeal_transitions', seed.appealTransitions, progress('appealTransitions')),
      merchantAnswers: await insertJson(tx, merchantAnswers, 'merchant_answers', seed.merchantAnswers, progress('merchantAnswers')),
    },
  };
}
