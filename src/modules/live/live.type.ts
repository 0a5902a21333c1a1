import { Field, Float, ID, ObjectType } from 'type-graphql';
import { GraphQLSafeInt } from 'graphql-scalars';
import { Grade } from '../../graphql/enums';
import { DateScalar } from '../../graphql/scalars';
import { CompensationFund } from '../fund/fund.type';

@ObjectType({ description: 'A merchant’s score or grade changed (public).' })
export class RatingChanged {
  @Field(() => ID)
  merchantId!: string;

  @Field()
  regionCode!: string;

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

  @Field({ description: 'What changed it, e.g. appeal.accept or ratings.daily.' })
  cause!: string;

  @Field({ description: 'The cursor of this event: give it as `after` to resume after it.' })
  cursor!: string;
}

@ObjectType({ description: 'A compensation fund’s balance or minimum changed (supervisors).' })
export class FundBalanceChanged {
  @Field(() => CompensationFund)
  fund!: unknown;

  @Field(() => GraphQLSafeInt)
  balanceFen!: number;

  @Field(() => GraphQLSafeInt)
  requiredMinimumFen!: number;

  @Field()
  belowMinimum!: boolean;

  @Field({ description: 'The cursor of this event: give it as `after` to resume after it.' })
  cursor!: string;
}
