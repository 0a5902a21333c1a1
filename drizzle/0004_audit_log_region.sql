ALTER TABLE "audit_log" ADD COLUMN "region_code" text;--> statement-breakpoint
CREATE INDEX "audit_log_region_idx" ON "audit_log" USING btree ("region_code" text_pattern_ops,"id");--> statement-breakpoint
-- Backfill: file existing rows under their target's region, with the joins of
-- src/modules/audit/audit.region.ts. The log is append-only; its trigger steps aside for this
-- one statement of the migration only.
ALTER TABLE "audit_log" DISABLE TRIGGER "audit_log_append_only";
--> statement-breakpoint
UPDATE "audit_log" AS a SET "region_code" = r.region_code
FROM (
  SELECT 'merchant' AS kind, id::text AS id, region_code FROM merchants
  UNION ALL
  SELECT 'pledge', p.id::text, m.region_code FROM return_pledges p JOIN merchants m ON m.id = p.merchant_id
  UNION ALL
  SELECT 'appeal', id::text, region_code FROM appeals
  UNION ALL
  SELECT 'compensationfund', f.id::text, m.region_code FROM compensation_funds f JOIN merchants m ON m.id = f.host_merchant_id
  UNION ALL
  SELECT 'fund', f.id::text, m.region_code FROM compensation_funds f JOIN merchants m ON m.id = f.host_merchant_id
  UNION ALL
  SELECT 'enrollment', e.id::text, m.region_code FROM dispute_enrollments e JOIN merchants m ON m.id = e.merchant_id
  UNION ALL
  SELECT 'creditlistentry', c.id::text, m.region_code FROM credit_list_entries c JOIN merchants m ON m.id = c.merchant_id
  UNION ALL
  SELECT 'street', id::text, region_code FROM demonstration_streets
) AS r
WHERE r.kind = lower(a.target_type) AND r.id = lower(a.target_id) AND a.region_code IS NULL;
--> statement-breakpoint
ALTER TABLE "audit_log" ENABLE TRIGGER "audit_log_append_only";
