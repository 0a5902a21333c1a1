import { Field, Float, InputType, Int, ObjectType } from 'type-graphql';
import { GraphQLSafeInt } from 'graphql-scalars';
import { DateScalar } from '../../graphql/scalars';

@ObjectType({ description: 'A rate as numerator ÷ denominator, in percent to two decimals (half-up).' })
export class Rate {
  @Field(() => Int)
  numerator!: number;

  @Field(() => Int)
  denominator!: number;

  @Field(() => Float, { nullable: true, description: 'null when the denominator is 0.' })
  percent!: number | null;

  @Field({ description: 'How numerator and denominator are counted.' })
  definition!: string;
}

@ObjectType({ description: 'A count, its share of its whole, and its change against the same period a year earlier.' })
export class CountShare {
  @Field({ description: 'An appeal type, a category code, or a violation type.' })
  key!: string;

  @Field(() => String, { nullable: true })
  label!: string | null;

  @Field(() => Int)
  count!: number;

  @Field(() => Float, { nullable: true, description: 'Percent of its whole (two decimals).' })
  sharePercent!: number | null;

  @Field(() => Int)
  previousCount!: number;

  @Field(() => Float, { nullable: true, description: 'Change against the previous period, percent (null without a base).' })
  changePercent!: number | null;
}

@ObjectType({ description: 'The 12315 figures of a period, computed in SQL from the appeals on record.' })
export class AppealStatistics {
  @Field(() => DateScalar)
  from!: string;

  @Field(() => DateScalar)
  to!: string;

  @Field(() => String, { nullable: true, description: 'The region covered (a city covers its districts); null for all.' })
  regionCode!: string | null;

  @Field(() => Int, { description: 'Appeals handled: received in the period.' })
  total!: number;

  @Field(() => [CountShare], { description: 'By type: CONSULTATION, COMPLAINT, REPORT, PRAISE.' })
  byType!: CountShare[];

  @Field(() => Rate, { description: '按时初查率' })
  complaintsDecidedOnTime!: Rate;

  @Field(() => Rate, { description: '按时办结率' })
  complaintsConcludedOnTime!: Rate;

  @Field(() => Rate, { description: '调解成功率' })
  mediationSuccess!: Rate;

  @Field(() => Rate, { description: '举报按时核查率' })
  reportsVerifiedOnTime!: Rate;

  @Field(() => GraphQLSafeInt, { description: '挽回经济损失, fen.' })
  amountRecoveredFen!: number;

  @Field(() => [CountShare], { description: 'Complaints by group (GOODS, SERVICES); shares of all complaints.' })
  complaintGroups!: CountShare[];

  @Field(() => [CountShare], { description: 'Complaints by category (e.g. GOODS.FOOD); shares within their group.' })
  complaintCategories!: CountShare[];

  @Field(() => [CountShare], { description: 'Complaints by sub-category (e.g. SERVICES.SALES.PREPAID); shares within their category.' })
  complaintSubCategories!: CountShare[];

  @Field(() => [CountShare], { description: 'Reports by violation type; shares of all reports.' })
  reportViolationTypes!: CountShare[];
}

@InputType()
export class StatisticsPeriod {
  @Field(() => DateScalar)
  from!: string;

  @Field(() => DateScalar)
  to!: string;
}
