/**
 * Money is integer fen. Amounts written in yuan (as in 12315 exports: "1234.5") are converted
 * from their decimal text, never through floating point. Pure.
 */

/** Fen from a yuan amount written as text: "12", "12.3", "12.34"; null if it is not one. */
export function parseYuanToFen(text: string): number | null {
  const match = /^\s*(\d{1,13})(?:\.(\d{1,2}))?\s*$/.exec(text);
  if (!match) return null;
  const fen = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  return Number.isSafeInteger(fen) ? fen : null;
}

/** A fen amount written in yuan with two decimals: 708680000 → "7086800.00". */
export function formatFenAsYuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/**
 * A sum of fen computed by the database (numeric, sent as text) as a JS number, or null when it
 * is not an integer within ±Number.MAX_SAFE_INTEGER and so could not be represented exactly.
 */
export function exactFen(text: string | number | bigint | null | undefined): number | null {
  if (text === null || text === undefined) return 0;
  const value = typeof text === 'number' ? text : Number(text);
  return Number.isSafeInteger(value) ? value : null;
}
