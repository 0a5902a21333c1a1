/**
 * When a return pledge binds a merchant. Pure: no GraphQL or database imports.
 *
 * A pledge's period runs from `effectiveFrom` (the first day in effect) up to, but not including,
 * `expiresOn` (the first day no longer in effect; null when open-ended): the same
 * `from ≤ d < until` convention as every period of the rating model. Its status on a day is the
 * one set by its last status change on or before that day (Asia/Shanghai).
 */
import { shanghaiDate, type LocalDate } from './local-date';

export const PLEDGE_STATUSES = ['ACTIVE', 'SUSPENDED', 'REVOKED', 'EXPIRED'] as const;
export type PledgeStatusCode = (typeof PLEDGE_STATUSES)[number];

/** The status a pledge is filed in; the only one in which it is honoured (the rating, "pledge displayed"). */
export const ACTIVE: PledgeStatusCode = 'ACTIVE';
/** The status a pledge is suspended in: still binding, no longer honoured. */
export const SUSPENDED: PledgeStatusCode = 'SUSPENDED';
/** The status written when a supervisor withdraws a pledge. */
export const REVOKED: PledgeStatusCode = 'REVOKED';
/** The status the daily job writes from a pledge's expiresOn day on. */
export const EXPIRED: PledgeStatusCode = 'EXPIRED';

/** The stored statuses in which a pledge binds its merchant. */
export const IN_EFFECT_STATUSES = ['ACTIVE', 'SUSPENDED'] as const satisfies readonly PledgeStatusCode[];
export type InEffectStatus = (typeof IN_EFFECT_STATUSES)[number];

/** Whether a pledge in this status binds the merchant. */
export function isInEffectStatus(status: string | null | undefined): status is InEffectStatus {
  return (IN_EFFECT_STATUSES as readonly (string | null | undefined)[]).includes(status);
}

/** The status a reader sees: a pledge in effect is EXPIRED from its expiresOn day on (the job may not have written it yet). */
export function effectiveStatus(pledge: { status: PledgeStatusCode; expiresOn: LocalDate | null }, today: LocalDate): PledgeStatusCode {
  if (isInEffectStatus(pledge.status) && pledge.expiresOn !== null && pledge.expiresOn <= today) return EXPIRED;
  return pledge.status;
}

/** Whether the stored status and the expiry date have passed, so the daily job must write EXPIRED on `asOf`. */
export function isExpiryDue(pledge: { status: string; expiresOn: LocalDate | null }, asOf: LocalDate): boolean {
  return isInEffectStatus(pledge.status) && pledge.expiresOn !== null && pledge.expiresOn <= asOf;
}

export interface PledgePeriod {
  effectiveFrom: LocalDate;
  /** The first day the pledge is no longer in effect; null when open-ended. */
  expiresOn: LocalDate | null;
}

/** Whether `day` lies in the pledge's period: effectiveFrom ≤ day < expiresOn. */
export function periodCovers(period: PledgePeriod, day: LocalDate): boolean {
  return period.effectiveFrom <= day && (period.expiresOn === null || day < period.expiresOn);
}

export interface StatusChange {
  toStatus: string;
  at: Date;
}

/** The status a pledge had on `day`: its last status change on or before that Shanghai day; null before the first. */
export function statusOn(changes: readonly StatusChange[], day: LocalDate): string | null {
  let last: StatusChange | null = null;
  for (const change of changes) {
    if (shanghaiDate(change.at) > day) continue;
    if (!last || change.at.getTime() >= last.at.getTime()) last = change;
  }
  return last?.toStatus ?? null;
}

/**
 * Whether the pledge is honoured on `day`: its period covers the day and its status that day is
 * ACTIVE (a suspended pledge still binds, see pledgeOn, but earns no credit). `status` is the one
 * on that day: the stored status for today, `statusOn(history, day)` for a past day.
 */
export function isActiveOn(pledge: PledgePeriod, status: string | null, day: LocalDate): boolean {
  return status === ACTIVE && periodCovers(pledge, day);
}

/**
 * The first pledge honoured on `day` (isActiveOn with its status on that day), as the rating
 * reads it: a suspended pledge earns nothing.
 */
export function activePledgeOn<P extends PledgePeriod & { statusChanges: readonly StatusChange[] }>(pledges: readonly P[], day: LocalDate): P | undefined {
  return pledges.find((p) => isActiveOn(p, statusOn(p.statusChanges, day), day));
}

/**
 * The pledge that bound the merchant on `day`: its period covers the day and its status that day
 * was ACTIVE or SUSPENDED. Later suspensions, revocations, expiry or replacement do not change the
 * answer for a past day, and a pledge whose period starts later never applies to it. The partial unique index
 * allows one pledge in effect at a time; should two overlap in history, the later-starting one wins.
 */
export function pledgeOn<P extends PledgePeriod & { statusChanges: readonly StatusChange[] }>(
  pledges: readonly P[],
  day: LocalDate,
): { pledge: P; status: InEffectStatus } | null {
  let found: { pledge: P; status: InEffectStatus } | null = null;
  for (const pledge of pledges) {
    if (!periodCovers(pledge, day)) continue;
    // A pledge recorded after its effectiveFrom (a paper pledge entered later) binds from the day
    // it names: before its first recorded change it has the status it was filed with.
    const status = statusOn(pledge.statusChanges, day) ?? firstStatus(pledge.statusChanges);
    if (!isInEffectStatus(status)) continue;
    if (!found || pledge.effectiveFrom > found.pledge.effectiveFrom) found = { pledge, status };
  }
  return found;
}

function firstStatus(changes: readonly StatusChange[]): string | null {
  let first: StatusChange | null = null;
  for (const change of changes) if (!first || change.at.getTime() < first.at.getTime()) first = change;
  return first?.toStatus ?? null;
}
