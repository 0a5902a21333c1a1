/**
 * Bulk import of 12315 appeal exports (CSV). The file is streamed through csv-parse and written in
 * batches, each batch one transaction through the shared intake path (`prepareAppeal`,
 * `insertPreparedAppeals`) with one audit-log row. The external id makes a re-run after a crash
 * or on an overlapping file safe: what is already recorded is counted, never written twice.
 *
 * The row → draft mapping is pure and exported for the unit tests; `importAppeals` does the I/O.
 */
import { randomUUID } from 'node:crypto';
import { Readable, Transform, pipeline, type TransformCallback } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { CsvError, parse, type Info } from 'csv-parse';
import { inArray } from 'drizzle-orm';
import type { Db } from '../../db';
import { appeals, appealStatus, merchants } from '../../db/schema';
import { ISSUE_TYPES, VIOLATION_TYPES } from '../../domain/appeal-taxonomy';
import type { AppealStatus, AppealType } from '../../domain/appeal-workflow';
import { isLocalDate } from '../../domain/local-date';
import { parseYuanToFen } from '../../domain/money';
import { isRegionCode } from '../../domain/region';
import { validateUscc } from '../../domain/uscc';
import { createRequestScope, type RequestScope } from '../../context';
import { systemViewer } from '../../auth/viewer';
import { createLogger } from '../../logger';
import { mutate } from '../../mutation';
import {
  insertPreparedAppeals,
  loadIntakeLookups,
  prepareAppeal,
  type AppealChannel,
  type AppealDraft,
  type AppealInsert,
  type TransitionInsert,
} from './appeal.records';

// ---------------------------------------------------------------------------------------------
// Columns and values

/** Every column an import file may have, in the documented order (docs/appeals-import.md). */
export const IMPORT_COLUMNS = [
  'external_id',
  'type',
  'channel',
  'received_at',
  'merchant_uscc',
  'region_code',
  'category_code',
  'issue_type',
  'violation_type',
  'amount_involved_yuan',
  'amount_recovered_yuan',
  'consumer_name',
  'consumer_phone',
  'details',
  'status',
  'accepted_at',
  'rejected_at',
  'rejection_reason',
  'mediation_started_at',
  'concluded_at',
  'verification_started_at',
  'verification_extended_at',
  'decided_at',
  'closed_at',
] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];

/** Columns the header must have; the others may be left out. */
export const REQUIRED_COLUMNS: readonly ImportColumn[] = ['external_id', 'type', 'channel', 'received_at'];

const TYPES: Record<string, AppealType> = {
  CONSULTATION: 'CONSULTATION',
  COMPLAINT: 'COMPLAINT',
  REPORT: 'REPORT',
  PRAISE: 'PRAISE',
  咨询: 'CONSULTATION',
  投诉: 'COMPLAINT',
  举报: 'REPORT',
  表扬: 'PRAISE',
};

const CHANNELS: Record<string, AppealChannel> = {
  HOTLINE: 'HOTLINE',
  WEB: 'WEB',
  LETTER: 'LETTER',
  VISIT: 'VISIT',
  PLATFORM: 'PLATFORM',
  电话: 'HOTLINE',
  网络: 'WEB',
  信件: 'LETTER',
  来访: 'VISIT',
  平台: 'PLATFORM',
};

const STATUSES: ReadonlySet<string> = new Set(appealStatus.enumValues);

/** The exports write issue and violation types in Chinese as often as in codes: accept both. */
const ISSUE_BY_LABEL = new Map<string, string>(Object.entries(ISSUE_TYPES).map(([code, label]) => [label, code]));
const VIOLATION_BY_LABEL = new Map<string, string>(Object.entries(VIOLATION_TYPES).map(([code, label]) => [label, code]));

/** Text limits: generous for real exports, small enough that one row cannot bloat a batch. */
const MAX_LENGTH: Partial<Record<ImportColumn, number>> = {
  external_id: 64,
  consumer_name: 100,
  consumer_phone: 30,
  details: 10_000,
  rejection_reason: 1_000,
};

