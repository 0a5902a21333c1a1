import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDb } from '../../src/db';
import { ANNOUNCEMENT_FILE } from '../../src/db/pglite-serve';
import { PGLITE_TEMPLATE_ENV } from '../helpers/template';
import { runCli, startServerProcess, type ServerProcess } from '../helpers/process';

// The embedded database answers one process; these run the commands beside the server that holds it.
describe('commands beside a running server on the embedded database', () => {
  let dir: string;
  let dataDir: string;
  let server: ServerProcess | undefined;
  // No DATABASE_URL from the developer's shell: the commands must find the server's PGlite.
  const env = () => ({ DATA_DIR: dataDir, DATABASE_URL: '' });
  const cli = async (name: string, args: string[]) => runCli(name, args, env()).exited;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cli-beside-server-'));
    dataDir = join(dir, 'pglite');
    // The seeded test template, so the server starts without loading the demo data itself.
    const seeded = await createDb({ dataDir, loadDataDir: new Blob([readFileSync(process.env[PGLITE_TEMPLATE_ENV]!)]) });
    await seeded.close();
    server = await startServerProcess({ DATA_DIR: dataDir, DATABASE_URL: '', RUN_JOBS: 'false', SEED_DEMO: 'false' }, 90_000);
  }, 150_000);

  afterAll(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('writes the annual report through the server, titled with the region’s name', async () => {
    const out = join(dir, 'reports');
    const city = await cli('report', ['--year', '2023', '--out', out]);
    expect(city.stderr).toBe('');
    expect(city.code).toBe(0);
    expect(readFileSync(join(out, 'annual-2023-421300.md'), 'utf8')).toMatch(/^# 随州市2023年12315消费维权数据分析/);

    const district = await cli('report', ['--year', '2023', '--region', '421303', '--out', out]);
    expect(district.code).toBe(0);
    const markdown = readFileSync(join(out, 'annual-2023-421303.md'), 'utf8');
    expect(markdown).toMatch(/^# 曾都区2023年/);
    expect(markdown).toContain('2023年，全区12315系统');
  }, 60_000);

  it('refuses a region it does not know and a year without appeals, writing nothing', async () => {
    const out = join(dir, 'refused');
    const region = await cli('report', ['--year', '2023', '--region', '999999', '--out', out]);
    expect(region.code).toBe(1);
    expect(region.stderr).toContain('--region 999999 is not a region of the registry; known regions: 421300 随州市, 421303 曾都区');

    const year = await cli('report', ['--year', '2021', '--out', out]);
    expect(year.code).toBe(1);
    expect(year.stderr).toContain('no appeals on record for 2021 in 随州市 (421300): nothing to report. Years with appeals there: 2022, 2023.');
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  }, 60_000);

  it('imports the sample appeals through the server and prints the summary once', async () => {
    const result = await cli('import-appeals', ['seeds/appeals-sample.csv']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`(served by the running server, pid ${server!.child.pid})`);
    const output = result.stdout + result.stderr;
    expect(output.match(/read 30 rows: 27 inserted, 0 already present, 3 bad/g)).toHaveLength(1);
    expect(output).not.toMatch(/bad \(\d+%\)/);

    // The server sees what the command wrote.
    const again = await cli('import-appeals', ['seeds/appeals-sample.csv']);
    expect(again.stdout).toMatch(/read 30 rows: 0 inserted, 27 already present, 3 bad/);
  }, 60_000);

  it('applies migrations through the server (nothing left to apply)', async () => {
    const result = await cli('migrate', []);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('served by the running server');
  }, 60_000);

  it('logs each request at info with its operation, role, status and duration, and no query text', async () => {
    const response = await fetch(`http://127.0.0.1:${server!.port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'query FirstMerchants($n: Int) { merchants(first: $n) { totalCount } }', variables: { n: 1 } }),
    });
    expect(response.status).toBe(200);
    await response.json();
    // The line is written when the response finishes, possibly just after the client has it.
    for (let i = 0; i < 50 && !server!.logs.some((l) => l.msg === 'request' && l.operation === 'FirstMerchants'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const line = server!.logs.find((l) => l.msg === 'request' && l.operation === 'FirstMerchants');
    expect(line).toEqual(
      expect.objectContaining({ level: 30, method: 'POST', path: '/graphql', role: 'PUBLIC', status: 200, durationMs: expect.any(Number) }),
    );
    expect(JSON.stringify(line)).not.toMatch(/merchants\(|totalCount|"n"|variables|headers|remoteAddress/);
  });

  it('removes its announcement when it stops, and a command then opens the directory itself', async () => {
    const { code } = await server!.stop();
    server = undefined;
    expect(code).toBe(0);
    expect(existsSync(join(dataDir, ANNOUNCEMENT_FILE))).toBe(false);
    const result = await cli('migrate', []);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`migrated PGlite in ${dataDir}\n`);
  }, 60_000);
});

describe('a command finding the data directory held by a process that does not serve it', () => {
  it('says which process holds it and what to do', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cli-locked-'));
    try {
      mkdirSync(dataDir, { recursive: true });
      // This test process stands for a server still starting: alive, holding the lock, no announcement.
      writeFileSync(join(dataDir, 'registry.lock'), String(process.pid));
      const result = await runCli('report', ['--year', '2023'], { DATA_DIR: dataDir, DATABASE_URL: '' }).exited;
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`The data directory ${dataDir} is in use by process ${process.pid}, which does not serve it to commands.`);
      expect(result.stderr).toContain('try again once it is ready');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
