/**
 * Templates are kept between runs (keyed by the migrations and seed code), so there is nothing
 * to remove here; per-file databases are dropped by the files that made them.
 */
export default async function globalTeardown(): Promise<void> {}
