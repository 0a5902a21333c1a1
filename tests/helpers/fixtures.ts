import { and, asc, eq, inArray, isNull, notExists, sql } from 'drizzle-orm';
import type { Db } from '../../src/db';
import { demonstrationStreetMembers, demonstrationStreets, merchants } from '../../src/db/schema';

/**
 * Seeded merchants of one district that are neither hosts nor tenants and have no appeals of
 * record, in a stable order:
 * tests take the n-th so that each attempt acts on a fresh merchant.
 */
export async function plainMerchants(db: Db, regionCode: string, count: number, offset = 0) {
  const host = sql`exists (select 1 from merchants t where t.host_merchant_id = ${merchants.id})`;
  return db
    .select()
    .from(merchants)
    // Nor any appeal of record (the seed's 2022–2023 appeals): tests count what they add themselves.
    .where(
      and(
        eq(merchants.regionCode, regionCode),
        isNull(merchants.hostMerchantId),
        sql`not ${host}`,
        sql`not exists (select 1 from appeals a where a.merchant_id = ${merchants.id})`,
      ),
    )
    .orderBy(asc(merchants.id))
    .limit(count)
    .offset(offset);
}

/** The seeded 解放路 street and merchants of its district that are not members. */
export async function streetAndOutsiders(db: Db, count: number) {
  const [street] = await db.select().from(demonstrationStreets).limit(1);
  const outsiders = await db
    .select()
    .from(merchants)
    .where(
      and(
        eq(merchants.regionCode, street!.regionCode),
        notExists(
          db
            .select({ one: sql`1` })
            .from(demonstrationStreetMembers)
            .where(and(eq(demonstrationStreetMembers.merchantId, merchants.id), eq(demonstrationStreetMembers.streetId, street!.id))),
        ),
      ),
    )
    .orderBy(asc(merchants.id))
    .limit(count);
  return { street: street!, outsiders };
}

/** How many audit-log rows there are (mutations must add exactly one each). */
export async function auditCount(db: Db): Promise<number> {
  const rows = await db.execute(sql`select count(*)::int as n from audit_log`);
  const list = ((rows as { rows?: unknown[] }).rows ?? rows) as { n: number }[];
  return Number(list[0]!.n);
}

export { rowsOf } from '../../src/db/rows';

/**
 * Seeded markets and platforms that keep no compensation fund and are no one's tenant, in a
 * stable order; `withoutTenants` also leaves out those that already host tenants.
 */
export async function marketsWithoutFund(db: Db, options: { withoutTenants?: boolean } = {}) {
  return db
    .select()
    .from(merchants)
    .where(
      and(
        inArray(merchants.industry, ['SHOPPING_CENTER', 'FURNITURE_BUILDING_MATERIALS_MARKET']),
        isNull(merchants.hostMerchantId),
        sql`not exists (select 1 from compensation_funds f where f.host_merchant_id = ${merchants.id})`,
        options.withoutTenants ? sql`not exists (select 1 from merchants t where t.host_merchant_id = ${merchants.id})` : undefined,
      ),
    )
    .orderBy(asc(merchants.id));
}
