import { requireId } from '../../common/access';
import { and, asc, eq, exists, isNull, like, sql, type Column, type SQL } from 'drizzle-orm';
import type { RequestScope } from '../../request-scope';
import type { Tx } from '../../db';
import { demonstrationStreetMembers, demonstrationStreets, disputeEnrollments, merchants } from '../../db/schema';
import { actorOf } from '../../auth/viewer';
import { governsRegion, mayManageMerchant } from '../../auth/policy';
import { isRegionCode, regionPrefix, SUIZHOU_REGIONS } from '../../domain/region';
import { BadUserInputError, ConflictError, ForbiddenError, NotFoundError } from '../../errors';
import { mutate } from '../../mutation';
import type { MerchantRow } from '../merchant/merchant.type';
import { ENROLLED, NOT_ENROLLED, periodEnd, standingIn } from '../../domain/enrollment';
import { percent } from '../../domain/report-math';
import type { DisputeChannels, DisputeProgram, EnrollmentPeriodRow, EnrollmentRate, StreetEnrollment } from './enrollment.type';

const MAX_REASON_LENGTH = 500;

/** What the audit log calls each change, per program. */
const ACTIONS: Record<DisputeProgram, { start: string; end: string }> = {
  SETTLEMENT_PLATFORM: { start: 'enrollment.enroll', end: 'enrollment.withdraw' },
  ODR: { start: 'enrollment.grantOdr', end: 'enrollment.withdrawOdr' },
};


/** SQL: the merchant in `merchantId` has an open period in `program` now. */
function enrolledNow(merchantId: Column, program: DisputeProgram, tx: Pick<Tx, 'select'>): SQL {
  return exists(
    tx
      .select({ one: sql`1` })
      .from(disputeEnrollments)
      .where(and(eq(disputeEnrollments.merchantId, merchantId), eq(disputeEnrollments.program, program), isNull(disputeEnrollments.endedAt))),
  );
}

/** Use cases of the dispute channels: 3·15 settlement-platform enrollment and ODR recognition. */
export class EnrollmentService {
  constructor(private readonly scope: RequestScope) {}

  /** Both programs' standing and history of a merchant, through the per-request loader. */
  async channelsOf(merchantId: string): Promise<DisputeChannels> {
    const periods = await this.scope.loaders.enrollmentPeriodsByMerchant.load(merchantId);
    return { settlementPlatform: standingIn('SETTLEMENT_PLATFORM', periods), odr: standingIn('ODR', periods) };
  }

  /** Opens a period in `program`; CONFLICT when one is already open. */
  start(merchantId: string, program: DisputeProgram): Promise<EnrollmentPeriodRow> {
    const id = requireId(merchantId, 'merchantId');
    return mutate(this.scope, async (m) => {
      const merchant = await this.lockMerchant(m.tx, id, program);
      const open = await this.openPeriod(m.tx, merchant.id, program);
      if (open) {
        throw new ConflictError(`The merchant is already ${describe(program)} since ${open.startedAt.toISOString()}`, {
          periodId: open.id,
        });
      }
      const [period] = await m.tx
        .insert(disputeEnrollments)
        .values({ merchantId: merchant.id, program, startedAt: new Date(), startedBy: actorOf(this.scope.viewer) })
        .returning();
      m.touch(merchant.id);
      await m.audit({
        action: ACTIONS[program].start,
        targetType: 'Merchant',
        targetId: merchant.id,
        before: { program, status: NOT_ENROLLED },
        after: { program, status: ENROLLED, period },
      });
      return period!;
    });
  }

  /** Closes the open period in `program` (the only update a period ever gets); CONFLICT when none is open. */
  end(merchantId: string, program: DisputeProgram, reason?: string | null): Promise<EnrollmentPeriodRow> {
    const id = requireId(merchantId, 'merchantId');
    const endReason = reason == null ? null : reason.trim();
    if (endReason !== null && (endReason.length === 0 || endReason.length > MAX_REASON_LENGTH)) {
      throw new BadUserInputError(`reason must be from 1 to ${MAX_REASON_LENGTH} characters when given`, 'reason');
    }
    return mutate(this.scope, async (m) => {
      const merchant = await this.lockMerchant(m.tx, id, program);
      const open = await this.openPeriod(m.tx, merchant.id, program);
      if (!open) throw new ConflictError(`The merchant is not ${describe(program)}`);
      const [closed] = await m.tx
        .update(disputeEnrollments)
        .set({ endedAt: periodEnd(open.startedAt, new Date()), endedBy: actorOf(this.scope.viewer), endReason })
        .where(and(eq(disputeEnrollments.id, open.id), isNull(disputeEnrollments.endedAt)))
        .returning();
      m.touch(merchant.id);
      await m.audit({
        action: ACTIONS[program].end,
        targetType: 'Merchant',
        targetId: merchant.id,
        before: { program, status: ENROLLED, period: open },
        after: { program, status: NOT_ENROLLED, period: closed },
      });
      return closed!;
    });
  }

