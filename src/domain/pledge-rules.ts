/**
 * Rules of the pledge lifecycle and of audit scheduling. Pure: services call these with the rows
 * at hand and turn a refusal into the API's error.
 */
import type { LocalDate } from './local-date';
import { ACTIVE, IN_EFFECT_STATUSES, REVOKED, SUSPENDED, type PledgeStatusCode } from './pledge-period';

export { effectiveStatus, isInEffectStatus as isInEffect } from './pledge-period';

export type PledgeAction = 'suspend' | 'resume' | 'revoke' | 'audit';

const ALLOWED_FROM: Record<PledgeAction, readonly PledgeStatusCode[]> = {
  suspend: [ACTIVE],
  resume: [SUSPENDED],
  revoke: IN_EFFECT_STATUSES,
  audit: IN_EFFECT_STATUSES,
};

const PAST_PARTICIPLE: Record<PledgeAction, string> = { suspend: 'suspended', resume: 'resumed', revoke: 'revoked', audit: 'audited' };

/** Why `action` cannot be taken on a pledge in `status`, or null when it can. */
export function refusalOf(action: PledgeAction, status: PledgeStatusCode): string | null {
  const allowed = ALLOWED_FROM[action];
  if (allowed.includes(status)) return null;
  const needs = allowed.join(' or ');
  return `Cannot ${action} a pledge that is ${status}: only a ${needs} pledge can be ${PAST_PARTICIPLE[action]}`;
}

/** The status an allowed transition leads to (audits leave the status alone). */
export function statusAfter(action: PledgeAction, status: PledgeStatusCode): PledgeStatusCode {
  switch (action) {
    case 'suspend':
      return SUSPENDED;
    case 'resume':
      return ACTIVE;
    case 'revoke':
      return REVOKED;
    case 'audit':
      return status;
  }
}

export const AUDIT_DUE_REASONS = ['NEVER_AUDITED', 'LAST_AUDIT_OVER_12_MONTHS_AGO', 'RECTIFICATION_DUE'] as const;
export type AuditDueReasonCode = (typeof AUDIT_DUE_REASONS)[number];

/** The same day twelve months earlier; 29 February becomes 28 February (as PostgreSQL's interval does). */
export function twelveMonthsBefore(date: LocalDate): LocalDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const lastOfMonth = new Date(Date.UTC(y - 1, m, 0)).getUTCDate();
  return `${String(y - 1).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(Math.min(d, lastOfMonth)).padStart(2, '0')}`;
}

/** The status a new pledge is filed in. */
export const FILED_STATUS: PledgeStatusCode = ACTIVE;

export type AuditOutcomeCode = 'COMPLIANT' | 'MINOR_ISSUES' | 'VIOLATION';

export interface LastAudit {
  auditedOn: LocalDate;
  outcome: AuditOutcomeCode;
  rectificationDueOn: LocalDate | null;
}

/**
 * Why a pledge in effect is due for audit on `asOf` (empty: not due): never audited, last audited
 * over 12 months ago, or a VIOLATION whose rectification was due on or before `asOf`.
 */
export function auditDueReasons(last: LastAudit | null, asOf: LocalDate): AuditDueReasonCode[] {
  if (!last) return ['NEVER_AUDITED'];
  const reasons: AuditDueReasonCode[] = [];
  if (last.auditedOn < twelveMonthsBefore(asOf)) reasons.push('LAST_AUDIT_OVER_12_MONTHS_AGO');
  if (last.outcome === 'VIOLATION' && last.rectificationDueOn !== null && last.rectificationDueOn <= asOf) {
    reasons.push('RECTIFICATION_DUE');
  }
  return reasons;
}
