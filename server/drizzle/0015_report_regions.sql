-- The distribution key (db/distribution.ts, docs/deploy.md "Citus"): the region of a unit is the top unit's child
-- on its path ('/top/region/…/self/'); the top unit is its own region.
CREATE OR REPLACE FUNCTION dl_region(unit uuid) RETURNS uuid LANGUAGE sql STABLE AS $$
  SELECT COALESCE(NULLIF(split_part(path, '/', 3), ''), split_part(path, '/', 2))::uuid FROM units WHERE id = unit
$$;--> statement-breakpoint
ALTER TABLE "report_submissions" ADD COLUMN "region_id" uuid;--> statement-breakpoint
ALTER TABLE "report_window_targets" ADD COLUMN "region_id" uuid;--> statement-breakpoint
UPDATE "report_submissions" SET "region_id" = dl_region("unit_id");--> statement-breakpoint
UPDATE "report_window_targets" SET "region_id" = dl_region("unit_id");--> statement-breakpoint
ALTER TABLE "report_submissions" ALTER COLUMN "region_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "report_window_targets" ALTER COLUMN "region_id" SET NOT NULL;--> statement-breakpoint
DROP INDEX "report_submissions_window_unit_uq";--> statement-breakpoint
ALTER TABLE "report_submissions" DROP CONSTRAINT "report_submissions_pkey";--> statement-breakpoint
ALTER TABLE "report_window_targets" DROP CONSTRAINT "report_window_targets_window_id_unit_id_pk";--> statement-breakpoint
ALTER TABLE "report_submissions" ADD CONSTRAINT "report_submissions_region_id_id_pk" PRIMARY KEY("region_id","id");--> statement-breakpoint
ALTER TABLE "report_window_targets" ADD CONSTRAINT "report_window_targets_region_id_window_id_unit_id_pk" PRIMARY KEY("region_id","window_id","unit_id");--> statement-breakpoint
CREATE INDEX "report_submissions_id_idx" ON "report_submissions" USING btree ("id");--> statement-breakpoint
CREATE UNIQUE INDEX "report_submissions_window_unit_uq" ON "report_submissions" USING btree ("region_id","window_id","unit_id");
