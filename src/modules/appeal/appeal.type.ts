import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLSafeInt } from 'graphql-scalars';
import { appealChannel, appealStatus, appealType, type appeals, type appealTransitions, type merchantAnswers, type patternResponses } from '../../db/schema';
import { APPEAL_ACTIONS } from '../../domain/appeal-workflow';
import { ISSUE_TYPES, VIOLATION_TYPES } from '../../domain/appeal-taxonomy';
import { enumObject } from '../../graphql/enums';
import { DateScalar } from '../../graphql/scalars';
import { connectionTypes } from '../../graphql/connection';

export type AppealRow = typeof appeals.$inferSelect;
export type AppealTransitionRow = typeof appealTransitions.$inferSelect;
export type MerchantAnswerRow = typeof merchantAnswers.$inferSelect;
export type PatternResponseRow = typeof patternResponses.$inferSelect;

export const AppealType = enumObject(appealType.enumValues);
export type AppealType = keyof typeof AppealType;
registerEnumType(AppealType, {
  name: 'AppealType',
  valuesConfig: {
    CONSULTATION: { description: '咨询' },
    COMPLAINT: { description: '投诉' },
    REPORT: { description: '举报' },
    PRAISE: { description: '表扬' },
  },
});

export const AppealChannel = enumObject(appealChannel.enumValues);
export type AppealChannel = keyof typeof AppealChannel;
registerEnumType(AppealChannel, { name: 'AppealChannel' });

export const AppealStatus = enumObject(appealStatus.enumValues);
export type AppealStatus = keyof typeof AppealStatus;
registerEnumType(AppealStatus, {
  name: 'AppealStatus',
  valuesConfig: {
    RECEIVED: { description: '登记' },
    ACCEPTED: { description: '受理' },
    REJECTED: { description: '不予受理' },
    IN_MEDIATION: { description: '调解中' },
    MEDIATED: { description: '调解成功' },
    MEDIATION_FAILED: { description: '调解终止' },
    WITHDRAWN: { description: '撤诉' },
    VERIFYING: { description: '核查中' },
    CASE_FILED: { description: '立案' },
    NOT_FILED: { description: '不予立案' },
    CLOSED: { description: '办结 (consultations, praise)' },
  },
});

export const AppealAction = enumObject(APPEAL_ACTIONS);
export type AppealAction = keyof typeof AppealAction;
registerEnumType(AppealAction, { name: 'AppealAction', description: 'A step of the workflow; which are possible depends on type and status.' });

export const IssueType = enumObject(Object.keys(ISSUE_TYPES) as (keyof typeof ISSUE_TYPES)[]);
export type IssueType = keyof typeof IssueType;
registerEnumType(IssueType, {
  name: 'IssueType',
  valuesConfig: Object.fromEntries(Object.entries(ISSUE_TYPES).map(([k, zh]) => [k, { description: zh }])),
});

export const ViolationType = enumObject(Object.keys(VIOLATION_TYPES) as (keyof typeof VIOLATION_TYPES)[]);
export type ViolationType = keyof typeof ViolationType;
registerEnumType(ViolationType, {
  name: 'ViolationType',
  valuesConfig: Object.fromEntries(Object.entries(VIOLATION_TYPES).map(([k, zh]) => [k, { description: zh }])),
});

@ObjectType({ description: 'A legal deadline of one step, in working days of the official calendar.' })
export class Deadline {
  @Field(() => DateScalar)
  dueOn!: string;

  @Field(() => DateScalar, { nullable: true, description: 'The Shanghai day the step was done.' })
  doneOn!: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Done by the due day; false once overdue; null while open and in time.' })
  onTime!: boolean | null;

  @Field()
  overdue!: boolean;

  @Field({ description: 'Computed over a year whose holiday schedule is not yet published (Monday–Friday assumed).' })
  provisional!: boolean;
}

@ObjectType()
export class AppealDeadlines {
  @Field(() => Deadline, { nullable: true, description: 'COMPLAINT: accept or reject within 7 working days of receipt.' })
  acceptance!: Deadline | null;

  @Field(() => Deadline, { nullable: true, description: 'COMPLAINT: the merchant answers within 10 working days of acceptance.' })
  answer!: Deadline | null;

  @Field(() => Deadline, { nullable: true, description: 'COMPLAINT: mediation concluded within 45 working days of acceptance.' })
  conclusion!: Deadline | null;

  @Field(() => Deadline, { nullable: true, description: 'REPORT: verified within 15 working days of receipt (30 once extended).' })
  verification!: Deadline | null;
}

@ObjectType({ description: 'A category of the 12315 taxonomy.' })
export class AppealCategory {
  @Field()
  code!: string;

  @Field()
  nameZh!: string;

  @Field()
  nameEn!: string;
}

@ObjectType({ description: 'One step of an appeal’s workflow.' })
export class AppealTransition {
  @Field(() => AppealStatus, { nullable: true })
  fromStatus!: AppealStatus | null;

  @Field(() => AppealStatus)
  toStatus!: AppealStatus;

  @Field()
  at!: Date;

  @Field({ description: 'Who took the step.' })
  actor!: string;

