import { and, asc, count, desc, eq, like, sql, type SQL } from 'drizzle-orm';
import type { Loaders, RequestScope } from '../../request-scope';
import type { Db, Tx } from '../../db';
import { rowsOf } from '../../db/rows';
import { merchants, pledgeAudits, pledgeStatusChanges, returnPledges } from '../../db/schema';
import { actorOf } from '../../auth/viewer';
import { governsRegion, isKeeper, mayManageMerchant } from '../../auth/policy';
import { isLocalDate, shanghaiToday, type LocalDate } from '../../domain/local-date';
import { regionPrefix } from '../../domain/region';
import { judgeReturn, GOODS_CATEGORIES, isAlwaysExcluded, isLegalExclusion, LEGAL_EXCLUSIONS, type ReturnExclusionCode } from '../../domain/return-eligibility';
import { UUID_PATTERN } from '../../domain/ids';
import { BadUserInputError, ConflictError, ForbiddenError, NotFoundError } from '../../errors';
import { decodeCursor, encodeCursor, pageSize, toConnection, type Connection } from '../../graphql/connection';
import { mutate, type MutationScope } from '../../mutation';
import { optionalText, requireRegionCode, requireText, requireValidUscc } from '../../common/input';
import { requireId } from '../../common/access';
import type { MerchantRow } from '../merchant/merchant.type';
import type { AuditDueReason, PledgeScope } from './pledge.enums';
import type { FilePledgeInput, RecordPledgeAuditInput } from './pledge.input';
import { auditDueReasons, effectiveStatus, FILED_STATUS, isInEffect, refusalOf, statusAfter, type PledgeAction } from '../../domain/pledge-rules';
import { auditDueSql } from '../../domain/pledge-rules.sql';
import { EXPIRED } from '../../domain/pledge-period';
import { expiryDueSql, inEffectOnSql, inEffectStatusSql } from '../../domain/pledge-period.sql';
import { FINAL_STATUSES } from '../../domain/appeal-workflow';
import { statusInSql } from '../../domain/appeal-workflow.sql';
import type { GoodsCategory, PledgeAuditRow, PledgeRow, PledgeStatusChangeRow, ReturnEligibility } from './pledge.type';

const MAX_SAMPLE = 500;
const MAX_TEXT = 2000;
const EXPIRY_REASON = '承诺期满 (expiresOn reached)';
const LEGAL_EXCLUSION_LIST = LEGAL_EXCLUSIONS.join(', ');

export interface AuditQueueEntry {
  pledge: PledgeRow;
  merchant: MerchantRow;
  reasons: AuditDueReason[];
  openRefusedReturnComplaints: number;
  lastAudit: PledgeAuditRow | null;
}

function inRegion(regionCode: string): SQL {
  const prefix = regionPrefix(regionCode);
  return prefix.length === 6 ? eq(merchants.regionCode, prefix) : like(merchants.regionCode, `${prefix}%`);
}


/** Use cases of return pledges, their history and audits (see the module's resolver). */
export class PledgeService {
  constructor(private readonly scope: RequestScope) {}

  /** A pledge as it is now, for delivering a `pledge` event (public, like the pledge itself). */
  async forEvent(pledgeId: string): Promise<PledgeRow | null> {
    return (await this.db.select().from(returnPledges).where(eq(returnPledges.id, pledgeId)))[0] ?? null;
  }

  private get db(): Db {
    return this.scope.db;
  }

  private get loaders(): Loaders {
    return this.scope.loaders;
  }

  private get today(): LocalDate {
    return shanghaiToday();
  }

  // ------------------------------------------------------------------------------------------
  // Reads

  /** One pledge by id; null when there is none. */
  find(id: string): Promise<PledgeRow | null> {
    return this.loaders.pledgeById.load(requireId(id, 'id', 'pledge'));
  }

  /** The status readers see: EXPIRED from its expiresOn day on, even before the daily job wrote it. */
  statusOf(pledge: PledgeRow, today: LocalDate = this.today): PledgeRow['status'] {
    return effectiveStatus(pledge, today);
  }

