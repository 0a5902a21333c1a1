/**
 * What the API accepts in any argument, before a resolver runs: string lengths per field, the
 * range of dates and the largest amount of money. The guard (input-guard.ts) applies these to
 * every argument of every operation; docs/input-limits.md is generated from the same rules
 * (`npm run limits:emit`), and a test fails when it drifts.
 */

/** The earliest date any Date or DateTimeISO argument may carry: the founding of the PRC. */
export const DATE_MIN = '1949-10-01';
/** The latest date any Date or DateTimeISO argument may carry. */
export const DATE_MAX = '2099-12-31';
/** DATE_MIN and DATE_MAX as instants, widened by a day so any zone's reading of those days passes. */
export const DATE_TIME_MIN_MS = Date.parse(`${DATE_MIN}T00:00:00Z`) - 86_400_000;
export const DATE_TIME_MAX_MS = Date.parse(`${DATE_MAX}T23:59:59.999Z`) + 86_400_000;

/**
 * The largest amount of money one argument may carry: 10^12 fen = 100 亿元. Far above any real
 * deposit or complaint, and small enough that thousands of maximal amounts still sum exactly.
 */
export const MAX_AMOUNT_FEN = 1_000_000_000_000;

/** Money arguments are the integer arguments whose name ends in `Fen`. */
export function isMoneyArgument(name: string): boolean {
  return name.endsWith('Fen');
}

/** importAppeals' CSV: 5 MB (the resolver also counts its UTF-8 bytes against the same figure). */
export const MAX_CSV_CHARS = 5 * 1024 * 1024;

export type LimitClass = 'id' | 'code' | 'phone' | 'name' | 'cursor' | 'key' | 'text' | 'file' | 'default';

/** Maximum length in UTF-16 code units (a Chinese character counts one) of each class. */
export const CLASS_LIMITS: Readonly<Record<LimitClass, number>> = {
  id: 64,
  code: 50,
  phone: 30,
  name: 200,
  cursor: 500,
  key: 200,
  text: 2000,
  file: MAX_CSV_CHARS,
  default: 200,
};

/**
 * Fields whose limit is not their class's: where a service already enforced a figure, the guard
 * uses that same figure so the documented limit is the real one. Keys are schema coordinates:
 * `Type.field(arg)` for arguments, `InputType.field` for input fields.
 */
const EXPLICIT: Readonly<Record<string, number>> = {
  'CreateAppealInput.externalId': 64,
  'CreateAppealInput.consumerName': 50,
  'CreateAppealInput.details': 5000,
  'AdvanceAppealInput.reason': 1000,
  'AnswerComplaintInput.body': 5000,
  'FilePatternResponseInput.body': 5000,
  'AddCreditListEntryInput.reason': 500,
  'AddCreditListEntryInput.decisionRef': 100,
  'RemoveCreditListEntryInput.removalReason': 500,
  'RegisterMerchantInput.address': 300,
  'UpdateMerchantInput.address': 300,
  'RegisterMerchantInput.contactName': 100,
  'UpdateMerchantInput.contactName': 100,
  'UpdateMerchantContactInput.contactName': 100,
  'Mutation.withdrawFromSettlementPlatform(reason)': 500,
  'Mutation.withdrawOdrRecognition(reason)': 500,
  'Mutation.depositToFund(note)': 500,
  'Mutation.payoutFromFund(note)': 500,
  'Mutation.reimburseFund(note)': 500,
  'Mutation.withdrawFromFund(note)': 500,
};

const CODE_NAMES = /(^|[a-z])(Code|code)$|^uscc$/;
const TEXT_NAMES = new Set(['reason', 'removalReason', 'note', 'details', 'findings', 'body', 'description']);
const NAME_NAMES = /([nN]ame|address|Contains|inspector|Category|Categories|exclusions|target(Type|Id)|seed)$/;

/** The class of a string argument, from its type (ID) and its name; new fields fall in `default`. */
export function classOf(name: string, scalarName: string): LimitClass {
  if (scalarName === 'ID') return 'id';
  if (name === 'csv') return 'file';
  if (name === 'after' || name === 'before') return 'cursor';
  if (name === 'idempotencyKey') return 'key';
  if (/Phone$|^phone$/.test(name)) return 'phone';
  if (CODE_NAMES.test(name)) return 'code';
  if (TEXT_NAMES.has(name)) return 'text';
  if (NAME_NAMES.test(name)) return 'name';
  return 'default';
}

/** The maximum length of the string at `coordinate` (see EXPLICIT) named `name` of scalar `scalarName`. */
export function stringLimit(coordinate: string, name: string, scalarName: string): { max: number; limitClass: LimitClass | 'explicit' } {
  const explicit = EXPLICIT[coordinate];
  if (explicit !== undefined) return { max: explicit, limitClass: 'explicit' };
  const limitClass = classOf(name, scalarName);
  return { max: CLASS_LIMITS[limitClass], limitClass };
}
