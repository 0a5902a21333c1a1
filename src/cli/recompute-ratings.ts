import { parseArgs } from 'node:util';
import { Presets, SingleBar } from 'cli-progress';
import { loadConfig } from '../config';
import { createDb } from '../db';
import { migrateDb, withStartupLock } from '../db/migrate';
import { isLocalDate, shanghaiToday } from '../domain/local-date';
import { recomputeAllRatings } from '../modules/rating/rating.store';

/**
 * `npm run ratings:recompute -- [--as-of YYYY-MM-DD]`: re-rates every merchant for a day (today in
 * Asia/Shanghai by default) in set-based batches, storing changes with cause `ratings.recompute`.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'as-of': { type: 'string' }, 'batch-size': { type: 'string', default: '500' } } });
  const asOf = values['as-of'] ?? shanghaiToday();
  if (!isLocalDate(asOf)) throw new Error(`--as-of must be a date YYYY-MM-DD, got '${asOf}'`);
  const batchSize = Number(values['batch-size']);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 5000) throw new Error('--batch-size must be from 1 to 5000');

  const config = loadConfig();
  const handle = await createDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const bar = process.stderr.isTTY ? new SingleBar({ format: 'merchants {bar} {percentage}% {value}/{total}', stream: process.stderr }, Presets.shades_classic) : undefined;
  try {
    await withStartupLock(handle, () => migrateDb(handle));
    const started = Date.now();
    let barStarted = false;
    const result = await recomputeAllRatings(handle.db, asOf, 'ratings.recompute', {
      batchSize,
      onBatch: (done, total) => {
        if (!bar) return;
        if (!barStarted) bar.start(total, 0);
        barStarted = true;
        bar.update(done);
      },
    });
    bar?.stop();
    const seconds = (Date.now() - started) / 1000;
    process.stdout.write(
      `re-rated ${result.merchants} merchants as of ${asOf} in ${seconds.toFixed(1)} s; ${result.changed} changed score or grade\n`,
    );
  } finally {
    bar?.stop();
    await handle.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`ratings:recompute failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
