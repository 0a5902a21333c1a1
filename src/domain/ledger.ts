/**
 * Money rules of a compensation fund's ledger (消费维权赔偿预付 / 先行赔付). Pure: amounts are integer
 * fen held in JS numbers, exact up to Number.MAX_SAFE_INTEGER (about 90 trillion yuan).
 */

export type LedgerEntryKind = 'DEPOSIT' | 'PAYOUT' | 'REIMBURSEMENT' | 'WITHDRAWAL';

/**
 * The sign each kind gives its (always positive) amount. Deposits and tenants' reimbursements
 * fill the fund; payouts to consumers and withdrawals by the host drain it. The SQL balance is
 * built from this table too, so the database and these rules cannot disagree.
 */
export const LEDGER_SIGN: Readonly<Record<LedgerEntryKind, 1 | -1>> = Object.freeze({
  DEPOSIT: 1,
  PAYOUT: -1,
  REIMBURSEMENT: 1,
  WITHDRAWAL: -1,
});

/** Kinds that take money out of the fund and so may not exceed its balance. */
export function isDebit(kind: LedgerEntryKind): boolean {
  return LEDGER_SIGN[kind] < 0;
}

/** The amount with the sign of its kind. */
export function signedAmount(entry: { kind: LedgerEntryKind; amountFen: number }): number {
  return LEDGER_SIGN[entry.kind] * entry.amountFen;
}

/** A fund's balance: the signed sum of its entries (it is never stored apart from them). */
export function balanceOf(entries: readonly { kind: LedgerEntryKind; amountFen: number }[]): number {
  let balance = 0;
  for (const entry of entries) balance += signedAmount(entry);
  return balance;
}

/**
 * Why `value` is not a usable amount of money in fen, or null when it is. `allowZero` is for
 * limits such as a fund's required minimum; ledger amounts must be positive.
 */
export function amountProblem(value: number, options: { allowZero?: boolean } = {}): string | null {
  if (!Number.isInteger(value)) return 'must be a whole number of fen';
  if (!Number.isSafeInteger(value)) return `must be at most ${Number.MAX_SAFE_INTEGER} fen`;
  if (options.allowZero ? value < 0 : value <= 0) return options.allowZero ? 'must not be negative' : 'must be positive';
  return null;
}

/** Whether a debit (payout or withdrawal) of `amountFen` fits the balance without overdrawing. */
export function fitsBalance(balanceFen: number, amountFen: number): boolean {
  return amountFen <= balanceFen;
}

/** What is still owed on a payout, given the reimbursements that reference it so far. */
export function remainingReimbursable(payoutFen: number, reimbursedFen: readonly number[]): number {
  const repaid = reimbursedFen.reduce((sum, amount) => sum + amount, 0);
  return Math.max(0, payoutFen - repaid);
}

/** A fund whose balance has fallen below its required minimum (the rating deducts for it). */
export function isBelowMinimum(balanceFen: number, requiredMinimumFen: number): boolean {
  return balanceFen < requiredMinimumFen;
}

/** What makes two ledger requests "the same" for idempotency: the note is free text and not compared. */
export interface LedgerRequest {
  kind: LedgerEntryKind;
  amountFen: number;
  tenantMerchantId: string | null;
  appealId: string | null;
  reimbursesEntryId: string | null;
}

/**
 * The fields in which a retried request differs from the entry already recorded under its
 * idempotency key; empty when the retry may simply return that entry.
 */
export function idempotencyMismatch(recorded: LedgerRequest, retried: LedgerRequest): (keyof LedgerRequest)[] {
  const fields: (keyof LedgerRequest)[] = ['kind', 'amountFen', 'tenantMerchantId', 'appealId', 'reimbursesEntryId'];
  return fields.filter((field) => normalise(recorded[field]) !== normalise(retried[field]));
}

// Ids may arrive in either case from clients; nulls and undefined mean "no link".
function normalise(value: string | number | null | undefined): string | number | null {
  if (value === undefined || value === null) return null;
  return typeof value === 'string' ? value.toLowerCase() : value;
}
