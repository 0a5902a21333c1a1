CREATE TABLE "events" (
	"position" bigserial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"region_code" text NOT NULL,
	"merchant_id" uuid,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "events_pruned" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"through" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "events_pruned_one_row" CHECK ("events_pruned"."id" = 1)
);
--> statement-breakpoint
CREATE INDEX "events_created_at_idx" ON "events" USING btree ("created_at");