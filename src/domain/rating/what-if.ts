/**
 * "What would my rating be if …": hypothetical changes applied to a merchant's records in memory,
 * to be rated like real ones. Pure; nothing is written.
 */
import { addWorkingDays } from '../calendar';
import { shanghaiDate, type LocalDate } from '../local-date';
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
  const enrolled = (program: 'SETTLEMENT_PLATFORM' | 'ODR') =>
    next.enrollments.some((e) => e.program === program && shanghaiDate(e.startedAt) <= asOf && (!e.endedAt || asOf < shanghaiDate(e.endedAt)));
  const pledgeInEffect = () =>
    next.pledges.find((p) => {
      const status = [...p.statusChanges].filter((s) => shanghaiDate(s.at) <= asOf).sort((a, b) => a.at.getTime() - b.at.getTime()).at(-1)?.toStatus;
      return p.effectiveFrom <= asOf && (!p.expiresOn || asOf < p.expiresOn) && status === 'ACTIVE';
    });

  for (const kind of new Set(kinds)) {
    switch (kind) {
      case 'ENROLL_SETTLEMENT_PLATFORM':
        if (!enrolled('SETTLEMENT_PLATFORM')) next.enrollments.push({ id: 'what-if:settlement', program: 'SETTLEMENT_PLATFORM', startedAt: now, endedAt: null });
        break;
      case 'GAIN_ODR_RECOGNITION':
        if (!enrolled('ODR')) next.enrollments.push({ id: 'what-if:odr', program: 'ODR', startedAt: now, endedAt: null });
        break;
      case 'ANSWER_OPEN_COMPLAINTS':
        // An answer today is on time only for complaints still inside their 10 working days.
        for (const c of next.complaints) {
          if (!c.acceptedAt || shanghaiDate(c.acceptedAt) > asOf) continue;
          const answered = c.answeredAt.some((a) => shanghaiDate(a) <= asOf);
          if (!answered && asOf <= addWorkingDays(shanghaiDate(c.acceptedAt), 10).date) c.answeredAt.push(now);
        }
        break;
      case 'PASS_PLEDGE_AUDIT': {
        const pledge = pledgeInEffect();
        if (pledge) next.audits.push({ id: 'what-if:audit', pledgeId: pledge.id, auditedOn: asOf, outcome: 'COMPLIANT' });
        break;
      }
      case 'FILE_PLEDGE':
        if (!pledgeInEffect()) {
          next.pledges.push({ id: 'what-if:pledge', effectiveFrom: asOf, expiresOn: null, revokedAt: null, statusChanges: [{ toStatus: 'ACTIVE', at: now }] });
        }
        break;
      case 'RESPOND_TO_PATTERNS':
        for (const issueType of new Set(next.complaints.map((c) => c.issueType).filter((t): t is string => Boolean(t)))) {
          next.patternResponses.push({ id: `what-if:response:${issueType}`, issueType, respondedAt: now });
        }
        break;
      case 'REIMBURSE_PAYOUTS':
        for (const p of next.payoutsForTenant) {
          const repaid = p.reimbursements.filter((r) => shanghaiDate(r.occurredAt) <= asOf).reduce((s, r) => s + r.amountFen, 0);
          if (repaid < p.amountFen) p.reimbursements.push({ amountFen: p.amountFen - repaid, occurredAt: now });
        }
        break;
      case 'TOP_UP_FUND': {
        if (!next.hostsTenants) break;
        next.fund ??= { id: 'what-if:fund', requiredMinimumFen: 0, openedAt: now, entries: [] };
        const balance = next.fund.entries
          .filter((e) => shanghaiDate(e.occurredAt) <= asOf)
          .reduce((s, e) => s + (e.kind === 'DEPOSIT' || e.kind === 'REIMBURSEMENT' ? e.amountFen : -e.amountFen), 0);
        if (balance < next.fund.requiredMinimumFen) {
          next.fund.entries.push({ id: 'what-if:deposit', kind: 'DEPOSIT', amountFen: next.fund.requiredMinimumFen - balance, occurredAt: now });
        }
        break;
      }
      case 'LEAVE_ABNORMAL_LIST':
        for (const e of next.listEntries) {
          if (e.list === 'ABNORMAL_OPERATIONS' && e.listedOn <= asOf && (!e.removedOn || asOf < e.removedOn)) e.removedOn = asOf;
        }
        break;
    }
  }
  return next;
}
