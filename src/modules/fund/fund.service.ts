import { requireId } from '../../common/access';
import { optionalText } from '../../common/input';
import { and, asc, count, eq, like, sql, type SQL } from 'drizzle-orm';
import type { RequestScope } from '../../request-scope';
import type { Tx } from '../../db';
import { appeals, compensationFunds, fundLedgerEntries, merchants } from '../../db/schema';
import { actorOf } from '../../auth/viewer';
import { governsRegion, mayManageMerchant, ownsMerchant } from '../../auth/policy';
import {
  amountProblem,
  fitsBalance,
  idempotencyMismatch,
  isBelowMinimum,
  isDebit,
  remainingReimbursable,
  signedAmount,
  type LedgerRequest,
} from '../../domain/ledger';
import { BadUserInputError, ConflictError, ForbiddenError, NotFoundError } from '../../errors';
import { pageSize, type Connection } from '../../graphql/connection';
import { mutate, type MutationScope } from '../../mutation';
import type { MerchantRow } from '../merchant/merchant.type';
import { balanceSql, belowMinimumSql } from './fund.sql';
import { assertGoverns } from '../../common/access';
import { requireRegionCode } from '../../common/input';
import { regionPrefix } from '../../domain/region';
import { decodeCursor, encodeCursor, toConnection } from '../../graphql/connection';
import { UUID_PATTERN } from '../../domain/ids';
import { exactFen } from '../../domain/money';
import type { FundRow, LedgerEntryKind, LedgerEntryRow, LedgerEntryView } from './fund.type';
import { ledgerAfterCursor } from './fund.loaders';

const MAX_KEY_LENGTH = 200;
/** A fund's balance never passes this (Number.MAX_SAFE_INTEGER fen), so every read of it is exact. */
export const MAX_BALANCE_FEN = Number.MAX_SAFE_INTEGER;
const MAX_NOTE_LENGTH = 500;

/**
 * Industries that are markets or trading platforms by nature (消保法 Art. 43/44) and so may keep a
 * fund before their first tenant is registered.
 */
const HOST_INDUSTRIES: ReadonlySet<string> = new Set([
  'SHOPPING_CENTER',
  'FARMERS_MARKET',
  'FURNITURE_BUILDING_MATERIALS_MARKET',
  'FOOD_DELIVERY_PLATFORM',
]);

const VERBS: Record<LedgerEntryKind, string> = {
  DEPOSIT: 'fund.deposit',
  PAYOUT: 'fund.payout',
  REIMBURSEMENT: 'fund.reimburse',
  WITHDRAWAL: 'fund.withdraw',
};

export interface LedgerArgs {
  fundId: string;
  amountFen: number;
  idempotencyKey: string;
  note?: string | null;
  tenantMerchantId?: string | null;
  appealId?: string | null;
  payoutEntryId?: string | null;
}

export interface LedgerResultRow {
  entry: LedgerEntryView;
  replayed: boolean;
  fund: FundRow;
}


function requireAmount(value: number, field: string, options: { allowZero?: boolean } = {}): number {
  const problem = amountProblem(value, options);
  if (problem) throw new BadUserInputError(`${field} ${problem}`, field);
  return value;
}

/** Use cases of compensation funds: opening, minimums and the append-only ledger. */
export class FundService {
  constructor(private readonly scope: RequestScope) {}

  /**
   * A fund as it is now with its balance, read past the request's loaders: for delivering a
   * `fund` event, which the subscription's filter has already authorised. Null once it is gone.
   */
  async balanceNow(fundId: string): Promise<{ fund: FundRow; balanceFen: number; requiredMinimumFen: number; belowMinimum: boolean } | null> {
    const [fund] = await this.scope.db.select().from(compensationFunds).where(eq(compensationFunds.id, fundId));
    if (!fund) return null;
    const [row] = await this.scope.db.select({ balance: balanceSql() }).from(fundLedgerEntries).where(eq(fundLedgerEntries.fundId, fund.id));
    const balanceFen = Number(row?.balance ?? 0);
    return { fund, balanceFen, requiredMinimumFen: fund.requiredMinimumFen, belowMinimum: isBelowMinimum(balanceFen, fund.requiredMinimumFen) };
  }

