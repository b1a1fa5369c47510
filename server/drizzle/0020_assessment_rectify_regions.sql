-- Assessment and rectification carry the distribution key (see 0015). assessment_cycles becomes a reference table
-- (a cycle is opened by an upper unit over units of many regions; cycles are few): its target rows
-- (assessment_cycle_units) take the region of their unit and keep their foreign key to it, and a score is
-- co-located with its target row by a foreign key on (region_id, cycle_id, unit_id). An inspection inspects one
-- unit and takes that unit's region; its findings, their items and the items' re-checks take the region of their
-- parent, co-located by foreign keys on (region_id, …_id) with ON UPDATE CASCADE (a re-homed inspection carries
-- them along). An item stays with its inspection even when its owner unit lies in another region (an inspection
-- of the top unit).
ALTER TABLE "rectify_findings" DROP CONSTRAINT "rectify_findings_inspection_id_inspections_id_fk";--> statement-breakpoint
ALTER TABLE "rectify_items" DROP CONSTRAINT "rectify_items_finding_id_rectify_findings_id_fk";--> statement-breakpoint
ALTER TABLE "rectify_items" DROP CONSTRAINT "rectify_items_inspection_id_inspections_id_fk";--> statement-breakpoint
ALTER TABLE "rectify_rechecks" DROP CONSTRAINT "rectify_rechecks_item_id_rectify_items_id_fk";--> statement-breakpoint
DROP INDEX "assessment_scores_cell_uq";--> statement-breakpoint
ALTER TABLE "assessment_cycle_units" ADD COLUMN "region_id" uuid;--> statement-breakpoint
ALTER TABLE "assessment_scores" ADD COLUMN "region_id" uuid;--> statement-breakpoint
ALTER TABLE "inspections" ADD COLUMN "region_id" uuid;--> statement-breakpoint
ALTER TABLE "rectify_findings" ADD COLUMN "region_id" uuid;--> statement-breakpoint
ALTER TABLE "rectify_items" ADD COLUMN "region_id" uuid;--> statement-breakpoint
ALTER TABLE "rectify_rechecks" ADD COLUMN "region_id" uuid;--> statement-breakpoint
UPDATE "assessment_cycle_units" SET "region_id" = dl_region("unit_id");--> statement-breakpoint
UPDATE "inspections" SET "region_id" = dl_region("inspected_unit_id");--> statement-breakpoint
UPDATE "assessment_scores" s SET "region_id" = cu."region_id" FROM "assessment_cycle_units" cu WHERE cu."cycle_id" = s."cycle_id" AND cu."unit_id" = s."unit_id";--> statement-breakpoint
UPDATE "rectify_findings" f SET "region_id" = i."region_id" FROM "inspections" i WHERE i."id" = f."inspection_id";--> statement-breakpoint
UPDATE "rectify_items" t SET "region_id" = f."region_id" FROM "rectify_findings" f WHERE f."id" = t."finding_id";--> statement-breakpoint
UPDATE "rectify_rechecks" r SET "region_id" = t."region_id" FROM "rectify_items" t WHERE t."id" = r."item_id";--> statement-breakpoint
ALTER TABLE "assessment_cycle_units" ALTER COLUMN "region_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "assessment_scores" ALTER COLUMN "region_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "inspections" ALTER COLUMN "region_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "rectify_findings" ALTER COLUMN "region_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "rectify_items" ALTER COLUMN "region_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "rectify_rechecks" ALTER COLUMN "region_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "assessment_cycle_units" DROP CONSTRAINT "assessment_cycle_units_cycle_id_unit_id_pk";--> statement-breakpoint
ALTER TABLE "assessment_scores" DROP CONSTRAINT "assessment_scores_pkey";--> statement-breakpoint
ALTER TABLE "rectify_rechecks" DROP CONSTRAINT "rectify_rechecks_pkey";--> statement-breakpoint
ALTER TABLE "rectify_items" DROP CONSTRAINT "rectify_items_pkey";--> statement-breakpoint
ALTER TABLE "rectify_findings" DROP CONSTRAINT "rectify_findings_pkey";--> statement-breakpoint
ALTER TABLE "inspections" DROP CONSTRAINT "inspections_pkey";--> statement-breakpoint
ALTER TABLE "assessment_cycle_units" ADD CONSTRAINT "assessment_cycle_units_region_id_cycle_id_unit_id_pk" PRIMARY KEY("region_id","cycle_id","unit_id");--> statement-breakpoint
ALTER TABLE "assessment_scores" ADD CONSTRAINT "assessment_scores_region_id_id_pk" PRIMARY KEY("region_id","id");--> statement-breakpoint
ALTER TABLE "inspections" ADD CONSTRAINT "inspections_region_id_id_pk" PRIMARY KEY("region_id","id");--> statement-breakpoint
ALTER TABLE "rectify_findings" ADD CONSTRAINT "rectify_findings_region_id_id_pk" PRIMARY KEY("region_id","id");--> statement-breakpoint
ALTER TABLE "rectify_items" ADD CONSTRAINT "rectify_items_region_id_id_pk" PRIMARY KEY("region_id","id");--> statement-breakpoint
ALTER TABLE "rectify_rechecks" ADD CONSTRAINT "rectify_rechecks_region_id_id_pk" PRIMARY KEY("region_id","id");--> statement-breakpoint
ALTER TABLE "assessment_scores" ADD CONSTRAINT "assessment_scores_cycle_unit_fk" FOREIGN KEY ("region_id","cycle_id","unit_id") REFERENCES "public"."assessment_cycle_units"("region_id","cycle_id","unit_id") ON DELETE no action ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "rectify_findings" ADD CONSTRAINT "rectify_findings_inspection_fk" FOREIGN KEY ("region_id","inspection_id") REFERENCES "public"."inspections"("region_id","id") ON DELETE no action ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "rectify_items" ADD CONSTRAINT "rectify_items_finding_fk" FOREIGN KEY ("region_id","finding_id") REFERENCES "public"."rectify_findings"("region_id","id") ON DELETE no action ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "rectify_items" ADD CONSTRAINT "rectify_items_inspection_fk" FOREIGN KEY ("region_id","inspection_id") REFERENCES "public"."inspections"("region_id","id") ON DELETE no action ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "rectify_rechecks" ADD CONSTRAINT "rectify_rechecks_item_fk" FOREIGN KEY ("region_id","item_id") REFERENCES "public"."rectify_items"("region_id","id") ON DELETE no action ON UPDATE cascade;--> statement-breakpoint
CREATE INDEX "assessment_scores_id_idx" ON "assessment_scores" USING btree ("id");--> statement-breakpoint
CREATE UNIQUE INDEX "assessment_scores_cell_uq" ON "assessment_scores" USING btree ("region_id","cycle_id","unit_id","indicator_id");--> statement-breakpoint
CREATE INDEX "inspections_id_idx" ON "inspections" USING btree ("id");--> statement-breakpoint
CREATE INDEX "rectify_findings_id_idx" ON "rectify_findings" USING btree ("id");--> statement-breakpoint
CREATE INDEX "rectify_items_id_idx" ON "rectify_items" USING btree ("id");--> statement-breakpoint
CREATE INDEX "rectify_rechecks_id_idx" ON "rectify_rechecks" USING btree ("id");
