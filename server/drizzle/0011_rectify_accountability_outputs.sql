CREATE TABLE "accountability_records" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"subject_type" text NOT NULL,
	"subject_person_id" uuid,
	"subject_unit_id" uuid NOT NULL,
	"cause_type" text NOT NULL,
	"cause_id" text,
	"cause_label" text NOT NULL,
	"measure" text NOT NULL,
	"deciding_unit_id" uuid NOT NULL,
	"decided_by_person_id" uuid,
	"decided_on" date NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"response" text,
	"responded_at" timestamp with time zone,
	"responded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "work_outputs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"unit_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"occurred_on" date NOT NULL,
	"level" text,
	"outlet" text DEFAULT '' NOT NULL,
	"link" text DEFAULT '' NOT NULL,
	"participants" integer,
	"hours" double precision,
	"description" text DEFAULT '' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inspections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"inspecting_unit_id" uuid NOT NULL,
	"inspecting_body" text DEFAULT '' NOT NULL,
	"inspected_unit_id" uuid NOT NULL,
	"started_on" date NOT NULL,
	"ended_on" date,
	"feedback_on" date,
	"description" text DEFAULT '' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rectify_findings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"inspection_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"category" text DEFAULT '' NOT NULL,
	"description" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rectify_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"finding_id" uuid NOT NULL,
	"inspection_id" uuid NOT NULL,
	"inspecting_unit_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"owner_person_id" uuid,
	"measure" text NOT NULL,
	"deadline" timestamp with time zone NOT NULL,
	"required_evidence" text DEFAULT '' NOT NULL,
	"state" text DEFAULT 'open' NOT NULL,
	"progress" text,
	"return_reason" text,
	"reopen_reason" text,
	"submitted_at" timestamp with time zone,
	"signed_off_at" timestamp with time zone,
	"signed_off_by" uuid,
	"recheck_due_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rectify_rechecks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"item_id" uuid NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"note" text,
	"checked_by" uuid,
	"checked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "accountability_records" ADD CONSTRAINT "accountability_records_subject_person_id_people_id_fk" FOREIGN KEY ("subject_person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accountability_records" ADD CONSTRAINT "accountability_records_subject_unit_id_units_id_fk" FOREIGN KEY ("subject_unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accountability_records" ADD CONSTRAINT "accountability_records_deciding_unit_id_units_id_fk" FOREIGN KEY ("deciding_unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accountability_records" ADD CONSTRAINT "accountability_records_decided_by_person_id_people_id_fk" FOREIGN KEY ("decided_by_person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accountability_records" ADD CONSTRAINT "accountability_records_responded_by_people_id_fk" FOREIGN KEY ("responded_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_outputs" ADD CONSTRAINT "work_outputs_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_outputs" ADD CONSTRAINT "work_outputs_created_by_people_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspections" ADD CONSTRAINT "inspections_inspecting_unit_id_units_id_fk" FOREIGN KEY ("inspecting_unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspections" ADD CONSTRAINT "inspections_inspected_unit_id_units_id_fk" FOREIGN KEY ("inspected_unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspections" ADD CONSTRAINT "inspections_created_by_people_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rectify_findings" ADD CONSTRAINT "rectify_findings_inspection_id_inspections_id_fk" FOREIGN KEY ("inspection_id") REFERENCES "public"."inspections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rectify_items" ADD CONSTRAINT "rectify_items_finding_id_rectify_findings_id_fk" FOREIGN KEY ("finding_id") REFERENCES "public"."rectify_findings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rectify_items" ADD CONSTRAINT "rectify_items_inspection_id_inspections_id_fk" FOREIGN KEY ("inspection_id") REFERENCES "public"."inspections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rectify_items" ADD CONSTRAINT "rectify_items_inspecting_unit_id_units_id_fk" FOREIGN KEY ("inspecting_unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rectify_items" ADD CONSTRAINT "rectify_items_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rectify_items" ADD CONSTRAINT "rectify_items_owner_person_id_people_id_fk" FOREIGN KEY ("owner_person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rectify_items" ADD CONSTRAINT "rectify_items_signed_off_by_people_id_fk" FOREIGN KEY ("signed_off_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rectify_rechecks" ADD CONSTRAINT "rectify_rechecks_item_id_rectify_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."rectify_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rectify_rechecks" ADD CONSTRAINT "rectify_rechecks_checked_by_people_id_fk" FOREIGN KEY ("checked_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "accountability_deciding_idx" ON "accountability_records" USING btree ("deciding_unit_id","decided_on");--> statement-breakpoint
CREATE INDEX "accountability_subject_unit_idx" ON "accountability_records" USING btree ("subject_unit_id","decided_on");--> statement-breakpoint
CREATE INDEX "accountability_subject_person_idx" ON "accountability_records" USING btree ("subject_person_id");--> statement-breakpoint
CREATE INDEX "work_outputs_unit_idx" ON "work_outputs" USING btree ("unit_id","kind","occurred_on");--> statement-breakpoint
CREATE INDEX "inspections_inspecting_idx" ON "inspections" USING btree ("inspecting_unit_id");--> statement-breakpoint
CREATE INDEX "inspections_inspected_idx" ON "inspections" USING btree ("inspected_unit_id");--> statement-breakpoint
CREATE INDEX "rectify_findings_inspection_idx" ON "rectify_findings" USING btree ("inspection_id","seq");--> statement-breakpoint
CREATE INDEX "rectify_items_unit_idx" ON "rectify_items" USING btree ("unit_id","deadline");--> statement-breakpoint
CREATE INDEX "rectify_items_inspection_idx" ON "rectify_items" USING btree ("inspection_id");--> statement-breakpoint
CREATE INDEX "rectify_items_finding_idx" ON "rectify_items" USING btree ("finding_id");--> statement-breakpoint
CREATE INDEX "rectify_items_recheck_idx" ON "rectify_items" USING btree ("recheck_due_at") WHERE "rectify_items"."state" = 'signedOff';--> statement-breakpoint
CREATE INDEX "rectify_rechecks_item_idx" ON "rectify_rechecks" USING btree ("item_id");