import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServerProcess, type ServerProcess } from '../helpers/process';
import { openTestDb } from '../helpers/drivers';

const count = async (port: number) => {
  const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ merchants(first: 5) { totalCount } }' }),
  });
  return ((await response.json()) as any).data.merchants.totalCount as number;
};

describe('the server process on embedded PGlite', () => {
  let dataDir: string;
  let server: ServerProcess | undefined;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'registry-process-'));
  });
  afterAll(async () => {
    if (server?.child.exitCode === null) await server.stop('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates and migrates its data directory on first start and serves /graphql', async () => {
    server = await startServerProcess({ DATA_DIR: dataDir, SEED_DEMO: 'false' });
    expect(await count(server.port)).toBe(0);
    const ready = await fetch(`http://127.0.0.1:${server.port}/readyz`);
    expect(ready.status).toBe(200);
  });

  it('refuses a second process on the same data directory', async () => {
    await expect(startServerProcess({ DATA_DIR: dataDir, SEED_DEMO: 'false' })).rejects.toThrow(/in use by process/);
  });

  it('exits cleanly within 5 seconds of SIGTERM', async () => {
    const { code, ms } = await server!.stop('SIGTERM');
    expect(code).toBe(0);
    expect(ms).toBeLessThan(5000);
    expect(server!.logs.some((l) => l.level === 50 || l.level === 60)).toBe(false);
  });
});

describe('the server process in server mode', () => {
  it('refuses to start on PostgreSQL without AUTH_SECRET or AUTH_JWKS_URL', async () => {
    await expect(
      startServerProcess({ DATABASE_URL: 'postgres://127.0.0.1:1/none', AUTH_SECRET: '', AUTH_JWKS_URL: '' }),
    ).rejects.toThrow(/AUTH_SECRET or AUTH_JWKS_URL is required/);
  });
});

const describePg = process.env.TEST_DATABASE_URL ? describe : describe.skip;

describePg('server processes on PostgreSQL', () => {
  it('start together on an empty database, listening at once and showing the seeding on /readyz until ready', async () => {
    const empty = await openTestDb('postgres', { empty: true });
    const databaseUrl = empty.url!;
    await empty.handle.close();
    const servers: ServerProcess[] = [];
    try {
      const env = { DATABASE_URL: databaseUrl, SEED_DEMO: 'true', AUTH_SECRET: 'x'.repeat(40) };
      servers.push(...(await Promise.all([startServerProcess(env, 30_000, 'listening'), startServerProcess(env, 30_000, 'listening')])));
      // The port is open before the database is ready: /readyz tells how far start-up got.
      const phases = new Set<string>();
      const deadline = Date.now() + 120_000;
      // Both are polled together: one seeds while the other waits for its lock.
      const pending = new Set(servers);
      while (pending.size > 0) {
        for (const s of [...pending]) {
          // A seeding node blocks its event loop for seconds; its keep-alive timer may then close a
          // socket the client is reusing. A monitor asks again, and so does this loop.
          const response = await fetch(`http://127.0.0.1:${s.port}/readyz`).catch((error: unknown) => {
            if (s.child.exitCode === null && (error as { cause?: { code?: string } }).cause?.code === 'ECONNRESET') return null;
            throw new Error(`/readyz failed (exit code ${s.child.exitCode}): ${String(error)}\n${s.logs.slice(-8).map((l) => JSON.stringify(l)).join('\n')}`);
          });
          if (!response) continue;
          const body = (await response.json()) as { status: string; phase?: string };
          if (response.status === 200) {
            pending.delete(s);
            continue;
          }
          expect({ status: response.status, body: body.status }).toEqual({ status: 503, body: 'starting' });
          if (body.phase) phases.add(body.phase);
        }
        if (Date.now() > deadline) throw new Error(`not ready after 120 s; phases seen: ${[...phases].join(', ')}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      for (const s of servers) expect(s.logs.some((l) => l.msg === 'ready')).toBe(true);
      expect([...phases]).toEqual(expect.arrayContaining(['seeding: appeals of record']));
      // The seed's progress is logged, appeals of record included.
      const seeding = servers.flatMap((s) => s.logs).filter((l) => l.msg === 'seeding');
      expect(seeding.some((l) => l.phase === 'appeals of record' && l.total === 52_342 && l.done === 52_342)).toBe(true);
      const [a, b] = await Promise.all(servers.map((s) => count(s.port)));
      expect(a).toBeGreaterThan(2000);
      expect(b).toBe(a);
      const seededBy = servers.filter((s) => s.logs.some((l) => l.msg === 'demo seed loaded'));
      expect(seededBy).toHaveLength(1);
      for (const s of servers) {
        const { code, ms } = await s.stop('SIGTERM');
        expect(code).toBe(0);
        expect(ms).toBeLessThan(5000);
      }
    } finally {
      for (const s of servers) if (s.child.exitCode === null) await s.stop('SIGKILL');
      await empty.dispose();
    }
  });
});