  /**
   * The funds of hosts in a region the viewer governs, by id; with `belowMinimum` only those
   * whose balance today is below (true) or not below (false) their minimum, decided in SQL by
   * the ledger's sign table so that a page is whole.
   */
  async inRegion(regionCode: string, belowMinimum: boolean | null | undefined, first?: number | null, after?: string | null): Promise<Connection<FundRow>> {
    requireRegionCode(regionCode, 'regionCode');
    assertGoverns(this.scope.viewer, regionCode);
    const limit = pageSize(first);
    let keyset: SQL | undefined;
    if (after) {
      const [id] = decodeCursor(after, 1);
      if (typeof id !== 'string' || !UUID_PATTERN.test(id)) throw new BadUserInputError('after is not a cursor returned by this list', 'after');
      keyset = sql`${compensationFunds.id} > ${id}::uuid`;
    }
    const prefix = regionPrefix(regionCode);
    const { db } = this.scope;
    const balance = db
      .select({ balance: balanceSql().as('balance') })
      .from(fundLedgerEntries)
      .where(eq(fundLedgerEntries.fundId, compensationFunds.id))
      .as('fund_balance');
    const below = belowMinimumSql(balance.balance, compensationFunds.requiredMinimumFen);
    const where = and(
      prefix.length === 6 ? eq(merchants.regionCode, prefix) : like(merchants.regionCode, `${prefix}%`),
      belowMinimum == null ? undefined : belowMinimum ? below : sql`not ${below}`,
    );
    const base = () => db.select().from(compensationFunds).innerJoin(merchants, eq(merchants.id, compensationFunds.hostMerchantId)).innerJoinLateral(balance, sql`true`);
    const [rows, [total]] = await Promise.all([
      base().where(and(where, keyset)).orderBy(asc(compensationFunds.id)).limit(limit + 1),
      db
        .select({ n: count() })
        .from(compensationFunds)
        .innerJoin(merchants, eq(merchants.id, compensationFunds.hostMerchantId))
        .innerJoinLateral(balance, sql`true`)
        .where(where),
    ]);
    return toConnection(
      rows.map((r) => r.compensation_funds),
      limit,
      Number(total?.n ?? 0),
      (f) => encodeCursor([f.id]),
      Boolean(after),
    );
  }

  /** Whether the viewer may see an entry's private detail (note, appeal, key, who recorded it). */
  maySeeEntryDetail(entry: LedgerEntryView): boolean {
    const { viewer } = this.scope;
    return mayManageMerchant(viewer, entry.host) || (entry.tenantMerchantId !== null && ownsMerchant(viewer, entry.tenantMerchantId));
  }

  /** The fund's entries, newest first, batched with the pages of the other funds the request asks about. */
  async entries(fund: FundRow, first?: number | null, after?: string | null): Promise<Connection<LedgerEntryView>> {
    const limit = pageSize(first);
    if (after) ledgerAfterCursor(after);
    const { loaders } = this.scope;
    const [page, host] = await Promise.all([
      loaders.ledgerPagesByFund.load({ parentId: fund.id, limit, after: after ?? null }),
      loaders.merchantById.load(fund.hostMerchantId),
    ]);
    const hostRef = { id: fund.hostMerchantId, regionCode: host!.regionCode };
    return { ...page, edges: page.edges.map((edge) => ({ ...edge, node: { ...edge.node, host: hostRef } })) };
  }

  /** Opens a host's fund. The host must not be a tenant itself and must host tenants or be a market/platform. */
  open(hostMerchantId: string, requiredMinimumFen: number): Promise<FundRow> {
    const hostId = requireId(hostMerchantId, 'hostMerchantId');
    const minimum = requireAmount(requiredMinimumFen, 'requiredMinimumFen', { allowZero: true });
    return mutate(this.scope, async (m) => {
      // Locking the host serialises two openings, so the second gets CONFLICT, not a unique-index error.
      const [host] = await m.tx.select().from(merchants).where(eq(merchants.id, hostId)).for('no key update');
      if (!host) throw new NotFoundError('Merchant', hostId);
      this.requireKeeper(host);
      if (host.hostMerchantId) {
        throw new BadUserInputError('The merchant is itself a tenant of another host; funds are kept by hosts', 'hostMerchantId');
      }
      if (!HOST_INDUSTRIES.has(host.industry)) {
        const [tenant] = await m.tx.select({ id: merchants.id }).from(merchants).where(eq(merchants.hostMerchantId, host.id)).limit(1);
        if (!tenant) {
          throw new BadUserInputError('The merchant hosts no tenants and is not a market or trading platform', 'hostMerchantId');
        }
      }
      const [existing] = await m.tx.select().from(compensationFunds).where(eq(compensationFunds.hostMerchantId, host.id));
      if (existing) throw new ConflictError('The host already has a compensation fund', { fundId: existing.id });
      const [fund] = await m.tx
        .insert(compensationFunds)
        .values({ hostMerchantId: host.id, requiredMinimumFen: minimum, openedAt: new Date() })
        .returning();
      m.touch(host.id);
      m.emit({ type: 'fund', fundId: fund!.id, merchantId: host.id, regionCode: host.regionCode });
      await m.audit({ action: 'fund.open', targetType: 'CompensationFund', targetId: fund!.id, before: null, after: fund });
      m.afterCommit(() => this.scope.loaders.fundByHost.clear(host.id));
      return fund!;
    });
  }

