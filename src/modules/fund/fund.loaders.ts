import type { Db } from '../../db';

/** Per-request DataLoaders of this module; made in createContext, never shared across requests. */
export function createFundLoaders(_db: Db) {
  return {};
}
