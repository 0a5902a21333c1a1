import { bigint, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Primary key: UUIDs so ids can be made before insert (seeds derive them deterministically). */
export const id = () => uuid('id').primaryKey().defaultRandom();

/** An instant; always with time zone. Calendar days are derived in Asia/Shanghai. */
export const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** Money in integer fen. JS numbers hold fen exactly up to 2^53 (about 90 trillion yuan). */
export const fen = (name: string) => bigint(name, { mode: 'number' });

export const createdAt = () => instant('created_at').notNull().defaultNow();
export const updatedAt = () => instant('updated_at').notNull().defaultNow();

/** Who made a record: the `sub` of the token, or `system`/`seed` for automatic work. */
export const actor = (name = 'actor') => text(name).notNull().default('system');
