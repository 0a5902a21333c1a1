import DataLoader from 'dataloader';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../../db';
import { demonstrationStreetMembers, demonstrationStreets } from '../../db/schema';
import type { DemonstrationStreetRow } from './street.type';

/** Per-request: the streets each requested merchant currently belongs to, in one query. */
export function createStreetLoaders(db: Db) {
  return {
    currentStreetsByMerchant: new DataLoader<string, DemonstrationStreetRow[]>(async (ids) => {
      const rows = await db
        .select({ merchantId: demonstrationStreetMembers.merchantId, street: demonstrationStreets })
        .from(demonstrationStreetMembers)
        .innerJoin(demonstrationStreets, eq(demonstrationStreets.id, demonstrationStreetMembers.streetId))
        .where(and(inArray(demonstrationStreetMembers.merchantId, [...ids]), isNull(demonstrationStreetMembers.leftOn)));
      return ids.map((id) => rows.filter((row) => row.merchantId === id).map((row) => row.street));
    }),
  };
}
