/**
 * `npm run bench [-- --quick] [-- --rounds N --duration S] [-- --size demo|scale|both --scale N]`:
 * the registry's public reads against their hand-written limit (bench/limit-server.ts), side by
 * side in one run, alternating which goes first each round, at the demo size and at the scale size
 * (`db:seed --scale N`, seeded once and cached: bench/scale-db.ts). Starts its own PostgreSQL
 * databases, the server and the limit; drops and stops them at the end, also on Ctrl-C or failure.
 * Prints a table of ratios per size and how each ratio moves, and writes
 * bench/results/latest.json. How to read it: bench/README.md.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import autocannon from 'autocannon';
import postgres from 'postgres';
import { cpuDelta, cpuSnapshot } from './proc';
import { startStatementCounter, type StatementCounter } from './pg-counter';
import { copyTemplate, scaleTemplate } from './scale-db';
import { median, ratio, seededShuffle } from './stats';
import { measureWrites, writesTable, type WriteRow } from './writes';
import { liveTable, measureLive, type LiveRow } from './live';

const ROOT = join(__dirname, '..');
const PG = { host: '127.0.0.1', port: 5432, user: 'root' };
const SEED = 13;
const CONNECTIONS = 20;
const LOOKUP_USCCS = 200;
const COUNT_REQUESTS = 50;

type Size = 'demo' | 'scale';

interface Options {
  quick: boolean;
  rounds: number;
  durationS: number;
  warmupS: number;
  sizes: Size[];
  /** Merchants of the scale database (appeals are ten times as many). */
  scaleMerchants: number;
  /** The live fan-out rows (demo size): measured unless --no-live; --live-only skips the reads. */
  live: boolean;
  liveOnly: boolean;
  liveEvents: number;
  /** The write rows (bench/writes.ts): measured unless --no-writes or --live-only. */
  writes: boolean;
}

const DEFAULT_SCALE_MERCHANTS = 100_000;

function parseOptions(argv: string[]): Options {
  const quick = argv.includes('--quick');
  const value = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? Number(argv[i + 1]) : undefined;
  };
  const sizeArg = argv.includes('--size') ? argv[argv.indexOf('--size') + 1] : undefined;
  // The full run measures both sizes; a quick one only the demo unless asked.
  const sizes: Size[] = sizeArg === undefined ? (quick ? ['demo'] : ['demo', 'scale']) : sizeArg === 'both' ? ['demo', 'scale'] : [sizeArg as Size];
  const options = {
    quick,
    rounds: value('--rounds') ?? (quick ? 2 : 5),
    durationS: value('--duration') ?? (quick ? 4 : 10),
    warmupS: quick ? 1 : 2,
    sizes,
    scaleMerchants: value('--scale') ?? DEFAULT_SCALE_MERCHANTS,
    live: !argv.includes('--no-live'),
    liveOnly: argv.includes('--live-only'),
    liveEvents: value('--live-events') ?? (quick ? 5 : 11),
    writes: !argv.includes('--no-writes') && !argv.includes('--live-only'),
  };
  if (!Number.isInteger(options.rounds) || options.rounds < 1) throw new Error('--rounds must be a positive integer');
  if (!Number.isFinite(options.durationS) || options.durationS <= 0) throw new Error('--duration must be positive seconds');
  if (!sizes.every((size) => size === 'demo' || size === 'scale')) throw new Error('--size must be demo, scale or both');
  if (!Number.isInteger(options.scaleMerchants) || options.scaleMerchants < 200) throw new Error('--scale must be a whole number of merchants, at least 200');
  return options;
}

/** One read as the registry is asked it and as the limit is asked it. */
interface Read {
  name: string;
  graphql: (i: number) => { query: string; variables: Record<string, unknown> };
  limitPath: (i: number) => string;
}

