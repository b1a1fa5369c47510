CREATE TABLE "analysis_comments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"report_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"body" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analysis_measures" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"report_id" uuid NOT NULL,
	"sort" integer DEFAULT 0 NOT NULL,
	"text" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"task_id" uuid
);
--> statement-breakpoint
CREATE TABLE "analysis_reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"unit_id" uuid NOT NULL,
	"to_unit_id" uuid,
	"period_kind" text NOT NULL,
	"period_key" text NOT NULL,
	"period_label" text NOT NULL,
	"title" text NOT NULL,
	"situation" text DEFAULT '' NOT NULL,
	"risks" text DEFAULT '' NOT NULL,
	"state" text DEFAULT 'draft' NOT NULL,
	"return_reason" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"submitted_at" timestamp with time zone,
	"read_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "bulletin_reads" (
	"bulletin_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"read_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bulletin_reads_bulletin_id_person_id_pk" PRIMARY KEY("bulletin_id","person_id")
);
--> statement-breakpoint
CREATE TABLE "bulletin_recipients" (
	"bulletin_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"read_at" timestamp with time zone,
	CONSTRAINT "bulletin_recipients_bulletin_id_unit_id_pk" PRIMARY KEY("bulletin_id","unit_id")
);
--> statement-breakpoint
CREATE TABLE "bulletins" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"unit_id" uuid NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"remind_after_days" integer DEFAULT 3 NOT NULL,
	"sent_by" uuid,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "opinion_event_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"unit_id" uuid NOT NULL,
	"body" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "opinion_event_responses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"content" text NOT NULL,
	"url" text DEFAULT '' NOT NULL,
	"happened_at" timestamp with time zone NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "opinion_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"unit_id" uuid NOT NULL,
	"title" text NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"sources" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"first_seen_at" timestamp with time zone NOT NULL,
	"level" text NOT NULL,
	"state" text DEFAULT 'found' NOT NULL,
	"related_unit_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"response_plan_id" uuid,
	"escalated_to_unit_id" uuid,
	"escalated_at" timestamp with time zone,
	"conclusion" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "opinion_platforms" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"sort" integer DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE TABLE "response_drills" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"plan_id" uuid NOT NULL,
	"held_at" timestamp with time zone NOT NULL,
	"scenario" text NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "response_plan_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"plan_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"body" text DEFAULT '' NOT NULL,
	"levels" text[] NOT NULL,
	"notify_person_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "response_plans" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"unit_id" uuid NOT NULL,
	"title" text NOT NULL,
	"current_version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "analysis_comments" ADD CONSTRAINT "analysis_comments_report_id_analysis_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."analysis_reports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analysis_comments" ADD CONSTRAINT "analysis_comments_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analysis_comments" ADD CONSTRAINT "analysis_comments_created_by_people_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analysis_measures" ADD CONSTRAINT "analysis_measures_report_id_analysis_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."analysis_reports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analysis_reports" ADD CONSTRAINT "analysis_reports_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analysis_reports" ADD CONSTRAINT "analysis_reports_to_unit_id_units_id_fk" FOREIGN KEY ("to_unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analysis_reports" ADD CONSTRAINT "analysis_reports_created_by_people_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bulletin_reads" ADD CONSTRAINT "bulletin_reads_bulletin_id_bulletins_id_fk" FOREIGN KEY ("bulletin_id") REFERENCES "public"."bulletins"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bulletin_reads" ADD CONSTRAINT "bulletin_reads_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bulletin_reads" ADD CONSTRAINT "bulletin_reads_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bulletin_recipients" ADD CONSTRAINT "bulletin_recipients_bulletin_id_bulletins_id_fk" FOREIGN KEY ("bulletin_id") REFERENCES "public"."bulletins"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bulletin_recipients" ADD CONSTRAINT "bulletin_recipients_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bulletins" ADD CONSTRAINT "bulletins_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bulletins" ADD CONSTRAINT "bulletins_sent_by_people_id_fk" FOREIGN KEY ("sent_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opinion_event_entries" ADD CONSTRAINT "opinion_event_entries_event_id_opinion_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."opinion_events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opinion_event_entries" ADD CONSTRAINT "opinion_event_entries_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opinion_event_entries" ADD CONSTRAINT "opinion_event_entries_created_by_people_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opinion_event_responses" ADD CONSTRAINT "opinion_event_responses_event_id_opinion_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."opinion_events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opinion_event_responses" ADD CONSTRAINT "opinion_event_responses_created_by_people_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opinion_events" ADD CONSTRAINT "opinion_events_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opinion_events" ADD CONSTRAINT "opinion_events_escalated_to_unit_id_units_id_fk" FOREIGN KEY ("escalated_to_unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opinion_events" ADD CONSTRAINT "opinion_events_created_by_people_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "response_drills" ADD CONSTRAINT "response_drills_plan_id_response_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."response_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "response_drills" ADD CONSTRAINT "response_drills_created_by_people_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "response_plan_versions" ADD CONSTRAINT "response_plan_versions_plan_id_response_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."response_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "response_plan_versions" ADD CONSTRAINT "response_plan_versions_created_by_people_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "response_plans" ADD CONSTRAINT "response_plans_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "response_plans" ADD CONSTRAINT "response_plans_created_by_people_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "analysis_comments_report_idx" ON "analysis_comments" USING btree ("report_id","created_at");--> statement-breakpoint
CREATE INDEX "analysis_measures_report_idx" ON "analysis_measures" USING btree ("report_id","sort");--> statement-breakpoint
CREATE INDEX "analysis_reports_unit_idx" ON "analysis_reports" USING btree ("unit_id","period_key");--> statement-breakpoint
CREATE INDEX "analysis_reports_to_unit_idx" ON "analysis_reports" USING btree ("to_unit_id","state");--> statement-breakpoint
CREATE INDEX "bulletin_reads_unit_idx" ON "bulletin_reads" USING btree ("bulletin_id","unit_id");--> statement-breakpoint
CREATE INDEX "bulletin_recipients_unit_idx" ON "bulletin_recipients" USING btree ("unit_id");--> statement-breakpoint
CREATE INDEX "bulletins_unit_idx" ON "bulletins" USING btree ("unit_id","sent_at");--> statement-breakpoint
CREATE INDEX "opinion_event_entries_event_idx" ON "opinion_event_entries" USING btree ("event_id","created_at");--> statement-breakpoint
CREATE INDEX "opinion_event_responses_event_idx" ON "opinion_event_responses" USING btree ("event_id","happened_at");--> statement-breakpoint
CREATE INDEX "opinion_events_unit_idx" ON "opinion_events" USING btree ("unit_id","state");--> statement-breakpoint
CREATE INDEX "opinion_events_escalated_idx" ON "opinion_events" USING btree ("escalated_to_unit_id");--> statement-breakpoint
CREATE INDEX "opinion_events_open_idx" ON "opinion_events" USING btree ("first_seen_at") WHERE "opinion_events"."state" <> 'closed';--> statement-breakpoint
CREATE UNIQUE INDEX "opinion_platforms_name_uq" ON "opinion_platforms" USING btree ("name");--> statement-breakpoint
CREATE INDEX "response_drills_plan_idx" ON "response_drills" USING btree ("plan_id","held_at");--> statement-breakpoint
CREATE UNIQUE INDEX "response_plan_versions_uq" ON "response_plan_versions" USING btree ("plan_id","version");--> statement-breakpoint
CREATE INDEX "response_plans_unit_idx" ON "response_plans" USING btree ("unit_id");