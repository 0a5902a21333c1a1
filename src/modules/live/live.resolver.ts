import { Arg, Ctx, ID, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import type { Context } from '../../context';
import { clearLoaders } from '../../request-scope';
import { appealVisibility, governsRegion, isKeeper } from '../../auth/policy';
import { assertViewerCurrent } from '../../auth/viewer';
import { regionCovers, isRegionCode } from '../../domain/region';
import { BadUserInputError, ForbiddenError, UnauthenticatedError } from '../../errors';
import { loadOnce, type Delivered, type EventType } from '../../events/events';
import { Appeal } from '../appeal/appeal.type';
import { Pledge } from '../pledge/pledge.type';
import { FundBalanceChanged, RatingChanged } from './live.type';

type Args = { merchantId?: string | null; regionCode?: string | null; after?: string | null };

const AFTER_DESCRIPTION =
  'Resume after this cursor (the `cursor` of the last event received): the events since come first, in order, then live ones. ' +
  'CURSOR_EXPIRED when it is older than the event log keeps.';

/** The position an `after` cursor names (a decimal position in the event log). */
function positionOf(after: string | null | undefined): number | undefined {
  if (after == null) return undefined;
  const position = /^\d{1,15}$/.test(after) ? Number(after) : NaN;
  if (!Number.isSafeInteger(position)) throw new BadUserInputError('after must be a cursor an event carried', 'after');
  return position;
}

/**
 * This node's events of one type that `keep` admits for this subscriber, from after `after` if
 * given. The subscriber's loaders are emptied before each event, so nothing it resolves is older
 * than the event. `return()` detaches at once (a closed socket stops counting at once).
 */
function stream(ctx: Context, type: EventType, after: string | null | undefined, keep: (event: Delivered) => boolean): AsyncIterableIterator<Delivered> {
  if (!ctx.events) throw new Error('no event bus');
  assertViewerCurrent(ctx.viewer);
  const source = ctx.events.subscribe(type, positionOf(after));
  return {
    async next(): Promise<IteratorResult<Delivered>> {
      for (;;) {
        const result = await source.next();
        if (result.done) return result;
        // The socket is closed at the token's expiry; this keeps an event in flight from slipping out.
        assertViewerCurrent(ctx.viewer);
        if (!keep(result.value)) continue;
        clearLoaders(ctx.loaders);
        return result;
      }
    },
    return: () => source.return!(),
    throw: (error?: unknown) => source.throw!(error),
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/** The object a subscription shows for `event`, carrying the event's cursor. */
function withCursor<T extends object>(value: T | null, event: Delivered): (T & { cursor: string }) | null {
  return value && Object.assign(Object.create(Object.getPrototypeOf(value) as object) as T, value, { cursor: event.cursor });
}

function checkRegionArg(regionCode: string | null | undefined): void {
  if (regionCode != null && !isRegionCode(regionCode)) throw new BadUserInputError('regionCode must be a six-digit region code', 'regionCode');
}

const inRegion = (event: Delivered, regionCode: string | null | undefined) => !regionCode || regionCovers(regionCode, event.regionCode);

/** Supervisors (in the region asked for, if any) pass; everyone else is refused at subscription. */
function requireKeeperFor(ctx: Context, regionCode: string | null | undefined): void {
  if (ctx.viewer.role === 'PUBLIC') throw new UnauthenticatedError('Sign in to subscribe to this');
  if (!isKeeper(ctx.viewer)) throw new ForbiddenError('This feed is for supervisors');
  if (regionCode && !governsRegion(ctx.viewer, regionCode)) throw new ForbiddenError(`Region ${regionCode} is outside your jurisdiction`);
}

@Resolver()
export class LiveResolver {
  @Subscription(() => RatingChanged, {
    description: 'Public: every change of a merchant’s score or grade, optionally for one merchant or region.',
    subscribe: ({ args, context }: SubscribeResolverData<unknown, Args, Context>) => {
      checkRegionArg(args.regionCode);
      return stream(context, 'rating', args.after, (e) => (!args.merchantId || e.merchantId === args.merchantId) && inRegion(e, args.regionCode));
    },
  })
  ratingChanged(
    @Root() event: Delivered,
    @Arg('merchantId', () => ID, { nullable: true }) _merchantId?: string | null,
    @Arg('regionCode', () => String, { nullable: true }) _regionCode?: string | null,
    @Arg('after', () => String, { nullable: true, description: AFTER_DESCRIPTION }) _after?: string | null,
  ): RatingChanged {
    return event as unknown as RatingChanged;
  }

  @Subscription(() => Appeal, {
    description:
      'Appeals as they change: supervisors for their regions, a merchant for its own complaints and praise, with the same privacy as queries.',
    subscribe: ({ args, context }: SubscribeResolverData<unknown, Args, Context>) => {
      checkRegionArg(args.regionCode);
      const { viewer } = context;
      if (viewer.role === 'PUBLIC') throw new UnauthenticatedError('Sign in to follow appeals');
      if (isKeeper(viewer) && args.regionCode && !governsRegion(viewer, args.regionCode)) {
        throw new ForbiddenError(`Region ${args.regionCode} is outside your jurisdiction`);
      }
      // Authorization applies to every event, not only at the start.
      return stream(
        context,
        'appeal',
        args.after,
        (e) =>
          e.type === 'appeal' &&
          inRegion(e, args.regionCode) &&
          appealVisibility(viewer, { regionCode: e.regionCode, merchantId: e.merchantId, type: e.appealType }) !== 'none',
      );
    },
  })
  async appealUpdated(
    @Root() event: Delivered,
    @Ctx() ctx: Context,
    @Arg('regionCode', () => String, { nullable: true }) _regionCode?: string | null,
    @Arg('after', () => String, { nullable: true, description: AFTER_DESCRIPTION }) _after?: string | null,
  ) {
    if (event.type !== 'appeal') return null;
    return loadOnce(event, 'appeal', async () => withCursor(await ctx.services.appeals.forEvent(event.appealId), event));
  }

  @Subscription(() => Pledge, {
    description: 'Public: return pledges as they are filed, suspended, resumed, revoked or expire.',
    subscribe: ({ args, context }: SubscribeResolverData<unknown, Args, Context>) => {
      checkRegionArg(args.regionCode);
      return stream(context, 'pledge', args.after, (e) => inRegion(e, args.regionCode));
    },
  })
  async pledgeChanged(
    @Root() event: Delivered,
    @Ctx() ctx: Context,
    @Arg('regionCode', () => String, { nullable: true }) _regionCode?: string | null,
    @Arg('after', () => String, { nullable: true, description: AFTER_DESCRIPTION }) _after?: string | null,
  ) {
    if (event.type !== 'pledge') return null;
    return loadOnce(event, 'pledge', async () => withCursor(await ctx.services.pledges.forEvent(event.pledgeId), event));
  }

  @Subscription(() => FundBalanceChanged, {
    description: 'Supervisors: a compensation fund’s balance or minimum changed in their regions.',
    subscribe: ({ args, context }: SubscribeResolverData<unknown, Args, Context>) => {
      checkRegionArg(args.regionCode);
      requireKeeperFor(context, args.regionCode);
      const { viewer } = context;
      return stream(context, 'fund', args.after, (e) => inRegion(e, args.regionCode) && governsRegion(viewer, e.regionCode));
    },
  })
  async fundBalanceChanged(
    @Root() event: Delivered,
    @Ctx() ctx: Context,
    @Arg('regionCode', () => String, { nullable: true }) _regionCode?: string | null,
    @Arg('after', () => String, { nullable: true, description: AFTER_DESCRIPTION }) _after?: string | null,
  ): Promise<FundBalanceChanged | null> {
    if (event.type !== 'fund') return null;
    // The fund and its balance are read once per event, however many supervisors listen.
    return loadOnce(event, 'fund', async () => withCursor(await ctx.services.funds.balanceNow(event.fundId), event));
  }
}
