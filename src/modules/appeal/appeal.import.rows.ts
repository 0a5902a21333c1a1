/**
 * The pure half of the appeal import: the file's columns, its time and value formats, and the
 * mapping of one CSV row to an `AppealDraft`. No I/O; every function is unit tested row by row.
 */
import { ISSUE_TYPES, VIOLATION_TYPES } from '../../domain/appeal-taxonomy';
import { APPEAL_STATUSES, CLOSED, RECEIVED, type AppealStatus, type AppealType } from '../../domain/appeal-workflow';
import { isLocalDate } from '../../domain/local-date';
import { parseYuanToFen } from '../../domain/money';
import { isRegionCode } from '../../domain/region';
import { validateUscc } from '../../domain/uscc';
import type { AppealChannel, AppealDraft } from './appeal.records';

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

const STATUSES: ReadonlySet<string> = new Set(APPEAL_STATUSES);

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
  const statusText = text('status')?.toUpperCase() ?? RECEIVED;
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
  if (draft.closedAt && statusText !== CLOSED) problems.push({ field: 'closed_at', message: `closed_at does not fit status ${statusText}` });
  if (problems.length || !type || !channel || !receivedAt) return { ok: false, problems };
  return { ok: true, row: { draft: { ...draft, type, channel, receivedAt }, merchantUscc } };
}

/** A problem from the intake checks, renamed to the file's column names. */
export function asColumnProblem(problem: FieldProblem): FieldProblem {
  return {
    field: COLUMN_OF_FIELD[problem.field] ?? problem.field,
    message: problem.message.replace(FIELD_NAMES, (name) => COLUMN_OF_FIELD[name] ?? name),
  };
}

/**
 * Maps one CSV record by the header's columns: a record with the wrong number of fields or
 * invalid UTF-8 is a problem of its row; otherwise see `mapAppealRow`.
 */
export function mapRecord(record: string[], columns: ImportColumn[]): MapRowResult {
  if (record.length !== columns.length) {
    return { ok: false, problems: [{ field: 'row', message: `has ${record.length} fields, the header has ${columns.length}` }] };
  }
  if (record.some((v) => v.includes('\uFFFD'))) return { ok: false, problems: [{ field: 'row', message: 'is not valid UTF-8' }] };
  const values: Partial<Record<ImportColumn, string>> = {};
  columns.forEach((column, i) => (values[column] = record[i]));
  return mapAppealRow(values);
}

