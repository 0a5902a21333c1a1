import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src/util/project-root';

/**
 * The values of a PostgreSQL enum as the committed migrations leave it (the newest drizzle
 * snapshot). The schema builds its enums from the domain's lists, so comparing those lists with
 * this is what catches a list changed without a migration.
 */
export function migratedEnumValues(name: string): string[] {
  const meta = join(projectRoot(), 'drizzle', 'meta');
  const journal = JSON.parse(readFileSync(join(meta, '_journal.json'), 'utf8')) as { entries: { idx: number }[] };
  const last = journal.entries.at(-1)!.idx;
  const snapshot = JSON.parse(readFileSync(join(meta, `${String(last).padStart(4, '0')}_snapshot.json`), 'utf8')) as {
    enums: Record<string, { values: string[] }>;
  };
  const found = snapshot.enums[`public.${name}`];
  if (!found) throw new Error(`no enum ${name} in the newest migration snapshot`);
  return found.values;
}
