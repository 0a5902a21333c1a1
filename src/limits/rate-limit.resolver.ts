import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { RateLimit } from './rate-limit.type';

@Resolver()
export class RateLimitResolver {
  @Query(() => RateLimit, {
    description:
      'The cost of this query and what is left of your budget. With dryRun: true the query is priced but not charged, and its other root fields are not run.',
  })
  rateLimit(@Ctx() ctx: Context, @Arg('dryRun', () => Boolean, { defaultValue: false }) _dryRun: boolean): RateLimit {
    // The limits decided all of it before execution (src/limits/plugin.ts, ws.ts).
    const rate = ctx.limits?.rate;
    if (!rate) throw new Error('rateLimit asked outside a rate-limited request');
    return { cost: ctx.limits?.cost ?? 0, limit: rate.limit, remaining: rate.remaining, used: rate.used, resetAt: rate.resetAt };
  }
}
