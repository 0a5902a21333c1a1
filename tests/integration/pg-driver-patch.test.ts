import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import postgres from 'postgres';
import { projectRoot } from '../../src/util/project-root';
import { openTestDb, type TestDb } from '../helpers/drivers';

/**
 * patches/postgres+3.4.9.patch (applied by `patch-package` on install) carries the upstream guard
 * of porsager/postgres#1168 / #1209: without it, a write queued on a connection that has just
 * closed throws `TypeError: Cannot read properties of null (reading 'write')` from a setImmediate
 * and kills the process. Each scenario runs in a child process, so that such a crash shows as the
 * child's exit code instead of being caught by jest.
 */
function runScenario(url: string, scenario: 'reserved' | 'load'): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const root = projectRoot();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', join(root, 'tests', 'fault-scripts', 'pg-driver-scenario.ts'), scenario], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 45_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function outcome(stdout: string): Record<string, any> {
  const line = stdout.split('\n').find((l) => l.startsWith('{'));
  return line ? (JSON.parse(line) as Record<string, any>) : {};
}

const CONNECTION_ERROR = /^(CONNECTION_CLOSED|CONNECTION_DESTROYED|CONNECT_TIMEOUT|ECONNRESET|EPIPE|57P01)$/;

// The defect needs a real server closing real sockets; PGlite has no connections to lose.
const describePg = process.env.TEST_DATABASE_URL ? describe : describe.skip;

describePg('postgres.js patch: a closed connection never kills the process (postgres only: needs pg_terminate_backend)', () => {
  let testDb: TestDb;

  beforeAll(async () => {
    // A database of this file's own: the scenarios terminate only their own backends, but there.
    testDb = await openTestDb('postgres', { empty: true });
  });
  afterAll(async () => {
    await testDb?.dispose();
  });

  it('rejects both queries on a reserved connection whose backend was terminated, and lives on (porsager/postgres#1208)', async () => {
    const { code, stdout, stderr } = await runScenario(testDb.url!, 'reserved');
    expect(stderr).not.toMatch(/TypeError|uncaught/i);
    expect(code).toBe(0);
    const result = outcome(stdout);
    // Usually CONNECTION_CLOSED; 57P01 or ECONNRESET when the query is sent before the close is seen.
    expect(result.outcomes).toHaveLength(2);
    for (const kind of result.outcomes as string[]) expect(kind).toMatch(CONNECTION_ERROR);
    expect(result.afterwards).toBe(1);
  });

  it('survives 20 rounds of terminating every backend under 8 workers of transactions and reads', async () => {
    const { code, stdout, stderr } = await runScenario(testDb.url!, 'load');
    expect(stderr).not.toMatch(/TypeError|uncaught/i);
    expect(code).toBe(0);
    const result = outcome(stdout);
    expect(result.killed).toBeGreaterThanOrEqual(20);
    // Every failure is a connection error; the pool answers again afterwards.
    expect(Object.keys(result.counts).filter((k) => k !== 'ok' && !CONNECTION_ERROR.test(k))).toEqual([]);
    expect(result.counts.ok).toBeGreaterThan(0);
    expect(result.afterwards).toBe(1);
  });
});

describePg('postgres.js patch: a refused COPY FROM STDIN (postgres only)', () => {
  let testDb: TestDb;

  beforeAll(async () => {
    testDb = await openTestDb('postgres', { empty: true });
  });
  afterAll(async () => {
    await testDb?.dispose();
  });

  it('rejects a COPY FROM STDIN the server refuses after the writable ended, and the connection goes on (porsager/postgres#1173)', async () => {
    const client = postgres(testDb.url!, { max: 1, onnotice: () => {} });
    try {
      await client`create temporary table copied (id int primary key)`;
      const writable = await client`copy copied (id) from stdin`.writable();
      // Both rows reach the server with CopyDone; the duplicate is found after it, which
      // unpatched left the writable pending for ever (the guard turns that into a failure).
      let guard: NodeJS.Timeout | undefined;
      const hung = new Promise<never>((_, reject) => (guard = setTimeout(() => reject(new Error('the COPY never settled')), 20_000)));
      try {
        await expect(Promise.race([pipeline(Readable.from(['1\n1\n']), writable), hung])).rejects.toThrow(/duplicate key/);
      } finally {
        clearTimeout(guard);
      }
      expect(await client`select count(*)::int as n from copied`).toEqual([{ n: 0 }]);
    } finally {
      await client.end();
    }
  });
});
