/**
 * The figures of a period from its appeal counts (the count tables' rows summed by type,
 * category and violation type, for the period and the same days a year earlier). Pure.
 */
import { APPEAL_COUNTS, REPORT_RATES, type AppealCount, type ReportRate } from '../../domain/appeal-counts';
import { VIOLATION_TYPES } from '../../domain/appeal-taxonomy';
import { exactFen } from '../../domain/money';
import { changePercent, percent } from '../../domain/report-math';
import { ConflictError } from '../../errors';
import type { AppealStatistics, CountShare, Rate } from './report.type';

/** How each rate is counted; shown with the figures and in docs/annual-report.md. */
export const RATE_DEFINITIONS: Record<ReportRate, string> = {
  complaintsDecidedOnTime:
    'Complaints received in the period and accepted or rejected; on time when decided (Asia/Shanghai day) by the 7th working day after receipt.',
  complaintsConcludedOnTime:
    'Complaints received in the period, accepted and concluded (mediated, mediation failed or withdrawn); on time when concluded by the 45th working day after acceptance.',
  mediationSuccess: 'Complaints received in the period and concluded; successful when MEDIATED.',
  reportsVerifiedOnTime:
    'Reports received in the period and decided (case filed or not); on time when decided by the 15th working day after receipt (30th once extended).',
};

/** The counts of one type, category and violation type in one of the two periods. */
export interface PeriodCounts {
  /** 0: the period asked for; 1: the same days a year earlier. */
  period: 0 | 1;
  type: string;
  categoryCode: string | null;
  violationType: string | null;
  counts: Record<AppealCount, number>;
  recoveredFen: bigint;
}

export interface FiguresOf {
  from: string;
  to: string;
  regionCode: string | null;
  /** Category names by code (appeal_categories). */
  labels: Record<string, string>;
}

const SUB_CATEGORY = /^[A-Z_]+\.[A-Z_]+\.[A-Z_]+$/;
/** Complaints are counted by group (GOODS), category (GOODS.FOOD) and sub-category (SERVICES.SALES.PREPAID). */
const groupOf = (code: string) => code.split('.')[0]!;
const categoryOf = (code: string) => `${code.split('.')[0]}.${code.split('.')[1] ?? ''}`;
const subCategoryOf = (code: string) => (SUB_CATEGORY.test(code) ? code : null);

/** Appeals per key in each period, for the rows `keyOf` gives a key (undefined: not counted here). */
function tally(rows: readonly PeriodCounts[], keyOf: (row: PeriodCounts) => string | null | undefined) {
  const tallies = new Map<string | null, { count: number; previous: number }>();
  for (const row of rows) {
    const key = keyOf(row);
    if (key === undefined) continue;
    const entry = tallies.get(key) ?? { count: 0, previous: 0 };
    if (row.period === 0) entry.count += row.counts.appeals;
    else entry.previous += row.counts.appeals;
    tallies.set(key, entry);
  }
  return [...tallies].filter(([, t]) => t.count + t.previous > 0).map(([key, t]) => ({ key, ...t }));
}

/** Keys with their counts as CountShare, largest first; shares are filled in by the caller. */
function counted(rows: { key: string | null; count: number; previous: number }[], labels?: Record<string, string>): CountShare[] {
  return rows
    .map((row) => {
      const key = row.key ?? 'UNSPECIFIED';
      return { key, label: labels?.[key] ?? null, count: row.count, previousCount: row.previous, changePercent: changePercent(row.count, row.previous), sharePercent: null };
    })
    .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1));
}

/** Each row's share of the total of the rows with the same `whole`. */
function sharesWithin(rows: CountShare[], whole: (row: CountShare) => string): CountShare[] {
  const totals = new Map<string, number>();
  for (const row of rows) totals.set(whole(row), (totals.get(whole(row)) ?? 0) + row.count);
  return rows.map((row) => ({ ...row, sharePercent: percent(row.count, totals.get(whole(row)) ?? 0) }));
}

/** Every figure of the report from the counts of the period and of the year before. */
export function figuresFromCounts(rows: readonly PeriodCounts[], of: FiguresOf): AppealStatistics {
  const current = rows.filter((row) => row.period === 0);
  const sum = (count: AppealCount) => current.reduce((s, row) => s + row.counts[count], 0);
  const rate = (name: ReportRate): Rate => {
    const { numerator, denominator } = REPORT_RATES[name];
    const [n, d] = [sum(numerator), sum(denominator)];
    return { numerator: n, denominator: d, percent: percent(n, d), definition: RATE_DEFINITIONS[name] };
  };
  const recovered = current.reduce((s, row) => s + row.recoveredFen, 0n);

  const complaint = (keyOf: (code: string) => string | null) => (row: PeriodCounts) =>
    row.type === 'COMPLAINT' && row.categoryCode !== null ? keyOf(row.categoryCode) : undefined;
  const types = counted(tally(rows, (row) => row.type));
  const total = types.reduce((s, row) => s + row.count, 0);
  const groups = counted(tally(rows, complaint(groupOf)), of.labels);
  const complaints = groups.reduce((s, row) => s + row.count, 0);
  const categories = counted(tally(rows, complaint(categoryOf)), of.labels);
  const subCategories = counted(tally(rows, complaint(subCategoryOf)), of.labels).filter((row) => row.key !== 'UNSPECIFIED');
  const violations = counted(
    tally(rows, (row) => (row.type === 'REPORT' ? row.violationType : undefined)),
    VIOLATION_TYPES,
  );
  const reports = violations.reduce((s, row) => s + row.count, 0);

  return {
    from: of.from,
    to: of.to,
    regionCode: of.regionCode,
    total,
    byType: types.map((row) => ({ ...row, sharePercent: percent(row.count, total) })),
    complaintsDecidedOnTime: rate('complaintsDecidedOnTime'),
    complaintsConcludedOnTime: rate('complaintsConcludedOnTime'),
    mediationSuccess: rate('mediationSuccess'),
    reportsVerifiedOnTime: rate('reportsVerifiedOnTime'),
    amountRecoveredFen: exactFen(recovered) ?? tooLargeToSum('amountRecoveredFen', String(recovered)),
    complaintGroups: groups.map((row) => ({ ...row, sharePercent: percent(row.count, complaints) })),
    complaintCategories: sharesWithin(categories, (row) => groupOf(row.key)),
    complaintSubCategories: sharesWithin(subCategories, (row) => categoryOf(row.key)),
    reportViolationTypes: violations.map((row) => ({ ...row, sharePercent: percent(row.count, reports) })),
  };
}

/** The counts of a period-count row as the database sends them (names of COUNT_COLUMNS). */
export function countsOf(row: Record<string, unknown>, columns: Record<AppealCount, string>): Record<AppealCount, number> {
  return Object.fromEntries(APPEAL_COUNTS.map((count) => [count, Number(row[columns[count]] ?? 0)])) as Record<AppealCount, number>;
}

/**
 * A sum past Number.MAX_SAFE_INTEGER cannot be answered exactly as a JSON number. With each
 * amount capped at MAX_AMOUNT_FEN it takes over 9,000 maximal appeals in one period; it is then
 * refused plainly rather than answered wrong or masked as an internal error.
 */
function tooLargeToSum(figure: string, sum: string): never {
  throw new ConflictError(`${figure} is ${sum} fen, past the largest exactly representable figure (${Number.MAX_SAFE_INTEGER})`, { figure });
}
