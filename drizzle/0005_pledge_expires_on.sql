-- The end of a pledge's period is the first day it is no longer in effect; the old name read as
-- its last day. Renamed so the column, the API field and the rules say the same.
ALTER TABLE "return_pledges" RENAME COLUMN "effective_until" TO "expires_on";--> statement-breakpoint
COMMENT ON COLUMN "return_pledges"."expires_on" IS 'first day no longer in effect (effective_from <= day < expires_on); null: open-ended';
