import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { MerchantFilter } from './merchant.input';
import { Merchant, MerchantConnection, type MerchantRow } from './merchant.type';

@Resolver(() => Merchant)
export class MerchantResolver {
  @Query(() => Merchant, { nullable: true, description: 'One merchant, by id or by USCC (give exactly one).' })
  merchant(
    @Ctx() ctx: Context,
    @Arg('id', () => ID, { nullable: true }) id?: string | null,
    @Arg('uscc', () => String, { nullable: true }) uscc?: string | null,
  ): Promise<MerchantRow | null> {
    return ctx.services.merchants.find({ id, uscc });
  }

  @Query(() => MerchantConnection, { description: 'Merchants ordered by name, at most 100 a page.' })
  merchants(
    @Ctx() ctx: Context,
    @Arg('filter', () => MerchantFilter, { nullable: true }) filter?: MerchantFilter | null,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 1–100 (default 20).' }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ) {
    return ctx.services.merchants.list(filter, first, after);
  }

  @FieldResolver(() => Merchant, { nullable: true, description: 'The market or platform this merchant trades through.' })
  host(@Root() merchant: MerchantRow, @Ctx() ctx: Context): Promise<MerchantRow | null> | null {
    return merchant.hostMerchantId ? ctx.loaders.merchantById.load(merchant.hostMerchantId) : null;
  }
}
