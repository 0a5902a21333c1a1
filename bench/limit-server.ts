/**
 * The limit: what each public read costs when written by hand. Bare node:http, one postgres.js
 * pool, one prepared SQL statement per read, answering the same JSON as the GraphQL `data`.
 * No validation, auth, limits or logging: the figure of the registry is measured against this.
 *
 *   GET /lookup?uscc=…   merchant(uscc:) { name regionCode rating { score grade } pledge { id status windowDays expiresOn } }
 *   GET /merchants       merchants(first: 20) { edges { node { uscc name rating { score grade } pledge { status } } } }
 *   GET /report          annualReport(year: 2023, regionCode: "421300") { total complaintsDecidedOnTime { percent } amountRecoveredFen }
 *
 * Run as its own process (bench/run.ts starts it) so its CPU is measured apart: env DATABASE_URL, PORT.
 */
import { createServer, type ServerResponse } from 'node:http';
import postgres from 'postgres';
import { percent } from '../src/domain/report-math';
import { regionPrefix } from '../src/domain/region';

const sql = postgres(process.env.DATABASE_URL!, {
  max: Number(process.env.DB_POOL_MAX ?? 10),
  prepare: true,
  connection: { application_name: 'bench-limit' },
});

async function lookup(uscc: string) {
  // Today in Asia/Shanghai, the day the registry compares expiresOn with.
  const [row] = await sql`
    select m.name, m.region_code, r.score::float8 as score, r.grade::text as grade,
           p.id as pledge_id, p.status::text as status, p.window_days, p.expires_on::text as expires_on
    from merchants m
    left join ratings r on r.merchant_id = m.id
    left join return_pledges p on p.merchant_id = m.id and p.status in ('ACTIVE', 'SUSPENDED')
                              and (p.expires_on is null or p.expires_on > (now() at time zone 'Asia/Shanghai')::date)
    where m.uscc = ${uscc}`;
  if (!row) return { merchant: null };
  return {
    merchant: {
      name: row.name,
      regionCode: row.region_code,
      rating: row.grade === null ? null : { score: row.score, grade: row.grade },
      pledge: row.pledge_id === null ? null : { id: row.pledge_id, status: row.status, windowDays: row.window_days, expiresOn: row.expires_on },
    },
  };
}

async function page() {
  const rows = await sql`
    select m.uscc, m.name, r.score::float8 as score, r.grade::text as grade, p.status::text as status
    from (select id, uscc, name from merchants order by name collate "C", id limit 20) m
    left join ratings r on r.merchant_id = m.id
    left join return_pledges p on p.merchant_id = m.id and p.status in ('ACTIVE', 'SUSPENDED')
                              and (p.expires_on is null or p.expires_on > (now() at time zone 'Asia/Shanghai')::date)
    order by m.name collate "C", m.id`;
  return {
    merchants: {
      edges: rows.map((row) => ({
        node: {
          uscc: row.uscc,
          name: row.name,
          rating: row.grade === null ? null : { score: row.score, grade: row.grade },
          pledge: row.status === null ? null : { status: row.status },
        },
      })),
    },
  };
}

async function report(year: number, regionCode: string) {
  // The registry keeps appeal counts per month (migration appeal_counts): a year is twelve rows
  // per region, type and category, summed here for the three figures asked for only.
  const [row] = await sql`
    select coalesce(sum(appeals), 0)::int as total,
           coalesce(sum(decided) filter (where type = 'COMPLAINT'), 0)::int as decided,
           coalesce(sum(decided_on_time) filter (where type = 'COMPLAINT'), 0)::int as decided_on_time,
           coalesce(sum(recovered_fen), 0)::float8 as recovered
    from appeal_counts_monthly
    where month >= ${`${year}-01-01`}::date and month < ${`${year + 1}-01-01`}::date
      and region_code like ${`${regionPrefix(regionCode)}%`}`;
  return {
    annualReport: {
      total: row!.total,
      complaintsDecidedOnTime: { percent: percent(row!.decided_on_time, row!.decided) },
      amountRecoveredFen: row!.recovered,
    },
  };
}

function send(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://limit');
  let work: Promise<unknown>;
  if (url.pathname === '/lookup') work = lookup(url.searchParams.get('uscc') ?? '');
  else if (url.pathname === '/merchants') work = page();
  else if (url.pathname === '/report') work = report(Number(url.searchParams.get('year') ?? 2023), url.searchParams.get('regionCode') ?? '421300');
  else return send(res, 404, { error: 'not found' });
  work.then(
    (data) => send(res, 200, { data }),
    (error: unknown) => send(res, 500, { error: String(error) }),
  );
});

server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : ''}\n`);
});

function stop() {
  server.close();
  server.closeAllConnections();
  void sql.end({ timeout: 1 }).finally(() => process.exit(0));
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
