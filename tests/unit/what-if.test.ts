import { applyWhatIf } from '../../src/domain/rating/what-if';
import { rate, type RatingRecords } from '../../src/domain/rating/v1';
import { at, records } from '../helpers/rating-records';

const T = '2025-06-16';

const points = (r: RatingRecords, key: string) => rate(r, T).factors.find((f) => f.key === key)!.points;

describe('what-if', () => {
  it('does not change the records it is given', () => {
    const before = records();
    const copy = structuredClone(before);
    applyWhatIf(before, ['ENROLL_SETTLEMENT_PLATFORM', 'FILE_PLEDGE', 'TOP_UP_FUND'], T);
    expect(before).toEqual(copy);
  });

  it('enrolls in a program only when not enrolled that day', () => {
    const none = applyWhatIf(records(), ['ENROLL_SETTLEMENT_PLATFORM', 'GAIN_ODR_RECOGNITION'], T);
    expect(none.enrollments.map((e) => e.program)).toEqual(['SETTLEMENT_PLATFORM', 'ODR']);
    expect(points(none, 'disputeChannel')).toBe(10);
    const enrolled = records({ enrollments: [{ id: 'e', program: 'ODR', startedAt: at('2024-01-01'), endedAt: null }] });
    expect(applyWhatIf(enrolled, ['GAIN_ODR_RECOGNITION'], T).enrollments).toHaveLength(1);
    const left = records({ enrollments: [{ id: 'e', program: 'ODR', startedAt: at('2024-01-01'), endedAt: at('2025-01-01') }] });
    expect(applyWhatIf(left, ['GAIN_ODR_RECOGNITION'], T).enrollments).toHaveLength(2);
  });

  it('answers only the complaints still inside their answer deadline', () => {
    const open = { id: 'in-time', acceptedAt: at('2025-06-13'), status: 'ACCEPTED', concludedAt: null, issueType: null, answeredAt: [] as Date[] };
    const late = { ...open, id: 'late', acceptedAt: at('2025-05-01'), answeredAt: [] as Date[] };
    const next = applyWhatIf(records({ complaints: [open, late] }), ['ANSWER_OPEN_COMPLAINTS'], T);
    expect(next.complaints.map((c) => c.answeredAt.length)).toEqual([1, 0]);
  });

  it('files a pledge when none is honoured, and passes an audit of the one that is', () => {
    const filed = applyWhatIf(records(), ['FILE_PLEDGE', 'PASS_PLEDGE_AUDIT'], T);
    expect(filed.pledges).toHaveLength(1);
    expect(filed.audits).toEqual([{ id: 'what-if:audit', pledgeId: 'what-if:pledge', auditedOn: T, outcome: 'COMPLIANT' }]);
    expect(points(filed, 'pledge')).toBe(10);
    const suspended = records({
      pledges: [{ id: 'p', effectiveFrom: '2025-01-01', expiresOn: null, revokedAt: null, statusChanges: [{ toStatus: 'ACTIVE', at: at('2025-01-01') }, { toStatus: 'SUSPENDED', at: at('2025-02-01') }] }],
    });
    expect(applyWhatIf(suspended, ['PASS_PLEDGE_AUDIT'], T).audits).toEqual([]);
  });

  it('reimburses what is still owed on each payout', () => {
    const payout = { id: 'p', amountFen: 10_000, occurredAt: at('2025-03-01'), reimbursements: [{ amountFen: 4_000, occurredAt: at('2025-04-01') }] };
    const next = applyWhatIf(records({ payoutsForTenant: [payout] }), ['REIMBURSE_PAYOUTS'], T);
    expect(next.payoutsForTenant[0]!.reimbursements.map((r) => r.amountFen)).toEqual([4_000, 6_000]);
    expect(points(records({ payoutsForTenant: [payout] }), 'compensationFund')).toBe(-5);
    expect(points(next, 'compensationFund')).toBe(0);
  });

  it('tops a host fund up to its minimum using the ledger signs, and opens one when missing', () => {
    const fund = {
      id: 'f',
      requiredMinimumFen: 50_000,
      openedAt: at('2024-01-01'),
      entries: [
        { id: 'd', kind: 'DEPOSIT', amountFen: 60_000, occurredAt: at('2024-01-01') },
        { id: 'w', kind: 'PAYOUT', amountFen: 30_000, occurredAt: at('2025-01-01') },
      ],
    };
    const next = applyWhatIf(records({ hostsTenants: true, fund }), ['TOP_UP_FUND'], T);
    expect(next.fund!.entries.at(-1)).toMatchObject({ kind: 'DEPOSIT', amountFen: 20_000 });
    expect(points(next, 'compensationFund')).toBe(0);
    expect(applyWhatIf(records({ hostsTenants: true }), ['TOP_UP_FUND'], T).fund).toMatchObject({ id: 'what-if:fund', entries: [] });
    expect(applyWhatIf(records(), ['TOP_UP_FUND'], T).fund).toBeNull();
  });

  it('leaves the abnormal-operations list on the day, responds to every issue type', () => {
    const listed = records({
      listEntries: [{ id: 'l', list: 'ABNORMAL_OPERATIONS', listedOn: '2025-01-01', removedOn: null }],
      complaints: [{ id: 'c', acceptedAt: at('2025-06-01'), status: 'ACCEPTED', concludedAt: null, issueType: 'PRICE', answeredAt: [] }],
    });
    const next = applyWhatIf(listed, ['LEAVE_ABNORMAL_LIST', 'RESPOND_TO_PATTERNS'], T);
    expect(next.listEntries[0]!.removedOn).toBe(T);
    expect(next.patternResponses.map((r) => r.issueType)).toEqual(['PRICE']);
    expect(rate(listed, T).factors.some((f) => f.key === 'cap')).toBe(true);
    expect(rate(next, T).factors.some((f) => f.key === 'cap')).toBe(false);
  });
});
