/**
 * The write rows of `npm run bench` (issue 14), each a ratio of two figures taken in one run,
 * alternating: re-rating a merchant with 1× / 10× / 100× history against a contact update,
 * `recomputeAllRatings` against one aggregate GROUP BY scan of the same tables, and the appeal
 * import against `COPY` of the same file into a text staging table and against the database
 * floor (what PostgreSQL alone takes to write the rows the import wrote). Standalone:
 * `node -r @swc-node/register bench/writes.ts postgres://…/db [--import-rows 20000] [--import-rounds 1] [--only rerate|recompute|import] [--rounds 5]`.
 */
import 'reflect-metadata';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { createDb, type Db } from '../src/db';
import { copyIn } from '../src/db/copy-in';
import { rowsOf } from '../src/db/rows';
import { appeals, merchantAnswers } from '../src/db/schema';
import { shanghaiToday } from '../src/domain/local-date';
import { checkHeader, DEFAULT_BATCH_SIZE, importAppeals, mapRecord, readCsv, type ImportColumn } from '../src/modules/appeal/appeal.import';
import { checkBatch, importedAppealEvent, type PendingRow } from '../src/modules/appeal/appeal.import.batch';
import { APPEAL_COPY, TRANSITION_COPY } from '../src/modules/appeal/appeal.import.stage';
import { EVENT_COPY, eventCopyText } from '../src/events/log';
import { placeEvents } from '../src/events/regions';
import { recomputeAllRatings, rerateMerchants } from '../src/modules/rating/rating.store';

export interface WriteRow {
  measurement: string;
  figure: string;
  reference: string;
  ratio: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = async (work: () => Promise<unknown>) => {
  const t = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - t) / 1e6;
};
const DAY = 86_400_000;

/** What the database floor took: the COPYs into each table, summed over the batches. */
interface FloorTimes {
  totalMs: number;
  appealsMs: number;
  transitionsMs: number;
  eventsMs: number;
  appeals: number;
  transitions: number;
  events: number;
}

class RolledBack extends Error {}

/**
 * The database's share of an import of `path`, with nothing of Node's timed: the file read,
 * mapped and checked batch by batch by the import's own code (`checkBatch`, which reads only,
 * and the COPY text it prepares: the same ids, rows and events the import would write), then each
 * batch written by the import's own COPY statements into the real tables (their indexes, foreign
 * keys, checks and triggers) in a transaction rolled back. Only the COPYs are timed. Run before
 * the import, on the tables the import starts from; a VACUUM afterwards clears the rolled-back
 * rows. Left out, so the floor is if anything too fast: the batch's reads, its audit and
 * rating-queue rows, the event log's lock and NOTIFY, the commit's WAL flush, the re-rating at the end.
 */
async function databaseFloor(db: Db, pg: postgres.Sql, path: string, batchSize: number): Promise<FloorTimes> {
  const times: FloorTimes = { totalMs: 0, appealsMs: 0, transitionsMs: 0, eventsMs: 0, appeals: 0, transitions: 0, events: 0 };
  const count = (text: string) => {
    let k = 0;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) k++;
    return k;
  };
  const write = async (rows: PendingRow[]) => {
    const checked = await checkBatch(db, rows, { actor: 'bench' });
    if (!checked.copy || checked.problems.length || checked.skipped) throw new Error('database floor: the bench file has bad or recorded rows');
    const { ids, appealText, transitionText } = checked.copy;
    const eventText = eventCopyText(await placeEvents(db, checked.prepared.map(({ appeal }, i) => importedAppealEvent(ids[i]!, appeal))));
    const [appeals, transitions, events] = [appealText, transitionText, eventText].map((text) => Buffer.from(text));
    times.appeals += count(appealText);
    times.transitions += count(transitionText);
    times.events += count(eventText);
    const into = async (tx: postgres.TransactionSql, statement: string, text: Buffer) => {
      const started = process.hrtime.bigint();
      await copyIn(tx, statement, text);
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    try {
      await pg.begin(async (tx) => {
        times.appealsMs += await into(tx, APPEAL_COPY, appeals!);
        times.transitionsMs += await into(tx, TRANSITION_COPY, transitions!);
        times.eventsMs += await into(tx, EVENT_COPY, events!);
        throw new RolledBack();
      });
    } catch (error) {
      if (!(error instanceof RolledBack)) throw error;
    }
  };
  let columns: ImportColumn[] | null = null;
  let pending: PendingRow[] = [];
  for await (const { line, fields } of readCsv(createReadStream(path)).records) {
    if (columns === null) {
      columns = checkHeader(fields);
      continue;
    }
    pending.push({ line, result: mapRecord(fields, columns) });
    if (pending.length >= batchSize) {
      await write(pending);
      pending = [];
    }
  }
  if (pending.length) await write(pending);
  // The import after this finds its tables as they were, not with a file's worth of dead rows.
  await pg.unsafe('vacuum appeals, appeal_transitions, events');
  times.totalMs = times.appealsMs + times.transitionsMs + times.eventsMs;
  return times;
}

