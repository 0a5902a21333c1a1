import { mkdirSync } from 'node:fs';
import { PGlite, type Extension } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock';
import { PoolMonitor, withReadRetry, type PoolStats } from './faults';

export type Schema = typeof schema;
/** The drizzle database, whichever driver is underneath: the application code sees only this. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/** A transaction handle; it has the whole query API of `Db`. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Either the database or a transaction in progress. */
export type DbOrTx = Db | Tx;

export type Driver = 'pglite' | 'postgres';

export interface DbConfig {
  /** postgres:// URL; when unset the embedded PGlite is used. */
  databaseUrl?: string;
  /** PGlite data directory, or `memory://` for a throwaway in-memory database. */
  dataDir?: string;
  /** PGlite only: start from a dumped data directory (tests use a migrated, seeded template). */
  loadDataDir?: Blob;
  /** Pool size for postgres.js (default 10). */
  maxConnections?: number;
  /**
   * PostgreSQL only (default true): every statement is a named prepared statement, parsed and
   * planned once per connection. Off where a pooler in transaction mode (PgBouncer) sits between.
   */
  prepare?: boolean;
  /**
   * PostgreSQL only: `statement_timeout` of every connection, in ms (0 or unset: none). PGlite
   * runs statements on this thread, where no timer can interrupt them.
   */
  statementTimeoutMs?: number;
  /** PostgreSQL only: `idle_in_transaction_session_timeout` of every connection, in ms (0 or unset: none). */
  idleInTransactionTimeoutMs?: number;
  /** Called for every SQL statement drizzle sends (tests count statements with it). */
  onQuery?: (query: string, params: unknown[]) => void;
  /** Called with PostgreSQL notices (postgres.js prints them otherwise). */
  onNotice?: (message: string) => void;
}

export interface DbHandle {
  db: Db;
  driver: Driver;
  /** The raw clients, for the few things drizzle does not cover (advisory locks, LISTEN, dumps). */
  pglite?: PGlite;
  sql?: postgres.Sql;
  /** PostgreSQL only: the URL, for connections of its own (the event listener). */
  url?: string;
  /** Set when this is a command's connection to the PGlite database a running server serves: its pid. */
  servedBy?: number;
  /** Resolves when the database answers a trivial query (retried once on a lost connection). */
  ping(): Promise<void>;
  /** PostgreSQL only: the pool's figures for `/readyz`. */
  poolStats?(): PoolStats;
  close(): Promise<void>;
}

// The contrib subpath's typings are ESM-only although a CommonJS build is shipped beside them.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { pg_trgm } = require('@electric-sql/pglite/contrib/pg_trgm') as { pg_trgm: Extension };

export const DEFAULT_DATA_DIR = './data/pglite';

/** The session settings the registry relies on (restored after a command shared the session). */
export const PGLITE_SESSION_SETUP = `SET TIME ZONE 'UTC'`;

/**
 * Opens the registry's database: PostgreSQL through postgres.js when `databaseUrl` is set,
 * otherwise embedded PGlite in `dataDir` (created if missing, locked against a second process).
 */
export async function createDb(config: DbConfig): Promise<DbHandle> {
  const logger = config.onQuery ? { logQuery: config.onQuery } : undefined;

  if (config.databaseUrl) {
    const max = config.maxConnections ?? 10;
    const monitor = new PoolMonitor(max);
    const prepare = config.prepare ?? true;
    const sql = postgres(config.databaseUrl, {
      max,
      prepare,
      onnotice: (notice) => config.onNotice?.(String(notice.message)),
      onclose: () => {
        monitor.connectionsClosed++;
      },
      // Day boundaries are computed explicitly in Asia/Shanghai; the session zone stays UTC so
      // that nothing depends on the server's configuration. The timeouts are startup parameters,
      // so every connection (and every reconnection) has them without an extra round trip.
      // JIT is off: PostgreSQL compiles any statement whose cost estimate passes jit_above_cost, and
      // the rating's set-based statements pass it at the demo size while running in tens of ms;
      // compiling took longer than running them (docs/rating.md, "How the inputs are gathered").
      connection: {
        TimeZone: 'UTC',
        jit: 'off',
        application_name: 'merchant-registry',
        ...(config.statementTimeoutMs ? { statement_timeout: config.statementTimeoutMs } : {}),
        ...(config.idleInTransactionTimeoutMs ? { idle_in_transaction_session_timeout: config.idleInTransactionTimeoutMs } : {}),
      },
    });
    // drizzle gets the client that retries lone reads once; the raw one stays for LISTEN, locks, dumps.
    const client = withReadRetry(sql, monitor, { prepare });
    const db = drizzlePostgres({ client, schema, logger }) as unknown as Db;
    return {
      db,
      driver: 'postgres',
      sql,
      url: config.databaseUrl,
      ping: async () => {
        await client.unsafe('select 1');
      },
      poolStats: () => monitor.stats(),
      close: () => sql.end({ timeout: 5 }),
    };
  }

  const dataDir = config.dataDir ?? DEFAULT_DATA_DIR;
  const inMemory = dataDir.startsWith('memory://');
  let lock: DataDirLock | undefined;
  if (!inMemory) {
    mkdirSync(dataDir, { recursive: true });
    lock = acquireDataDirLock(dataDir);
  }
  try {
    // pg_trgm backs the merchant name search index; PostgreSQL ships it in contrib.
    const pglite = await PGlite.create(inMemory ? undefined : dataDir, {
      loadDataDir: config.loadDataDir,
      extensions: { pg_trgm },
    });
    await pglite.exec(PGLITE_SESSION_SETUP);
    const db = drizzlePglite({ client: pglite, schema, logger }) as unknown as Db;
    let closed = false;
    return {
      db,
      driver: 'pglite',
      pglite,
      ping: async () => {
        await pglite.query('select 1');
      },
      close: async () => {
        if (closed) return;
        closed = true;
        try {
          await pglite.close();
        } finally {
          lock?.release();
        }
      },
    };
  } catch (error) {
    lock?.release();
    throw error;
  }
}
