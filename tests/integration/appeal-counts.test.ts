import { sql } from 'drizzle-orm';
import { createApp, type App } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createDb, type DbHandle } from '../../src/db';
import { rowsOf } from '../../src/db/rows';
import { REBUILD_APPEAL_COUNTS_SQL } from '../../src/modules/report/report.counts.sql';
import { countsDrift, countsVersion } from '../helpers/appeal-counts';
import { drivers } from '../helpers/drivers';
import { plainMerchants } from '../helpers/fixtures';
import { authHeader, startTestServer, TEST_AUTH_SECRET, type TestServer } from '../helpers/server';

const ANNUAL = /* GraphQL */ `
  query ($region: String) {
    annualReport(year: 2023, regionCode: $region) { total byType { key count } complaintsDecidedOnTime { numerator denominator } amountRecoveredFen }
  }
`;

const COPY_COLUMNS = 'type, channel, received_at, merchant_id, region_code, category_code, status, accepted_at, acceptance_due_on, amount_recovered_fen';

/** COPY of CSV rows into appeals, inside a transaction that runs `inside` after it and commits or rolls back. */
async function copyAppeals(handle: DbHandle, csv: string, inside: string, commit: boolean): Promise<Record<string, unknown>[]> {
  const copy = `copy appeals (${COPY_COLUMNS}) from ${handle.driver === 'pglite' ? `'/dev/blob'` : 'stdin'} with (format csv)`;
  let seen: Record<string, unknown>[] = [];
  const rollback = new Error('rollback');
  try {
    if (handle.pglite) {
      await handle.pglite.transaction(async (tx) => {
        await tx.query(copy, [], { blob: new Blob([csv]) });
        seen = (await tx.query<Record<string, unknown>>(inside)).rows;
        if (!commit) throw rollback;
      });
    } else {
      await handle.sql!.begin(async (tx) => {
        const writable = await tx.unsafe(copy).writable();
        await new Promise<void>((resolve, reject) => {
          writable.on('error', reject);
          writable.end(csv, resolve);
        });
        seen = await tx.unsafe(inside);
        if (!commit) throw rollback;
      });
    }
  } catch (error) {
    if (error !== rollback) throw error;
  }
  return seen;
}

