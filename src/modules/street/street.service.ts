import { asc, eq, like, sql } from 'drizzle-orm';
import { requireRegionCode } from '../../common/input';
import type { RequestScope } from '../../request-scope';
import { rowsOf } from '../../db/rows';
import { demonstrationStreets } from '../../db/schema';
import { UUID_PATTERN } from '../../domain/ids';
import { regionPrefix } from '../../domain/region';
import { percent } from '../../domain/report-math';
import { BadUserInputError } from '../../errors';
import type { StreetTarget } from './street.type';

/** Demonstration streets and how their members meet the street's targets. */
export class StreetService {
  constructor(private readonly scope: RequestScope) {}

  async byId(id: string) {
    if (!UUID_PATTERN.test(id)) throw new BadUserInputError('id is not a valid id', 'id');
    const rows = rowsOf<Record<string, unknown>>(await this.scope.db.execute(sql`select * from demonstration_streets where id = ${id}::uuid`));
    const row = rows[0];
    if (!row) return null;
    return {
      id: row.id as string,
      name: row.name as string,
      regionCode: row.region_code as string,
      description: (row.description as string | null) ?? null,
      targetEnrollmentPct: Number(row.target_enrollment_pct),
      targetPledgeDisplayPct: Number(row.target_pledge_display_pct),
      targetComplaintHandlingPct: Number(row.target_complaint_handling_pct),
    };
  }

  /**
   * Every demonstration street, or those of a region (a city code covers its districts), by region
   * then name. Streets are few (one per district at most), so the list is not paged.
   */
  async list(regionCode?: string | null) {
    const query = this.scope.db.select().from(demonstrationStreets);
    const prefix = regionCode == null ? null : regionPrefix(requireRegionCode(regionCode, 'regionCode'));
    const filtered =
      prefix === null
        ? query
        : query.where(prefix.length === 6 ? eq(demonstrationStreets.regionCode, prefix) : like(demonstrationStreets.regionCode, `${prefix}%`));
    return filtered.orderBy(asc(demonstrationStreets.regionCode), asc(demonstrationStreets.name), asc(demonstrationStreets.id));
  }

  /** Current member ids, by name. */
  memberIds(streetId: string): Promise<string[]> {
    return this.scope.loaders.memberIdsByStreet.load(streetId);
  }

  /**
   * Each target against its actual value today: enrollment on the 3·15 settlement platform,
   * seven-day pledges in effect with the signboard displayed, and complaints against members in
   * the last 12 months handled (rejected, or accepted and concluded). Members missing a target
   * are listed with it.
   */
  async targets(street: { id: string; targetEnrollmentPct: number; targetPledgeDisplayPct: number; targetComplaintHandlingPct: number }): Promise<StreetTarget[]> {
    const flags = await this.scope.loaders.memberFlagsByStreet.load(street.id);
    const members = flags.length;
    const target = (key: StreetTarget['key'], targetPct: number, numerator: number, denominator: number, missing: string[], definition: string): StreetTarget => {
      const actual = percent(numerator, denominator);
      return { key, targetPct, numerator, denominator, actualPct: actual, met: actual === null ? true : actual >= targetPct, missingMerchantIds: missing, definition };
    };
    const complaints = flags.reduce((s, f) => s + Number(f.complaints), 0);
    const handled = flags.reduce((s, f) => s + Number(f.handled), 0);
    return [
      target(
        'SETTLEMENT_PLATFORM_ENROLLMENT',
        street.targetEnrollmentPct,
        flags.filter((f) => f.enrolled).length,
        members,
        flags.filter((f) => !f.enrolled).map((f) => f.merchant_id),
        'Members enrolled on the Hubei 3·15 consumer-dispute settlement platform today.',
      ),
      target(
        'PLEDGE_DISPLAYED',
        street.targetPledgeDisplayPct,
        flags.filter((f) => f.pledge_displayed).length,
        members,
        flags.filter((f) => !f.pledge_displayed).map((f) => f.merchant_id),
        'Members with a seven-day no-reason-return pledge in effect today and its signboard displayed.',
      ),
      target(
        'COMPLAINT_HANDLING',
        street.targetComplaintHandlingPct,
        handled,
        complaints,
        flags.filter((f) => Number(f.handled) < Number(f.complaints)).map((f) => f.merchant_id),
        'Complaints against members received in the last 12 months that are handled: rejected, or accepted and concluded.',
      ),
    ];
  }
}
