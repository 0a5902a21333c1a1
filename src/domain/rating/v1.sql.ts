/**
 * The day arithmetic of the rating model (v1.ts) as SQL, for the queries that aggregate its inputs
 * (src/modules/rating/rating.inputs.ts). Built from the same constants as the pure functions.
 */
import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { LocalDate } from '../local-date';
import { WEIGHT_STEPS } from './v1';

/** The Asia/Shanghai day of an instant as a day number (`dayNumberOf`: days since 1970-01-01). */
export function shanghaiDayNumberSql(instant: SQLWrapper): SQL<number> {
  return sql<number>`((${instant} at time zone 'Asia/Shanghai')::date - date '1970-01-01')`;
}

/** The instant the Asia/Shanghai day `date` begins (records before it are dated before that day). */
export function shanghaiDayStartSql(date: LocalDate): SQL {
  return sql`(${date}::date::timestamp at time zone 'Asia/Shanghai')`;
}

/** `weightOfAge` of an age in days: the weight in quarters (0 when negative or too old). */
export function weightOfAgeSql(age: SQL): SQL<number> {
  const whens = WEIGHT_STEPS.map((step) => sql`when ${age} <= ${sql.raw(String(step.maxAgeDays))} then ${sql.raw(String(step.quarters))}`);
  return sql<number>`(case when ${age} < 0 then 0 ${sql.join(whens, sql` `)} else 0 end)`;
}
