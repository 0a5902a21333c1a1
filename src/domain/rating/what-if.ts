/**
 * "What would my rating be if …": hypothetical changes applied to a merchant's records in memory,
 * to be rated like real ones. Pure; nothing is written.
 */
import { addWorkingDays } from '../calendar';
import { shanghaiDate, type LocalDate } from '../local-date';
import { DEADLINE_WORKING_DAYS } from '../appeal-deadlines';
import { listedOn } from '../credit-list';
import { enrollmentOn } from '../enrollment';
import { balanceOf, isBelowMinimum, remainingReimbursable, type LedgerEntryKind } from '../ledger';
import { activePledgeOn, ACTIVE } from '../pledge-period';
import type { RatingRecords } from './v1';

export const WHAT_IF_KINDS = [
  'ENROLL_SETTLEMENT_PLATFORM',
  'GAIN_ODR_RECOGNITION',
  'ANSWER_OPEN_COMPLAINTS',
  'PASS_PLEDGE_AUDIT',
  'FILE_PLEDGE',
  'RESPOND_TO_PATTERNS',
  'REIMBURSE_PAYOUTS',
  'TOP_UP_FUND',
  'LEAVE_ABNORMAL_LIST',
] as const;
export type WhatIfKind = (typeof WHAT_IF_KINDS)[number];

/** Noon in Shanghai on `day`: a hypothetical step taken that day. */
const noonOf = (day: LocalDate) => new Date(`${day}T12:00:00+08:00`);

/** The records as they would be after `kinds` were done on `asOf`. The input is not changed. */
export function applyWhatIf(records: RatingRecords, kinds: readonly WhatIfKind[], asOf: LocalDate): RatingRecords {
  const next: RatingRecords = structuredClone(records);
  const now = noonOf(asOf);
  const enrolled = (program: 'SETTLEMENT_PLATFORM' | 'ODR') => enrollmentOn(next.enrollments, program, asOf) !== undefined;
  const pledgeInEffect = () => activePledgeOn(next.pledges, asOf);

  for (const kind of new Set(kinds)) {
    switch (kind) {
      case 'ENROLL_SETTLEMENT_PLATFORM':
        if (!enrolled('SETTLEMENT_PLATFORM')) next.enrollments.push({ id: 'what-if:settlement', program: 'SETTLEMENT_PLATFORM', startedAt: now, endedAt: null });
        break;
      case 'GAIN_ODR_RECOGNITION':
        if (!enrolled('ODR')) next.enrollments.push({ id: 'what-if:odr', program: 'ODR', startedAt: now, endedAt: null });
        break;
      case 'ANSWER_OPEN_COMPLAINTS':
        // An answer today is on time only for complaints still inside their answer deadline.
        for (const c of next.complaints) {
          if (!c.acceptedAt || shanghaiDate(c.acceptedAt) > asOf) continue;
          const answered = c.answeredAt.some((a) => shanghaiDate(a) <= asOf);
          if (!answered && asOf <= addWorkingDays(shanghaiDate(c.acceptedAt), DEADLINE_WORKING_DAYS.answer).date) c.answeredAt.push(now);
        }
        break;
      case 'PASS_PLEDGE_AUDIT': {
        const pledge = pledgeInEffect();
        if (pledge) next.audits.push({ id: 'what-if:audit', pledgeId: pledge.id, auditedOn: asOf, outcome: 'COMPLIANT' });
        break;
      }
      case 'FILE_PLEDGE':
        if (!pledgeInEffect()) {
          next.pledges.push({ id: 'what-if:pledge', effectiveFrom: asOf, expiresOn: null, revokedAt: null, statusChanges: [{ toStatus: ACTIVE, at: now }] });
        }
        break;
      case 'RESPOND_TO_PATTERNS':
        for (const issueType of new Set(next.complaints.map((c) => c.issueType).filter((t): t is string => Boolean(t)))) {
          next.patternResponses.push({ id: `what-if:response:${issueType}`, issueType, respondedAt: now });
        }
        break;
      case 'REIMBURSE_PAYOUTS':
        for (const p of next.payoutsForTenant) {
          const owed = remainingReimbursable(p.amountFen, p.reimbursements.filter((r) => shanghaiDate(r.occurredAt) <= asOf).map((r) => r.amountFen));
          if (owed > 0) p.reimbursements.push({ amountFen: owed, occurredAt: now });
        }
        break;
      case 'TOP_UP_FUND': {
        if (!next.hostsTenants) break;
        next.fund ??= { id: 'what-if:fund', requiredMinimumFen: 0, openedAt: now, entries: [] };
        const balance = balanceOf(
          next.fund.entries.filter((e) => shanghaiDate(e.occurredAt) <= asOf).map((e) => ({ kind: e.kind as LedgerEntryKind, amountFen: e.amountFen })),
        );
        if (isBelowMinimum(balance, next.fund.requiredMinimumFen)) {
          next.fund.entries.push({ id: 'what-if:deposit', kind: 'DEPOSIT', amountFen: next.fund.requiredMinimumFen - balance, occurredAt: now });
        }
        break;
      }
      case 'LEAVE_ABNORMAL_LIST':
        for (const e of next.listEntries) {
          if (e.list === 'ABNORMAL_OPERATIONS' && listedOn(e, asOf)) e.removedOn = asOf;
        }
        break;
    }
  }
  return next;
}
