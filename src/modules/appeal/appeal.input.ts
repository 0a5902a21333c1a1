import { Field, ID, InputType, Int } from 'type-graphql';
import { GraphQLSafeInt } from 'graphql-scalars';
import { AppealAction, AppealChannel, AppealStatus, AppealType, IssueType, ViolationType } from './appeal.type';

@InputType({ description: 'A new appeal as registered at intake (status RECEIVED).' })
export class CreateAppealInput {
  @Field(() => AppealType)
  type!: AppealType;

  @Field(() => AppealChannel)
  channel!: AppealChannel;

  @Field({ nullable: true, description: 'When it was received; now if omitted. Not in the future.' })
  receivedAt?: Date;

  @Field(() => String, { nullable: true, description: 'Unique id in the 12315 system.' })
  externalId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Required for complaints and reports.' })
  merchantId?: string | null;

  @Field(() => String, { nullable: true, description: 'Required without a merchant. With one, the merchant’s region decides: leave it out, or give that region (another is BAD_USER_INPUT).' })
  regionCode?: string | null;

  @Field(() => String, { nullable: true, description: 'A code of the 12315 taxonomy, e.g. GOODS.FOOD or SERVICES.SALES.PREPAID.' })
  categoryCode?: string | null;

  @Field(() => IssueType, { nullable: true })
  issueType?: IssueType | null;

  @Field(() => ViolationType, { nullable: true, description: 'Reports only.' })
  violationType?: ViolationType | null;

  @Field(() => GraphQLSafeInt, { nullable: true, description: 'Fen.' })
  amountInvolvedFen?: number | null;

  @Field(() => String, { nullable: true })
  consumerName?: string | null;

  @Field(() => String, { nullable: true })
  consumerPhone?: string | null;

  @Field(() => String, { nullable: true })
  details?: string | null;
}

@InputType({ description: 'One workflow step; refused (CONFLICT) if illegal now or if the appeal changed since expectedVersion.' })
export class AdvanceAppealInput {
  @Field(() => ID)
  id!: string;

  @Field(() => AppealAction)
  action!: AppealAction;

  @Field(() => Int, { description: 'The version you saw; a stale one is refused.' })
  expectedVersion!: number;

  @Field(() => String, { nullable: true, description: 'Required to REJECT; kept with every step.' })
  reason?: string | null;

  @Field(() => GraphQLSafeInt, { nullable: true, description: 'On concluding: economic loss recovered, fen.' })
  amountRecoveredFen?: number | null;
}

@InputType()
export class AnswerComplaintInput {
  @Field(() => ID)
  appealId!: string;

  @Field()
  body!: string;
}

@InputType({ description: 'What the merchant did about a pattern of complaints of one issue type.' })
export class FilePatternResponseInput {
  @Field(() => ID)
  merchantId!: string;

  @Field(() => IssueType)
  issueType!: IssueType;

  @Field()
  body!: string;
}

@InputType()
export class AppealFilter {
  @Field(() => String, { nullable: true, description: 'A district or city code (must be in your jurisdiction).' })
  regionCode?: string | null;

  @Field(() => ID, { nullable: true })
  merchantId?: string | null;

  @Field(() => AppealType, { nullable: true })
  type?: AppealType | null;

  @Field(() => AppealStatus, { nullable: true })
  status?: AppealStatus | null;
}
