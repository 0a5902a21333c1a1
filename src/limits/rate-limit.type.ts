import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({
  description:
    'The cost of this query and the viewer’s budget, in cost points per window (as GitHub’s rateLimit). The public is counted per client address, everyone else per token subject.',
})
export class RateLimit {
  @Field(() => Int, { description: 'Cost points of this query (charged unless dryRun), decided before execution.' })
  cost!: number;

  @Field(() => Int, { description: 'Points per window for this viewer’s role.' })
  limit!: number;

  @Field(() => Int, { description: 'Points left in the current window.' })
  remaining!: number;

  @Field(() => Int, { description: 'Points spent in the current window, this query included unless dryRun.' })
  used!: number;

  @Field({ description: 'When the window ends and the whole budget is available again.' })
  resetAt!: Date;
}
