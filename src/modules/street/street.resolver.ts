import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { Merchant } from '../merchant/merchant.type';
import { DemonstrationStreet, StreetTarget, type DemonstrationStreetRow } from './street.type';

@Resolver(() => DemonstrationStreet)
export class StreetResolver {
  @Query(() => DemonstrationStreet, { nullable: true, description: 'A demonstration street (放心消费示范街区) with its members and targets.' })
  demonstrationStreet(@Ctx() ctx: Context, @Arg('id', () => ID) id: string) {
    return ctx.services.streets.byId(id);
  }

  @Query(() => [DemonstrationStreet], {
    description: 'Demonstration streets (放心消费示范街区), by region then name; with regionCode, those of that region (a city code covers its districts).',
  })
  demonstrationStreets(@Ctx() ctx: Context, @Arg('regionCode', () => String, { nullable: true }) regionCode?: string | null) {
    return ctx.services.streets.list(regionCode);
  }

  @FieldResolver(() => [Merchant], { description: 'Current members, by name.' })
  async members(@Root() street: DemonstrationStreetRow, @Ctx() ctx: Context) {
    const ids = await ctx.services.streets.memberIds(street.id);
    return ctx.loaders.merchantById.loadMany(ids);
  }

  @FieldResolver(() => [StreetTarget], { description: 'Each target against its actual value, with the members that miss it.' })
  targets(@Root() street: DemonstrationStreetRow, @Ctx() ctx: Context) {
    return ctx.services.streets.targets(street);
  }
}

@Resolver(() => StreetTarget)
export class StreetTargetResolver {
  @FieldResolver(() => [Merchant], { description: 'Members that miss this target.' })
  missing(@Root() target: StreetTarget, @Ctx() ctx: Context) {
    return ctx.loaders.merchantById.loadMany(target.missingMerchantIds);
  }
}

export const streetResolvers = [StreetResolver, StreetTargetResolver] as const;
