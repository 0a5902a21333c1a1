import { Field, InputType } from 'type-graphql';
import { Industry, MerchantKind } from '../../graphql/enums';

@InputType({ description: 'Every given condition must hold.' })
export class MerchantFilter {
  @Field(() => String, { nullable: true, description: 'Part of the name, e.g. 超市.' })
  nameContains?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'A district code, or a city code (421300) covering its districts.',
  })
  regionCode?: string | null;

  @Field(() => Industry, { nullable: true })
  industry?: Industry | null;

  @Field(() => MerchantKind, { nullable: true })
  kind?: MerchantKind | null;
}
