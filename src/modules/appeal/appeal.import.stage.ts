/**
 * The set-based half of the appeal import. On PostgreSQL a batch's checked rows go straight into
 * `appeals` and `appeal_transitions` by two `COPY … FROM STDIN` (time-ordered ids made in Node,
 * so the transitions need no join back and the id indexes grow at their right edge), inside a
 * savepoint: a unique violation on `external_id` (a concurrent import committed one of these rows
 * since the batch looked) rolls back to it and the batch takes the staged path instead. That
 * path, also PGlite's and the `values` method's, loads a temporary staging table (COPY, or one
 * INSERT from a JSON array) and moves the rows with their transitions in one
 * `INSERT … SELECT … ON CONFLICT DO NOTHING`. Deadlines and transitions are computed in Node by
 * the domain (`prepareAppeal`): no per-row SQL, no per-row bind parameters.
 */
import { getTableColumns, sql } from 'drizzle-orm';
import type postgres from 'postgres';
import type { Tx } from '../../db';
import { copyIn, postgresClient } from '../../db/copy-in';
import { uuidv7 } from '../../db/uuid7';
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

/** The direct path's COPY into `appeals` (bench/writes.ts times the same statement for its floor). */
export const APPEAL_COPY = `copy appeals (id, ${COLUMN_LIST}) from stdin`;

/** The direct path's COPY into `appeal_transitions`. */
export const TRANSITION_COPY = 'copy appeal_transitions (id, appeal_id, from_status, to_status, at, actor, reason, detail) from stdin';

/** The transitions of one appeal as `jsonb_populate_recordset(null::appeal_transitions, …)` reads them. */
function transitionsJson(transitions: StagedAppeal['transitions']): unknown[] {
  return transitions.map((t) => ({ from_status: t.fromStatus ?? null, to_status: t.toStatus, at: t.at, reason: t.reason ?? null, detail: t.detail ?? null }));
}

/** Writes the COPY text of `appeal`'s staged columns into `cells` from index `from`. */
function encodeAppeal(appeal: AppealInsert, cells: string[], from: number): void {
  const values = appeal as Record<string, unknown>;
  for (let c = 0; c < STAGE_COLUMNS.length; c++) {
    const column = STAGE_COLUMNS[c]!;
    const value = values[column.key];
    cells[from + c] = value === null || value === undefined ? '\\N' : column.encode(value);
  }
}

/** The rows as COPY text for the staging table: one line each, tab-separated, `\N` for null; the transitions as JSON last. */
function stageText(rows: readonly StagedAppeal[]): string {
  // Joined arrays, not `+=`: one flat string per batch rather than a rope the GC walks.
  const lines = new Array<string>(rows.length + 1);
  const cells = new Array<string>(STAGE_COLUMNS.length + 1);
  for (let r = 0; r < rows.length; r++) {
    encodeAppeal(rows[r]!.appeal, cells, 0);
    cells[STAGE_COLUMNS.length] = escapeCopyText(JSON.stringify(transitionsJson(rows[r]!.transitions)));
    lines[r] = cells.join('\t');
  }
  lines[rows.length] = '';
  return lines.join('\n');
}

/** A batch's rows as COPY text for `appeals` and `appeal_transitions`, under ids made in Node. */
export interface PreparedCopy {
  ids: string[];
  appealText: string;
  transitionText: string;
}

/**
 * Builds the COPY text of `rows` (and their ids) for the direct path of `stageAndInsert`: pure
 * CPU work, which the import does for the next batch while the database writes the previous one.
 */
export function prepareCopy(rows: readonly StagedAppeal[], actor: string): PreparedCopy {
  // Time-ordered: the new rows append to the right edge of the id indexes (src/db/uuid7.ts).
  const ids = rows.map(() => uuidv7());
  const lines = new Array<string>(rows.length + 1);
  const transitionLines: string[] = [];
  const cells = new Array<string>(STAGE_COLUMNS.length + 1);
  const escapedActor = escapeCopyText(actor);
  for (let r = 0; r < rows.length; r++) {
    const id = ids[r]!;
    const { appeal, transitions } = rows[r]!;
    cells[0] = id;
    encodeAppeal(appeal, cells, 1);
    lines[r] = cells.join('\t');
    for (const t of transitions) {
      const detail = t.detail === null || t.detail === undefined ? '\\N' : escapeCopyText(JSON.stringify(t.detail));
      transitionLines.push(`${uuidv7()}\t${id}\t${t.fromStatus ?? '\\N'}\t${t.toStatus}\t${t.at.toISOString()}\t${escapedActor}\t${t.reason == null ? '\\N' : escapeCopyText(t.reason)}\t${detail}`);
    }
  }
  lines[rows.length] = '';
  transitionLines.push('');
  return { ids, appealText: lines.join('\n'), transitionText: transitionLines.join('\n') };
}

/** SQLSTATE of a unique violation. */
const UNIQUE_VIOLATION = '23505';

/**
 * COPY straight into the tables, in a savepoint. False (and nothing written) when an external id
 * turned out to be recorded meanwhile: the caller then takes the staged path, which skips it.
 */
async function copyDirect(client: postgres.TransactionSql, { appealText, transitionText }: PreparedCopy): Promise<boolean> {
  await client.unsafe('savepoint appeal_import_copy');
  try {
    await copyIn(client, APPEAL_COPY, appealText);
  } catch (error) {
    if ((error as { code?: unknown }).code !== UNIQUE_VIOLATION) throw error;
    await client.unsafe('rollback to savepoint appeal_import_copy');
    return false;
  }
  await copyIn(client, TRANSITION_COPY, transitionText);
  await client.unsafe('release savepoint appeal_import_copy');
  return true;
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
 * Writes `rows` with their transitions. On PostgreSQL (method `copy`): COPY into `appeals` and
 * `appeal_transitions` directly. Otherwise, or when an external id was recorded meanwhile: a
 * staging table of this transaction (COPY on PostgreSQL, a JSON array on PGlite or with
 * `method: 'values'`) and one statement that inserts them into `appeals` with their transitions,
 * skipping external ids already recorded (ON CONFLICT DO NOTHING on the unique index: a
 * concurrent import commits each appeal once). Rows must carry an external id, distinct within
 * the batch and not recorded when the batch looked. `prepared`, if given, is `prepareCopy` of
 * the same rows and actor.
 */
export async function stageAndInsert(
  tx: Tx,
  rows: readonly StagedAppeal[],
  actor: string,
  method: StageMethod = 'copy',
  prepared?: PreparedCopy,
): Promise<StagedOutcome> {
  if (rows.length === 0) return { inserted: 0, merchantIds: [], added: [] };
  const client = method === 'copy' ? postgresClient(tx) : undefined;
  if (client) {
    const { ids } = (prepared ??= prepareCopy(rows, actor));
    if (await copyDirect(client, prepared)) {
      const merchantIds = new Set<string>();
      for (const { appeal } of rows) if (appeal.merchantId) merchantIds.add(appeal.merchantId);
      return { inserted: rows.length, merchantIds: [...merchantIds], added: rows.map(({ appeal }, i) => ({ id: ids[i]!, externalId: appeal.externalId! })) };
    }
  }
  // The staging table takes its column types (enums, dates) from `appeals` itself; dropped at commit.
  await tx.execute(
    sql.raw(`create temp table appeal_import_stage on commit drop as select ${COLUMN_LIST}, null::jsonb as transitions from appeals with no data`),
  );
  if (client) {
    await copyIn(client, `copy appeal_import_stage (${COLUMN_LIST}, transitions) from stdin`, stageText(rows));
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
