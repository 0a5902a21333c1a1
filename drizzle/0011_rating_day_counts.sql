CREATE TABLE "rating_day_counts" (
	"merchant_id" uuid NOT NULL,
	"kind" smallint NOT NULL,
	"day" integer NOT NULL,
	"issue_type" text DEFAULT '' NOT NULL,
	"answer_lag" smallint DEFAULT 999 NOT NULL,
	"concluded_day" integer DEFAULT -1 NOT NULL,
	"resolved" boolean DEFAULT false NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "rating_day_counts_pkey" PRIMARY KEY("merchant_id","kind","day","issue_type","answer_lag","concluded_day","resolved")
);
--> statement-breakpoint
CREATE INDEX "appeals_merchant_accepted_idx" ON "appeals" USING btree ("merchant_id","accepted_at") WHERE "appeals"."type" = 'COMPLAINT';--> statement-breakpoint
CREATE INDEX "appeals_merchant_filed_idx" ON "appeals" USING btree ("merchant_id","case_filed_at") WHERE "appeals"."type" = 'REPORT';