import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src/util/project-root';
import { shanghaiToday } from '../../src/domain/local-date';

/** Everything the migrated and seeded template is made from: migrations, the seed and what it runs. */
const TEMPLATE_INPUTS = ['drizzle', 'seeds', 'src/domain', 'src/db/schema', 'src/modules/rating', 'package-lock.json'];

/** Files under `path` (itself when a file), recursively, in a stable order. */
function filesUnder(root: string, path: string): string[] {
  const full = join(root, path);
  if (!statSync(full).isDirectory()) return [path];
  return readdirSync(full)
    .sort()
    .flatMap((name) => filesUnder(root, join(path, name)));
}

/** The files the template key is computed from. */
export function templateInputFiles(): string[] {
  const root = projectRoot();
  return TEMPLATE_INPUTS.flatMap((input) => filesUnder(root, input)).filter((path) => /\.(sql|json|ts)$/.test(path));
}

/**
 * A key for the migrated and seeded test template: it changes whenever a migration, the seed,
 * a domain rule the seed applies, or a locked dependency (chinese-days' calendar) changes, so a
 * cached template is never stale.
 */
export function templateKey(): string {
  const root = projectRoot();
  const hash = createHash('sha1');
  for (const path of templateInputFiles()) {
    hash.update(path);
    hash.update(readFileSync(join(root, path)));
  }
  // Seeded ratings are computed for today, so a template from yesterday is stale.
  hash.update(shanghaiToday());
  return hash.digest('hex').slice(0, 16);
}

export const PGLITE_TEMPLATE_ENV = 'REGISTRY_TEST_PGLITE_TEMPLATE';
export const PG_TEMPLATE_ENV = 'REGISTRY_TEST_PG_TEMPLATE';

/** The URL of another database on the same server as `url`. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
