import { Field, ID, InputType, Int } from 'type-graphql';
import { DateScalar } from '../../graphql/scalars';
import { AuditOutcome, PledgeScope } from './pledge.enums';

@InputType({ description: 'A return pledge a merchant files for itself, or a supervisor registers in its region.' })
export class FilePledgeInput {
  @Field(() => ID)
  merchantId!: string;

  @Field(() => Int, { nullable: true, description: 'Return window in days, at least 7 (default 7).' })
  windowDays?: number | null;

  @Field(() => PledgeScope, { nullable: true, description: 'Default ALL_GOODS.' })
  scope?: PledgeScope | null;

  @Field(() => [String], { nullable: true, description: 'Required (non-empty) for LISTED_CATEGORIES; must be empty for ALL_GOODS.' })
  scopeCategories?: string[] | null;

  @Field(() => [String], {
    nullable: true,
    description:
      'Exclusions, each one of the legal list (the ReturnExclusion values): MADE_TO_ORDER, FRESH_PERISHABLE, DIGITAL_DOWNLOADED_OR_UNSEALED, NEWSPAPERS_PERIODICALS, UNSEALING_AFFECTS_SAFETY_HEALTH, LOSES_VALUE_ONCE_ACTIVATED, NEAR_EXPIRY_OR_DEFECTIVE_DISCLOSED. Anything else is refused as BAD_USER_INPUT naming the entry.',
  })
  exclusions?: string[] | null;

  @Field(() => DateScalar, { nullable: true, description: 'Default: today in Asia/Shanghai.' })
  effectiveFrom?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'The day the pledge expires: the first day it is no longer in effect (a pledge for 2025 has effectiveFrom 2025-01-01 and expiresOn 2026-01-01). After effectiveFrom and not today or earlier; null: open-ended.' })
  expiresOn?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'The pledge signboard is displayed (default false).' })
  signboardDisplayed?: boolean | null;
}

@InputType({ description: 'An audit (监督检查) of a pledge in effect.' })
export class RecordPledgeAuditInput {
  @Field(() => ID)
  pledgeId!: string;

  @Field(() => DateScalar, { description: 'Not after today (Asia/Shanghai).' })
  auditedOn!: string;

  @Field({ description: 'Who inspected, e.g. 曾都区市场监管局 张三.' })
  inspector!: string;

  @Field(() => AuditOutcome)
  outcome!: AuditOutcome;

  @Field(() => String, { nullable: true })
  findings?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Required for VIOLATION; on or after auditedOn.' })
  rectificationDueOn?: string | null;

  @Field(() => Int, { nullable: true, description: 'The pledge version you saw; a different current version is CONFLICT.' })
  expectedVersion?: number | null;
}
