import { createHash } from 'node:crypto';
import type postgres from 'postgres';
import type { LimitsConfig } from '../config';
import type { DbHandle } from '../db';
import type { Logger } from '../logger';
import type { Viewer } from '../auth/viewer';

/** The table the PostgreSQL store keeps its counters in, shared by every API node. */
export const RATE_LIMIT_TABLE = 'rate_limit_points';

type Budgeted = keyof LimitsConfig['rateLimits'];

/** A viewer's standing in the current window, after (or, for a dry run, without) this request. */
export interface RateState {
  /** The budget's name: the role, lower case (`public`, `merchant`, `supervisor`, `admin`). */
  policy: string;
  /** Points per window. */
  limit: number;
  windowS: number;
  /** Points spent in the window, this request included. */
  used: number;
  remaining: number;
  /** When the window ends and the budget is whole again. */
  resetAt: Date;
  /** This request did not fit in what remained: it is refused. */
  limited: boolean;
}

/** Budgets per viewer: cost points per fixed window, counted where every node sees them. */
export interface RateLimiter {
  /** Charges `points` to the viewer (by token subject, or by `ip` for the public). */
  charge(viewer: Viewer, ip: string, points: number): Promise<RateState | undefined>;
  /** The viewer's standing without charging anything. */
  peek(viewer: Viewer, ip: string): Promise<RateState | undefined>;
  /** Stops the sweeping of expired counters. */
  close(): void;
}

/** Expired counters are swept this often. */
const SWEEP_MS = 5 * 60_000;
/** A counter never passes this (the column is an integer; a flood keeps counting). */
const MAX_POINTS = 2_000_000_000;

function budgetOf(viewer: Viewer): Budgeted | undefined {
  return viewer.role === 'SYSTEM' ? undefined : viewer.role;
}

/** The counter's key: the budget, then the token subject, or the client's address for the public. */
function keyOf(role: Budgeted, viewer: Viewer, ip: string): string {
  const key = viewer.role === 'PUBLIC' || !viewer.sub ? `ip:${ip}` : `sub:${viewer.sub}`;
  // The store's key column is varchar(255); a long subject is hashed rather than cut.
  return `${role.toLowerCase()}:${key.length <= 200 ? key : `sha256:${createHash('sha256').update(key).digest('hex')}`}`;
}

/** One key's window as this node knows it. */
interface Counter {
  /** When the window ends (epoch ms): the store's, once it has answered. */
  expire: number;
  /** Points in the store at its last answer (every node's, this one's sent ones included). */
  stored: number;
  /** Points charged here and sent, not yet answered. */
  sending: number;
  /** Points charged here since the last send. */
  pending: number;
  /** The first send of this key's window, which the requests that meet it wait for. */
  first?: Promise<void>;
}

/** Where every node's counters meet: one statement adds a batch of charges and answers the totals. */
type Store = (charges: { key: string; points: number }[], now: number, windowMs: number) => Promise<{ key: string; points: number; expire: number }[]>;

function postgresStore(sql: postgres.Sql): Store {
  const table = sql(RATE_LIMIT_TABLE);
  // One round trip for every key charged since the last one; a window that has ended starts over.
  return async (charges, now, windowMs) => {
    const rows = await sql<{ key: string; points: number; expire: string }[]>`
      insert into ${table} (key, points, expire)
      select key, points, ${now + windowMs}::bigint
        from unnest(${charges.map((c) => c.key)}::text[], ${charges.map((c) => c.points)}::int[]) as charge(key, points)
      on conflict (key) do update set
        points = case when ${table}.expire > ${now}::bigint
                      then least(${table}.points::bigint + excluded.points, ${MAX_POINTS})::int
                      else excluded.points end,
        expire = case when ${table}.expire > ${now}::bigint then ${table}.expire else excluded.expire end
      returning key, points, expire`;
    return rows.map((row) => ({ key: row.key, points: row.points, expire: Number(row.expire) }));
  };
}

/**
 * Budgets per viewer in fixed windows. Each node decides from what it knows: the store's total at
 * its last answer plus what it charged since. Charges reach the store (PostgreSQL, shared by every
 * node) in one statement per `rateLimitSyncMs` for all keys together, not one per request; the first
 * request of a key in its window waits for the store, so a node learns what the others spent. Between
 * two syncs the nodes together can overspend by what they admit in that time. Should the store
 * fail, each node counts alone meanwhile and sends its charges once the store answers again. On
 * PGlite (one process) there is no store.
 */
