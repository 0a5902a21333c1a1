import { bigint, bigserial, index, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { check } from 'drizzle-orm/pg-core';
import { instant } from './columns';

/**
 * The event log (transactional outbox): every event a committed change announces, written in the
 * transaction of the change, in commit order (`src/events/log.ts` serialises the writers). Nodes
 * read it from the last position they saw, so an event committed while a node was deaf is read
 * later, never lost. Pruned after `EVENT_RETENTION_DAYS` by the daily job.
 */
export const events = pgTable(
  'events',
  {
    position: bigserial('position', { mode: 'number' }).primaryKey(),
    /** The event type: rating, appeal, pledge, fund. */
    kind: text('kind').notNull(),
    regionCode: text('region_code').notNull(),
    merchantId: uuid('merchant_id'),
    /** The whole event as subscribers receive it (ids, versions, the values they filter on). */
    payload: jsonb('payload').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [index('events_created_at_idx').on(t.createdAt)],
);

/**
 * One row: the highest position the retention prune has removed. A cursor below it may have
 * missed events that are gone (CURSOR_EXPIRED).
 */
export const eventsPruned = pgTable(
  'events_pruned',
  {
    id: integer('id').primaryKey().default(1),
    through: bigint('through', { mode: 'number' }).notNull().default(0),
  },
  (t) => [check('events_pruned_one_row', sql`${t.id} = 1`)],
);
