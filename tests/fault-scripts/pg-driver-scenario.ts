/**
 * Runs one connection-fault scenario against postgres.js in a process of its own, so that an
 * exception thrown from the driver's timers (which no await can catch) shows as this process
 * dying instead of being swallowed by a test runner.
 *
 *   DATABASE_URL=postgres://… node -r @swc-node/register tests/fault-scripts/pg-driver-scenario.ts reserved|load
 *
 * Prints one JSON line with the outcome and exits 0 when the process survived.
 * Only backends of this process's own application_name are terminated.
 */
import postgres from 'postgres';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL is required');
const scenario = process.argv[2];
const appName = `pg-driver-scenario-${process.pid}`;

const CONNECTION_CODES = new Set(['CONNECTION_CLOSED', 'CONNECTION_DESTROYED', 'CONNECTION_ENDED', 'CONNECT_TIMEOUT', 'ECONNRESET', 'EPIPE', 'ECONNREFUSED', '57P01']);
function kind(error: unknown): string {
  const code = String((error as { code?: string | number }).code ?? '');
  return CONNECTION_CODES.has(code) ? code : `other:${code}:${(error as Error).message}`;
}

function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
    }),
  ]);
}

/** The upstream minimal case (porsager/postgres#1208): a reserved connection whose backend is terminated. */
async function reserved() {
  const sql = postgres(url!, { max: 2, onnotice: () => {}, connection: { application_name: appName } });
  const killer = postgres(url!, { max: 1, onnotice: () => {} });
  const reservedSql = await sql.reserve();
  const [{ pid }] = (await reservedSql`select pg_backend_pid() as pid`) as unknown as [{ pid: number }];
  await killer`select pg_terminate_backend(${pid})`;
  const outcomes: string[] = [];
  for (let i = 0; i < 2; i++) {
    try {
      await withDeadline(reservedSql`select 1`, 5000, 'a query on the dead reserved connection');
      outcomes.push('answered');
    } catch (error) {
      outcomes.push(kind(error));
    }
  }
  reservedSql.release();
  // The pool still serves queries afterwards.
  const [{ one }] = (await withDeadline(sql`select 1 as one`, 5000, 'a query after the kill')) as unknown as [{ one: number }];
  await withDeadline(Promise.all([sql.end({ timeout: 2 }), killer.end({ timeout: 2 })]), 5000, 'end()');
  return { outcomes, afterwards: one };
}

/** Eight workers run transactions and reads on a small pool while every backend is killed 20 times. */
async function load() {
  const sql = postgres(url!, { max: 4, onnotice: () => {}, connection: { application_name: appName } });
  const killer = postgres(url!, { max: 1, onnotice: () => {} });
  const counts: Record<string, number> = {};
  const count = (key: string) => (counts[key] = (counts[key] ?? 0) + 1);
  let stop = false;
  const worker = async (n: number) => {
    for (let i = 0; !stop; i++) {
      try {
        if (i % 2 === 0) {
          await withDeadline(
            sql.begin(async (tx) => {
              await tx`select pg_sleep(0.002)`;
              await tx`select ${n}::int + ${i}::int as x`;
              await tx`select 'a transaction of several statements' as s`;
            }),
            10_000,
            'a transaction',
          );
        } else {
          await withDeadline(sql`select ${i}::int as i, pg_sleep(0.001)`, 10_000, 'a read');
        }
        count('ok');
      } catch (error) {
        count(kind(error));
      }
    }
  };
  let killed = 0;
  const workers = Array.from({ length: 8 }, (_, n) => worker(n));
  for (let k = 0; k < 20; k++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const rows = await killer`select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where application_name = ${appName}`;
    killed += rows[0]!.n as number;
  }
  stop = true;
  await Promise.all(workers);
  // The last kill may still be closing a connection: one retry, as an application would.
  const afterKills = () => withDeadline(sql`select 1 as one`, 5000, 'a query after the kills');
  const [{ one }] = (await afterKills().catch(afterKills)) as unknown as [{ one: number }];
  await withDeadline(Promise.all([sql.end({ timeout: 2 }), killer.end({ timeout: 2 })]), 5000, 'end()');
  return { killed, counts, afterwards: one };
}

const run = scenario === 'reserved' ? reserved : scenario === 'load' ? load : undefined;
if (!run) throw new Error(`unknown scenario '${scenario}': reserved or load`);
run().then(
  (result) => {
    console.log(JSON.stringify({ scenario, survived: true, ...result }));
    process.exit(0);
  },
  (error: unknown) => {
    console.log(JSON.stringify({ scenario, survived: true, failed: String((error as Error).stack ?? error) }));
    process.exit(2);
  },
);
