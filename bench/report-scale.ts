/**
 * `npm run bench:report [-- --appeals 1000000] [-- --runs 30]`: annualReport and appealStatistics
 * at scale. Creates its own PostgreSQL database, migrates it, bulk-inserts synthetic appeals of
 * 2024–2025 in Suizhou's three districts with one `generate_series` statement (the count tables'
 * triggers count them in that statement), and times, sequentially on one connection:
 *
 * - the service (ReportService) without a cache: the figures read from the count tables;
 * - annualReport over HTTP on the real app: answered from the server's cache, and recomputed
 *   (the counts' version raised before each request, as any appeal change does);
 * - the same figures from the old six scans of `appeals` (tests/helpers/report-oracle.ts), checked
 *   equal to the service's.
 *
 * Prints a table, writes bench/results/report-scale.json, and drops the database, also on Ctrl-C
 * or failure. Figures are medians of wall-clock milliseconds: the machine is shared, so the load
 * average is printed with them.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';
import { createDb, type DbHandle } from '../src/db';
import { rowsOf } from '../src/db/rows';
import { migrateDb } from '../src/db/migrate';
import { createLogger } from '../src/logger';
import { createRequestScope } from '../src/request-scope';
import { ReportService } from '../src/modules/report/report.service';
import { statisticsFromAppeals } from '../tests/helpers/report-oracle';
import { median, percentile, round } from './stats';

const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
const SECRET = 'bench-secret-for-the-report-scale-bench-0123456789';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * Appeals with the demo's proportions (87% complaints, 12% reports), every outcome, a few late
 * steps and recovered amounts; deterministic (setseed). Due days are approximate (calendar days),
 * which is all the counts need.
 */
const GENERATE = (count: number) => sql`
  with ms as (select row_number() over (order by id) as n, id, region_code from merchants),
       cats as (select row_number() over (order by code) as n, code from appeal_categories where code like '%.%'),
       r as (select g, random() r1, random() r2, random() r3, random() r4, random() r5, random() r6 from generate_series(1, ${count}::int) g),
       x as (
         select g, r5, r6,
           case when r1 < 0.87 then 'COMPLAINT' when r1 < 0.99 then 'REPORT' when r1 < 0.999 then 'CONSULTATION' else 'PRAISE' end as type,
           timestamptz '2024-01-01 00:00+08' + r2 * interval '730 days' as received,
           case when r4 < 0.05 then interval '12 days' else interval '2 days' end as lag,
           case when r1 < 0.87 then
             case when r3 < 0.05 then 'REJECTED' when r3 < 0.07 then 'RECEIVED' when r3 < 0.10 then 'ACCEPTED' when r3 < 0.12 then 'IN_MEDIATION'
                  when r3 < 0.70 then 'MEDIATED' when r3 < 0.90 then 'MEDIATION_FAILED' else 'WITHDRAWN' end
           when r1 < 0.99 then
             case when r3 < 0.1 then 'RECEIVED' when r3 < 0.2 then 'VERIFYING' when r3 < 0.6 then 'CASE_FILED' else 'NOT_FILED' end
           else 'CLOSED' end as st
         from r)
  insert into appeals (type, channel, received_at, merchant_id, region_code, category_code, violation_type, amount_recovered_fen, status,
    accepted_at, rejected_at, rejection_reason, concluded_at, decided_at, acceptance_due_on, conclusion_due_on, verification_due_on)
  select x.type::appeal_type, 'HOTLINE', x.received, m.id, m.region_code,
    case when x.type = 'COMPLAINT' then c.code end,
    case when x.type = 'REPORT' then (array['ADVERTISING','UNFAIR_COMPETITION','CONSUMER_RIGHTS','PRODUCT_QUALITY','FOOD_SAFETY'])[1 + floor(x.r6 * 5)::int] end,
    case when x.st = 'MEDIATED' then floor(x.r5 * 500000)::bigint else 0 end,
    x.st::appeal_status,
    case when x.type = 'COMPLAINT' and x.st not in ('RECEIVED', 'REJECTED') then x.received + x.lag end,
    case when x.st = 'REJECTED' then x.received + x.lag end,
    case when x.st = 'REJECTED' then '不属于受理范围' end,
    case when x.st in ('MEDIATED', 'MEDIATION_FAILED', 'WITHDRAWN') then x.received + x.lag + interval '20 days' + (x.r5 > 0.97)::int * interval '60 days' end,
    case when x.st in ('CASE_FILED', 'NOT_FILED') then x.received + interval '14 days' + (x.r5 > 0.97)::int * interval '20 days' end,
    case when x.type = 'COMPLAINT' then ((x.received at time zone 'Asia/Shanghai') + interval '9 days')::date end,
    case when x.type = 'COMPLAINT' and x.st not in ('RECEIVED', 'REJECTED') then ((x.received + x.lag) at time zone 'Asia/Shanghai' + interval '63 days')::date end,
    case when x.type = 'REPORT' then ((x.received at time zone 'Asia/Shanghai') + interval '21 days')::date end
  from x join ms m on m.n = 1 + x.g % 3000 join cats c on c.n = 1 + floor(x.r6 * (select count(*) from cats))::int`;

async function timed<T>(work: () => Promise<T>): Promise<[number, T]> {
  const start = performance.now();
  const value = await work();
  return [performance.now() - start, value];
}

