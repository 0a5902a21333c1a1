import { sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db';
import { rowsOf } from '../../db/rows';
import type { EventBus } from '../../events/bus';
import { appendEvents } from '../../events/log';
import { shanghaiToday, type LocalDate } from '../../domain/local-date';
import { ratingEvents, rerateMerchants, type RatingChange } from './rating.store';

/**
 * Queues merchants for re-rating in the caller's transaction (rating_queue): the rows that change
 * their records and the promise to re-rate them commit together, so a crash after the commit
 * leaves the promise for the next drain.
 */
export async function enqueueRatings(tx: DbOrTx, merchantIds: readonly (string | null | undefined)[]): Promise<void> {
  const ids = [...new Set(merchantIds.filter((id): id is string => Boolean(id)))];
  if (ids.length === 0) return;
  await tx.execute(sql`insert into rating_queue (merchant_id) select unnest(${sql.param(ids)}::uuid[]) on conflict do nothing`);
}

export interface DrainOptions {
  cause: string;
  causeRef?: string | null;
  asOf?: LocalDate;
  /** Merchants per transaction (default 1,000). */
  batchSize?: number;
  /** This node's bus, woken after each batch so its own subscribers hear at once (others by NOTIFY). */
  events?: Pick<EventBus, 'wake'>;
}

/**
 * Re-rates every queued merchant, in transactions of `batchSize` that each take their merchants
 * off the queue and store their new ratings together (several drains may run at once: a
 * queued row is taken by one of them). Returns the ratings whose score or grade changed.
 */
export async function drainRatingQueue(db: Db, options: DrainOptions): Promise<RatingChange[]> {
  const batchSize = options.batchSize ?? 1000;
  const all: RatingChange[] = [];
  for (;;) {
    const asOf = options.asOf ?? shanghaiToday();
    const changes = await db.transaction(async (tx) => {
      const taken = rowsOf<{ merchant_id: string }>(
        await tx.execute(sql`
          delete from rating_queue where merchant_id in (
            select merchant_id from rating_queue order by merchant_id limit ${batchSize} for update skip locked)
          returning merchant_id::text as merchant_id`),
      );
      if (taken.length === 0) return null;
      const rerated = await rerateMerchants(tx, taken.map((t) => t.merchant_id), asOf, options.cause, options.causeRef ?? null);
      // Subscribers on every node hear of each change from the log, committed with the rating.
      await appendEvents(tx, ratingEvents(rerated));
      return rerated;
    });
    if (changes === null) break;
    if (changes.length) options.events?.wake();
    all.push(...changes);
  }
  return all;
}
