import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';

/**
 * `column = any($1::uuid[])`: the ids go as one array parameter, so the statement's text is the
 * same for a batch of 1 and of 100 (PostgreSQL parses and plans one statement, not one per batch
 * size, and `inArray`'s `in ($1, …, $n)` would grow with the page).
 */
export function anyUuid(column: SQLWrapper, ids: readonly string[]): SQL {
  return sql`${column} = any(${sql.param([...ids])}::uuid[])`;
}

/** `column = any($1::text[])`, for text keys such as category codes (see `anyUuid`). */
export function anyText(column: SQLWrapper, values: readonly string[]): SQL {
  return sql`${column} = any(${sql.param([...values])}::text[])`;
}
