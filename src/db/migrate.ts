import { join } from 'node:path';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { projectRoot } from '../util/project-root';
import type { DbHandle } from './index';

/** Key of the advisory lock that serialises start-up work (migrations, first seed) across nodes. */
const STARTUP_LOCK_KEY = 4_213_000_001;

export function migrationsFolder(): string {
  return join(projectRoot(), 'drizzle');
}

/**
 * Runs `work` while holding the start-up advisory lock. Concurrent drizzle migrations on
 * PostgreSQL race on the catalog; the lock is held on a reserved connection so that every node
 * waits its turn. PGlite is single-process (the data-dir lock), so it needs none.
 */
export async function withStartupLock<T>(handle: DbHandle, work: () => Promise<T>): Promise<T> {
  if (!handle.sql) return work();
  const reserved = await handle.sql.reserve();
  try {
    await reserved`select pg_advisory_lock(${STARTUP_LOCK_KEY})`;
    try {
      return await work();
    } finally {
      await reserved`select pg_advisory_unlock(${STARTUP_LOCK_KEY})`;
    }
  } finally {
    reserved.release();
  }
}

/** Applies the committed drizzle-kit migrations in `drizzle/` (idempotent). */
export async function migrateDb(handle: DbHandle): Promise<void> {
  const config = { migrationsFolder: migrationsFolder() };
  if (handle.driver === 'pglite') {
    await migratePglite(handle.db as unknown as PgliteDatabase, config);
  } else {
    await migratePostgres(handle.db as unknown as PostgresJsDatabase, config);
  }
}
