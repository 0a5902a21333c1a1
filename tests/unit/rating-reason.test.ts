import { rate, type RatingRecords } from '../../src/domain/rating/v1';
import { factorReason, formatPoints } from '../../src/domain/rating/reason';
import { at, records } from '../helpers/rating-records';

const complaint = (id: string, accepted: string, extra: Partial<RatingRecords['complaints'][number]> = {}) => ({
  id,
  acceptedAt: at(accepted),
  status: 'ACCEPTED',
  concludedAt: null,
  issueType: 'QUALITY',
  answeredAt: [] as Date[],
  ...extra,
});

/** Each factor's reason, by key, of the rating of `r` on `asOf`. */
const reasons = (r: RatingRecords, asOf = '2024-12-31') => Object.fromEntries(rate(r, asOf).factors.map((f) => [f.key, factorReason(f)]));

// The keys of the model (RatingFactor.key in the schema, docs/rating.md).
const ALL_KEYS = ['responsiveness', 'resolution', 'volume', 'pledge', 'disputeChannel', 'tenure', 'pledgeViolations', 'substantiatedReports', 'complaintPattern', 'compensationFund', 'praise', 'clamp', 'cap'];

const workedExample = records({
  merchant: { id: 'm', sizeBand: 'SMALL', establishedOn: '2019-03-01' },
  pledges: [{ id: 'p', effectiveFrom: '2022-01-10', expiresOn: null, revokedAt: null, statusChanges: [{ toStatus: 'ACTIVE', at: at('2022-01-10') }] }],
  audits: [{ id: 'a', pledgeId: 'p', auditedOn: '2024-05-01', outcome: 'COMPLIANT' }],
  enrollments: [{ id: 'e', program: 'SETTLEMENT_PLATFORM', startedAt: at('2023-01-01'), endedAt: null }],
  complaints: [
    complaint('A', '2024-03-04', { answeredAt: [at('2024-03-08')], status: 'MEDIATED', concludedAt: at('2024-03-20') }),
    complaint('B', '2023-11-20', { answeredAt: [at('2023-12-20')], status: 'MEDIATION_FAILED', concludedAt: at('2024-01-10'), issueType: 'PRICE' }),
  ],
});

