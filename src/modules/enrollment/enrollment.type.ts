import { enumObject } from '../../graphql/enums';
import { ENROLLMENT_STATUSES } from '../../domain/enrollment';
import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { disputeProgram, type disputeEnrollments } from '../../db/schema';
import { Merchant } from '../merchant/merchant.type';

export type EnrollmentPeriodRow = typeof disputeEnrollments.$inferSelect;

/** The GraphQL enum is built from the database enum so the two lists cannot drift apart. */
export const DisputeProgram = enumObject(disputeProgram.enumValues);
export type DisputeProgram = keyof typeof DisputeProgram;
registerEnumType(DisputeProgram, {
  name: 'DisputeProgram',
  description: 'A consumer-dispute channel a merchant can take part in.',
  valuesConfig: {
    SETTLEMENT_PLATFORM: { description: '湖北315消费纠纷和解平台: the provincial 3·15 settlement platform' },
    ODR: { description: 'ODR企业: recognised for online dispute resolution (answers within 10 working days)' },
  },
});

export const EnrollmentStatus = enumObject(ENROLLMENT_STATUSES);
export type EnrollmentStatus = keyof typeof EnrollmentStatus;
registerEnumType(EnrollmentStatus, { name: 'EnrollmentStatus' });

@ObjectType({ description: 'One period of enrollment (or ODR recognition); closed periods are never changed.' })
export class EnrollmentPeriod {
  @Field(() => ID)
  id!: string;

  @Field(() => DisputeProgram)
  program!: DisputeProgram;

  @Field()
  startedAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When the period was closed; null while it is open.' })
  endedAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'Why the merchant left the program, when a reason was given.' })
  endReason!: string | null;

  /** Resolved through the merchant loader. Who started or ended a period is in the audit log. */
  merchantId!: string;
}

@ObjectType({ description: "A merchant's standing in one program now, and its history there." })
export class DisputeChannelStatus {
  @Field(() => DisputeProgram)
  program!: DisputeProgram;

  @Field(() => EnrollmentStatus)
  status!: EnrollmentStatus;

  @Field(() => Date, {
    nullable: true,
    description: 'Since when the status holds: the start of the open period, or the end of the last one; null if never enrolled.',
  })
  since!: Date | null;

  @Field(() => [EnrollmentPeriod], { description: 'Every period, newest first.' })
  history!: EnrollmentPeriodRow[];
}

@ObjectType({ description: 'Enrollment on the 3·15 settlement platform and ODR recognition.' })
export class DisputeChannels {
  @Field(() => DisputeChannelStatus)
  settlementPlatform!: DisputeChannelStatus;

  @Field(() => DisputeChannelStatus)
  odr!: DisputeChannelStatus;
}

@ObjectType({ description: 'How many merchants of a region are enrolled now (入驻率).' })
export class EnrollmentRate {
  @Field({ description: 'The region counted: the one asked for, or one of its districts.' })
  regionCode!: string;

  @Field(() => String, { nullable: true, description: 'Its name, when the registry knows it.' })
  regionName!: string | null;

  @Field(() => DisputeProgram)
  program!: DisputeProgram;

  @Field(() => Int)
  enrolled!: number;

  @Field(() => Int, { description: 'All registered merchants of the region.' })
  total!: number;

  @Field(() => Float, { nullable: true, description: 'enrolled ÷ total in percent, rounded half-up to two decimals; null when total is 0.' })
  percent!: number | null;
}

@ObjectType({ description: 'Enrollment of the current members of a demonstration street (放心消费示范街区).' })
export class StreetEnrollment {
  @Field(() => ID)
  streetId!: string;

  @Field()
  streetName!: string;

  @Field()
  regionCode!: string;

  @Field(() => DisputeProgram)
  program!: DisputeProgram;

  @Field(() => Int, { description: 'Current members (joined and not left).' })
  members!: number;

  @Field(() => Int)
  enrolled!: number;

  @Field(() => Float, { nullable: true, description: 'enrolled ÷ members in percent, two decimals; null without members.' })
  percent!: number | null;

  @Field(() => Int, {
    nullable: true,
    description: "The street's enrollment target in percent; the street sets one for the settlement platform only.",
  })
  targetPct!: number | null;

  @Field(() => Boolean, { nullable: true, description: 'Whether the percentage reaches the target (null without a target or members).' })
  meetsTarget!: boolean | null;

  @Field(() => [Merchant], { description: 'Current members not enrolled, by name.' })
  notEnrolled!: Merchant[];
}