/** The draft's field names as the file calls them, so every problem names a column. */
const COLUMN_OF_FIELD: Record<string, ImportColumn> = {
  externalId: 'external_id',
  type: 'type',
  channel: 'channel',
  receivedAt: 'received_at',
  merchantId: 'merchant_uscc',
  regionCode: 'region_code',
  categoryCode: 'category_code',
  issueType: 'issue_type',
  violationType: 'violation_type',
  amountInvolvedFen: 'amount_involved_yuan',
  amountRecoveredFen: 'amount_recovered_yuan',
  consumerName: 'consumer_name',
  consumerPhone: 'consumer_phone',
  details: 'details',
  status: 'status',
  acceptedAt: 'accepted_at',
  rejectedAt: 'rejected_at',
  rejectionReason: 'rejection_reason',
  mediationStartedAt: 'mediation_started_at',
  concludedAt: 'concluded_at',
  verificationStartedAt: 'verification_started_at',
  verificationExtendedAt: 'verification_extended_at',
  decidedAt: 'decided_at',
  closedAt: 'closed_at',
};
const FIELD_NAMES = new RegExp(`\\b(${Object.keys(COLUMN_OF_FIELD).join('|')})\\b`, 'g');

/** A problem of one row: the column at fault (or `row`) and why. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** A problem of one row of the file, at the physical line where the row starts (the header is line 1). */
export interface ImportProblem extends FieldProblem {
  line: number;
}

/** The file as a whole cannot be imported: no header, unknown columns, malformed CSV, too large. */
export class AppealImportFileError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(line === undefined ? message : `line ${line}: ${message}`);
    this.name = 'AppealImportFileError';
  }
}

/**
 * Checks the header row and returns the column of each position. Names are matched trimmed and
 * case-insensitively; unknown, repeated or missing required columns reject the whole file.
 */
export function checkHeader(header: readonly string[]): ImportColumn[] {
  const names = header.map((h) => h.trim().toLowerCase());
  const known = new Set<string>(IMPORT_COLUMNS);
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length) {
    throw new AppealImportFileError(
      `unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `'${n}'`).join(', ')} in the header; the columns are ${IMPORT_COLUMNS.join(', ')}`,
      1,
    );
  }
  const repeated = names.filter((n, i) => names.indexOf(n) !== i);
  if (repeated.length) throw new AppealImportFileError(`column${repeated.length > 1 ? 's' : ''} ${[...new Set(repeated)].join(', ')} appear more than once in the header`, 1);
  const missing = REQUIRED_COLUMNS.filter((c) => !names.includes(c));
  if (missing.length) throw new AppealImportFileError(`the header lacks the required column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`, 1);
  return names as ImportColumn[];
}

const SHANGHAI_OFFSET_MINUTES = 8 * 60;
const WALL_TIME = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$/;
const ISO_WITH_OFFSET = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}(?::?\d{2})?)$/i;

