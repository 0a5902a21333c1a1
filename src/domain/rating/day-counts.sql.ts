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
  const T = sql`${t}::int`;
  const first = t - MAX_WEIGHTED_AGE_DAYS;
  const w = weightOfAgeSql(sql`(${T} - r.day)`);
  const due = sql`(${sql.param(answerDues(t))}::int[])[r.day - ${first}::int + 1]`;
  const answered = sql`(r.answer_lag <> ${NO_ANSWER_LAG} and r.day + r.answer_lag <= ${T})`;
  const onTime = sql`(${answered} and r.day + r.answer_lag <= ${due})`;
  const accepted = sql`r.kind = ${DAY_COUNT_KIND.accepted}`;
  const concluded = sql`(r.kind = ${DAY_COUNT_KIND.concluded} and r.concluded_day <= ${T})`;
  const conditions: Record<CountedGroup, SQL> = {
    counted: accepted,
    onTime: sql`(${accepted} and ${onTime})`,
    pending: sql`(${accepted} and not ${answered} and ${T} <= ${due})`,
    late: sql`(${accepted} and not ${onTime} and (${answered} or ${T} > ${due}))`,
    concluded,
    resolved: sql`(${concluded} and r.resolved)`,
    filed: sql`r.kind = ${DAY_COUNT_KIND.reportFiled}`,
    praise: sql`(r.kind = ${DAY_COUNT_KIND.praise} and r.day >= ${t - LAST_YEAR_DAYS}::int)`,
  };
  const col = (prefix: string, g: CountedGroup) => sql.raw(`${prefix}_${g.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`);
  const perDay = COUNTED_GROUPS.map((g) => sql`coalesce(sum(r.n) filter (where ${conditions[g]}), 0)::int as ${col('c', g)}`);
  const weighted = COUNTED_GROUPS.map((g) => (g === 'praise' ? sql`4 * coalesce(sum(r.n) filter (where ${conditions[g]}), 0)::int as ${col('w', g)}` : sql`coalesce(sum(r.n * ${w}) filter (where ${conditions[g]}), 0)::int as ${col('w', g)}`));
  const running = COUNTED_GROUPS.map((g) => sql`sum(${col('c', g)}) over recent as ${col('s', g)}`);
  const totals = COUNTED_GROUPS.map(
    (g) => sql`sum(${col('c', g)})::int as ${col('n', g)}, sum(${col('w', g)})::int as ${col('q', g)},
      coalesce(max(day) filter (where ${col('s', g)} >= ${RECORD_IDS_CAP}), min(day) filter (where ${col('c', g)} > 0)) as ${col('from', g)}`,
  );
  return sql`
    with days as (
      select r.merchant_id as m, r.day, ${sql.join(perDay, sql`, `)}, ${sql.join(weighted, sql`, `)}
      from rating_day_counts r
      where ${scope} and r.kind in (${DAY_COUNT_KIND.accepted}, ${DAY_COUNT_KIND.concluded}, ${DAY_COUNT_KIND.reportFiled}, ${DAY_COUNT_KIND.praise})
        and r.day between ${first}::int and ${T} and r.n <> 0
      group by r.merchant_id, r.day
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
