import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../db';
import { merchants } from '../db/schema';
import { governsRegion, mayManageMerchant } from '../auth/policy';
import type { Viewer } from '../auth/viewer';
import { BadUserInputError, ForbiddenError, NotFoundError } from '../errors';
import { UUID_PATTERN } from '../domain/ids';

type MerchantRow = typeof merchants.$inferSelect;

/**
 * Refuses unless the viewer may keep this merchant's records: a supervisor of its region or an
 * admin, and, unless `keepersOnly`, the merchant's own account.
 */
export function assertMayManage(viewer: Viewer, merchant: { id: string; regionCode: string }, options: { keepersOnly?: boolean } = {}): void {
  const allowed = options.keepersOnly ? governsRegion(viewer, merchant.regionCode) : mayManageMerchant(viewer, merchant);
  if (!allowed) {
    throw new ForbiddenError(
      options.keepersOnly
        ? `Only a supervisor of region ${merchant.regionCode} may do this`
        : 'Only the merchant itself or a supervisor of its region may do this',
    );
  }
}

/** Refuses unless the viewer is a supervisor of `regionCode` (or an admin). */
export function assertGoverns(viewer: Viewer, regionCode: string): void {
  if (!governsRegion(viewer, regionCode)) throw new ForbiddenError(`Region ${regionCode} is outside your jurisdiction`);
}

/**
 * Checks an id argument's form, so a malformed one is BAD_USER_INPUT rather than a database error;
 * `what` names the kind of record in the message ("is not a pledge id").
 */
export function requireId(id: string, field: string, what = 'valid'): string {
  if (!UUID_PATTERN.test(id)) throw new BadUserInputError(`${field} is not a ${what} id`, field);
  return id.toLowerCase();
}

/**
 * Loads a merchant inside a mutation and locks its row, so concurrent changes to one merchant
 * serialise (and its version check cannot race).
 */
export async function loadMerchantForUpdate(tx: DbOrTx, id: string, field: string): Promise<MerchantRow> {
  const [row] = await tx.select().from(merchants).where(eq(merchants.id, requireId(id, field))).for('update');
  if (!row) throw new NotFoundError('Merchant', id);
  return row;
}