  @Field(() => String, { nullable: true })
  reason!: string | null;
}

@ObjectType({ description: 'A merchant’s answer to a complaint against it.' })
export class MerchantAnswer {
  @Field(() => ID)
  id!: string;

  @Field()
  body!: string;

  @Field()
  answeredAt!: Date;
}

@ObjectType({ description: 'A merchant’s response to a pattern of complaints of one issue type.' })
export class PatternResponse {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  merchantId!: string;

  @Field(() => IssueType)
  issueType!: IssueType;

  @Field()
  body!: string;

  @Field()
  respondedAt!: Date;
}

@ObjectType({
  description:
    'A 12315 appeal. Visible to supervisors of its region, and (complaints and praise only) to the merchant concerned with the consumer’s phone masked and name cut to the surname. Never to the public.',
})
export class Appeal {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true, description: 'The id in the 12315 system.' })
  externalId!: string | null;

  @Field(() => AppealType)
  type!: AppealType;

  @Field(() => AppealChannel)
  channel!: AppealChannel;

  @Field()
  receivedAt!: Date;

  @Field()
  regionCode!: string;

  @Field(() => IssueType, { nullable: true })
  issueType!: IssueType | null;

  @Field(() => ViolationType, { nullable: true })
  violationType!: ViolationType | null;

  @Field(() => GraphQLSafeInt, { description: 'Amount involved, fen.' })
  amountInvolvedFen!: number;

  @Field(() => GraphQLSafeInt, { description: 'Economic loss recovered (挽回经济损失), fen.' })
  amountRecoveredFen!: number;

  @Field(() => AppealStatus)
  status!: AppealStatus;

  @Field(() => Date, { nullable: true })
  acceptedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  rejectedAt!: Date | null;

  @Field(() => String, { nullable: true })
  rejectionReason!: string | null;

  @Field(() => Date, { nullable: true })
  concludedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'REPORT: when a case was filed (立案).' })
  caseFiledAt!: Date | null;

  @Field(() => Int, { description: 'Pass as expectedVersion to advance the appeal.' })
  version!: number;

  merchantId!: string | null;
  categoryCode!: string | null;
  consumerName!: string | null;
  consumerPhone!: string | null;
  details!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Subscriptions only: the cursor of the event that delivered this (give it as `after` to resume); null in queries.',
  })
  cursor?: string | null;
}

export const { ConnectionType: AppealConnection } = connectionTypes(Appeal, 'Appeal');

@ObjectType()
export class CountByKey {
  @Field({ description: 'A category code, issue type, status or year.' })
  key!: string;

  @Field(() => String, { nullable: true, description: 'Its Chinese name, where it has one.' })
  label!: string | null;

  @Field(() => Int)
  count!: number;
}

@ObjectType({
  description:
    'The merchant’s answers to accepted complaints (10 working days after acceptance): of those it could have answered by now (answered, or past the due day), how many it answered and how many on time.',
})
export class ComplaintAnswerShare {
  @Field(() => Int, { description: 'Accepted complaints answered, or unanswered past their answer due day; one still in its answer period and unanswered is left out.' })
  answerable!: number;

  @Field(() => Int, { description: 'Of those, answered at all.' })
  answered!: number;

  @Field(() => Int, { description: 'Of those, first answered on or before the due day (Asia/Shanghai days).' })
  answeredOnTime!: number;

  @Field(() => Float, { nullable: true, description: 'answeredOnTime ÷ answerable in percent, one decimal (half-up); null when nothing was answerable.' })
  onTimePercent!: number | null;
}

@ObjectType({ description: 'What a merchant did about a pattern of complaints of one issue type, as the public sees it (no one’s personal data).' })
export class PublicPatternResponse {
  @Field(() => IssueType)
  issueType!: IssueType;

  @Field({ description: 'The issue type’s Chinese name.' })
  issueTypeLabel!: string;

  @Field(() => DateScalar, { description: 'The Asia/Shanghai day of the response.' })
  respondedOn!: string;

  @Field({ description: 'What the merchant did, in its own words.' })
  body!: string;
}

@ObjectType({ description: 'Public complaint counts of one merchant; no consumer’s personal data, no complaint text.' })
export class ComplaintSummary {
  /** Whose summary it is, for its field resolvers; not in the schema. */
  merchantId!: string;

  @Field(() => Int, { description: 'Complaints received about the merchant.' })
  received!: number;

  @Field(() => Int, { description: 'Complaints accepted (受理); rejected ones do not count against it.' })
  accepted!: number;

  @Field(() => [CountByKey])
  byYear!: CountByKey[];

  @Field(() => [CountByKey])
  byCategory!: CountByKey[];

  @Field(() => [CountByKey])
  byIssueType!: CountByKey[];

  @Field(() => [CountByKey], { description: 'Accepted complaints by status: open, MEDIATED, MEDIATION_FAILED, WITHDRAWN.' })
  byOutcome!: CountByKey[];

  @Field(() => ComplaintAnswerShare, { description: 'The share of answerable complaints the merchant answered on time.' })
  answers!: ComplaintAnswerShare;
}