  /** The merchant's pledge in effect (ACTIVE or SUSPENDED and before its expiresOn day), or null. */
  async inEffectFor(merchantId: string, today: LocalDate = this.today): Promise<PledgeRow | null> {
    const pledge = await this.loaders.pledgeInEffectByMerchant.load(merchantId);
    return pledge && isInEffect(effectiveStatus(pledge, today)) ? pledge : null;
  }

  /** Every pledge of the merchant, newest first. */
  allFor(merchantId: string): Promise<PledgeRow[]> {
    return this.loaders.pledgesByMerchant.load(merchantId);
  }

  history(pledgeId: string): Promise<PledgeStatusChangeRow[]> {
    return this.loaders.pledgeHistory.load(pledgeId);
  }

  audits(pledgeId: string): Promise<PledgeAuditRow[]> {
    return this.loaders.pledgeAudits.load(pledgeId);
  }

  /** Inspector names and history actors are staff detail: keepers only. */
  maySeeStaffDetail(): boolean {
    return isKeeper(this.scope.viewer);
  }

  /** The goods categories returnEligibility understands. */
  goodsCategories(): GoodsCategory[] {
    return GOODS_CATEGORIES.map((c) => ({
      code: c.code,
      nameZh: c.nameZh,
      nameEn: c.nameEn,
      exclusion: c.exclusion,
      alwaysExcluded: c.exclusion !== null && isAlwaysExcluded(c.exclusion),
      aliases: [...c.aliases],
    }));
  }

  // ------------------------------------------------------------------------------------------
  // Filing and lifecycle

  /** Files (merchant, for itself) or registers (supervisor, in its region) a pledge; at most one in effect per merchant. */
  async file(input: FilePledgeInput): Promise<PledgeRow> {
    const merchantId = requireId(input.merchantId, 'input.merchantId', 'merchant');
    const merchant = await this.loaders.merchantById.load(merchantId);
    if (!merchant) throw new NotFoundError('Merchant', merchantId);
    const { viewer } = this.scope;
    if (!mayManageMerchant(viewer, merchant)) throw new ForbiddenError('Only the merchant itself or a supervisor of its region may file its pledge');

    const today = this.today;
    const terms = this.validateTerms(input, today);
    const actor = actorOf(viewer);

    const created = await mutate(this.scope, async (m) => {
      // Serialises filings for this merchant, so the check below cannot race another filing.
      await m.tx.select({ id: merchants.id }).from(merchants).where(eq(merchants.id, merchantId)).for('update');
      const [current] = await m.tx
        .select()
        .from(returnPledges)
        .where(and(eq(returnPledges.merchantId, merchantId), inEffectStatusSql(returnPledges.status)));
      let expiredId: string | null = null;
      if (current) {
        if (isInEffect(effectiveStatus(current, today))) {
          throw new ConflictError(
            `Merchant ${merchant.name} already has a pledge in effect (${current.id}, ${current.status}); it must be revoked or expire before another is filed`,
            { pledgeId: current.id },
          );
        }
        // Its date has passed but the daily job has not written EXPIRED yet: do it now.
        await this.expireWhere(m.tx, eq(returnPledges.id, current.id), today);
        expiredId = current.id;
      }
      const [row] = await m.tx
        .insert(returnPledges)
        .values({ merchantId, ...terms, status: FILED_STATUS, filedBy: actor })
        .returning();
      await m.tx.insert(pledgeStatusChanges).values({
        pledgeId: row!.id,
        fromStatus: null,
        toStatus: FILED_STATUS,
        reason: viewer.role === 'MERCHANT' ? '经营者作出承诺 (filed by the merchant)' : '监管部门登记承诺 (registered by a supervisor)',
        actor,
      });
      await m.audit({
        action: 'pledge.file',
        targetType: 'pledge',
        targetId: row!.id,
        before: expiredId ? { expiredPledgeId: expiredId } : null,
        after: row,
      });
      this.forgetAfterCommit(m, merchantId, [row!.id, ...(expiredId ? [expiredId] : [])]);
      return row!;
    });
    return created;
  }

