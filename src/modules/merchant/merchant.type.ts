import { Field, ID, Int, ObjectType } from 'type-graphql';
import { DateScalar } from '../../graphql/scalars';
import { Industry, MerchantKind, SizeBand, TenancyKind } from '../../graphql/enums';
import { connectionTypes } from '../../graphql/connection';
import type { merchants } from '../../db/schema';

export type MerchantRow = typeof merchants.$inferSelect;

@ObjectType({ description: 'A market subject (经营者), identified by its unified social credit code.' })
export class Merchant {
  @Field(() => ID)
  id!: string;

  @Field({ description: '统一社会信用代码 (GB 32100-2015), 18 characters.' })
  uscc!: string;

  @Field()
  name!: string;

  @Field(() => MerchantKind)
  kind!: MerchantKind;

  @Field(() => Industry)
  industry!: Industry;

  @Field(() => SizeBand)
  sizeBand!: SizeBand;

  @Field({ description: 'GB/T 2260 region code of the district (e.g. 421303 曾都区).' })
  regionCode!: string;

  @Field()
  address!: string;

  @Field(() => DateScalar)
  establishedOn!: string;

  @Field(() => String, { nullable: true, description: 'Public business contact.' })
  contactName!: string | null;

  @Field(() => String, { nullable: true, description: 'Public business telephone.' })
  contactPhone!: string | null;

  @Field(() => TenancyKind, {
    nullable: true,
    description: 'How this merchant trades through its host, when it has one.',
  })
  tenancyKind!: TenancyKind | null;

  @Field({ description: 'Hosts a red consumer-rights service station (红色消费维权服务站).' })
  rightsServiceStation!: boolean;

  @Field(() => Int, { description: 'Bumped by every change; pass it as expectedVersion to update safely.' })
  version!: number;

  /** Resolved by MerchantResolver.host through a per-request DataLoader. */
  hostMerchantId!: string | null;
}

export const { EdgeType: MerchantEdge, ConnectionType: MerchantConnection } = connectionTypes(Merchant, 'Merchant');
