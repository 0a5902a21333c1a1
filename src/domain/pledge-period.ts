/**
 * When a return pledge binds a merchant. Pure: no GraphQL or database imports.
 *
 * A pledge's period runs from `effectiveFrom` (the first day in effect) up to, but not including,
 * `expiresOn` (the first day no longer in effect; null when open-ended): the same
 * `from ≤ d < until` convention as every period of the rating model. Its status on a day is the
 * one set by its last status change on or before that day (Asia/Shanghai).
 */
import { shanghaiDate, type LocalDate } from './local-date';

export type PledgeStatusCode = 'ACTIVE' | 'SUSPENDED' | 'REVOKED' | 'EXPIRED';

/** The stored statuses in which a pledge binds its merchant. */
export const IN_EFFECT_STATUSES = ['ACTIVE', 'SUSPENDED'] as const satisfies readonly PledgeStatusCode[];

/** Whether a pledge in this status binds the merchant. */
export function isInEffectStatus(status: string | null | undefined): boolean {
  return status === 'ACTIVE' || status === 'SUSPENDED';
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
 * The pledge that bound the merchant on `day`: its period covers the day and its status that day
 * was ACTIVE or SUSPENDED. Later suspensions, revocations, expiry or replacement do not change the
 * answer for a past day, and a pledge whose period starts later never applies to it. The partial unique index
 * allows one pledge in effect at a time; should two overlap in history, the later-starting one wins.
 */
export function pledgeOn<P extends PledgePeriod & { statusChanges: readonly StatusChange[] }>(
  pledges: readonly P[],
  day: LocalDate,
): { pledge: P; status: 'ACTIVE' | 'SUSPENDED' } | null {
  let found: { pledge: P; status: 'ACTIVE' | 'SUSPENDED' } | null = null;
  for (const pledge of pledges) {
    if (!periodCovers(pledge, day)) continue;
    // A pledge recorded after its effectiveFrom (a paper pledge entered later) binds from the day
    // it names: before its first recorded change it has the status it was filed with.
    const status = statusOn(pledge.statusChanges, day) ?? firstStatus(pledge.statusChanges);
    if (status !== 'ACTIVE' && status !== 'SUSPENDED') continue;
    if (!found || pledge.effectiveFrom > found.pledge.effectiveFrom) found = { pledge, status };
  }
  return found;
}

function firstStatus(changes: readonly StatusChange[]): string | null {
  let first: StatusChange | null = null;
  for (const change of changes) if (!first || change.at.getTime() < first.at.getTime()) first = change;
  return first?.toStatus ?? null;
}
