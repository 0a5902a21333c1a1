import { and, count, desc, eq, like, lt, or, sql, type SQL } from 'drizzle-orm';
import { auditLog } from '../../db/schema';
import type { RequestScope } from '../../request-scope';
import { decodeCursor, encodeCursor, pageSize, toConnection } from '../../graphql/connection';
import { BadUserInputError } from '../../errors';
import { regionPrefix } from '../../domain/region';
import type { Viewer } from '../../auth/viewer';

export type AuditLogRow = typeof auditLog.$inferSelect;

/** Reading the audit log (writing happens in every mutation through MutationScope.audit). */
export class AuditService {
  constructor(private readonly scope: RequestScope) {}

  /**
   * Newest first, of the targets in the viewer's regions (admins: all); optionally only the
   * rows of one target.
   */
  async list(filter: { targetType?: string | null; targetId?: string | null }, first?: number | null, after?: string | null) {
    const limit = pageSize(first);
    const conditions: (SQL | undefined)[] = [auditScope(this.scope.viewer)];
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

/**
 * The rows a viewer may read: admins (and the registry itself) all; a supervisor those filed
 * under its regions (a city code covers its districts), so one with no regions reads none,
 * and rows without a region (imports, job summaries) are for admins only.
 */
export function auditScope(viewer: Viewer): SQL | undefined {
  if (viewer.role === 'ADMIN' || viewer.role === 'SYSTEM') return undefined;
  if (viewer.role !== 'SUPERVISOR' || viewer.regions.length === 0) return sql`false`;
  return or(
    ...viewer.regions.map((scope) => {
      const prefix = regionPrefix(scope);
      return prefix.length === 6 ? eq(auditLog.regionCode, prefix) : like(auditLog.regionCode, `${prefix}%`);
    }),
  );
}
