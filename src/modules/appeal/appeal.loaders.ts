import { and, asc, count, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db';
import { waveLoader, type LoadWaves } from '../../common/load-waves';
import { anyText, anyUuid } from '../../db/any';
import { appealCategories, appeals, appealTransitions, merchantAnswers, merchants, patternResponses } from '../../db/schema';
import { answerCountsSql } from '../../domain/complaint-answers.sql';
import { shanghaiToday } from '../../domain/local-date';
import { pageLoader } from '../../graphql/connection';
import { appealCursor, appealsAfterCursor } from './appeal.records';
import type { AppealRow, AppealStatus, AppealTransitionRow, MerchantAnswerRow } from './appeal.type';

/** Complaints of one merchant alike in every respect the public summary counts them by. */
export interface ComplaintCount {
  /** The Asia/Shanghai year of receipt. */
  year: string;
  categoryCode: string | null;
  categoryLabel: string | null;
  issueType: string | null;
  status: AppealStatus;
  /** Accepted at some point (an acceptedAt). */
  accepted: boolean;
  count: number;
  /** Of `count`: the answer counts of domain/complaint-answers.ts as of the request's day. */
  answerable: number;
  answered: number;
  answeredOnTime: number;
}

/** A merchant's pattern response as the public sees it: what was done about which issue, and when. */
export interface PublicPatternResponseRow {
  issueType: string;
  body: string;
  respondedAt: Date;
}

function groupBy<T>(keys: readonly string[], rows: readonly T[], keyOf: (row: T) => string | null): T[][] {
  const groups = new Map<string, T[]>(keys.map((k) => [k, []]));
  for (const row of rows) {
    const key = keyOf(row);
    if (key !== null) groups.get(key)?.push(row);
  }
  return keys.map((k) => groups.get(k)!);
}

/** Per-request loaders of appeal details: one statement per kind of detail, whatever the page size. */
export function createAppealLoaders(db: Db, waves: LoadWaves) {
  return {
    answersByAppeal: waveLoader<string, MerchantAnswerRow[]>(waves, async (ids) =>
      groupBy(
        ids,
        await db.select().from(merchantAnswers).where(anyUuid(merchantAnswers.appealId, ids)).orderBy(asc(merchantAnswers.answeredAt)),
        (row) => row.appealId,
      ),
    ),
    transitionsByAppeal: waveLoader<string, AppealTransitionRow[]>(waves, async (ids) =>
      groupBy(
        ids,
        await db.select().from(appealTransitions).where(anyUuid(appealTransitions.appealId, ids)).orderBy(asc(appealTransitions.at)),
        (row) => row.appealId,
      ),
    ),
    categoryByCode: waveLoader<string, typeof appealCategories.$inferSelect | null>(waves, async (codes) => {
      const rows = await db.select().from(appealCategories).where(anyText(appealCategories.code, codes));
      return codes.map((code) => rows.find((row) => row.code === code) ?? null);
    }),

    /**
     * Each merchant's complaints counted by year, category, issue type, status and acceptance:
     * the few dozen rows the public summary is folded from, for a whole page in one statement.
     */
    complaintCountsByMerchant: waveLoader<string, ComplaintCount[]>(waves, async (merchantIds) => {
      const year = sql<string>`extract(year from ${appeals.receivedAt} at time zone 'Asia/Shanghai')::int::text`;
      const accepted = sql<boolean>`${appeals.acceptedAt} is not null`;
      // The first answer of each complaint, read through merchant_answers_appeal_idx.
      const firstAnswer = db
        .select({ at: sql<Date | null>`min(${merchantAnswers.answeredAt})`.as('first_answer_at') })
        .from(merchantAnswers)
        .where(eq(merchantAnswers.appealId, appeals.id))
        .as('first_answer');
      const answer = answerCountsSql({ acceptedAt: appeals.acceptedAt, answerDueOn: appeals.answerDueOn, firstAnswerAt: firstAnswer.at }, shanghaiToday());
      const tally = (condition: SQL) => sql<number>`(count(*) filter (where ${condition}))::int`;
      const rows = await db
        .select({
          merchantId: appeals.merchantId,
          year,
          categoryCode: appeals.categoryCode,
          categoryLabel: appealCategories.nameZh,
          issueType: appeals.issueType,
          status: appeals.status,
          accepted,
          count: count(),
          answerable: tally(answer.answerable),
          answered: tally(answer.answered),
          answeredOnTime: tally(answer.answeredOnTime),
        })
        .from(appeals)
        .leftJoin(appealCategories, eq(appealCategories.code, appeals.categoryCode))
        .innerJoinLateral(firstAnswer, sql`true`)
        .where(and(anyUuid(appeals.merchantId, merchantIds), eq(appeals.type, 'COMPLAINT')))
        .groupBy(appeals.merchantId, year, appeals.categoryCode, appealCategories.nameZh, appeals.issueType, appeals.status, accepted);
      return groupBy(merchantIds, rows, (row) => row.merchantId).map((list) =>
        list.map(({ merchantId: _m, answerable, answered, answeredOnTime, ...counts }) => ({
          ...counts,
          // count(*)::int arrives as a number on both drivers; Number() guards a driver's bigint text.
          answerable: Number(answerable),
          answered: Number(answered),
          answeredOnTime: Number(answeredOnTime),
        })),
      );
    }),

    /** Each merchant's pattern responses, newest first: public fields only (no actor), one statement per page of merchants. */
    patternResponsesByMerchant: waveLoader<string, PublicPatternResponseRow[]>(waves, async (merchantIds) =>
      groupBy(
        merchantIds,
        await db
          .select({ merchantId: patternResponses.merchantId, issueType: patternResponses.issueType, body: patternResponses.body, respondedAt: patternResponses.respondedAt })
          .from(patternResponses)
          .where(anyUuid(patternResponses.merchantId, merchantIds))
          .orderBy(desc(patternResponses.respondedAt), desc(patternResponses.id)),
        (row) => row.merchantId,
      ).map((list) => list.map(({ merchantId: _m, ...row }) => row)),
    ),

    /**
     * A page of each merchant's appeals, newest first, with their totals: one statement per
     * page size and cursor (a lateral join reads each merchant's page through its index). The
     * filter is the viewer's visibility (AppealService.complaintsOf).
     */
    appealPagesByMerchant: pageLoader<AppealRow, SQL | undefined>(waves, async (merchantIds, limit, after, visible) => {
      const own = and(eq(appeals.merchantId, merchants.id), visible);
      const total = db.select({ n: count().as('n') }).from(appeals).where(own).as('total');
      const page = db
        .select()
        .from(appeals)
        .where(and(own, after ? appealsAfterCursor(after) : undefined))
        .orderBy(desc(appeals.receivedAt), desc(appeals.id))
        .limit(limit + 1)
        .as('page');
      const rows = await db
        .select({ parentId: merchants.id, total: total.n, node: page._.selectedFields })
        .from(merchants)
        .innerJoinLateral(total, sql`true`)
        .leftJoinLateral(page, sql`true`)
        .where(anyUuid(merchants.id, merchantIds))
        .orderBy(merchants.id, desc(page.receivedAt), desc(page.id));
      return rows.map((row) => ({ ...row, node: row.node?.id ? row.node : null }));
    }, appealCursor),
  };
}
