import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import postgres from 'postgres';
import { createDb, type DbHandle, type Driver } from '../../src/db';
import { PGLITE_TEMPLATE_ENV, PG_TEMPLATE_ENV, withDatabase } from './template';

/** PGlite always; PostgreSQL too when TEST_DATABASE_URL is set (CI sets it). */
export const drivers: Driver[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export interface TestDb {
  handle: DbHandle;
  /** PostgreSQL only: the URL of this file's database, for processes started by the test. */
  url?: string;
  /** Closes the database and, on PostgreSQL, drops the copy made for this test file. */
  dispose(): Promise<void>;
}

export interface TestDbOptions {
  onQuery?: (query: string, params: unknown[]) => void;
  /** Start from an empty, unmigrated database instead of the seeded template. */
  empty?: boolean;
}

/** A private database for one test file: a copy of the migrated, seeded template. */
export async function openTestDb(driver: Driver, options: TestDbOptions = {}): Promise<TestDb> {
  if (driver === 'pglite') {
    const templatePath = process.env[PGLITE_TEMPLATE_ENV];
    if (!options.empty && !templatePath) throw new Error('global setup did not build the PGlite template');
    const loadDataDir = options.empty ? undefined : new Blob([readFileSync(templatePath!)]);
    const handle = await createDb({ dataDir: 'memory://', loadDataDir, onQuery: options.onQuery });
    return { handle, dispose: () => handle.close() };
  }

  const url = process.env.TEST_DATABASE_URL;
  const template = process.env[PG_TEMPLATE_ENV];
  if (!url || !template) throw new Error('TEST_DATABASE_URL is not set or global setup did not build the template');
  const name = `registry_t_${randomBytes(6).toString('hex')}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await (options.empty ? admin`create database ${admin(name)}` : admin`create database ${admin(name)} template ${admin(template)}`);
  } finally {
    await admin.end();
  }
  const databaseUrl = withDatabase(url, name);
  const handle = await createDb({ databaseUrl, maxConnections: 5, onQuery: options.onQuery });
  return {
    handle,
    url: databaseUrl,
    dispose: async () => {
      await handle.close();
      const dropper = postgres(url, { max: 1, onnotice: () => {} });
      try {
        await dropper`drop database if exists ${dropper(name)} with (force)`;
      } finally {
        await dropper.end();
      }
    },
  };
}
