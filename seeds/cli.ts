/**
 * `npm run db:seed [-- --seed=N --merchants=N]`: migrates the configured database and loads the
 * demo data set. DATABASE_URL selects PostgreSQL; otherwise PGlite in DATA_DIR (./data/pglite).
 * Running it again inserts nothing new.
 *
 * `npm run db:seed -- --scale N [--seed=N]`: instead loads the scale seed (seeds/scale.ts) into an
 * empty database: N merchants and ten times as many appeals, by COPY, then ANALYZE.
 */
import { parseArgs } from 'node:util';
import { SingleBar, Presets } from 'cli-progress';
import { loadConfig } from '../src/config';
import type { DbHandle } from '../src/db';
import { describeTarget, openCommandDb } from '../src/db/command-db';
import { migrateDb, withStartupLock } from '../src/db/migrate';
import { seedDemo } from './load';
import { seedScale } from './scale-load';

function integerOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new Error(`--${name} must be an integer, got '${value}'`);
  return n;
}

/** A progress bar on a terminal only; logs in CI stay one line per step. */
function progressBar(format: string): SingleBar | undefined {
  return process.stdout.isTTY ? new SingleBar({ format, hideCursor: true }, Presets.shades_classic) : undefined;
}

function printRows(rows: Record<string, number>): void {
  const width = Math.max(...Object.keys(rows).map((k) => k.length));
  for (const [table, n] of Object.entries(rows)) console.log(`  ${table.padEnd(width)}  ${String(n).padStart(9)}`);
}

async function loadDemo(db: DbHandle, seed: number | undefined, merchants: number | undefined): Promise<void> {
  const bar = progressBar('rows {bar} {percentage}% {value}/{total}');
  let barStarted = false;
  const started = Date.now();
  try {
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
    printRows(inserted);
    console.log(
      total === 0
        ? 'Nothing inserted: this demo data set was already loaded.'
        : `Inserted ${total} rows in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
    );
  } finally {
    bar?.stop();
  }
}

async function loadScale(db: DbHandle, seed: number | undefined, merchants: number): Promise<void> {
  const bar = progressBar('merchants {bar} {percentage}% {value}/{total} | {rows} rows | {duration_formatted} (ETA {eta_formatted})');
  const started = Date.now();
  try {
    const result = await withStartupLock(db, async () => {
      await migrateDb(db);
      bar?.start(merchants, 0, { rows: 0 });
      return seedScale(db, {
        merchants,
        seed,
        onProgress: (p) => bar?.update(p.merchantsDone, { rows: p.rowsWritten }),
      });
    });
    bar?.stop();
    printRows(result.rows);
    const total = Object.values(result.rows).reduce((sum, n) => sum + n, 0);
    const s = (ms: number) => (ms / 1000).toFixed(1);
    console.log(
      `Wrote ${total} rows by ${result.method} and analysed them in ${s(Date.now() - started)} s ` +
        `(drawing ${s(result.ms.generate)} s, rating ${s(result.ms.rate)} s and encoding ${s(result.ms.encode)} s, overlapping ` +
        `writing ${s(result.ms.write)} s; indexes and foreign keys ${s(result.ms.restore)} s, ANALYZE ${s(result.ms.analyze)} s).`,
    );
  } finally {
    bar?.stop();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { seed: { type: 'string' }, merchants: { type: 'string' }, scale: { type: 'string' } } });
  const seed = integerOption(values.seed, 'seed');
  const merchants = integerOption(values.merchants, 'merchants');
  const scale = integerOption(values.scale, 'scale');
  if (scale !== undefined && merchants !== undefined) throw new Error('--scale gives the number of merchants itself; leave out --merchants');

  // The same variables as the server (and db:migrate), read the same way.
  const { databaseUrl, dataDir } = loadConfig();

  let handle: DbHandle | undefined;
  try {
    handle = await openCommandDb({ databaseUrl, dataDir });
    console.log(`Seeding ${describeTarget(handle, { databaseUrl, dataDir })}${scale === undefined ? '' : ` at scale: ${scale} merchants`}`);
    if (scale === undefined) await loadDemo(handle, seed, merchants);
    else await loadScale(handle, seed, scale);
  } finally {
    await handle?.close();
  }
}

main().catch((error: unknown) => {
  console.error(`db:seed failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
