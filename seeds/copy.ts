/**
 * Bulk writing of seed rows: PostgreSQL's COPY text format built from the drizzle tables, and
 * the three ways of sending it. On PostgreSQL, `COPY … FROM STDIN` through postgres.js
 * (`sql.unsafe(…).writable()`); on embedded PGlite, its `/dev/blob` device; on a PGlite database
 * a running server serves (no COPY on that socket), JSON batches expanded by the server with
 * `jsonb_populate_recordset`. Each writer works inside one transaction.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PGlite, Transaction } from '@electric-sql/pglite';
import { getTableColumns, getTableName, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type postgres from 'postgres';
import type { Db, DbHandle, Tx } from '../src/db';
import { COPY_ENCODERS, escapeCopyText } from '../src/db/copy-text';

interface CopyColumn {
  key: string;
  name: string;
  /** Turns a non-null value into its COPY text. */
  encode: (value: unknown) => string;
}

/** What COPY needs to know of a table: its name and columns in order. */
export interface CopyTable {
  name: string;
  columns: CopyColumn[];
}

/** JSON text of a value; the same (shared, frozen) object is stringified once. */
function jsonEncoder(): (value: unknown) => string {
  const known = new WeakMap<object, string>();
  return (value) => {
    if (typeof value !== 'object' || value === null || !Object.isFrozen(value)) return escapeCopyText(JSON.stringify(value));
    let text = known.get(value);
    if (text === undefined) {
      text = escapeCopyText(JSON.stringify(value));
      known.set(value, text);
    }
    return text;
  };
}

function encoderOf(table: string, columnType: string): (value: unknown) => string {
  const encoder = COPY_ENCODERS[columnType];
  if (!encoder) throw new Error(`COPY of ${table}: no text form for a column of type ${columnType}`);
  return encoder;
}

const tables = new WeakMap<PgTable, CopyTable>();

/** The COPY description of a drizzle table (every column, in declaration order). */
export function copyTable(table: PgTable): CopyTable {
  let described = tables.get(table);
  if (!described) {
    described = {
      name: getTableName(table),
      columns: Object.entries(getTableColumns(table)).map(([key, column]) => ({
        key,
        name: column.name,
        encode: column.columnType === 'PgJsonb' ? jsonEncoder() : encoderOf(getTableName(table), column.columnType),
      })),
    };
    tables.set(table, described);
  }
  return described;
}

/** The rows as COPY text: one line each, tab-separated, `\N` for null. Dates as UTC ISO instants. */
export function copyText(table: CopyTable, rows: readonly object[]): string {
  const { columns } = table;
  // Joined arrays, not `+=`: a block's text would otherwise be a tree of millions of pieces
  // that the garbage collector walks again and again before anything flattens it.
  const lines = new Array<string>(rows.length + 1);
  const cells = new Array<string>(columns.length);
  for (let r = 0; r < rows.length; r++) {
    const record = rows[r] as Record<string, unknown>;
    for (let c = 0; c < columns.length; c++) {
      const column = columns[c]!;
      const value = record[column.key];
      if (value === undefined) throw new Error(`seed row of ${table.name} has no ${column.name}: every column is written, a default is never assumed`);
      cells[c] = value === null ? '\\N' : column.encode(value);
    }
    lines[r] = cells.join('\t');
  }
  lines[rows.length] = '';
  return rows.length ? lines.join('\n') : '';
}

/** The rows as COPY text in UTF-8, in a buffer of its own (so it can move between threads). */
export function copyBytes(table: CopyTable, rows: readonly object[]): Uint8Array {
  return new TextEncoder().encode(copyText(table, rows));
}

function columnList(table: CopyTable): string {
  return table.columns.map((c) => `"${c.name}"`).join(', ');
}

/** The rows of one table for one write: as objects, or already as COPY text (from another thread). */
export interface TableRows {
  records?: readonly object[];
  copy?: Uint8Array;
}

