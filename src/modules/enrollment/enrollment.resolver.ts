import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { Merchant, type MerchantRow } from '../merchant/merchant.type';
import {
  DisputeChannels,
  DisputeProgram,
  EnrollmentPeriod,
  EnrollmentRate,
  StreetEnrollment,
  type EnrollmentPeriodRow,
} from './enrollment.type';

@Resolver(() => EnrollmentPeriod)
export class EnrollmentResolver {
  @Query(() => [EnrollmentRate], {
    description:
      'Enrollment now (入驻率) in a region and in each of its districts, the region first. A city code covers its districts.',
  })
  enrollmentRates(
    @Ctx() ctx: Context,
    @Arg('regionCode', () => String) regionCode: string,
    @Arg('program', () => DisputeProgram, { defaultValue: 'SETTLEMENT_PLATFORM' }) program: DisputeProgram,
  ): Promise<EnrollmentRate[]> {
    return ctx.services.enrollments.regionRates(regionCode, program);
  }

  @Query(() => StreetEnrollment, { description: "Enrollment of a demonstration street's current members." })
  demonstrationStreetEnrollment(
    @Ctx() ctx: Context,
    @Arg('streetId', () => ID) streetId: string,
    @Arg('program', () => DisputeProgram, { defaultValue: 'SETTLEMENT_PLATFORM' }) program: DisputeProgram,
  ): Promise<StreetEnrollment> {
    return ctx.services.enrollments.streetEnrollment(streetId, program);
  }

  @Authorized()
  @Mutation(() => EnrollmentPeriod, {
    description: 'Enrolls the merchant on the 3·15 settlement platform (the merchant itself, a supervisor of its region, or an admin).',
  })
  enrollOnSettlementPlatform(@Ctx() ctx: Context, @Arg('merchantId', () => ID) merchantId: string): Promise<EnrollmentPeriodRow> {
    return ctx.services.enrollments.start(merchantId, 'SETTLEMENT_PLATFORM');
  }

  @Authorized()
  @Mutation(() => EnrollmentPeriod, { description: 'Ends the open settlement-platform period; CONFLICT when not enrolled.' })
  withdrawFromSettlementPlatform(
    @Ctx() ctx: Context,
    @Arg('merchantId', () => ID) merchantId: string,
    @Arg('reason', () => String, { nullable: true }) reason?: string | null,
  ): Promise<EnrollmentPeriodRow> {
    return ctx.services.enrollments.end(merchantId, 'SETTLEMENT_PLATFORM', reason);
  }

  @Authorized('SUPERVISOR', 'ADMIN')
  @Mutation(() => EnrollmentPeriod, { description: 'Recognises the merchant as an ODR enterprise (a supervisor of its region or an admin).' })
  grantOdrRecognition(@Ctx() ctx: Context, @Arg('merchantId', () => ID) merchantId: string): Promise<EnrollmentPeriodRow> {
    return ctx.services.enrollments.start(merchantId, 'ODR');
  }

  @Authorized('SUPERVISOR', 'ADMIN')
  @Mutation(() => EnrollmentPeriod, { description: 'Withdraws ODR recognition; CONFLICT when not recognised.' })
  withdrawOdrRecognition(
    @Ctx() ctx: Context,
    @Arg('merchantId', () => ID) merchantId: string,
    @Arg('reason', () => String, { nullable: true }) reason?: string | null,
  ): Promise<EnrollmentPeriodRow> {
    return ctx.services.enrollments.end(merchantId, 'ODR', reason);
  }

  @FieldResolver(() => Merchant)
  async merchant(@Root() period: EnrollmentPeriodRow, @Ctx() ctx: Context): Promise<MerchantRow> {
    const merchant = await ctx.loaders.merchantById.load(period.merchantId);
    // The foreign key guarantees the merchant; a miss would be a bug, not a client error.
    if (!merchant) throw new Error(`merchant ${period.merchantId} of period ${period.id} is missing`);
    return merchant;
  }
}

@Resolver(() => Merchant)
export class MerchantDisputeChannelsResolver {
  @FieldResolver(() => DisputeChannels, {
    description: 'Settlement-platform enrollment and ODR recognition now, with their history. Public.',
  })
  disputeChannels(@Root() merchant: MerchantRow, @Ctx() ctx: Context): Promise<DisputeChannels> {
    return ctx.services.enrollments.channelsOf(merchant.id);
  }
}

/** Every resolver class of this module; schema.ts registers them. */
export const enrollmentResolvers = [EnrollmentResolver, MerchantDisputeChannelsResolver] as const;
