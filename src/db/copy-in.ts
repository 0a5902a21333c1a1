/**
 * `COPY … FROM STDIN` through postgres.js inside a drizzle transaction: the bulk writers (the
 * appeal import, the event log's large appends) load rows as COPY text rather than as bind
 * parameters, which PostgreSQL parses far faster and Node never has to build.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type postgres from 'postgres';
import type { DbOrTx } from './index';

/** The postgres.js transaction under a drizzle one, when that is the driver (COPY needs it). */
export function postgresClient(tx: DbOrTx): postgres.TransactionSql | undefined {
  // drizzle keeps the driver's transaction as its session's `client`; PGlite's has no `unsafe`.
  const client = (tx as unknown as { session?: { client?: unknown } }).session?.client as Partial<postgres.TransactionSql> | undefined;
  return client && typeof client.unsafe === 'function' ? (client as postgres.TransactionSql) : undefined;
}

/**
 * Runs `copy … from stdin` with `text` (COPY text format, one line per row, each ending in `\n`);
 * a Buffer is sent as it is (the bench times COPYs of text encoded beforehand).
 */
export async function copyIn(client: postgres.TransactionSql, statement: string, text: string | Buffer): Promise<void> {
  if (text.length === 0) return;
  const stream = await client.unsafe(statement).writable();
  // The writable finishes once the server has completed the COPY (constraints and triggers
  // run); a refusal rejects it (patches/postgres+3.4.9.patch, porsager/postgres#1173).
  await pipeline(Readable.from([typeof text === 'string' ? Buffer.from(text) : text]), stream);
}