  /** ACTIVE → SUSPENDED, by the merchant itself or a supervisor of its region. */
  suspend(id: string, reason: string, expectedVersion?: number | null): Promise<PledgeRow> {
    return this.transition(id, 'suspend', requireText(reason, 'reason', MAX_TEXT), expectedVersion, (viewer, merchant) => mayManageMerchant(viewer, merchant));
  }

  /** SUSPENDED → ACTIVE, by the merchant itself or a supervisor of its region. */
  resume(id: string, reason: string | null | undefined, expectedVersion?: number | null): Promise<PledgeRow> {
    return this.transition(id, 'resume', optionalText(reason, 'reason', MAX_TEXT), expectedVersion, (viewer, merchant) => mayManageMerchant(viewer, merchant));
  }

  /** ACTIVE or SUSPENDED → REVOKED, by a supervisor of the merchant's region, with a reason. */
  revoke(id: string, reason: string, expectedVersion?: number | null): Promise<PledgeRow> {
    return this.transition(id, 'revoke', requireText(reason, 'reason', MAX_TEXT), expectedVersion, (viewer, merchant) => governsRegion(viewer, merchant.regionCode));
  }

  /**
   * Writes EXPIRED and a history row for every pledge in effect whose expiresOn is on or before
   * `asOf`, in one statement, and an audit row per pledge. For the daily job; callers are trusted
   * code (no GraphQL field exposes it). Returns the ids expired.
   */
  async expireDuePledges(asOf: LocalDate = this.today): Promise<string[]> {
    if (!isLocalDate(asOf)) throw new BadUserInputError('asOf must be a date YYYY-MM-DD', 'asOf');
    // Most days nothing is due: answer without a transaction (mutate requires an audit row).
    const [due] = await this.db
      .select({ id: returnPledges.id })
      .from(returnPledges)
      .where(expiryDueSql(returnPledges, asOf))
      .limit(1);
    if (!due) return [];
    return mutate(this.scope, async (m) => {
      const expired = await this.expireWhere(m.tx, undefined, asOf);
      for (const { id, fromStatus, merchantId } of expired) {
        m.touch(merchantId);
        m.emit({ type: 'pledge', pledgeId: id, merchantId });
        await m.audit({ action: 'pledge.expire', targetType: 'pledge', targetId: id, before: { status: fromStatus }, after: { status: EXPIRED, asOf } });
      }
      if (expired.length === 0) {
        // Another node expired them between the check and the lock: record the empty run.
        await m.audit({ action: 'pledge.expire', targetType: 'pledge', targetId: `due-on-${asOf}`, after: { expired: 0, asOf } });
      }
      m.afterCommit(() => {
        this.loaders.pledgeById.clearAll();
        this.loaders.pledgeInEffectByMerchant.clearAll();
        this.loaders.pledgesByMerchant.clearAll();
        this.loaders.pledgeHistory.clearAll();
      });
      return expired.map((e) => e.id);
    });
  }

