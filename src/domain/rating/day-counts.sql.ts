/**
 * The counted rating inputs as SQL over the day counters (`rating_day_counts`, drizzle/0011–0012):
 * one row per merchant with the count, weighted sum and walk bound of every group, so a re-rating
 * reads its counters inside PostgreSQL and receives one row, whatever the length of the history.
 * Built from the same constants as the pure model (v1.ts); tests/integration/rating-inputs.test.ts
 * checks the result against the full computation.
 */
import { sql, type SQL } from 'drizzle-orm';
import { answerDueDay, LAST_YEAR_DAYS, MAX_WEIGHTED_AGE_DAYS, RECORD_IDS_CAP } from './v1';
import { weightOfAgeSql } from './v1.sql';
import { DAY_COUNT_KIND, NO_ANSWER_LAG } from './day-counts';

/** The groups each merchant's row gives `n_<g>`, `q_<g>` and `from_<g>` (the walk bound) for. */
export const COUNTED_GROUPS = ['counted', 'onTime', 'pending', 'late', 'concluded', 'resolved', 'filed', 'praise'] as const;
export type CountedGroup = (typeof COUNTED_GROUPS)[number];

/** The answer deadline (a day number) of every acceptance day that still weighs on `t`, as an array indexed from t − 1095. */
function answerDues(t: number): number[] {
  const dues: number[] = [];
  for (let d = t - MAX_WEIGHTED_AGE_DAYS; d <= t; d++) dues.push(answerDueDay(d));
  return dues;
}

/**
 * One row per merchant of `scope` with counters in the window: `m`, and for every group g of
 * COUNTED_GROUPS `n_g` (records), `q_g` (weight in quarters) and `from_g` (the day of its
 * RECORD_IDS_CAP-th most recent record, or of its oldest: the walk for its ids starts there).
 */
export function countedInputsSql(scope: SQL, t: number): SQL {
  // Day numbers and constants go as literals: one statement text per day, and the planner sees them.
  const int = (n: number) => sql.raw(String(Math.trunc(n)));
  const T = int(t);
  const first = t - MAX_WEIGHTED_AGE_DAYS;
  const w = weightOfAgeSql(sql`(${T} - day)`);
  const answered = sql`(r.answer_lag <> ${int(NO_ANSWER_LAG)} and r.day + r.answer_lag <= ${T})`;
  // Each counter row's group as of T, decided once: 1 on time, 2 pending, 3 late (accepted
  // complaints); 4 concluded, 5 concluded and resolved; 6 a filed report; 7 praise of the last year; 0 none.
  const group = sql`case r.kind
      when ${int(DAY_COUNT_KIND.accepted)} then case when ${answered} and r.day + r.answer_lag <= r.due then 1 when not ${answered} and ${T} <= r.due then 2 else 3 end
      when ${int(DAY_COUNT_KIND.concluded)} then case when r.concluded_day > ${T} then 0 when r.resolved then 5 else 4 end
      when ${int(DAY_COUNT_KIND.reportFiled)} then 6
      else case when r.day >= ${int(t - LAST_YEAR_DAYS)} then 7 else 0 end end`;
  const members: Record<CountedGroup, string> = { counted: 'in (1, 2, 3)', onTime: '= 1', pending: '= 2', late: '= 3', concluded: 'in (4, 5)', resolved: '= 5', filed: '= 6', praise: '= 7' };
  const col = (prefix: string, g: CountedGroup) => sql.raw(`${prefix}_${g.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`);
  const perDay = COUNTED_GROUPS.map((g) => sql`coalesce(sum(n) filter (where g ${sql.raw(members[g])}), 0)::int as ${col('c', g)}`);
  const running = COUNTED_GROUPS.map((g) => sql`sum(${col('c', g)}) over recent as ${col('s', g)}`);
  const totals = COUNTED_GROUPS.map(
    (g) => sql`sum(${col('c', g)})::int as ${col('n', g)}, sum(${col('c', g)} * ${g === 'praise' ? sql.raw('4') : sql.raw('w')})::int as ${col('q', g)},
      coalesce(max(day) filter (where ${col('s', g)} >= ${int(RECORD_IDS_CAP)}), min(day) filter (where ${col('c', g)} > 0)) as ${col('from', g)}`,
  );
  return sql`
    with k as (
      -- The answer deadline of the acceptance day, looked up in the table of the last 1096 days.
      select r.merchant_id, r.kind, r.day, r.answer_lag, r.concluded_day, r.resolved, r.n,
             (${sql.param(answerDues(t))}::int[])[r.day - ${int(first)} + 1] as due
      from rating_day_counts r
      where ${scope} and r.kind in (${int(DAY_COUNT_KIND.accepted)}, ${int(DAY_COUNT_KIND.concluded)}, ${int(DAY_COUNT_KIND.reportFiled)}, ${int(DAY_COUNT_KIND.praise)})
        and r.day between ${int(first)} and ${T} and r.n <> 0
    ), grouped as (
      select r.merchant_id as m, r.day, r.n, ${group} as g from k r
    ), days as (
      select m, day, ${w} as w, ${sql.join(perDay, sql`, `)} from grouped group by m, day
    ), sums as (
      select days.*, ${sql.join(running, sql`, `)} from days window recent as (partition by m order by day desc)
    )
    select m::text as m, ${sql.join(totals, sql`, `)} from sums group by m`;
}

/** The column names of `countedInputsSql`'s row for group `g`. */
export function countedColumns(g: CountedGroup): { n: string; q: string; from: string } {
  const snake = g.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  return { n: `n_${snake}`, q: `q_${snake}`, from: `from_${snake}` };
}