/** `runs` timings of `work` after one warm-up (plans, caches, connections); `before` runs untimed ahead of each. */
async function series(runs: number, work: () => Promise<unknown>, before?: () => Promise<unknown>) {
  await before?.();
  await work();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    await before?.();
    ms.push((await timed(work))[0]);
  }
  return { medianMs: round(median(ms), 1), p95Ms: round(percentile(ms, 95), 1), minMs: round(Math.min(...ms), 1) };
}

async function main(): Promise<void> {
  const appeals = option('--appeals', 1_000_000);
  const runs = option('--runs', 30);
  const name = `registry_report_bench_${process.pid}`;
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => undefined });
  let handle: DbHandle | undefined;
  let dropped = false;
  const drop = async () => {
    if (dropped) return;
    dropped = true;
    await handle?.close();
    await admin`drop database if exists ${admin(name)} with (force)`;
    await admin.end();
  };
  process.once('SIGINT', () => void drop().finally(() => process.exit(130)));
  try {
    await admin`create database ${admin(name)}`;
    handle = await createDb({ databaseUrl: withDatabase(ADMIN_URL, name), maxConnections: 2 });
    const db = handle.db;
    await migrateDb(handle);
    await db.execute(sql`
      insert into merchants (uscc, name, kind, industry, size_band, region_code, address, established_on)
      select '92' || lpad(g::text, 16, '0'), '商户' || g, 'INDIVIDUAL_BUSINESS', 'FOOD', 'SMALL', (array['421303','421321','421381'])[1 + g % 3], '随州', '2020-01-01'
      from generate_series(1, 3000) g`);
    await db.execute(sql`select setseed(0.42)`);
    process.stdout.write(`inserting ${appeals.toLocaleString('en')} appeals…\n`);
    const [insertMs] = await timed(() => db.execute(GENERATE(appeals)));
    const [rebuildMs] = await timed(() => db.execute(sql`select appeal_counts_rebuild()`));
    await db.execute(sql`analyze`);
    const [counted] = rowsOf<{ appeals: number; daily: number; monthly: number }>(
      await db.execute(sql`select (select count(*) from appeals)::int as appeals, (select count(*) from appeal_counts_daily)::int as daily,
        (select count(*) from appeal_counts_monthly)::int as monthly`),
    );

    const service = new ReportService(createRequestScope({ db, log: createLogger('silent') }));
    const region = '421300';
    const cases = [
      { name: 'annualReport(2025, 421300)', from: '2025-01-01', to: '2025-12-31' },
      { name: 'appealStatistics 2025-01-02…2025-12-30 (most loose days)', from: '2025-01-02', to: '2025-12-30' },
      { name: 'appealStatistics 2025-03-05…2025-03-20', from: '2025-03-05', to: '2025-03-20' },
    ];
    const rows: Record<string, unknown>[] = [];
    for (const c of cases) {
      const figures = await series(runs, () => service.statistics(c.from, c.to, region));
      const [oldMs, old] = await timed(() => statisticsFromAppeals(db, c.from, c.to, region));
      const equal = isDeepStrictEqual(await service.statistics(c.from, c.to, region), old);
      if (!equal) throw new Error(`${c.name}: the count tables' figures differ from the appeals' own`);
      rows.push({ read: `${c.name}, service`, ...figures, oldScanMs: round(oldMs, 0), equalToOldScan: equal });
    }

    const config = loadConfig({ NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', AUTH_SECRET: SECRET, RUN_JOBS: 'false', SEED_DEMO: 'false' });
    const app = await createApp({ config, db: handle });
    try {
      const { url } = await app.listen();
      const body = JSON.stringify({ query: `{ annualReport(year: 2025, regionCode: "${region}") { total complaintsDecidedOnTime { percent } amountRecoveredFen } }` });
      const post = async (text: string) => {
        const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: text });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        await response.json();
      };
      const ask = () => post(body);
      // What any request costs over HTTP here (GraphQL, limits, logging): the floor of the two rows below.
      rows.push({ read: '{ __typename } over HTTP', ...(await series(runs, () => post(JSON.stringify({ query: '{ __typename }' })))) });
      rows.push({ read: 'annualReport(2025, 421300) over HTTP, cached', ...(await series(runs, ask)) });
      // As after any appeal change: the version moves and the next request recomputes.
      const raise = () => db.execute(sql`update appeal_counts_version set version = version + 1`);
      rows.push({ read: 'annualReport(2025, 421300) over HTTP, recomputed', ...(await series(runs, ask, raise)) });
    } finally {
      await app.stop();
    }

    const load = loadavg().map((l) => round(l, 2));
    const result = { date: new Date().toISOString(), appeals: counted!.appeals, countRows: { daily: counted!.daily, monthly: counted!.monthly }, insertMs: round(insertMs, 0), rebuildMs: round(rebuildMs, 0), loadAverage: load, runs, rows };
    process.stdout.write(`\n${counted!.appeals.toLocaleString('en')} appeals → ${counted!.daily.toLocaleString('en')} daily and ${counted!.monthly.toLocaleString('en')} monthly count rows; `);
    process.stdout.write(`insert with triggers ${round(insertMs / 1000, 1)} s, rebuild ${round(rebuildMs / 1000, 1)} s; load average ${load.join(' ')}\n\n`);
    console.table(rows);
    mkdirSync(join(__dirname, 'results'), { recursive: true });
    writeFileSync(join(__dirname, 'results', 'report-scale.json'), `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await drop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:report failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
