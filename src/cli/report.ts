import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { systemViewer } from '../auth/viewer';
import { loadConfig } from '../config';
import { createRequestScope } from '../context';
import { openCommandDb } from '../db/command-db';
import { rowsOf } from '../db/rows';
import { migrateDb, withStartupLock } from '../db/migrate';
import { isRegionCode, regionName, regionPrefix, SUIZHOU_REGIONS } from '../domain/region';
import { sql } from 'drizzle-orm';
import { createLogger } from '../logger';
import { renderAnnualReportMarkdown, renderCategoryChartSvg } from '../modules/report/report.render';
import { ReportService } from '../modules/report/report.service';

/**
 * `npm run report -- --year 2023 [--region 421300] [--out reports]`: writes the annual report as
 * Markdown (Chinese, the published headings) with an SVG chart of complaint categories.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { year: { type: 'string' }, region: { type: 'string' }, out: { type: 'string', default: 'reports' } } });
  const year = Number(values.year);
  if (!Number.isInteger(year)) throw new Error('--year YYYY is required');
  const region = values.region ?? '421300';
  if (!isRegionCode(region)) throw new Error(`--region ${region} is not a six-digit region code`);
  // A report of a code nobody knows would be an empty report with a number for a title.
  const name = regionName(region);
  if (!name) {
    const known = Object.entries(SUIZHOU_REGIONS).map(([code, n]) => `${code} ${n}`).join(', ');
    throw new Error(`--region ${region} is not a region of the registry; known regions: ${known}`);
  }
  const config = loadConfig();
  const handle = await openCommandDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await withStartupLock(handle, () => migrateDb(handle));
    const scope = createRequestScope({ db: handle.db, log: createLogger('silent') }, systemViewer('cli:report'));
    const stats = await new ReportService(scope).annual(year, region);
    if (stats.total === 0) {
      const years = rowsOf<{ year: number }>(
        await handle.db.execute(sql`
          select distinct extract(year from received_at at time zone 'Asia/Shanghai')::int as year
          from appeals where region_code like ${`${regionPrefix(region)}%`} order by year`),
      ).map((r) => r.year);
      throw new Error(
        `no appeals on record for ${year} in ${name} (${region}): nothing to report. ` +
          (years.length ? `Years with appeals there: ${years.join(', ')}.` : 'There are no appeals there at all.'),
      );
    }
    const dir = resolve(values.out);
    mkdirSync(dir, { recursive: true });
    const chart = join(dir, `annual-${year}-${region}-categories.svg`);
    const markdown = join(dir, `annual-${year}-${region}.md`);
    writeFileSync(chart, renderCategoryChartSvg(stats, `${name}${year}年投诉类别分布`));
    writeFileSync(markdown, renderAnnualReportMarkdown(stats, year, basename(chart)));
    process.stdout.write(`wrote ${markdown}\nwrote ${chart}\n`);
  } finally {
    await handle.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`report failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