/** Runs the three measurements on `databaseUrl` (a throw-away copy: it adds appeals). */
export async function measureWrites(databaseUrl: string, options: { rounds?: number; importRows?: number; importRounds?: number; only?: 'rerate' | 'recompute' | 'import'; log?: (line: string) => void } = {}): Promise<WriteRow[]> {
  const rounds = options.rounds ?? 5;
  const log = options.log ?? (() => {});
  const handle = await createDb({ databaseUrl, maxConnections: 2 });
  const db = handle.db;
  const rows: WriteRow[] = [];
  try {
    const runs = (part: 'rerate' | 'recompute' | 'import') => !options.only || options.only === part;
    const today = shanghaiToday();
    // --- re-rating at 1× / 10× / 100× history -------------------------------------------------
    if (runs('rerate')) {
    const picked = rowsOf<{ id: string; region_code: string }>(
      await db.execute(sql`select m.id::text as id, m.region_code from merchants m where not exists (select 1 from appeals a where a.merchant_id = m.id) order by m.id limit 3`),
    );
    const sizes = [96, 960, 9600];
    const now = Date.now();
    for (const [k, m] of picked.entries()) {
      const n = sizes[k]!;
      const values = Array.from({ length: n }, (_, i) => {
        const received = new Date(now - Math.floor((i * 1000 * DAY) / n) - 3_600_000);
        return { type: 'COMPLAINT' as const, channel: 'WEB' as const, receivedAt: received, acceptedAt: new Date(received.getTime() + 60_000), status: (i % 3 === 0 ? 'MEDIATED' : 'ACCEPTED') as 'ACCEPTED', concludedAt: i % 3 === 0 ? new Date(received.getTime() + 5 * DAY) : null, merchantId: m.id, regionCode: m.region_code, issueType: ['QUALITY', 'PRICE'][i % 2]! };
      }).map((v) => (v.concludedAt && v.concludedAt.getTime() > now ? { ...v, concludedAt: null, status: 'ACCEPTED' as const } : v));
      for (let i = 0; i < values.length; i += 1000) {
        const added = await db.insert(appeals).values(values.slice(i, i + 1000)).returning({ id: appeals.id, acceptedAt: appeals.acceptedAt });
        const answers = added.filter((_, j) => j % 2 === 0).map((a) => ({ appealId: a.id, merchantId: m.id, body: 'bench', answeredAt: new Date(Math.min(a.acceptedAt!.getTime() + 3 * DAY, now - 1000)) }));
        if (answers.length) await db.insert(merchantAnswers).values(answers);
      }
    }
    await db.execute(sql`analyze appeals`);
    await db.execute(sql`analyze merchant_answers`);
    const rerate = (id: string) => db.transaction((tx) => rerateMerchants(tx, [id], today, 'bench'));
    const contact = (id: string) => db.transaction((tx) => tx.execute(sql`update merchants set contact_phone = '13700000000', updated_at = now() where id = ${id}::uuid`));
    for (const m of picked) await rerate(m.id);
    const samples = new Map<string, number[]>();
    const add = (key: string, v: number) => samples.set(key, [...(samples.get(key) ?? []), v]);
    for (let round = 0; round < rounds * 4; round++) {
      const order = round % 2 === 0 ? [0, 1, 2] : [2, 1, 0];
      add('contact', await ms(() => contact(picked[0]!.id)));
      for (const k of order) add(`rerate${k}`, await ms(() => rerate(picked[k]!.id)));
    }
    const contactMs = median(samples.get('contact')!);
    const r = [0, 1, 2].map((k) => median(samples.get(`rerate${k}`)!));
    log(`re-rating ${sizes.join(' / ')} complaints: ${r.map((x) => x.toFixed(1)).join(' / ')} ms; contact update ${contactMs.toFixed(1)} ms`);
    rows.push({ measurement: 're-rating, 100× vs 1× history', figure: `${r[2]!.toFixed(1)} ms (9,600 complaints)`, reference: `${r[0]!.toFixed(1)} ms (96)`, ratio: r[2]! / r[0]! });
    rows.push({ measurement: 're-rating, 10× vs 1× history', figure: `${r[1]!.toFixed(1)} ms (960)`, reference: `${r[0]!.toFixed(1)} ms (96)`, ratio: r[1]! / r[0]! });
    rows.push({ measurement: 're-rating 1× vs a contact update', figure: `${r[0]!.toFixed(1)} ms`, reference: `${contactMs.toFixed(1)} ms`, ratio: r[0]! / contactMs });
    }

    // --- recompute vs one aggregate scan -------------------------------------------------------
    if (runs('recompute')) {
    const scan = () =>
      db.execute(sql`
        select merchant_id, count(*) from (
          select merchant_id from appeals where merchant_id is not null
          union all select merchant_id from merchant_answers
          union all select merchant_id from return_pledges
          union all select p.merchant_id from pledge_status_changes c join return_pledges p on p.id = c.pledge_id
          union all select p.merchant_id from pledge_audits a join return_pledges p on p.id = a.pledge_id
          union all select merchant_id from dispute_enrollments
          union all select merchant_id from credit_list_entries
          union all select merchant_id from pattern_responses
          union all select host_merchant_id from compensation_funds
          union all select tenant_merchant_id from fund_ledger_entries where tenant_merchant_id is not null
          union all select host_merchant_id from merchants where host_merchant_id is not null
        ) t group by merchant_id`);
    await recomputeAllRatings(db, today, 'bench');
    const rec: number[] = [];
    const sc: number[] = [];
    for (let round = 0; round < rounds; round++) {
      if (round % 2 === 0) {
        rec.push(await ms(() => recomputeAllRatings(db, today, 'bench')));
        sc.push(await ms(scan));
      } else {
        sc.push(await ms(scan));
        rec.push(await ms(() => recomputeAllRatings(db, today, 'bench')));
      }
    }
    log(`recompute ${median(rec).toFixed(0)} ms, aggregate scan ${median(sc).toFixed(0)} ms`);
    rows.push({ measurement: 'recomputeAllRatings vs one aggregate GROUP BY scan', figure: `${median(rec).toFixed(0)} ms`, reference: `${median(sc).toFixed(0)} ms`, ratio: median(rec) / median(sc) });
    }

    // --- import vs COPY --------------------------------------------------------------------------
    if (runs('import')) {
    const n = options.importRows ?? 20_000;
    const dir = mkdtempSync(join(tmpdir(), 'bench-writes-'));
    try {
      const merchants = rowsOf<{ uscc: string; region_code: string }>(await db.execute(sql`select uscc, region_code from merchants order by id limit 2000`));
      const wall = (days: number, minutes = 0) => new Date(Date.UTC(2025, 0, 1, 1, 0) + days * DAY + minutes * 60_000 + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
      const file = (prefix: string) => {
        const lines = ['external_id,type,channel,received_at,merchant_uscc,region_code,status,accepted_at,mediation_started_at,concluded_at,verification_started_at,decided_at,closed_at,amount_involved_yuan,details'];
        for (let i = 0; i < n; i++) {
          const m = merchants[(i * 7) % merchants.length]!;
          const d = i % 300;
          const id = `${prefix}${String(i).padStart(7, '0')}`;
          if (i % 4 === 0) lines.push(`${id},咨询,电话,${wall(d)},,${m.region_code},CLOSED,,,,,,${wall(d, 15)},,"咨询退货规定, 第${i}号"`);
          else if (i % 4 === 1) lines.push(`${id},投诉,网络,${wall(d)},${m.uscc},,MEDIATED,${wall(d + 2)},${wall(d + 3)},${wall(d + 10)},,,,${(i % 5000) + 0.5},质量问题`);
          else if (i % 4 === 2) lines.push(`${id},举报,平台,${wall(d)},${m.uscc},,CASE_FILED,,,,${wall(d + 1)},${wall(d + 12)},,,虚假宣传`);
          else lines.push(`${id},COMPLAINT,HOTLINE,${wall(d)},${m.uscc},,RECEIVED,,,,,,,12.30,"多行\n说明"`);
        }
        const path = join(dir, `${prefix}.csv`);
        writeFileSync(path, `${lines.join('\n')}\n`);
        return path;
      };
      const pg = postgres(databaseUrl, { max: 1, onnotice: () => {} });
      try {
        const importRates: number[] = [];
        const copyRates: number[] = [];
        const floorRates: number[] = [];
        const importRounds = options.importRounds ?? 1;
        for (let round = 0; round < importRounds; round++) {
          const path = file(`BENCH${round}-`);
          const copy = async () => {
            await pg.begin(async (tx) => {
              await tx.unsafe(`create temp table bench_stage (${Array.from({ length: 15 }, (_, i) => `c${i} text`).join(', ')}) on commit drop`);
              const stream = await tx.unsafe(`copy bench_stage from stdin (format csv, header true)`).writable();
              await pipeline(createReadStream(path), stream);
            });
          };
          const imp = async () => {
            const summary = await importAppeals(db, createReadStream(path), { actor: 'bench', sourceName: 'bench.csv', keepProblems: 0 });
            if (summary.inserted !== n) throw new Error(`the bench file's import inserted ${summary.inserted} of ${n} rows`);
          };
          // The floor first, on the tables the import will start from (after it, they would hold
          // the import's rows: larger indexes than the import wrote into). Then COPY and import,
          // alternating which goes first.
          const floor = await databaseFloor(db, pg, path, DEFAULT_BATCH_SIZE);
          if (floor.appeals !== n || floor.events !== n) throw new Error(`database floor: ${floor.appeals} appeals and ${floor.events} events of ${n} rows`);
          const first = round % 2 === 0;
          const a = first ? await ms(copy) : 0;
          const b = await ms(imp);
          const c = first ? a : await ms(copy);
          copyRates.push(n / (c / 1000));
          importRates.push(n / (b / 1000));
          floorRates.push(n / (floor.totalMs / 1000));
          log(
            `round ${round + 1}: import ${(b / 1000).toFixed(1)} s, COPY ${(c / 1000).toFixed(2)} s, floor ${(floor.totalMs / 1000).toFixed(1)} s ` +
              `(appeals ${(floor.appealsMs / 1000).toFixed(1)} s, ${floor.transitions} transitions ${(floor.transitionsMs / 1000).toFixed(1)} s, ${floor.events} events ${(floor.eventsMs / 1000).toFixed(1)} s)`,
          );
        }
        const [imp, cp, fl] = [median(importRates), median(copyRates), median(floorRates)];
        log(`import ${imp.toFixed(0)} rows/s, database floor ${fl.toFixed(0)} rows/s, COPY ${cp.toFixed(0)} rows/s (${n} rows)`);
        rows.push({ measurement: `appeal import vs COPY into a text staging table, ${n} rows`, figure: `${imp.toFixed(0)} rows/s`, reference: `${cp.toFixed(0)} rows/s`, ratio: imp / cp });
        rows.push({ measurement: `database floor (typed COPY into appeals + transitions + events, rolled back) vs COPY, ${n} rows`, figure: `${fl.toFixed(0)} rows/s`, reference: `${cp.toFixed(0)} rows/s`, ratio: fl / cp });
        rows.push({ measurement: `appeal import vs database floor, ${n} rows`, figure: `${imp.toFixed(0)} rows/s`, reference: `${fl.toFixed(0)} rows/s`, ratio: imp / fl });
      } finally {
        await pg.end();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    }
  } finally {
    await handle.close();
  }
  return rows;
}

/** The rows as a markdown table. */
export function writesTable(rows: WriteRow[]): string {
  return [
    '| measurement | figure | reference | ratio |',
    '| --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.measurement} | ${r.figure} | ${r.reference} | ${r.ratio.toFixed(2)}× |`),
  ].join('\n');
}

if (require.main === module) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { 'import-rows': { type: 'string' }, 'import-rounds': { type: 'string' }, only: { type: 'string' }, rounds: { type: 'string' } } });
  const importRows = values['import-rows'] ? Number(values['import-rows']) : undefined;
  const only = values.only as 'rerate' | 'recompute' | 'import' | undefined;
  const rounds = values.rounds ? Number(values.rounds) : undefined;
  const importRounds = values['import-rounds'] ? Number(values['import-rounds']) : undefined;
  measureWrites(positionals[0]!, { importRows, importRounds, only, rounds, log: (line) => process.stderr.write(`${line}\n`) }).then(
    (rows) => process.stdout.write(`${writesTable(rows)}\n`),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
