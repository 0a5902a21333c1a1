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
