/** The rows of a raw `db.execute` result: PGlite returns `{ rows }`, postgres.js the array itself. */
export function rowsOf<T>(result: unknown): T[] {
  return ((result as { rows?: unknown[] }).rows ?? result) as T[];
}
