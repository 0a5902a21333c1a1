import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, pgTable, text, uniqueIndex, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './columns';
import { industry, merchantKind, sizeBand, tenancyKind } from './enums';

/** A market subject (经营者 / 市场主体) identified by its unified social credit code. */
export const merchants = pgTable(
  'merchants',
  {
    id: id(),
    uscc: text('uscc').notNull(),
    name: text('name').notNull(),
    kind: merchantKind('kind').notNull(),
    industry: industry('industry').notNull(),
    sizeBand: sizeBand('size_band').notNull(),
    regionCode: text('region_code').notNull(),
    address: text('address').notNull(),
    establishedOn: date('established_on', { mode: 'string' }).notNull(),
    contactName: text('contact_name'),
    contactPhone: text('contact_phone'),
    /** The market or platform this merchant rents a counter from or sells through (消保法 Art. 43/44). */
    hostMerchantId: uuid('host_merchant_id').references((): AnyPgColumn => merchants.id, { onDelete: 'restrict' }),
    tenancyKind: tenancyKind('tenancy_kind'),
    /** Hosts a red consumer-rights service station (红色消费维权服务站). */
    rightsServiceStation: boolean('rights_service_station').notNull().default(false),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('merchants_uscc_key').on(t.uscc),
    // The API orders merchants by name in code-point order so both drivers page identically.
    index('merchants_name_order_idx').on(sql`${t.name} COLLATE "C"`, t.id),
    // Substring search on Chinese names (LIKE '%…%'); the extension is created by migration 0002.
    index('merchants_name_trgm_idx').using('gin', sql`${t.name} gin_trgm_ops`),
    index('merchants_region_idx').on(t.regionCode),
    index('merchants_industry_idx').on(t.industry),
    index('merchants_host_idx').on(t.hostMerchantId),
    check('merchants_uscc_format', sql`${t.uscc} ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'`),
    check(
      'merchants_kind_matches_uscc',
      sql`(${t.kind} = 'ENTERPRISE' AND left(${t.uscc}, 2) = '91')
       OR (${t.kind} = 'INDIVIDUAL_BUSINESS' AND left(${t.uscc}, 2) = '92')
       OR (${t.kind} = 'FARMER_COOPERATIVE' AND left(${t.uscc}, 2) = '93')`,
    ),
    check('merchants_region_code_format', sql`${t.regionCode} ~ '^[0-9]{6}$'`),
    check('merchants_name_not_blank', sql`length(btrim(${t.name})) > 0`),
    check('merchants_not_own_host', sql`${t.hostMerchantId} IS NULL OR ${t.hostMerchantId} <> ${t.id}`),
    check('merchants_tenancy_needs_host', sql`(${t.hostMerchantId} IS NULL) = (${t.tenancyKind} IS NULL)`),
    check('merchants_version_positive', sql`${t.version} > 0`),
  ],
);

/** A 放心消费示范街区 such as 解放路, with the targets its members are held to. */
export const demonstrationStreets = pgTable(
  'demonstration_streets',
  {
    id: id(),
    name: text('name').notNull(),
    regionCode: text('region_code').notNull(),
    description: text('description'),
    /** Targets in percent: settlement-platform enrollment, pledges displayed, complaints handled. */
    targetEnrollmentPct: integer('target_enrollment_pct').notNull().default(100),
    targetPledgeDisplayPct: integer('target_pledge_display_pct').notNull().default(100),
    targetComplaintHandlingPct: integer('target_complaint_handling_pct').notNull().default(100),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('demonstration_streets_name_region_key').on(t.regionCode, t.name),
    check('demonstration_streets_region_code_format', sql`${t.regionCode} ~ '^[0-9]{6}$'`),
    check(
      'demonstration_streets_targets_pct',
      sql`${t.targetEnrollmentPct} BETWEEN 0 AND 100 AND ${t.targetPledgeDisplayPct} BETWEEN 0 AND 100 AND ${t.targetComplaintHandlingPct} BETWEEN 0 AND 100`,
    ),
  ],
);

/** Membership periods: a merchant may leave a street and later rejoin it. */
export const demonstrationStreetMembers = pgTable(
  'demonstration_street_members',
  {
    id: id(),
    streetId: uuid('street_id')
      .notNull()
      .references(() => demonstrationStreets.id, { onDelete: 'cascade' }),
    merchantId: uuid('merchant_id')
      .notNull()
      .references(() => merchants.id, { onDelete: 'restrict' }),
    joinedOn: date('joined_on', { mode: 'string' }).notNull(),
    leftOn: date('left_on', { mode: 'string' }),
  },
  (t) => [
    uniqueIndex('demonstration_street_members_one_current')
      .on(t.streetId, t.merchantId)
      .where(sql`${t.leftOn} IS NULL`),
    index('demonstration_street_members_merchant_idx').on(t.merchantId),
    check('demonstration_street_members_period', sql`${t.leftOn} IS NULL OR ${t.leftOn} > ${t.joinedOn}`),
  ],
);
