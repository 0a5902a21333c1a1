/**
 * The set-based half of the appeal import: a batch's checked rows go into a temporary staging
 * table in one COPY (or, where COPY is not available, one multi-row INSERT from a JSON array),
 * and one statement moves them into `appeals` with their transitions. Deadlines and transitions
 * are computed in Node by the domain (`prepareAppeal`) and travel in the staged rows: no per-row
 * SQL, no per-row bind parameters.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { getTableColumns, sql } from 'drizzle-orm';
import type postgres from 'postgres';
import type { Tx } from '../../db';
import { COPY_ENCODERS, escapeCopyText } from '../../db/copy-text';
import { rowsOf } from '../../db/rows';
import { appeals } from '../../db/schema';
import type { AppealInsert, TransitionInsert } from './appeal.records';

/** A checked row of the import: the appeal and its transitions (their actor is the import's). */
export interface StagedAppeal {
  appeal: AppealInsert;
  transitions: Omit<TransitionInsert, 'appealId'>[];
}

/** Columns the database fills (id, version, timestamps of the row itself) are not staged. */
const DATABASE_FILLED = new Set(['id', 'version', 'createdAt', 'updatedAt']);

/** The staged columns of `appeals`: drizzle key, SQL name, COPY text encoder. */
const STAGE_COLUMNS = Object.entries(getTableColumns(appeals))
  .filter(([key]) => !DATABASE_FILLED.has(key))
  .map(([key, column]) => {
    const encode = COPY_ENCODERS[column.columnType];
    if (!encode) throw new Error(`appeal import staging: no COPY text form for ${column.name} (${column.columnType})`);
    return { key: key as keyof AppealInsert, name: column.name, encode };
  });

const COLUMN_LIST = STAGE_COLUMNS.map((c) => `"${c.name}"`).join(', ');

/** The transitions of one appeal as `jsonb_populate_recordset(null::appeal_transitions, …)` reads them. */
function transitionsJson(transitions: StagedAppeal['transitions']): unknown[] {
  return transitions.map((t) => ({ from_status: t.fromStatus ?? null, to_status: t.toStatus, at: t.at, reason: t.reason ?? null, detail: t.detail ?? null }));
}

/** The rows as COPY text: one line each, tab-separated, `\N` for null; the transitions as JSON last. */
function copyText(rows: readonly StagedAppeal[]): string {
  // Joined arrays, not `+=`: one flat string per batch rather than a rope the GC walks.
  const lines = new Array<string>(rows.length + 1);
  const cells = new Array<string>(STAGE_COLUMNS.length + 1);
  for (let r = 0; r < rows.length; r++) {
    const appeal = rows[r]!.appeal as Record<string, unknown>;
    for (let c = 0; c < STAGE_COLUMNS.length; c++) {
      const column = STAGE_COLUMNS[c]!;
      const value = appeal[column.key];
      cells[c] = value === null || value === undefined ? '\\N' : column.encode(value);
    }
    cells[STAGE_COLUMNS.length] = escapeCopyText(JSON.stringify(transitionsJson(rows[r]!.transitions)));
    lines[r] = cells.join('\t');
  }
  lines[rows.length] = '';
  return lines.join('\n');
}

/** The postgres.js transaction under a drizzle one, when that is the driver (COPY needs it). */
function postgresClient(tx: Tx): postgres.TransactionSql | undefined {
  // drizzle keeps the driver's transaction as its session's `client`; PGlite's has no `unsafe`.
  const client = (tx as unknown as { session?: { client?: unknown } }).session?.client as Partial<postgres.TransactionSql> | undefined;
  return client && typeof client.unsafe === 'function' ? (client as postgres.TransactionSql) : undefined;
}

/** How `stageAndInsert` loads the staging table. */
export type StageMethod = 'copy' | 'values';

/** What one staged batch added. */
export interface StagedOutcome {
  /** Appeals inserted (rows whose external id was recorded meanwhile are skipped). */
  inserted: number;
  /** The merchants of the inserted appeals, once each. */
  merchantIds: string[];
  /** Each inserted appeal's id by its external id (what the batch announces). */
  added: { id: string; externalId: string }[];
}

/**
 * Loads `rows` into a staging table of this transaction (COPY on PostgreSQL, a JSON array
 * otherwise: PGlite, or `method: 'values'`), then inserts them into `appeals` with their
 * transitions in one statement, skipping external ids already recorded (ON CONFLICT DO NOTHING
 * on the unique index: a concurrent import commits each appeal once). Rows must carry an
 * external id, distinct within the batch.
 */
export async function stageAndInsert(tx: Tx, rows: readonly StagedAppeal[], actor: string, method: StageMethod = 'copy'): Promise<StagedOutcome> {
  if (rows.length === 0) return { inserted: 0, merchantIds: [], added: [] };
  // The staging table takes its column types (enums, dates) from `appeals` itself; dropped at commit.
  await tx.execute(
    sql.raw(`create temp table appeal_import_stage on commit drop as select ${COLUMN_LIST}, null::jsonb as transitions from appeals with no data`),
  );
  const client = method === 'copy' ? postgresClient(tx) : undefined;
  if (client) {
    const stream = await client.unsafe(`copy appeal_import_stage (${COLUMN_LIST}, transitions) from stdin`).writable();
    // The writable finishes once the server has completed the COPY; a refusal rejects it
    // (patches/postgres+3.4.9.patch, porsager/postgres#1173).
    await pipeline(Readable.from([Buffer.from(copyText(rows))]), stream);
  } else {
    const records = rows.map(({ appeal, transitions }) => {
      const out: Record<string, unknown> = { transitions: transitionsJson(transitions) };
      for (const column of STAGE_COLUMNS) out[column.name] = (appeal as Record<string, unknown>)[column.key] ?? null;
      return out;
    });
    await tx.execute(sql`insert into appeal_import_stage select * from jsonb_populate_recordset(null::appeal_import_stage, ${JSON.stringify(records)}::jsonb)`);
  }
  const [outcome] = rowsOf<{ inserted: number; merchant_ids: string[]; added: [string, string][] | string }>(
    await tx.execute(sql`
      with added as (
        insert into appeals (${sql.raw(COLUMN_LIST)})
        select ${sql.raw(COLUMN_LIST)} from appeal_import_stage
        on conflict (external_id) do nothing
        returning id, external_id, merchant_id
      ), transitions as (
        insert into appeal_transitions (appeal_id, from_status, to_status, at, actor, reason, detail)
        select added.id, t.from_status, t.to_status, t.at, ${actor}, t.reason, t.detail
        from added
        join appeal_import_stage s on s.external_id = added.external_id
        cross join lateral jsonb_populate_recordset(null::appeal_transitions, s.transitions) t
      )
      select count(*)::int as inserted,
             coalesce(array_agg(distinct merchant_id::text) filter (where merchant_id is not null), '{}') as merchant_ids,
             coalesce(json_agg(json_build_array(id::text, external_id)), '[]'::json)::text as added
      from added`),
  );
  // A second batch in the same transaction (a caller's own) starts from an empty table again.
  await tx.execute(sql`drop table appeal_import_stage`);
  // Sent as text: both drivers hand it back alike.
  const added = (JSON.parse(outcome!.added as string) as [string, string][]).map(([id, externalId]) => ({ id, externalId }));
  return { inserted: outcome!.inserted, merchantIds: outcome!.merchant_ids, added };
}
