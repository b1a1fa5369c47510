-- Duty (plans & tasks, responsibilities), outputs and accountability carry the distribution key (see 0015). Roots
-- take the region of their own unit: plans, tasks (the assignee unit, which owns the task), leading_groups (one per
-- unit, primary key (region_id, unit_id)), duty_letters (unique per unit and year), work_outputs, and
-- accountability_records (the subject unit; the deciding unit is it or an upper unit). Children take the region of
-- their parent and are co-located with it by a foreign key with ON UPDATE CASCADE (a re-homed parent takes them
-- along): plan_items (plan), leading_group_members and duty_assignments (the unit's leading group, on
-- (region_id, unit_id)).
-- Dropped foreign key (the plain uuid column and its index stay; the service loads the item before it assigns it):
-- tasks.plan_item_id, an item of the assigner's plan, an upper unit possibly of another region (a county plan's
-- item fanned out to its towns).
ALTER TABLE "plan_items" DROP CONSTRAINT "plan_items_plan_id_plans_id_fk";--> statement-breakpoint
ALTER TABLE "tasks" DROP CONSTRAINT "tasks_plan_item_id_plan_items_id_fk";--> statement-breakpoint
ALTER TABLE "leading_group_members" DROP CONSTRAINT "leading_group_members_unit_id_leading_groups_unit_id_fk";--> statement-breakpoint
ALTER TABLE "duty_assignments" DROP CONSTRAINT "duty_assignments_unit_id_leading_groups_unit_id_fk";--> statement-breakpoint
DROP INDEX "leading_group_members_open_uq";--> statement-breakpoint
DROP INDEX "duty_letters_unit_year_uq";--> statement-breakpoint
ALTER TABLE "plans" ADD COLUMN "region_id" uuid;--> statement-breakpoint
ALTER TABLE "plan_items" ADD COLUMN "region_id" uuid;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "region_id" uuid;--> statement-breakpoint
ALTER TABLE "leading_groups" ADD COLUMN "region_id" uuid;--> statement-breakpoint
ALTER TABLE "leading_group_members" ADD COLUMN "region_id" uuid;--> statement-breakpoint
ALTER TABLE "duty_assignments" ADD COLUMN "region_id" uuid;--> statement-breakpoint
ALTER TABLE "duty_letters" ADD COLUMN "region_id" uuid;--> statement-breakpoint
ALTER TABLE "work_outputs" ADD COLUMN "region_id" uuid;--> statement-breakpoint
ALTER TABLE "accountability_records" ADD COLUMN "region_id" uuid;--> statement-breakpoint
UPDATE "plans" SET "region_id" = dl_region("unit_id");--> statement-breakpoint
UPDATE "tasks" SET "region_id" = dl_region("unit_id");--> statement-breakpoint
UPDATE "leading_groups" SET "region_id" = dl_region("unit_id");--> statement-breakpoint
UPDATE "duty_letters" SET "region_id" = dl_region("unit_id");--> statement-breakpoint
UPDATE "work_outputs" SET "region_id" = dl_region("unit_id");--> statement-breakpoint
UPDATE "accountability_records" SET "region_id" = dl_region("subject_unit_id");--> statement-breakpoint
UPDATE "plan_items" c SET "region_id" = p."region_id" FROM "plans" p WHERE p."id" = c."plan_id";--> statement-breakpoint
UPDATE "leading_group_members" c SET "region_id" = p."region_id" FROM "leading_groups" p WHERE p."unit_id" = c."unit_id";--> statement-breakpoint
UPDATE "duty_assignments" c SET "region_id" = p."region_id" FROM "leading_groups" p WHERE p."unit_id" = c."unit_id";--> statement-breakpoint
ALTER TABLE "plans" ALTER COLUMN "region_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "plan_items" ALTER COLUMN "region_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "tasks" ALTER COLUMN "region_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "leading_groups" ALTER COLUMN "region_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "leading_group_members" ALTER COLUMN "region_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "duty_assignments" ALTER COLUMN "region_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "duty_letters" ALTER COLUMN "region_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "work_outputs" ALTER COLUMN "region_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "accountability_records" ALTER COLUMN "region_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "plans" DROP CONSTRAINT "plans_pkey";--> statement-breakpoint
ALTER TABLE "plan_items" DROP CONSTRAINT "plan_items_pkey";--> statement-breakpoint
ALTER TABLE "tasks" DROP CONSTRAINT "tasks_pkey";--> statement-breakpoint
ALTER TABLE "leading_groups" DROP CONSTRAINT "leading_groups_pkey";--> statement-breakpoint
ALTER TABLE "leading_group_members" DROP CONSTRAINT "leading_group_members_pkey";--> statement-breakpoint
ALTER TABLE "duty_assignments" DROP CONSTRAINT "duty_assignments_pkey";--> statement-breakpoint
ALTER TABLE "duty_letters" DROP CONSTRAINT "duty_letters_pkey";--> statement-breakpoint
ALTER TABLE "work_outputs" DROP CONSTRAINT "work_outputs_pkey";--> statement-breakpoint
ALTER TABLE "accountability_records" DROP CONSTRAINT "accountability_records_pkey";--> statement-breakpoint
ALTER TABLE "plans" ADD CONSTRAINT "plans_region_id_id_pk" PRIMARY KEY("region_id","id");--> statement-breakpoint
ALTER TABLE "plan_items" ADD CONSTRAINT "plan_items_region_id_id_pk" PRIMARY KEY("region_id","id");--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_region_id_id_pk" PRIMARY KEY("region_id","id");--> statement-breakpoint
ALTER TABLE "leading_groups" ADD CONSTRAINT "leading_groups_region_id_unit_id_pk" PRIMARY KEY("region_id","unit_id");--> statement-breakpoint
ALTER TABLE "leading_group_members" ADD CONSTRAINT "leading_group_members_region_id_id_pk" PRIMARY KEY("region_id","id");--> statement-breakpoint
ALTER TABLE "duty_assignments" ADD CONSTRAINT "duty_assignments_region_id_id_pk" PRIMARY KEY("region_id","id");--> statement-breakpoint
ALTER TABLE "duty_letters" ADD CONSTRAINT "duty_letters_region_id_id_pk" PRIMARY KEY("region_id","id");--> statement-breakpoint
ALTER TABLE "work_outputs" ADD CONSTRAINT "work_outputs_region_id_id_pk" PRIMARY KEY("region_id","id");--> statement-breakpoint
ALTER TABLE "accountability_records" ADD CONSTRAINT "accountability_records_region_id_id_pk" PRIMARY KEY("region_id","id");--> statement-breakpoint
ALTER TABLE "plan_items" ADD CONSTRAINT "plan_items_region_id_plan_id_plans_region_id_id_fk" FOREIGN KEY ("region_id","plan_id") REFERENCES "public"."plans"("region_id","id") ON DELETE no action ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "leading_group_members" ADD CONSTRAINT "leading_group_members_region_id_unit_id_fk" FOREIGN KEY ("region_id","unit_id") REFERENCES "public"."leading_groups"("region_id","unit_id") ON DELETE no action ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "duty_assignments" ADD CONSTRAINT "duty_assignments_region_id_unit_id_fk" FOREIGN KEY ("region_id","unit_id") REFERENCES "public"."leading_groups"("region_id","unit_id") ON DELETE no action ON UPDATE cascade;--> statement-breakpoint
CREATE INDEX "plans_id_idx" ON "plans" USING btree ("id");--> statement-breakpoint
CREATE INDEX "plan_items_id_idx" ON "plan_items" USING btree ("id");--> statement-breakpoint
CREATE INDEX "tasks_id_idx" ON "tasks" USING btree ("id");--> statement-breakpoint
CREATE INDEX "leading_groups_unit_idx" ON "leading_groups" USING btree ("unit_id");--> statement-breakpoint
CREATE INDEX "leading_group_members_id_idx" ON "leading_group_members" USING btree ("id");--> statement-breakpoint
CREATE INDEX "duty_assignments_id_idx" ON "duty_assignments" USING btree ("id");--> statement-breakpoint
CREATE INDEX "duty_letters_id_idx" ON "duty_letters" USING btree ("id");--> statement-breakpoint
CREATE INDEX "duty_letters_unit_idx" ON "duty_letters" USING btree ("unit_id","year");--> statement-breakpoint
CREATE INDEX "work_outputs_id_idx" ON "work_outputs" USING btree ("id");--> statement-breakpoint
CREATE INDEX "accountability_records_id_idx" ON "accountability_records" USING btree ("id");--> statement-breakpoint
CREATE UNIQUE INDEX "leading_group_members_open_uq" ON "leading_group_members" USING btree ("region_id","unit_id","person_id") WHERE "leading_group_members"."to_date" IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "duty_letters_unit_year_uq" ON "duty_letters" USING btree ("region_id","unit_id","year");
