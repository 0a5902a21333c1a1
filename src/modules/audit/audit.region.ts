import { sql, type SQL } from 'drizzle-orm';
import { UUID_PATTERN } from '../../domain/ids';

/**
 * Where each kind of audit target keeps its region, as the SQL of a scalar subquery on the
 * target's id. Keys are lower-cased `targetType`s (services write `merchant` and `Merchant`).
 * The migration 0004_audit_log_region backfills old rows with the same joins.
 */
const REGION_OF: Record<string, (id: string) => SQL> = {
  merchant: (id) => sql`(select region_code from merchants where id = ${id}::uuid)`,
  pledge: (id) => sql`(select m.region_code from return_pledges p join merchants m on m.id = p.merchant_id where p.id = ${id}::uuid)`,
  appeal: (id) => sql`(select region_code from appeals where id = ${id}::uuid)`,
  compensationfund: (id) => sql`(select m.region_code from compensation_funds f join merchants m on m.id = f.host_merchant_id where f.id = ${id}::uuid)`,
  fund: (id) => sql`(select m.region_code from compensation_funds f join merchants m on m.id = f.host_merchant_id where f.id = ${id}::uuid)`,
  enrollment: (id) => sql`(select m.region_code from dispute_enrollments e join merchants m on m.id = e.merchant_id where e.id = ${id}::uuid)`,
  creditlistentry: (id) => sql`(select m.region_code from credit_list_entries c join merchants m on m.id = c.merchant_id where c.id = ${id}::uuid)`,
  street: (id) => sql`(select region_code from demonstration_streets where id = ${id}::uuid)`,
};

/** Target types whose rows have no single region on purpose (admins only read them). */
export const REGIONLESS_TARGET_TYPES: readonly string[] = ['import'];

/**
 * The SQL of an audit row's region, resolved from its target in the same statement as the
 * insert; null for a target kind without one, or an id that is not a record id (e.g. the daily
 * job's `due-on-…` summaries).
 */
export function auditRegionSql(targetType: string, targetId: string): SQL | null {
  const regionOf = REGION_OF[targetType.toLowerCase()];
  if (!regionOf || !UUID_PATTERN.test(targetId)) return null;
  return regionOf(targetId);
}