describe.each(drivers)('the appeal count tables on %s', (driver) => {
  let server: TestServer;
  let supervisor: Record<string, string>;
  let merchant: { id: string; regionCode: string };
  let statements: string[] = [];

  beforeAll(async () => {
    server = await startTestServer(driver, { onQuery: (query) => statements.push(query) });
    supervisor = await authHeader({ sub: 'sup', role: 'SUPERVISOR', regions: ['421300'] });
    merchant = (await plainMerchants(server.handle.db, '421303', 1, 30))[0]!;
  });
  afterAll(async () => {
    await server?.stop();
  });

  const db = () => server.handle.db;
  const one = async <T>(query: ReturnType<typeof sql>) => rowsOf<T>(await db().execute(query))[0]!;
  const dayCount = async (day: string) =>
    Number((await one<{ n: string | null }>(sql`select sum(appeals) as n from appeal_counts_daily where day = ${day}::date`)).n ?? 0);
  const complaintsCsv = (day: string, n: number) =>
    Array.from(
      { length: n },
      (_, i) =>
        `COMPLAINT,HOTLINE,${day}T0${i % 10}:30:00+08:00,${merchant.id},${merchant.regionCode},GOODS.FOOD,ACCEPTED,${day}T10:00:00+08:00,${day},${i * 100}`,
    ).join('\n');

  it('start equal to a recount of the seeded appeals', async () => {
    expect(await countsDrift(db())).toBe(0);
    expect(await dayCount('2023-03-15')).toBeGreaterThan(0);
  });

  it('count a COPY into appeals inside its own transaction, and nothing once it is rolled back', async () => {
    const before = await dayCount('2016-05-04');
    const seen = await copyAppeals(server.handle, complaintsCsv('2016-05-04', 25), `select sum(appeals)::int as n from appeal_counts_daily where day = '2016-05-04'`, false);
    expect(Number(seen[0]!.n)).toBe(before + 25);
    expect(await dayCount('2016-05-04')).toBe(before);
    await copyAppeals(server.handle, complaintsCsv('2016-05-04', 25), 'select 1', true);
    expect(await dayCount('2016-05-04')).toBe(before + 25);
    expect(await countsDrift(db())).toBe(0);
  });

  it('follow bulk updates across days, months and regions, and deletes, leaving no empty row', async () => {
    await copyAppeals(server.handle, complaintsCsv('2016-06-30', 40), 'select 1', true);
    const moved = sql`(select id from appeals where received_at >= '2016-06-30T00:00:00+08:00' and received_at < '2016-07-01T00:00:00+08:00' and amount_recovered_fen % 200 = 0)`;
    // Into the next day, month and quarter (Shanghai time), to another district, and concluded.
    await db().execute(sql`update appeals set received_at = received_at + interval '20 hours', accepted_at = received_at + interval '21 hours', region_code = '421381' where id in ${moved}`);
    await db().execute(sql`update appeals set status = 'MEDIATED', concluded_at = accepted_at + interval '1 day', amount_recovered_fen = amount_recovered_fen + 1
      where received_at >= '2016-06-30T00:00:00+08:00' and received_at < '2016-07-02T00:00:00+08:00' and type = 'COMPLAINT'`);
    expect(await countsDrift(db())).toBe(0);
    await db().execute(sql`delete from appeals where received_at >= '2016-04-01T00:00:00+08:00' and received_at < '2016-08-01T00:00:00+08:00'`);
    expect(await countsDrift(db())).toBe(0);
    expect(Number((await one<{ n: string }>(sql`select count(*) as n from appeal_counts_daily where appeals = 0`)).n)).toBe(0);
    expect(Number((await one<{ n: string }>(sql`select count(*) as n from appeal_counts_monthly where month = '2016-07-01'`)).n)).toBe(0);
  });

  it('raise their version once per committed change, and not for a rollback or a change they do not count', async () => {
    const start = await countsVersion(db());
    await db().transaction(async (tx) => {
      await tx.execute(sql`update appeals set amount_recovered_fen = amount_recovered_fen + 1 where external_id in (select external_id from appeals where external_id is not null order by external_id limit 3)`);
      await tx.execute(sql`update appeals set amount_recovered_fen = amount_recovered_fen - 1 where external_id in (select external_id from appeals where external_id is not null order by external_id limit 1)`);
    });
    expect(await countsVersion(db())).toBe(start + 1);
    await db().execute(sql`update appeals set details = coalesce(details, '') where external_id in (select external_id from appeals where external_id is not null order by external_id limit 5)`);
    await copyAppeals(server.handle, complaintsCsv('2016-09-09', 3), 'select 1', false);
    expect(await countsVersion(db())).toBe(start + 1);
    expect(Number((await one<{ n: string }>(sql`select count(*) as n from appeal_counts_changed`)).n)).toBe(0);
  });

  it('are recounted by the rebuild after a load that bypassed the triggers', async () => {
    await db().transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      await tx.execute(sql`insert into appeals (type, channel, received_at, region_code, status) select 'CONSULTATION', 'WEB', '2016-10-10T10:00:00+08:00', '421321', 'RECEIVED' from generate_series(1, 7)`);
    });
    expect(await countsDrift(db())).toBeGreaterThan(0);
    const start = await countsVersion(db());
    // The loader recounts in its own session, triggers still off.
    await db().transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      await tx.execute(REBUILD_APPEAL_COUNTS_SQL);
    });
    expect(await countsDrift(db())).toBe(0);
    expect(await dayCount('2016-10-10')).toBe(7);
    expect(await countsVersion(db())).toBe(start + 1);
    expect(Number((await one<{ n: string }>(sql`select count(*) as n from appeal_counts_changed`)).n)).toBe(0);
  });

  it('answer a repeated annual report with one statement until appeals change, by any path', async () => {
    const ask = async () => {
      statements = [];
      const { data, errors } = await server.gql(ANNUAL, { region: '421303' });
      expect(errors).toBeUndefined();
      return { report: data!.annualReport, statements: statements.length };
    };
    const first = await ask();
    const again = await ask();
    expect(again).toEqual({ report: first.report, statements: 1 });
    // A plain SQL write on the database (another process, a bulk load) is seen at once.
    await copyAppeals(server.handle, complaintsCsv('2023-06-01', 2), 'select 1', true);
    const afterCopy = await ask();
    expect(afterCopy.report.total).toBe(first.report.total + 2);
    expect(afterCopy.statements).toBeGreaterThan(1);
    // And a mutation through the API.
    const created = await server.gql(
      `mutation ($input: CreateAppealInput!) { createAppeal(input: $input) { id } }`,
      { input: { type: 'CONSULTATION', channel: 'WEB', regionCode: '421303', receivedAt: '2023-06-02T02:00:00.000Z' } },
      supervisor,
    );
    expect(created.errors).toBeUndefined();
    expect((await ask()).report.total).toBe(first.report.total + 3);
  });

  it('empty when appeals are truncated', async () => {
    const start = await countsVersion(db());
    await db().execute(sql`truncate appeals cascade`);
    expect(Number((await one<{ n: string }>(sql`select (select count(*) from appeal_counts_daily) + (select count(*) from appeal_counts_monthly) as n`)).n)).toBe(0);
    expect(await countsVersion(db())).toBe(start + 1);
  });
});

const describePg = process.env.TEST_DATABASE_URL ? describe : describe.skip;

describePg('annual reports cached on two servers of one PostgreSQL database', () => {
  let server: TestServer;
  let second: { app: App; handle: DbHandle; url: string } | undefined;

  beforeAll(async () => {
    server = await startTestServer('postgres');
    const handle = await createDb({ databaseUrl: server.handle.url, maxConnections: 2 });
    const config = loadConfig({ NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: process.env.LOG_LEVEL, AUTH_SECRET: TEST_AUTH_SECRET });
    const app = await createApp({ config, db: handle });
    second = { app, handle, url: (await app.listen()).url };
  });
  afterAll(async () => {
    await second?.app.stop();
    await second?.handle.close();
    await server?.stop();
  });

  it('answers on one server the change committed through the other, at once', async () => {
    const ask = async (url: string) => {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: ANNUAL }) });
      return ((await response.json()) as { data: { annualReport: { total: number } } }).data.annualReport.total;
    };
    const before = await ask(server.url);
    expect(await ask(server.url)).toBe(before);
    const created = await fetch(second!.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await authHeader({ sub: 'sup', role: 'SUPERVISOR', regions: ['421300'] })) },
      body: JSON.stringify({
        query: `mutation { createAppeal(input: { type: CONSULTATION, channel: WEB, regionCode: "421321", receivedAt: "2023-07-01T02:00:00.000Z" }) { id } }`,
      }),
    });
    expect(((await created.json()) as { errors?: unknown }).errors).toBeUndefined();
    expect(await ask(server.url)).toBe(before + 1);
  });
});
