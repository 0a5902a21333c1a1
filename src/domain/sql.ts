/**
 * The SQL side of the domain's rules. A `*.sql.ts` file next to a rule builds the same rule as a
 * drizzle SQL fragment from the same constants, so the database and the pure function cannot
 * disagree. These files import only drizzle-orm's query builder: no schema, no connection.
 */
import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';

/** `column in ('A', 'B')` from a list of the domain's own constants (never user input). */
export function inListSql(column: SQLWrapper, values: readonly string[]): SQL {
  if (values.length === 0) return sql`false`;
  for (const value of values) if (!/^[A-Z_]+$/.test(value)) throw new Error(`not a constant: ${value}`);
  return sql`(${column} in (${sql.raw(values.map((v) => `'${v}'`).join(', '))}))`;
}
