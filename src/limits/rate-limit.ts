import { createHash } from 'node:crypto';
import type postgres from 'postgres';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
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

/** Expired counters are swept this often (the library's own sweep could not be stopped). */
const SWEEP_MS = 5 * 60_000;

/**
 * rate-limiter-flexible's PostgreSQL store speaks to a `pg` pool (`query({ text, values })`
 * resolving to `{ rows, rowCount }`); postgres.js does the same through `unsafe`.
 */
function pgStoreClient(sql: postgres.Sql, log: Logger) {
  return {
    query: async ({ text, values }: { text: string; values?: unknown[] }) => {
      try {
        const rows = await sql.unsafe(text, (values ?? []) as postgres.ParameterOrJSON<never>[]);
        return { rows, rowCount: rows.count };
      } catch (error) {
        // The in-memory insurance limiter takes over; say so, since budgets are then per node.
        log.warn({ err: error }, 'rate-limit store failed; counting in memory meanwhile');
        throw error;
      }
    },
  };
}

function budgetOf(viewer: Viewer): Budgeted | undefined {
  return viewer.role === 'SYSTEM' ? undefined : viewer.role;
}

/** The counter's key: the token subject, or the client's address for the public. */
function keyOf(viewer: Viewer, ip: string): string {
  const key = viewer.role === 'PUBLIC' || !viewer.sub ? `ip:${ip}` : `sub:${viewer.sub}`;
  // The store's key column is varchar(255); a long subject is hashed rather than cut.
  return key.length <= 200 ? key : `sha256:${createHash('sha256').update(key).digest('hex')}`;
}

/**
 * Opens the budgets: in the shared PostgreSQL table when the app runs on PostgreSQL (with an
 * in-memory stand-in should the table be unreachable), in memory on PGlite (one process).
 */
export async function createRateLimiter(config: LimitsConfig, handle: DbHandle, log: Logger): Promise<RateLimiter> {
  const windowS = config.rateLimitWindowS;
  const sql = handle.sql;
  const limiters = new Map<Budgeted, RateLimiterAbstract>();
  for (const role of Object.keys(config.rateLimits) as Budgeted[]) {
    const points = config.rateLimits[role];
    const keyPrefix = role.toLowerCase();
    const memory = new RateLimiterMemory({ points, duration: windowS, keyPrefix });
    limiters.set(
      role,
      sql
        ? new RateLimiterPostgres({
            storeClient: pgStoreClient(sql, log),
            storeType: 'pool',
            tableName: RATE_LIMIT_TABLE,
            // Created by migration 0006 (drizzle/), like every other table.
            tableCreated: true,
            clearExpiredByTimeout: false,
            keyPrefix,
            points,
            duration: windowS,
            // A spent budget is then refused in memory until its window ends: a flood costs
            // the database nothing.
            inMemoryBlockOnConsumed: points,
            insuranceLimiter: memory,
          })
        : memory,
    );
  }

  const sweep = sql
    ? setInterval(() => {
        sql.unsafe(`delete from ${RATE_LIMIT_TABLE} where expire < $1`, [Date.now() - 3_600_000]).catch((error: unknown) => {
          log.warn({ err: error }, 'could not sweep expired rate-limit counters');
        });
      }, SWEEP_MS).unref()
    : undefined;

  const stateOf = (role: Budgeted, res: RateLimiterRes | null, limited: boolean): RateState => {
    const limit = config.rateLimits[role];
    // A refusal from the in-memory block carries no count: the budget is spent, that is all.
    const used = res ? (limited ? Math.max(res.consumedPoints ?? 0, limit) : res.consumedPoints) : 0;
    const msLeft = res && res.msBeforeNext >= 0 ? res.msBeforeNext : windowS * 1000;
    return {
      policy: role.toLowerCase(),
      limit,
      windowS,
      used,
      remaining: Math.max(limit - used, 0),
      resetAt: new Date(Date.now() + msLeft),
      limited,
    };
  };

  return {
    async charge(viewer, ip, points) {
      const role = budgetOf(viewer);
      if (!role) return undefined;
      try {
        return stateOf(role, await limiters.get(role)!.consume(keyOf(viewer, ip), points), false);
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) return stateOf(role, rejection, true);
        // Both stores failed: serve rather than refuse everyone for our own fault.
        log.error({ err: rejection }, 'rate limiter failed; request not counted');
        return undefined;
      }
    },
    async peek(viewer, ip) {
      const role = budgetOf(viewer);
      if (!role) return undefined;
      try {
        return stateOf(role, await limiters.get(role)!.get(keyOf(viewer, ip)), false);
      } catch (error) {
        log.error({ err: error }, 'rate limiter failed to read');
        return undefined;
      }
    },
    close() {
      clearInterval(sweep);
    },
  };
}
