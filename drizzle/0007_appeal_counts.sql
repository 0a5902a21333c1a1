CREATE TABLE "appeal_counts_changed" (
	"txid" bigint PRIMARY KEY NOT NULL
);
--> statement-breakpoint
CREATE TABLE "appeal_counts_daily" (
	"day" date NOT NULL,
	"region_code" text NOT NULL,
	"type" "appeal_type" NOT NULL,
	"category_code" text NOT NULL,
	"violation_type" text NOT NULL,
	"appeals" integer NOT NULL,
	"decided" integer NOT NULL,
	"decided_on_time" integer NOT NULL,
	"concluded" integer NOT NULL,
	"concluded_on_time" integer NOT NULL,
	"mediated" integer NOT NULL,
	"verified" integer NOT NULL,
	"verified_on_time" integer NOT NULL,
	"recovered_fen" bigint NOT NULL,
	CONSTRAINT "appeal_counts_daily_pkey" PRIMARY KEY("day","region_code","type","category_code","violation_type")
);
--> statement-breakpoint
CREATE TABLE "appeal_counts_monthly" (
	"month" date NOT NULL,
	"region_code" text NOT NULL,
	"type" "appeal_type" NOT NULL,
	"category_code" text NOT NULL,
	"violation_type" text NOT NULL,
	"appeals" integer NOT NULL,
	"decided" integer NOT NULL,
	"decided_on_time" integer NOT NULL,
	"concluded" integer NOT NULL,
	"concluded_on_time" integer NOT NULL,
	"mediated" integer NOT NULL,
	"verified" integer NOT NULL,
	"verified_on_time" integer NOT NULL,
	"recovered_fen" bigint NOT NULL,
	CONSTRAINT "appeal_counts_monthly_pkey" PRIMARY KEY("month","region_code","type","category_code","violation_type"),
	CONSTRAINT "appeal_counts_monthly_first_day" CHECK (extract(day from "appeal_counts_monthly"."month") = 1)
);
--> statement-breakpoint
CREATE TABLE "appeal_counts_version" (
	"id" boolean PRIMARY KEY DEFAULT true NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "appeal_counts_version_one_row" CHECK ("appeal_counts_version"."id")
);
--> statement-breakpoint
CREATE INDEX "appeal_counts_daily_region_idx" ON "appeal_counts_daily" USING btree ("region_code","day");--> statement-breakpoint
CREATE INDEX "appeal_counts_monthly_region_idx" ON "appeal_counts_monthly" USING btree ("region_code","month");