  /** Changes the minimum balance the host must keep. */
  setMinimum(fundId: string, requiredMinimumFen: number): Promise<FundRow> {
    const id = requireId(fundId, 'fundId');
    const minimum = requireAmount(requiredMinimumFen, 'requiredMinimumFen', { allowZero: true });
    return mutate(this.scope, async (m) => {
      const { fund } = await this.lockFund(m, id);
      const [updated] = await m.tx
        .update(compensationFunds)
        .set({ requiredMinimumFen: minimum })
        .where(eq(compensationFunds.id, fund.id))
        .returning();
      m.touch(fund.hostMerchantId);
      m.emit({ type: 'fund', fundId: fund.id, merchantId: fund.hostMerchantId });
      await m.audit({
        action: 'fund.setMinimum',
        targetType: 'CompensationFund',
        targetId: fund.id,
        before: { requiredMinimumFen: fund.requiredMinimumFen },
        after: { requiredMinimumFen: updated!.requiredMinimumFen },
      });
      m.afterCommit(() => {
        this.scope.loaders.fundById.clear(fund.id);
        this.scope.loaders.fundByHost.clear(fund.hostMerchantId);
      });
      return updated!;
    });
  }

  /**
   * Records one ledger entry. The fund row is locked first, so every ledger write of one fund —
   * including two with one idempotency key — runs one after the other, and the balance read
   * below cannot be overtaken by a concurrent payout.
   */
  record(kind: LedgerEntryKind, args: LedgerArgs): Promise<LedgerResultRow> {
    const fundId = requireId(args.fundId, 'fundId');
    const amountFen = requireAmount(args.amountFen, 'amountFen');
    const key = args.idempotencyKey;
    if (key.trim().length === 0 || key.length > MAX_KEY_LENGTH) {
      throw new BadUserInputError(`idempotencyKey must be from 1 to ${MAX_KEY_LENGTH} characters, not blank`, 'idempotencyKey');
    }
    const note = optionalText(args.note, 'note', MAX_NOTE_LENGTH);
    const tenantId = args.tenantMerchantId == null ? null : requireId(args.tenantMerchantId, 'tenantMerchantId');
    const appealId = args.appealId == null ? null : requireId(args.appealId, 'appealId');
    const payoutId = args.payoutEntryId == null ? null : requireId(args.payoutEntryId, 'payoutEntryId');
    const request: LedgerRequest = { kind, amountFen, tenantMerchantId: tenantId, appealId, reimbursesEntryId: payoutId };

    return mutate(this.scope, async (m) => {
      const { fund, host } = await this.lockFund(m, fundId);

      const [recorded] = await m.tx
        .select()
        .from(fundLedgerEntries)
        .where(and(eq(fundLedgerEntries.fundId, fund.id), eq(fundLedgerEntries.idempotencyKey, key)));
      if (recorded) {
        const differs = idempotencyMismatch(recorded, request);
        if (differs.length > 0) {
          throw new ConflictError(`idempotencyKey was already used for a different ${recorded.kind} (differs in ${differs.join(', ')})`, {
            entryId: recorded.id,
            fields: differs,
          });
        }
        // A retry changes nothing, but who retried is still worth an audit row.
        await m.audit({ action: 'fund.replay', targetType: 'CompensationFund', targetId: fund.id, before: recorded, after: recorded });
        return { entry: { ...recorded, host }, replayed: true, fund };
      }

      if (kind === 'PAYOUT') await this.checkPayoutLinks(m.tx, fund, tenantId!, appealId);
      if (kind === 'REIMBURSEMENT') await this.checkReimbursement(m.tx, fund, tenantId!, payoutId!, amountFen);

      const balanceFen = await this.balanceIn(m.tx, fund.id);
      if (isDebit(kind) && !fitsBalance(balanceFen, amountFen)) {
        throw new ConflictError(`The fund's balance is ${balanceFen} fen; a ${kind} of ${amountFen} fen would overdraw it`, {
          balanceFen,
          amountFen,
        });
      }
      // Checked under the fund's row lock: past 2^53 the balance could no longer be read exactly.
      if (!isDebit(kind) && balanceFen + amountFen > MAX_BALANCE_FEN) {
        throw new ConflictError(`The fund's balance is ${balanceFen} fen; a ${kind} of ${amountFen} fen would take it past the maximum of ${MAX_BALANCE_FEN} fen`, {
          balanceFen,
          amountFen,
          maxBalanceFen: MAX_BALANCE_FEN,
        });
      }
      const [entry] = await m.tx
        .insert(fundLedgerEntries)
        .values({
          fundId: fund.id,
          kind,
          amountFen,
          occurredAt: new Date(),
          tenantMerchantId: tenantId,
          appealId,
          reimbursesEntryId: payoutId,
          idempotencyKey: key,
          note,
          actor: actorOf(this.scope.viewer),
        })
        .returning();
      // The host's balance and the tenant's unreimbursed payouts both feed ratings.
      m.touch(fund.hostMerchantId, tenantId);
      m.emit({ type: 'fund', fundId: fund.id, merchantId: fund.hostMerchantId, regionCode: host.regionCode });
      await m.audit({
        action: VERBS[kind],
        targetType: 'CompensationFund',
        targetId: fund.id,
        before: { balanceFen },
        after: { balanceFen: balanceFen + signedAmount(entry!), entry },
      });
      m.afterCommit(() => this.scope.loaders.fundBalance.clear(fund.id));
      return { entry: { ...entry!, host }, replayed: false, fund };
    });
  }