function reads(usccs: string[]): Read[] {
  const pick = (i: number) => usccs[i % usccs.length]!;
  return [
    {
      name: 'lookup merchant(uscc:)',
      graphql: (i) => ({
        query:
          'query Lookup($uscc: String!) { merchant(uscc: $uscc) { name regionCode rating { score grade } pledge { id status windowDays expiresOn } } }',
        variables: { uscc: pick(i) },
      }),
      limitPath: (i) => `/lookup?uscc=${pick(i)}`,
    },
    {
      name: 'page merchants(first: 20)',
      graphql: () => ({
        query: 'query Page { merchants(first: 20) { edges { node { uscc name rating { score grade } pledge { status } } } } }',
        variables: {},
      }),
      limitPath: () => '/merchants',
    },
    {
      name: 'annualReport(2023, 421300)',
      graphql: () => ({
        query:
          'query Report { annualReport(year: 2023, regionCode: "421300") { total complaintsDecidedOnTime { percent } amountRecoveredFen } }',
        variables: {},
      }),
      limitPath: () => '/report?year=2023&regionCode=421300',
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Processes and cleanup

const children = new Set<ChildProcess>();
let dropDatabases: (() => Promise<void>) | null = null;
let cleaning: Promise<void> | null = null;
let interrupted = false;

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 8000);
  await exited;
  clearTimeout(timer);
}

function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    await Promise.all([...children].map(stopChild));
    if (dropDatabases) await dropDatabases().catch((error: unknown) => process.stderr.write(`could not drop the bench databases: ${String(error)}\n`));
  })();
  return cleaning;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupted = true;
    process.stderr.write(`\n${signal}: stopping the servers and dropping the bench databases…\n`);
    void cleanup().finally(() => process.exit(130));
  });
}

function start(name: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  // Only warnings and errors reach the terminal (LOG_LEVEL=warn); the limit prints its port.
  child.stderr.on('data', (chunk: Buffer) => process.stderr.write(`[${name}] ${chunk.toString()}`));
  child.stdout.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    if (!text.startsWith('listening')) process.stderr.write(`[${name}] ${text}`);
  });
  return child;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitFor(url: string, child: ChildProcess, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode} before it was ready`);
    try {
      const res = await fetch(url);
      if (res.status === 200) return;
      const body = await res.text();
      if (body !== last) process.stderr.write(`  ${what}: ${body.slice(0, 160)}\n`);
      last = body;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} was not ready within ${timeoutMs / 1000} s`);
}

function dbUrl(database: string, port = PG.port): string {
  return `postgres://${PG.user}@${PG.host}:${port}/${database}`;
}

/** The registry as shipped: built with tsc, run from dist/, in production mode. */
async function startServer(database: string, dbPort = PG.port): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = start('server', ['dist/src/index.js'], {
    NODE_ENV: 'production',
    DATABASE_URL: dbUrl(database, dbPort),
    AUTH_SECRET: 'bench-secret-bench-secret-bench-secret-0123456789',
    SEED_DEMO: 'true',
    RUN_JOBS: 'false',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    PORT: String(port),
    // The bench is one client address sending thousands of requests a second.
    RATE_LIMIT_PUBLIC: '1000000000',
    RATE_LIMIT_MERCHANT: '1000000000',
    RATE_LIMIT_SUPERVISOR: '1000000000',
    RATE_LIMIT_ADMIN: '1000000000',
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/readyz`, child, 10 * 60_000, 'server');
  return { child, url };
}

async function startLimit(database: string, dbPort = PG.port): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = start('limit', ['-r', '@swc-node/register', 'bench/limit-server.ts'], { DATABASE_URL: dbUrl(database, dbPort), PORT: String(port) });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/lookup?uscc=x`, child, 60_000, 'limit');
  return { child, url };
}

// ---------------------------------------------------------------------------------------------
// Requests

/**
 * A fetch of the bench's own servers. A request on a kept-alive socket the server closed at the
 * same moment fails as `fetch failed` with nothing sent: it is tried once more on a new socket
 * and said so. Any other failure names its cause and whether the process behind `url` is still
 * running (a crash prints its log above, prefixed with its name).
 */
