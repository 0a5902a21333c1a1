import { and, between, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { RequestScope } from '../../request-scope';
import { appealCategories, appeals } from '../../db/schema';
import { rowsOf } from '../../db/rows';
import { REPORT_RATES, type ReportRate } from '../../domain/appeal-counts';
import { appealCountsSql } from '../../domain/appeal-counts.sql';
import { addDays } from '../../domain/calendar';
import { isLocalDate } from '../../domain/local-date';
import { isRegionCode, regionCodeRange } from '../../domain/region';
import { periodSpans, yearEarlier } from '../../domain/report-period';
import { BadUserInputError } from '../../errors';
import { APPEAL_COUNTS_VERSION_SQL, COUNT_COLUMNS, periodCountsSql } from './report.counts.sql';
import { countsOf, figuresFromCounts, type PeriodCounts } from './report.figures';
import type { AppealStatistics } from './report.type';

export const REPORT_FIGURES = ['COMPLAINTS_DECIDED_LATE', 'COMPLAINTS_CONCLUDED_LATE', 'MEDIATION_NOT_SUCCESSFUL', 'REPORTS_VERIFIED_LATE', 'MONEY_RECOVERED'] as const;
export type ReportFigure = (typeof REPORT_FIGURES)[number];

const counts = appealCountsSql(appeals);
/** The appeals a rate's denominator counts and its numerator does not (so a drill-down lists exactly the difference). */
const leftOut = (rate: ReportRate) => sql`(${counts[REPORT_RATES[rate].denominator]} and not ${counts[REPORT_RATES[rate].numerator]})`;

const FIGURE_CONDITIONS: Record<ReportFigure, SQL> = {
  COMPLAINTS_DECIDED_LATE: leftOut('complaintsDecidedOnTime'),
  COMPLAINTS_CONCLUDED_LATE: leftOut('complaintsConcludedOnTime'),
  MEDIATION_NOT_SUCCESSFUL: leftOut('mediationSuccess'),
  REPORTS_VERIFIED_LATE: leftOut('reportsVerifiedOnTime'),
  MONEY_RECOVERED: sql`${appeals.amountRecoveredFen} > 0`,
};

/**
 * The 12315 figures, summed from the appeal count tables (kept by triggers in the same
 * transaction as every change of `appeals`): a period is read as its whole months and the days
 * outside them, so a year costs the same however many appeals it had.
 */
export class ReportService {
  constructor(private readonly scope: RequestScope) {}

  /**
   * The figures of a calendar year. The server keeps them per (year, region) while the counts'
   * version is unchanged, so a repeated report costs one read of that version.
   */
  async annual(year: number, regionCode?: string | null): Promise<AppealStatistics> {
    if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new BadUserInputError('year must be from 2000 to 2100', 'year');
    const [from, to] = [`${year}-01-01`, `${year}-12-31`];
    checkRegion(regionCode);
    const cache = this.scope.caches?.annualReports;
    if (!cache) return (await this.compute(from, to, regionCode)).stats;
    const key = `${year}:${regionCode ?? ''}`;
    const [row] = rowsOf<{ version: string | number }>(await this.scope.db.execute(APPEAL_COUNTS_VERSION_SQL));
    const cached = row ? cache.get(key, Number(row.version)) : undefined;
    if (cached) return cached;
    const { stats, version } = await this.compute(from, to, regionCode);
    if (version !== null) cache.set(key, version, stats);
    return stats;
  }

  async statistics(from: string, to: string, regionCode?: string | null): Promise<AppealStatistics> {
    if (!isLocalDate(from)) throw new BadUserInputError('from must be YYYY-MM-DD', 'from');
    if (!isLocalDate(to)) throw new BadUserInputError('to must be YYYY-MM-DD', 'to');
    if (to < from) throw new BadUserInputError('to must not be before from', 'to');
    checkRegion(regionCode);
    return (await this.compute(from, to, regionCode)).stats;
  }

  /**
   * Drill-down for supervisors: the appeals behind a figure of a period, e.g. the complaints
   * decided late. The SQL is the same rule the figure counts with.
   */
  figureCondition(figure: ReportFigure, from: string, to: string, regionCode?: string | null): SQL {
    const region = regionCode ? regionCodeRange(regionCode) : null;
    return and(
      gte(appeals.receivedAt, new Date(`${from}T00:00:00+08:00`)),
      lt(appeals.receivedAt, new Date(`${addDays(to, 1)}T00:00:00+08:00`)),
      region ? between(appeals.regionCode, region.from, region.to) : undefined,
      FIGURE_CONDITIONS[figure],
    )!;
  }

  /** The figures of a period and the counts' version they were read at (null if the database has none). */
  private async compute(from: string, to: string, regionCode?: string | null): Promise<{ stats: AppealStatistics; version: number | null }> {
    const spans = [periodSpans(from, to), periodSpans(yearEarlier(from), yearEarlier(to))];
    const region = regionCode ? regionCodeRange(regionCode) : null;
    const { db } = this.scope;
    const [result, labelRows] = await Promise.all([
      db.execute(periodCountsSql(spans, region)),
      db.select({ code: appealCategories.code, name: appealCategories.nameZh }).from(appealCategories),
    ]);
    const rows = rowsOf<Record<string, unknown>>(result);
    const counted: PeriodCounts[] = rows
      .filter((row) => row.period !== null)
      .map((row) => ({
        period: Number(row.period) === 0 ? 0 : 1,
        type: String(row.type),
        categoryCode: (row.category_code as string) || null,
        violationType: (row.violation_type as string) || null,
        counts: countsOf(row, COUNT_COLUMNS),
        recoveredFen: BigInt(row.recovered_fen as string),
      }));
    const labels = Object.fromEntries(labelRows.map((row) => [row.code, row.name]));
    const version = rows[0] ? Number(rows[0].version) : null;
    return { stats: figuresFromCounts(counted, { from, to, regionCode: regionCode ?? null, labels }), version };
  }
}

function checkRegion(regionCode?: string | null): void {
  if (regionCode != null && !isRegionCode(regionCode)) throw new BadUserInputError('regionCode must be a six-digit region code', 'regionCode');
}