  /** Records an audit of a pledge in effect, by a supervisor of the merchant's region. */
  async recordAudit(input: RecordPledgeAuditInput): Promise<PledgeAuditRow> {
    const pledgeId = requireId(input.pledgeId, 'input.pledgeId', 'pledge');
    const today = this.today;
    const inspector = requireText(input.inspector, 'input.inspector', MAX_TEXT);
    const findings = optionalText(input.findings, 'input.findings', MAX_TEXT);
    if (input.auditedOn > today) throw new BadUserInputError(`auditedOn ${input.auditedOn} is in the future`, 'input.auditedOn');
    const due = input.rectificationDueOn ?? null;
    if (input.outcome === 'VIOLATION' && due === null) {
      throw new BadUserInputError('A VIOLATION needs a rectification due date', 'input.rectificationDueOn');
    }
    if (due !== null && due < input.auditedOn) {
      throw new BadUserInputError(`rectificationDueOn ${due} is before auditedOn ${input.auditedOn}`, 'input.rectificationDueOn');
    }

    return mutate(this.scope, async (m) => {
      const pledge = await this.lockForChange(m.tx, pledgeId, input.expectedVersion, (viewer, merchant) => governsRegion(viewer, merchant.regionCode));
      const refusal = refusalOf('audit', effectiveStatus(pledge, today));
      if (refusal) throw new ConflictError(refusal, { status: effectiveStatus(pledge, today) });
      if (input.auditedOn < pledge.effectiveFrom) {
        throw new BadUserInputError(`auditedOn ${input.auditedOn} is before the pledge took effect (${pledge.effectiveFrom})`, 'input.auditedOn');
      }
      const [audit] = await m.tx
        .insert(pledgeAudits)
        .values({
          pledgeId,
          auditedOn: input.auditedOn,
          inspector,
          outcome: input.outcome,
          findings,
          rectificationDueOn: due,
          recordedBy: actorOf(this.scope.viewer),
        })
        .returning();
      // An audit changes what is known of the pledge, so decisions taken on the old version are stale.
      await m.tx
        .update(returnPledges)
        .set({ version: sql`${returnPledges.version} + 1`, updatedAt: new Date() })
        .where(eq(returnPledges.id, pledgeId));
      await m.audit({ action: 'pledge.audit', targetType: 'pledge', targetId: pledgeId, before: { version: pledge.version }, after: audit });
      this.forgetAfterCommit(m, pledge.merchantId, [pledgeId]);
      return audit!;
    });
  }

  // ------------------------------------------------------------------------------------------
  // Supervision

  /**
   * Pledges in effect in the region that are due for audit on `asOf`, riskiest first: open
   * refused-return complaints, then last outcome (VIOLATION, MINOR_ISSUES, never audited,
   * COMPLIANT), then oldest last audit, then id. Supervisors of the region only.
   */
  async auditQueue(regionCode: string, first?: number | null, after?: string | null, asOf?: string | null): Promise<Connection<AuditQueueEntry>> {
    const day = asOf ?? this.today;
    this.requireJurisdiction(requireRegionCode(regionCode, 'regionCode'));
    const limit = pageSize(first);

    const last = this.db
      .selectDistinctOn([pledgeAudits.pledgeId])
      .from(pledgeAudits)
      .orderBy(pledgeAudits.pledgeId, desc(pledgeAudits.auditedOn), desc(pledgeAudits.createdAt), desc(pledgeAudits.id))
      .as('last_audit');
    const complaints = sql<number>`(
      select count(*) from appeals a
      where a.merchant_id = ${returnPledges.merchantId} and a.type = 'COMPLAINT' and a.issue_type = 'REFUSED_RETURN'
        and not ${statusInSql(sql.raw('a.status'), FINAL_STATUSES)})`;
    const rank = sql<number>`case ${last.outcome} when 'VIOLATION' then 0 when 'MINOR_ISSUES' then 1 when 'COMPLIANT' then 3 else 2 end`;
    // Never-audited pledges sort among themselves by id alone.
    const lastOn = sql`coalesce(${last.auditedOn}, '0001-01-01'::date)`;

    const where = and(
      inRegion(regionCode),
      inEffectOnSql(returnPledges, day),
      auditDueSql(last, day),
    );
    let keyset: SQL | undefined;
    if (after) {
      const [c, r, d, id] = decodeCursor(after, 4);
      if (typeof c !== 'number' || typeof r !== 'number' || typeof d !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(d) || typeof id !== 'string' || !UUID_PATTERN.test(id)) {
        throw new BadUserInputError('after is not a cursor returned by this list', 'after');
      }
      keyset = sql`(-${complaints}, ${rank}, ${lastOn}, ${returnPledges.id}) > (${-c}::bigint, ${r}::int, ${d}::date, ${id}::uuid)`;
    }

    const base = () =>
      this.db
        .select({
          pledge: returnPledges,
          merchant: merchants,
          complaints: complaints.mapWith(Number),
          rank: rank.mapWith(Number),
          lastOn: sql<string>`${lastOn}::text`,
          lastAudit: {
            id: last.id,
            pledgeId: last.pledgeId,
            auditedOn: last.auditedOn,
            inspector: last.inspector,
            outcome: last.outcome,
            findings: last.findings,
            rectificationDueOn: last.rectificationDueOn,
            recordedBy: last.recordedBy,
            createdAt: last.createdAt,
          },
        })
        .from(returnPledges)
        .innerJoin(merchants, eq(merchants.id, returnPledges.merchantId))
        .leftJoin(last, eq(last.pledgeId, returnPledges.id));

    const [rows, [total]] = await Promise.all([
      base()
        .where(and(where, keyset))
        .orderBy(sql`-${complaints}`, asc(rank), asc(lastOn), asc(returnPledges.id))
        .limit(limit + 1),
      this.db
        .select({ n: count() })
        .from(returnPledges)
        .innerJoin(merchants, eq(merchants.id, returnPledges.merchantId))
        .leftJoin(last, eq(last.pledgeId, returnPledges.id))
        .where(where),
    ]);

    const entries = rows.map((row) => {
      this.loaders.pledgeById.prime(row.pledge.id, row.pledge);
      this.loaders.merchantById.prime(row.merchant.id, row.merchant);
      const lastAudit = row.lastAudit && row.lastAudit.id ? (row.lastAudit) : null;
      return {
        entry: {
          pledge: row.pledge,
          merchant: row.merchant,
          reasons: auditDueReasons(lastAudit, day),
          openRefusedReturnComplaints: row.complaints,
          lastAudit,
        },
        cursor: encodeCursor([row.complaints, row.rank, row.lastOn, row.pledge.id]),
      };
    });
    const cursors = new Map(entries.map((e) => [e.entry, e.cursor]));
    return toConnection(
      entries.map((e) => e.entry),
      limit,
      Number(total?.n ?? 0),
      (entry) => cursors.get(entry)!,
      Boolean(after),
    );
  }

