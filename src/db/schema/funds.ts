import { sql } from 'drizzle-orm';
import { check, foreignKey, index, pgTable, text, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { actor, createdAt, fen, id, instant } from './columns';
import { ledgerEntryKind } from './enums';
import { merchants } from './merchants';
import { appeals } from './appeals';

/**
 * A host's prepaid compensation fund (消费维权赔偿预付 / 先行赔付). Its balance is derived from the
 * ledger and never stored apart from it.
 */
export const compensationFunds = pgTable(
  'compensation_funds',
  {
    id: id(),
    hostMerchantId: uuid('host_merchant_id')
      .notNull()
      .references(() => merchants.id, { onDelete: 'restrict' }),
    requiredMinimumFen: fen('required_minimum_fen').notNull(),
    openedAt: instant('opened_at').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('compensation_funds_host_key').on(t.hostMerchantId),
    check('compensation_funds_minimum_non_negative', sql`${t.requiredMinimumFen} >= 0`),
  ],
);

/** Append-only ledger of a fund; amounts are positive, the kind gives the sign. */
export const fundLedgerEntries = pgTable(
  'fund_ledger_entries',
  {
    id: id(),
    fundId: uuid('fund_id')
      .notNull()
      .references(() => compensationFunds.id, { onDelete: 'restrict' }),
    kind: ledgerEntryKind('kind').notNull(),
    amountFen: fen('amount_fen').notNull(),
    occurredAt: instant('occurred_at').notNull(),
    /** PAYOUT: the appeal it compensates and the tenant it was paid for. */
    appealId: uuid('appeal_id').references(() => appeals.id, { onDelete: 'restrict' }),
    tenantMerchantId: uuid('tenant_merchant_id').references(() => merchants.id, { onDelete: 'restrict' }),
    /** REIMBURSEMENT: the payout it repays (in the same fund: see the composite key below). */
    reimbursesEntryId: uuid('reimburses_entry_id'),
    idempotencyKey: text('idempotency_key').notNull(),
    note: text('note'),
    actor: actor(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('fund_ledger_entries_idempotency_key').on(t.fundId, t.idempotencyKey),
    index('fund_ledger_entries_fund_idx').on(t.fundId, t.occurredAt),
    index('fund_ledger_entries_tenant_idx').on(t.tenantMerchantId),
    index('fund_ledger_entries_reimburses_idx').on(t.reimbursesEntryId),
    check('fund_ledger_entries_amount_positive', sql`${t.amountFen} > 0`),
    unique('fund_ledger_entries_fund_entry_key').on(t.fundId, t.id),
    foreignKey({
      name: 'fund_ledger_entries_reimburses_same_fund_fk',
      columns: [t.fundId, t.reimbursesEntryId],
      foreignColumns: [t.fundId, t.id],
    }).onDelete('restrict'),
    check(
      'fund_ledger_entries_tenant_links',
      sql`(${t.kind} IN ('PAYOUT', 'REIMBURSEMENT')) = (${t.tenantMerchantId} IS NOT NULL)`,
    ),
    check('fund_ledger_entries_appeal_only_on_payout', sql`${t.appealId} IS NULL OR ${t.kind} = 'PAYOUT'`),
    check(
      'fund_ledger_entries_reimbursement_links',
      sql`(${t.kind} = 'REIMBURSEMENT') = (${t.reimbursesEntryId} IS NOT NULL)`,
    ),
  ],
);