async function benchFetch(url: string, init: RequestInit | undefined, child: ChildProcess | undefined, what: string): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetch(url, init);
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const alive = child === undefined || (child.exitCode === null && child.signalCode === null);
      const closedByPeer = cause?.code === 'UND_ERR_SOCKET' || cause?.code === 'ECONNRESET';
      if (attempt === 1 && alive && closedByPeer) {
        process.stderr.write(`  ${what}: ${cause?.code} (${cause?.message}) on a kept-alive socket, asked again\n`);
        continue;
      }
      const state = child === undefined ? '' : alive ? ', the process is still running' : `, the process exited (code ${child.exitCode}, signal ${child.signalCode})`;
      throw new Error(`${what}: ${String(error)} (${cause?.code ?? ''} ${cause?.message ?? 'no cause given'})${state}`, { cause: error });
    }
  }
}

async function askServer(url: string, read: Read, i: number, child?: ChildProcess): Promise<unknown> {
  const res = await benchFetch(
    `${url}/graphql`,
    { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(read.graphql(i)) },
    child,
    `server ${url} asked ${read.name}`,
  );
  const body = (await res.json()) as { data?: unknown; errors?: unknown };
  if (res.status !== 200 || body.errors) throw new Error(`server answered ${read.name} with ${res.status}: ${JSON.stringify(body).slice(0, 500)}`);
  return body.data;
}

async function askLimit(url: string, read: Read, i: number, child?: ChildProcess): Promise<unknown> {
  const res = await benchFetch(`${url}${read.limitPath(i)}`, undefined, child, `limit ${url} asked ${read.name}`);
  const body = (await res.json()) as { data?: unknown };
  if (res.status !== 200) throw new Error(`limit answered ${read.name} with ${res.status}: ${JSON.stringify(body).slice(0, 500)}`);
  return body.data;
}

/** The limit must answer exactly what the registry answers, or its figures mean nothing. */
async function verify(server: { url: string; child: ChildProcess }, limit: { url: string; child: ChildProcess }, list: Read[]): Promise<void> {
  for (const read of list) {
    const answers: string[] = [];
    for (let i = 0; i < 20; i++) {
      const [a, b] = await Promise.all([askServer(server.url, read, i, server.child), askLimit(limit.url, read, i, limit.child)]);
      if (!isDeepStrictEqual(a, b)) {
        throw new Error(`the limit's answer differs from the server's for ${read.name} (#${i}):\n server: ${JSON.stringify(a)}\n limit:  ${JSON.stringify(b)}`);
      }
      answers.push(JSON.stringify(a));
    }
    // Equal nulls prove nothing: the compared answers must include ratings and pledges.
    const text = answers.join('\n');
    if (read.name.startsWith('lookup') || read.name.startsWith('page')) {
      if (!text.includes('"grade":') || !text.includes('"status":') || !text.includes('"pledge":null')) {
        throw new Error(`the answers compared for ${read.name} lack a rating, a pledge or a merchant without pledge:\n${text.slice(0, 1000)}`);
      }
    }
  }
}

type Side = 'project' | 'limit';

interface Sample {
  round: number;
  side: Side;
  requests: number;
  reqPerS: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
  serverCpuMsPerReq: number;
  dbCpuMsPerReq: number;
}

function load(url: string, side: Side, read: Read, durationS: number): Promise<autocannon.Result> {
  let i = 0;
  const options: autocannon.Options =
    side === 'project'
      ? {
          url: `${url}/graphql`,
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          requests: [{ setupRequest: (req) => ({ ...req, body: JSON.stringify(read.graphql(i++)) }) }],
        }
      : { url, requests: [{ setupRequest: (req) => ({ ...req, method: 'GET', path: read.limitPath(i++) }) }] };
  return autocannon({ ...options, connections: CONNECTIONS, duration: durationS });
}

async function backendPids(admin: postgres.Sql, database: string, applicationName: string): Promise<number[]> {
  const rows = await admin<{ pid: number }[]>`select pid from pg_stat_activity where datname = ${database} and application_name = ${applicationName}`;
  return rows.map((r) => r.pid);
}