describe('factorReason', () => {
  it('explains every factor of the worked example (77.67, B) from its counts', () => {
    expect(reasons(workedExample)).toEqual({
      responsiveness: '近三年应答复的投诉 2 件，按时答复 1 件、逾期或未答复 1 件，得 20/30 分',
      resolution: '近三年办结投诉 2 件，其中调解成功或撤回 1 件，得 16.67/25 分',
      volume: '近三年受理投诉 2 件（按时间加权 1.5 件），本规模商户允许 3 件，得 15/15 分',
      pledge: '七日无理由退货承诺有效，最近一次核查（2024-05-01）合格，得 10/10 分',
      disputeChannel: '已入驻湖北315消费纠纷和解平台，不是ODR企业，得 6/10 分',
      tenure: '成立满 5 年，得 10/10 分',
      pledgeViolations: '近三年承诺核查没有违规，承诺也未被撤销，不扣分',
      substantiatedReports: '近三年没有经举报立案的案件，不扣分',
      complaintPattern: '近一年没有同类问题在 89 天内被投诉 3 次以上，不扣分',
      compensationFund: '没有先行赔付记录，不扣分',
      praise: '近一年没有收到消费者表扬，不加分',
    });
  });

  it('says when there was nothing to count, and mentions complaints still within their answer period', () => {
    const young = reasons(records({ merchant: { id: 'm', sizeBand: 'MICRO', establishedOn: '2024-06-01' } }));
    expect(young.responsiveness).toBe('近三年没有应答复的投诉，得 30/30 分');
    expect(young.resolution).toBe('近三年没有办结的投诉，得 25/25 分');
    expect(young.pledge).toBe('没有有效的七日无理由退货承诺，得 0/10 分');
    expect(young.disputeChannel).toBe('未入驻湖北315消费纠纷和解平台，不是ODR企业，得 0/10 分');
    expect(young.tenure).toBe('成立满 0 年，得 0/10 分');
    const pending = reasons(records({ complaints: [complaint('c', '2024-12-30')] }));
    expect(pending.responsiveness).toBe('近三年没有应答复的投诉，另有 1 件尚在 10 个工作日答复期内，得 30/30 分');
  });

  it('names the audit outcome of the pledge in effect, or its absence', () => {
    const pledge = { id: 'p', effectiveFrom: '2024-01-01', expiresOn: null, revokedAt: null, statusChanges: [{ toStatus: 'ACTIVE', at: at('2024-01-01') }] };
    expect(reasons(records({ pledges: [pledge] })).pledge).toBe('七日无理由退货承诺有效，尚未核查，得 7/10 分');
    const violated = reasons(records({ pledges: [pledge], audits: [{ id: 'a', pledgeId: 'p', auditedOn: '2024-06-01', outcome: 'VIOLATION' }] }));
    expect(violated.pledge).toBe('七日无理由退货承诺有效，最近一次核查（2024-06-01）违规，得 0/10 分');
    expect(violated.pledgeViolations).toBe('近三年承诺核查违规 1 次、承诺被撤销 0 次，扣 15 分');
  });

  it('says when a deduction reached its bound', () => {
    const many = reasons(
      records({
        audits: [1, 2, 3].map((i) => ({ id: `v${i}`, pledgeId: 'x', auditedOn: '2024-06-01', outcome: 'VIOLATION' as const })),
        reports: Array.from({ length: 5 }, (_, i) => ({ id: `r${i}`, caseFiledAt: at('2024-06-01') })),
      }),
    );
    expect(many.pledgeViolations).toBe('近三年承诺核查违规 3 次、承诺被撤销 0 次，扣 40 分（最多扣 40 分）');
    expect(many.substantiatedReports).toBe('近三年经举报立案 5 件，扣 40 分（最多扣 40 分）');
    const two = reasons(records({ reports: [1, 2].map((i) => ({ id: `r${i}`, caseFiledAt: at('2024-06-01') })) }));
    expect(two.substantiatedReports).toBe('近三年经举报立案 2 件，扣 20 分');
  });

  it('names the issue types of complaint patterns, answered or not', () => {
    const three = ['2024-03-01', '2024-04-15', '2024-05-29'].map((d, i) => complaint(`p${i}`, d, { issueType: 'REFUSED_RETURN' }));
    expect(reasons(records({ complaints: three })).complaintPattern).toBe('近一年同类问题（拒绝退换货）在 89 天内被投诉 3 次以上且未作回应，扣 10 分');
    const responded = [{ id: 'r', issueType: 'REFUSED_RETURN', respondedAt: at('2024-05-29') }];
    expect(reasons(records({ complaints: three, patternResponses: responded })).complaintPattern).toBe('近一年同类问题（拒绝退换货）集中被投诉，已作回应，不扣分');
  });

  it('explains the fund of a host and the payouts of a tenant', () => {
    const fund = { id: 'f', requiredMinimumFen: 100_000, openedAt: at('2023-01-01'), entries: [{ id: 'd', kind: 'DEPOSIT', amountFen: 100_000, occurredAt: at('2023-01-01') }] };
    expect(reasons(records({ hostsTenants: true, fund })).compensationFund).toBe('先行赔付基金余额 1000.00 元，不低于最低额 1000.00 元，不扣分');
    const paid = { ...fund, entries: [...fund.entries, { id: 'p', kind: 'PAYOUT', amountFen: 1, occurredAt: at('2024-06-01') }] };
    expect(reasons(records({ hostsTenants: true, fund: paid })).compensationFund).toBe('先行赔付基金余额 999.99 元，低于最低额 1000.00 元，扣 10 分');
    expect(reasons(records({ hostsTenants: true })).compensationFund).toBe('作为市场或平台开办者，没有先行赔付基金，扣 10 分');
    const payouts = [1, 2, 3, 4].map((i) => ({ id: `p${i}`, amountFen: 1000, occurredAt: at('2024-06-01'), reimbursements: [] }));
    expect(reasons(records({ payoutsForTenant: payouts })).compensationFund).toBe('近一年开办者为其先行赔付、尚未偿还 4 笔，扣 15 分（最多扣 15 分）');
    const repaid = [{ id: 'p', amountFen: 1000, occurredAt: at('2024-06-01'), reimbursements: [{ amountFen: 1000, occurredAt: at('2024-07-01') }] }];
    expect(reasons(records({ payoutsForTenant: repaid })).compensationFund).toBe('近一年没有开办者为其先行赔付而未偿还的款项，不扣分');
  });

  it('explains praise, the clamp and the list caps', () => {
    const praise = Array.from({ length: 4 }, (_, i) => ({ id: `g${i}`, receivedAt: at('2024-06-01') }));
    expect(reasons(records({ praise })).praise).toBe('近一年收到消费者表扬 4 件，加 3 分（最多加 3 分）');
    const clamped = reasons(
      records({
        merchant: { id: 'm', sizeBand: 'MICRO', establishedOn: '2024-01-01' },
        reports: Array.from({ length: 4 }, (_, i) => ({ id: `r${i}`, caseFiledAt: at('2024-06-01') })),
        audits: [1, 2, 3].map((i) => ({ id: `v${i}`, pledgeId: 'x', auditedOn: '2024-06-01', outcome: 'VIOLATION' as const })),
        complaints: Array.from({ length: 3 }, (_, i) => complaint(`c${i}`, '2024-06-03', { status: 'MEDIATION_FAILED', concludedAt: at('2024-06-20') })),
      }),
    );
    expect(clamped.clamp).toMatch(/^各项合计 -\d+(\.\d+)? 分，超出 0 至 100 分，加 \d+(\.\d+)? 分$/);
    expect(reasons(records({ listEntries: [{ id: 'l', list: 'ABNORMAL_OPERATIONS', listedOn: '2024-01-01', removedOn: null }] })).cap).toBe(
      '列入经营异常名录，评分最高 59.99 分，减 20.01 分',
    );
    expect(reasons(records({ listEntries: [{ id: 'l', list: 'SERIOUS_VIOLATION', listedOn: '2024-01-01', removedOn: null }] })).cap).toBe(
      '列入严重违法失信名单，评分最高 39.99 分，减 40.01 分',
    );
  });

  it('covers every factor key of the model with its own line, never a record id', () => {
    const samples = [
      workedExample,
      records({ listEntries: [{ id: 'list-entry-id', list: 'ABNORMAL_OPERATIONS', listedOn: '2024-01-01', removedOn: null }] }),
      records({
        merchant: { id: 'm', sizeBand: 'MICRO', establishedOn: '2024-01-01' },
        reports: Array.from({ length: 4 }, (_, i) => ({ id: `report-${i}`, caseFiledAt: at('2024-06-01') })),
        audits: [1, 2, 3].map((i) => ({ id: `audit-${i}`, pledgeId: 'x', auditedOn: '2024-06-01', outcome: 'VIOLATION' as const })),
      }),
    ];
    const seen = new Set<string>();
    for (const sample of samples) {
      for (const f of rate(sample, '2024-12-31').factors) {
        seen.add(f.key);
        const reason = factorReason(f);
        expect(reason).not.toMatch(/不计分|^[加扣] /); // not the fallback for an unknown key
        for (const id of f.evidence.recordIds) expect(reason).not.toContain(id);
        expect(reason).not.toContain('\n');
      }
    }
    expect([...seen].sort()).toEqual([...ALL_KEYS].sort());
  });

  it('reads stored factors with missing evidence without failing, and an unknown key plainly', () => {
    expect(factorReason({ key: 'volume', points: 15, max: 15, limit: null, evidence: {} })).toBe('近三年受理投诉 0 件（按时间加权 0 件），本规模商户允许 0 件，得 15/15 分');
    expect(factorReason({ key: 'future', points: -2.5, max: null, limit: -5, evidence: {} })).toBe('扣 2.5 分');
    expect(formatPoints(-16.67)).toBe('16.67');
  });
});
