import { exactFen } from '../../domain/money';
import { BadUserInputError, ConflictError } from '../../errors';
import { and, count, desc, eq, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../../db';
import { waveLoader, type LoadWaves } from '../../common/load-waves';
import { compensationFunds, fundLedgerEntries, merchants } from '../../db/schema';
import { remainingReimbursable } from '../../domain/ledger';
import { balanceSql } from './fund.sql';
import type { FundRow, LedgerEntryRow, LedgerEntryView } from './fund.type';
import { anyUuid } from '../../db/any';
import { decodeCursor, encodeCursor, pageLoader } from '../../graphql/connection';
import { UUID_PATTERN } from '../../domain/ids';

/** The entries after a cursor of a newest-first ledger page; anything else is BAD_USER_INPUT on `after`. */
export function ledgerAfterCursor(after: string): SQL {
  const [at, id] = decodeCursor(after, 2);
  if (typeof at !== 'string' || Number.isNaN(Date.parse(at)) || typeof id !== 'string' || !UUID_PATTERN.test(id)) {
    throw new BadUserInputError('after is not a cursor returned by this list', 'after');
  }
  return sql`(${fundLedgerEntries.occurredAt}, ${fundLedgerEntries.id}) < (${at}::timestamptz, ${id}::uuid)`;
}

export interface OutstandingPayoutRow {
  payout: LedgerEntryView;
  reimbursedFen: number;
  outstandingFen: number;
}

function byKey<K, V>(rows: readonly V[], key: (row: V) => K): Map<K, V> {
  return new Map(rows.map((row) => [key(row), row]));
}

/** Per-request DataLoaders of this module; made in createContext, never shared across requests. */
export function createFundLoaders(db: Db, waves: LoadWaves) {
  return {
    fundById: waveLoader<string, FundRow | null>(waves, async (ids) => {
      const rows = await db.select().from(compensationFunds).where(anyUuid(compensationFunds.id, ids));
      const found = byKey(rows, (r) => r.id);
      return ids.map((id) => found.get(id) ?? null);
    }),

    fundByHost: waveLoader<string, FundRow | null>(waves, async (hostIds) => {
      const rows = await db.select().from(compensationFunds).where(anyUuid(compensationFunds.hostMerchantId, hostIds));
      const found = byKey(rows, (r) => r.hostMerchantId);
      return hostIds.map((id) => found.get(id) ?? null);
    }),

    /** Balances derived from the ledger, one grouped aggregate for all funds of a request. */
    fundBalance: waveLoader<string, number>(waves, async (fundIds) => {
      const rows = await db
        .select({ fundId: fundLedgerEntries.fundId, balance: balanceSql() })
        .from(fundLedgerEntries)
        .where(anyUuid(fundLedgerEntries.fundId, fundIds))
        .groupBy(fundLedgerEntries.fundId);
      const found = byKey(rows, (r) => r.fundId);
      // Writes keep every balance within 2^53 (FundService.record); an older ledger past it is refused, not misread.
      return fundIds.map((id) => exactFen(found.get(id)?.balance) ?? new ConflictError('The fund balance passes the largest exact figure', { fundId: id }));
    }),

    /** A page of each fund's ledger, newest first, with its total: one statement per page size and cursor. */
    ledgerPagesByFund: pageLoader<LedgerEntryRow>(waves, async (fundIds, limit, after) => {
        const own = eq(fundLedgerEntries.fundId, compensationFunds.id);
        const total = db.select({ n: count().as('n') }).from(fundLedgerEntries).where(own).as('total');
        const page = db
          .select()
          .from(fundLedgerEntries)
          .where(and(own, after ? ledgerAfterCursor(after) : undefined))
          .orderBy(desc(fundLedgerEntries.occurredAt), desc(fundLedgerEntries.id))
          .limit(limit + 1)
          .as('page');
        const rows = await db
          .select({ parentId: compensationFunds.id, total: total.n, node: page._.selectedFields })
          .from(compensationFunds)
          .innerJoinLateral(total, sql`true`)
          .leftJoinLateral(page, sql`true`)
          .where(anyUuid(compensationFunds.id, fundIds))
          .orderBy(compensationFunds.id, desc(page.occurredAt), desc(page.id));
        return rows.map((row) => ({ ...row, node: row.node?.id ? row.node : null }));
      },
      (entry) => encodeCursor([entry.occurredAt.toISOString(), entry.id]),
    ),

    /** Payouts made for each tenant that are not fully reimbursed yet, oldest first. */
    outstandingPayoutsByTenant: waveLoader<string, OutstandingPayoutRow[]>(waves, async (tenantIds) => {
      const repaid = alias(fundLedgerEntries, 'repaid');
      const rows = await db
        .select({
          payout: fundLedgerEntries,
          hostId: merchants.id,
          hostRegionCode: merchants.regionCode,
          reimbursed: sql<string>`coalesce(sum(${repaid.amountFen}), 0)::text`,
        })
        .from(fundLedgerEntries)
        .innerJoin(compensationFunds, eq(compensationFunds.id, fundLedgerEntries.fundId))
        .innerJoin(merchants, eq(merchants.id, compensationFunds.hostMerchantId))
        .leftJoin(repaid, and(eq(repaid.reimbursesEntryId, fundLedgerEntries.id), eq(repaid.kind, 'REIMBURSEMENT')))
        .where(and(eq(fundLedgerEntries.kind, 'PAYOUT'), anyUuid(fundLedgerEntries.tenantMerchantId, tenantIds)))
        .groupBy(fundLedgerEntries.id, merchants.id)
        .orderBy(fundLedgerEntries.occurredAt, fundLedgerEntries.id);
      const byTenant = new Map<string, OutstandingPayoutRow[]>();
      for (const row of rows) {
        const reimbursedFen = Number(row.reimbursed);
        const outstandingFen = remainingReimbursable(row.payout.amountFen, [reimbursedFen]);
        if (outstandingFen === 0) continue;
        const view: LedgerEntryView = { ...row.payout, host: { id: row.hostId, regionCode: row.hostRegionCode } };
        const tenant = row.payout.tenantMerchantId!;
        const list = byTenant.get(tenant) ?? [];
        list.push({ payout: view, reimbursedFen, outstandingFen });
        byTenant.set(tenant, list);
      }
      return tenantIds.map((id) => byTenant.get(id) ?? []);
    }),
  };
}

export type FundLoaders = ReturnType<typeof createFundLoaders>;
