import { and, asc, eq, gt, lte, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db';
import { events, eventsPruned } from '../db/schema';
import { rowsOf } from '../db/rows';
import { copyIn, postgresClient } from '../db/copy-in';
import { escapeCopyText } from '../db/copy-text';
import type { Delivered, EventType, PendingEvent, RegistryEvent } from './events';
import { placeEvents } from './regions';

/** The NOTIFY channel that wakes the nodes; its payload (the highest new position) is a hint only. */
export const EVENT_CHANNEL = 'registry_events';

/**
 * Key of the transaction-level advisory lock every writer of the log takes just before it
 * appends. A position is drawn from a sequence when the row is inserted, but becomes visible
 * when its transaction commits: without the lock a transaction could commit position 7 while 6
 * is still open, and a node that read 7 would skip 6 for good. Held from the append to the
 * commit (the last statements of the transaction), so positions become visible in order.
 */
const EVENT_LOG_LOCK_KEY = 4_213_000_003;

/** Rows per INSERT: an import batch of thousands of appeals is a few statements. */
const ROWS_PER_INSERT = 1000;

/** From this many rows, with `copy`, one COPY: an import batch's events cost no bind parameters. */
const COPY_FROM_ROWS = 100;

/** The log's COPY of many rows (bench/writes.ts times the same statement for its floor). */
export const EVENT_COPY = 'copy events (kind, region_code, merchant_id, payload) from stdin';

/** Placed events as the COPY text of `EVENT_COPY`. */
export function eventCopyText(placed: readonly RegistryEvent[]): string {
  return placed.map((e) => `${escapeCopyText(e.type)}\t${escapeCopyText(e.regionCode)}\t${e.merchantId ?? '\\N'}\t${escapeCopyText(JSON.stringify(e))}\n`).join('');
}

/**
 * Appends `pending` to the event log inside `tx` (placing each in its merchant's region, one
 * query) and wakes every node with one NOTIFY, delivered at commit. Call it as the last write of
 * the transaction: it holds the log's lock until the commit. Returns the events written. With
 * `copy` (the caller knows its connection has COPY), many rows go in one COPY on postgres.js.
 */
export async function appendEvents(tx: DbOrTx, pending: readonly PendingEvent[], options: { copy?: boolean } = {}): Promise<RegistryEvent[]> {
  const placed = await placeEvents(tx, pending);
  if (placed.length === 0) return placed;
  await tx.execute(sql`select pg_advisory_xact_lock(${EVENT_LOG_LOCK_KEY})`);
  let last = 0;
  const client = options.copy && placed.length >= COPY_FROM_ROWS ? postgresClient(tx) : undefined;
  if (client) {
    await copyIn(client, EVENT_COPY, eventCopyText(placed));
    // The positions this session drew last: the highest of the rows just copied.
    const [row] = rowsOf<{ last: number }>(await tx.execute(sql`select currval(pg_get_serial_sequence('events', 'position'))::float8 as last`));
    last = row!.last;
  }
  for (let i = 0; !client && i < placed.length; i += ROWS_PER_INSERT) {
    const rows = await tx
      .insert(events)
      .values(placed.slice(i, i + ROWS_PER_INSERT).map((e) => ({ kind: e.type, regionCode: e.regionCode, merchantId: e.merchantId, payload: e })))
      .returning({ position: events.position });
    for (const row of rows) last = Math.max(last, row.position);
  }
  // One wake-up per transaction, however many rows: the nodes read the rows from the log.
  await tx.execute(sql`select pg_notify(${EVENT_CHANNEL}, ${String(last)})`);
  return placed;
}

/** A row of the log as a node delivers it (a fresh memo: loads are shared per event, per node). */
export function deliveredOf(row: { position: number; payload: unknown }): Delivered {
  return { ...(row.payload as RegistryEvent), position: row.position, cursor: String(row.position), memo: new Map() };
}

/** Events after `after`, in order, at most `limit`, optionally of one type and up to `through`. */
export async function readEvents(
  db: DbOrTx,
  after: number,
  limit: number,
  options: { type?: EventType; through?: number } = {},
): Promise<Delivered[]> {
  const rows = await db
    .select({ position: events.position, payload: events.payload })
    .from(events)
    .where(
      and(
        gt(events.position, after),
        options.through !== undefined ? lte(events.position, options.through) : undefined,
        options.type ? eq(events.kind, options.type) : undefined,
      ),
    )
    .orderBy(asc(events.position))
    .limit(limit);
  return rows.map(deliveredOf);
}

/** The highest committed position (0 for an empty log). */
export async function lastPosition(db: DbOrTx): Promise<number> {
  const [row] = rowsOf<{ last: string | number | null }>(await db.execute(sql`select max(position) as last from events`));
  return Number(row?.last ?? 0);
}

/** The highest position the retention prune removed: a cursor below it may have missed events. */
export async function prunedThrough(db: DbOrTx): Promise<number> {
  const [row] = await db.select({ through: eventsPruned.through }).from(eventsPruned).where(eq(eventsPruned.id, 1));
  return Number(row?.through ?? 0);
}

/**
 * Deletes the events older than `retentionDays` (a prefix of the log: everything up to the
 * newest position written before the cut-off) and records how far it pruned. Returns the rows removed.
 */
export async function pruneEvents(db: DbOrTx, retentionDays: number, now: Date = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
  const [row] = rowsOf<{ through: string | number | null; removed: string | number }>(
    await db.execute(sql`
      with cut as (select max(position) as through from events where created_at < ${cutoff.toISOString()}::timestamptz),
      gone as (delete from events where position <= (select through from cut) returning position),
      mark as (
        insert into events_pruned (id, through) select 1, through from cut where through is not null
        on conflict (id) do update set through = greatest(events_pruned.through, excluded.through)
      )
      select (select through from cut) as through, (select count(*) from gone) as removed`),
  );
  return Number(row?.removed ?? 0);
}