export async function createRateLimiter(config: LimitsConfig, handle: DbHandle, log: Logger): Promise<RateLimiter> {
  const windowMs = config.rateLimitWindowS * 1000;
  const store = handle.sql ? postgresStore(handle.sql) : undefined;
  const counters = new Map<string, Counter>();
  let timer: NodeJS.Timeout | undefined;
  let storeFailing = false;

  const send = async (keys: Iterable<string>): Promise<void> => {
    if (!store) return;
    const charges: { key: string; points: number }[] = [];
    for (const key of keys) {
      const counter = counters.get(key);
      if (!counter) continue;
      charges.push({ key, points: counter.pending });
      counter.sending += counter.pending;
      counter.pending = 0;
    }
    if (charges.length === 0) return;
    try {
      const rows = await store(charges, Date.now(), windowMs);
      if (storeFailing) log.info('rate-limit store answers again');
      storeFailing = false;
      for (const row of rows) {
        const counter = counters.get(row.key);
        if (!counter) continue;
        counter.stored = row.points;
        counter.expire = row.expire;
      }
      for (const { key, points } of charges) {
        const counter = counters.get(key);
        if (counter) counter.sending -= points;
      }
    } catch (error) {
      if (!storeFailing) log.warn({ err: error }, 'rate-limit store failed; counting on this node meanwhile');
      storeFailing = true;
      for (const { key, points } of charges) {
        const counter = counters.get(key);
        if (!counter) continue;
        // Kept, to be sent with the next sync.
        counter.sending -= points;
        counter.pending += points;
      }
      schedule();
    }
  };

  function schedule(): void {
    if (!store || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      const due = [...counters].filter(([, c]) => c.pending > 0).map(([key]) => key);
      void send(due).then(() => {
        for (const counter of counters.values()) if (counter.pending > 0) return schedule();
      });
    }, config.rateLimitSyncMs);
    timer.unref();
  }

  const counterOf = async (key: string, now: number): Promise<Counter> => {
    let counter = counters.get(key);
    if (counter && counter.expire <= now && counter.sending === 0 && !counter.first) {
      counters.delete(key);
      counter = undefined;
    }
    if (!counter) {
      const fresh: Counter = { expire: now + windowMs, stored: 0, sending: 0, pending: 0 };
      counters.set(key, fresh);
      if (store) {
        fresh.first = send([key]).finally(() => {
          fresh.first = undefined;
        });
      }
      counter = fresh;
    }
    if (counter.first) await counter.first;
    return counter;
  };

  const stateOf = (role: Budgeted, counter: Counter, limited: boolean): RateState => {
    const limit = config.rateLimits[role];
    const spent = counter.stored + counter.sending + counter.pending;
    const used = limited ? Math.max(spent, limit) : spent;
    const now = Date.now();
    return {
      policy: role.toLowerCase(),
      limit,
      windowS: config.rateLimitWindowS,
      used,
      remaining: Math.max(limit - used, 0),
      resetAt: new Date(counter.expire > now ? counter.expire : now + windowMs),
      limited,
    };
  };

  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [key, counter] of counters) {
      if (counter.expire <= now && counter.pending === 0 && counter.sending === 0) counters.delete(key);
    }
    handle.sql?.unsafe(`delete from ${RATE_LIMIT_TABLE} where expire < $1`, [now - 3_600_000]).catch((error: unknown) => {
      log.warn({ err: error }, 'could not sweep expired rate-limit counters');
    });
  }, SWEEP_MS).unref();

  return {
    async charge(viewer, ip, points) {
      const role = budgetOf(viewer);
      if (!role) return undefined;
      const counter = await counterOf(keyOf(role, viewer, ip), Date.now());
      const before = counter.stored + counter.sending + counter.pending;
      // A refused request counts too, as every request does: a flood stays refused.
      counter.pending = Math.min(counter.pending + points, MAX_POINTS);
      schedule();
      return stateOf(role, counter, before + points > config.rateLimits[role]);
    },
    async peek(viewer, ip) {
      const role = budgetOf(viewer);
      if (!role) return undefined;
      return stateOf(role, await counterOf(keyOf(role, viewer, ip), Date.now()), false);
    },
    close() {
      clearInterval(sweep);
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
