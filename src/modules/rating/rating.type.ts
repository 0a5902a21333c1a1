import { Field, Float, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { enumObject, Grade } from '../../graphql/enums';
import { DateScalar } from '../../graphql/scalars';
import { connectionTypes } from '../../graphql/connection';
import { WHAT_IF_KINDS } from '../../domain/rating/what-if';
import type { ratingHistory } from '../../db/schema';

export type RatingHistoryRow = typeof ratingHistory.$inferSelect;

export const RatingFactorKind = enumObject(['POSITIVE', 'DEDUCTION', 'ADJUSTMENT'] as const);
export type RatingFactorKind = keyof typeof RatingFactorKind;
registerEnumType(RatingFactorKind, { name: 'RatingFactorKind' });

export const RatingChangeKind = enumObject(WHAT_IF_KINDS);
export type RatingChangeKind = keyof typeof RatingChangeKind;
registerEnumType(RatingChangeKind, {
  name: 'RatingChangeKind',
  description: 'A step the merchant could take today, tried out by ratingWhatIf without writing anything.',
  valuesConfig: {
    ENROLL_SETTLEMENT_PLATFORM: { description: '入驻湖北315消费纠纷和解平台 (+6 disputeChannel)' },
    GAIN_ODR_RECOGNITION: { description: '成为ODR企业 (+4 disputeChannel)' },
    ANSWER_OPEN_COMPLAINTS: { description: 'Answer today every accepted complaint still within its 10 working days' },
    PASS_PLEDGE_AUDIT: { description: 'A COMPLIANT audit today of the pledge in effect' },
    FILE_PLEDGE: { description: 'File a seven-day return pledge in effect from today' },
    RESPOND_TO_PATTERNS: { description: 'File a pattern response today for every issue type' },
    REIMBURSE_PAYOUTS: { description: 'Repay today every payout the host’s fund made for you' },
    TOP_UP_FUND: { description: 'Bring your compensation fund up to its minimum today' },
    LEAVE_ABNORMAL_LIST: { description: '信用修复: off the abnormal-operations list from today' },
  },
});

@ObjectType({ description: 'One factor of a rating: its points, its bound, and the evidence behind it.' })
export class RatingFactor {
  @Field({ description: 'responsiveness, resolution, volume, pledge, disputeChannel, tenure, pledgeViolations, substantiatedReports, complaintPattern, compensationFund, praise, clamp or cap.' })
  key!: string;

  @Field(() => RatingFactorKind)
  kind!: RatingFactorKind;

  @Field(() => Float, { description: 'Points to two decimals; the factors add up to the score exactly.' })
  points!: number;

  @Field(() => Float, { nullable: true, description: 'Positive factors: the most they give.' })
  max!: number | null;

  @Field(() => Float, { nullable: true, description: 'Deductions and adjustments: their bound (negative for deductions).' })
  limit!: number | null;

  @Field(() => GraphQLJSON, {
    description: 'Counts and weighted sums; `recordIds` only for the merchant itself and supervisors of its region.',
  })
  evidence!: Record<string, unknown>;
}

@ObjectType({ description: 'An integrity rating under a published model (see docs/rating.md).' })
export class Rating {
  @Field(() => Float)
  score!: number;

  @Field(() => Grade, { description: 'A, B, C, D, or NR (not rated: under 90 days old with no records).' })
  grade!: Grade;

  @Field(() => Grade, { description: 'The grade the score gives, also when NR is shown.' })
  scoreGrade!: Grade;

  @Field()
  modelVersion!: string;

  @Field(() => DateScalar, { description: 'The Asia/Shanghai day the rating is for.' })
  asOf!: string;

  @Field({ description: 'When it was computed.' })
  computedAt!: Date;

  @Field(() => [RatingFactor])
  factors!: RatingFactor[];
}

@ObjectType({ description: 'A change of score or grade, with what caused it.' })
export class RatingHistoryEntry {
  @Field(() => Float)
  score!: number;

  @Field(() => Grade)
  grade!: Grade;

  @Field(() => Float, { nullable: true })
  previousScore!: number | null;

  @Field(() => Grade, { nullable: true })
  previousGrade!: Grade | null;

  @Field(() => DateScalar)
  asOf!: string;

  @Field()
  computedAt!: Date;

  @Field({ description: 'The mutation or job that changed it, e.g. appeal.accept, pledge.audit, ratings.daily.' })
  cause!: string;

  @Field()
  modelVersion!: string;
}

export const { ConnectionType: RatingHistoryConnection } = connectionTypes(RatingHistoryEntry, 'RatingHistory');

@InputType()
export class RatingChange {
  @Field(() => RatingChangeKind)
  kind!: RatingChangeKind;
}

@ObjectType({ description: 'What the rating would be after the given steps; nothing is written.' })
export class RatingWhatIf {
  @Field(() => Rating)
  current!: Rating;

  @Field(() => Rating)
  projected!: Rating;

  @Field(() => Float, { description: 'projected.score − current.score' })
  scoreDelta!: number;
}
