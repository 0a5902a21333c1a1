import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema';
import { createDb, DEFAULT_DATA_DIR, type Db, type DbHandle } from './index';
import { DataDirInUseError, processAlive } from './data-dir-lock';
import { readAnnouncement } from './pglite-serve';

export interface CommandDbConfig {
  databaseUrl?: string;
  dataDir?: string;
  onNotice?: (message: string) => void;
}

/**
 * Opens the database for a command-line tool. Like `createDb`, except that when a running server
 * holds the PGlite data directory, the command uses the database that server serves on its
 * local socket (announced in `DATA_DIR/server.json`) instead of failing.
 */
export async function openCommandDb(config: CommandDbConfig): Promise<DbHandle> {
  try {
    return await createDb(config);
  } catch (error) {
    if (!(error instanceof DataDirInUseError)) throw error;
    return connectToServer(config.dataDir ?? DEFAULT_DATA_DIR, error.owner, config.onNotice);
  }
}

/** One line for "Importing into …" messages: where the command's data goes. */
export function describeTarget(handle: DbHandle, config: CommandDbConfig): string {
  if (config.databaseUrl) {
    // Host and database only: the URL may carry a password.
    const url = new URL(config.databaseUrl);
    return `PostgreSQL ${url.host}${url.pathname}`;
  }
  const dir = config.dataDir ?? DEFAULT_DATA_DIR;
  return handle.servedBy ? `PGlite in ${dir} (served by the running server, pid ${handle.servedBy})` : `PGlite in ${dir}`;
}

async function connectToServer(dataDir: string, owner: number, onNotice?: (message: string) => void): Promise<DbHandle> {
  const announced = readAnnouncement(dataDir);
  if (!announced || announced.pid !== owner || !processAlive(announced.pid)) {
    throw new Error(
      `The data directory ${dataDir} is in use by process ${owner}, which does not serve it to commands. ` +
        `If that is the server still starting (migrating or loading the demo data), try again once it is ready; ` +
        `otherwise stop that process first.`,
    );
  }
  const sql = postgres({
    path: announced.socket,
    // The server runs one statement at a time whatever the pool; one connection keeps it simple.
    max: 1,
    username: 'postgres',
    database: 'postgres',
    // Named statements would outlive this command in the session it shares with the server.
    prepare: false,
    onnotice: (notice) => onNotice?.(String(notice.message)),
    connection: { application_name: 'merchant-registry-command' },
  });
  try {
    await sql`select 1`;
  } catch (error) {
    await sql.end({ timeout: 1 }).catch(() => undefined);
    throw new Error(
      `The data directory ${dataDir} is in use by the server (process ${owner}), but its socket ${announced.socket} does not answer: ` +
        `${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const db = drizzlePostgres({ client: sql, schema }) as unknown as Db;
  return {
    db,
    // The wire protocol is PostgreSQL's, so the postgres.js dialect (and migrator) apply.
    driver: 'postgres',
    servedBy: owner,
    ping: async () => {
      await sql`select 1`;
    },
    close: () => sql.end({ timeout: 5 }),
  };
}
