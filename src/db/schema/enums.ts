import { pgEnum } from 'drizzle-orm/pg-core';
// The status sets are the domain's: declared once there, the database enums are built from them.
import { APPEAL_STATUSES } from '../../domain/appeal-workflow';
import { PLEDGE_STATUSES } from '../../domain/pledge-period';

/** Legal form, read from the second character of the USCC (91, 92, 93). */
export const merchantKind = pgEnum('merchant_kind', ['ENTERPRISE', 'INDIVIDUAL_BUSINESS', 'FARMER_COOPERATIVE']);

/** Industries named in the Suizhou source document. */
export const industry = pgEnum('industry', [
  'SUPERMARKET',
  'SHOPPING_CENTER',
  'HOME_APPLIANCES',
  'SCENIC_SPOT',
  'FARMERS_MARKET',
  'FOOD_DELIVERY_PLATFORM',
  'PROPERTY_MANAGEMENT',
  'AUTOMOBILE',
  'FOOD',
  'CLOTHING',
  'FURNITURE_BUILDING_MATERIALS_MARKET',
  'CATERING',
  'PREPAID_SERVICES',
]);

/** Size band: the rating's complaint allowance depends on it (MICRO 1, SMALL 3, MEDIUM 10, LARGE 30). */
export const sizeBand = pgEnum('size_band', ['MICRO', 'SMALL', 'MEDIUM', 'LARGE']);

/** How a tenant relates to its host: a counter rented in a market, or a shop on a trading platform. */
export const tenancyKind = pgEnum('tenancy_kind', ['COUNTER_TENANT', 'PLATFORM_SHOP']);

export const creditList = pgEnum('credit_list', ['ABNORMAL_OPERATIONS', 'SERIOUS_VIOLATION']);

export const pledgeStatus = pgEnum('pledge_status', PLEDGE_STATUSES);
export const pledgeScope = pgEnum('pledge_scope', ['ALL_GOODS', 'LISTED_CATEGORIES']);

/**
 * The only exclusions the law allows (消保法 Art. 25 and the seven-day return measures). The first
 * four are always excluded; the last three only when the consumer confirmed them at purchase.
 */
export const returnExclusion = pgEnum('return_exclusion', [
  'MADE_TO_ORDER',
  'FRESH_PERISHABLE',
  'DIGITAL_DOWNLOADED_OR_UNSEALED',
  'NEWSPAPERS_PERIODICALS',
  'UNSEALING_AFFECTS_SAFETY_HEALTH',
  'LOSES_VALUE_ONCE_ACTIVATED',
  'NEAR_EXPIRY_OR_DEFECTIVE_DISCLOSED',
]);

export const auditOutcome = pgEnum('audit_outcome', ['COMPLIANT', 'MINOR_ISSUES', 'VIOLATION']);

export const disputeProgram = pgEnum('dispute_program', ['SETTLEMENT_PLATFORM', 'ODR']);

export const ledgerEntryKind = pgEnum('ledger_entry_kind', ['DEPOSIT', 'PAYOUT', 'REIMBURSEMENT', 'WITHDRAWAL']);

export const appealType = pgEnum('appeal_type', ['CONSULTATION', 'COMPLAINT', 'REPORT', 'PRAISE']);
export const appealChannel = pgEnum('appeal_channel', ['HOTLINE', 'WEB', 'LETTER', 'VISIT', 'PLATFORM']);
export const categoryGroup = pgEnum('category_group', ['GOODS', 'SERVICES']);

/**
 * One status set for every appeal type; which transitions are legal per type is a domain rule
 * (the workflow state machine), not a database one.
 */
export const appealStatus = pgEnum('appeal_status', APPEAL_STATUSES);

export const ratingGrade = pgEnum('rating_grade', ['A', 'B', 'C', 'D', 'NR']);

export const actorRole = pgEnum('actor_role', ['PUBLIC', 'MERCHANT', 'SUPERVISOR', 'ADMIN', 'SYSTEM']);
