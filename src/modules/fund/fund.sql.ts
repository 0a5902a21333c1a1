import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { fundLedgerEntries } from '../../db/schema';
import { LEDGER_SIGN } from '../../domain/ledger';

/**
 * SQL: a fund's balance, the signed sum of its entries, built from the same sign table as the
 * pure rules. As text, because SUM of bigint is numeric (a string on postgres.js); callers turn it
 * into a number, exact for any balance below 2^53 fen.
 */
export function balanceSql(): SQL<string> {
  const cases = Object.entries(LEDGER_SIGN).map(([kind, sign]) => sql.raw(`WHEN '${kind}' THEN ${sign}`));
  return sql<string>`coalesce(sum((CASE ${fundLedgerEntries.kind} ${sql.join(cases, sql` `)} END) * ${fundLedgerEntries.amountFen}), 0)::text`;
}

/** SQL of isBelowMinimum (domain/ledger.ts) on a balance as balanceSql gives it (text) and a minimum column. */
export function belowMinimumSql(balance: SQLWrapper, requiredMinimumFen: SQLWrapper): SQL<boolean> {
  return sql<boolean>`(${balance})::numeric < ${requiredMinimumFen}`;
}
