import type { Db } from '../../db';

/** Per-request DataLoaders of this module; made in createContext, never shared across requests. */
export function createPledgeLoaders(_db: Db) {
  return {};
}
