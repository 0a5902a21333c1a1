import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import { ANNOUNCEMENT_FILE, readAnnouncement, servePglite, type PgliteService } from '../../src/db/pglite-serve';

const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe('a PGlite database served to commands on a local socket', () => {
  let dir: string;
  let pglite: PGlite;
  let service: PgliteService;
  const clients: postgres.Sql[] = [];
  const connect = () => {
    const sql = postgres({ path: readAnnouncement(dir)!.socket, max: 1, prepare: false, username: 'postgres', database: 'postgres', onnotice: () => undefined });
    clients.push(sql);
    return sql;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pglite-serve-'));
    pglite = await PGlite.create();
    await pglite.exec(`SET TIME ZONE 'UTC'; create table t (v text not null)`);
    service = await servePglite(pglite, dir, { sessionSetup: `SET TIME ZONE 'UTC'` });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((sql) => sql.end({ timeout: 1 })));
    await pglite.exec('truncate t');
  });
  afterAll(async () => {
    await service?.close();
    await pglite?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('announces its pid and socket in the data directory', () => {
    expect(readAnnouncement(dir)).toEqual(expect.objectContaining({ pid: process.pid, socket: service.socket }));
  });

  it('answers parameterised queries, and an error does not break the next query', async () => {
    const sql = connect();
    const [row] = await sql<{ n: number }[]>`select ${2}::int + ${3}::int as n`;
    expect(row!.n).toBe(5);
    await expect(sql`select 1 / ${0}::int`).rejects.toThrow(/division by zero/);
    expect((await sql`select ${'again'}::text as v`)[0]!.v).toBe('again');
  });

  it('serves one command after another, each with its own connection', async () => {
    for (const value of ['first', 'second', 'third']) {
      const sql = connect();
      await sql`insert into t values (${value})`;
      await sql.end();
    }
    expect((await pglite.query<{ v: string }>('select v from t order by v')).rows.map((r) => r.v)).toEqual(['first', 'second', 'third']);
  });

  it('keeps a command’s transaction whole: the server’s own transaction waits for it instead of interleaving', async () => {
    const sql = connect();
    let server: Promise<unknown> | undefined;
    await sql.begin(async (tx) => {
      await tx`insert into t values ('command')`;
      // The server's transaction starts while the command's is open, and fails.
      server = pglite.transaction(async (own) => {
        await own.query(`insert into t values ('server')`);
        throw new Error('server work fails');
      });
      server.catch(() => undefined);
      await turns(20);
      await tx`insert into t values ('command 2')`;
    });
    await expect(server).rejects.toThrow('server work fails');
    // The server's rollback took only its own row.
    expect((await pglite.query<{ v: string }>('select v from t order by v')).rows.map((r) => r.v)).toEqual(['command', 'command 2']);
  });

  it('rolls back what a command leaves open when its connection drops, and frees the database', async () => {
    const sql = connect();
    const reserved = await sql.reserve();
    await reserved`begin`;
    await reserved`insert into t values ('orphan')`;
    await reserved`set time zone 'Asia/Shanghai'`;
    await sql.end({ timeout: 0 });
    // Waits until the dropped connection is cleaned up (the server's query queues behind it).
    const { rows } = await pglite.query<{ n: number; tz: string }>(`select count(*)::int as n, current_setting('TimeZone') as tz from t`);
    expect(rows[0]).toEqual({ n: 0, tz: 'UTC' });
    expect(pglite.isInTransaction()).toBe(false);
  });

  it('cuts off a command that holds a transaction open and says nothing, so the server is not stalled', async () => {
    const other = mkdtempSync(join(tmpdir(), 'pglite-serve-'));
    const second = await PGlite.create();
    const served = await servePglite(second, other, { sessionSetup: 'select 1', idleInTransactionMs: 300 });
    const sql = postgres({ path: served.socket, max: 1, prepare: false, username: 'postgres', database: 'postgres', onnotice: () => undefined });
    try {
      await second.exec('create table s (v text)');
      const reserved = await sql.reserve();
      await reserved`begin`;
      await reserved`insert into s values ('abandoned')`;
      // The server's own query waits for the silent command, then runs once it is cut off.
      const { rows } = await second.query<{ n: number }>('select count(*)::int as n from s');
      expect(rows[0]!.n).toBe(0);
      expect(second.isInTransaction()).toBe(false);
      reserved.release();
    } finally {
      await sql.end({ timeout: 1 });
      await served.close();
      await second.close();
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('removes the announcement and the socket when it stops', async () => {
    const other = mkdtempSync(join(tmpdir(), 'pglite-serve-'));
    try {
      const second = await PGlite.create();
      const served = await servePglite(second, other, { sessionSetup: 'select 1' });
      expect(existsSync(join(other, ANNOUNCEMENT_FILE))).toBe(true);
      await served.close();
      await second.close();
      expect(existsSync(join(other, ANNOUNCEMENT_FILE))).toBe(false);
      expect(existsSync(served.socket)).toBe(false);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});
