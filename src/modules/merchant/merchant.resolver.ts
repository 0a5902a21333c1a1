import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { includesOf } from './merchant.queries';
import type { Context } from '../../context';
import {
  MerchantFilter,
  RegisterMerchantInput,
  SetMerchantHostInput,
  StreetMembershipInput,
  UpdateMerchantContactInput,
  UpdateMerchantInput,
} from './merchant.input';
import { Merchant, MerchantConnection, type MerchantRow } from './merchant.type';
import { CreditListEntry, type CreditListEntryRow } from '../credit-list/credit-list.type';
import { DemonstrationStreet, type DemonstrationStreetRow } from '../street/street.type';

@Resolver(() => Merchant)
export class MerchantResolver {
  @Query(() => Merchant, { nullable: true, description: 'One merchant, by id or by USCC (give exactly one).' })
  merchant(
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
    @Arg('id', () => ID, { nullable: true }) id?: string | null,
    @Arg('uscc', () => String, { nullable: true }) uscc?: string | null,
  ): Promise<MerchantRow | null> {
    // What a lookup page shows beside the merchant comes in the same round trip.
    return ctx.services.merchants.find({ id, uscc }, includesOf(info, []));
  }

  @Query(() => MerchantConnection, { description: 'Merchants ordered by name, at most 100 a page.' })
  merchants(
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
    @Arg('filter', () => MerchantFilter, { nullable: true }) filter?: MerchantFilter | null,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 1–100 (default 20).' }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ) {
    return ctx.services.merchants.list(filter, first, after, includesOf(info, ['edges', 'node']));
  }

  @FieldResolver(() => Merchant, { nullable: true, description: 'The market or platform this merchant trades through.' })
  host(@Root() merchant: MerchantRow, @Ctx() ctx: Context): Promise<MerchantRow | null> | null {
    return merchant.hostMerchantId ? ctx.loaders.merchantById.load(merchant.hostMerchantId) : null;
  }

  @FieldResolver(() => MerchantConnection, { description: 'Counter tenants or platform shops of this host.' })
  tenants(
    @Root() merchant: MerchantRow,
    @Ctx() ctx: Context,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ) {
    return ctx.services.merchants.tenantsOf(merchant.id, first, after);
  }

  @FieldResolver(() => [CreditListEntry], { description: 'Listings on the credit lists, current and past (public record).' })
  creditListEntries(@Root() merchant: MerchantRow, @Ctx() ctx: Context): Promise<CreditListEntryRow[]> {
    return ctx.loaders.creditListEntriesByMerchant.load(merchant.id);
  }

  @FieldResolver(() => [DemonstrationStreet], { description: 'Demonstration streets it currently belongs to.' })
  demonstrationStreets(@Root() merchant: MerchantRow, @Ctx() ctx: Context): Promise<DemonstrationStreetRow[]> {
    return ctx.loaders.currentStreetsByMerchant.load(merchant.id);
  }

  @Authorized('SUPERVISOR', 'ADMIN')
  @Mutation(() => Merchant, { description: 'Register a merchant in your region (USCC checked; CONFLICT if known).' })
  registerMerchant(@Ctx() ctx: Context, @Arg('input', () => RegisterMerchantInput) input: RegisterMerchantInput) {
    return ctx.services.merchants.register(input);
  }

  @Authorized('SUPERVISOR', 'ADMIN')
  @Mutation(() => Merchant, { description: 'Correct a merchant’s registered details.' })
  updateMerchant(@Ctx() ctx: Context, @Arg('input', () => UpdateMerchantInput) input: UpdateMerchantInput) {
    return ctx.services.merchants.update(input);
  }

  @Authorized('MERCHANT', 'SUPERVISOR', 'ADMIN')
  @Mutation(() => Merchant, { description: 'A merchant updates its own public contact details.' })
  updateMerchantContact(@Ctx() ctx: Context, @Arg('input', () => UpdateMerchantContactInput) input: UpdateMerchantContactInput) {
    return ctx.services.merchants.updateContact(input);
  }

  @Authorized('SUPERVISOR', 'ADMIN')
  @Mutation(() => Merchant, { description: 'Link a tenant to its host market or platform, or unlink it.' })
  setMerchantHost(@Ctx() ctx: Context, @Arg('input', () => SetMerchantHostInput) input: SetMerchantHostInput) {
    return ctx.services.merchants.setHost(input);
  }

  @Authorized('SUPERVISOR', 'ADMIN')
  @Mutation(() => Merchant, { description: 'Add a merchant to a demonstration street.' })
  addDemonstrationStreetMember(@Ctx() ctx: Context, @Arg('input', () => StreetMembershipInput) input: StreetMembershipInput) {
    return ctx.services.merchants.joinStreet(input);
  }

  @Authorized('SUPERVISOR', 'ADMIN')
  @Mutation(() => Merchant, { description: 'Record that a merchant left a demonstration street.' })
  removeDemonstrationStreetMember(@Ctx() ctx: Context, @Arg('input', () => StreetMembershipInput) input: StreetMembershipInput) {
    return ctx.services.merchants.leaveStreet(input);
  }
}
