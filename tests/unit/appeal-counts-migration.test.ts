import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getTableColumns } from 'drizzle-orm';
import { APPEAL_COUNTS } from '../../src/domain/appeal-counts';
import { appealCountsDaily, appealCountsMonthly } from '../../src/db/schema';
import { appealCountsFunctionsMigrationText, COUNT_COLUMNS } from '../../src/modules/report/report.counts.sql';
import { projectRoot } from '../../src/util/project-root';

describe('the appeal count tables as migrated', () => {
  it('run the functions the domain rules build today (a rule changed without a migration fails here)', () => {
    const folder = join(projectRoot(), 'drizzle');
    const newest = readdirSync(folder)
      .filter((name) => name.endsWith('.sql'))
      .sort()
      .map((name) => readFileSync(join(folder, name), 'utf8'))
      .filter((text) => text.includes('CREATE OR REPLACE FUNCTION appeal_counts_apply()'))
      .at(-1);
    expect(newest).toBeDefined();
    // If this fails: `npx drizzle-kit generate --custom --name <what>`, then put the output of
    // `npm run -s db:appeal-counts-sql` and `SELECT appeal_counts_rebuild();` into it.
    expect(newest).toContain(appealCountsFunctionsMigrationText());
  });

  it('have one column per count of the domain, in both tables', () => {
    for (const table of [appealCountsDaily, appealCountsMonthly]) {
      const names = Object.values(getTableColumns(table)).map((column) => column.name);
      for (const count of APPEAL_COUNTS) expect(names).toContain(COUNT_COLUMNS[count]);
    }
  });
});
