import { and, count, desc, eq, inArray, like, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db';
import { appeals, appealTransitions, merchantAnswers, patternResponses } from '../../db/schema';
import type { RequestScope } from '../../request-scope';
import { appealVisibility, governsRegion, isKeeper, ownsMerchant } from '../../auth/policy';
import { actorOf } from '../../auth/viewer';
import { assertGoverns, assertMayManage, loadMerchantForUpdate, requireId } from '../../common/access';
import { optionalText, requireRegionCode, requireText } from '../../common/input';
import { appealDeadlines, extensionRefusal, type AppealDeadlines } from '../../domain/appeal-deadlines';
import { transition, ACCEPTED_COMPLAINT_STATUSES, APPEAL_STATUSES, RECEIVED, type AppealAction, type AppealStatus } from '../../domain/appeal-workflow';
import { pendingDueSql } from '../../domain/appeal-workflow.sql';
import { addWorkingDays } from '../../domain/calendar';
import { shanghaiDate, shanghaiToday } from '../../domain/local-date';
import { regionPrefix } from '../../domain/region';
import { ISSUE_TYPES } from '../../domain/appeal-taxonomy';
import { BadUserInputError, ConflictError, ForbiddenError, NotFoundError } from '../../errors';
import { decodeCursor, encodeCursor, pageSize, toConnection, type Connection } from '../../graphql/connection';
import { mutate } from '../../mutation';
import { appealCursor, appealsAfterCursor, loadIntakeLookups, prepareAppeal, insertPreparedAppeals } from './appeal.records';
import type { ComplaintCount } from './appeal.loaders';
import type { AdvanceAppealInput, AnswerComplaintInput, AppealFilter, CreateAppealInput, FilePatternResponseInput } from './appeal.input';
import type { AppealRow, ComplaintSummary, MerchantAnswerRow, PatternResponseRow, PublicPatternResponse } from './appeal.type';
import { onTimePercent } from '../../domain/complaint-answers';

/** Which timestamp and due column each workflow step fills. */
const STEP_EFFECTS: Partial<Record<AppealAction, (now: Date) => Partial<AppealRow>>> = {
  ACCEPT: (now) => ({ acceptedAt: now }),
  REJECT: (now) => ({ rejectedAt: now }),
  START_MEDIATION: (now) => ({ mediationStartedAt: now }),
  MEDIATE: (now) => ({ concludedAt: now }),
  FAIL_MEDIATION: (now) => ({ concludedAt: now }),
  WITHDRAW: (now) => ({ concludedAt: now }),
  EXTEND_VERIFICATION: (now) => ({ verificationExtendedAt: now }),
  FILE_CASE: (now) => ({ decidedAt: now, caseFiledAt: now }),
  DECLINE_CASE: (now) => ({ decidedAt: now }),
};

/** 12315 appeals: intake, the workflow on legal deadlines, merchants' answers, privacy. */
export class AppealService {
  constructor(private readonly scope: RequestScope) {}

  /**
   * An appeal as it is now, for delivering an `appeal` event: the subscription's filter has
   * already decided this viewer may see it, and the Appeal type's fields apply the privacy rules.
   */
  async forEvent(appealId: string): Promise<AppealRow | null> {
    return (await this.scope.db.select().from(appeals).where(eq(appeals.id, appealId)))[0] ?? null;
  }

  private get viewer() {
    return this.scope.viewer;
  }

  /** Supervisors register an appeal received in their region. */
  async create(input: CreateAppealInput): Promise<AppealRow> {
    const merchantId = input.merchantId ? requireId(input.merchantId, 'input.merchantId') : null;
    if (input.regionCode != null) requireRegionCode(input.regionCode, 'input.regionCode');
    return mutate(this.scope, async (m) => {
      const lookups = await loadIntakeLookups(m.tx, merchantId ? [merchantId] : []);
      // Jurisdiction over the merchant's region (never the argument's) comes before any other
      // check, so a supervisor elsewhere learns nothing more than FORBIDDEN.
      const regionCode = merchantId ? lookups.merchantRegions.get(merchantId) : input.regionCode;
      if (regionCode) assertGoverns(this.viewer, regionCode);
      const prepared = prepareAppeal(
        {
          type: input.type,
          status: RECEIVED,
          channel: input.channel,
          receivedAt: input.receivedAt ?? new Date(),
          externalId: input.externalId,
          merchantId,
          regionCode: input.regionCode,
          categoryCode: input.categoryCode,
          issueType: input.issueType,
          violationType: input.violationType,
          amountInvolvedFen: input.amountInvolvedFen ?? 0,
          consumerName: optionalText(input.consumerName, 'input.consumerName', 50),
          consumerPhone: optionalText(input.consumerPhone, 'input.consumerPhone', 30),
          details: optionalText(input.details, 'input.details', 5000),
        },
        lookups,
        actorOf(this.viewer),
      );
      if (!prepared.ok) {
        const [problem] = prepared.problems;
        throw new BadUserInputError(`input.${problem!.field}: ${problem!.message}`, `input.${problem!.field}`);
      }
      // Whatever decided the region above, the row is stored under this one: check it too.
      assertGoverns(this.viewer, prepared.appeal.regionCode);
      if (prepared.appeal.externalId) {
        const [known] = await m.tx.select({ id: appeals.id }).from(appeals).where(eq(appeals.externalId, prepared.appeal.externalId));
        if (known) throw new ConflictError(`Appeal ${prepared.appeal.externalId} is already registered`, { appealId: known.id });
      }
      const { inserted } = await insertPreparedAppeals(m.tx, [prepared]);
      // The insert skips a duplicate external id: a concurrent request recorded it after the check above.
      if (inserted.length === 0) throw new ConflictError(`Appeal ${prepared.appeal.externalId} is already registered`, { field: 'input.externalId' });
      const row = await this.lockAppeal(m.tx, inserted[0]!.id);
      m.touch(row.merchantId);
      m.emit(appealEvent(row));
      await m.audit({ action: 'appeal.create', targetType: 'appeal', targetId: row.id, after: redacted(row) });
      return row;
    });
  }

  /** One workflow step, checked against the state machine and the version the caller saw. */
  advance(input: AdvanceAppealInput): Promise<AppealRow> {
    const id = requireId(input.id, 'input.id');
    const reason = optionalText(input.reason, 'input.reason', 1000);
    if (input.action === 'REJECT' && !reason) throw new BadUserInputError('A rejection needs a reason', 'input.reason');
    if (input.amountRecoveredFen != null && (!Number.isSafeInteger(input.amountRecoveredFen) || input.amountRecoveredFen < 0)) {
      throw new BadUserInputError('amountRecoveredFen must be a whole, non-negative number of fen', 'input.amountRecoveredFen');
    }
    return mutate(this.scope, async (m) => {
      const before = await this.lockAppeal(m.tx, id);
      assertGoverns(this.viewer, before.regionCode);
      if (before.version !== input.expectedVersion) {
        throw new ConflictError(`The appeal changed meanwhile (version ${before.version}, expected ${input.expectedVersion})`, {
          currentVersion: before.version,
        });
      }
      const result = transition(
        { type: before.type, status: before.status, verificationExtended: before.verificationExtendedAt !== null },
        input.action,
      );
      if (!result.ok) throw new ConflictError(result.reason, { status: before.status });
      const now = new Date();
      const late = input.action === 'EXTEND_VERIFICATION' ? extensionRefusal(before.receivedAt, now) : null;
      if (late) throw new ConflictError(late, { status: before.status, verificationDueOn: before.verificationDueOn });
      const change: Partial<AppealRow> = { ...STEP_EFFECTS[input.action]?.(now), status: result.to };
      if (input.action === 'REJECT') change.rejectionReason = reason;
      if (input.amountRecoveredFen != null) change.amountRecoveredFen = input.amountRecoveredFen;
      const deadlines = appealDeadlines({ ...before, ...change }, shanghaiToday());
      const [row] = await m.tx
        .update(appeals)
        .set({
          ...change,
          answerDueOn: deadlines.answer?.dueOn ?? null,
          conclusionDueOn: deadlines.conclusion?.dueOn ?? null,
          verificationDueOn: deadlines.verification?.dueOn ?? null,
          deadlinesProvisional: [deadlines.acceptance, deadlines.answer, deadlines.conclusion, deadlines.verification].some((d) => d?.provisional),
          version: sql`${appeals.version} + 1`,
          updatedAt: now,
        })
        .where(eq(appeals.id, id))
        .returning();
      await m.tx.insert(appealTransitions).values({
        appealId: id,
        fromStatus: before.status,
        toStatus: result.to,
        actor: actorOf(this.viewer),
        at: now,
        reason,
        detail: { action: input.action, amountRecoveredFen: input.amountRecoveredFen ?? undefined },
      });
      m.touch(before.merchantId);
      m.emit(appealEvent(row!));
      await m.audit({
        action: `appeal.${input.action.toLowerCase()}`,
        targetType: 'appeal',
        targetId: id,
        before: { status: before.status, version: before.version },
        after: { status: row!.status, version: row!.version, reason },
      });
      return row!;
    });
  }

  /** The merchant answers one of its accepted complaints. */
  answer(input: AnswerComplaintInput): Promise<MerchantAnswerRow> {
    const id = requireId(input.appealId, 'input.appealId');
    const body = requireText(input.body, 'input.body', 5000);
    return mutate(this.scope, async (m) => {
      const appeal = await this.lockAppeal(m.tx, id);
      if (!appeal.merchantId || !ownsMerchant(this.viewer, appeal.merchantId)) {
        throw new ForbiddenError('Only the merchant concerned may answer this complaint');
      }
      if (appeal.type !== 'COMPLAINT' || !(ACCEPTED_COMPLAINT_STATUSES as readonly string[]).includes(appeal.status)) {
        throw new ConflictError('Only accepted complaints can be answered', { status: appeal.status });
      }
      const [row] = await m.tx
        .insert(merchantAnswers)
        .values({ appealId: id, merchantId: appeal.merchantId, body, answeredAt: new Date(), actor: actorOf(this.viewer) })
        .returning();
      m.touch(appeal.merchantId);
      m.emit(appealEvent(appeal));
      await m.audit({ action: 'appeal.answer', targetType: 'appeal', targetId: id, after: { answerId: row!.id } });
      return row!;
    });
  }

  /** The merchant records what it did about a pattern of complaints of one issue type. */
  filePatternResponse(input: FilePatternResponseInput): Promise<PatternResponseRow> {
    const body = requireText(input.body, 'input.body', 5000);
    return mutate(this.scope, async (m) => {
      const merchant = await loadMerchantForUpdate(m.tx, input.merchantId, 'input.merchantId');
      assertMayManage(this.viewer, merchant);
      const [row] = await m.tx
        .insert(patternResponses)
        .values({ merchantId: merchant.id, issueType: input.issueType, body, respondedAt: new Date(), actor: actorOf(this.viewer) })
        .returning();
      m.touch(merchant.id);
      await m.audit({ action: 'merchant.patternResponse', targetType: 'merchant', targetId: merchant.id, after: row });
      return row!;
    });
  }

  /** One appeal, if the viewer may see it at all. */
  async get(id: string): Promise<AppealRow | null> {
    const [row] = await this.scope.db.select().from(appeals).where(eq(appeals.id, requireId(id, 'id')));
    if (!row) return null;
    if (appealVisibility(this.viewer, row) === 'none') throw new ForbiddenError('You may not see this appeal');
    return row;
  }

  /**
   * Appeals the viewer may see, newest first: a supervisor's in its regions, a merchant's own
   * complaints and praise.
   */
  async list(filter: AppealFilter, first?: number | null, after?: string | null, extra?: SQL) {
    const limit = pageSize(first);
    const where = and(this.visibleTo(filter), this.filterConditions(filter), extra);
    const keyset = after ? appealsAfterCursor(after) : undefined;
    const { db } = this.scope;
    const [rows, [total]] = await Promise.all([
      db.select().from(appeals).where(and(where, keyset)).orderBy(desc(appeals.receivedAt), desc(appeals.id)).limit(limit + 1),
      db.select({ n: count() }).from(appeals).where(where),
    ]);
    return toConnection(rows, limit, Number(total?.n ?? 0), appealCursor, Boolean(after));
  }

  /**
   * Open steps whose legal deadline has passed or falls within `withinWorkingDays` working days
   * (0: overdue or due today), in the supervisor's region, soonest first.
   */
  async due(regionCode: string, withinWorkingDays: number, first?: number | null, after?: string | null) {
    requireRegionCode(regionCode, 'regionCode');
    assertGoverns(this.viewer, regionCode);
    if (!Number.isInteger(withinWorkingDays) || withinWorkingDays < 0 || withinWorkingDays > 60) {
      throw new BadUserInputError('withinWorkingDays must be from 0 to 60', 'withinWorkingDays');
    }
    const horizon = addWorkingDays(shanghaiToday(), withinWorkingDays).date;
    // The deadline of the step the appeal waits for, by status.
    const pending = pendingDueSql(appeals);
    const where = and(inRegion(regionCode), lte(pending, horizon));
    const limit = pageSize(first);
    let keyset: SQL | undefined;
    if (after) {
      const [dueOn, id] = decodeCursor(after, 2);
      keyset = sql`(${pending}, ${appeals.id}) > (${String(dueOn)}::date, ${String(id)}::uuid)`;
    }
    const { db } = this.scope;
    const [rows, [total]] = await Promise.all([
      db
        .select({ appeal: appeals, dueOn: pending })
        .from(appeals)
        .where(and(where, keyset))
        .orderBy(pending, appeals.id)
        .limit(limit + 1),
      db.select({ n: count() }).from(appeals).where(where),
    ]);
    return toConnection(
      rows.map((r) => r.appeal),
      limit,
      Number(total?.n ?? 0),
      (r) => encodeCursor([String(rows.find((x) => x.appeal.id === r.id)!.dueOn), r.id]),
      Boolean(after),
    );
  }

  /** The deadlines of an appeal today, with the merchant's first answer. */
  async deadlines(appeal: AppealRow): Promise<AppealDeadlines> {
    const answers = appeal.type === 'COMPLAINT' ? await this.scope.loaders.answersByAppeal.load(appeal.id) : [];
    return appealDeadlines({ ...appeal, firstAnswerAt: answers[0]?.answeredAt ?? null }, shanghaiToday());
  }

  /** Public counts of a merchant's complaints (no personal data, no text), batched per request. */
  async summary(merchantId: string): Promise<ComplaintSummary> {
    return { merchantId, ...summarizeComplaints(await this.scope.loaders.complaintCountsByMerchant.load(merchantId)) };
  }

  /** A merchant's pattern responses, newest first, public fields only; batched per request. */
  async publicPatternResponses(merchantId: string): Promise<PublicPatternResponse[]> {
    const issueLabels: Record<string, string> = ISSUE_TYPES;
    const rows = await this.scope.loaders.patternResponsesByMerchant.load(merchantId);
    return rows.map((r) => ({
      issueType: r.issueType as PublicPatternResponse['issueType'],
      issueTypeLabel: issueLabels[r.issueType] ?? r.issueType,
      respondedOn: shanghaiDate(r.respondedAt),
      body: r.body,
    }));
  }

  /**
   * A page of the appeals about a merchant the viewer may see, newest first, batched with those
   * of the other merchants the request asks about (Merchant.complaints).
   */
  complaintsOf(merchantId: string, first?: number | null, after?: string | null): Promise<Connection<AppealRow>> {
    const limit = pageSize(first);
    if (after) appealsAfterCursor(after);
    this.visibleOnPages ??= { where: this.visibleTo({}) };
    return this.scope.loaders.appealPagesByMerchant.load({ parentId: merchantId, limit, after: after ?? null, filter: this.visibleOnPages.where });
  }

  /** The viewer's visibility, one object per request so that the pages of all merchants batch together. */
  private visibleOnPages?: { where: SQL | undefined };

  private visibleTo(filter: AppealFilter): SQL | undefined {
    const { viewer } = this;
    if (viewer.role === 'ADMIN') return undefined;
    if (isKeeper(viewer)) {
      if (filter.regionCode && !governsRegion(viewer, filter.regionCode)) {
        throw new ForbiddenError(`Region ${filter.regionCode} is outside your jurisdiction`);
      }
      return or(...viewer.regions.map(inRegion));
    }
    if (viewer.role === 'MERCHANT' && viewer.merchantIds.length) {
      return and(inArray(appeals.merchantId, [...viewer.merchantIds]), inArray(appeals.type, ['COMPLAINT', 'PRAISE']));
    }
    throw new ForbiddenError('Appeals are visible to supervisors and to the merchants concerned');
  }

  private filterConditions(filter: AppealFilter): SQL | undefined {
    return and(
      filter.regionCode ? inRegion(requireRegionCode(filter.regionCode, 'filter.regionCode')) : undefined,
      filter.merchantId ? eq(appeals.merchantId, requireId(filter.merchantId, 'filter.merchantId')) : undefined,
      filter.type ? eq(appeals.type, filter.type) : undefined,
      filter.status ? eq(appeals.status, filter.status) : undefined,
    );
  }

  private async lockAppeal(tx: Tx, id: string): Promise<AppealRow> {
    const [row] = await tx.select().from(appeals).where(eq(appeals.id, id)).for('update');
    if (!row) throw new NotFoundError('Appeal', id);
    return row;
  }
}

function inRegion(scope: string): SQL {
  const prefix = regionPrefix(scope);
  return prefix.length === 6 ? eq(appeals.regionCode, prefix) : like(appeals.regionCode, `${prefix}%`);
}

/** What subscribers of appealUpdated are told: ids and status, never the consumer. */
function appealEvent(row: AppealRow) {
  return {
    type: 'appeal' as const,
    appealId: row.id,
    merchantId: row.merchantId,
    regionCode: row.regionCode,
    appealType: row.type,
    status: row.status,
    version: row.version,
  };
}

/** The audit log keeps no consumer's personal data. */
function redacted(row: AppealRow): Partial<AppealRow> {
  const { consumerName: _n, consumerPhone: _p, details: _d, ...rest } = row;
  return rest;
}

type CountedKey = { key: string | null; label: string | null; count: number };

/**
 * The public summary folded from a merchant's complaint counts: totals, by year (in order), and
 * the accepted ones by category and issue type (most first, then by code) and by status (in
 * workflow order). A missing category or issue type counts as UNSPECIFIED.
 */
function summarizeComplaints(counts: readonly ComplaintCount[]): Omit<ComplaintSummary, 'merchantId'> {
  const acceptedStatuses: readonly string[] = ACCEPTED_COMPLAINT_STATUSES;
  const accepted = counts.filter((c) => acceptedStatuses.includes(c.status));
  const tally = (rows: readonly ComplaintCount[], keyOf: (c: ComplaintCount) => string | null, labelOf: (c: ComplaintCount) => string | null) => {
    const byKey = new Map<string | null, CountedKey>();
    for (const row of rows) {
      const key = keyOf(row);
      const entry = byKey.get(key) ?? { key, label: labelOf(row), count: 0 };
      entry.count += row.count;
      byKey.set(key, entry);
    }
    return [...byKey.values()];
  };
  // Codes in code-point order, and a missing one last, as PostgreSQL's `order by … asc` puts nulls.
  const byCode = (a: CountedKey, b: CountedKey) => (a.key === b.key ? 0 : a.key === null ? 1 : b.key === null ? -1 : a.key < b.key ? -1 : 1);
  const mostFirst = (a: CountedKey, b: CountedKey) => b.count - a.count || byCode(a, b);
  const shown = (rows: CountedKey[]) => rows.map((r) => ({ key: r.key ?? 'UNSPECIFIED', label: r.label, count: r.count }));
  const issueLabels: Record<string, string> = ISSUE_TYPES;
  const sumOf = (key: 'answerable' | 'answered' | 'answeredOnTime') => counts.reduce((n, c) => n + c[key], 0);
  const answerable = sumOf('answerable');
  const answeredOnTime = sumOf('answeredOnTime');
  return {
    answers: { answerable, answered: sumOf('answered'), answeredOnTime, onTimePercent: onTimePercent(answeredOnTime, answerable) },
    received: counts.reduce((n, c) => n + c.count, 0),
    accepted: counts.reduce((n, c) => n + (c.accepted ? c.count : 0), 0),
    byYear: shown(tally(counts, (c) => c.year, () => null).sort(byCode)),
    byCategory: shown(tally(accepted, (c) => c.categoryCode, (c) => c.categoryLabel).sort(mostFirst)),
    byIssueType: shown(tally(accepted, (c) => c.issueType, (c) => (c.issueType ? (issueLabels[c.issueType] ?? null) : null)).sort(mostFirst)),
    byOutcome: shown(
      tally(accepted, (c) => c.status, () => null).sort((a, b) => APPEAL_STATUSES.indexOf(a.key as AppealStatus) - APPEAL_STATUSES.indexOf(b.key as AppealStatus)),
    ),
  };
}
