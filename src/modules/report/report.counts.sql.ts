/**
 * The appeal count tables (src/db/schema/appeal-counts.ts) in SQL: the functions their triggers
 * run (rendered once into a custom migration), the rebuild a bulk loader calls, and the read of a
 * period's counts. Every count is the domain's (src/domain/appeal-counts.sql.ts).
 */
import { sql, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { APPEAL_COUNTS, type AppealCount } from '../../domain/appeal-counts';
import { appealCountsSql, shanghaiDaySql } from '../../domain/appeal-counts.sql';
import type { PeriodSpans } from '../../domain/report-period';

/** The column of each count in the count tables. */
export const COUNT_COLUMNS: Record<AppealCount, string> = Object.fromEntries(
  APPEAL_COUNTS.map((count) => [count, count.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)]),
) as Record<AppealCount, string>;

/** Every summed column of a count row, the recovered amount last. */
const SUMMED = [...APPEAL_COUNTS.map((c) => COUNT_COLUMNS[c]), 'recovered_fen'];
const KEY = ['region_code', 'type', 'category_code', 'violation_type'];
const raw = (text: string) => sql.raw(text);
const list = (names: string[]) => raw(names.join(', '));

/**
 * One row per appeal of `source` (a table or a trigger's transition table): its day, key and
 * counts, each count `sign` (1 to add it, -1 to take it away) or 0.
 */
function appealRowsSql(source: string, sign: 1 | -1): SQL {
  const col = (name: string) => raw(`a.${name}`);
  const counts = appealCountsSql({
    type: col('type'),
    status: col('status'),
    acceptedAt: col('accepted_at'),
    rejectedAt: col('rejected_at'),
    concludedAt: col('concluded_at'),
    decidedAt: col('decided_at'),
    acceptanceDueOn: col('acceptance_due_on'),
    conclusionDueOn: col('conclusion_due_on'),
    verificationDueOn: col('verification_due_on'),
  });
  const s = raw(String(sign));
  const columns = APPEAL_COUNTS.map((c) => sql`${c === 'appeals' ? s : sql`case when ${counts[c]} then ${s} else 0 end`} as ${raw(COUNT_COLUMNS[c])}`);
  return sql`select ${shanghaiDaySql(col('received_at'))} as day, a.region_code, a.type,
      coalesce(a.category_code, '') as category_code, coalesce(a.violation_type, '') as violation_type,
      ${sql.join(columns, sql`, `)}, ${s} * a.amount_recovered_fen as recovered_fen
    from ${raw(source)} a`;
}

/** The period column of a count table, and its value for an appeal row's `day`. */
const PERIODS = {
  appeal_counts_daily: { column: 'day', ofDay: (day: SQL) => day },
  appeal_counts_monthly: { column: 'month', ofDay: (day: SQL) => sql`date_trunc('month', ${day})::date` },
} as const;
type CountTable = keyof typeof PERIODS;
const TABLES = Object.keys(PERIODS) as CountTable[];
const cteOf = (table: CountTable) => table.replace('appeal_counts_', 'added_');
const nonZero = raw(SUMMED.map((c) => `sum(${c}) <> 0`).join(' or '));

/**
 * Adds the appeal rows of the CTE `delta` to one count table, grouped by its period and key,
 * returning each changed row's new number of appeals.
 */
function addToTableSql(table: CountTable): SQL {
  const { column, ofDay } = PERIODS[table];
  const sums = SUMMED.map((c) => (c === 'recovered_fen' ? `sum(${c})::bigint` : `sum(${c})::int`));
  return sql`${raw(cteOf(table))} as (
      insert into ${raw(table)} as t (${list([column, ...KEY, ...SUMMED])})
      select ${ofDay(raw('day'))}, ${list(KEY)}, ${raw(sums.join(', '))}
      from delta group by 1, 2, 3, 4, 5
      having ${nonZero}
      order by 1, 2, 3, 4, 5
      on conflict (${list([column, ...KEY])}) do update set ${raw(SUMMED.map((c) => `${c} = t.${c} + excluded.${c}`).join(', '))}
      returning t.appeals
    )`;
}

/**
 * The statement that adds appeal rows to both tables; `changed` is how many daily rows it
 * changed, `emptied` how many rows it left without an appeal. One order of keys for every writer,
 * so concurrent transactions lock the rows they share in the same order.
 */
function applySql(...rows: SQL[]): SQL {
  return sql`with delta as (${sql.join(rows, sql` union all `)}),
    ${sql.join(TABLES.map(addToTableSql), sql`, `)}
    select (select count(*) from added_daily),
           (select count(*) from added_daily where appeals = 0) + (select count(*) from added_monthly where appeals = 0)
      into changed, emptied`;
}

/** Removes the rows left with no appeal among the keys of the appeals in `source`: they count nothing. */
function dropEmptySql(source: string): SQL[] {
  const day = shanghaiDaySql(raw('a.received_at'));
  return TABLES.map((table) => {
    const { column, ofDay } = PERIODS[table];
    return sql`delete from ${raw(table)} t using (
        select distinct ${ofDay(day)} as period, a.region_code, a.type,
               coalesce(a.category_code, '') as category_code, coalesce(a.violation_type, '') as violation_type
        from ${raw(source)} a) k
      where t.appeals = 0 and (t.${raw(column)}, t.region_code, t.type, t.category_code, t.violation_type)
        = (k.period, k.region_code, k.type, k.category_code, k.violation_type)`;
  });
}

const MARK_CHANGED = sql`insert into appeal_counts_changed (txid) values (txid_current()) on conflict do nothing`;

