import { loadConfig } from '../config';
import { describeTarget, openCommandDb } from '../db/command-db';
import { migrateDb, withStartupLock } from '../db/migrate';

/** `npm run db:migrate`: applies the committed migrations to the configured database. */
async function main(): Promise<void> {
  const config = loadConfig();
  const handle = await openCommandDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await withStartupLock(handle, () => migrateDb(handle));
    process.stdout.write(`migrated ${describeTarget(handle, config)}\n`);
  } finally {
    await handle.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`db:migrate failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
