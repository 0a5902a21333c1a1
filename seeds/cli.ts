/**
 * `npm run db:seed [-- --seed=N --merchants=N]`: migrates the configured database and loads the
 * demo data set. DATABASE_URL selects PostgreSQL; otherwise PGlite in DATA_DIR (./data/pglite).
 * Running it again inserts nothing new.
 */
import { parseArgs } from 'node:util';
import { SingleBar, Presets } from 'cli-progress';
import { loadConfig } from '../src/config';
import type { DbHandle } from '../src/db';
import { describeTarget, openCommandDb } from '../src/db/command-db';
import { migrateDb, withStartupLock } from '../src/db/migrate';
import { seedDemo } from './load';

function integerOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new Error(`--${name} must be an integer, got '${value}'`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { seed: { type: 'string' }, merchants: { type: 'string' } } });
  const seed = integerOption(values.seed, 'seed');
  const merchants = integerOption(values.merchants, 'merchants');

  // The same variables as the server (and db:migrate), read the same way.
  const { databaseUrl, dataDir } = loadConfig();

  let handle: DbHandle | undefined;
  // Only a terminal gets a progress bar; logs in CI stay one line per step.
  const bar = process.stdout.isTTY ? new SingleBar({ format: 'rows {bar} {percentage}% {value}/{total}', hideCursor: true }, Presets.shades_classic) : undefined;
  let barStarted = false;
  try {
    handle = await openCommandDb({ databaseUrl, dataDir });
    console.log(`Seeding ${describeTarget(handle, { databaseUrl, dataDir })}`);
    const db = handle;
    const started = Date.now();
    const { inserted } = await withStartupLock(db, async () => {
      await migrateDb(db);
      return seedDemo(db.db, {
        seed,
        merchants,
        onProgress: (done, total) => {
          if (!bar) return;
          if (!barStarted) bar.start(total, 0);
          barStarted = true;
          bar.update(done);
        },
      });
    });
    bar?.stop();

    const total = Object.values(inserted).reduce((sum, n) => sum + n, 0);
    const width = Math.max(...Object.keys(inserted).map((k) => k.length));
    for (const [table, n] of Object.entries(inserted)) console.log(`  ${table.padEnd(width)}  ${String(n).padStart(6)}`);
    console.log(
      total === 0
        ? 'Nothing inserted: this demo data set was already loaded.'
        : `Inserted ${total} rows in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
    );
  } finally {
    bar?.stop();
    await handle?.close();
  }
}

main().catch((error: unknown) => {
  console.error(`db:seed failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
