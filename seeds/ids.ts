import { nameBasedId } from '../src/domain/ids';

/**
 * A deterministic UUID for a natural key such as `merchant:<uscc>` (the same ids the API gives
 * merchants it registers). Re-running the seed therefore produces the same primary keys, which
 * is what makes `ON CONFLICT DO NOTHING` idempotent.
 */
export const seedId = nameBasedId;
