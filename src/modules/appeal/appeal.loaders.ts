import DataLoader from 'dataloader';
import { asc, inArray } from 'drizzle-orm';
import type { Db } from '../../db';
import { appealCategories, appealTransitions, merchantAnswers } from '../../db/schema';
import type { AppealTransitionRow, MerchantAnswerRow } from './appeal.type';

/** Per-request loaders of appeal details: one query per kind of detail, whatever the page size. */
export function createAppealLoaders(db: Db) {
  const groupBy = <T extends { appealId: string }>(ids: readonly string[], rows: T[]) =>
    ids.map((id) => rows.filter((row) => row.appealId === id));
  return {
    answersByAppeal: new DataLoader<string, MerchantAnswerRow[]>(async (ids) =>
      groupBy(ids, await db.select().from(merchantAnswers).where(inArray(merchantAnswers.appealId, [...ids])).orderBy(asc(merchantAnswers.answeredAt))),
    ),
    transitionsByAppeal: new DataLoader<string, AppealTransitionRow[]>(async (ids) =>
      groupBy(ids, await db.select().from(appealTransitions).where(inArray(appealTransitions.appealId, [...ids])).orderBy(asc(appealTransitions.at))),
    ),
    categoryByCode: new DataLoader<string, typeof appealCategories.$inferSelect | null>(async (codes) => {
      const rows = await db.select().from(appealCategories).where(inArray(appealCategories.code, [...codes]));
      return codes.map((code) => rows.find((row) => row.code === code) ?? null);
    }),
  };
}