async function measure(
  admin: postgres.Sql,
  database: string,
  target: { url: string; pid: number; app: string },
  side: Side,
  read: Read,
  round: number,
  options: Options,
): Promise<Sample> {
  await load(target.url, side, read, options.warmupS);
  const before = { server: cpuSnapshot([target.pid]), db: cpuSnapshot(await backendPids(admin, database, target.app)) };
  const result = await load(target.url, side, read, options.durationS);
  const after = { server: cpuSnapshot([target.pid]), db: cpuSnapshot(await backendPids(admin, database, target.app)) };
  const requests = result.requests.total;
  return {
    round,
    side,
    requests,
    reqPerS: requests / (result.duration || options.durationS),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    serverCpuMsPerReq: cpuDelta(before.server, after.server) / requests,
    dbCpuMsPerReq: cpuDelta(before.db, after.db) / requests,
  };
}

/** Statements per request, counted on the wire by a proxy, with a server and a limit of their own. */
async function countStatements(database: string, list: Read[]): Promise<Map<string, { project: number; limit: number }>> {
  const counter: StatementCounter = await startStatementCounter(PG);
  const [server, limit] = await Promise.all([startServer(database, counter.port), startLimit(database, counter.port)]);
  const counts = new Map<string, { project: number; limit: number }>();
  try {
    for (const read of list) {
      const perSide = async (ask: (i: number) => Promise<unknown>) => {
        for (let i = 0; i < 5; i++) await ask(i);
        const before = counter.statements();
        for (let i = 0; i < COUNT_REQUESTS; i++) await ask(i);
        return (counter.statements() - before) / COUNT_REQUESTS;
      };
      const project = await perSide((i) => askServer(server.url, read, i, server.child));
      const limitCount = await perSide((i) => askLimit(limit.url, read, i, limit.child));
      counts.set(read.name, { project, limit: limitCount });
    }
  } finally {
    await Promise.all([stopChild(server.child), stopChild(limit.child)]);
    await counter.close();
  }
  return counts;
}

// ---------------------------------------------------------------------------------------------
// Report

interface Row {
  read: string;
  reqPerS: { project: number; limit: number; ratio: number };
  p50Ms: { project: number; limit: number; ratio: number };
  p99Ms: { project: number; limit: number; ratio: number };
  cpuMsPerReq: { project: { server: number; db: number }; limit: { server: number; db: number } };
  statementsPerReq: { project: number; limit: number };
  errors: { project: number; limit: number };
  samples: Sample[];
}

/** Medians over rounds; ratios are medians of each round's project ÷ limit (paired, so load drifts cancel). */
export function summarise(read: string, samples: Sample[], statements: { project: number; limit: number }): Row {
  const of = (side: Side) => samples.filter((s) => s.side === side);
  const med = (side: Side, key: keyof Sample) => median(of(side).map((s) => s[key] as number));
  const pairedRatio = (key: keyof Sample) =>
    median(of('project').map((p) => ratio(p[key] as number, (of('limit').find((l) => l.round === p.round)?.[key] as number) ?? NaN)));
  const figure = (key: keyof Sample) => ({ project: med('project', key), limit: med('limit', key), ratio: pairedRatio(key) });
  const errors = (side: Side) => of(side).reduce((s, x) => s + x.errors + x.non2xx, 0);
  return {
    read,
    reqPerS: figure('reqPerS'),
    p50Ms: figure('p50Ms'),
    p99Ms: figure('p99Ms'),
    cpuMsPerReq: {
      project: { server: med('project', 'serverCpuMsPerReq'), db: med('project', 'dbCpuMsPerReq') },
      limit: { server: med('limit', 'serverCpuMsPerReq'), db: med('limit', 'dbCpuMsPerReq') },
    },
    statementsPerReq: statements,
    errors: { project: errors('project'), limit: errors('limit') },
    samples,
  };
}

