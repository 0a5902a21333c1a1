import { UnauthenticatedError } from '../errors';

/** Roles a token can carry; without a token the viewer is PUBLIC. */
export const ROLES = ['MERCHANT', 'SUPERVISOR', 'ADMIN'] as const;
export type TokenRole = (typeof ROLES)[number];
/** SYSTEM is the registry itself (daily jobs, CLI imports); no token can carry it. */
export type Role = 'PUBLIC' | TokenRole | 'SYSTEM';

/** Who is asking: the verified claims of the token, or the public. */
export interface Viewer {
  role: Role;
  sub: string | null;
  /** MERCHANT: the merchants this account acts for. */
  merchantIds: readonly string[];
  /** SUPERVISOR: region codes of the jurisdiction (a city code covers its districts). */
  regions: readonly string[];
  /**
   * When the token stops being valid (its `exp`, in ms since the epoch); absent for the public
   * and the registry itself. A WebSocket outlives its first token: see `viewerExpired`.
   */
  expiresAt?: number;
}

export const PUBLIC_VIEWER: Viewer = Object.freeze({
  role: 'PUBLIC',
  sub: null,
  merchantIds: Object.freeze([]),
  regions: Object.freeze([]),
});

/** The actor recorded in the audit log and history rows. */
export function actorOf(viewer: Viewer): string {
  return viewer.sub ?? 'public';
}

/** The viewer of work the registry does by itself, recorded under `sub` (e.g. `job:daily`). */
export function systemViewer(sub: string): Viewer {
  return Object.freeze({ role: 'SYSTEM', sub, merchantIds: Object.freeze([]), regions: Object.freeze([]) });
}

/** Whether the viewer's token has expired by `now` (ms); the public and the registry never expire. */
export function viewerExpired(viewer: Viewer, now: number = Date.now()): boolean {
  return viewer.expiresAt !== undefined && now >= viewer.expiresAt;
}

/** Refuses a viewer whose token has expired since it was verified (long-lived subscriptions). */
export function assertViewerCurrent(viewer: Viewer): void {
  if (viewerExpired(viewer)) throw new UnauthenticatedError('Token has expired');
}