/** Writes the rows of one table at a time, all inside one transaction. */
export interface RowWriter {
  /** How the rows travel, for the command's output. */
  readonly method: string;
  /** Whether it sends COPY text (so rows may come encoded). */
  readonly acceptsCopy: boolean;
  write(table: PgTable, rows: TableRows): Promise<void>;
}

function copyOf(table: PgTable, rows: TableRows): Uint8Array {
  return rows.copy ?? copyBytes(copyTable(table), rows.records ?? []);
}

/** COPY text is sent in pieces of about this many bytes, cut after a line end. */
const PIECE_BYTES = 1 << 20;
const NEWLINE = 0x0a;

function* pieces(bytes: Uint8Array): Generator<Buffer> {
  for (let from = 0; from < bytes.length; ) {
    const cut = bytes.indexOf(NEWLINE, Math.min(bytes.length - 1, from + PIECE_BYTES));
    const to = cut < 0 ? bytes.length : cut + 1;
    yield Buffer.from(bytes.buffer, bytes.byteOffset + from, to - from);
    from = to;
  }
}

function postgresWriter(tx: postgres.TransactionSql): RowWriter {
  return {
    method: 'COPY FROM STDIN',
    acceptsCopy: true,
    async write(table, rows) {
      const bytes = copyOf(table, rows);
      if (bytes.length === 0) return;
      const t = copyTable(table);
      const stream = await tx.unsafe(`COPY "${t.name}" (${columnList(t)}) FROM STDIN`).writable();
      // The writable finishes when the server has completed the COPY (constraints checked);
      // a refusal rejects it (patches/postgres+3.4.9.patch, porsager/postgres#1173).
      await pipeline(Readable.from(pieces(bytes)), stream);
    },
  };
}

function pgliteWriter(tx: Transaction): RowWriter {
  return {
    method: "COPY FROM '/dev/blob'",
    acceptsCopy: true,
    async write(table, rows) {
      const bytes = copyOf(table, rows);
      if (bytes.length === 0) return;
      const t = copyTable(table);
      await tx.query(`COPY "${t.name}" (${columnList(t)}) FROM '/dev/blob'`, [], { blob: new Blob([bytes]) });
    },
  };
}

/** Rows per statement of the JSON fallback: a few MB each, well within the wire's limits. */
const JSON_BATCH_ROWS = 5_000;

function jsonWriter(tx: Tx): RowWriter {
  return {
    method: 'multi-row INSERT (jsonb_populate_recordset)',
    acceptsCopy: false,
    async write(table, { records }) {
      if (!records) throw new Error('the multi-row writer needs the rows as objects');
      const t = copyTable(table);
      for (let i = 0; i < records.length; i += JSON_BATCH_ROWS) {
        // Keyed by column name, every column present: a missing key would be NULL, not the default.
        const batch = records.slice(i, i + JSON_BATCH_ROWS).map((row) => {
          const record = row as Record<string, unknown>;
          const out: Record<string, unknown> = {};
          for (const c of t.columns) {
            if (record[c.key] === undefined) throw new Error(`seed row of ${t.name} has no ${c.name}`);
            out[c.name] = record[c.key];
          }
          return out;
        });
        await tx.execute(
          sql`INSERT INTO ${sql.identifier(t.name)} SELECT * FROM jsonb_populate_recordset(NULL::${sql.identifier(t.name)}, ${JSON.stringify(batch)}::jsonb)`,
        );
      }
    },
  };
}

/**
 * Drops the secondary indexes and the foreign keys of `tables` and returns what puts them back,
 * as pg_restore orders a load: rows first, then each index built once from sorted rows and each
 * foreign key checked in one join, instead of both maintained row by row. Inside the load's
 * transaction, so every index and constraint is back (and every row checked) when it commits.
 * Primary keys and unique constraints stay; unique indexes are checked when rebuilt. The day
 * counters' triggers are set aside too, and the counters rebuilt at the end.
 */