/**
 * The functions of the count tables, as the custom migration creates them: `appeal_counts_apply`
 * (the statement-level triggers on `appeals`: what the inserted, updated and deleted rows change,
 * set-based from the transition tables), `appeal_counts_cleared` (TRUNCATE),
 * `appeal_counts_raise_version` (deferred to commit) and `appeal_counts_rebuild()`.
 */
export function appealCountsFunctionsSql(): SQL[] {
  const plpgsql = (name: string, returns: string, declare: string, body: SQL[]) =>
    sql`CREATE OR REPLACE FUNCTION ${raw(name)}() RETURNS ${raw(returns)} LANGUAGE plpgsql AS $$
${raw(declare ? `DECLARE\n  ${declare}\n` : '')}BEGIN
  ${sql.join(
    body.map((s) => sql`${s};`),
    sql`\n  `,
  )}
END
$$`;
  const declare = 'changed bigint; emptied bigint;';
  const dropEmpty = sql.join(
    dropEmptySql('old_rows').map((s) => sql`${s};`),
    sql`\n    `,
  );
  return [
    plpgsql('appeal_counts_apply', 'trigger', declare, [
      // plpgsql plans a statement when it first runs it, so each branch names only the transition tables its event has.
      sql`IF TG_OP = 'INSERT' THEN\n    ${applySql(appealRowsSql('new_rows', 1))}`,
      sql`ELSIF TG_OP = 'UPDATE' THEN\n    ${applySql(appealRowsSql('new_rows', 1), appealRowsSql('old_rows', -1))}`,
      sql`ELSE\n    ${applySql(appealRowsSql('old_rows', -1))}`,
      sql`END IF`,
      sql`IF emptied > 0 THEN\n    ${dropEmpty}\n  END IF`,
      sql`IF changed > 0 THEN ${MARK_CHANGED}; END IF`,
      sql`RETURN NULL`,
    ]),
    plpgsql('appeal_counts_cleared', 'trigger', '', [sql`DELETE FROM appeal_counts_daily`, sql`DELETE FROM appeal_counts_monthly`, MARK_CHANGED, sql`RETURN NULL`]),
    plpgsql('appeal_counts_raise_version', 'trigger', '', [
      sql`UPDATE appeal_counts_version SET version = version + 1`,
      sql`DELETE FROM appeal_counts_changed WHERE txid = NEW.txid`,
      sql`RETURN NULL`,
    ]),
    plpgsql('appeal_counts_rebuild', 'void', declare, [
      // No appeal may change while it is counted: writers wait for the rebuild to commit.
      sql`LOCK TABLE appeals IN SHARE MODE`,
      sql`DELETE FROM appeal_counts_daily`,
      sql`DELETE FROM appeal_counts_monthly`,
      applySql(appealRowsSql('appeals', 1)),
      // Directly, not through appeal_counts_changed: a loader may call this with triggers off (replica mode).
      sql`UPDATE appeal_counts_version SET version = version + 1`,
    ]),
  ];
}

/** The functions as migration text: statements split by drizzle's breakpoints, no parameters. */
export function appealCountsFunctionsMigrationText(): string {
  const dialect = new PgDialect();
  return appealCountsFunctionsSql()
    .map((statement) => {
      const { sql: text, params } = dialect.sqlToQuery(statement);
      if (params.length) throw new Error('the count functions must not take parameters');
      return text;
    })
    .join('\n--> statement-breakpoint\n');
}

/**
 * Recounts both tables from `appeals` in one set-based pass, in the caller's transaction. For a
 * bulk loader that wrote `appeals` with triggers off (`session_replication_role = replica`, or
 * disabled); with them on (COPY included) the tables are already current and this is not needed.
 */
export const REBUILD_APPEAL_COUNTS_SQL = sql`select appeal_counts_rebuild()`;

/** The version the counts are at (raised by each committed change). */
export const APPEAL_COUNTS_VERSION_SQL = sql`select version from appeal_counts_version`;

/** A region as a range of codes, or every region. */
export type RegionRange = { from: string; to: string } | null;

/**
 * The counts of each period (0: the period asked for, 1: the same days a year earlier) by type,
 * category and violation type, in one statement with the version they are at (the version row
 * comes alone when there is nothing to count). Each run of months or days is one index range,
 * joined laterally: no plan of this shape is split over parallel workers, whose start costs more
 * than the few thousand rows they would share.
 */
export function periodCountsSql(periods: PeriodSpans[], region: RegionRange): SQL {
  const spans = periods.flatMap((spans, period) => [
    ...(spans.months ? [{ period, monthly: true, first: spans.months.first, last: spans.months.last }] : []),
    ...spans.days.map((d) => ({ period, monthly: false, first: d.from, last: d.to })),
  ]);
  if (spans.length === 0) throw new RangeError('a period has at least one day');
  const values = spans.map((s) => sql`(${raw(String(s.period))}, ${raw(String(s.monthly))}, ${s.first}::date, ${s.last}::date)`);
  const inRegion = region ? sql` and region_code between ${region.from} and ${region.to}` : sql``;
  const columns = sql`type, category_code, violation_type, ${list(SUMMED)}`;
  const sums = SUMMED.map((c) => (c === 'recovered_fen' ? `sum(c.${c})::text as ${c}` : `sum(c.${c})::int as ${c}`));
  return sql`select v.version, c.* from appeal_counts_version v left join (
      select s.period, c.type::text as type, c.category_code, c.violation_type, ${raw(sums.join(', '))}
      from (values ${sql.join(values, sql`, `)}) s(period, monthly, first, last)
      cross join lateral (
        select ${columns} from appeal_counts_monthly where s.monthly and month between s.first and s.last${inRegion}
        union all
        select ${columns} from appeal_counts_daily where not s.monthly and day between s.first and s.last${inRegion}
      ) c
      group by 1, 2, 3, 4
    ) c on true`;
}
