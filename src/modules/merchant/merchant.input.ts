import { Field, ID, InputType, Int } from 'type-graphql';
import { CreditList, Grade, Industry, MerchantKind, SizeBand, TenancyKind } from '../../graphql/enums';
import { DateScalar } from '../../graphql/scalars';

@InputType({ description: 'Every given condition must hold.' })
export class MerchantFilter {
  @Field(() => String, { nullable: true, description: 'Part of the name, e.g. 超市.' })
  nameContains?: string | null;

  @Field(() => String, { nullable: true, description: 'The exact USCC (checked like everywhere else).' })
  uscc?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'A district code, or a city code (421300) covering its districts.',
  })
  regionCode?: string | null;

  @Field(() => Industry, { nullable: true })
  industry?: Industry | null;

  @Field(() => MerchantKind, { nullable: true })
  kind?: MerchantKind | null;

  @Field(() => Grade, { nullable: true, description: 'The grade of the current rating.' })
  grade?: Grade | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'true: only merchants with an ACTIVE return pledge in effect today; false: only those without.',
  })
  hasActivePledge?: boolean | null;
}

@InputType()
export class RegisterMerchantInput {
  @Field({ description: 'Checked against GB 32100-2015; its first two characters give the kind.' })
  uscc!: string;

  @Field()
  name!: string;

  @Field(() => Industry)
  industry!: Industry;

  @Field(() => SizeBand)
  sizeBand!: SizeBand;

  @Field({ description: 'District code; must lie in the supervisor’s jurisdiction.' })
  regionCode!: string;

  @Field()
  address!: string;

  @Field(() => DateScalar)
  establishedOn!: string;

  @Field(() => String, { nullable: true })
  contactName?: string | null;

  @Field(() => String, { nullable: true })
  contactPhone?: string | null;

  @Field(() => ID, { nullable: true, description: 'The market or platform it trades through.' })
  hostMerchantId?: string | null;

  @Field(() => TenancyKind, { nullable: true, description: 'Required with hostMerchantId.' })
  tenancyKind?: TenancyKind | null;

  @Field(() => Boolean, { nullable: true })
  rightsServiceStation?: boolean | null;
}

@InputType({ description: 'Only the given fields change.' })
export class UpdateMerchantInput {
  @Field(() => ID)
  id!: string;

  @Field(() => Int, { nullable: true, description: 'Refuse the change (CONFLICT) unless the merchant is still at this version.' })
  expectedVersion?: number | null;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => Industry, { nullable: true })
  industry?: Industry | null;

  @Field(() => SizeBand, { nullable: true })
  sizeBand?: SizeBand | null;

  @Field(() => String, { nullable: true, description: 'Moving a merchant needs jurisdiction over both regions.' })
  regionCode?: string | null;

  @Field(() => String, { nullable: true })
  address?: string | null;

  @Field(() => DateScalar, { nullable: true })
  establishedOn?: string | null;

  @Field(() => Boolean, { nullable: true })
  rightsServiceStation?: boolean | null;
}

@InputType({ description: 'A merchant’s own public contact details; null clears one.' })
export class UpdateMerchantContactInput {
  @Field(() => ID)
  merchantId!: string;

  @Field(() => Int, { nullable: true })
  expectedVersion?: number | null;

  @Field(() => String, { nullable: true })
  contactName?: string | null;

  @Field(() => String, { nullable: true })
  contactPhone?: string | null;
}

@InputType()
export class SetMerchantHostInput {
  @Field(() => ID)
  merchantId!: string;

  @Field(() => ID, { nullable: true, description: 'null: the merchant no longer trades through a host.' })
  hostMerchantId?: string | null;

  @Field(() => TenancyKind, { nullable: true })
  tenancyKind?: TenancyKind | null;
}

@InputType()
export class StreetMembershipInput {
  @Field(() => ID)
  streetId!: string;

  @Field(() => ID)
  merchantId!: string;

  @Field(() => DateScalar, { description: 'The day it joined (add) or left (remove).' })
  on!: string;
}

@InputType()
export class AddCreditListEntryInput {
  @Field(() => ID)
  merchantId!: string;

  @Field(() => CreditList)
  list!: CreditList;

  @Field(() => DateScalar)
  listedOn!: string;

  @Field()
  reason!: string;

  @Field(() => String, { nullable: true, description: 'The number of the listing decision.' })
  decisionRef?: string | null;
}

@InputType({ description: '信用修复: the merchant leaves the list.' })
export class RemoveCreditListEntryInput {
  @Field(() => ID)
  entryId!: string;

  @Field(() => DateScalar, { description: 'First day off the list (after listedOn).' })
  removedOn!: string;

  @Field()
  removalReason!: string;
}