async function setAsideIndexesAndForeignKeys(tx: postgres.TransactionSql, tables: readonly string[]): Promise<() => Promise<void>> {
  const foreignKeys = await tx<{ drop: string; restore: string }[]>`
    select format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname) as drop,
           format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid)) as restore
    from pg_constraint c
    where c.contype = 'f' and c.conrelid = any(${tables}::regclass[])`;
  // Not the index of a constraint, nor one a foreign key elsewhere relies on.
  const indexes = await tx<{ drop: string; restore: string }[]>`
    select format('DROP INDEX %s', i.indexrelid::regclass) as drop, pg_get_indexdef(i.indexrelid) as restore
    from pg_index i
    where i.indrelid = any(${tables}::regclass[])
      and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)
      and not exists (select 1 from pg_depend d where d.refobjid = i.indexrelid and d.deptype = 'n')`;
  for (const statement of [...foreignKeys, ...indexes]) await tx.unsafe(statement.drop);
  // The rating's day counters are kept by INSERT triggers that look up each new appeal's first
  // answer; with the answers' index set aside that lookup scans every answer loaded so far, so a
  // 100,000-merchant load was still running after 38 minutes (146 s with this). Off during the
  // load, the counters are rebuilt once, set-based and in key order, after the indexes are back
  // (rating_day_counts_rebuild, drizzle/0014).
  const counters = COUNTER_TRIGGERS.filter((c) => tables.includes(c.table));
  for (const c of counters) await tx.unsafe(`ALTER TABLE ${c.table} DISABLE TRIGGER ${c.trigger}`);
  return async () => {
    for (const statement of [...indexes, ...foreignKeys]) await tx.unsafe(statement.restore);
    for (const c of counters) await tx.unsafe(`ALTER TABLE ${c.table} ENABLE TRIGGER ${c.trigger}`);
    if (counters.length) await tx.unsafe('SELECT rating_day_counts_rebuild()');
  };
}

/** The INSERT triggers that keep `rating_day_counts` (drizzle/0012), by table. */
const COUNTER_TRIGGERS = [
  { table: 'appeals', trigger: 'appeals_rating_days_insert' },
  { table: 'merchant_answers', trigger: 'answers_rating_days_insert' },
] as const;

/** What the writer did besides writing rows, in ms (PostgreSQL: rebuilding indexes and foreign keys). */
export interface WriterTimings {
  restoreMs: number;
}

/**
 * Runs `work` in one transaction with the fastest writer the connection offers. COPY needs the
 * raw client: postgres.js on PostgreSQL, the PGlite instance when this process holds the data
 * directory; a command sharing a running server's PGlite has neither and falls back to batches.
 * On PostgreSQL the indexes and foreign keys of `tables` are set aside during the load.
 */
export async function withRowWriter<T>(
  handle: DbHandle,
  tables: readonly PgTable[],
  work: (writer: RowWriter) => Promise<T>,
  timings: WriterTimings = { restoreMs: 0 },
): Promise<T> {
  if (handle.sql) {
    const result = await handle.sql.begin(async (tx) => {
      // Index builds sort in memory up to this much, per build.
      await tx`SET LOCAL maintenance_work_mem = '256MB'`;
      const restore = await setAsideIndexesAndForeignKeys(
        tx,
        tables.map((t) => getTableName(t)),
      );
      const value = await work(postgresWriter(tx));
      const started = performance.now();
      await restore();
      timings.restoreMs = performance.now() - started;
      return value;
    });
    return result as T;
  }
  // PGlite loads are small (the scale sizes are for PostgreSQL): rows go in with the indexes in place.
  if (handle.pglite) {
    const pglite: PGlite = handle.pglite;
    return pglite.transaction((tx) => work(pgliteWriter(tx)));
  }
  return handle.db.transaction((tx) => work(jsonWriter(tx)));
}

/** Updates the planner's statistics after a bulk load (every table, as plain `ANALYZE` does). */
export async function analyze(db: Db): Promise<void> {
  await db.execute(sql`ANALYZE`);
}
