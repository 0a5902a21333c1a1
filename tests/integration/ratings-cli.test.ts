import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { rowsOf } from '../../src/db/rows';
import { rate } from '../../src/domain/rating/v1';
import { loadRatingRecords } from '../../src/modules/rating/rating.records';
import { openTestDb, type TestDb } from '../helpers/drivers';
import { runCli } from '../helpers/process';

// The CLI runs in its own process, so it needs a database another process can open: PostgreSQL.
const describePg = process.env.TEST_DATABASE_URL ? describe : describe.skip;

describePg('ratings:recompute with --as-of a past day (PostgreSQL)', () => {
  let testDb: TestDb;
  let dir: string;

  const storedFingerprint = async () => {
    const [row] = rowsOf<{ ratings: string; history: number }>(
      await testDb.handle.db.execute(sql`
        select (select md5(coalesce(string_agg(merchant_id::text || ':' || score || grade || as_of || computed_at, ',' order by merchant_id), '')) from ratings) as ratings,
               (select count(*)::int from rating_history) as history`),
    );
    return row!;
  };

  beforeAll(async () => {
    testDb = await openTestDb('postgres');
    dir = mkdtempSync(join(tmpdir(), 'ratings-cli-'));
  });
  afterAll(async () => {
    await testDb?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('exports that day’s ratings as CSV and leaves the current ratings and their history alone', async () => {
    const before = await storedFingerprint();
    const out = join(dir, 'past.csv');
    const { exited } = runCli('recompute-ratings', ['--as-of', '2025-06-30', '--out', out], { DATABASE_URL: testDb.url! });
    const result = await exited;
    expect(result.stderr).toContain('stored ratings untouched');
    expect(result.code).toBe(0);
    expect(await storedFingerprint()).toEqual(before);

    const [header, ...lines] = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(header!.split(',').slice(0, 7)).toEqual(['merchant_id', 'uscc', 'name', 'region_code', 'as_of', 'score', 'grade']);
    const [{ merchants }] = rowsOf<{ merchants: number }>(await testDb.handle.db.execute(sql`select count(*)::int as merchants from merchants`)) as [{ merchants: number }];
    expect(lines).toHaveLength(merchants);

    // Sampled rows carry the model's rating of that day, not the stored one of today.
    const sample = lines.filter((_, i) => i % 400 === 0).map((line) => line.split(','));
    const records = await loadRatingRecords(testDb.handle.db, sample.map((cells) => cells[0]!));
    for (const cells of sample) {
      const expected = rate(records.get(cells[0]!)!, '2025-06-30');
      expect({ asOf: cells[4], score: Number(cells[5]), grade: cells[6] }).toEqual({ asOf: '2025-06-30', score: expected.score, grade: expected.grade });
    }
  });

  it('refuses --out without a past day, and a malformed day, writing nothing', async () => {
    const before = await storedFingerprint();
    const bad = await runCli('recompute-ratings', ['--as-of', '2025-02-30'], { DATABASE_URL: testDb.url! }).exited;
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--as-of must be a date');
    const stray = await runCli('recompute-ratings', ['--out', join(dir, 'x.csv')], { DATABASE_URL: testDb.url! }).exited;
    expect(stray.code).toBe(1);
    expect(await storedFingerprint()).toEqual(before);
  });
});
