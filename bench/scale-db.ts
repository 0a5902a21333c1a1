/**
 * The bench's scale-size database: seeded once with `npm run db:seed -- --scale N` and kept
 * between runs as a template, under a name that carries a hash of everything the seed is made
 * from (seeds, domain rules, schema, migrations, the rating model, locked dependencies) and N.
 * A run copies the template, so its own writes never reach the cache; when the seed code
 * changes, the next run seeds a new template and drops the stale ones.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type postgres from 'postgres';

/** Everything the scale database is made from. */
const SEED_INPUTS = ['seeds', 'src/domain', 'src/db/schema', 'src/modules/rating', 'drizzle', 'package-lock.json', 'patches'];
const PREFIX = 'registry_bench_scale_';

function filesUnder(root: string, path: string): string[] {
  const full = join(root, path);
  if (!statSync(full).isDirectory()) return [path];
  return readdirSync(full)
    .sort()
    .flatMap((name) => filesUnder(root, join(path, name)));
}

/** The cache key: a hash of the seed's inputs and the size. */
export function scaleSeedKey(root: string, merchants: number): string {
  const hash = createHash('sha1');
  hash.update(String(merchants));
  for (const path of SEED_INPUTS.flatMap((input) => filesUnder(root, input))) {
    hash.update(path);
    hash.update(readFileSync(join(root, path)));
  }
  return hash.digest('hex').slice(0, 12);
}

/** Runs the seed command into `url`; its output goes to the bench's log. */
function runSeed(root: string, url: string, merchants: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', 'seeds/cli.ts', '--scale', String(merchants)], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: url },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`db:seed --scale ${merchants} exited with code ${code}`))));
  });
}

/**
 * The name of the template database with the scale seed of `merchants` merchants, seeding it
 * first when no template of the current key exists. Seeding goes into a database of another
 * name that is renamed only once complete, so an interrupted seed is never taken for a cache.
 */
export async function scaleTemplate(
  admin: postgres.Sql,
  root: string,
  merchants: number,
  url: (database: string) => string,
  log: (line: string) => void,
): Promise<{ template: string; seededNow: boolean; seedMs: number }> {
  const template = `${PREFIX}${merchants}_${scaleSeedKey(root, merchants)}`;
  // Templates of this size made from older seed code; other sizes are kept.
  const existing = await admin<{ datname: string }[]>`select datname from pg_database where datname like ${`${PREFIX}${merchants}\\_%`}`;
  for (const { datname } of existing) {
    if (datname === template) continue;
    log(`dropping the stale scale database ${datname}`);
    await admin.unsafe(`drop database if exists "${datname}" with (force)`);
  }
  if (existing.some((d) => d.datname === template)) return { template, seededNow: false, seedMs: 0 };

  const partial = `${template}_partial`;
  log(`seeding the scale database (${merchants} merchants; kept as ${template} for later runs)…`);
  const started = Date.now();
  await admin.unsafe(`create database "${partial}"`);
  try {
    await runSeed(root, url(partial), merchants);
    await admin.unsafe(`alter database "${partial}" rename to "${template}"`);
  } catch (error) {
    await admin.unsafe(`drop database if exists "${partial}" with (force)`);
    throw error;
  }
  return { template, seededNow: true, seedMs: Date.now() - started };
}

/** A private copy of the template for one run (a file copy: far faster than a WAL-logged one). */
export async function copyTemplate(admin: postgres.Sql, template: string, database: string): Promise<void> {
  await admin.unsafe(`create database "${database}" template "${template}" strategy file_copy`);
}
