import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { DateScalar } from '../../graphql/scalars';
import { Merchant, type MerchantRow } from '../merchant/merchant.type';
import { PledgeStatus } from './pledge.enums';
import { FilePledgeInput, RecordPledgeAuditInput } from './pledge.input';
import {
  AuditQueueConnection,
  GoodsCategory,
  Pledge,
  PledgeAudit,
  PledgeStatusChange,
  ReturnEligibility,
  type PledgeAuditRow,
  type PledgeRow,
  type PledgeStatusChangeRow,
} from './pledge.type';

const VERSION_ARG = {
  nullable: true,
  description: 'The version you read; if the pledge has changed since, the mutation is refused as CONFLICT.',
} as const;

@Resolver(() => Pledge)
export class PledgeResolver {
  @Query(() => Pledge, { nullable: true, description: 'One return pledge (public).' })
  pledge(@Ctx() ctx: Context, @Arg('id', () => ID) id: string): Promise<PledgeRow | null> {
    return ctx.services.pledges.find(id);
  }

  @Authorized()
  @Mutation(() => Pledge, {
    description:
      'Files a pledge: a merchant for itself, or a supervisor (admin) registering one in its region. CONFLICT when the merchant already has a pledge in effect.',
  })
  filePledge(@Ctx() ctx: Context, @Arg('input', () => FilePledgeInput) input: FilePledgeInput): Promise<PledgeRow> {
    return ctx.services.pledges.file(input);
  }

  @Authorized()
  @Mutation(() => Pledge, { description: 'ACTIVE → SUSPENDED; by the merchant itself or a supervisor of its region.' })
  suspendPledge(
    @Ctx() ctx: Context,
    @Arg('id', () => ID) id: string,
    @Arg('reason', () => String) reason: string,
    @Arg('expectedVersion', () => Int, VERSION_ARG) expectedVersion?: number | null,
  ): Promise<PledgeRow> {
    return ctx.services.pledges.suspend(id, reason, expectedVersion);
  }

  @Authorized()
  @Mutation(() => Pledge, { description: 'SUSPENDED → ACTIVE; by the merchant itself or a supervisor of its region.' })
  resumePledge(
    @Ctx() ctx: Context,
    @Arg('id', () => ID) id: string,
    @Arg('reason', () => String, { nullable: true }) reason?: string | null,
    @Arg('expectedVersion', () => Int, VERSION_ARG) expectedVersion?: number | null,
  ): Promise<PledgeRow> {
    return ctx.services.pledges.resume(id, reason, expectedVersion);
  }

  @Authorized('SUPERVISOR', 'ADMIN')
  @Mutation(() => Pledge, { description: 'ACTIVE or SUSPENDED → REVOKED, with a reason; supervisors of the region only. Final.' })
  revokePledge(
    @Ctx() ctx: Context,
    @Arg('id', () => ID) id: string,
    @Arg('reason', () => String) reason: string,
    @Arg('expectedVersion', () => Int, VERSION_ARG) expectedVersion?: number | null,
  ): Promise<PledgeRow> {
    return ctx.services.pledges.revoke(id, reason, expectedVersion);
  }

  @FieldResolver(() => PledgeStatus, { description: 'As of today (Asia/Shanghai): EXPIRED from its expiresOn day on.' })
  status(@Root() pledge: PledgeRow, @Ctx() ctx: Context): PledgeStatus {
    return ctx.services.pledges.statusOf(pledge);
  }

  @FieldResolver(() => Merchant)
  async merchant(@Root() pledge: PledgeRow, @Ctx() ctx: Context): Promise<MerchantRow> {
    return (await ctx.loaders.merchantById.load(pledge.merchantId))!;
  }

  @FieldResolver(() => [PledgeStatusChange], { description: 'Every status change, oldest first.' })
  history(@Root() pledge: PledgeRow, @Ctx() ctx: Context): Promise<PledgeStatusChangeRow[]> {
    return ctx.services.pledges.history(pledge.id);
  }

  @FieldResolver(() => [PledgeAudit], { description: 'Audits of this pledge, newest first (public supervision results).' })
  audits(@Root() pledge: PledgeRow, @Ctx() ctx: Context): Promise<PledgeAuditRow[]> {
    return ctx.services.pledges.audits(pledge.id);
  }

  @FieldResolver(() => String, { nullable: true, description: 'Who filed it (token subject); supervisors and admins only, null for others.' })
  filedBy(@Root() pledge: PledgeRow, @Ctx() ctx: Context): string | null {
    return ctx.services.pledges.maySeeStaffDetail() ? pledge.filedBy : null;
  }
}

@Resolver(() => PledgeAudit)
export class PledgeAuditResolver {
  @Authorized('SUPERVISOR', 'ADMIN')
  @Mutation(() => PledgeAudit, {
    description:
      'Records an audit of a pledge in effect; supervisors of the region only. VIOLATION needs rectificationDueOn (≥ auditedOn). Bumps the pledge version.',
  })
  recordPledgeAudit(@Ctx() ctx: Context, @Arg('input', () => RecordPledgeAuditInput) input: RecordPledgeAuditInput): Promise<PledgeAuditRow> {
    return ctx.services.pledges.recordAudit(input);
  }

