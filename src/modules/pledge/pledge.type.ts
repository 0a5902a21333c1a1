import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { pledgeAudits, pledgeStatusChanges, returnPledges } from '../../db/schema';
import { connectionTypes } from '../../graphql/connection';
import type { InEffectStatus } from '../../domain/pledge-period';
import { DateScalar } from '../../graphql/scalars';
import { Merchant, type MerchantRow } from '../merchant/merchant.type';
import { AuditDueReason, AuditOutcome, EligibilityReasonCode, PledgeScope, PledgeStatus, ReturnExclusion } from './pledge.enums';

export type PledgeRow = typeof returnPledges.$inferSelect;
export type PledgeStatusChangeRow = typeof pledgeStatusChanges.$inferSelect;
export type PledgeAuditRow = typeof pledgeAudits.$inferSelect;

@ObjectType({
  description:
    'A 线下七日无理由退货承诺: voluntary, binding once made. Public, save filedBy and the staff names in history and audits (supervisors and admins only).',
})
export class Pledge {
  @Field(() => ID)
  id!: string;

  @Field(() => Int, { description: 'Days after receipt the goods may be returned; at least 7.' })
  windowDays!: number;

  @Field(() => PledgeScope)
  scope!: PledgeScope;

  @Field(() => [String], { description: 'Goods categories covered when scope is LISTED_CATEGORIES (names as the merchant wrote them).' })
  scopeCategories!: string[];

  @Field(() => [ReturnExclusion], { description: 'Exclusions the pledge makes, all from the legal list.' })
  exclusions!: ReturnExclusion[];

  @Field(() => DateScalar, { description: 'The first day the pledge is in effect.' })
  effectiveFrom!: string;

  @Field(() => DateScalar, {
    nullable: true,
    description: 'The day the pledge expires: the first day it is no longer in effect (it binds on effectiveFrom ≤ day < expiresOn, and reads EXPIRED from this day on); null: open-ended.',
  })
  expiresOn!: string | null;

  @Field({ description: 'The pledge signboard is displayed in the shop.' })
  signboardDisplayed!: boolean;

  @Field(() => Date, { nullable: true })
  revokedAt!: Date | null;

  @Field(() => String, { nullable: true })
  revocationReason!: string | null;

  @Field(() => Int, { description: 'Bumped by every change; pass it as expectedVersion to refuse a stale change.' })
  version!: number;

  @Field()
  createdAt!: Date;

  @Field()
  updatedAt!: Date;

  /** The stored status; the API shows effectiveStatus (EXPIRED from its expiresOn day on). */
  status!: PledgeRow['status'];
  merchantId!: string;
  filedBy!: string;

  @Field(() => String, {
    nullable: true,
    description: 'Subscriptions only: the cursor of the event that delivered this (give it as `after` to resume); null in queries.',
  })
  cursor?: string | null;
}

@ObjectType({ description: 'One status change of a pledge; the first has no fromStatus.' })
export class PledgeStatusChange {
  @Field(() => ID)
  id!: string;

  @Field(() => PledgeStatus, { nullable: true })
  fromStatus!: PledgeStatus | null;

  @Field(() => PledgeStatus)
  toStatus!: PledgeStatus;

  @Field(() => String, { nullable: true })
  reason!: string | null;

  @Field()
  at!: Date;

  /** Shown to keepers only (PledgeStatusChangeResolver.actor). */
  actor!: string;
}

@ObjectType({
  description:
    'A 承诺履行监督检查. Outcomes and findings are public supervision results; the inspector is shown to supervisors and admins only.',
})
export class PledgeAudit {
  @Field(() => ID)
  id!: string;

  @Field(() => DateScalar)
  auditedOn!: string;

  @Field(() => AuditOutcome)
  outcome!: AuditOutcome;

  @Field(() => String, { nullable: true })
  findings!: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Required for a VIOLATION; on or after auditedOn.' })
  rectificationDueOn!: string | null;

  @Field({ description: 'When the audit was recorded.' })
  createdAt!: Date;

  /** Shown to keepers only (PledgeAuditResolver.inspector). */
  inspector!: string;
  pledgeId!: string;
}

@ObjectType({ description: 'A pledge in effect that is due for audit, and why.' })
export class AuditQueueItem {
  @Field(() => Pledge)
  pledge!: PledgeRow;

  @Field(() => Merchant)
  merchant!: MerchantRow;

  @Field(() => [AuditDueReason], { description: 'Every reason that applies (at least one).' })
  reasons!: AuditDueReason[];

  @Field(() => Int, { description: 'Open 12315 complaints about refused returns against the merchant.' })
  openRefusedReturnComplaints!: number;

  @Field(() => PledgeAudit, { nullable: true })
  lastAudit!: PledgeAuditRow | null;
}

export const { ConnectionType: AuditQueueConnection } = connectionTypes(AuditQueueItem, 'AuditQueue');

@ObjectType({ description: 'A goods category returnEligibility understands, and the legal exclusion tied to it.' })
export class GoodsCategory {
  @Field({ description: 'Pass this (or nameZh or an alias) as goodsCategory.' })
  code!: string;

  @Field()
  nameZh!: string;

  @Field()
  nameEn!: string;

  @Field(() => ReturnExclusion, { nullable: true, description: 'The legal exclusion that applies to these goods, if any.' })
  exclusion!: ReturnExclusion | null;

  @Field({ description: 'The exclusion applies whatever the consumer confirmed (false: only if confirmed at purchase).' })
  alwaysExcluded!: boolean;

  @Field(() => [String], { description: 'Other names matched, e.g. those used in pledges’ listed categories.' })
  aliases!: string[];
}

@ObjectType({ description: 'One reason in a return eligibility answer, in Chinese and English.' })
export class EligibilityReason {
  @Field(() => EligibilityReasonCode)
  code!: EligibilityReasonCode;

  @Field({ description: 'A blocking reason makes the goods ineligible; the others are caveats.' })
  blocking!: boolean;

  @Field()
  messageZh!: string;

  @Field()
  messageEn!: string;
}

@ObjectType({ description: 'Whether goods can still be returned under the merchant’s pledge.' })
export class ReturnEligibility {
  @Field({ description: 'True when no blocking reason applies.' })
  eligible!: boolean;

  @Field(() => DateScalar, {
    nullable: true,
    description:
      'Last day to return: receivedOn + windowDays (the window starts the day after receipt), moved to the next working day of the official PRC calendar when it is a public holiday or a weekend that is not an adjusted workday. Null when no pledge applies.',
  })
  lastDay!: string | null;

  @Field({ description: 'lastDay falls in or depends on a year whose holiday schedule is not yet published (Monday–Friday assumed).' })
  lastDayProvisional!: boolean;

  @Field(() => Int, { nullable: true })
  windowDays!: number | null;

  @Field(() => [EligibilityReason])
  reasons!: EligibilityReason[];

  @Field(() => Pledge, {
    nullable: true,
    description:
      'The pledge the answer was decided on (its id and version name it): the one that bound the merchant on receivedOn. Its later suspension, revocation, expiry or replacement takes nothing away; a pledge filed after receipt does not apply.',
  })
  pledge!: PledgeRow | null;

  @Field(() => PledgeStatus, { nullable: true, description: 'The status of that pledge on receivedOn (ACTIVE or SUSPENDED); null when no pledge applies.' })
  pledgeStatusOnReceipt!: InEffectStatus | null;

  @Field(() => Merchant)
  merchant!: MerchantRow;

  @Field(() => GoodsCategory, { nullable: true, description: 'The goods category recognised in goodsCategory, if any.' })
  goodsCategory!: GoodsCategory | null;
}
