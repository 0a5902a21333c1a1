import { MAX_AMOUNT_FEN } from '../../graphql/input-limits';
import { inArray, sql, type SQL } from 'drizzle-orm';
import { requireId } from '../../common/access';
import { BadUserInputError } from '../../errors';
import { decodeCursor, encodeCursor } from '../../graphql/connection';
import type { DbOrTx } from '../../db';
import { appealCategories, appeals, appealTransitions, merchants } from '../../db/schema';
import { buildAppealRecord, type AppealFacts, type FactProblem } from '../../domain/appeal-record';
import { appealDeadlines } from '../../domain/appeal-deadlines';
import { isIssueType, isViolationType } from '../../domain/appeal-taxonomy';
import type { AppealType } from '../../domain/appeal-workflow';
import { isRegionCode } from '../../domain/region';
import { shanghaiToday } from '../../domain/local-date';

export type AppealInsert = typeof appeals.$inferInsert;
export type TransitionInsert = typeof appealTransitions.$inferInsert;
export type AppealChannel = (typeof appeals.$inferInsert)['channel'];

/** An appeal as intake or an import knows it, before checks. Money in fen. */
export interface AppealDraft extends AppealFacts {
  externalId?: string | null;
  channel: AppealChannel;
  merchantId?: string | null;
  /** The merchant's region when there is a merchant (a different one is a problem); required otherwise. */
  regionCode?: string | null;
  categoryCode?: string | null;
  issueType?: string | null;
  violationType?: string | null;
  amountInvolvedFen?: number;
  amountRecoveredFen?: number;
  consumerName?: string | null;
  consumerPhone?: string | null;
  details?: string | null;
}

export interface DraftProblem {
  field: string;
  message: string;
}

/** What checking a draft needs to know of the database, loaded once per batch. */
export interface IntakeLookups {
  categories: ReadonlySet<string>;
  merchantRegions: ReadonlyMap<string, string>;
}

/** Loads the categories and the regions of the merchants the drafts name, in two queries. */
export async function loadIntakeLookups(db: DbOrTx, merchantIds: readonly string[]): Promise<IntakeLookups> {
  const [categoryRows, merchantRows] = await Promise.all([
    db.select({ code: appealCategories.code }).from(appealCategories),
    merchantIds.length
      ? db.select({ id: merchants.id, regionCode: merchants.regionCode }).from(merchants).where(inArray(merchants.id, [...new Set(merchantIds)]))
      : Promise.resolve([]),
  ]);
  return {
    categories: new Set(categoryRows.map((r) => r.code)),
    merchantRegions: new Map(merchantRows.map((r) => [r.id, r.regionCode])),
  };
}

const NEEDS_MERCHANT: readonly AppealType[] = ['COMPLAINT', 'REPORT'];

/**
 * Checks a draft and turns it into the appeal row and its transition rows, with deadlines fixed
 * from the working-day calendar. Problems name the draft's field.
 */
