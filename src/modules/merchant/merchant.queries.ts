import type { GraphQLResolveInfo } from 'graphql';
import { and, eq, getTableColumns, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { selects } from '../../graphql/look-ahead';
import type { Db } from '../../db';
import { merchants, ratings, returnPledges } from '../../db/schema';
import { inEffectStatusSql } from '../../domain/pledge-period.sql';
import { RATING_SUMMARY_COLUMNS, type RatingRow, type RatingSummaryRow } from '../rating/rating.loaders';
import type { PledgeRow } from '../pledge/pledge.type';
import type { MerchantRow } from './merchant.type';

/** What a look-up reads beside the merchant, in the same statement. */
export interface LookupIncludes {
  /** The stored rating: without its factors (`summary`), with them (`full`), or not at all. */
  rating: 'none' | 'summary' | 'full';
  /** The pledge in effect by its stored status. */
  pledge: boolean;
}

export interface LookupRow {
  merchant: MerchantRow;
  rating?: RatingRow | RatingSummaryRow | null;
  pledge?: PledgeRow | null;
}

type LookupKey = 'uscc' | 'id';
type Prepared = { execute(values: { key: string }): Promise<LookupRow[]> };

/**
 * Prepared once per database and shape (at most 12), so a look-up neither builds its SQL again
 * nor has PostgreSQL parse and plan it again: the hot path of public lookup sites.
 */
const preparedByDb = new WeakMap<Db, Map<string, Prepared>>();

/** `select … from merchants` with the rating and the pledge in effect joined as `includes` asks. */
export function selectWithIncludes(db: Db, includes: LookupIncludes) {
  const fields: Record<string, unknown> = { merchant: getTableColumns(merchants) };
  if (includes.rating === 'summary') fields.rating = RATING_SUMMARY_COLUMNS;
  if (includes.rating === 'full') fields.rating = getTableColumns(ratings);
  if (includes.pledge) fields.pledge = getTableColumns(returnPledges);
  let query = db
    .select(fields as never)
    .from(merchants)
    .$dynamic();
  if (includes.rating !== 'none') query = query.leftJoin(ratings, eq(ratings.merchantId, merchants.id));
  if (includes.pledge) {
    // The partial unique index allows one such pledge per merchant, so the join adds no rows.
    query = query.leftJoin(returnPledges, and(eq(returnPledges.merchantId, merchants.id), inEffectStatusSql(returnPledges.status)));
  }
  return query as unknown as { where(condition: SQL | undefined): { orderBy(...columns: (SQL | AnyColumn)[]): { limit(n: number): Promise<LookupRow[]> } } & { prepare(name: string): Prepared } };
}

function build(db: Db, key: LookupKey, includes: LookupIncludes): Prepared {
  const column = key === 'uscc' ? merchants.uscc : merchants.id;
  return selectWithIncludes(db, includes).where(eq(column, sql.placeholder('key'))).prepare(`merchant_lookup_${key}_${includes.rating}_${includes.pledge}`);
}

/** What a selection of merchants asks for beside them: the rating (with its factors?) and the pledge. */
export function includesOf(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>, path: readonly string[]): LookupIncludes {
  const rating = selects(info, [...path, 'rating']) ? (selects(info, [...path, 'rating', 'factors']) ? 'full' : 'summary') : 'none';
  return { rating, pledge: selects(info, [...path, 'pledge']) };
}

/** One merchant by USCC or id, with what `includes` asks for, in one round trip. */
export async function lookupMerchant(db: Db, key: LookupKey, value: string, includes: LookupIncludes): Promise<LookupRow | null> {
  let prepared = preparedByDb.get(db);
  if (!prepared) preparedByDb.set(db, (prepared = new Map<string, Prepared>()));
  const shape = `${key}:${includes.rating}:${includes.pledge}`;
  let statement = prepared.get(shape);
  if (!statement) prepared.set(shape, (statement = build(db, key, includes)));
  const [row] = await statement.execute({ key: value });
  return row ?? null;
}
