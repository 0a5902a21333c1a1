import { asc, eq, like, sql } from 'drizzle-orm';
import { requireRegionCode } from '../../common/input';
import type { RequestScope } from '../../request-scope';
import { rowsOf } from '../../db/rows';
import { demonstrationStreets } from '../../db/schema';
import { UUID_PATTERN } from '../../domain/ids';
import { regionPrefix } from '../../domain/region';
import { shanghaiToday } from '../../domain/local-date';
import { percent } from '../../domain/report-math';
import { HANDLED_COMPLAINT_STATUSES } from '../../domain/appeal-workflow';
import { statusInSql } from '../../domain/appeal-workflow.sql';
import { activeOnSql } from '../../domain/pledge-period.sql';
import { BadUserInputError } from '../../errors';
import type { StreetTarget } from './street.type';

/** The pledge columns of the `p` alias in the targets query. */
const PLEDGE_ALIAS = { status: sql.raw('p.status'), effectiveFrom: sql.raw('p.effective_from'), expiresOn: sql.raw('p.expires_on') };

interface MemberFlags {
  merchant_id: string;
  enrolled: boolean;
  pledge_displayed: boolean;
  complaints: number;
  handled: number;
}

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
  async memberIds(streetId: string): Promise<string[]> {
    const rows = rowsOf<{ id: string }>(
      await this.scope.db.execute(sql`
        select m.id from demonstration_street_members d join merchants m on m.id = d.merchant_id
        where d.street_id = ${streetId}::uuid and d.left_on is null order by m.name collate "C", m.id`),
    );
    return rows.map((r) => r.id);
  }

  /**
   * Each target against its actual value today: enrollment on the 3·15 settlement platform,
   * seven-day pledges in effect with the signboard displayed, and complaints against members in
   * the last 12 months handled (rejected, or accepted and concluded). Members missing a target
   * are listed with it.
   */
  async targets(street: { id: string; targetEnrollmentPct: number; targetPledgeDisplayPct: number; targetComplaintHandlingPct: number }): Promise<StreetTarget[]> {
    const today = shanghaiToday();
    const since = `${Number(today.slice(0, 4)) - 1}${today.slice(4)}`;
    const flags = rowsOf<MemberFlags>(
      await this.scope.db.execute(sql`
        select d.merchant_id,
          exists (select 1 from dispute_enrollments e where e.merchant_id = d.merchant_id
                  and e.program = 'SETTLEMENT_PLATFORM' and e.ended_at is null) as enrolled,
          exists (select 1 from return_pledges p where p.merchant_id = d.merchant_id
                  and p.signboard_displayed and ${activeOnSql(PLEDGE_ALIAS, today)}) as pledge_displayed,
          (select count(*) from appeals a where a.merchant_id = d.merchant_id and a.type = 'COMPLAINT'
                  and a.received_at >= ${`${since}T00:00:00+08:00`}::timestamptz)::int as complaints,
          (select count(*) from appeals a where a.merchant_id = d.merchant_id and a.type = 'COMPLAINT'
                  and a.received_at >= ${`${since}T00:00:00+08:00`}::timestamptz
                  and ${statusInSql(sql.raw('a.status'), HANDLED_COMPLAINT_STATUSES)})::int as handled
        from demonstration_street_members d
        where d.street_id = ${street.id}::uuid and d.left_on is null`),
    );
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