  /**
   * Enrollment now in the region (a city or province code covers its districts) and in each of
   * its districts, first the region itself. Counted by one grouped aggregate.
   */
  async regionRates(regionCode: string, program: DisputeProgram): Promise<EnrollmentRate[]> {
    if (!isRegionCode(regionCode)) throw new BadUserInputError('regionCode must be a six-digit GB/T 2260 code', 'regionCode');
    const prefix = regionPrefix(regionCode);
    const { db } = this.scope;
    const rows = await db
      .select({
        regionCode: merchants.regionCode,
        total: sql<number>`count(*)::int`,
        enrolled: sql<number>`(count(*) filter (where ${enrolledNow(merchants.id, program, db)}))::int`,
      })
      .from(merchants)
      .where(prefix.length === 6 ? eq(merchants.regionCode, prefix) : like(merchants.regionCode, `${prefix}%`))
      .groupBy(merchants.regionCode)
      .orderBy(asc(merchants.regionCode));
    const rate = (code: string, enrolled: number, total: number): EnrollmentRate => ({
      regionCode: code,
      regionName: (SUIZHOU_REGIONS as Record<string, string>)[code] ?? null,
      program,
      enrolled,
      total,
      percent: percent(enrolled, total),
    });
    const districts = rows.map((r) => rate(r.regionCode, Number(r.enrolled), Number(r.total)));
    if (prefix.length === 6) return districts.length ? districts : [rate(regionCode, 0, 0)];
    const sum = (key: 'enrolled' | 'total') => districts.reduce((n, d) => n + d[key], 0);
    return [rate(regionCode, sum('enrolled'), sum('total')), ...districts];
  }

  /** Enrollment of a demonstration street's current members, and which of them are not enrolled. */
  async streetEnrollment(streetId: string, program: DisputeProgram): Promise<StreetEnrollment> {
    const id = requireId(streetId, 'streetId');
    const { db, loaders } = this.scope;
    const [street] = await db.select().from(demonstrationStreets).where(eq(demonstrationStreets.id, id)).limit(1);
    if (!street) throw new NotFoundError('Demonstration street', id);
    const current = and(eq(demonstrationStreetMembers.streetId, id), isNull(demonstrationStreetMembers.leftOn));
    const [[counts], notEnrolled] = await Promise.all([
      db
        .select({
          members: sql<number>`count(*)::int`,
          enrolled: sql<number>`(count(*) filter (where ${enrolledNow(demonstrationStreetMembers.merchantId, program, db)}))::int`,
        })
        .from(demonstrationStreetMembers)
        .where(current),
      db
        .select({ merchant: merchants })
        .from(demonstrationStreetMembers)
        .innerJoin(merchants, eq(merchants.id, demonstrationStreetMembers.merchantId))
        .where(and(current, sql`not ${enrolledNow(merchants.id, program, db)}`))
        .orderBy(sql`${merchants.name} COLLATE "C"`, asc(merchants.id)),
    ]);
    const members = Number(counts?.members ?? 0);
    const enrolled = Number(counts?.enrolled ?? 0);
    const share = percent(enrolled, members);
    // The street's target is set for the settlement platform; ODR has none.
    const targetPct = program === 'SETTLEMENT_PLATFORM' ? street.targetEnrollmentPct : null;
    const rows: MerchantRow[] = notEnrolled.map((r) => r.merchant);
    for (const row of rows) loaders.merchantById.prime(row.id, row);
    return {
      streetId: street.id,
      streetName: street.name,
      regionCode: street.regionCode,
      program,
      members,
      enrolled,
      percent: share,
      targetPct,
      meetsTarget: targetPct === null || share === null ? null : share >= targetPct,
      notEnrolled: rows,
    };
  }

  /**
   * Locks the merchant row for the rest of the transaction so two changes of one merchant's
   * enrollment serialise (the second then sees the first's period and answers CONFLICT instead
   * of tripping the one-open-period index). NO KEY UPDATE leaves foreign-key checks unblocked.
   */
  private async lockMerchant(tx: Tx, id: string, program: DisputeProgram): Promise<MerchantRow> {
    const [merchant] = await tx.select().from(merchants).where(eq(merchants.id, id)).for('no key update');
    if (!merchant) throw new NotFoundError('Merchant', id);
    const { viewer } = this.scope;
    // The settlement platform is the merchant's own choice; ODR recognition is granted by the regulator.
    const allowed = program === 'ODR' ? governsRegion(viewer, merchant.regionCode) : mayManageMerchant(viewer, merchant);
    if (!allowed) {
      throw new ForbiddenError(
        program === 'ODR'
          ? "Only a supervisor of the merchant's region or an admin may change ODR recognition"
          : "Only the merchant itself, a supervisor of its region or an admin may change its platform enrollment",
      );
    }
    return merchant;
  }

  private async openPeriod(tx: Tx, merchantId: string, program: DisputeProgram): Promise<EnrollmentPeriodRow | undefined> {
    const [open] = await tx
      .select()
      .from(disputeEnrollments)
      .where(and(eq(disputeEnrollments.merchantId, merchantId), eq(disputeEnrollments.program, program), isNull(disputeEnrollments.endedAt)))
      .limit(1);
    return open;
  }
}

function describe(program: DisputeProgram): string {
  return program === 'ODR' ? 'recognised as an ODR enterprise' : 'enrolled on the 3·15 settlement platform';
}
