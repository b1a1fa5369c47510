-- The opinion module carries the distribution key (see 0015). Analysis reports, opinion events and response plans
-- take the region of their unit; measures and comments (a comment is written by the unit reported to, still with
-- its report), timeline entries and responses, plan versions and drills the region of their parent, co-located
-- with it by a foreign key on (region_id, parent id) with ON UPDATE CASCADE. Bulletins become a reference table
-- (issued by an upper unit to units of many regions; db/distribution.ts): their recipients take the region of the
-- recipient unit, and a read (always by a recipient unit) the region of its recipient row, by a foreign key on
-- (region_id, bulletin_id, unit_id). bulletins has no foreign key to a distributed table.
ALTER TABLE "analysis_measures" DROP CONSTRAINT "analysis_measures_report_id_analysis_reports_id_fk";--> statement-breakpoint
ALTER TABLE "analysis_comments" DROP CONSTRAINT "analysis_comments_report_id_analysis_reports_id_fk";--> statement-breakpoint
ALTER TABLE "opinion_event_entries" DROP CONSTRAINT "opinion_event_entries_event_id_opinion_events_id_fk";--> statement-breakpoint
ALTER TABLE "opinion_event_responses" DROP CONSTRAINT "opinion_event_responses_event_id_opinion_events_id_fk";--> statement-breakpoint
ALTER TABLE "response_plan_versions" DROP CONSTRAINT "response_plan_versions_plan_id_response_plans_id_fk";--> statement-breakpoint
ALTER TABLE "response_drills" DROP CONSTRAINT "response_drills_plan_id_response_plans_id_fk";--> statement-breakpoint
DROP INDEX "response_plan_versions_uq";--> statement-breakpoint
ALTER TABLE "analysis_reports" ADD COLUMN "region_id" uuid;--> statement-breakpoint
ALTER TABLE "opinion_events" ADD COLUMN "region_id" uuid;--> statement-breakpoint
ALTER TABLE "response_plans" ADD COLUMN "region_id" uuid;--> statement-breakpoint
ALTER TABLE "analysis_measures" ADD COLUMN "region_id" uuid;--> statement-breakpoint
ALTER TABLE "analysis_comments" ADD COLUMN "region_id" uuid;--> statement-breakpoint
ALTER TABLE "opinion_event_entries" ADD COLUMN "region_id" uuid;--> statement-breakpoint
ALTER TABLE "opinion_event_responses" ADD COLUMN "region_id" uuid;--> statement-breakpoint
ALTER TABLE "response_plan_versions" ADD COLUMN "region_id" uuid;--> statement-breakpoint
ALTER TABLE "response_drills" ADD COLUMN "region_id" uuid;--> statement-breakpoint
ALTER TABLE "bulletin_recipients" ADD COLUMN "region_id" uuid;--> statement-breakpoint
ALTER TABLE "bulletin_reads" ADD COLUMN "region_id" uuid;--> statement-breakpoint
UPDATE "analysis_reports" SET "region_id" = dl_region("unit_id");--> statement-breakpoint
UPDATE "opinion_events" SET "region_id" = dl_region("unit_id");--> statement-breakpoint
UPDATE "response_plans" SET "region_id" = dl_region("unit_id");--> statement-breakpoint
UPDATE "bulletin_recipients" SET "region_id" = dl_region("unit_id");--> statement-breakpoint
UPDATE "analysis_measures" c SET "region_id" = p."region_id" FROM "analysis_reports" p WHERE p."id" = c."report_id";--> statement-breakpoint
UPDATE "analysis_comments" c SET "region_id" = p."region_id" FROM "analysis_reports" p WHERE p."id" = c."report_id";--> statement-breakpoint
UPDATE "opinion_event_entries" c SET "region_id" = p."region_id" FROM "opinion_events" p WHERE p."id" = c."event_id";--> statement-breakpoint
UPDATE "opinion_event_responses" c SET "region_id" = p."region_id" FROM "opinion_events" p WHERE p."id" = c."event_id";--> statement-breakpoint
UPDATE "response_plan_versions" c SET "region_id" = p."region_id" FROM "response_plans" p WHERE p."id" = c."plan_id";--> statement-breakpoint
UPDATE "response_drills" c SET "region_id" = p."region_id" FROM "response_plans" p WHERE p."id" = c."plan_id";--> statement-breakpoint
UPDATE "bulletin_reads" r SET "region_id" = b."region_id" FROM "bulletin_recipients" b WHERE b."bulletin_id" = r."bulletin_id" AND b."unit_id" = r."unit_id";--> statement-breakpoint
ALTER TABLE "analysis_reports" ALTER COLUMN "region_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "opinion_events" ALTER COLUMN "region_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "response_plans" ALTER COLUMN "region_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "analysis_measures" ALTER COLUMN "region_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "analysis_comments" ALTER COLUMN "region_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "opinion_event_entries" ALTER COLUMN "region_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "opinion_event_responses" ALTER COLUMN "region_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "response_plan_versions" ALTER COLUMN "region_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "response_drills" ALTER COLUMN "region_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "bulletin_recipients" ALTER COLUMN "region_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "bulletin_reads" ALTER COLUMN "region_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "analysis_reports" DROP CONSTRAINT "analysis_reports_pkey";--> statement-breakpoint
ALTER TABLE "opinion_events" DROP CONSTRAINT "opinion_events_pkey";--> statement-breakpoint
ALTER TABLE "response_plans" DROP CONSTRAINT "response_plans_pkey";--> statement-breakpoint
ALTER TABLE "analysis_measures" DROP CONSTRAINT "analysis_measures_pkey";--> statement-breakpoint
ALTER TABLE "analysis_comments" DROP CONSTRAINT "analysis_comments_pkey";--> statement-breakpoint
ALTER TABLE "opinion_event_entries" DROP CONSTRAINT "opinion_event_entries_pkey";--> statement-breakpoint
ALTER TABLE "opinion_event_responses" DROP CONSTRAINT "opinion_event_responses_pkey";--> statement-breakpoint
ALTER TABLE "response_plan_versions" DROP CONSTRAINT "response_plan_versions_pkey";--> statement-breakpoint
ALTER TABLE "response_drills" DROP CONSTRAINT "response_drills_pkey";--> statement-breakpoint
ALTER TABLE "bulletin_recipients" DROP CONSTRAINT "bulletin_recipients_bulletin_id_unit_id_pk";--> statement-breakpoint
ALTER TABLE "bulletin_reads" DROP CONSTRAINT "bulletin_reads_bulletin_id_person_id_pk";--> statement-breakpoint
ALTER TABLE "analysis_reports" ADD CONSTRAINT "analysis_reports_region_id_id_pk" PRIMARY KEY("region_id","id");--> statement-breakpoint
ALTER TABLE "opinion_events" ADD CONSTRAINT "opinion_events_region_id_id_pk" PRIMARY KEY("region_id","id");--> statement-breakpoint
ALTER TABLE "response_plans" ADD CONSTRAINT "response_plans_region_id_id_pk" PRIMARY KEY("region_id","id");--> statement-breakpoint
ALTER TABLE "analysis_measures" ADD CONSTRAINT "analysis_measures_region_id_id_pk" PRIMARY KEY("region_id","id");--> statement-breakpoint
ALTER TABLE "analysis_comments" ADD CONSTRAINT "analysis_comments_region_id_id_pk" PRIMARY KEY("region_id","id");--> statement-breakpoint
ALTER TABLE "opinion_event_entries" ADD CONSTRAINT "opinion_event_entries_region_id_id_pk" PRIMARY KEY("region_id","id");--> statement-breakpoint
ALTER TABLE "opinion_event_responses" ADD CONSTRAINT "opinion_event_responses_region_id_id_pk" PRIMARY KEY("region_id","id");--> statement-breakpoint
ALTER TABLE "response_plan_versions" ADD CONSTRAINT "response_plan_versions_region_id_id_pk" PRIMARY KEY("region_id","id");--> statement-breakpoint
ALTER TABLE "response_drills" ADD CONSTRAINT "response_drills_region_id_id_pk" PRIMARY KEY("region_id","id");--> statement-breakpoint
ALTER TABLE "bulletin_recipients" ADD CONSTRAINT "bulletin_recipients_region_id_bulletin_id_unit_id_pk" PRIMARY KEY("region_id","bulletin_id","unit_id");--> statement-breakpoint
ALTER TABLE "bulletin_reads" ADD CONSTRAINT "bulletin_reads_region_id_bulletin_id_person_id_pk" PRIMARY KEY("region_id","bulletin_id","person_id");--> statement-breakpoint
ALTER TABLE "analysis_measures" ADD CONSTRAINT "analysis_measures_report_fk" FOREIGN KEY ("region_id","report_id") REFERENCES "public"."analysis_reports"("region_id","id") ON DELETE no action ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "analysis_comments" ADD CONSTRAINT "analysis_comments_report_fk" FOREIGN KEY ("region_id","report_id") REFERENCES "public"."analysis_reports"("region_id","id") ON DELETE no action ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "opinion_event_entries" ADD CONSTRAINT "opinion_event_entries_event_fk" FOREIGN KEY ("region_id","event_id") REFERENCES "public"."opinion_events"("region_id","id") ON DELETE no action ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "opinion_event_responses" ADD CONSTRAINT "opinion_event_responses_event_fk" FOREIGN KEY ("region_id","event_id") REFERENCES "public"."opinion_events"("region_id","id") ON DELETE no action ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "response_plan_versions" ADD CONSTRAINT "response_plan_versions_plan_fk" FOREIGN KEY ("region_id","plan_id") REFERENCES "public"."response_plans"("region_id","id") ON DELETE no action ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "response_drills" ADD CONSTRAINT "response_drills_plan_fk" FOREIGN KEY ("region_id","plan_id") REFERENCES "public"."response_plans"("region_id","id") ON DELETE no action ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "bulletin_reads" ADD CONSTRAINT "bulletin_reads_recipient_fk" FOREIGN KEY ("region_id","bulletin_id","unit_id") REFERENCES "public"."bulletin_recipients"("region_id","bulletin_id","unit_id") ON DELETE no action ON UPDATE cascade;--> statement-breakpoint
CREATE INDEX "analysis_reports_id_idx" ON "analysis_reports" USING btree ("id");--> statement-breakpoint
CREATE INDEX "analysis_measures_id_idx" ON "analysis_measures" USING btree ("id");--> statement-breakpoint
CREATE INDEX "opinion_events_id_idx" ON "opinion_events" USING btree ("id");--> statement-breakpoint
CREATE INDEX "response_plans_id_idx" ON "response_plans" USING btree ("id");--> statement-breakpoint
CREATE INDEX "response_plan_versions_id_idx" ON "response_plan_versions" USING btree ("id");--> statement-breakpoint
CREATE INDEX "response_drills_id_idx" ON "response_drills" USING btree ("id");--> statement-breakpoint
CREATE UNIQUE INDEX "response_plan_versions_uq" ON "response_plan_versions" USING btree ("region_id","plan_id","version");