  @Authorized('SUPERVISOR', 'ADMIN')
  @Query(() => AuditQueueConnection, {
    description:
      'Pledges in effect in the region due for audit (never audited; last audited over 12 months ago; or a VIOLATION whose rectification is due), riskiest first: open refused-return complaints, last outcome (VIOLATION > MINOR_ISSUES > never > COMPLIANT), oldest last audit. Supervisors of the region only.',
  })
  auditQueue(
    @Ctx() ctx: Context,
    @Arg('regionCode', () => String) regionCode: string,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 1–100 (default 20).' }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
    @Arg('asOf', () => DateScalar, { nullable: true, description: 'The day to judge by; default today in Asia/Shanghai.' }) asOf?: string | null,
  ) {
    return ctx.services.pledges.auditQueue(regionCode, first, after, asOf);
  }

  @Authorized('SUPERVISOR', 'ADMIN')
  @Query(() => [Merchant], {
    description:
      '双随机 inspection sample: `size` (1–500) merchants of the region, chosen at random but reproducibly from `seed` (same seed, same sample). Supervisors of the region only.',
  })
  inspectionSample(
    @Ctx() ctx: Context,
    @Arg('regionCode', () => String) regionCode: string,
    @Arg('size', () => Int) size: number,
    @Arg('seed', () => String) seed: string,
  ): Promise<MerchantRow[]> {
    return ctx.services.pledges.inspectionSample(regionCode, size, seed);
  }

  @FieldResolver(() => String, { nullable: true, description: 'The inspector; supervisors and admins only, null for others.' })
  inspector(@Root() audit: PledgeAuditRow, @Ctx() ctx: Context): string | null {
    return ctx.services.pledges.maySeeStaffDetail() ? audit.inspector : null;
  }

  @FieldResolver(() => Pledge)
  async pledge(@Root() audit: PledgeAuditRow, @Ctx() ctx: Context): Promise<PledgeRow> {
    return (await ctx.loaders.pledgeById.load(audit.pledgeId))!;
  }
}

@Resolver(() => PledgeStatusChange)
export class PledgeStatusChangeResolver {
  @FieldResolver(() => String, { nullable: true, description: 'Who made the change (token subject, or system); supervisors and admins only.' })
  actor(@Root() change: PledgeStatusChangeRow, @Ctx() ctx: Context): string | null {
    return ctx.services.pledges.maySeeStaffDetail() ? change.actor : null;
  }
}

@Resolver(() => ReturnEligibility)
export class ReturnEligibilityResolver {
  @Query(() => ReturnEligibility, {
    nullable: true,
    description:
      'Public: can goods bought from this merchant still be returned under its no-reason-return pledge? Null when no merchant has the USCC. goodsCategory is a GoodsCategory code (see goodsCategories) or a name; always-excluded goods (fresh, made to order, digital, newspapers) are refused by law; for the three conditional exclusions pass confirmedAtPurchase if known.',
  })
  returnEligibility(
    @Ctx() ctx: Context,
    @Arg('uscc', () => String) uscc: string,
    @Arg('receivedOn', () => DateScalar) receivedOn: string,
    @Arg('goodsCategory', () => String, { nullable: true }) goodsCategory?: string | null,
    @Arg('askedOn', () => DateScalar, { nullable: true, description: 'Default: today in Asia/Shanghai.' }) askedOn?: string | null,
    @Arg('confirmedAtPurchase', () => Boolean, {
      nullable: true,
      description: 'Whether the consumer confirmed at purchase that the goods are unsuitable for return (null: unknown).',
    })
    confirmedAtPurchase?: boolean | null,
  ): Promise<ReturnEligibility | null> {
    return ctx.services.pledges.returnEligibility({ uscc, receivedOn, goodsCategory, askedOn, confirmedAtPurchase });
  }

  @Query(() => [GoodsCategory], { description: 'Goods categories returnEligibility understands, with the legal exclusion of each.' })
  goodsCategories(@Ctx() ctx: Context): GoodsCategory[] {
    return ctx.services.pledges.goodsCategories();
  }
}

@Resolver(() => Merchant)
export class MerchantPledgeResolver {
  @FieldResolver(() => Pledge, {
    nullable: true,
    description: 'The return pledge in effect (ACTIVE or SUSPENDED, before its expiresOn day), or null. Batched per request.',
  })
  pledge(@Root() merchant: MerchantRow, @Ctx() ctx: Context): Promise<PledgeRow | null> {
    return ctx.services.pledges.inEffectFor(merchant.id);
  }

  @FieldResolver(() => [Pledge], { description: 'Every return pledge of the merchant, newest first.' })
  pledges(@Root() merchant: MerchantRow, @Ctx() ctx: Context): Promise<PledgeRow[]> {
    return ctx.services.pledges.allFor(merchant.id);
  }
}

/** Every resolver class of this module; schema.ts registers them. */
export const pledgeResolvers = [
  PledgeResolver,
  PledgeAuditResolver,
  PledgeStatusChangeResolver,
  ReturnEligibilityResolver,
  MerchantPledgeResolver,
] as const;