function table(rows: Row[]): string {
  const header = ['read', 'req/s project', 'req/s limit', 'req/s ratio', 'p50 ratio', 'p99 ratio', 'CPU ms/req project (srv+db)', 'CPU ms/req limit (srv+db)', 'SQL/req project', 'SQL/req limit'];
  const fmt = (v: number, d: number) => (Number.isFinite(v) ? v.toFixed(d) : 'n/a');
  const lines = rows.map((r) => [
    r.read,
    fmt(r.reqPerS.project, 0),
    fmt(r.reqPerS.limit, 0),
    `${fmt(r.reqPerS.ratio, 3)}×`,
    `${fmt(r.p50Ms.ratio, 2)}×`,
    `${fmt(r.p99Ms.ratio, 2)}×`,
    `${fmt(r.cpuMsPerReq.project.server, 2)} + ${fmt(r.cpuMsPerReq.project.db, 2)}`,
    `${fmt(r.cpuMsPerReq.limit.server, 2)} + ${fmt(r.cpuMsPerReq.limit.db, 2)}`,
    fmt(r.statementsPerReq.project, 2),
    fmt(r.statementsPerReq.limit, 2),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...lines.map((l) => l[c]!.length)));
  const row = (cells: string[]) => `| ${cells.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ')} |`;
  return [row(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...lines.map(row)].join('\n');
}

// ---------------------------------------------------------------------------------------------

interface SizeResult {
  size: Size;
  database: string;
  data: { merchants: number; appeals: number; pledges: number };
  /** Scale only: whether this run seeded the cached database, and how long that took. */
  seeded?: { now: boolean; ms: number; template: string };
  statementsCountedOver: number;
  reads: Row[];
  /** Demo size: one event's delivery to many subscribers against a bare ws broadcast (bench/live.ts). */
  live?: LiveRow[];
}

/** One size, start to end: server and limit up, answers checked, statements counted, rounds run, both stopped. */
async function measureSize(admin: postgres.Sql, size: Size, database: string, options: Options): Promise<Omit<SizeResult, 'seeded'>> {
  process.stderr.write(`[${size}] starting the server${size === 'demo' ? ' (migrations and the demo seed)' : ''}…\n`);
  const t0 = Date.now();
  // The demo seed is loaded only into an empty database: the scale copy is left as it is.
  const server = await startServer(database);
  process.stderr.write(`[${size}] server ready after ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);

  const db = postgres(dbUrl(database), { max: 1, onnotice: () => {} });
  // The scale seed ends with ANALYZE and its copy keeps the statistics; the demo is analysed here.
  if (size === 'demo') await db`analyze`;
  const all = (await db<{ uscc: string }[]>`select uscc from merchants order by uscc`).map((r) => r.uscc);
  const [data] = await db<{ merchants: number; appeals: number; pledges: number }[]>`
    select (select count(*) from merchants)::int as merchants, (select count(*) from appeals)::int as appeals, (select count(*) from return_pledges)::int as pledges`;
  await db.end();
  const usccs = seededShuffle(all, SEED).slice(0, LOOKUP_USCCS);
  const list = reads(usccs);

  let live: LiveRow[] | undefined;
  if (options.live && size === 'demo') {
    const port = await freePort();
    const raw = start('live-limit', ['-r', '@swc-node/register', 'bench/live-limit.ts'], { PORT: String(port) });
    for (let up = false; !up; ) up = await fetch(`http://127.0.0.1:${port}/`).then((r) => r.status === 404, () => new Promise<boolean>((r) => setTimeout(() => r(false), 100)));
    live = await measureLive({
      serverUrl: server.url,
      databaseUrl: dbUrl(database),
      limitUrl: `http://127.0.0.1:${port}`,
      counts: [1000, 5000],
      events: options.liveEvents,
      log: (line) => process.stderr.write(`${line}\n`),
    });
    await stopChild(raw);
  }
  if (options.liveOnly) {
    await stopChild(server.child);
    return { size, database, data: data!, statementsCountedOver: 0, reads: [], live };
  }

  const limit = await startLimit(database);
  process.stderr.write(`[${size}] checking that the limit answers what the server answers…\n`);
  await verify(server, limit, list);

  process.stderr.write(`[${size}] counting SQL statements per request (proxy, separate processes)…\n`);
  const statements = await countStatements(database, list);

  const targets = {
    project: { url: server.url, pid: server.child.pid!, app: 'merchant-registry' },
    limit: { url: limit.url, pid: limit.child.pid!, app: 'bench-limit' },
  };
  const samples = new Map<string, Sample[]>(list.map((r) => [r.name, []]));
  for (let round = 1; round <= options.rounds; round++) {
    // Alternate who goes first so a drift in the machine's load does not favour one side.
    const order: Side[] = round % 2 === 1 ? ['project', 'limit'] : ['limit', 'project'];
    for (const read of list) {
      for (const side of order) {
        const sample = await measure(admin, database, targets[side], side, read, round, options);
        samples.get(read.name)!.push(sample);
        process.stderr.write(
          `  [${size}] round ${round} ${read.name.padEnd(28)} ${side.padEnd(7)} ${sample.reqPerS.toFixed(0).padStart(6)} req/s  p50 ${sample.p50Ms} ms  p99 ${sample.p99Ms} ms${sample.errors + sample.non2xx ? `  ERRORS ${sample.errors} non-2xx ${sample.non2xx}` : ''}\n`,
        );
      }
    }
  }
  // The next size gets the machine to itself.
  await Promise.all([stopChild(server.child), stopChild(limit.child)]);
  return {
    size,
    database,
    data: data!,
    statementsCountedOver: COUNT_REQUESTS,
    reads: list.map((read) => summarise(read.name, samples.get(read.name)!, statements.get(read.name)!)),
    live,
  };
}

/** How each ratio moves from the demo size to the scale size (the figure, then its change). */
function movesTable(demo: SizeResult, scale: SizeResult): string {
  const fmt = (v: number, d: number) => (Number.isFinite(v) ? v.toFixed(d) : 'n/a');
  const move = (a: number, b: number, d: number, unit = '') => `${fmt(a, d)}${unit} → ${fmt(b, d)}${unit}`;
  const header = ['read', 'req/s ratio', 'p50 ratio', 'p99 ratio', 'CPU ms/req project (srv+db)', 'CPU ms/req limit (srv+db)', 'SQL/req project'];
  const lines = demo.reads.map((d) => {
    const s = scale.reads.find((r) => r.read === d.read)!;
    return [
      d.read,
      move(d.reqPerS.ratio, s.reqPerS.ratio, 3, '×'),
      move(d.p50Ms.ratio, s.p50Ms.ratio, 2, '×'),
      move(d.p99Ms.ratio, s.p99Ms.ratio, 2, '×'),
      move(d.cpuMsPerReq.project.server + d.cpuMsPerReq.project.db, s.cpuMsPerReq.project.server + s.cpuMsPerReq.project.db, 2),
      move(d.cpuMsPerReq.limit.server + d.cpuMsPerReq.limit.db, s.cpuMsPerReq.limit.server + s.cpuMsPerReq.limit.db, 2),
      move(d.statementsPerReq.project, s.statementsPerReq.project, 2),
    ];
  });
  const widths = header.map((h, c) => Math.max(h.length, ...lines.map((l) => l[c]!.length)));
  const row = (cells: string[]) => `| ${cells.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ')} |`;
  return [row(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...lines.map(row)].join('\n');
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const startedAt = new Date();
  const loadAtStart = loadavg();
  const admin = postgres(dbUrl('postgres'), { max: 1, onnotice: () => {} });
  const created: string[] = [];
  dropDatabases = async () => {
    for (const database of created) await admin.unsafe(`drop database if exists ${database} with (force)`);
    await admin.end({ timeout: 2 });
  };
  process.stderr.write(
    `bench (${options.quick ? 'quick' : 'full'}): ${options.sizes.join(' and ')} size, ${options.rounds} round(s) × ${options.durationS} s per side per read, ${CONNECTIONS} connections\n`,
  );

  process.stderr.write('building dist/ if sources changed…\n');
  const build = spawnSync(process.execPath, ['src/cli/build-if-changed.mjs'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('the build failed');

  const results: SizeResult[] = [];
  const writes: { size: Size; rows: WriteRow[] }[] = [];
  for (const size of options.sizes) {
    const database = `registry_bench_${process.pid}_${size}`;
    let seeded: SizeResult['seeded'];
    if (size === 'scale') {
      const cache = await scaleTemplate(admin, ROOT, options.scaleMerchants, (name) => dbUrl(name), (line) => process.stderr.write(`[scale] ${line}\n`));
      seeded = { now: cache.seededNow, ms: cache.seedMs, template: cache.template };
      process.stderr.write(`[scale] copying ${cache.template}${cache.seededNow ? ` (seeded in ${(cache.seedMs / 1000).toFixed(0)} s)` : ' (cached)'}…\n`);
      created.push(database);
      await copyTemplate(admin, cache.template, database);
    } else {
      created.push(database);
      await admin.unsafe(`create database ${database}`);
    }
    results.push({ ...(await measureSize(admin, size, database, options)), ...(seeded ? { seeded } : {}) });
    // The writes last: they add appeals to the copy, which no read of this run sees.
    if (!options.writes) continue;
    process.stderr.write(`[${size}] measuring writes (re-rating, recompute, import)…\n`);
    writes.push({ size, rows: await measureWrites(dbUrl(database), { rounds: options.rounds, log: (line) => process.stderr.write(`  [${size}] ${line}\n`) }) });
  }

  const output = {
    date: startedAt.toISOString(),
    mode: options.quick ? 'quick' : 'full',
    rounds: options.rounds,
    durationS: options.durationS,
    warmupS: options.warmupS,
    connections: CONNECTIONS,
    seed: SEED,
    machine: { cpus: cpus().length, loadavgAtStart: loadAtStart, loadavgAtEnd: loadavg(), node: process.version },
    minutes: (Date.now() - startedAt.getTime()) / 60_000,
    sizes: results,
    writes,
  };
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  writeFileSync(join(ROOT, 'bench', 'results', 'latest.json'), `${JSON.stringify(output, null, 2)}\n`);
  const errorCount = results.flatMap((r) => r.reads).reduce((s, r) => s + r.errors.project + r.errors.limit, 0);
  let text = `\n${options.quick ? 'quick' : 'full'} run ${startedAt.toISOString()}, medians of ${options.rounds} round(s) × ${options.durationS} s, ${CONNECTIONS} connections, load average ${loadAtStart[0]!.toFixed(2)} at start, ${loadavg()[0]!.toFixed(2)} at end, on ${cpus().length} CPUs, ${output.minutes.toFixed(1)} min\n`;
  for (const r of results) {
    text += `\n${r.size}: ${r.data.merchants} merchants, ${r.data.appeals} appeals\n\n${r.reads.length ? table(r.reads) : '(reads skipped)'}\n`;
    if (r.live) text += `\nlive: one pledgeChanged event, median delivery over subscribers, median of ${options.liveEvents} events\n\n${liveTable(r.live)}\n`;
  }
  for (const w of writes) text += `\n${w.size}, writes (ratios from one run, alternating):\n\n${writesTable(w.rows)}\n`;
  const demo = results.find((r) => r.size === 'demo');
  const scale = results.find((r) => r.size === 'scale');
  if (demo && scale) text += `\nhow each figure moves from the demo size to the scale size (demo → scale):\n\n${movesTable(demo, scale)}\n`;
  process.stdout.write(`${text}\nwritten to bench/results/latest.json\n`);
  if (errorCount > 0) process.stdout.write(`WARNING: ${errorCount} failed or non-2xx responses under load; see samples in the JSON\n`);
}

if (require.main === module) {
  main()
    .then(() => cleanup())
    .catch(async (error: unknown) => {
      // After Ctrl-C the servers stopping under the run is expected, not a failure to report.
      if (!interrupted) process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      await cleanup();
      process.exitCode = 1;
    });
}
