import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { createDb, type DbHandle, type Driver } from '../../src/db';
import { migrateDb } from '../../src/db/migrate';
import { rowsOf } from '../../src/db/rows';
import { appeals, merchantAnswers } from '../../src/db/schema';
import { appealDeadlines } from '../../src/domain/appeal-deadlines';
import { recomputeAllRatings } from '../../src/modules/rating/rating.store';
import { projectRoot } from '../../src/util/project-root';
import { seedScale } from '../../seeds/scale-load';
import { drivers, openTestDb, type TestDb } from '../helpers/drivers';

/**
 * `npm run db:seed -- --scale N` at a small N: the command itself (COPY, through its worker
 * thread) against the same world written in-process through the multi-row fallback, and the
 * written data against the domain and the rating model.
 */
const SCALE = 500;

/** Columns compared per table: all, except when the ratings were computed (a run's clock). */
const FINGERPRINTED: Record<string, string> = {
  merchants: '*',
  demonstration_streets: '*',
  demonstration_street_members: '*',
  credit_list_entries: '*',
  return_pledges: '*',
  pledge_status_changes: '*',
  pledge_audits: '*',
  dispute_enrollments: '*',
  appeals: '*',
  appeal_transitions: '*',
  merchant_answers: '*',
  compensation_funds: '*',
  fund_ledger_entries: '*',
  // Kept by triggers in the fallback, rebuilt after the load by COPY (seeds/copy.ts).
  rating_day_counts: '*',
  ratings: 'merchant_id, model_version, score, grade, as_of, factors',
  rating_history: 'id, merchant_id, model_version, score, grade, previous_score, previous_grade, as_of, factors, cause, cause_ref',
};

async function fingerprint(handle: DbHandle): Promise<Record<string, { rows: number; md5: string }>> {
  const out: Record<string, { rows: number; md5: string }> = {};
  for (const [table, columns] of Object.entries(FINGERPRINTED)) {
    const [row] = rowsOf<{ rows: number; md5: string }>(
      await handle.db.execute(
        sql.raw(`select count(*)::int as rows, md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as md5 from (select ${columns} from ${table}) x`),
      ),
    );
    out[table] = row!;
  }
  return out;
}

