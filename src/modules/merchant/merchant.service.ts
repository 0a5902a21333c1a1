import { and, asc, count, eq, like, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db';
import { merchants } from '../../db/schema';
import { validateUscc } from '../../domain/uscc';
import { isRegionCode, regionPrefix } from '../../domain/region';
import { BadUserInputError } from '../../errors';
import { decodeCursor, encodeCursor, pageSize, toConnection, type Connection } from '../../graphql/connection';
import type { MerchantFilter } from './merchant.input';
import type { Loaders, RequestScope } from '../../context';
import type { MerchantRow } from './merchant.type';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Names sort in code-point order on both drivers (their default collations differ). */
const nameOrder = sql`${merchants.name} COLLATE "C"`;

/** Escapes LIKE wildcards so a user's `%` or `_` matches itself. */
function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Checks a USCC argument and returns it normalised; a bad one is BAD_USER_INPUT naming `field`. */
export function requireValidUscc(uscc: string, field: string): string {
  const result = validateUscc(uscc);
  if (!result.valid) throw new BadUserInputError(`${field} is not a valid USCC: ${result.reason}`, field);
  return result.uscc;
}

/** Use cases of merchants; resolvers stay thin and call these. */
export class MerchantService {
  constructor(private readonly scope: RequestScope) {}

  private get db(): Db {
    return this.scope.db;
  }

  private get loaders(): Loaders {
    return this.scope.loaders;
  }

  /** One merchant by id or by USCC (exactly one of them); null when none matches. */
  async find(args: { id?: string | null; uscc?: string | null }): Promise<MerchantRow | null> {
    const { id, uscc } = args;
    if ((id == null) === (uscc == null)) {
      throw new BadUserInputError('Give exactly one of id and uscc', id == null ? 'id' : 'uscc');
    }
    if (id != null) {
      if (!UUID.test(id)) throw new BadUserInputError('id is not a merchant id', 'id');
      return this.loaders.merchantById.load(id.toLowerCase());
    }
    const code = requireValidUscc(uscc!, 'uscc');
    const [row] = await this.db.select().from(merchants).where(eq(merchants.uscc, code)).limit(1);
    if (row) this.loaders.merchantById.prime(row.id, row);
    return row ?? null;
  }

  /** A page of merchants matching the filter, ordered by name then id (stable across pages). */
  async list(filter: MerchantFilter | null | undefined, first?: number | null, after?: string | null): Promise<Connection<MerchantRow>> {
    const limit = pageSize(first);
    const where = this.conditions(filter ?? {});
    const keyset = after ? this.afterCursor(after) : undefined;

    const [rows, [total]] = await Promise.all([
      this.db
        .select()
        .from(merchants)
        .where(and(where, keyset))
        .orderBy(asc(nameOrder), asc(merchants.id))
        .limit(limit + 1),
      this.db.select({ n: count() }).from(merchants).where(where),
    ]);
    for (const row of rows) this.loaders.merchantById.prime(row.id, row);
    return toConnection(rows, limit, Number(total?.n ?? 0), (row) => encodeCursor([row.name, row.id]), Boolean(after));
  }

  private conditions(filter: MerchantFilter): SQL | undefined {
    const parts: (SQL | undefined)[] = [];
    if (filter.nameContains != null) {
      const text = filter.nameContains.trim();
      if (text.length === 0) throw new BadUserInputError('nameContains must not be blank', 'filter.nameContains');
      parts.push(like(merchants.name, likeContains(text)));
    }
    if (filter.regionCode != null) {
      if (!isRegionCode(filter.regionCode)) {
        throw new BadUserInputError('regionCode must be a six-digit GB/T 2260 code', 'filter.regionCode');
      }
      const prefix = regionPrefix(filter.regionCode);
      parts.push(prefix.length === 6 ? eq(merchants.regionCode, prefix) : like(merchants.regionCode, `${prefix}%`));
    }
    if (filter.industry != null) parts.push(eq(merchants.industry, filter.industry));
    if (filter.kind != null) parts.push(eq(merchants.kind, filter.kind));
    return and(...parts);
  }

  private afterCursor(after: string): SQL | undefined {
    const [name, id] = decodeCursor(after, 2);
    if (typeof name !== 'string' || typeof id !== 'string' || !UUID.test(id)) {
      throw new BadUserInputError('after is not a cursor returned by this list', 'after');
    }
    // A row comparison matches the (name, id) index and never skips or repeats a row.
    return sql`(${nameOrder}, ${merchants.id}) > (${name} COLLATE "C", ${id}::uuid)`;
  }
}
