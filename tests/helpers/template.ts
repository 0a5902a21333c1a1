import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src/util/project-root';
import { shanghaiToday } from '../../src/domain/local-date';

/**
 * A key for the migrated and seeded test template: it changes whenever a migration or the seed
 * code changes, so a cached template is never stale.
 */
export function templateKey(): string {
  const root = projectRoot();
  const hash = createHash('sha1');
  for (const dir of ['drizzle', 'drizzle/meta', 'seeds', 'src/domain/rating', 'src/modules/rating']) {
    const full = join(root, dir);
    for (const name of readdirSync(full).sort()) {
      if (!/\.(sql|json|ts)$/.test(name)) continue;
      hash.update(name);
      hash.update(readFileSync(join(full, name)));
    }
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
