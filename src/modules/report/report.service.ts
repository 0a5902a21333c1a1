import { sql, type SQL } from 'drizzle-orm';
import type { RequestScope } from '../../request-scope';
import { rowsOf } from '../../db/rows';
import { addDays } from '../../domain/calendar';
import { isLocalDate } from '../../domain/local-date';
import { exactFen } from '../../domain/money';
import { isRegionCode, regionPrefix } from '../../domain/region';
import { VIOLATION_TYPES } from '../../domain/appeal-taxonomy';
import { changePercent, percent } from '../../domain/report-math';
import { CONCLUDED_COMPLAINT_STATUSES, DECIDED_REPORT_STATUSES, MEDIATED_STATUSES, UNSUCCESSFUL_MEDIATION_STATUSES } from '../../domain/appeal-workflow';
import { statusInSql } from '../../domain/appeal-workflow.sql';
import { BadUserInputError, ConflictError } from '../../errors';
import type { AppealStatistics, CountShare, Rate } from './report.type';

/** How each rate is counted; shown with the figures and in docs/annual-report.md. */
export const RATE_DEFINITIONS = {
  complaintsDecidedOnTime:
    'Complaints received in the period and accepted or rejected; on time when decided (Asia/Shanghai day) by the 7th working day after receipt.',
  complaintsConcludedOnTime:
    'Complaints received in the period, accepted and concluded (mediated, mediation failed or withdrawn); on time when concluded by the 45th working day after acceptance.',
  mediationSuccess: 'Complaints received in the period and concluded; successful when MEDIATED.',
  reportsVerifiedOnTime:
    'Reports received in the period and decided (case filed or not); on time when decided by the 15th working day after receipt (30th once extended).',
} as const;

export const REPORT_FIGURES = ['COMPLAINTS_DECIDED_LATE', 'COMPLAINTS_CONCLUDED_LATE', 'MEDIATION_NOT_SUCCESSFUL', 'REPORTS_VERIFIED_LATE', 'MONEY_RECOVERED'] as const;
export type ReportFigure = (typeof REPORT_FIGURES)[number];

const status = sql.raw('status');
const concluded = statusInSql(status, CONCLUDED_COMPLAINT_STATUSES);
const decided = statusInSql(status, DECIDED_REPORT_STATUSES);

const FIGURE_CONDITIONS: Record<ReportFigure, SQL> = {
  COMPLAINTS_DECIDED_LATE: sql`type = 'COMPLAINT' and (coalesce(accepted_at, rejected_at) at time zone 'Asia/Shanghai')::date > acceptance_due_on`,
  COMPLAINTS_CONCLUDED_LATE: sql`type = 'COMPLAINT' and ${concluded} and (concluded_at at time zone 'Asia/Shanghai')::date > conclusion_due_on`,
  MEDIATION_NOT_SUCCESSFUL: sql`type = 'COMPLAINT' and ${statusInSql(status, UNSUCCESSFUL_MEDIATION_STATUSES)}`,
  REPORTS_VERIFIED_LATE: sql`type = 'REPORT' and ${decided} and (decided_at at time zone 'Asia/Shanghai')::date > verification_due_on`,
  MONEY_RECOVERED: sql`amount_recovered_fen > 0`,
};

/** One year earlier, the same calendar days (29 February falls back to the 28th). */
function yearEarlier(date: string): string {
  const year = Number(date.slice(0, 4)) - 1;
  const candidate = `${year}${date.slice(4)}`;
  return isLocalDate(candidate) ? candidate : `${year}-02-28`;
}

/** The 12315 figures, each a SQL aggregate over the appeals on record (nothing loaded into Node). */
export class ReportService {
  constructor(private readonly scope: RequestScope) {}

  async annual(year: number, regionCode?: string | null): Promise<AppealStatistics> {
    if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new BadUserInputError('year must be from 2000 to 2100', 'year');
    return this.statistics(`${year}-01-01`, `${year}-12-31`, regionCode);
  }

