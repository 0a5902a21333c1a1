import { enumObject } from '../../graphql/enums';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLSafeInt } from 'graphql-scalars';
import { ledgerEntryKind, type compensationFunds, type fundLedgerEntries } from '../../db/schema';
import { connectionTypes } from '../../graphql/connection';

/**
 * Money is integer fen carried as graphql-scalars `SafeInt`: a JSON number that must be an exact
 * integer up to 2^53 − 1 (about 90 trillion yuan), where GraphQL `Int` stops at 2^31 − 1
 * (21,474,836.47 yuan). Fractions and unsafe integers are refused by the scalar itself, so no
 * amount is ever rounded.
 */
export const Fen = GraphQLSafeInt;

export type FundRow = typeof compensationFunds.$inferSelect;
export type LedgerEntryRow = typeof fundLedgerEntries.$inferSelect;

/** A ledger entry with what is needed to decide who may see its private detail. */
export interface LedgerEntryView extends LedgerEntryRow {
  host: { id: string; regionCode: string };
}

export const LedgerEntryKind = enumObject(ledgerEntryKind.enumValues);
export type LedgerEntryKind = keyof typeof LedgerEntryKind;
registerEnumType(LedgerEntryKind, {
  name: 'LedgerEntryKind',
  description: 'Kinds of fund ledger entries; amounts are positive and the kind gives the sign.',
  valuesConfig: {
    DEPOSIT: { description: 'The host pays into the fund (+).' },
    PAYOUT: { description: '先行赔付: the fund compensates a consumer for a tenant (−).' },
    REIMBURSEMENT: { description: 'The tenant repays a payout made for it (+).' },
    WITHDRAWAL: { description: 'The host takes money out of the fund (−).' },
  },
});

const PRIVATE = 'Only for the host, supervisors of its region, admins and (on its own entries) the tenant; null for others.';

@ObjectType({ description: 'One entry of a compensation fund ledger (append-only).' })
export class FundLedgerEntry {
  @Field(() => ID)
  id!: string;

  @Field(() => LedgerEntryKind)
  kind!: LedgerEntryKind;

  @Field(() => Fen, { description: 'Positive, in fen; the kind gives the sign.' })
  amountFen!: number;

  @Field()
  occurredAt!: Date;

  @Field(() => ID, { nullable: true, description: 'REIMBURSEMENT: the payout it repays.' })
  reimbursesEntryId!: string | null;

  @Field(() => ID, { nullable: true, description: `PAYOUT: the 12315 appeal it compensates. ${PRIVATE}` })
  appealId!: string | null;

  @Field(() => String, { nullable: true, description: PRIVATE })
  note!: string | null;

  @Field(() => String, { nullable: true, description: `The key the entry was recorded under. ${PRIVATE}` })
  idempotencyKey!: string | null;

  @Field(() => String, { nullable: true, description: `Who recorded it (token subject). ${PRIVATE}` })
  recordedBy!: string | null;

  /** Resolved through loaders: the tenant (PAYOUT, REIMBURSEMENT) and the fund. */
  tenantMerchantId!: string | null;
  fundId!: string;
}

export const { ConnectionType: FundLedgerEntryConnection } = connectionTypes(FundLedgerEntry, 'FundLedgerEntry');

@ObjectType({
  description:
    "A host's prepaid compensation fund (消费维权赔偿预付 / 先行赔付). Balance and minimum are public; entries are public without their private detail.",
})
export class CompensationFund {
  @Field(() => ID)
  id!: string;

  @Field(() => Fen, { description: 'The balance the host must keep, in fen.' })
  requiredMinimumFen!: number;

  @Field()
  openedAt!: Date;

  /** Resolved by FundResolver: host, balanceFen, belowMinimum, entries. */
  hostMerchantId!: string;
}

export const { ConnectionType: CompensationFundConnection } = connectionTypes(CompensationFund, 'CompensationFund');

@ObjectType({ description: 'The result of a ledger mutation.' })
export class LedgerEntryResult {
  @Field(() => FundLedgerEntry)
  entry!: LedgerEntryView;

  @Field({ description: 'True when the idempotency key had already recorded this entry: nothing new was written to the ledger.' })
  replayed!: boolean;

  @Field(() => CompensationFund)
  fund!: FundRow;
}

@ObjectType({ description: 'A payout made for a tenant that it has not fully reimbursed.' })
export class OutstandingPayout {
  @Field(() => FundLedgerEntry)
  payout!: LedgerEntryView;

  @Field(() => Fen)
  reimbursedFen!: number;

  @Field(() => Fen)
  outstandingFen!: number;
}
