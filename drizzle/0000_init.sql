CREATE TYPE "public"."actor_role" AS ENUM('PUBLIC', 'MERCHANT', 'SUPERVISOR', 'ADMIN', 'SYSTEM');--> statement-breakpoint
CREATE TYPE "public"."appeal_channel" AS ENUM('HOTLINE', 'WEB', 'LETTER', 'VISIT', 'PLATFORM');--> statement-breakpoint
CREATE TYPE "public"."appeal_status" AS ENUM('RECEIVED', 'ACCEPTED', 'REJECTED', 'IN_MEDIATION', 'MEDIATED', 'MEDIATION_FAILED', 'WITHDRAWN', 'VERIFYING', 'CASE_FILED', 'NOT_FILED', 'CLOSED');--> statement-breakpoint
CREATE TYPE "public"."appeal_type" AS ENUM('CONSULTATION', 'COMPLAINT', 'REPORT', 'PRAISE');--> statement-breakpoint
CREATE TYPE "public"."audit_outcome" AS ENUM('COMPLIANT', 'MINOR_ISSUES', 'VIOLATION');--> statement-breakpoint
CREATE TYPE "public"."category_group" AS ENUM('GOODS', 'SERVICES');--> statement-breakpoint
CREATE TYPE "public"."credit_list" AS ENUM('ABNORMAL_OPERATIONS', 'SERIOUS_VIOLATION');--> statement-breakpoint
CREATE TYPE "public"."dispute_program" AS ENUM('SETTLEMENT_PLATFORM', 'ODR');--> statement-breakpoint
CREATE TYPE "public"."industry" AS ENUM('SUPERMARKET', 'SHOPPING_CENTER', 'HOME_APPLIANCES', 'SCENIC_SPOT', 'FARMERS_MARKET', 'FOOD_DELIVERY_PLATFORM', 'PROPERTY_MANAGEMENT', 'AUTOMOBILE', 'FOOD', 'CLOTHING', 'FURNITURE_BUILDING_MATERIALS_MARKET', 'CATERING', 'PREPAID_SERVICES');--> statement-breakpoint
CREATE TYPE "public"."ledger_entry_kind" AS ENUM('DEPOSIT', 'PAYOUT', 'REIMBURSEMENT', 'WITHDRAWAL');--> statement-breakpoint
CREATE TYPE "public"."merchant_kind" AS ENUM('ENTERPRISE', 'INDIVIDUAL_BUSINESS', 'FARMER_COOPERATIVE');--> statement-breakpoint
CREATE TYPE "public"."pledge_scope" AS ENUM('ALL_GOODS', 'LISTED_CATEGORIES');--> statement-breakpoint
CREATE TYPE "public"."pledge_status" AS ENUM('ACTIVE', 'SUSPENDED', 'REVOKED', 'EXPIRED');--> statement-breakpoint
CREATE TYPE "public"."rating_grade" AS ENUM('A', 'B', 'C', 'D', 'NR');--> statement-breakpoint
CREATE TYPE "public"."return_exclusion" AS ENUM('MADE_TO_ORDER', 'FRESH_PERISHABLE', 'DIGITAL_DOWNLOADED_OR_UNSEALED', 'NEWSPAPERS_PERIODICALS', 'UNSEALING_AFFECTS_SAFETY_HEALTH', 'LOSES_VALUE_ONCE_ACTIVATED', 'NEAR_EXPIRY_OR_DEFECTIVE_DISCLOSED');--> statement-breakpoint
CREATE TYPE "public"."size_band" AS ENUM('MICRO', 'SMALL', 'MEDIUM', 'LARGE');--> statement-breakpoint
CREATE TYPE "public"."tenancy_kind" AS ENUM('COUNTER_TENANT', 'PLATFORM_SHOP');--> statement-breakpoint
CREATE TABLE "demonstration_street_members" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"street_id" uuid NOT NULL,
	"merchant_id" uuid NOT NULL,
	"joined_on" date NOT NULL,
	"left_on" date,
	CONSTRAINT "demonstration_street_members_period" CHECK ("demonstration_street_members"."left_on" IS NULL OR "demonstration_street_members"."left_on" > "demonstration_street_members"."joined_on")
);
--> statement-breakpoint
CREATE TABLE "demonstration_streets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"region_code" text NOT NULL,
	"description" text,
	"target_enrollment_pct" integer DEFAULT 100 NOT NULL,
	"target_pledge_display_pct" integer DEFAULT 100 NOT NULL,
	"target_complaint_handling_pct" integer DEFAULT 100 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "demonstration_streets_region_code_format" CHECK ("demonstration_streets"."region_code" ~ '^[0-9]{6}$'),
	CONSTRAINT "demonstration_streets_targets_pct" CHECK ("demonstration_streets"."target_enrollment_pct" BETWEEN 0 AND 100 AND "demonstration_streets"."target_pledge_display_pct" BETWEEN 0 AND 100 AND "demonstration_streets"."target_complaint_handling_pct" BETWEEN 0 AND 100)
);
--> statement-breakpoint
CREATE TABLE "merchants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"uscc" text NOT NULL,
	"name" text NOT NULL,
	"kind" "merchant_kind" NOT NULL,
	"industry" "industry" NOT NULL,
	"size_band" "size_band" NOT NULL,
	"region_code" text NOT NULL,
	"address" text NOT NULL,
	"established_on" date NOT NULL,
	"contact_name" text,
	"contact_phone" text,
	"host_merchant_id" uuid,
	"tenancy_kind" "tenancy_kind",
	"rights_service_station" boolean DEFAULT false NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "merchants_uscc_format" CHECK ("merchants"."uscc" ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'),
	CONSTRAINT "merchants_kind_matches_uscc" CHECK (("merchants"."kind" = 'ENTERPRISE' AND left("merchants"."uscc", 2) = '91')
       OR ("merchants"."kind" = 'INDIVIDUAL_BUSINESS' AND left("merchants"."uscc", 2) = '92')
       OR ("merchants"."kind" = 'FARMER_COOPERATIVE' AND left("merchants"."uscc", 2) = '93')),
	CONSTRAINT "merchants_region_code_format" CHECK ("merchants"."region_code" ~ '^[0-9]{6}$'),
	CONSTRAINT "merchants_name_not_blank" CHECK (length(btrim("merchants"."name")) > 0),
	CONSTRAINT "merchants_not_own_host" CHECK ("merchants"."host_merchant_id" IS NULL OR "merchants"."host_merchant_id" <> "merchants"."id"),
	CONSTRAINT "merchants_tenancy_needs_host" CHECK (("merchants"."host_merchant_id" IS NULL) = ("merchants"."tenancy_kind" IS NULL)),
	CONSTRAINT "merchants_version_positive" CHECK ("merchants"."version" > 0)
);
--> statement-breakpoint
CREATE TABLE "credit_list_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"merchant_id" uuid NOT NULL,
	"list" "credit_list" NOT NULL,
	"listed_on" date NOT NULL,
	"reason" text NOT NULL,
	"decision_ref" text,
	"removed_on" date,
	"removal_reason" text,
	"listed_by" text DEFAULT 'system' NOT NULL,
	"removed_by" text,
	"removed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "credit_list_entries_period" CHECK ("credit_list_entries"."removed_on" IS NULL OR "credit_list_entries"."removed_on" > "credit_list_entries"."listed_on"),
	CONSTRAINT "credit_list_entries_removal_reason" CHECK (("credit_list_entries"."removed_on" IS NULL) = ("credit_list_entries"."removal_reason" IS NULL))
);
--> statement-breakpoint
CREATE TABLE "pledge_audits" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"pledge_id" uuid NOT NULL,
	"audited_on" date NOT NULL,
	"inspector" text NOT NULL,
	"outcome" "audit_outcome" NOT NULL,
	"findings" text,
	"rectification_due_on" date,
	"recorded_by" text DEFAULT 'system' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "pledge_audits_rectification_after_audit" CHECK ("pledge_audits"."rectification_due_on" IS NULL OR "pledge_audits"."rectification_due_on" >= "pledge_audits"."audited_on")
);
--> statement-breakpoint
CREATE TABLE "pledge_status_changes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"pledge_id" uuid NOT NULL,
	"from_status" "pledge_status",
	"to_status" "pledge_status" NOT NULL,
	"reason" text,
	"actor" text DEFAULT 'system' NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "return_pledges" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"merchant_id" uuid NOT NULL,
	"window_days" integer DEFAULT 7 NOT NULL,
	"scope" "pledge_scope" DEFAULT 'ALL_GOODS' NOT NULL,
	"scope_categories" text[] DEFAULT '{}'::text[] NOT NULL,
	"exclusions" "return_exclusion"[] DEFAULT '{}'::return_exclusion[] NOT NULL,
	"status" "pledge_status" DEFAULT 'ACTIVE' NOT NULL,
	"effective_from" date NOT NULL,
	"effective_until" date,
	"signboard_displayed" boolean DEFAULT false NOT NULL,
	"revoked_at" timestamp with time zone,
	"revocation_reason" text,
	"filed_by" text DEFAULT 'system' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "return_pledges_window_at_least_7" CHECK ("return_pledges"."window_days" >= 7),
	CONSTRAINT "return_pledges_period" CHECK ("return_pledges"."effective_until" IS NULL OR "return_pledges"."effective_until" > "return_pledges"."effective_from"),
	CONSTRAINT "return_pledges_scope_categories" CHECK (("return_pledges"."scope" = 'LISTED_CATEGORIES') = (cardinality("return_pledges"."scope_categories") > 0)),
	CONSTRAINT "return_pledges_revocation" CHECK (("return_pledges"."status" = 'REVOKED') = ("return_pledges"."revoked_at" IS NOT NULL) AND ("return_pledges"."revoked_at" IS NULL) = ("return_pledges"."revocation_reason" IS NULL)),
	CONSTRAINT "return_pledges_version_positive" CHECK ("return_pledges"."version" > 0)
);
--> statement-breakpoint
CREATE TABLE "dispute_enrollments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"merchant_id" uuid NOT NULL,
	"program" "dispute_program" NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"started_by" text DEFAULT 'system' NOT NULL,
	"ended_at" timestamp with time zone,
	"ended_by" text,
	"end_reason" text,
	CONSTRAINT "dispute_enrollments_period" CHECK ("dispute_enrollments"."ended_at" IS NULL OR "dispute_enrollments"."ended_at" > "dispute_enrollments"."started_at"),
	CONSTRAINT "dispute_enrollments_end_fields" CHECK (("dispute_enrollments"."ended_at" IS NULL) = ("dispute_enrollments"."ended_by" IS NULL) AND ("dispute_enrollments"."ended_at" IS NOT NULL OR "dispute_enrollments"."end_reason" IS NULL))
);
--> statement-breakpoint
CREATE TABLE "appeal_categories" (
	"code" text PRIMARY KEY NOT NULL,
	"parent_code" text,
	"group" "category_group" NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	CONSTRAINT "appeal_categories_code_format" CHECK ("appeal_categories"."code" ~ '^[A-Z_]+(\.[A-Z_]+){0,2}$')
);
--> statement-breakpoint
CREATE TABLE "appeal_transitions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"appeal_id" uuid NOT NULL,
	"from_status" "appeal_status",
	"to_status" "appeal_status" NOT NULL,
	"actor" text DEFAULT 'system' NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"reason" text,
	"detail" jsonb
);
--> statement-breakpoint
CREATE TABLE "appeals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"external_id" text,
	"type" "appeal_type" NOT NULL,
	"channel" "appeal_channel" NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"merchant_id" uuid,
	"region_code" text NOT NULL,
	"category_code" text,
	"issue_type" text,
	"violation_type" text,
	"amount_involved_fen" bigint DEFAULT 0 NOT NULL,
	"amount_recovered_fen" bigint DEFAULT 0 NOT NULL,
	"consumer_name" text,
	"consumer_phone" text,
	"details" text,
	"status" "appeal_status" DEFAULT 'RECEIVED' NOT NULL,
	"accepted_at" timestamp with time zone,
	"rejected_at" timestamp with time zone,
	"rejection_reason" text,
	"mediation_started_at" timestamp with time zone,
	"concluded_at" timestamp with time zone,
	"verification_extended_at" timestamp with time zone,
	"decided_at" timestamp with time zone,
	"case_filed_at" timestamp with time zone,
	"acceptance_due_on" date,
	"answer_due_on" date,
	"conclusion_due_on" date,
	"verification_due_on" date,
	"deadlines_provisional" boolean DEFAULT false NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "appeals_region_code_format" CHECK ("appeals"."region_code" ~ '^[0-9]{6}$'),
	CONSTRAINT "appeals_merchant_required" CHECK ("appeals"."type" IN ('CONSULTATION', 'PRAISE') OR "appeals"."merchant_id" IS NOT NULL),
	CONSTRAINT "appeals_violation_only_on_reports" CHECK ("appeals"."violation_type" IS NULL OR "appeals"."type" = 'REPORT'),
	CONSTRAINT "appeals_amounts_non_negative" CHECK ("appeals"."amount_involved_fen" >= 0 AND "appeals"."amount_recovered_fen" >= 0),
	CONSTRAINT "appeals_rejection_reason" CHECK (("appeals"."rejected_at" IS NULL) = ("appeals"."rejection_reason" IS NULL)),
	CONSTRAINT "appeals_accepted_after_received" CHECK ("appeals"."accepted_at" IS NULL OR "appeals"."accepted_at" >= "appeals"."received_at"),
	CONSTRAINT "appeals_concluded_after_accepted" CHECK ("appeals"."concluded_at" IS NULL OR "appeals"."accepted_at" IS NOT NULL AND "appeals"."concluded_at" >= "appeals"."accepted_at"),
	CONSTRAINT "appeals_version_positive" CHECK ("appeals"."version" > 0)
);
--> statement-breakpoint
CREATE TABLE "merchant_answers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"appeal_id" uuid NOT NULL,
	"merchant_id" uuid NOT NULL,
	"body" text NOT NULL,
	"answered_at" timestamp with time zone NOT NULL,
	"actor" text DEFAULT 'system' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "merchant_answers_body_not_blank" CHECK (length(btrim("merchant_answers"."body")) > 0)
);
--> statement-breakpoint
CREATE TABLE "pattern_responses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"merchant_id" uuid NOT NULL,
	"issue_type" text NOT NULL,
	"body" text NOT NULL,
	"responded_at" timestamp with time zone NOT NULL,
	"actor" text DEFAULT 'system' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "compensation_funds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"host_merchant_id" uuid NOT NULL,
	"required_minimum_fen" bigint NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "compensation_funds_minimum_non_negative" CHECK ("compensation_funds"."required_minimum_fen" >= 0)
);
--> statement-breakpoint
CREATE TABLE "fund_ledger_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"fund_id" uuid NOT NULL,
	"kind" "ledger_entry_kind" NOT NULL,
	"amount_fen" bigint NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"appeal_id" uuid,
	"tenant_merchant_id" uuid,
	"reimburses_entry_id" uuid,
	"idempotency_key" text NOT NULL,
	"note" text,
	"actor" text DEFAULT 'system' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fund_ledger_entries_fund_entry_key" UNIQUE("fund_id","id"),
	CONSTRAINT "fund_ledger_entries_amount_positive" CHECK ("fund_ledger_entries"."amount_fen" > 0),
	CONSTRAINT "fund_ledger_entries_tenant_links" CHECK (("fund_ledger_entries"."kind" IN ('PAYOUT', 'REIMBURSEMENT')) = ("fund_ledger_entries"."tenant_merchant_id" IS NOT NULL)),
	CONSTRAINT "fund_ledger_entries_appeal_only_on_payout" CHECK ("fund_ledger_entries"."appeal_id" IS NULL OR "fund_ledger_entries"."kind" = 'PAYOUT'),
	CONSTRAINT "fund_ledger_entries_reimbursement_links" CHECK (("fund_ledger_entries"."kind" = 'REIMBURSEMENT') = ("fund_ledger_entries"."reimburses_entry_id" IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "rating_history" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"merchant_id" uuid NOT NULL,
	"model_version" text NOT NULL,
	"score" numeric(5, 2) NOT NULL,
	"grade" "rating_grade" NOT NULL,
	"previous_score" numeric(5, 2),
	"previous_grade" "rating_grade",
	"as_of" date NOT NULL,
	"computed_at" timestamp with time zone NOT NULL,
	"factors" jsonb NOT NULL,
	"cause" text NOT NULL,
	"cause_ref" text,
	CONSTRAINT "rating_history_score_range" CHECK ("rating_history"."score" >= 0 AND "rating_history"."score" <= 100)
);
--> statement-breakpoint
CREATE TABLE "ratings" (
	"merchant_id" uuid PRIMARY KEY NOT NULL,
	"model_version" text NOT NULL,
	"score" numeric(5, 2) NOT NULL,
	"grade" "rating_grade" NOT NULL,
	"as_of" date NOT NULL,
	"computed_at" timestamp with time zone NOT NULL,
	"factors" jsonb NOT NULL,
	CONSTRAINT "ratings_score_range" CHECK ("ratings"."score" >= 0 AND "ratings"."score" <= 100)
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit_log_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_sub" text NOT NULL,
	"actor_role" "actor_role" NOT NULL,
	"action" text NOT NULL,
	"target_type" text NOT NULL,
	"target_id" text NOT NULL,
	"before" jsonb,
	"after" jsonb,
	"request_id" text
);
--> statement-breakpoint
ALTER TABLE "demonstration_street_members" ADD CONSTRAINT "demonstration_street_members_street_id_demonstration_streets_id_fk" FOREIGN KEY ("street_id") REFERENCES "public"."demonstration_streets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "demonstration_street_members" ADD CONSTRAINT "demonstration_street_members_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "merchants" ADD CONSTRAINT "merchants_host_merchant_id_merchants_id_fk" FOREIGN KEY ("host_merchant_id") REFERENCES "public"."merchants"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_list_entries" ADD CONSTRAINT "credit_list_entries_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pledge_audits" ADD CONSTRAINT "pledge_audits_pledge_id_return_pledges_id_fk" FOREIGN KEY ("pledge_id") REFERENCES "public"."return_pledges"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pledge_status_changes" ADD CONSTRAINT "pledge_status_changes_pledge_id_return_pledges_id_fk" FOREIGN KEY ("pledge_id") REFERENCES "public"."return_pledges"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "return_pledges" ADD CONSTRAINT "return_pledges_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dispute_enrollments" ADD CONSTRAINT "dispute_enrollments_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appeal_categories" ADD CONSTRAINT "appeal_categories_parent_code_appeal_categories_code_fk" FOREIGN KEY ("parent_code") REFERENCES "public"."appeal_categories"("code") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appeal_transitions" ADD CONSTRAINT "appeal_transitions_appeal_id_appeals_id_fk" FOREIGN KEY ("appeal_id") REFERENCES "public"."appeals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appeals" ADD CONSTRAINT "appeals_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appeals" ADD CONSTRAINT "appeals_category_code_appeal_categories_code_fk" FOREIGN KEY ("category_code") REFERENCES "public"."appeal_categories"("code") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "merchant_answers" ADD CONSTRAINT "merchant_answers_appeal_id_appeals_id_fk" FOREIGN KEY ("appeal_id") REFERENCES "public"."appeals"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "merchant_answers" ADD CONSTRAINT "merchant_answers_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pattern_responses" ADD CONSTRAINT "pattern_responses_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "compensation_funds" ADD CONSTRAINT "compensation_funds_host_merchant_id_merchants_id_fk" FOREIGN KEY ("host_merchant_id") REFERENCES "public"."merchants"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_ledger_entries" ADD CONSTRAINT "fund_ledger_entries_fund_id_compensation_funds_id_fk" FOREIGN KEY ("fund_id") REFERENCES "public"."compensation_funds"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_ledger_entries" ADD CONSTRAINT "fund_ledger_entries_appeal_id_appeals_id_fk" FOREIGN KEY ("appeal_id") REFERENCES "public"."appeals"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_ledger_entries" ADD CONSTRAINT "fund_ledger_entries_tenant_merchant_id_merchants_id_fk" FOREIGN KEY ("tenant_merchant_id") REFERENCES "public"."merchants"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_ledger_entries" ADD CONSTRAINT "fund_ledger_entries_reimburses_same_fund_fk" FOREIGN KEY ("fund_id","reimburses_entry_id") REFERENCES "public"."fund_ledger_entries"("fund_id","id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rating_history" ADD CONSTRAINT "rating_history_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ratings" ADD CONSTRAINT "ratings_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "demonstration_street_members_one_current" ON "demonstration_street_members" USING btree ("street_id","merchant_id") WHERE "demonstration_street_members"."left_on" IS NULL;--> statement-breakpoint
CREATE INDEX "demonstration_street_members_merchant_idx" ON "demonstration_street_members" USING btree ("merchant_id");--> statement-breakpoint
CREATE UNIQUE INDEX "demonstration_streets_name_region_key" ON "demonstration_streets" USING btree ("region_code","name");--> statement-breakpoint
CREATE UNIQUE INDEX "merchants_uscc_key" ON "merchants" USING btree ("uscc");--> statement-breakpoint
CREATE INDEX "merchants_name_order_idx" ON "merchants" USING btree ("name" COLLATE "C","id");--> statement-breakpoint
CREATE INDEX "merchants_region_idx" ON "merchants" USING btree ("region_code");--> statement-breakpoint
CREATE INDEX "merchants_industry_idx" ON "merchants" USING btree ("industry");--> statement-breakpoint
CREATE INDEX "merchants_host_idx" ON "merchants" USING btree ("host_merchant_id");--> statement-breakpoint
CREATE INDEX "credit_list_entries_merchant_idx" ON "credit_list_entries" USING btree ("merchant_id","listed_on");--> statement-breakpoint
CREATE INDEX "pledge_audits_pledge_idx" ON "pledge_audits" USING btree ("pledge_id","audited_on");--> statement-breakpoint
CREATE INDEX "pledge_status_changes_pledge_idx" ON "pledge_status_changes" USING btree ("pledge_id","at");--> statement-breakpoint
CREATE INDEX "return_pledges_merchant_idx" ON "return_pledges" USING btree ("merchant_id");--> statement-breakpoint
CREATE UNIQUE INDEX "return_pledges_one_in_effect" ON "return_pledges" USING btree ("merchant_id") WHERE "return_pledges"."status" IN ('ACTIVE', 'SUSPENDED');--> statement-breakpoint
CREATE INDEX "dispute_enrollments_merchant_idx" ON "dispute_enrollments" USING btree ("merchant_id","program","started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "dispute_enrollments_one_open" ON "dispute_enrollments" USING btree ("merchant_id","program") WHERE "dispute_enrollments"."ended_at" IS NULL;--> statement-breakpoint
CREATE INDEX "appeal_transitions_appeal_idx" ON "appeal_transitions" USING btree ("appeal_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "appeals_external_id_key" ON "appeals" USING btree ("external_id");--> statement-breakpoint
CREATE INDEX "appeals_merchant_idx" ON "appeals" USING btree ("merchant_id","type","received_at");--> statement-breakpoint
CREATE INDEX "appeals_region_received_idx" ON "appeals" USING btree ("region_code","received_at");--> statement-breakpoint
CREATE INDEX "appeals_received_idx" ON "appeals" USING btree ("received_at");--> statement-breakpoint
CREATE INDEX "appeals_status_idx" ON "appeals" USING btree ("status");--> statement-breakpoint
CREATE INDEX "merchant_answers_appeal_idx" ON "merchant_answers" USING btree ("appeal_id","answered_at");--> statement-breakpoint
CREATE INDEX "merchant_answers_merchant_idx" ON "merchant_answers" USING btree ("merchant_id");--> statement-breakpoint
CREATE INDEX "pattern_responses_merchant_idx" ON "pattern_responses" USING btree ("merchant_id","issue_type","responded_at");--> statement-breakpoint
CREATE UNIQUE INDEX "compensation_funds_host_key" ON "compensation_funds" USING btree ("host_merchant_id");--> statement-breakpoint
CREATE UNIQUE INDEX "fund_ledger_entries_idempotency_key" ON "fund_ledger_entries" USING btree ("fund_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "fund_ledger_entries_fund_idx" ON "fund_ledger_entries" USING btree ("fund_id","occurred_at");--> statement-breakpoint
CREATE INDEX "fund_ledger_entries_tenant_idx" ON "fund_ledger_entries" USING btree ("tenant_merchant_id");--> statement-breakpoint
CREATE INDEX "fund_ledger_entries_reimburses_idx" ON "fund_ledger_entries" USING btree ("reimburses_entry_id");--> statement-breakpoint
CREATE INDEX "rating_history_merchant_idx" ON "rating_history" USING btree ("merchant_id","computed_at");--> statement-breakpoint
CREATE INDEX "ratings_grade_idx" ON "ratings" USING btree ("grade");--> statement-breakpoint
CREATE INDEX "audit_log_target_idx" ON "audit_log" USING btree ("target_type","target_id");--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "audit_log" USING btree ("at");