  async statistics(from: string, to: string, regionCode?: string | null): Promise<AppealStatistics> {
    if (!isLocalDate(from)) throw new BadUserInputError('from must be YYYY-MM-DD', 'from');
    if (!isLocalDate(to)) throw new BadUserInputError('to must be YYYY-MM-DD', 'to');
    if (to < from) throw new BadUserInputError('to must not be before from', 'to');
    if (regionCode != null && !isRegionCode(regionCode)) throw new BadUserInputError('regionCode must be a six-digit region code', 'regionCode');
    const current = this.period(from, to, regionCode);
    const previous = this.period(yearEarlier(from), yearEarlier(to), regionCode);
    const db = this.scope.db;

    const [types, rates, groups, categories, subCategories, violations] = await Promise.all([
      db.execute(sql`
        select type::text as key,
               count(*) filter (where ${current})::int as count,
               count(*) filter (where ${previous})::int as previous
        from appeals where ${current} or ${previous} group by type`),
      db.execute(sql`
        select
          count(*) filter (where type = 'COMPLAINT' and coalesce(accepted_at, rejected_at) is not null)::int as decided,
          count(*) filter (where type = 'COMPLAINT' and (coalesce(accepted_at, rejected_at) at time zone 'Asia/Shanghai')::date <= acceptance_due_on)::int as decided_on_time,
          count(*) filter (where type = 'COMPLAINT' and ${concluded})::int as concluded,
          count(*) filter (where type = 'COMPLAINT' and ${concluded}
                             and (concluded_at at time zone 'Asia/Shanghai')::date <= conclusion_due_on)::int as concluded_on_time,
          count(*) filter (where type = 'COMPLAINT' and ${statusInSql(status, MEDIATED_STATUSES)})::int as mediated,
          count(*) filter (where type = 'REPORT' and ${decided})::int as verified,
          count(*) filter (where type = 'REPORT' and ${decided}
                             and (decided_at at time zone 'Asia/Shanghai')::date <= verification_due_on)::int as verified_on_time,
          coalesce(sum(amount_recovered_fen), 0)::text as recovered
        from appeals where ${current}`),
      this.complaintCounts(sql`split_part(category_code, '.', 1)`, current, previous),
      this.complaintCounts(sql`split_part(category_code, '.', 1) || '.' || split_part(category_code, '.', 2)`, current, previous),
      this.complaintCounts(sql`case when category_code ~ '^[A-Z_]+\\.[A-Z_]+\\.[A-Z_]+$' then category_code end`, current, previous),
      db.execute(sql`
        select violation_type as key,
               count(*) filter (where ${current})::int as count,
               count(*) filter (where ${previous})::int as previous
        from appeals where type = 'REPORT' and (${current} or ${previous}) group by violation_type`),
    ]);

    const r = rowsOf<Record<string, number | string>>(rates)[0]!;
    const n = (key: string) => Number(r[key] ?? 0);
    const rate = (numerator: number, denominator: number, definition: string): Rate => ({
      numerator,
      denominator,
      percent: percent(numerator, denominator),
      definition,
    });
    const typeRows = counted(rowsOf(types));
    const total = typeRows.reduce((s, t) => s + t.count, 0);
    const labels = await this.categoryLabels();
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
      amountRecoveredFen: exactFen(r.recovered) ?? tooLargeToSum('amountRecoveredFen', String(r.recovered)),
      complaintGroups: groupRows.map((row) => ({ ...row, sharePercent: percent(row.count, complaintsTotal) })),
      complaintCategories: categoryRows.map((row) => ({ ...row, sharePercent: percent(row.count, groupTotal(row)) })),
      complaintSubCategories: subRows.map((row) => ({ ...row, sharePercent: percent(row.count, categoryTotal(row)) })),
      reportViolationTypes: reportRows.map((row) => ({ ...row, sharePercent: percent(row.count, reportsTotal) })),
    };
  }

  /**
   * Drill-down for supervisors: the appeals behind a figure of a period, e.g. the complaints
   * decided late. The SQL is the same condition the figure counts with.
   */
  figureCondition(figure: ReportFigure, from: string, to: string, regionCode?: string | null): SQL {
    return sql`${this.period(from, to, regionCode)} and ${FIGURE_CONDITIONS[figure]}`;
  }

  /** Appeals received between two Shanghai days (whole days), in the region if one is given. */
  private period(from: string, to: string, regionCode?: string | null): SQL {
    const start = `${from}T00:00:00+08:00`;
    const end = `${addDays(to, 1)}T00:00:00+08:00`;
    const region = regionCode ? regionPrefix(regionCode) : null;
    return sql`(received_at >= ${start}::timestamptz and received_at < ${end}::timestamptz${
      region ? sql` and region_code like ${`${region}%`}` : sql``
    })`;
  }

  private complaintCounts(key: SQL, current: SQL, previous: SQL) {
    return this.scope.db.execute(sql`
      select ${key} as key,
             count(*) filter (where ${current})::int as count,
             count(*) filter (where ${previous})::int as previous
      from appeals
      where type = 'COMPLAINT' and category_code is not null and (${current} or ${previous})
      group by 1`);
  }

  private async categoryLabels(): Promise<Record<string, string>> {
    const rows = rowsOf<{ code: string; name_zh: string }>(await this.scope.db.execute(sql`select code, name_zh from appeal_categories`));
    return Object.fromEntries(rows.map((row) => [row.code, row.name_zh]));
  }
}

/** Rows of (key, count, previous) as CountShare, largest first; shares are filled in by the caller. */
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

/**
 * A sum past Number.MAX_SAFE_INTEGER cannot be answered exactly as a JSON number. With each
 * amount capped at MAX_AMOUNT_FEN it takes over 9,000 maximal appeals in one period; it is then
 * refused plainly rather than answered wrong or masked as an internal error.
 */
function tooLargeToSum(figure: string, sum: string): never {
  throw new ConflictError(`${figure} is ${sum} fen, past the largest exactly representable figure (${Number.MAX_SAFE_INTEGER})`, { figure });
}
