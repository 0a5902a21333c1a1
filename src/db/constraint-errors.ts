
/**
 * What a constraint protects, in the API's words: the argument path it maps to and, for unique
 * constraints, what the conflict is about. Constraints not listed still map by SQLSTATE, just
 * without `field`.
 */
const CONSTRAINT_FIELDS: Readonly<Record<string, string>> = {
  appeals_external_id_key: 'input.externalId',
  appeals_category_code_appeal_categories_code_fk: 'input.categoryCode',
  appeals_merchant_id_merchants_id_fk: 'input.merchantId',
  appeals_region_code_format: 'input.regionCode',
  appeals_amounts_non_negative: 'input.amountInvolvedFen',
  merchants_uscc_key: 'input.uscc',
  merchants_uscc_format: 'input.uscc',
  merchants_region_code_format: 'input.regionCode',
  merchants_name_not_blank: 'input.name',
  merchants_host_merchant_id_merchants_id_fk: 'input.hostMerchantId',
  compensation_funds_host_key: 'hostMerchantId',
  compensation_funds_host_merchant_id_merchants_id_fk: 'hostMerchantId',
  fund_ledger_entries_idempotency_key: 'idempotencyKey',
  fund_ledger_entries_amount_positive: 'amountFen',
  fund_ledger_entries_appeal_id_appeals_id_fk: 'appealId',
  fund_ledger_entries_tenant_merchant_id_merchants_id_fk: 'tenantMerchantId',
  fund_ledger_entries_reimburses_same_fund_fk: 'payoutEntryId',
  credit_list_entries_merchant_id_merchants_id_fk: 'input.merchantId',
  demonstration_street_members_merchant_id_merchants_id_fk: 'input.merchantId',
  demonstration_street_members_street_id_demonstration_streets_id_fk: 'input.streetId',
  return_pledges_merchant_id_merchants_id_fk: 'input.merchantId',
  merchant_answers_appeal_id_appeals_id_fk: 'input.appealId',
  pattern_responses_merchant_id_merchants_id_fk: 'input.merchantId',
};

interface DriverError {
  code?: unknown;
  /** postgres.js */
  constraint_name?: unknown;
  /** PGlite */
  constraint?: unknown;
  cause?: unknown;
}

/**
 * The PostgreSQL error under whatever wraps it (drizzle's DrizzleQueryError keeps it in `cause`),
 * from either driver: both carry the SQLSTATE in `code`.
 */
export function postgresErrorOf(error: unknown): { code: string; constraint?: string } | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    const candidate = current as DriverError;
    if (typeof candidate.code === 'string' && /^[0-9A-Z]{5}$/.test(candidate.code)) {
      const constraint = candidate.constraint_name ?? candidate.constraint;
      return { code: candidate.code, constraint: typeof constraint === 'string' ? constraint : undefined };
    }
    current = candidate.cause;
  }
  return null;
}

/**
 * The client's fault hidden in a database error, as the error the client should have got (errors.ts
 * makes it an AppError; this file stays free of the API's error classes):
 * unique violation → CONFLICT; foreign-key, check, not-null violation and bad data (class 22:
 * encoding, overflow, out-of-range dates) → BAD_USER_INPUT, naming the field when the constraint
 * is known. Null for everything else (a bug or an outage), which stays masked.
 */
export interface ClientFault {
  message: string;
  code: 'CONFLICT' | 'BAD_USER_INPUT';
  /** `field` when the constraint is known. */
  extensions: { field?: string };
}

export function clientFaultOfDatabaseError(error: unknown): ClientFault | null {
  const pg = postgresErrorOf(error);
  if (!pg) return null;
  const field = pg.constraint ? CONSTRAINT_FIELDS[pg.constraint] : undefined;
  const named = field ? { field } : {};
  switch (pg.code) {
    case '23505':
      return { message: field ? `${field} is already taken` : 'The record already exists', code: 'CONFLICT', extensions: named };
    case '23503':
      return { message: field ? `${field} does not name a known record` : 'A referenced record does not exist', code: 'BAD_USER_INPUT', extensions: named };
    case '23514':
    case '23502':
      return { message: field ? `${field} is not acceptable` : 'The input breaks a rule of the registry', code: 'BAD_USER_INPUT', extensions: named };
  }
  if (pg.code.startsWith('22')) {
    return { message: 'The input has a value the database cannot store (encoding, range or format)', code: 'BAD_USER_INPUT', extensions: named };
  }
  return null;
}