function runSeedCommand(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const root = projectRoot();
  const child = spawn(process.execPath, ['-r', '@swc-node/register', join(root, 'seeds', 'cli.ts'), ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

/** The schema's indexes, constraints and triggers (and whether each is enabled), by name and definition. */
async function schemaObjects(handle: DbHandle): Promise<string[]> {
  const rows = rowsOf<{ object: string }>(
    await handle.db.execute(sql`
      select 'index ' || indexname || ': ' || indexdef as object from pg_indexes where schemaname = 'public'
      union all
      select 'constraint ' || conname || ': ' || pg_get_constraintdef(c.oid) from pg_constraint c join pg_namespace n on n.oid = c.connamespace where n.nspname = 'public'
      union all
      select 'trigger ' || tgname || ' on ' || tgrelid::regclass || ', enabled: ' || tgenabled::text from pg_trigger where not tgisinternal
      order by 1`),
  );
  return rows.map((r) => r.object);
}

describe.each(drivers)('npm run db:seed -- --scale on %s', (driver: Driver) => {
  /** Seeded by the command. */
  let seeded: DbHandle;
  let disposeSeeded: () => Promise<void>;
  /** The same world written in this process through the multi-row fallback. */
  let fallback: TestDb;
  let dataDir: string | undefined;
  let asOf: string;
  let commandOutput: string;

  beforeAll(async () => {
    let env: Record<string, string>;
    let testDb: TestDb | undefined;
    if (driver === 'postgres') {
      testDb = await openTestDb('postgres', { empty: true });
      env = { DATABASE_URL: testDb.url! };
    } else {
      dataDir = mkdtempSync(join(tmpdir(), 'scale-seed-'));
      env = { DATABASE_URL: '', DATA_DIR: dataDir };
    }
    const result = await runSeedCommand(['--scale', String(SCALE)], env);
    commandOutput = `${result.stdout}\n${result.stderr}`;
    if (result.code !== 0) throw new Error(`db:seed --scale failed (${result.code}):\n${commandOutput}`);
    if (testDb) {
      seeded = testDb.handle;
      disposeSeeded = () => testDb.dispose();
    } else {
      const handle = await createDb({ dataDir });
      seeded = handle;
      disposeSeeded = () => handle.close();
    }
    const [rated] = rowsOf<{ as_of: string }>(await seeded.db.execute(sql`select distinct as_of::text from ratings`));
    asOf = rated!.as_of;

    fallback = await openTestDb(driver, { empty: true });
    await migrateDb(fallback.handle);
    // Without the raw clients COPY is out of reach, as for a command sharing a running server's PGlite.
    await seedScale({ ...fallback.handle, sql: undefined, pglite: undefined }, { merchants: SCALE, asOf });
  }, 300_000);

  afterAll(async () => {
    await disposeSeeded?.();
    await fallback?.dispose();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('writes the same rows on every run, by COPY as by multi-row inserts: N merchants, ten appeals each', async () => {
    expect(commandOutput).toMatch(driver === 'postgres' ? /by COPY FROM STDIN/ : /by COPY FROM '\/dev\/blob'/);
    const [a, b] = await Promise.all([fingerprint(seeded), fingerprint(fallback.handle)]);
    expect(a.merchants!.rows).toBe(SCALE);
    expect(a.appeals!.rows).toBe(SCALE * 10);
    expect(a.ratings!.rows).toBe(SCALE);
    expect(a).toEqual(b);
  });

  it('leaves every index, constraint and trigger of the schema as the migrations made them', async () => {
    const fresh = await openTestDb(driver, { empty: true });
    try {
      await migrateDb(fresh.handle);
      expect(await schemaObjects(seeded)).toEqual(await schemaObjects(fresh.handle));
    } finally {
      await fresh.dispose();
    }
  });

  it('stores the ratings ratings:recompute computes: recomputing changes no score, grade or factor', async () => {
    const stored = async () =>
      rowsOf<{ merchant_id: string; score: string; grade: string; factors: unknown }>(
        await seeded.db.execute(sql`select merchant_id, score::text, grade, factors from ratings order by merchant_id`),
      ).map((r) => ({ ...r, factors: normalised(r.factors) }));
    const before = await stored();
    const historyBefore = await count(seeded, 'rating_history');
    const result = await recomputeAllRatings(seeded.db, asOf, 'ratings.recompute');
    expect(result).toMatchObject({ merchants: SCALE, changed: 0 });
    expect(await stored()).toEqual(before);
    expect(await count(seeded, 'rating_history')).toBe(historyBefore);
  });

  it("stores every appeal's deadlines as the domain computes them", async () => {
    const [rows, answers] = await Promise.all([
      seeded.db.select().from(appeals),
      seeded.db.select({ appealId: merchantAnswers.appealId, answeredAt: merchantAnswers.answeredAt }).from(merchantAnswers),
    ]);
    expect(rows).toHaveLength(SCALE * 10);
    const firstAnswer = new Map<string, Date>();
    for (const a of answers) if (!firstAnswer.has(a.appealId) || a.answeredAt < firstAnswer.get(a.appealId)!) firstAnswer.set(a.appealId, a.answeredAt);
    const wrong = rows.filter((r) => {
      const due = appealDeadlines({ ...r, firstAnswerAt: firstAnswer.get(r.id) ?? null }, asOf);
      const domain = [due.acceptance?.dueOn ?? null, due.answer?.dueOn ?? null, due.conclusion?.dueOn ?? null, due.verification?.dueOn ?? null];
      return JSON.stringify(domain) !== JSON.stringify([r.acceptanceDueOn, r.answerDueOn, r.conclusionDueOn, r.verificationDueOn]);
    });
    expect(wrong.slice(0, 3)).toEqual([]);
  });

  it('refuses a database that already has merchants, and writes nothing', async () => {
    const before = await count(seeded, 'appeals');
    await expect(seedScale(seeded, { merchants: SCALE, asOf })).rejects.toThrow(/empty database/);
    expect(await count(seeded, 'appeals')).toBe(before);
  });
});

async function count(handle: DbHandle, table: string): Promise<number> {
  const [row] = rowsOf<{ n: number }>(await handle.db.execute(sql.raw(`select count(*)::int as n from ${table}`)));
  return row!.n;
}

/**
 * Factors with their evidence ids in a fixed order: the model lists ids in the order the records
 * come, which the database does not promise (the seed and the recompute read them differently).
 */
function normalised(factors: unknown): unknown {
  return (factors as Array<{ evidence: { recordIds: string[] } }>).map((f) => ({ ...f, evidence: { ...f.evidence, recordIds: [...f.evidence.recordIds].sort() } }));
}
