/**
 * Bulk import of 12315 appeal exports (CSV). The file is streamed through csv-parse and written in
 * batches, each batch one transaction: every row checked by the shared intake rules
 * (`prepareAppeal`, deadlines included), the good ones written with their transitions by COPY
 * (appeal.import.stage.ts), and one audit-log row. The external id makes a re-run after a crash
 * or on an overlapping file safe: what is already recorded is counted, never written twice.
 *
 * Three parts: the CSV stream (appeal.import.csv.ts), the pure row mapper (appeal.import.rows.ts)
 * and the batch checker and writer (appeal.import.batch.ts); `importAppeals` wires them together
 * and checks the next batch while the previous one is written.
 */
import { randomUUID } from 'node:crypto';
import { CsvError } from 'csv-parse';
import type { Db } from '../../db';
import { createRequestScope, type RequestScope } from '../../request-scope';
import { systemViewer } from '../../auth/viewer';
import { createLogger } from '../../logger';
import { readCsv, type ImportSource } from './appeal.import.csv';
import { AppealImportFileError, checkHeader, mapRecord, type ImportColumn, type ImportProblem } from './appeal.import.rows';
import { checkBatch, writeBatch, writeCheckedBatch, type BatchOutcome, type PendingRow } from './appeal.import.batch';
import type { StageMethod } from './appeal.import.stage';
import { drainRatingQueue } from '../rating/rating.queue';

export { readCsv, type CsvRecord, type ImportSource } from './appeal.import.csv';
export {
  AppealImportFileError,
  checkHeader,
  IMPORT_COLUMNS,
  mapAppealRow,
  mapRecord,
  parseImportTime,
  REQUIRED_COLUMNS,
  type FieldProblem,
  type ImportColumn,
  type ImportProblem,
  type MappedAppealRow,
  type MapRowResult,
} from './appeal.import.rows';

/** What an import did; `read` = `inserted` + `alreadyPresent` + `badRows` once it has finished. */
export interface ImportSummary {
  /** Data rows read (the header and blank lines are not rows). */
  read: number;
  inserted: number;
  /** Rows whose external id was already recorded, or came earlier in the same file. */
  alreadyPresent: number;
  badRows: number;
  /** Problems of the bad rows, in line order (a row may have several); see `keepProblems`. */
  problems: ImportProblem[];
  /** Bytes of the file read so far. */
  bytesRead: number;
  batches: number;
}

export type ImportProgress = Omit<ImportSummary, 'problems'>;

export interface ImportOptions {
  /** Recorded as the actor of the transitions, and as the audit actor without `scope`. */
  actor: string;
  /** Rows per transaction (default 10,000). */
  batchSize?: number;
  /** Names the import in the audit log (`targetId`), e.g. the file name. */
  sourceName?: string;
  /** The request to audit as (its viewer and request id); a system scope for `actor` otherwise. */
  scope?: RequestScope;
  /** A row whose region this refuses is a bad row (a supervisor's jurisdiction). */
  allowRegion?: (regionCode: string) => boolean;
  /** Refuse the file (before its first batch is written) once it has more data rows than this. */
  maxRows?: number;
  /** How many problems the summary keeps (default: all); `onProblem` sees every one. */
  keepProblems?: number;
  /**
   * How checked rows reach the staging table: `copy` (default; COPY FROM STDIN where the
   * connection is postgres.js, a JSON array on PGlite) or `values` (a JSON array always: for a
   * connection that speaks the protocol without COPY, a running server's PGlite).
   */
  stage?: StageMethod;
  /** Called after each committed batch. */
  onProgress?: (progress: ImportProgress) => void;
  /** Called for each problem of a bad row, in line order, once its batch has committed. */
  onProblem?: (problem: ImportProblem) => void;
}

// Each batch pays a transaction, its lookups, a staging table and the count triggers once: bigger
// batches cost less per row (docs/appeals-import.md, "Throughput"), and two batches of 10,000
// checked rows in memory (one being checked, one being written) are still some tens of MB.
export const DEFAULT_BATCH_SIZE = 10_000;

function systemScope(db: Db, actor: string): RequestScope {
  // The CLI acts for the registry itself: the audit log records it as SYSTEM with this subject.
  return createRequestScope({ db, log: createLogger('silent') }, systemViewer(actor), `import-${randomUUID()}`);
}

/**
 * Imports a 12315 CSV export: streams it, checks each row, and writes batches of `batchSize`
 * rows, each in its own transaction with one `appeal.import` audit row. Appeals whose external
 * id is already recorded are counted as already present. Bad rows are reported with their line
 * and skipped. Throws `AppealImportFileError` when the file as a whole is unusable; batches
 * committed before that stay (a re-run is safe).
 */
