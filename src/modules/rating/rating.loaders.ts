import { and, count, desc, eq, getTableColumns, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db';
import { waveLoader, type LoadWaves } from '../../common/load-waves';
import { anyUuid } from '../../db/any';
import { merchants, ratingHistory, ratings } from '../../db/schema';
import type { RatingRecords } from '../../domain/rating/v1';
import { decodeCursor, encodeCursor, pageLoader } from '../../graphql/connection';
import { BadUserInputError } from '../../errors';
import { UUID_PATTERN } from '../../domain/ids';
import { loadRatingRecords } from './rating.records';

/** A change of score or grade as the API shows it (without the factors it stored). */
export interface RatingHistoryEntryRow {
  id: string;
  modelVersion: string;
  score: number;
  grade: (typeof ratingHistory.$inferSelect)['grade'];
  previousScore: number | null;
  previousGrade: (typeof ratingHistory.$inferSelect)['previousGrade'];
  asOf: string;
  computedAt: Date;
  cause: string;
}

/** The history entries after a cursor of the newest-first list; anything else is BAD_USER_INPUT on `after`. */
export function ratingHistoryAfterCursor(after: string): SQL {
  const [at, id] = decodeCursor(after, 2);
  if (typeof at !== 'string' || Number.isNaN(Date.parse(at)) || typeof id !== 'string' || !UUID_PATTERN.test(id)) {
    throw new BadUserInputError('after is not a cursor returned by this list', 'after');
  }
  return sql`(${ratingHistory.computedAt}, ${ratingHistory.id}) < (${at}::timestamptz, ${id}::uuid)`;
}

export type RatingRow = typeof ratings.$inferSelect;
/** A stored rating without its factors: what score and grade need, a few bytes instead of kilobytes. */
export type RatingSummaryRow = Omit<RatingRow, 'factors'>;

const { factors: _factors, ...summaryColumns } = getTableColumns(ratings);
/** The columns of a RatingSummaryRow, for queries that join the rating to what they read. */
export const RATING_SUMMARY_COLUMNS = summaryColumns;

function byMerchant<T extends { merchantId: string }>(ids: readonly string[], rows: T[]): (T | null)[] {
  const byId = new Map(rows.map((r) => [r.merchantId, r]));
  return ids.map((id) => byId.get(id) ?? null);
}

/** Per-request: the current ratings of the requested merchants in one query. */
export function createRatingLoaders(db: Db, waves: LoadWaves) {
  return {
    ratingByMerchant: waveLoader<string, RatingRow | null>(waves, async (ids) =>
      byMerchant(ids, await db.select().from(ratings).where(inArray(ratings.merchantId, [...ids]))),
    ),
    /** The same without factors, for selections that do not ask for them. */
    ratingSummaryByMerchant: waveLoader<string, RatingSummaryRow | null>(waves, async (ids) =>
      byMerchant(ids, await db.select(RATING_SUMMARY_COLUMNS).from(ratings).where(inArray(ratings.merchantId, [...ids]))),
    ),

    /**
     * The rating inputs of each merchant (ratingAsOf, ratingWhatIf): the fixed set of
     * statements of `loadRatingRecords` for a whole page. Callers must not change the records
     * (applyWhatIf works on a copy).
     */
    ratingRecordsByMerchant: waveLoader<string, RatingRecords | null>(waves, async (merchantIds) => {
      const records = await loadRatingRecords(db, merchantIds);
      return merchantIds.map((id) => records.get(id) ?? null);
    }),

    /** A page of each merchant's rating history, newest first, with its total: one statement per page size and cursor. */
    ratingHistoryPagesByMerchant: pageLoader<RatingHistoryEntryRow>(waves, async (merchantIds, limit, after) => {
        const own = eq(ratingHistory.merchantId, merchants.id);
        const total = db.select({ n: count().as('n') }).from(ratingHistory).where(own).as('total');
        const page = db
          .select({
            id: ratingHistory.id,
            modelVersion: ratingHistory.modelVersion,
            score: ratingHistory.score,
            grade: ratingHistory.grade,
            previousScore: ratingHistory.previousScore,
            previousGrade: ratingHistory.previousGrade,
            asOf: ratingHistory.asOf,
            computedAt: ratingHistory.computedAt,
            cause: ratingHistory.cause,
          })
          .from(ratingHistory)
          .where(and(own, after ? ratingHistoryAfterCursor(after) : undefined))
          .orderBy(desc(ratingHistory.computedAt), desc(ratingHistory.id))
          .limit(limit + 1)
          .as('page');
        const rows = await db
          .select({ parentId: merchants.id, total: total.n, node: page._.selectedFields })
          .from(merchants)
          .innerJoinLateral(total, sql`true`)
          .leftJoinLateral(page, sql`true`)
          .where(anyUuid(merchants.id, merchantIds))
          .orderBy(merchants.id, desc(page.computedAt), desc(page.id));
        return rows.map((row) => ({ ...row, node: row.node?.id ? row.node : null }));
      },
      (entry) => encodeCursor([entry.computedAt.toISOString(), entry.id]),
    ),
  };
}
