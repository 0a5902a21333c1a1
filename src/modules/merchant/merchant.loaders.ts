import { and, asc, count, eq, inArray, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../../db';
import { waveLoader, type LoadWaves } from '../../common/load-waves';
import { anyUuid } from '../../db/any';
import { merchants } from '../../db/schema';
import { UUID_PATTERN } from '../../domain/ids';
import { BadUserInputError } from '../../errors';
import { decodeCursor, encodeCursor, pageLoader } from '../../graphql/connection';
import type { MerchantRow } from './merchant.type';

/** The merchants table or an alias of it. */
type MerchantsTable = { name: SQLWrapper; id: SQLWrapper };

/** Names sort in code-point order on both drivers (their default collations differ). */
export function nameOrder(table: MerchantsTable = merchants): SQL {
  return sql`${table.name} COLLATE "C"`;
}

/**
 * The merchants after a cursor of a list in name order; anything else is BAD_USER_INPUT on
 * `after`. A row comparison matches the (name, id) index and never skips or repeats a row.
 */
export function merchantsAfterCursor(after: string, table: MerchantsTable = merchants): SQL {
  const [name, id] = decodeCursor(after, 2);
  if (typeof name !== 'string' || typeof id !== 'string' || !UUID_PATTERN.test(id)) {
    throw new BadUserInputError('after is not a cursor returned by this list', 'after');
  }
  return sql`(${nameOrder(table)}, ${table.id}) > (${name} COLLATE "C", ${id}::uuid)`;
}

/** The cursor of a merchant in a list in name order (see `merchantsAfterCursor`). */
export function merchantCursor(row: { name: string; id: string }): string {
  return encodeCursor([row.name, row.id]);
}

/** Batches merchant look-ups of one request into one query; made per request, never shared. */
export function createMerchantLoaders(db: Db, waves: LoadWaves) {
  return {
    merchantById: waveLoader<string, MerchantRow | null>(waves, async (ids) => {
      const rows = await db.select().from(merchants).where(inArray(merchants.id, [...ids]));
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    }),

    /** A page of each host's tenants in name order, with their total: one statement per page size and cursor. */
    tenantPagesByHost: pageLoader<MerchantRow>(waves, async (hostIds, limit, after) => {
      const tenant = alias(merchants, 'tenant');
      const own = eq(tenant.hostMerchantId, merchants.id);
      const total = db.select({ n: count().as('n') }).from(tenant).where(own).as('total');
      const page = db
        .select()
        .from(tenant)
        .where(and(own, after ? merchantsAfterCursor(after, tenant) : undefined))
        .orderBy(asc(nameOrder(tenant)), asc(tenant.id))
        .limit(limit + 1)
        .as('page');
      const rows = await db
        .select({ parentId: merchants.id, total: total.n, node: page._.selectedFields })
        .from(merchants)
        .innerJoinLateral(total, sql`true`)
        .leftJoinLateral(page, sql`true`)
        .where(anyUuid(merchants.id, hostIds))
        .orderBy(merchants.id, asc(sql`${page.name} COLLATE "C"`), asc(page.id));
      return rows.map((row) => ({ ...row, node: row.node?.id ? row.node : null }));
    }, merchantCursor),
  };
}

export type MerchantLoaders = ReturnType<typeof createMerchantLoaders>;