export function prepareAppeal(
  draft: AppealDraft,
  lookups: IntakeLookups,
  actor: string,
): { ok: true; appeal: AppealInsert; transitions: Omit<TransitionInsert, 'appealId'>[] } | { ok: false; problems: DraftProblem[] } {
  const problems: DraftProblem[] = [];
  const merchantId = draft.merchantId ?? null;
  const merchantRegion = merchantId ? lookups.merchantRegions.get(merchantId) : undefined;
  if (merchantId && !merchantRegion) problems.push({ field: 'merchantId', message: 'no such merchant' });
  if (!merchantId && NEEDS_MERCHANT.includes(draft.type)) {
    problems.push({ field: 'merchantId', message: `a ${draft.type} must name the merchant concerned` });
  }
  // The merchant's region decides where an appeal against it belongs (and so who may see and
  // handle it); a region given as well must agree, or a caller could file it into its own.
  if (merchantRegion && draft.regionCode != null && draft.regionCode !== merchantRegion) {
    problems.push({ field: 'regionCode', message: `must be the merchant's region ${merchantRegion} (or left out), not ${draft.regionCode}` });
  }
  const regionCode = merchantRegion ?? draft.regionCode ?? null;
  if (!regionCode || !isRegionCode(regionCode)) problems.push({ field: 'regionCode', message: 'a six-digit region code is required' });
  if (draft.categoryCode && !lookups.categories.has(draft.categoryCode)) {
    problems.push({ field: 'categoryCode', message: `unknown category ${draft.categoryCode}` });
  }
  if (draft.issueType && !isIssueType(draft.issueType)) problems.push({ field: 'issueType', message: `unknown issue type ${draft.issueType}` });
  if (draft.violationType) {
    if (draft.type !== 'REPORT') problems.push({ field: 'violationType', message: 'only reports have a violation type' });
    else if (!isViolationType(draft.violationType)) problems.push({ field: 'violationType', message: `unknown violation type ${draft.violationType}` });
  }
  for (const field of ['amountInvolvedFen', 'amountRecoveredFen'] as const) {
    const value = draft[field] ?? 0;
    if (!Number.isSafeInteger(value) || value < 0) problems.push({ field, message: 'must be a whole, non-negative number of fen' });
    else if (value > MAX_AMOUNT_FEN) problems.push({ field, message: `must be at most ${MAX_AMOUNT_FEN} fen (100 亿元)` });
  }
  if (Number.isNaN(draft.receivedAt.getTime())) problems.push({ field: 'receivedAt', message: 'not a valid time' });
  else if (draft.receivedAt.getTime() > Date.now() + 60_000) problems.push({ field: 'receivedAt', message: 'must not be in the future' });

  const record = problems.length ? null : buildAppealRecord(draft);
  if (record && !record.ok) problems.push(...record.problems.map((p: FactProblem) => ({ field: p.field, message: p.message })));
  if (!record || !record.ok) return { ok: false, problems };

  const { timestamps } = record;
  const deadlines = appealDeadlines({ type: draft.type, receivedAt: draft.receivedAt, ...timestamps }, shanghaiToday());
  const due = [deadlines.acceptance, deadlines.answer, deadlines.conclusion, deadlines.verification];
  return {
    ok: true,
    appeal: {
      externalId: draft.externalId?.trim() || null,
      type: draft.type,
      channel: draft.channel,
      receivedAt: draft.receivedAt,
      merchantId,
      regionCode: regionCode!,
      categoryCode: draft.categoryCode ?? null,
      issueType: draft.issueType ?? null,
      violationType: draft.violationType ?? null,
      amountInvolvedFen: draft.amountInvolvedFen ?? 0,
      amountRecoveredFen: draft.amountRecoveredFen ?? 0,
      consumerName: draft.consumerName?.trim() || null,
      consumerPhone: draft.consumerPhone?.trim() || null,
      details: draft.details?.trim() || null,
      status: draft.status,
      ...timestamps,
      acceptanceDueOn: deadlines.acceptance?.dueOn ?? null,
      answerDueOn: deadlines.answer?.dueOn ?? null,
      conclusionDueOn: deadlines.conclusion?.dueOn ?? null,
      verificationDueOn: deadlines.verification?.dueOn ?? null,
      deadlinesProvisional: due.some((d) => d?.provisional),
    },
    transitions: record.history.map((step) => ({
      fromStatus: step.from,
      toStatus: step.to,
      at: step.at,
      actor,
      reason: step.action === 'REJECT' ? timestamps.rejectionReason : null,
      detail: { action: step.action },
    })),
  };
}

/**
 * Inserts prepared appeals with their transitions. Appeals whose external id is already
 * recorded are skipped (an import re-run records nothing twice); returns how many were new.
 */
export async function insertPreparedAppeals(
  tx: DbOrTx,
  prepared: { appeal: AppealInsert; transitions: Omit<TransitionInsert, 'appealId'>[] }[],
): Promise<{ inserted: { id: string; index: number }[] }> {
  if (prepared.length === 0) return { inserted: [] };
  // An external id twice in one call would match both drafts to one row: the first one wins.
  const seen = new Set<string>();
  const isFirst = prepared.map((p) => {
    const key = p.appeal.externalId;
    if (!key) return true;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const unique = prepared.filter((_, index) => isFirst[index]);
  const rows = await tx
    .insert(appeals)
    .values(unique.map((p) => p.appeal))
    .onConflictDoNothing({ target: appeals.externalId })
    .returning({ id: appeals.id, externalId: appeals.externalId, receivedAt: appeals.receivedAt });
  // Match returned rows back to their drafts: by external id, else by position among id-less ones.
  const byExternal = new Map(rows.filter((r) => r.externalId).map((r) => [r.externalId!, r.id]));
  const anonymous = rows.filter((r) => !r.externalId);
  let nextAnonymous = 0;
  const inserted: { id: string; index: number }[] = [];
  prepared.forEach((p, index) => {
    if (!isFirst[index]) return;
    const id = p.appeal.externalId ? byExternal.get(p.appeal.externalId) : anonymous[nextAnonymous++]?.id;
    if (id) inserted.push({ id, index });
  });
  const transitions = inserted.flatMap(({ id, index }) => prepared[index]!.transitions.map((t) => ({ ...t, appealId: id })));
  for (let i = 0; i < transitions.length; i += 2000) {
    await tx.insert(appealTransitions).values(transitions.slice(i, i + 2000));
  }
  return { inserted };
}

/**
 * The appeals after a cursor of a list ordered newest first (`receivedAt`, `id` descending);
 * anything but such a cursor is BAD_USER_INPUT on `after`.
 */
export function appealsAfterCursor(after: string): SQL {
  const [receivedAt, id] = decodeCursor(after, 2);
  if (typeof receivedAt !== 'string' || typeof id !== 'string' || Number.isNaN(Date.parse(receivedAt))) {
    throw new BadUserInputError('after is not a cursor returned by this list', 'after');
  }
  return sql`(${appeals.receivedAt}, ${appeals.id}) < (${receivedAt}::timestamptz, ${requireId(id, 'after')}::uuid)`;
}

/** The cursor of an appeal in a list ordered newest first (see `appealsAfterCursor`). */
export function appealCursor(appeal: { receivedAt: Date; id: string }): string {
  return encodeCursor([appeal.receivedAt.toISOString(), appeal.id]);
}