export async function importAppeals(db: Db, source: ImportSource, options: ImportOptions): Promise<ImportSummary> {
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? DEFAULT_BATCH_SIZE));
  const keepProblems = options.keepProblems ?? Number.POSITIVE_INFINITY;
  const scope = options.scope ?? systemScope(db, options.actor);
  const sourceName = options.sourceName?.trim() || 'csv';
  // A file that fits one batch is imported in one transaction, its re-rating included.
  const rerateInBatch = options.maxRows !== undefined && batchSize > options.maxRows;
  const summary: ImportSummary = { read: 0, inserted: 0, alreadyPresent: 0, badRows: 0, problems: [], bytesRead: 0, batches: 0 };

  const csv = readCsv(source);

  let columns: ImportColumn[] | null = null;
  let pending: PendingRow[] = [];
  // While a batch is written (its transaction), the next one is read, mapped and checked against
  // the database (reads, on another connection): Node's work overlaps the database's. Batches
  // commit one at a time, in file order; memory holds two batches at most.
  let writing: Promise<void> = Promise.resolve();

  const record = (outcome: BatchOutcome) => {
    summary.batches++;
    summary.inserted += outcome.inserted;
    summary.alreadyPresent += outcome.alreadyPresent;
    summary.badRows += outcome.badLines;
    for (const problem of outcome.problems) {
      if (summary.problems.length < keepProblems) summary.problems.push(problem);
      options.onProblem?.(problem);
    }
    summary.bytesRead = csv.bytesRead();
    const { problems: _problems, ...progress } = summary;
    options.onProgress?.(progress);
  };
  const flush = async () => {
    const rows = pending;
    pending = [];
    if (rows.length === 0) return await writing;
    const batchOptions = { ...options, rerateInBatch };
    if (rerateInBatch) {
      // The import is this one batch: checked, written and re-rated in one transaction.
      await writing;
      return record(await writeBatch(scope, rows, batchOptions, sourceName, summary.batches + 1));
    }
    // Checked while the previous batch is written. A row that batch records meanwhile (an
    // external id repeated across the two) is still skipped: the write finds it recorded.
    const checked = await checkBatch(db, rows, batchOptions);
    await writing;
    writing = writeCheckedBatch(scope, checked, batchOptions, sourceName, summary.batches + 1).then(record);
    // Awaited by the next flush; until then a failure must not surface as an unhandled rejection.
    writing.catch(() => undefined);
  };

  try {
    for await (const { line, fields } of csv.records) {
      if (columns === null) {
        if (fields.some((v) => v.includes('\uFFFD'))) {
          throw new AppealImportFileError('the header is not valid UTF-8 (a GBK export? save the file as UTF-8)', line);
        }
        columns = checkHeader(fields);
        continue;
      }
      // Spreadsheets leave rows of empty cells at the end of a sheet: they are no rows.
      if (fields.every((v) => v.trim() === '')) continue;
      summary.read++;
      if (options.maxRows !== undefined && summary.read > options.maxRows) {
        throw new AppealImportFileError(`the file has more than ${options.maxRows} rows`);
      }
      pending.push({ line, result: mapRecord(fields, columns) });
      if (pending.length >= batchSize) await flush();
    }
    if (columns === null) throw new AppealImportFileError('the file is empty: a header row is required');
    await flush();
    await writing;
  } catch (error) {
    // A batch still being written commits (or fails) before the import reports its end.
    await writing.catch(() => undefined);
    // Batches committed before an unusable row keep their promise to re-rate; keep it now if we can.
    await drainRatingQueue(db, { cause: 'appeal.import', causeRef: `import:${sourceName}`, events: scope.events }).catch(() => undefined);
    throw asFileError(error);
  }
  // Every merchant whose history this import (or an earlier one cut short) changed, re-rated once.
  await drainRatingQueue(db, { cause: 'appeal.import', causeRef: `import:${sourceName}`, events: scope.events });
  summary.bytesRead = csv.bytesRead();
  return summary;
}

/** csv-parse's syntax errors name a line: they make the file unusable from there on. */
function asFileError(error: unknown): unknown {
  if (error instanceof AppealImportFileError) return error;
  if (error instanceof CsvError) {
    const { lines } = error as CsvError & { lines?: unknown };
    return new AppealImportFileError(`malformed CSV: ${error.message}`, typeof lines === 'number' ? lines : undefined);
  }
  return error;
}

