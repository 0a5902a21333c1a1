import { rate, wholeYears, weightQuarters, type RatingRecords } from '../../src/domain/rating/v1';
import { at, records } from '../helpers/rating-records';

const points = (rating: ReturnType<typeof rate>) => Object.fromEntries(rating.factors.map((f) => [f.key, f.points]));
const sum = (rating: ReturnType<typeof rate>) => Math.round(rating.factors.reduce((s, f) => s + f.points * 100, 0)) / 100;

const complaint = (id: string, accepted: string, extra: Partial<RatingRecords['complaints'][number]> = {}) => ({
  id,
  acceptedAt: at(accepted),
  status: 'ACCEPTED',
  concludedAt: null,
  issueType: 'QUALITY',
  answeredAt: [] as Date[],
  ...extra,
});

describe('rating model v1', () => {
  it('gives the worked example of the methodology 77.67, grade B', () => {
    const rating = rate(
      records({
        merchant: { id: 'm', sizeBand: 'SMALL', establishedOn: '2019-03-01' },
        pledges: [{ id: 'p', effectiveFrom: '2022-01-10', expiresOn: null, revokedAt: null, statusChanges: [{ toStatus: 'ACTIVE', at: at('2022-01-10') }] }],
        audits: [{ id: 'a', pledgeId: 'p', auditedOn: '2024-05-01', outcome: 'COMPLIANT' }],
        enrollments: [{ id: 'e', program: 'SETTLEMENT_PLATFORM', startedAt: at('2023-01-01'), endedAt: null }],
        complaints: [
          complaint('A', '2024-03-04', { answeredAt: [at('2024-03-08')], status: 'MEDIATED', concludedAt: at('2024-03-20') }),
          complaint('B', '2023-11-20', { answeredAt: [at('2023-12-20')], status: 'MEDIATION_FAILED', concludedAt: at('2024-01-10'), issueType: 'PRICE' }),
        ],
      }),
      '2024-12-31',
    );
    expect(points(rating)).toEqual({
      responsiveness: 20,
      resolution: 16.67,
      volume: 15,
      pledge: 10,
      disputeChannel: 6,
      tenure: 10,
      pledgeViolations: 0,
      substantiatedReports: 0,
      complaintPattern: 0,
      compensationFund: 0,
      praise: 0,
    });
    expect(rating).toMatchObject({ score: 77.67, grade: 'B', modelVersion: 'v1', asOf: '2024-12-31' });
    expect(sum(rating)).toBe(rating.score);
    expect(rating.factors.find((f) => f.key === 'responsiveness')!.evidence).toMatchObject({ weightedOnTime: 1, weightedAll: 1.5 });
  });

  it('weighs records by age: 1 up to 365 days, ½ from 366, ¼ from 731, none after 1095', () => {
    expect(weightQuarters('2024-01-01', '2024-12-31')).toBe(4); // 365 days (2024 is a leap year)
    expect(weightQuarters('2023-12-31', '2024-12-31')).toBe(2); // 366
    expect(weightQuarters('2023-01-01', '2024-12-31')).toBe(2); // 730
    expect(weightQuarters('2022-12-31', '2024-12-31')).toBe(1); // 731
    expect(weightQuarters('2022-01-01', '2024-12-31')).toBe(1); // 1095
    expect(weightQuarters('2021-12-31', '2024-12-31')).toBe(0); // 1096
    expect(weightQuarters('2025-01-01', '2024-12-31')).toBe(0); // after T
  });

  it('ignores records dated after the as-of date', () => {
    const later = rate(records({ complaints: [complaint('A', '2025-01-05')] }), '2024-12-31');
    expect(points(later).volume).toBe(15);
    expect(later.factors.find((f) => f.key === 'volume')!.evidence.countedComplaints).toBe(0);
  });

  it('counts a complaint still within its 10 working days and unanswered in neither sum', () => {
    // Accepted Mon 2024-12-23: the 10th working day is 2025-01-07 (New Year's Day off).
    const pending = rate(records({ complaints: [complaint('A', '2024-12-23')] }), '2025-01-07');
    expect(points(pending).responsiveness).toBe(30);
    const overdue = rate(records({ complaints: [complaint('A', '2024-12-23')] }), '2025-01-08');
    expect(points(overdue).responsiveness).toBe(0);
  });

  it('counts an answer on the 10th working day as on time, across the National Day holiday', () => {
    // Accepted 2024-09-27: 09-29, 09-30, 10-08 … 10-12 (Saturday, a workday), 10-14, 15, 16 is the 10th.
    const onTime = complaint('A', '2024-09-27', { answeredAt: [at('2024-10-16')] });
    const late = complaint('B', '2024-09-27', { answeredAt: [at('2024-10-17')] });
    expect(points(rate(records({ complaints: [onTime] }), '2024-12-31')).responsiveness).toBe(30);
    expect(points(rate(records({ complaints: [late] }), '2024-12-31')).responsiveness).toBe(0);
  });

  it('scores volume 15 at V = 1, 0 at V = 3, and in between on the line', () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => complaint(`c${i}`, '2024-06-03', { answeredAt: [at('2024-06-04')] }));
    expect(points(rate(records({ complaints: many(3) }), '2024-12-31')).volume).toBe(15); // V = 1
    expect(points(rate(records({ complaints: many(4) }), '2024-12-31')).volume).toBe(12.5); // V = 4/3
    expect(points(rate(records({ complaints: many(5) }), '2024-12-31')).volume).toBe(10); // V = 5/3
    expect(points(rate(records({ complaints: many(9) }), '2024-12-31')).volume).toBe(0); // V = 3
  });

  it('rounds each factor half-up to two decimals and makes the factors add up to the score', () => {
    // resolution 25 × 2/3 = 16.666… → 16.67; volume with V = 7/6 for a MEDIUM… use SMALL with 3.5 weighted.
    const rating = rate(
      records({
        complaints: [
          complaint('A', '2024-06-03', { status: 'MEDIATED', concludedAt: at('2024-06-20') }),
          complaint('B', '2024-06-03', { status: 'WITHDRAWN', concludedAt: at('2024-06-20') }),
          complaint('C', '2024-06-03', { status: 'MEDIATION_FAILED', concludedAt: at('2024-06-20') }),
          complaint('D', '2023-06-03', { status: 'ACCEPTED' }),
        ],
      }),
      '2024-12-31',
    );
    expect(points(rating).resolution).toBe(16.67);
    // V = 3.5 / 3: 15 × (3 − 7/6) / 2 = 13.75
    expect(points(rating).volume).toBe(13.75);
    expect(sum(rating)).toBe(rating.score);
  });

  it('grades A from 90, B from 75, C from 60 and D below', () => {
    const base = records({
      pledges: [{ id: 'p', effectiveFrom: '2020-01-01', expiresOn: null, revokedAt: null, statusChanges: [{ toStatus: 'ACTIVE', at: at('2020-01-01') }] }],
      audits: [{ id: 'a', pledgeId: 'p', auditedOn: '2024-01-01', outcome: 'COMPLIANT' }],
      enrollments: [
        { id: 's', program: 'SETTLEMENT_PLATFORM', startedAt: at('2020-01-01'), endedAt: null },
        { id: 'o', program: 'ODR', startedAt: at('2020-01-01'), endedAt: null },
      ],
    });
    expect(rate(base, '2024-12-31')).toMatchObject({ score: 100, grade: 'A' });
    // One substantiated report this year: −10 → 90, still A.
    expect(rate({ ...base, reports: [{ id: 'r', caseFiledAt: at('2024-06-01') }] }, '2024-12-31')).toMatchObject({ score: 90, grade: 'A' });
    // Plus a revocation-free violation audit of weight ¼ (−3.75): 86.25 → B.
    const b = rate({ ...base, reports: [{ id: 'r', caseFiledAt: at('2024-06-01') }], audits: [...base.audits, { id: 'v', pledgeId: 'x', auditedOn: '2022-06-01', outcome: 'VIOLATION' }] }, '2024-12-31');
    expect(b).toMatchObject({ score: 86.25, grade: 'B' });
    const noChannels = { ...base, enrollments: [] };
    // 90 − 10 (report) − 10 (no channel) − 15 (violation this year) … = 65 → C
    const c = rate({ ...noChannels, reports: [{ id: 'r', caseFiledAt: at('2024-06-01') }], audits: [...base.audits, { id: 'v', pledgeId: 'x', auditedOn: '2024-06-01', outcome: 'VIOLATION' }] }, '2024-12-31');
    expect(c).toMatchObject({ score: 65, grade: 'C' });
    const d = rate(records({ merchant: { id: 'm', sizeBand: 'SMALL', establishedOn: '2024-06-01' } }), '2024-12-31');
    expect(d).toMatchObject({ score: 70, grade: 'C' });
    expect(rate(records({ merchant: { id: 'm', sizeBand: 'SMALL', establishedOn: '2024-06-01' }, reports: [{ id: 'r', caseFiledAt: at('2024-06-01') }] }), '2024-12-31')).toMatchObject({ score: 60, grade: 'C' });
    expect(rate(records({ merchant: { id: 'm', sizeBand: 'SMALL', establishedOn: '2024-06-01' }, reports: [{ id: 'r', caseFiledAt: at('2024-06-01') }, { id: 'r2', caseFiledAt: at('2024-06-02') }] }), '2024-12-31')).toMatchObject({ score: 50, grade: 'D' });
  });

  it('caps the deductions of pledge violations and of reports at −40 each', () => {
    const reports = Array.from({ length: 6 }, (_, i) => ({ id: `r${i}`, caseFiledAt: at('2024-06-01') }));
    const rating = rate(records({ reports }), '2024-12-31');
    expect(points(rating).substantiatedReports).toBe(-40);
    expect(rating.factors.find((f) => f.key === 'substantiatedReports')!.evidence.uncappedPoints).toBe(-60);
  });

  it('clamps at zero with a clamp factor carrying the difference', () => {
    const rating = rate(
      records({
        merchant: { id: 'm', sizeBand: 'MICRO', establishedOn: '2024-01-01' },
        reports: Array.from({ length: 4 }, (_, i) => ({ id: `r${i}`, caseFiledAt: at('2024-06-01') })),
        audits: [1, 2, 3].map((i) => ({ id: `v${i}`, pledgeId: 'x', auditedOn: '2024-06-01', outcome: 'VIOLATION' as const })),
        complaints: Array.from({ length: 3 }, (_, i) => complaint(`c${i}`, '2024-06-03', { status: 'MEDIATION_FAILED', concludedAt: at('2024-06-20') })),
      }),
      '2024-12-31',
    );
    expect(rating.score).toBe(0);
    expect(rating.factors.find((f) => f.key === 'clamp')!.points).toBeGreaterThan(0);
    expect(sum(rating)).toBe(0);
  });

  it('caps the score at 59.99 on the abnormal list and at 39.99 on the serious-violation list, while listed', () => {
    const abnormal = rate(records({ listEntries: [{ id: 'l', list: 'ABNORMAL_OPERATIONS', listedOn: '2024-01-01', removedOn: null }] }), '2024-12-31');
    expect(abnormal.score).toBe(59.99);
    expect(abnormal.factors.find((f) => f.key === 'cap')).toMatchObject({ points: -20.01, limit: 59.99 });
    expect(sum(abnormal)).toBe(59.99);
    const serious = rate(records({ listEntries: [{ id: 'l', list: 'SERIOUS_VIOLATION', listedOn: '2024-01-01', removedOn: null }] }), '2024-12-31');
    expect(serious).toMatchObject({ score: 39.99, grade: 'D' });
    const removed = rate(records({ listEntries: [{ id: 'l', list: 'SERIOUS_VIOLATION', listedOn: '2024-01-01', removedOn: '2024-12-31' }] }), '2024-12-31');
    expect(removed.score).toBe(80);
  });

  it('shows NR for a merchant under 90 days old with no complaints, audits or reports, but still scores it', () => {
    const young = records({ merchant: { id: 'm', sizeBand: 'MICRO', establishedOn: '2024-10-03' } });
    expect(rate(young, '2024-12-31')).toMatchObject({ grade: 'NR', scoreGrade: 'C', score: 70 });
    expect(rate(young, '2025-01-01').grade).toBe('C'); // 90 days
    const audited = { ...young, audits: [{ id: 'a', pledgeId: 'p', auditedOn: '2024-11-01', outcome: 'COMPLIANT' as const }] };
    expect(rate(audited, '2024-12-31').grade).not.toBe('NR');
  });

  it('counts tenure in whole years, with a 29 February start completing on 1 March', () => {
    expect(wholeYears('2020-02-29', '2021-02-28')).toBe(0);
    expect(wholeYears('2020-02-29', '2021-03-01')).toBe(1);
    expect(wholeYears('2020-02-29', '2024-02-29')).toBe(4);
    expect(wholeYears('2019-12-31', '2024-12-30')).toBe(4);
    expect(wholeYears('2019-12-31', '2024-12-31')).toBe(5);
  });

  it('deducts 10 once for an unanswered complaint pattern, and not after a pattern response', () => {
    const three = ['2024-03-01', '2024-04-15', '2024-05-29'].map((d, i) => complaint(`p${i}`, d, { issueType: 'REFUSED_RETURN' }));
    expect(points(rate(records({ complaints: three }), '2024-12-31')).complaintPattern).toBe(-10);
    // 2024-03-01 → 2024-05-30 is 90 days: no pattern.
    const spread = ['2024-03-01', '2024-04-15', '2024-05-30'].map((d, i) => complaint(`s${i}`, d, { issueType: 'REFUSED_RETURN' }));
    expect(points(rate(records({ complaints: spread }), '2024-12-31')).complaintPattern).toBe(0);
    const respondedBefore = [{ id: 'r', issueType: 'REFUSED_RETURN', respondedAt: at('2024-05-28') }];
    expect(points(rate(records({ complaints: three, patternResponses: respondedBefore }), '2024-12-31')).complaintPattern).toBe(-10);
    const respondedAfter = [{ id: 'r', issueType: 'REFUSED_RETURN', respondedAt: at('2024-05-29') }];
    expect(points(rate(records({ complaints: three, patternResponses: respondedAfter }), '2024-12-31')).complaintPattern).toBe(0);
  });

  it('deducts 10 from a host whose fund is below its minimum, and 5 per unreimbursed payout from a tenant', () => {
    const fund = { id: 'f', requiredMinimumFen: 100_000, openedAt: at('2023-01-01'), entries: [{ id: 'd', kind: 'DEPOSIT', amountFen: 100_000, occurredAt: at('2023-01-01') }] };
    expect(points(rate(records({ hostsTenants: true, fund }), '2024-12-31')).compensationFund).toBe(0);
    const paid = { ...fund, entries: [...fund.entries, { id: 'p', kind: 'PAYOUT', amountFen: 1, occurredAt: at('2024-06-01') }] };
    expect(points(rate(records({ hostsTenants: true, fund: paid }), '2024-12-31')).compensationFund).toBe(-10);
    expect(points(rate(records({ hostsTenants: true }), '2024-12-31')).compensationFund).toBe(-10);
    const payouts = [1, 2, 3, 4].map((i) => ({ id: `p${i}`, amountFen: 1000, occurredAt: at('2024-06-01'), reimbursements: [] }));
    expect(points(rate(records({ payoutsForTenant: payouts }), '2024-12-31')).compensationFund).toBe(-15);
    const repaid = [{ id: 'p', amountFen: 1000, occurredAt: at('2024-06-01'), reimbursements: [{ amountFen: 1000, occurredAt: at('2024-07-01') }] }];
    expect(points(rate(records({ payoutsForTenant: repaid }), '2024-12-31')).compensationFund).toBe(0);
    expect(points(rate(records({ payoutsForTenant: repaid }), '2024-06-30')).compensationFund).toBe(-5);
  });

  it('adds 1 per praise in the last year, at most 3', () => {
    const praise = [1, 2, 3, 4].map((i) => ({ id: `g${i}`, receivedAt: at('2024-06-01') }));
    expect(points(rate(records({ praise }), '2024-12-31')).praise).toBe(3);
    expect(points(rate(records({ praise: praise.slice(0, 1) }), '2025-06-02')).praise).toBe(0);
  });

  it('counts a pledge only while ACTIVE on T and effective, and its last audit before T', () => {
    const pledge = {
      id: 'p',
      effectiveFrom: '2024-01-01',
      expiresOn: '2025-01-01',
      revokedAt: null,
      statusChanges: [
        { toStatus: 'ACTIVE', at: at('2024-01-01') },
        { toStatus: 'SUSPENDED', at: at('2024-07-01') },
        { toStatus: 'ACTIVE', at: at('2024-08-01') },
      ],
    };
    const audits = [
      { id: 'a1', pledgeId: 'p', auditedOn: '2024-03-01', outcome: 'VIOLATION' as const },
      { id: 'a2', pledgeId: 'p', auditedOn: '2024-09-01', outcome: 'MINOR_ISSUES' as const },
    ];
    expect(points(rate(records({ pledges: [pledge] }), '2024-06-30')).pledge).toBe(7);
    expect(points(rate(records({ pledges: [pledge] }), '2024-07-15')).pledge).toBe(0);
    expect(points(rate(records({ pledges: [pledge], audits }), '2024-06-30')).pledge).toBe(0);
    expect(points(rate(records({ pledges: [pledge], audits }), '2024-12-31')).pledge).toBe(10);
    expect(points(rate(records({ pledges: [pledge], audits }), '2025-01-01')).pledge).toBe(0);
  });
});
