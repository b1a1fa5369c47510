CREATE TABLE "report_submissions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"window_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"state" text DEFAULT 'draft' NOT NULL,
	"sections" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"return_reason" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"first_submitted_at" timestamp with time zone,
	"submitted_at" timestamp with time zone,
	"submitted_by" uuid,
	"accepted_at" timestamp with time zone,
	"reviewed_by" uuid
);
--> statement-breakpoint
CREATE TABLE "report_templates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"family" text NOT NULL,
	"version" integer NOT NULL,
	"current" boolean DEFAULT true NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"sections" jsonb NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "report_window_targets" (
	"window_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	CONSTRAINT "report_window_targets_window_id_unit_id_pk" PRIMARY KEY("window_id","unit_id")
);
--> statement-breakpoint
CREATE TABLE "report_windows" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"unit_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"period_kind" text NOT NULL,
	"period_year" integer NOT NULL,
	"period_index" integer NOT NULL,
	"period_key" text NOT NULL,
	"template_id" uuid NOT NULL,
	"target" jsonb NOT NULL,
	"opens_at" timestamp with time zone NOT NULL,
	"closes_at" timestamp with time zone NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "report_submissions" ADD CONSTRAINT "report_submissions_window_id_report_windows_id_fk" FOREIGN KEY ("window_id") REFERENCES "public"."report_windows"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_submissions" ADD CONSTRAINT "report_submissions_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_submissions" ADD CONSTRAINT "report_submissions_created_by_people_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_submissions" ADD CONSTRAINT "report_submissions_submitted_by_people_id_fk" FOREIGN KEY ("submitted_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_submissions" ADD CONSTRAINT "report_submissions_reviewed_by_people_id_fk" FOREIGN KEY ("reviewed_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_templates" ADD CONSTRAINT "report_templates_created_by_people_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_window_targets" ADD CONSTRAINT "report_window_targets_window_id_report_windows_id_fk" FOREIGN KEY ("window_id") REFERENCES "public"."report_windows"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_window_targets" ADD CONSTRAINT "report_window_targets_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_windows" ADD CONSTRAINT "report_windows_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_windows" ADD CONSTRAINT "report_windows_template_id_report_templates_id_fk" FOREIGN KEY ("template_id") REFERENCES "public"."report_templates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_windows" ADD CONSTRAINT "report_windows_created_by_people_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "report_submissions_window_unit_uq" ON "report_submissions" USING btree ("window_id","unit_id");--> statement-breakpoint
CREATE INDEX "report_submissions_unit_idx" ON "report_submissions" USING btree ("unit_id");--> statement-breakpoint
CREATE UNIQUE INDEX "report_templates_family_version_uq" ON "report_templates" USING btree ("family","version");--> statement-breakpoint
CREATE UNIQUE INDEX "report_templates_family_current_uq" ON "report_templates" USING btree ("family") WHERE "report_templates"."current";--> statement-breakpoint
CREATE INDEX "report_window_targets_unit_idx" ON "report_window_targets" USING btree ("unit_id");--> statement-breakpoint
CREATE INDEX "report_windows_unit_idx" ON "report_windows" USING btree ("unit_id","closes_at");--> statement-breakpoint
CREATE INDEX "report_windows_closes_idx" ON "report_windows" USING btree ("closes_at");