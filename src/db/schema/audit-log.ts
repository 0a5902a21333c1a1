import { bigint, index, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { instant } from './columns';
import { actorRole } from './enums';

/**
 * Append-only log of every mutation: who, what, when, before and after. A trigger in the
 * migrations refuses UPDATE and DELETE on it.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    at: instant('at').notNull().defaultNow(),
    actorSub: text('actor_sub').notNull(),
    actorRole: actorRole('actor_role').notNull(),
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    targetId: text('target_id').notNull(),
    before: jsonb('before'),
    after: jsonb('after'),
    requestId: text('request_id'),
    /**
     * The district of the target (a merchant's, or its merchant's), fixed when the row is
     * written, so reading the log by jurisdiction is one indexed predicate. Null for rows with
     * no single region (imports, the daily job's summaries): only admins read those.
     */
    regionCode: text('region_code'),
  },
  (t) => [
    index('audit_log_target_idx').on(t.targetType, t.targetId),
    index('audit_log_at_idx').on(t.at),
    // text_pattern_ops: a city or province scope is a prefix (LIKE '4213%') and must use it too.
    index('audit_log_region_idx').on(t.regionCode.op('text_pattern_ops'), t.id),
  ],
);
