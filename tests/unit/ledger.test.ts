import {
  amountProblem,
  balanceOf,
  fitsBalance,
  idempotencyMismatch,
  isBelowMinimum,
  isDebit,
  LEDGER_SIGN,
  remainingReimbursable,
  signedAmount,
  type LedgerRequest,
} from '../../src/domain/ledger';

describe('fund ledger rules', () => {
  it('adds deposits and reimbursements and subtracts payouts and withdrawals', () => {
    expect(
      balanceOf([
        { kind: 'DEPOSIT', amountFen: 100_000 },
        { kind: 'PAYOUT', amountFen: 30_000 },
        { kind: 'REIMBURSEMENT', amountFen: 10_000 },
        { kind: 'WITHDRAWAL', amountFen: 5_000 },
      ]),
    ).toBe(75_000);
    expect(balanceOf([])).toBe(0);
  });

  it('gives payouts and withdrawals a negative sign and treats only them as debits', () => {
    expect(signedAmount({ kind: 'PAYOUT', amountFen: 7 })).toBe(-7);
    expect(signedAmount({ kind: 'REIMBURSEMENT', amountFen: 7 })).toBe(7);
    expect((Object.keys(LEDGER_SIGN) as (keyof typeof LEDGER_SIGN)[]).filter(isDebit)).toEqual(['PAYOUT', 'WITHDRAWAL']);
  });

  it('keeps balances exact beyond the 32-bit range (more than 21,474,836.47 yuan)', () => {
    const big = 2 ** 31 + 1;
    expect(balanceOf([{ kind: 'DEPOSIT', amountFen: big }, { kind: 'DEPOSIT', amountFen: big }])).toBe(2 * big);
  });

  it('accepts positive whole fen and refuses zero, negatives, fractions and unsafe integers', () => {
    expect(amountProblem(1)).toBeNull();
    expect(amountProblem(Number.MAX_SAFE_INTEGER)).toBeNull();
    expect(amountProblem(0)).toMatch(/positive/);
    expect(amountProblem(-5)).toMatch(/positive/);
    expect(amountProblem(1.5)).toMatch(/whole/);
    expect(amountProblem(Number.NaN)).toMatch(/whole/);
    expect(amountProblem(2 ** 53)).toMatch(/at most/);
  });

  it('allows a zero minimum but not a negative one', () => {
    expect(amountProblem(0, { allowZero: true })).toBeNull();
    expect(amountProblem(-1, { allowZero: true })).toMatch(/negative/);
  });

  it('lets a debit take the whole balance but not one fen more', () => {
    expect(fitsBalance(500, 500)).toBe(true);
    expect(fitsBalance(500, 501)).toBe(false);
    expect(fitsBalance(0, 1)).toBe(false);
  });

  it('computes what is still owed on a payout and never goes below zero', () => {
    expect(remainingReimbursable(10_000, [])).toBe(10_000);
    expect(remainingReimbursable(10_000, [2_500, 2_500])).toBe(5_000);
    expect(remainingReimbursable(10_000, [10_000])).toBe(0);
    expect(remainingReimbursable(10_000, [12_000])).toBe(0);
  });

  it('is below the minimum only when strictly less', () => {
    expect(isBelowMinimum(99, 100)).toBe(true);
    expect(isBelowMinimum(100, 100)).toBe(false);
  });

  describe('idempotency', () => {
    const payout: LedgerRequest = {
      kind: 'PAYOUT',
      amountFen: 800,
      tenantMerchantId: 'AAAAAAAA-0000-4000-8000-000000000001',
      appealId: null,
      reimbursesEntryId: null,
    };

    it('treats an identical retry as the same request, whatever the case of its ids', () => {
      expect(idempotencyMismatch(payout, { ...payout, tenantMerchantId: payout.tenantMerchantId!.toLowerCase() })).toEqual([]);
    });

    it('names every field in which a retry differs', () => {
      expect(idempotencyMismatch(payout, { ...payout, amountFen: 801 })).toEqual(['amountFen']);
      expect(idempotencyMismatch(payout, { ...payout, kind: 'WITHDRAWAL', tenantMerchantId: null })).toEqual([
        'kind',
        'tenantMerchantId',
      ]);
      expect(idempotencyMismatch(payout, { ...payout, appealId: 'bbbbbbbb-0000-4000-8000-000000000002' })).toEqual(['appealId']);
    });
  });
});
