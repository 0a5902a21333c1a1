import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { enumObject } from '../../graphql/enums';
import type { demonstrationStreets } from '../../db/schema';

export type DemonstrationStreetRow = typeof demonstrationStreets.$inferSelect;

@ObjectType({ description: 'A 放心消费示范街区 (e.g. 解放路) and the targets its members are held to.' })
export class DemonstrationStreet {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field()
  regionCode!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => Int, { description: 'Target share of members enrolled on the 3·15 settlement platform, percent.' })
  targetEnrollmentPct!: number;

  @Field(() => Int, { description: 'Target share of members displaying a seven-day return pledge, percent.' })
  targetPledgeDisplayPct!: number;

  @Field(() => Int, { description: 'Target share of members’ complaints handled, percent.' })
  targetComplaintHandlingPct!: number;
}

export const StreetTargetKey = enumObject(['SETTLEMENT_PLATFORM_ENROLLMENT', 'PLEDGE_DISPLAYED', 'COMPLAINT_HANDLING'] as const);
export type StreetTargetKey = keyof typeof StreetTargetKey;
registerEnumType(StreetTargetKey, { name: 'StreetTargetKey' });

@ObjectType({ description: 'One target of a demonstration street against its actual value today.' })
export class StreetTarget {
  @Field(() => StreetTargetKey)
  key!: StreetTargetKey;

  @Field(() => Int)
  targetPct!: number;

  @Field(() => Int)
  numerator!: number;

  @Field(() => Int)
  denominator!: number;

  @Field(() => Float, { nullable: true, description: 'Percent, two decimals; null when there is nothing to count.' })
  actualPct!: number | null;

  @Field()
  met!: boolean;

  @Field()
  definition!: string;

  /** Resolved to merchants by the street resolver. */
  missingMerchantIds!: string[];
}
