/**
 * `npm run import:appeals -- FILE.csv [--batch-size=10000] [--actor=NAME]`: imports a 12315 export
 * (columns in docs/appeals-import.md) into the configured database. DATABASE_URL selects
 * PostgreSQL; otherwise PGlite in DATA_DIR. Safe to run again on the same or an overlapping file:
 * appeals already recorded (by external_id) are counted, not written twice.
 *
 * Exit codes: 0 the file was processed (bad rows, if any, are printed and skipped); 1 the file
 * could not be read or imported; 2 wrong arguments.
 */
// The audit scope is a request context, whose services load type-graphql's decorated types.
import 'reflect-metadata';
import { createReadStream } from 'node:fs';
import { access, constants, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import { loadConfig } from '../config';
import type { DbHandle } from '../db';
import { describeTarget, openCommandDb } from '../db/command-db';
import { describeCounts, progressLine } from './import-progress';
import { migrateDb, withStartupLock } from '../db/migrate';
import { AppealImportFileError, DEFAULT_BATCH_SIZE, importAppeals, type ImportProblem, type ImportProgress } from '../modules/appeal/appeal.import';

const USAGE = 'usage: npm run import:appeals -- FILE.csv [--batch-size=10000] [--actor=NAME]';
/** Without a terminal, one progress line this often keeps CI logs readable. */
const LOG_EVERY_MS = 5_000;

class UsageError extends Error {}

function options() {
  let parsed;
  try {
    parsed = parseArgs({ allowPositionals: true, options: { 'batch-size': { type: 'string' }, actor: { type: 'string' } } });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new UsageError('give exactly one CSV file');
  const batchSize = values['batch-size'] === undefined ? DEFAULT_BATCH_SIZE : Number(values['batch-size']);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 20_000) throw new UsageError(`--batch-size must be a whole number from 1 to 20000`);
  return { file: positionals[0]!, batchSize, actor: values.actor?.trim() || `cli:${process.env.USER ?? 'unknown'}` };
}

const formatProblem = (p: ImportProblem) => `line ${p.line}: ${p.field}: ${p.message}`;
/** Whether batches may have been written, which makes "run it again" the advice on failure. */
let importing = false;

async function main(): Promise<number> {
  const { file, batchSize, actor } = options();
  // Fail on an unreadable file before opening (and migrating) the database.
  await access(file, constants.R_OK);
  const { size } = await stat(file);

  const { databaseUrl, dataDir } = loadConfig();
  const shown = size < 1024 * 1024 ? `${Math.ceil(size / 1024)} KB` : `${(size / 1024 / 1024).toFixed(1)} MB`;

  const tty = Boolean(process.stderr.isTTY);
  const bars = tty ? new MultiBar({ format: 'appeals {bar} {percentage}% of the file | {read} rows read: {inserted} new, {alreadyPresent} present, {badRows} bad', hideCursor: true, stream: process.stderr }, Presets.shades_classic) : undefined;
  let bar: SingleBar | undefined;
  let lastLog = Date.now();
  const stopBars = () => {
    if (!bars?.isActive) return;
    // stop() drops lines still waiting in log(); a last redraw prints them.
    bars.update();
    bars.stop();
  };

  let handle: DbHandle | undefined;
  try {
    handle = await openCommandDb({ databaseUrl, dataDir });
    process.stderr.write(`Importing ${file} (${shown}) into ${describeTarget(handle, { databaseUrl, dataDir })}\n`);
    const db = handle;
    // Only the migration needs the start-up lock; a long import must not hold back servers starting.
    await withStartupLock(db, () => migrateDb(db));
    importing = true;
    bar = bars?.create(size, 0, { read: 0, inserted: 0, alreadyPresent: 0, badRows: 0 });
    const started = Date.now();
    lastLog = started;

    const summary = await importAppeals(db.db, createReadStream(file), {
      actor,
      batchSize,
      sourceName: basename(file),
      // A running server's PGlite is reached over its socket, which has no COPY.
      stage: db.servedBy ? 'values' : 'copy',
      // Problems are printed as they come; a million-row file must not keep them all.
      keepProblems: 0,
      onProblem: (problem) => (bars ? bars.log(`${formatProblem(problem)}\n`) : process.stdout.write(`${formatProblem(problem)}\n`)),
      onProgress: (progress: ImportProgress) => {
        if (bar) {
          bar.update(progress.bytesRead, { ...progress });
        } else if (Date.now() - lastLog >= LOG_EVERY_MS) {
          const line = progressLine(progress, size);
          if (line === undefined) return;
          lastLog = Date.now();
          process.stderr.write(`${line}\n`);
        }
      },
    });
    stopBars();
    const seconds = (Date.now() - started) / 1000;
    process.stdout.write(`${describeCounts(summary)} in ${seconds.toFixed(1)} s (${Math.round(summary.read / Math.max(seconds, 0.001))} rows/s)\n`);
    return 0;
  } finally {
    stopBars();
    await handle?.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`import:appeals: ${error.message}\n${USAGE}\n`);
      process.exitCode = 2;
      return;
    }
    const reason = error instanceof AppealImportFileError ? `the file cannot be imported: ${error.message}` : error instanceof Error ? error.message : String(error);
    const advice = importing ? 'Batches committed before the failure are kept; fix the cause and run again.\n' : '';
    process.stderr.write(`import:appeals failed: ${reason}\n${advice}`);
    process.exitCode = 1;
  },
);