function instantOf(parts: (string | undefined)[], offsetMinutes: number, millis = 0): Date | null {
  const [y, mo, d, h, mi, s] = parts.map((p) => Number(p ?? 0)) as [number, number, number, number, number, number];
  const date = `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  if (!isLocalDate(date) || h > 23 || mi > 59 || s > 59) return null;
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s, millis) - offsetMinutes * 60_000);
}

/**
 * The instant of a time as exports write it: Asia/Shanghai wall time `YYYY-MM-DD HH:mm[:ss]`
 * (also with `T`, `/` and single-digit parts, as spreadsheets save it) or ISO 8601 with an
 * offset or `Z`. Null when it is neither, or not a real date and time.
 */
export function parseImportTime(text: string): Date | null {
  const value = text.trim();
  const wall = WALL_TIME.exec(value);
  // Shanghai has kept UTC+8 all year since 1991, so wall time maps to one instant.
  if (wall) return instantOf(wall.slice(1), SHANGHAI_OFFSET_MINUTES);
  const iso = ISO_WITH_OFFSET.exec(value);
  if (!iso) return null;
  const zone = iso[8]!.toUpperCase();
  let offset = 0;
  if (zone !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    const hours = Number(digits.slice(0, 2));
    const minutes = Number(digits.slice(2) || '0');
    if (hours > 14 || minutes > 59) return null;
    offset = (zone.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
  }
  return instantOf(iso.slice(1, 7), offset, Number((iso[7] ?? '').padEnd(3, '0')));
}

/** A row that passed the checks that need no database; the merchant is still a USCC. */
export interface MappedAppealRow {
  draft: AppealDraft;
  merchantUscc: string | null;
}

export type MapRowResult = { ok: true; row: MappedAppealRow } | { ok: false; problems: FieldProblem[] };

/**
 * Maps one CSV row (values by column; absent columns and blank cells mean "no value") to an
 * `AppealDraft`. Checks form only (and that no time is after `now`): that the merchant exists,
 * the category is known and the facts make a consistent history is left to the batch and
 * `prepareAppeal`. Pure.
 */
export function mapAppealRow(values: Partial<Record<ImportColumn, string>>, now: Date = new Date()): MapRowResult {
  const problems: FieldProblem[] = [];
  const text = (column: ImportColumn): string | null => {
    const value = values[column]?.trim();
    if (!value) return null;
    const max = MAX_LENGTH[column];
    if (max !== undefined && value.length > max) {
      problems.push({ field: column, message: `must be at most ${max} characters, got ${value.length}` });
      return null;
    }
    return value;
  };
  const time = (column: ImportColumn): Date | null => {
    const value = text(column);
    if (value === null) return null;
    const instant = parseImportTime(value);
    if (!instant) {
      problems.push({ field: column, message: `'${value}' is not a time: write YYYY-MM-DD HH:mm[:ss] (Asia/Shanghai) or ISO 8601 with an offset` });
    } else if (instant.getTime() > now.getTime() + 60_000) {
      // The intake checks only received_at; a later step cannot be in the future either.
      problems.push({ field: column, message: `${value} is in the future` });
      return null;
    }
    return instant;
  };
  const fen = (column: ImportColumn): number | undefined => {
    const value = text(column);
    if (value === null) return undefined;
    const amount = parseYuanToFen(value);
    if (amount === null) problems.push({ field: column, message: `'${value}' is not an amount in yuan such as 1234.56 (at most two decimals, no sign or separators)` });
    return amount ?? undefined;
  };
  const oneOf = <T>(column: ImportColumn, table: Record<string, T>, names: string): T | null => {
    const value = text(column);
    if (value === null) return null;
    const found = table[value.toUpperCase()] ?? table[value];
    if (found === undefined) problems.push({ field: column, message: `'${value}' is not one of ${names}` });
    return found ?? null;
  };

  const externalId = text('external_id');
  if (externalId === null && !problems.some((p) => p.field === 'external_id')) problems.push({ field: 'external_id', message: 'is required' });
  else if (externalId !== null && /\s/.test(externalId)) problems.push({ field: 'external_id', message: 'must not contain spaces' });

  const type = oneOf('type', TYPES, 'CONSULTATION/咨询, COMPLAINT/投诉, REPORT/举报, PRAISE/表扬');
  if (type === null && !values.type?.trim()) problems.push({ field: 'type', message: 'is required' });
  const channel = oneOf('channel', CHANNELS, 'HOTLINE/电话, WEB/网络, LETTER/信件, VISIT/来访, PLATFORM/平台');
  if (channel === null && !values.channel?.trim()) problems.push({ field: 'channel', message: 'is required' });
  const receivedAt = time('received_at');
  if (receivedAt === null && !values.received_at?.trim()) problems.push({ field: 'received_at', message: 'is required' });

  let merchantUscc: string | null = null;
  const uscc = text('merchant_uscc');
  if (uscc !== null) {
    const checked = validateUscc(uscc);
    if (checked.valid) merchantUscc = checked.uscc;
    else problems.push({ field: 'merchant_uscc', message: `'${uscc}' is not a valid USCC: ${checked.reason}` });
  }
  const regionCode = text('region_code');
  if (regionCode !== null && !isRegionCode(regionCode)) problems.push({ field: 'region_code', message: `'${regionCode}' is not a six-digit GB/T 2260 region code` });

  const categoryCode = text('category_code')?.toUpperCase() ?? null;
  const issue = text('issue_type');
  const violation = text('violation_type');
  const statusText = text('status')?.toUpperCase() ?? 'RECEIVED';
  if (!STATUSES.has(statusText)) problems.push({ field: 'status', message: `'${statusText}' is not one of ${[...STATUSES].join(', ')}` });

  const draft: Omit<AppealDraft, 'type' | 'channel' | 'receivedAt'> = {
    externalId,
    status: statusText as AppealStatus,
    regionCode,
    categoryCode,
    issueType: issue === null ? null : (ISSUE_BY_LABEL.get(issue) ?? issue.toUpperCase()),
    violationType: violation === null ? null : (VIOLATION_BY_LABEL.get(violation) ?? violation.toUpperCase()),
    amountInvolvedFen: fen('amount_involved_yuan'),
    amountRecoveredFen: fen('amount_recovered_yuan'),
    consumerName: text('consumer_name'),
    consumerPhone: text('consumer_phone'),
    details: text('details'),
    acceptedAt: time('accepted_at'),
    rejectedAt: time('rejected_at'),
    rejectionReason: text('rejection_reason'),
    mediationStartedAt: time('mediation_started_at'),
    concludedAt: time('concluded_at'),
    verificationStartedAt: time('verification_started_at'),
    verificationExtendedAt: time('verification_extended_at'),
    decidedAt: time('decided_at'),
    closedAt: time('closed_at'),
  };
  // The history ignores closed_at unless the appeal is CLOSED: refuse it rather than lose it.
  if (draft.closedAt && statusText !== 'CLOSED') problems.push({ field: 'closed_at', message: `closed_at does not fit status ${statusText}` });
  if (problems.length || !type || !channel || !receivedAt) return { ok: false, problems };
  return { ok: true, row: { draft: { ...draft, type, channel, receivedAt }, merchantUscc } };
}

/** A problem from the intake checks, renamed to the file's column names. */
function asColumnProblem(problem: FieldProblem): FieldProblem {
  return {
    field: COLUMN_OF_FIELD[problem.field] ?? problem.field,
    message: problem.message.replace(FIELD_NAMES, (name) => COLUMN_OF_FIELD[name] ?? name),
  };
}

// ---------------------------------------------------------------------------------------------
// Streaming import

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
  /** Rows per transaction (default 500). */
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
  /** Called after each committed batch. */
  onProgress?: (progress: ImportProgress) => void;
  /** Called for each problem of a bad row, in line order, once its batch has committed. */
  onProblem?: (problem: ImportProblem) => void;
}

export const DEFAULT_BATCH_SIZE = 500;
/** Rows per INSERT: keeps the bind parameters (about 30 a row) under PostgreSQL's 65,535. */
const ROWS_PER_INSERT = 1_000;

type PendingRow = { line: number; result: MapRowResult };
type Prepared = { appeal: AppealInsert; transitions: Omit<TransitionInsert, 'appealId'>[] };

/**
 * Decodes UTF-8 (a character split across chunks stays whole), drops a leading BOM and turns
 * CRLF into LF: csv-parse counts a CRLF inside a quoted field as two lines, which would put
 * every later line number off by one.
 */
class Utf8Lines extends Transform {
  bytes = 0;
  private readonly decoder = new StringDecoder('utf8');
  private started = false;
  private pendingCr = false;

  constructor() {
    super({ readableObjectMode: false, decodeStrings: true, encoding: 'utf8' });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    this.pushText(this.decoder.write(chunk));
    callback();
  }

  override _flush(callback: TransformCallback): void {
    this.pushText(this.decoder.end());
    if (this.pendingCr) this.push('\r');
    callback();
  }

  private pushText(decoded: string): void {
    let text = (this.pendingCr ? '\r' : '') + decoded;
    this.pendingCr = false;
    if (!this.started && text.length) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    // A CR at the end may be the first half of a CRLF split across chunks.
    if (text.endsWith('\r')) {
      this.pendingCr = true;
      text = text.slice(0, -1);
    }
    if (text.length) this.push(text.replace(/\r\n/g, '\n'));
  }
}

function systemScope(db: Db, actor: string): RequestScope {
  // The CLI acts for the registry itself: the audit log records it as SYSTEM with this subject.
  return createRequestScope({ db, log: createLogger('silent') }, systemViewer(actor), `import-${randomUUID()}`);
}

function toSource(source: ImportSource): Readable {
  if (source instanceof Readable) return source;
  // Readable.from hands a string or Buffer over whole instead of iterating its characters.
  return Readable.from(source as AsyncIterable<string | Buffer> | string | Buffer);
}

/** One record of a CSV file and the physical line it starts on (1 for the first line). */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/**
 * Streams the records of a UTF-8 CSV file, with or without BOM, LF or CRLF, skipping empty
 * lines. Reads only as fast as `records` is consumed, so a file of any size streams in bounded
 * memory. Malformed CSV (a quote never closed) makes the iteration throw csv-parse's error.
 */
export function readCsv(source: ImportSource): { records: AsyncIterable<CsvRecord>; bytesRead: () => number } {
  const decoder = new Utf8Lines();
  const parser = parse({
    info: true,
    skip_empty_lines: true,
    // Wrong field counts are a row's problem, not the file's; stray quotes inside a field are text.
    relax_column_count: true,
    relax_quotes: true,
  });
  pipeline(toSource(source), decoder, parser, () => {
    // Errors reach the consumer through the parser's iterator.
  });
  async function* records(): AsyncGenerator<CsvRecord> {
    // csv-parse reports the line a record ends on; the next one starts on the line after it,
    // plus the empty lines skipped in between.
    let lastLine = 0;
    let lastEmpty = 0;
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: Info }>) {
      const line = lastLine + 1 + (info.empty_lines - lastEmpty);
      lastLine = info.lines;
      lastEmpty = info.empty_lines;
      yield { line, fields: record };
    }
  }
  return { records: records(), bytesRead: () => decoder.bytes };
}

/** Where the CSV comes from: a stream (a file), an async iterable of chunks, or the whole text. */
export type ImportSource = NodeJS.ReadableStream | AsyncIterable<string | Buffer> | string | Buffer;

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
  const summary: ImportSummary = { read: 0, inserted: 0, alreadyPresent: 0, badRows: 0, problems: [], bytesRead: 0, batches: 0 };

  const csv = readCsv(source);

  let columns: ImportColumn[] | null = null;
  let pending: PendingRow[] = [];

  const flush = async () => {
    if (pending.length === 0) return;
    const rows = pending;
    pending = [];
    const outcome = await writeBatch(scope, rows, options, sourceName, summary.batches + 1);
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

  try {
    for await (const { line, fields: record } of csv.records) {
      if (columns === null) {
        if (record.some((v) => v.includes('\uFFFD'))) {
          throw new AppealImportFileError('the header is not valid UTF-8 (a GBK export? save the file as UTF-8)', line);
        }
        columns = checkHeader(record);
        continue;
      }
      // Spreadsheets leave rows of empty cells at the end of a sheet: they are no rows.
      if (record.every((v) => v.trim() === '')) continue;
      summary.read++;
      if (options.maxRows !== undefined && summary.read > options.maxRows) {
        throw new AppealImportFileError(`the file has more than ${options.maxRows} rows`);
      }
      pending.push({ line, result: mapRecord(record, columns) });
      if (pending.length >= batchSize) await flush();
    }
  } catch (error) {
    throw asFileError(error);
  }
  if (columns === null) throw new AppealImportFileError('the file is empty: a header row is required');
  await flush();
  summary.bytesRead = csv.bytesRead();
  return summary;
}

function mapRecord(record: string[], columns: ImportColumn[]): MapRowResult {
  if (record.length !== columns.length) {
    return { ok: false, problems: [{ field: 'row', message: `has ${record.length} fields, the header has ${columns.length}` }] };
  }
  if (record.some((v) => v.includes('\uFFFD'))) return { ok: false, problems: [{ field: 'row', message: 'is not valid UTF-8' }] };
  const values: Partial<Record<ImportColumn, string>> = {};
  columns.forEach((column, i) => (values[column] = record[i]));
  return mapAppealRow(values);
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

interface BatchOutcome {
  inserted: number;
  alreadyPresent: number;
  badLines: number;
  problems: ImportProblem[];
}

/** One batch: merchant and category lookups, the intake checks, the insert and its audit row, in one transaction. */
async function writeBatch(scope: RequestScope, rows: PendingRow[], options: ImportOptions, sourceName: string, batch: number): Promise<BatchOutcome> {
  return mutate(scope, async (m) => {
    // Appeals already recorded need no merchant lookup, checks or deadline arithmetic: a re-run
    // over a million rows is then mostly this one query per batch. Their region still answers
    // to `allowRegion`, so an import cannot probe another jurisdiction's external ids.
    const externalIds = [...new Set(rows.flatMap(({ result: r }) => (r.ok ? [r.row.draft.externalId!] : [])))];
    const recorded = externalIds.length
      ? await m.tx.select({ externalId: appeals.externalId, regionCode: appeals.regionCode }).from(appeals).where(inArray(appeals.externalId, externalIds))
      : [];
    const recordedRegion = new Map(recorded.map((r) => [r.externalId!, r.regionCode]));

    const usccs = new Set<string>();
    for (const { result: r } of rows) if (r.ok && r.row.merchantUscc && !recordedRegion.has(r.row.draft.externalId!)) usccs.add(r.row.merchantUscc);
    const found = usccs.size ? await m.tx.select({ id: merchants.id, uscc: merchants.uscc }).from(merchants).where(inArray(merchants.uscc, [...usccs])) : [];
    const merchantByUscc = new Map(found.map((f) => [f.uscc, f.id]));
    const lookups = await loadIntakeLookups(m.tx, [...merchantByUscc.values()]);

    const problems: ImportProblem[] = [];
    const prepared: Prepared[] = [];
    const seen = new Set<string>();
    let skipped = 0;
    for (const { line, result: mapped } of rows) {
      const bad = (list: FieldProblem[]) => problems.push(...list.map((p) => ({ line, ...p })));
      if (!mapped.ok) {
        bad(mapped.problems);
        continue;
      }
      const { draft, merchantUscc } = mapped.row;
      const externalId = draft.externalId!;
      const region = recordedRegion.get(externalId);
      if (region !== undefined && options.allowRegion && !options.allowRegion(region)) {
        bad([{ field: 'region_code', message: `region ${region} is outside your jurisdiction` }]);
        continue;
      }
      // A repeat within one INSERT would be matched back to the first row's id and given its
      // transitions twice; a repeat in a later batch is found recorded like any other.
      if (region !== undefined || seen.has(externalId)) {
        skipped++;
        continue;
      }
      const merchantId = merchantUscc ? merchantByUscc.get(merchantUscc) : null;
      if (merchantUscc && !merchantId) {
        bad([{ field: 'merchant_uscc', message: `no registered merchant has USCC ${merchantUscc}` }]);
        continue;
      }
      // The merchant's region decides jurisdiction, before the row's own region column is read.
      const merchantRegion = merchantId ? lookups.merchantRegions.get(merchantId) : undefined;
      if (merchantRegion && options.allowRegion && !options.allowRegion(merchantRegion)) {
        bad([{ field: 'region_code', message: `region ${merchantRegion} is outside your jurisdiction` }]);
        continue;
      }
      const result = prepareAppeal({ ...draft, merchantId }, lookups, options.actor);
      if (!result.ok) {
        bad(result.problems.map(asColumnProblem));
        continue;
      }
      if (options.allowRegion && !options.allowRegion(result.appeal.regionCode)) {
        bad([{ field: 'region_code', message: `region ${result.appeal.regionCode} is outside your jurisdiction` }]);
        continue;
      }
      seen.add(externalId);
      prepared.push(result);
    }

    let inserted = 0;
    for (let i = 0; i < prepared.length; i += ROWS_PER_INSERT) {
      const slice = prepared.slice(i, i + ROWS_PER_INSERT);
      const { inserted: added } = await insertPreparedAppeals(m.tx, slice);
      inserted += added.length;
      // Imported history changes the ratings of the merchants concerned, in this batch's transaction.
      for (const { index } of added) m.touch(slice[index]!.appeal.merchantId);
    }
    const badLines = new Set(problems.map((p) => p.line)).size;
    // Rows another import committed since the lookup above are skipped by the conflict clause.
    const alreadyPresent = prepared.length - inserted + skipped;
    await m.audit({
      action: 'appeal.import',
      targetType: 'import',
      targetId: sourceName,
      after: { batch, firstLine: rows[0]!.line, lastLine: rows[rows.length - 1]!.line, inserted, skipped: alreadyPresent, bad: badLines },
    });
    problems.sort((a, b) => a.line - b.line);
    return { inserted, alreadyPresent, badLines, problems };
  });
}
