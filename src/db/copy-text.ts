/**
 * PostgreSQL's COPY text format, written from drizzle column kinds: shared by the appeal import's
 * staging (src/modules/appeal/appeal.import.stage.ts) and the seed writers (seeds/copy.ts).
 */

const SPECIAL = /[\\\t\n\r]/;

/** A value as COPY's text format writes it: backslash, tab and line breaks escaped. */
export function escapeCopyText(text: string): string {
  if (!SPECIAL.test(text)) return text;
  return text.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

/** An array literal: every element double-quoted, so commas, braces and spaces need no thought. */
function arrayLiteral(items: readonly unknown[]): string {
  return `{${items.map((item) => `"${String(item).replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
}

/** How each drizzle column kind (`column.columnType`) is written; only free text can hold a character COPY must escape. */
export const COPY_ENCODERS: Readonly<Record<string, (value: unknown) => string>> = {
  PgText: (value) => escapeCopyText(value as string),
  PgTimestamp: (value) => (value as Date).toISOString(),
  PgUUID: (value) => value as string,
  PgEnumColumn: (value) => value as string,
  PgDateString: (value) => value as string,
  PgBoolean: (value) => (value ? 't' : 'f'),
  PgInteger: String,
  PgBigInt53: String,
  PgNumericNumber: String,
  PgArray: (value) => escapeCopyText(arrayLiteral(value as unknown[])),
};