  /** Locks the fund row (FOR UPDATE) and checks that the viewer keeps its host's region. */
  private async lockFund(m: MutationScope, fundId: string): Promise<{ fund: FundRow; host: LedgerEntryView['host'] }> {
    const [fund] = await m.tx.select().from(compensationFunds).where(eq(compensationFunds.id, fundId)).for('update');
    if (!fund) throw new NotFoundError('Compensation fund', fundId);
    // Reads go through the transaction: on PGlite a query outside it would wait for it forever.
    const [host] = await m.tx.select({ id: merchants.id, regionCode: merchants.regionCode }).from(merchants).where(eq(merchants.id, fund.hostMerchantId));
    this.requireKeeper(host!);
    return { fund, host: host! };
  }

  private requireKeeper(host: Pick<MerchantRow, 'regionCode'>): void {
    if (!governsRegion(this.scope.viewer, host.regionCode)) {
      throw new ForbiddenError("Only a supervisor of the host's region or an admin may keep its compensation fund");
    }
  }

  private async balanceIn(tx: Tx, fundId: string): Promise<number> {
    const [row] = await tx.select({ balance: balanceSql() }).from(fundLedgerEntries).where(eq(fundLedgerEntries.fundId, fundId));
    const balance = exactFen(row?.balance);
    // Only a ledger written before the maximum was enforced can get here; it takes no more credits.
    return balance ?? Number.MAX_SAFE_INTEGER;
  }

  /** A payout is for a tenant of this fund's host, and for an existing appeal about that tenant or host. */
  private async checkPayoutLinks(tx: Tx, fund: FundRow, tenantId: string, appealId: string | null): Promise<void> {
    const [tenant] = await tx.select({ hostMerchantId: merchants.hostMerchantId }).from(merchants).where(eq(merchants.id, tenantId));
    if (!tenant) throw new NotFoundError('Merchant', tenantId);
    if (tenant.hostMerchantId !== fund.hostMerchantId) {
      throw new BadUserInputError("tenantMerchantId is not a tenant of this fund's host", 'tenantMerchantId');
    }
    if (appealId === null) return;
    const [appeal] = await tx.select({ merchantId: appeals.merchantId }).from(appeals).where(eq(appeals.id, appealId));
    if (!appeal) throw new NotFoundError('Appeal', appealId);
    if (appeal.merchantId !== null && appeal.merchantId !== tenantId && appeal.merchantId !== fund.hostMerchantId) {
      throw new BadUserInputError('appealId concerns another merchant than the tenant or its host', 'appealId');
    }
  }

  /** A reimbursement repays a PAYOUT of this fund for this tenant, and never more than is still owed. */
  private async checkReimbursement(tx: Tx, fund: FundRow, tenantId: string, payoutId: string, amountFen: number): Promise<void> {
    const [payout] = await tx.select().from(fundLedgerEntries).where(eq(fundLedgerEntries.id, payoutId));
    if (!payout) throw new NotFoundError('Ledger entry', payoutId);
    if (payout.fundId !== fund.id) throw new BadUserInputError('payoutEntryId is an entry of another fund', 'payoutEntryId');
    if (payout.kind !== 'PAYOUT') throw new BadUserInputError(`payoutEntryId is a ${payout.kind}, not a PAYOUT`, 'payoutEntryId');
    if (payout.tenantMerchantId !== tenantId) {
      throw new BadUserInputError('tenantMerchantId is not the tenant the payout was made for', 'tenantMerchantId');
    }
    const repaid = await tx
      .select({ amountFen: fundLedgerEntries.amountFen })
      .from(fundLedgerEntries)
      .where(and(eq(fundLedgerEntries.reimbursesEntryId, payout.id), eq(fundLedgerEntries.kind, 'REIMBURSEMENT')));
    const remainingFen = remainingReimbursable(payout.amountFen, repaid.map((r: Pick<LedgerEntryRow, 'amountFen'>) => r.amountFen));
    if (amountFen > remainingFen) {
      throw new ConflictError(`Only ${remainingFen} fen of the payout is still to be reimbursed`, { remainingFen, amountFen });
    }
  }
}