  /**
   * A reproducible random sample of the region's merchants for 双随机 inspection: ordered by
   * md5(seed || id), so the same seed gives the same sample on any driver and in any row order.
   */
  async inspectionSample(regionCode: string, size: number, seed: string): Promise<MerchantRow[]> {
    this.requireJurisdiction(requireRegionCode(regionCode, 'regionCode'));
    if (!Number.isInteger(size) || size < 1 || size > MAX_SAMPLE) {
      throw new BadUserInputError(`size must be from 1 to ${MAX_SAMPLE}, got ${size}`, 'size');
    }
    const key = requireText(seed, 'seed', MAX_TEXT);
    const rows = await this.db
      .select()
      .from(merchants)
      .where(inRegion(regionCode))
      .orderBy(sql`md5(${key} || ${merchants.id}::text)`, asc(merchants.id))
      .limit(size);
    for (const row of rows) this.loaders.merchantById.prime(row.id, row);
    return rows;
  }

  // ------------------------------------------------------------------------------------------
  // Public: return eligibility

  /**
   * Whether goods received on `receivedOn` from the merchant with this USCC can be returned on
   * `askedOn` (default today), under the pledge that bound the merchant on the day of receipt.
   * Null when no merchant has the USCC.
   */
  async returnEligibility(args: {
    uscc: string;
    receivedOn: LocalDate;
    goodsCategory?: string | null;
    askedOn?: LocalDate | null;
    confirmedAtPurchase?: boolean | null;
  }): Promise<ReturnEligibility | null> {
    const uscc = requireValidUscc(args.uscc, 'uscc');
    const askedOn = args.askedOn ?? this.today;
    if (args.receivedOn > askedOn) {
      throw new BadUserInputError(`receivedOn ${args.receivedOn} is after askedOn ${askedOn}`, 'receivedOn');
    }
    const [merchant] = await this.db.select().from(merchants).where(eq(merchants.uscc, uscc)).limit(1);
    if (!merchant) return null;
    this.loaders.merchantById.prime(merchant.id, merchant);

    // The pledge that bound the merchant on the day of receipt decides, whatever happened to it since.
    const pledges = await this.allFor(merchant.id);
    const histories = await Promise.all(pledges.map((p) => this.history(p.id)));
    const result = judgeReturn(
      pledges.map((p, i) => ({ ...p, statusChanges: histories[i]! })),
      { receivedOn: args.receivedOn, askedOn, goodsCategory: args.goodsCategory, confirmedAtPurchase: args.confirmedAtPurchase },
    );
    const pledge = result.pledge ? pledges.find((p) => p.id === result.pledge!.id)! : null;
    const category = result.category;
    return {
      eligible: result.eligible,
      lastDay: result.lastDay,
      lastDayProvisional: result.lastDayProvisional,
      windowDays: result.windowDays,
      reasons: result.reasons,
      pledge,
      pledgeStatusOnReceipt: result.pledgeStatusOnReceipt,
      merchant,
      goodsCategory: category && this.goodsCategories().find((c) => c.code === category.code)!,
    };
  }

