import { Field, ID, Int, ObjectType } from 'type-graphql';
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
