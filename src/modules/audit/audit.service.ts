import { and, count, desc, eq, lt, type SQL } from 'drizzle-orm';
import { auditLog } from '../../db/schema';
import type { RequestScope } from '../../context';
import { decodeCursor, encodeCursor, pageSize, toConnection } from '../../graphql/connection';
import { BadUserInputError } from '../../errors';

export type AuditLogRow = typeof auditLog.$inferSelect;

/** Reading the audit log (writing happens in every mutation through MutationScope.audit). */
export class AuditService {
  constructor(private readonly scope: RequestScope) {}

  /** Newest first; optionally only the rows of one target. */
  async list(filter: { targetType?: string | null; targetId?: string | null }, first?: number | null, after?: string | null) {
    const limit = pageSize(first);
    const conditions: (SQL | undefined)[] = [];
    if (filter.targetType) conditions.push(eq(auditLog.targetType, filter.targetType));
    if (filter.targetId) conditions.push(eq(auditLog.targetId, filter.targetId));
    const where = and(...conditions);
    let keyset: SQL | undefined;
    if (after) {
      const [id] = decodeCursor(after, 1);
      if (typeof id !== 'number') throw new BadUserInputError('after is not a cursor returned by this list', 'after');
      keyset = lt(auditLog.id, id);
    }
    const { db } = this.scope;
    const [rows, [total]] = await Promise.all([
      db.select().from(auditLog).where(and(where, keyset)).orderBy(desc(auditLog.id)).limit(limit + 1),
      db.select({ n: count() }).from(auditLog).where(where),
    ]);
    return toConnection(rows, limit, Number(total?.n ?? 0), (row) => encodeCursor([row.id]), Boolean(after));
  }
}
