import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { appealVisibility } from '../../auth/policy';
import { maskPhone, surnameOnly } from '../../domain/privacy';
import { ForbiddenError } from '../../errors';
import { Merchant, type MerchantRow } from '../merchant/merchant.type';
import { AdvanceAppealInput, AnswerComplaintInput, AppealFilter, CreateAppealInput, FilePatternResponseInput } from './appeal.input';
import {
  Appeal,
  AppealCategory,
  AppealConnection,
  AppealDeadlines,
  AppealTransition,
  ComplaintSummary,
  MerchantAnswer,
  PatternResponse,
  PublicPatternResponse,
  type AppealRow,
} from './appeal.type';

@Resolver(() => Appeal)
export class AppealResolver {
  @Authorized()
  @Query(() => Appeal, { nullable: true, description: 'One appeal (supervisors of its region; the merchant concerned, masked).' })
  appeal(@Ctx() ctx: Context, @Arg('id', () => ID) id: string) {
    return ctx.services.appeals.get(id);
  }

  @Authorized()
  @Query(() => AppealConnection, { description: 'Appeals you may see, newest first.' })
  appeals(
    @Ctx() ctx: Context,
    @Arg('filter', () => AppealFilter, { nullable: true }) filter?: AppealFilter | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ) {
    return ctx.services.appeals.list(filter ?? {}, first, after);
  }

  @Authorized('SUPERVISOR', 'ADMIN')
  @Query(() => AppealConnection, {
    description: 'Open steps overdue or due within N working days in a region, soonest deadline first.',
  })
  appealsDue(
    @Ctx() ctx: Context,
    @Arg('regionCode') regionCode: string,
    @Arg('withinWorkingDays', () => Int, { defaultValue: 0 }) withinWorkingDays: number,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ) {
    return ctx.services.appeals.due(regionCode, withinWorkingDays, first, after);
  }

  @Authorized('SUPERVISOR', 'ADMIN')
  @Mutation(() => Appeal, { description: 'Register an appeal received in your region.' })
  createAppeal(@Ctx() ctx: Context, @Arg('input', () => CreateAppealInput) input: CreateAppealInput) {
    return ctx.services.appeals.create(input);
  }

  @Authorized('SUPERVISOR', 'ADMIN')
  @Mutation(() => Appeal, { description: 'Take one workflow step (accept, reject, mediate, verify, file a case …).' })
  advanceAppeal(@Ctx() ctx: Context, @Arg('input', () => AdvanceAppealInput) input: AdvanceAppealInput) {
    return ctx.services.appeals.advance(input);
  }

  @Authorized('MERCHANT')
  @Mutation(() => MerchantAnswer, { description: 'Answer an accepted complaint against your merchant.' })
  answerComplaint(@Ctx() ctx: Context, @Arg('input', () => AnswerComplaintInput) input: AnswerComplaintInput) {
    return ctx.services.appeals.answer(input);
  }

  @Authorized('MERCHANT', 'SUPERVISOR', 'ADMIN')
  @Mutation(() => PatternResponse, { description: 'Record what was done about a pattern of complaints of one issue type.' })
  filePatternResponse(@Ctx() ctx: Context, @Arg('input', () => FilePatternResponseInput) input: FilePatternResponseInput) {
    return ctx.services.appeals.filePatternResponse(input);
  }

  @FieldResolver(() => Merchant, { nullable: true })
  merchant(@Root() appeal: AppealRow, @Ctx() ctx: Context) {
    return appeal.merchantId ? ctx.loaders.merchantById.load(appeal.merchantId) : null;
  }

  @FieldResolver(() => AppealCategory, { nullable: true })
  category(@Root() appeal: AppealRow, @Ctx() ctx: Context) {
    return appeal.categoryCode ? ctx.loaders.categoryByCode.load(appeal.categoryCode) : null;
  }

  // Personal data is checked again at the field, whatever path led to the appeal.
  @FieldResolver(() => String, { nullable: true, description: 'Full for supervisors; the surname only for the merchant.' })
  consumerName(@Root() appeal: AppealRow, @Ctx() ctx: Context): string | null {
    const visibility = appealVisibility(ctx.viewer, appeal);
    if (!appeal.consumerName || visibility === 'none') return null;
    return visibility === 'full' ? appeal.consumerName : surnameOnly(appeal.consumerName);
  }

  @FieldResolver(() => String, { nullable: true, description: 'Full for supervisors; masked (138****1234) for the merchant.' })
  consumerPhone(@Root() appeal: AppealRow, @Ctx() ctx: Context): string | null {
    const visibility = appealVisibility(ctx.viewer, appeal);
    if (!appeal.consumerPhone || visibility === 'none') return null;
    return visibility === 'full' ? appeal.consumerPhone : maskPhone(appeal.consumerPhone);
  }

  @FieldResolver(() => String, { nullable: true, description: 'Free text; supervisors and the merchant concerned.' })
  details(@Root() appeal: AppealRow, @Ctx() ctx: Context): string | null {
    return appealVisibility(ctx.viewer, appeal) === 'none' ? null : appeal.details;
  }

  @FieldResolver(() => AppealDeadlines)
  deadlines(@Root() appeal: AppealRow, @Ctx() ctx: Context) {
    return ctx.services.appeals.deadlines(appeal);
  }

  @FieldResolver(() => [AppealTransition], { description: 'The workflow history, oldest first.' })
  history(@Root() appeal: AppealRow, @Ctx() ctx: Context) {
    return ctx.loaders.transitionsByAppeal.load(appeal.id);
  }

  @FieldResolver(() => [MerchantAnswer], { description: 'The merchant’s answers, shown with the complaint.' })
  answers(@Root() appeal: AppealRow, @Ctx() ctx: Context) {
    return ctx.loaders.answersByAppeal.load(appeal.id);
  }
}

@Resolver(() => ComplaintSummary)
export class ComplaintSummaryResolver {
  @FieldResolver(() => [PublicPatternResponse], { description: 'What the merchant did about patterns of complaints, newest first.' })
  patternResponses(@Root() summary: ComplaintSummary, @Ctx() ctx: Context) {
    return ctx.services.appeals.publicPatternResponses(summary.merchantId);
  }
}

@Resolver(() => Merchant)
export class MerchantAppealFieldsResolver {
  @FieldResolver(() => ComplaintSummary, { description: 'Public complaint counts: by year, category, issue and outcome.' })
  complaintSummary(@Root() merchant: MerchantRow, @Ctx() ctx: Context) {
    return ctx.services.appeals.summary(merchant.id);
  }

  @FieldResolver(() => AppealConnection, {
    nullable: true,
    description:
      'Complaints and praise about this merchant, for the merchant itself (masked) and supervisors of its region; null with a FORBIDDEN error on this field for anyone else.',
  })
  complaints(
    @Root() merchant: MerchantRow,
    @Ctx() ctx: Context,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ) {
    if (appealVisibility(ctx.viewer, { regionCode: merchant.regionCode, merchantId: merchant.id, type: 'COMPLAINT' }) === 'none') {
      throw new ForbiddenError('Complaints are visible to the merchant concerned and to supervisors of its region');
    }
    return ctx.services.appeals.complaintsOf(merchant.id, first, after);
  }
}

export const appealResolvers = [AppealResolver, MerchantAppealFieldsResolver, ComplaintSummaryResolver] as const;
