import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { generateDemoSeed } from '../../seeds/demo';
import { projectRoot } from '../../src/util/project-root';
import { openTestDb, type TestDb } from '../helpers/drivers';
import { rowsOf } from '../helpers/fixtures';

const ROWS = 20_000;
const PREFIX = 'KILL-';

/** A wall time in Asia/Shanghai, `days` and `minutes` after 2025-01-01 09:00. */
function wall(days: number, minutes = 0): string {
  const ms = Date.UTC(2025, 0, 1, 1, 0) + days * 86_400_000 + minutes * 60_000;
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/**
 * A valid export of `ROWS` rows on the seeded merchants, four kinds in turn, and how many
 * transitions they imply: a closed consultation (2), a complaint mediated after a mediation
 * step (4), a report filed as a case (3) and a complaint just received (1).
 */
function generateCsv(): { csv: string; transitions: number } {
  const merchants = generateDemoSeed().merchants;
  const lines = ['external_id,type,channel,received_at,merchant_uscc,region_code,status,accepted_at,mediation_started_at,concluded_at,verification_started_at,decided_at,closed_at,amount_involved_yuan,details'];
  let transitions = 0;
  for (let i = 0; i < ROWS; i++) {
    const m = merchants[i % merchants.length]!;
    const day = i % 300;
    const id = `${PREFIX}${String(i).padStart(6, '0')}`;
    switch (i % 4) {
      case 0:
        lines.push(`${id},咨询,电话,${wall(day)},,${m.regionCode},CLOSED,,,,,,${wall(day, 15)},,"咨询退货规定, 第${i}号"`);
        transitions += 2;
        break;
      case 1:
        lines.push(`${id},投诉,网络,${wall(day)},${m.uscc},,MEDIATED,${wall(day + 2)},${wall(day + 3)},${wall(day + 10)},,,,${(i % 5000) + 0.5},质量问题`);
        transitions += 4;
        break;
      case 2:
        lines.push(`${id},举报,平台,${wall(day)},${m.uscc},,CASE_FILED,,,,${wall(day + 1)},${wall(day + 12)},,,虚假宣传`);
        transitions += 3;
        break;
      default:
        lines.push(`${id},COMPLAINT,HOTLINE,${wall(day)},${m.uscc},,RECEIVED,,,,,,,12.30,"多行
说明"`);
        transitions += 1;
    }
  }
  return { csv: `${lines.join('\n')}\n`, transitions };
}

function runCli(file: string, databaseUrl: string) {
  const root = projectRoot();
  const child = spawn(process.execPath, ['-r', '@swc-node/register', join(root, 'src', 'cli', 'import-appeals.ts'), file, '--batch-size=500', '--actor=kill-test'], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'production', DATABASE_URL: databaseUrl, AUTH_SECRET: 'k'.repeat(40) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { child, exited, output: () => output };
}

const describePg = process.env.TEST_DATABASE_URL ? describe : describe.skip;

describePg('the import CLI killed in the middle of a file (PostgreSQL)', () => {
  let testDb: TestDb;
  let dir: string;
  let file: string;
  let expectedTransitions: number;

  const counts = async () => {
    const [row] = rowsOf<{ appeals: number; distinct_ids: number; transitions: number }>(
      await testDb.handle.db.execute(sql`
        select count(*)::int as appeals, count(distinct a.external_id)::int as distinct_ids,
               coalesce(sum((select count(*) from appeal_transitions t where t.appeal_id = a.id)), 0)::int as transitions
        from appeals a where a.external_id like ${`${PREFIX}%`}`),
    );
    return row!;
  };

  beforeAll(async () => {
    testDb = await openTestDb('postgres');
    dir = mkdtempSync(join(tmpdir(), 'appeal-import-kill-'));
    file = join(dir, 'appeals-20k.csv');
    const generated = generateCsv();
    writeFileSync(file, generated.csv);
    expectedTransitions = generated.transitions;
  });
  afterAll(async () => {
    await testDb?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('holds every row of the file exactly once after SIGKILL and a second run', async () => {
    const first = runCli(file, testDb.url!);
    let atKill = 0;
    try {
      // Kill once a few batches have committed but well before the end.
      const deadline = Date.now() + 30_000;
      while (first.child.exitCode === null && Date.now() < deadline) {
        atKill = (await counts()).appeals;
        if (atKill >= 2_000) break;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      first.child.kill('SIGKILL');
    } finally {
      if (first.child.exitCode === null) first.child.kill('SIGKILL');
    }
    const killed = await first.exited;
    expect({ signal: killed.signal, output: killed.signal ? '' : first.output() }).toEqual({ signal: 'SIGKILL', output: '' });

    const afterKill = await counts();
    expect(afterKill.appeals).toBeGreaterThanOrEqual(atKill);
    expect(afterKill.appeals).toBeLessThan(ROWS);
    // Whole batches only: a batch commits with its transitions or not at all.
    expect(afterKill.appeals % 500).toBe(0);

    const second = runCli(file, testDb.url!);
    const finished = await second.exited;
    expect({ code: finished.code, output: second.output() }).toEqual({ code: 0, output: expect.stringContaining(`read ${ROWS} rows: ${ROWS - afterKill.appeals} inserted, ${afterKill.appeals} already present, 0 bad`) });

    expect(await counts()).toEqual({ appeals: ROWS, distinct_ids: ROWS, transitions: expectedTransitions });
    // Two imports of 20,000 rows: about 50 s alone, twice that beside the heaviest suites on two cores.
  }, 240_000);
});