  // ------------------------------------------------------------------------------------------
  // Internals

  private requireJurisdiction(regionCode: string): void {
    if (!governsRegion(this.scope.viewer, regionCode)) throw new ForbiddenError(`Region ${regionCode} is outside your jurisdiction`);
  }

  /** Checks the filing's terms; every refusal names its input field. */
  private validateTerms(input: FilePledgeInput, today: LocalDate) {
    const windowDays = input.windowDays ?? 7;
    if (!Number.isInteger(windowDays) || windowDays < 7) {
      throw new BadUserInputError(`windowDays must be at least 7 (the law's seven days), got ${windowDays}`, 'input.windowDays');
    }
    const scope: PledgeScope = input.scope ?? 'ALL_GOODS';
    const scopeCategories = [...new Set((input.scopeCategories ?? []).map((c) => c.trim()))];
    if (scopeCategories.some((c) => c.length === 0)) throw new BadUserInputError('scopeCategories must not contain a blank entry', 'input.scopeCategories');
    if (scope === 'LISTED_CATEGORIES' && scopeCategories.length === 0) {
      throw new BadUserInputError('LISTED_CATEGORIES needs at least one category in scopeCategories', 'input.scopeCategories');
    }
    if (scope === 'ALL_GOODS' && scopeCategories.length > 0) {
      throw new BadUserInputError('scopeCategories must be empty when scope is ALL_GOODS', 'input.scopeCategories');
    }

    const exclusions: ReturnExclusionCode[] = [];
    for (const [i, raw] of (input.exclusions ?? []).entries()) {
      const value = raw.trim().toUpperCase();
      if (!isLegalExclusion(value)) {
        throw new BadUserInputError(
          `exclusions[${i}] "${raw}" is not an exclusion the law allows; a pledge may exclude only: ${LEGAL_EXCLUSION_LIST}`,
          `input.exclusions[${i}]`,
        );
      }
      if (!exclusions.includes(value)) exclusions.push(value);
    }

    const effectiveFrom = input.effectiveFrom ?? today;
    const expiresOn = input.expiresOn ?? null;
    if (expiresOn !== null && expiresOn <= effectiveFrom) {
      throw new BadUserInputError(`expiresOn ${expiresOn} must be after effectiveFrom ${effectiveFrom}`, 'input.expiresOn');
    }
    if (expiresOn !== null && expiresOn <= today) {
      throw new BadUserInputError(`expiresOn ${expiresOn} is not after today (${today}): the pledge would already have expired`, 'input.expiresOn');
    }
    return { windowDays, scope, scopeCategories, exclusions, effectiveFrom, expiresOn, signboardDisplayed: input.signboardDisplayed ?? false };
  }

  /** Locks the pledge for this transaction, then checks who asks and the version they saw. */
  private async lockForChange(
    tx: Tx,
    pledgeId: string,
    expectedVersion: number | null | undefined,
    allowed: (viewer: RequestScope['viewer'], merchant: MerchantRow) => boolean,
  ): Promise<PledgeRow> {
    const [pledge] = await tx.select().from(returnPledges).where(eq(returnPledges.id, pledgeId)).for('update');
    if (!pledge) throw new NotFoundError('Pledge', pledgeId);
    // Read through the transaction: PGlite has one connection, which the open transaction holds.
    const [merchant] = await tx.select().from(merchants).where(eq(merchants.id, pledge.merchantId));
    if (!merchant || !allowed(this.scope.viewer, merchant)) throw new ForbiddenError('You may not change this merchant’s pledge');
    if (expectedVersion != null && expectedVersion !== pledge.version) {
      throw new ConflictError(`Pledge ${pledgeId} is at version ${pledge.version}, not ${expectedVersion}: it changed since you read it`, {
        currentVersion: pledge.version,
      });
    }
    return pledge;
  }

