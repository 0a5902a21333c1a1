import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, Info, Int, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { DateScalar } from '../../graphql/scalars';
import { selects } from '../../graphql/look-ahead';
import { Merchant, type MerchantRow } from '../merchant/merchant.type';
import { factorReason } from '../../domain/rating/reason';
import { Rating, RatingChange, RatingFactor, RatingHistoryConnection, RatingWhatIf } from './rating.type';

@Resolver(() => Merchant)
export class MerchantRatingResolver {
  @FieldResolver(() => Rating, { nullable: true, description: 'The current integrity rating (as of today, Asia/Shanghai).' })
  rating(@Root() merchant: MerchantRow, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return ctx.services.ratings.current(merchant, { withFactors: selects(info, ['factors']) });
  }

  @FieldResolver(() => RatingHistoryConnection, { description: 'Every change of score or grade, newest first, with its cause.' })
  ratingHistory(
    @Root() merchant: MerchantRow,
    @Ctx() ctx: Context,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ) {
    return ctx.services.ratings.history(merchant.id, first, after);
  }

  @FieldResolver(() => Rating, { description: 'The rating as of a past day, computed from the records on demand.' })
  ratingAsOf(@Root() merchant: MerchantRow, @Ctx() ctx: Context, @Arg('date', () => DateScalar) date: string) {
    return ctx.services.ratings.asOf(merchant, date);
  }

  @FieldResolver(() => RatingWhatIf, {
    nullable: true,
    description:
      'What score and grade would be after the given steps, without writing anything (the merchant itself and supervisors; null with a FORBIDDEN error on this field for anyone else).',
  })
  ratingWhatIf(@Root() merchant: MerchantRow, @Ctx() ctx: Context, @Arg('changes', () => [RatingChange]) changes: RatingChange[]) {
    return ctx.services.ratings.whatIf(merchant, changes.map((c) => c.kind));
  }
}

@Resolver(() => RatingFactor)
export class RatingFactorResolver {
  @FieldResolver(() => String, {
    description: 'One line in Chinese saying why the factor gave its points, from its counts alone (never record ids); the pages show the same text.',
  })
  reason(@Root() factor: RatingFactor): string {
    return factorReason(factor);
  }
}

export const ratingResolvers = [MerchantRatingResolver, RatingFactorResolver] as const;
