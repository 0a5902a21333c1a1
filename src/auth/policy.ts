import { regionCovers } from '../domain/region';
import type { Viewer } from './viewer';

/**
 * Who may see or change what. Pure: services call these with the records at hand and turn a
 * `false` into FORBIDDEN.
 */

/** A supervisor's jurisdiction covers the region; an admin's covers everything. */
export function governsRegion(viewer: Viewer, regionCode: string): boolean {
  if (viewer.role === 'ADMIN' || viewer.role === 'SYSTEM') return true;
  return viewer.role === 'SUPERVISOR' && viewer.regions.some((scope) => regionCovers(scope, regionCode));
}

/** The merchant account acts for this merchant. */
export function ownsMerchant(viewer: Viewer, merchantId: string): boolean {
  return viewer.role === 'MERCHANT' && viewer.merchantIds.includes(merchantId);
}

/** May keep this merchant's records: its own account, its region's supervisor, or an admin. */
export function mayManageMerchant(viewer: Viewer, merchant: { id: string; regionCode: string }): boolean {
  return ownsMerchant(viewer, merchant.id) || governsRegion(viewer, merchant.regionCode);
}

/** May see non-public detail of this merchant's records (the same people who may manage them). */
export const maySeePrivateDetail = mayManageMerchant;

/** Supervisors and admins: the registry's keepers. */
export function isKeeper(viewer: Viewer): boolean {
  return viewer.role === 'SUPERVISOR' || viewer.role === 'ADMIN' || viewer.role === 'SYSTEM';
}

/** How much of an appeal a viewer may see: everything, a merchant's masked view, or nothing. */
export type AppealVisibility = 'full' | 'masked' | 'none';

/**
 * Supervisors of the appeal's region see it whole. The merchant concerned sees its complaints
 * and praise with the consumer masked; reports (an informant's) and consultations stay hidden.
 * The public sees no appeal, only counts.
 */
export function appealVisibility(viewer: Viewer, appeal: { regionCode: string; merchantId: string | null; type: string }): AppealVisibility {
  if (governsRegion(viewer, appeal.regionCode)) return 'full';
  if (appeal.merchantId && ownsMerchant(viewer, appeal.merchantId) && (appeal.type === 'COMPLAINT' || appeal.type === 'PRAISE')) {
    return 'masked';
  }
  return 'none';
}
