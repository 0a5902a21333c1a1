import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { createRateLimiter, type RateLimiter } from '../../src/limits/rate-limit';
import type { DbHandle } from '../../src/db';
import type { Viewer } from '../../src/auth/viewer';
import { drivers, openTestDb, type TestDb } from '../helpers/drivers';
import { until } from '../helpers/ws';

const merchant = (sub: string): Viewer => ({ role: 'MERCHANT', sub, merchantIds: [], regions: [] });

/** A node's view of the database whose rate-limit statements are counted. */
function countingHandle(handle: DbHandle, counter: { statements: number }): DbHandle {
  if (!handle.sql) return handle;
  const sql = handle.sql;
  const counted = new Proxy(sql, {
    apply(target, self, args: unknown[]) {
      // A tagged template is a statement; `sql(name)` only quotes an identifier.
      if (Array.isArray(args[0]) && 'raw' in args[0]) counter.statements++;
      return Reflect.apply(target as unknown as (...a: unknown[]) => unknown, self, args);
    },
  });
  return { ...handle, sql: counted };
}

describe.each(drivers)('shared request budgets on %s', (driver) => {
  let db: TestDb;
  const limiters: RateLimiter[] = [];
  const config = loadConfig({ ...process.env, RATE_LIMIT_MERCHANT: '100', RATE_LIMIT_WINDOW_S: '60', RATE_LIMIT_SYNC_MS: '50' }).limits;
  const open = async (counter = { statements: 0 }) => {
    const limiter = await createRateLimiter(config, countingHandle(db.handle, counter), createLogger('silent'));
    limiters.push(limiter);
    return limiter;
  };

  beforeAll(async () => {
    db = await openTestDb(driver);
  });
  afterAll(async () => {
    for (const limiter of limiters) limiter.close();
    await db?.dispose();
  });

  it('decides a burst of one viewer’s requests from memory, with a handful of statements', async () => {
    const counter = { statements: 0 };
    const node = await open(counter);
    const states = [];
    for (let i = 0; i < 40; i++) states.push(await node.charge(merchant('burst'), '127.0.0.1', 3));
    expect(states.map((s) => s!.limited)).toEqual([...Array<boolean>(33).fill(false), ...Array<boolean>(7).fill(true)]);
    expect(states[32]).toMatchObject({ used: 99, remaining: 1 });
    // The first request waits for the store; the others were decided here.
    expect(counter.statements).toBeLessThanOrEqual(driver === 'postgres' ? 2 : 0);
  });

  if (driver === 'postgres') {
    it('lets a second node see what the first one spent, within the sync interval', async () => {
      const a = await open();
      const b = await open();
      for (let i = 0; i < 10; i++) await a.charge(merchant('shared'), '127.0.0.1', 5);
      // Reaches the shared table within RATE_LIMIT_SYNC_MS.
      await until(async () => {
        const [row] = await db.handle.sql!<{ points: number }[]>`select points from rate_limit_points where key = 'merchant:sub:shared'`;
        return row?.points === 50;
      }, 2000);
      // A node that has not seen the key asks the store first: the budget is one.
      expect(await b.charge(merchant('shared'), '127.0.0.1', 45)).toMatchObject({ used: 95, remaining: 5, limited: false });
      expect(await b.charge(merchant('shared'), '127.0.0.1', 10)).toMatchObject({ remaining: 0, limited: true });
      await until(async () => {
        const [row] = await db.handle.sql!<{ points: number }[]>`select points from rate_limit_points where key = 'merchant:sub:shared'`;
        return row?.points === 105;
      }, 2000);
    });
  }
});