  private async transition(
    id: string,
    action: Exclude<PledgeAction, 'audit'>,
    reason: string | null,
    expectedVersion: number | null | undefined,
    allowed: (viewer: RequestScope['viewer'], merchant: MerchantRow) => boolean,
  ): Promise<PledgeRow> {
    const pledgeId = requireId(id, 'id', 'pledge');
    const today = this.today;
    return mutate(this.scope, async (m) => {
      const before = await this.lockForChange(m.tx, pledgeId, expectedVersion, allowed);
      const status = effectiveStatus(before, today);
      const refusal = refusalOf(action, status);
      if (refusal) throw new ConflictError(refusal, { status });
      const to = statusAfter(action, status);
      const now = new Date();
      const [after] = await m.tx
        .update(returnPledges)
        .set({
          status: to,
          version: sql`${returnPledges.version} + 1`,
          updatedAt: now,
          ...(action === 'revoke' ? { revokedAt: now, revocationReason: reason } : {}),
        })
        .where(eq(returnPledges.id, pledgeId))
        .returning();
      await m.tx.insert(pledgeStatusChanges).values({
        pledgeId,
        fromStatus: before.status,
        toStatus: to,
        reason,
        actor: actorOf(this.scope.viewer),
        at: now,
      });
      await m.audit({ action: `pledge.${action}`, targetType: 'pledge', targetId: pledgeId, before, after });
      this.forgetAfterCommit(m, before.merchantId, [pledgeId]);
      return after!;
    });
  }

  /**
   * Sets EXPIRED on the pledges in effect whose expiresOn is on or before `asOf` (and match
   * `only`), with their history rows, in one statement.
   */
  private async expireWhere(tx: Tx, only: SQL | undefined, asOf: LocalDate): Promise<{ id: string; fromStatus: string; merchantId: string }[]> {
    const result = await tx.execute(sql`
      with due as (
        select ${returnPledges.id} as id, ${returnPledges.status} as status, ${returnPledges.merchantId} as merchant_id from ${returnPledges}
        where ${expiryDueSql(returnPledges, asOf)}
          ${only ? sql`and ${only}` : sql``}
        for update
      ), expired as (
        update ${returnPledges} set status = ${sql.raw(`'${EXPIRED}'`)}, version = ${returnPledges.version} + 1, updated_at = now()
        from due where ${returnPledges.id} = due.id
        returning ${returnPledges.id}
      ), history as (
        insert into ${pledgeStatusChanges} (pledge_id, from_status, to_status, reason, actor)
        select id, status, ${sql.raw(`'${EXPIRED}'`)}, ${EXPIRY_REASON}, 'system' from due
        returning pledge_id
      )
      select id::text as id, status::text as "fromStatus", merchant_id::text as "merchantId" from due order by id`);
    return rowsOf<{ id: string; fromStatus: string; merchantId: string }>(result);
  }

  /** After commit, drops what this request's loaders cached of the pledges and merchant changed. */
  private forgetAfterCommit(m: MutationScope, merchantId: string, pledgeIds: string[]): void {
    // Every pledge change can move the merchant's pledge factor: re-rate it in this transaction.
    m.touch(merchantId);
    for (const pledgeId of pledgeIds) m.emit({ type: 'pledge', pledgeId, merchantId });
    m.afterCommit(() => {
      this.loaders.pledgeInEffectByMerchant.clear(merchantId);
      this.loaders.pledgesByMerchant.clear(merchantId);
      for (const id of pledgeIds) {
        this.loaders.pledgeById.clear(id);
        this.loaders.pledgeHistory.clear(id);
        this.loaders.pledgeAudits.clear(id);
      }
    });
  }
}

