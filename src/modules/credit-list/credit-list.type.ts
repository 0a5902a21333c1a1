import { Field, ID, ObjectType } from 'type-graphql';
import { CreditList } from '../../graphql/enums';
import { DateScalar } from '../../graphql/scalars';
import type { creditListEntries } from '../../db/schema';

export type CreditListEntryRow = typeof creditListEntries.$inferSelect;

@ObjectType({ description: 'A listing on the abnormal-operations or serious-violation list; public information.' })
export class CreditListEntry {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  merchantId!: string;

  @Field(() => CreditList)
  list!: CreditList;

  @Field(() => DateScalar)
  listedOn!: string;

  @Field()
  reason!: string;

  @Field(() => String, { nullable: true })
  decisionRef!: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'First day off the list (信用修复), if removed.' })
  removedOn!: string | null;

  @Field(() => String, { nullable: true })
  removalReason!: string | null;
}
