import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { isBelowMinimum } from '../../domain/ledger';
import type { Connection } from '../../graphql/connection';
import { Merchant, type MerchantRow } from '../merchant/merchant.type';
import type { OutstandingPayoutRow } from './fund.loaders';
import type { LedgerArgs, LedgerResultRow } from './fund.service';
import {
  CompensationFund,
  CompensationFundConnection,
  Fen,
  FundLedgerEntry,
  FundLedgerEntryConnection,
  LedgerEntryResult,
  OutstandingPayout,
  type FundRow,
  type LedgerEntryKind,
  type LedgerEntryView,
} from './fund.type';

const KEY = 'Client-chosen key, unique per fund: a retry with the same key returns the first entry instead of recording another.';

async function required<T>(value: Promise<T | null>, what: string): Promise<T> {
  const found = await value;
  // Foreign keys guarantee these rows; a miss is a bug, not a client error.
  if (found === null) throw new Error(`${what} is missing`);
  return found;
}

@Resolver(() => CompensationFund)
export class FundResolver {
  @Authorized('SUPERVISOR', 'ADMIN')
  @Query(() => CompensationFundConnection, {
    description:
      'The compensation funds of hosts in a region you supervise, by id; `belowMinimum: true` gives those whose balance is below their required minimum today (false: the others).',
  })
  compensationFunds(
    @Ctx() ctx: Context,
    @Arg('regionCode') regionCode: string,
    @Arg('belowMinimum', () => Boolean, { nullable: true }) belowMinimum?: boolean | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<Connection<FundRow>> {
    return ctx.services.funds.inRegion(regionCode, belowMinimum, first, after);
  }

  @Authorized('SUPERVISOR', 'ADMIN')
  @Mutation(() => CompensationFund, {
    description: "Opens a host's compensation fund (a supervisor of the host's region or an admin); CONFLICT when it has one.",
  })
  openCompensationFund(
    @Ctx() ctx: Context,
    @Arg('hostMerchantId', () => ID) hostMerchantId: string,
    @Arg('requiredMinimumFen', () => Fen) requiredMinimumFen: number,
  ): Promise<FundRow> {
    return ctx.services.funds.open(hostMerchantId, requiredMinimumFen);
  }

  @Authorized('SUPERVISOR', 'ADMIN')
  @Mutation(() => CompensationFund, { description: 'Sets the minimum balance the host must keep, in fen (0 or more).' })
  setFundMinimum(
    @Ctx() ctx: Context,
    @Arg('fundId', () => ID) fundId: string,
    @Arg('requiredMinimumFen', () => Fen) requiredMinimumFen: number,
  ): Promise<FundRow> {
    return ctx.services.funds.setMinimum(fundId, requiredMinimumFen);
  }

  @Authorized('SUPERVISOR', 'ADMIN')
  @Mutation(() => LedgerEntryResult, { description: 'The host pays into its fund.' })
  depositToFund(
    @Ctx() ctx: Context,
    @Arg('fundId', () => ID) fundId: string,
    @Arg('amountFen', () => Fen) amountFen: number,
    @Arg('idempotencyKey', () => String, { description: KEY }) idempotencyKey: string,
    @Arg('note', () => String, { nullable: true }) note?: string | null,
  ): Promise<LedgerResultRow> {
    return this.record(ctx, 'DEPOSIT', { fundId, amountFen, idempotencyKey, note });
  }

  @Authorized('SUPERVISOR', 'ADMIN')
  @Mutation(() => LedgerEntryResult, {
    description: '先行赔付: pays a consumer from the fund for a tenant of the host; CONFLICT (with balanceFen) when it would overdraw.',
  })
  payoutFromFund(
    @Ctx() ctx: Context,
    @Arg('fundId', () => ID) fundId: string,
    @Arg('amountFen', () => Fen) amountFen: number,
    @Arg('tenantMerchantId', () => ID, { description: 'The tenant the consumer is compensated for.' }) tenantMerchantId: string,
    @Arg('idempotencyKey', () => String, { description: KEY }) idempotencyKey: string,
    @Arg('appealId', () => ID, { nullable: true, description: 'The 12315 appeal compensated, when there is one.' }) appealId?: string | null,
    @Arg('note', () => String, { nullable: true }) note?: string | null,
  ): Promise<LedgerResultRow> {
    return this.record(ctx, 'PAYOUT', { fundId, amountFen, tenantMerchantId, appealId, idempotencyKey, note });
  }

  @Authorized('SUPERVISOR', 'ADMIN')
  @Mutation(() => LedgerEntryResult, {
    description: 'The tenant repays a payout made for it; CONFLICT when more than the payout still owed.',
  })
  reimburseFund(
    @Ctx() ctx: Context,
    @Arg('fundId', () => ID) fundId: string,
    @Arg('payoutEntryId', () => ID, { description: 'The PAYOUT of this fund being repaid.' }) payoutEntryId: string,
    @Arg('tenantMerchantId', () => ID, { description: 'The tenant repaying; must be the one the payout was for.' }) tenantMerchantId: string,
    @Arg('amountFen', () => Fen) amountFen: number,
    @Arg('idempotencyKey', () => String, { description: KEY }) idempotencyKey: string,
    @Arg('note', () => String, { nullable: true }) note?: string | null,
  ): Promise<LedgerResultRow> {
    return this.record(ctx, 'REIMBURSEMENT', { fundId, payoutEntryId, tenantMerchantId, amountFen, idempotencyKey, note });
  }

  @Authorized('SUPERVISOR', 'ADMIN')
  @Mutation(() => LedgerEntryResult, { description: 'The host takes money out of the fund; CONFLICT (with balanceFen) when it would overdraw.' })
  withdrawFromFund(
    @Ctx() ctx: Context,
    @Arg('fundId', () => ID) fundId: string,
    @Arg('amountFen', () => Fen) amountFen: number,
    @Arg('idempotencyKey', () => String, { description: KEY }) idempotencyKey: string,
    @Arg('note', () => String, { nullable: true }) note?: string | null,
  ): Promise<LedgerResultRow> {
    return this.record(ctx, 'WITHDRAWAL', { fundId, amountFen, idempotencyKey, note });
  }

  @FieldResolver(() => Merchant)
  host(@Root() fund: FundRow, @Ctx() ctx: Context): Promise<MerchantRow> {
    return required(ctx.loaders.merchantById.load(fund.hostMerchantId), `host of fund ${fund.id}`);
  }

  @FieldResolver(() => Fen, { description: 'The balance in fen: the signed sum of the ledger, never stored apart from it.' })
  balanceFen(@Root() fund: FundRow, @Ctx() ctx: Context): Promise<number> {
    return ctx.loaders.fundBalance.load(fund.id);
  }

  @FieldResolver(() => Boolean, { description: 'The balance is below the required minimum.' })
  async belowMinimum(@Root() fund: FundRow, @Ctx() ctx: Context): Promise<boolean> {
    return isBelowMinimum(await ctx.loaders.fundBalance.load(fund.id), fund.requiredMinimumFen);
  }

  @FieldResolver(() => FundLedgerEntryConnection, { description: 'Ledger entries, newest first; at most 100 a page.' })
  entries(
    @Root() fund: FundRow,
    @Ctx() ctx: Context,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<Connection<LedgerEntryView>> {
    return ctx.services.funds.entries(fund, first, after);
  }

  private record(ctx: Context, kind: LedgerEntryKind, args: LedgerArgs): Promise<LedgerResultRow> {
    return ctx.services.funds.record(kind, args);
  }
}

@Resolver(() => FundLedgerEntry)
export class FundLedgerEntryResolver {
  @FieldResolver(() => Merchant, { nullable: true, description: 'PAYOUT, REIMBURSEMENT: the tenant concerned.' })
  tenant(@Root() entry: LedgerEntryView, @Ctx() ctx: Context): Promise<MerchantRow | null> | null {
    return entry.tenantMerchantId ? ctx.loaders.merchantById.load(entry.tenantMerchantId) : null;
  }

  @FieldResolver(() => CompensationFund)
  fund(@Root() entry: LedgerEntryView, @Ctx() ctx: Context): Promise<FundRow> {
    return required(ctx.loaders.fundById.load(entry.fundId), `fund of entry ${entry.id}`);
  }

  @FieldResolver(() => String, { nullable: true })
  note(@Root() entry: LedgerEntryView, @Ctx() ctx: Context): string | null {
    return ctx.services.funds.maySeeEntryDetail(entry) ? entry.note : null;
  }

  @FieldResolver(() => ID, { nullable: true })
  appealId(@Root() entry: LedgerEntryView, @Ctx() ctx: Context): string | null {
    return ctx.services.funds.maySeeEntryDetail(entry) ? entry.appealId : null;
  }

  @FieldResolver(() => String, { nullable: true })
  idempotencyKey(@Root() entry: LedgerEntryView, @Ctx() ctx: Context): string | null {
    return ctx.services.funds.maySeeEntryDetail(entry) ? entry.idempotencyKey : null;
  }

  @FieldResolver(() => String, { nullable: true })
  recordedBy(@Root() entry: LedgerEntryView, @Ctx() ctx: Context): string | null {
    return ctx.services.funds.maySeeEntryDetail(entry) ? entry.actor : null;
  }
}

@Resolver(() => Merchant)
export class MerchantFundResolver {
  @FieldResolver(() => CompensationFund, { nullable: true, description: 'The compensation fund this merchant keeps as a host, if any.' })
  compensationFund(@Root() merchant: MerchantRow, @Ctx() ctx: Context): Promise<FundRow | null> {
    return ctx.loaders.fundByHost.load(merchant.id);
  }

  @FieldResolver(() => [OutstandingPayout], {
    description: "Payouts made from its host's fund for this tenant and not fully reimbursed, oldest first.",
  })
  unreimbursedPayouts(@Root() merchant: MerchantRow, @Ctx() ctx: Context): Promise<OutstandingPayoutRow[]> {
    return ctx.loaders.outstandingPayoutsByTenant.load(merchant.id);
  }
}

/** Every resolver class of this module; schema.ts registers them. */
export const fundResolvers = [FundResolver, FundLedgerEntryResolver, MerchantFundResolver] as const;
