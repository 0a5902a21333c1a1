import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { inArray } from 'drizzle-orm';
import { Presets, SingleBar } from 'cli-progress';
import { loadConfig } from '../config';
import type { Db } from '../db';
import { openCommandDb } from '../db/command-db';
import { merchants } from '../db/schema';
import { migrateDb, withStartupLock } from '../db/migrate';
import { isLocalDate, shanghaiToday } from '../domain/local-date';
import { rateAllAsOf, recomputeAllRatings, type PastRating } from '../modules/rating/rating.store';

const USAGE = `usage: npm run ratings:recompute -- [--as-of YYYY-MM-DD] [--out FILE|-] [--batch-size N]
  without --as-of (or with today's date): re-rates every merchant and stores what changed
  with --as-of another day: writes the ratings of that day as CSV (default reports/ratings-as-of-DAY.csv,
  '-' for standard output) and stores nothing
  --batch-size: merchants rated and written together (default 5000, at most 5000)`;

/**
 * `npm run ratings:recompute`: re-rates every merchant as of today (Asia/Shanghai) and stores the
 * changes with cause `ratings.recompute`. With `--as-of` another day it only exports that day's
 * ratings as CSV: a rating of the past must never replace the current one.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'as-of': { type: 'string' },
      out: { type: 'string' },
      'batch-size': { type: 'string', default: '5000' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const today = shanghaiToday();
  const asOf = values['as-of'] ?? today;
  if (!isLocalDate(asOf)) throw new Error(`--as-of must be a date YYYY-MM-DD, got '${asOf}'\n${USAGE}`);
  const batchSize = Number(values['batch-size']);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 5000) throw new Error('--batch-size must be from 1 to 5000');
  const exporting = asOf !== today;
  if (!exporting && values.out) throw new Error(`--out goes with --as-of another day than today (${today})`);

  const config = loadConfig();
  const handle = await openCommandDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const bar = process.stderr.isTTY ? new SingleBar({ format: 'merchants {bar} {percentage}% {value}/{total}', stream: process.stderr }, Presets.shades_classic) : undefined;
  let barStarted = false;
  const onBatch = (done: number, total: number) => {
    if (!bar) return;
    if (!barStarted) bar.start(total, 0);
    barStarted = true;
    bar.update(done);
  };
  try {
    await withStartupLock(handle, () => migrateDb(handle));
    const started = Date.now();
    if (exporting) {
      const target = values.out ?? `reports/ratings-as-of-${asOf}.csv`;
      const result = await exportRatings(handle.db, asOf, target, batchSize, onBatch);
      bar?.stop();
      process.stderr.write(
        `rated ${result.merchants} merchants as of ${asOf} in ${((Date.now() - started) / 1000).toFixed(1)} s; stored ratings untouched` +
          (target === '-' ? '\n' : `; wrote ${resolve(target)}\n`),
      );
      return;
    }
    const result = await recomputeAllRatings(handle.db, asOf, 'ratings.recompute', { batchSize, onBatch });
    bar?.stop();
    process.stdout.write(
      `re-rated ${result.merchants} merchants as of ${asOf} in ${((Date.now() - started) / 1000).toFixed(1)} s; ${result.changed} changed score or grade\n`,
    );
  } finally {
    bar?.stop();
    await handle.close();
  }
}

const FACTOR_COLUMNS = [
  'responsiveness',
  'resolution',
  'volume',
  'pledge',
  'disputeChannel',
  'tenure',
  'pledgeViolations',
  'substantiatedReports',
  'complaintPattern',
  'compensationFund',
  'praise',
  'clamp',
  'cap',
] as const;

/** Writes every merchant's rating as of `asOf` as CSV (one row a merchant, factor points as columns). */
async function exportRatings(db: Db, asOf: string, target: string, batchSize: number, onBatch: (done: number, total: number) => void) {
  let out: WriteStream | NodeJS.WriteStream;
  if (target === '-') out = process.stdout;
  else {
    mkdirSync(dirname(resolve(target)), { recursive: true });
    out = createWriteStream(target);
  }
  const write = (line: string) =>
    new Promise<void>((done, fail) => {
      if (out.write(`${line}\n`)) done();
      else {
        // One listener pair per wait, removed again, so a long export does not pile them up.
        const onDrain = () => {
          out.off('error', onError);
          done();
        };
        const onError = (error: Error) => {
          out.off('drain', onDrain);
          fail(error);
        };
        out.once('drain', onDrain).once('error', onError);
      }
    });
  await write(['merchant_id', 'uscc', 'name', 'region_code', 'as_of', 'score', 'grade', ...FACTOR_COLUMNS].join(','));
  const result = await rateAllAsOf(
    db,
    asOf,
    async (batch: PastRating[]) => {
      const ids = batch.map((r) => r.merchantId);
      const rows = await db.select({ id: merchants.id, uscc: merchants.uscc, name: merchants.name, regionCode: merchants.regionCode }).from(merchants).where(inArray(merchants.id, ids));
      const byId = new Map(rows.map((r) => [r.id, r]));
      for (const { merchantId, rating } of batch) {
        const m = byId.get(merchantId);
        const points = new Map(rating.factors.map((f) => [f.key as string, f.points]));
        const cells = [merchantId, m?.uscc ?? '', m?.name ?? '', m?.regionCode ?? '', asOf, rating.score.toFixed(2), rating.grade];
        await write([...cells, ...FACTOR_COLUMNS.map((k) => (points.has(k) ? points.get(k)!.toFixed(2) : ''))].map(csvCell).join(','));
      }
    },
    { batchSize, onBatch },
  );
  if (out !== process.stdout) await new Promise<void>((done) => (out as WriteStream).end(done));
  return result;
}

/** One CSV cell (RFC 4180): quoted when it holds a comma, quote or line break. */
function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

main().catch((error: unknown) => {
  process.stderr.write(`ratings:recompute failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
