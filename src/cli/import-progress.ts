import type { ImportProgress } from '../modules/appeal/appeal.import';

/** The import's counts: `read 30 rows: 27 inserted, 0 already present, 3 bad`. */
export function describeCounts(p: ImportProgress): string {
  return `read ${p.read} rows: ${p.inserted} inserted, ${p.alreadyPresent} already present, ${p.badRows} bad`;
}

/**
 * A progress line while the file is still being read, with the share of the file first so that it
 * cannot be read as a share of bad rows; nothing once the whole file is read (the summary follows).
 */
export function progressLine(p: ImportProgress, fileBytes: number): string | undefined {
  if (p.bytesRead >= fileBytes) return undefined;
  return `${Math.floor((100 * p.bytesRead) / Math.max(fileBytes, 1))}% of the file so far, ${describeCounts(p)}`;
}
