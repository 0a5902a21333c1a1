/**
 * The test oracle of the 12315 figures: ReportService.statistics as it was before the appeal
 * count tables, six aggregates straight over `appeals` with its own SQL (written out here, not
 * built from the domain's rules, so a mistake in those shows as a difference). Property tests
 * compare the service's figures, read from the count tables, with these.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../src/db';
import { rowsOf } from '../../src/db/rows';
import { addDays } from '../../src/domain/calendar';
import { VIOLATION_TYPES } from '../../src/domain/appeal-taxonomy';
import { changePercent, percent } from '../../src/domain/report-math';
import { regionPrefix } from '../../src/domain/region';
import { yearEarlier } from '../../src/domain/report-period';
import { RATE_DEFINITIONS } from '../../src/modules/report/report.figures';
import type { AppealStatistics, CountShare, Rate } from '../../src/modules/report/report.type';

const CONCLUDED = sql.raw(`status in ('MEDIATED', 'MEDIATION_FAILED', 'WITHDRAWN')`);
const DECIDED = sql.raw(`status in ('CASE_FILED', 'NOT_FILED')`);

function period(from: string, to: string, regionCode?: string | null): SQL {
  const start = `${from}T00:00:00+08:00`;
  const end = `${addDays(to, 1)}T00:00:00+08:00`;
  const region = regionCode ? regionPrefix(regionCode) : null;
  return sql`(received_at >= ${start}::timestamptz and received_at < ${end}::timestamptz${region ? sql` and region_code like ${`${region}%`}` : sql``})`;
}

function counted(rows: { key: string | null; count: number | string; previous: number | string }[], labels?: Record<string, string>): CountShare[] {
  return rows
    .map((row) => {
      const count = Number(row.count);
      const previous = Number(row.previous);
      const key = row.key ?? 'UNSPECIFIED';
      return { key, label: labels?.[key] ?? null, count, previousCount: previous, changePercent: changePercent(count, previous), sharePercent: null };
    })
    .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1));
}

/** The figures of a period computed directly from the appeals (no count tables). */
export async function statisticsFromAppeals(db: Db, from: string, to: string, regionCode?: string | null): Promise<AppealStatistics> {
  const current = period(from, to, regionCode);
  const previous = period(yearEarlier(from), yearEarlier(to), regionCode);
  const complaintCounts = (key: SQL) =>
    db.execute(sql`
      select ${key} as key, count(*) filter (where ${current})::int as count, count(*) filter (where ${previous})::int as previous
      from appeals where type = 'COMPLAINT' and category_code is not null and (${current} or ${previous}) group by 1`);
  const [types, rates, groups, categories, subCategories, violations, labelRows] = await Promise.all([
    db.execute(sql`
      select type::text as key, count(*) filter (where ${current})::int as count, count(*) filter (where ${previous})::int as previous
      from appeals where ${current} or ${previous} group by type`),
    db.execute(sql`
      select
        count(*) filter (where type = 'COMPLAINT' and coalesce(accepted_at, rejected_at) is not null)::int as decided,
        count(*) filter (where type = 'COMPLAINT' and (coalesce(accepted_at, rejected_at) at time zone 'Asia/Shanghai')::date <= acceptance_due_on)::int as decided_on_time,
        count(*) filter (where type = 'COMPLAINT' and ${CONCLUDED})::int as concluded,
        count(*) filter (where type = 'COMPLAINT' and ${CONCLUDED} and (concluded_at at time zone 'Asia/Shanghai')::date <= conclusion_due_on)::int as concluded_on_time,
        count(*) filter (where type = 'COMPLAINT' and status = 'MEDIATED')::int as mediated,
        count(*) filter (where type = 'REPORT' and ${DECIDED})::int as verified,
        count(*) filter (where type = 'REPORT' and ${DECIDED} and (decided_at at time zone 'Asia/Shanghai')::date <= verification_due_on)::int as verified_on_time,
        coalesce(sum(amount_recovered_fen), 0)::text as recovered
      from appeals where ${current}`),
    complaintCounts(sql`split_part(category_code, '.', 1)`),
    complaintCounts(sql`split_part(category_code, '.', 1) || '.' || split_part(category_code, '.', 2)`),
    complaintCounts(sql`case when category_code ~ '^[A-Z_]+\\.[A-Z_]+\\.[A-Z_]+$' then category_code end`),
    db.execute(sql`
      select violation_type as key, count(*) filter (where ${current})::int as count, count(*) filter (where ${previous})::int as previous
      from appeals where type = 'REPORT' and (${current} or ${previous}) group by violation_type`),
    db.execute(sql`select code, name_zh from appeal_categories`),
  ]);
  const r = rowsOf<Record<string, number | string>>(rates)[0]!;
  const n = (key: string) => Number(r[key] ?? 0);
  const rate = (numerator: number, denominator: number, definition: string): Rate => ({ numerator, denominator, percent: percent(numerator, denominator), definition });
  const labels = Object.fromEntries(rowsOf<{ code: string; name_zh: string }>(labelRows).map((row) => [row.code, row.name_zh]));
  const typeRows = counted(rowsOf(types));
  const total = typeRows.reduce((s, t) => s + t.count, 0);
  const groupRows = counted(rowsOf(groups), labels);
  const categoryRows = counted(rowsOf(categories), labels);
  const subRows = counted(rowsOf(subCategories), labels).filter((row) => row.key !== 'UNSPECIFIED');
  const totalOf = (rows: CountShare[], key: (row: CountShare) => string) => {
    const sums = new Map<string, number>();
    for (const row of rows) sums.set(key(row), (sums.get(key(row)) ?? 0) + row.count);
    return (row: CountShare) => sums.get(key(row)) ?? 0;
  };
  const complaintsTotal = groupRows.reduce((s, g) => s + g.count, 0);
  const reportRows = counted(rowsOf(violations), VIOLATION_TYPES);
  const reportsTotal = reportRows.reduce((s, v) => s + v.count, 0);
  const groupTotal = totalOf(categoryRows, (row) => row.key.split('.')[0]!);
  const categoryTotal = totalOf(subRows, (row) => row.key.split('.').slice(0, 2).join('.'));
  return {
    from,
    to,
    regionCode: regionCode ?? null,
    total,
    byType: typeRows.map((row) => ({ ...row, sharePercent: percent(row.count, total) })),
    complaintsDecidedOnTime: rate(n('decided_on_time'), n('decided'), RATE_DEFINITIONS.complaintsDecidedOnTime),
    complaintsConcludedOnTime: rate(n('concluded_on_time'), n('concluded'), RATE_DEFINITIONS.complaintsConcludedOnTime),
    mediationSuccess: rate(n('mediated'), n('concluded'), RATE_DEFINITIONS.mediationSuccess),
    reportsVerifiedOnTime: rate(n('verified_on_time'), n('verified'), RATE_DEFINITIONS.reportsVerifiedOnTime),
    amountRecoveredFen: Number(r.recovered),
    complaintGroups: groupRows.map((row) => ({ ...row, sharePercent: percent(row.count, complaintsTotal) })),
    complaintCategories: categoryRows.map((row) => ({ ...row, sharePercent: percent(row.count, groupTotal(row)) })),
    complaintSubCategories: subRows.map((row) => ({ ...row, sharePercent: percent(row.count, categoryTotal(row)) })),
    reportViolationTypes: reportRows.map((row) => ({ ...row, sharePercent: percent(row.count, reportsTotal) })),
  };
}
