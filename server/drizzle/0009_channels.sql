CREATE TABLE "channel_dicts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"sort" integer DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"lead_days" integer DEFAULT 7 NOT NULL,
	"requires_parent" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "channel_reviewers" (
	"channel_id" uuid NOT NULL,
	"level" integer NOT NULL,
	"person_id" uuid NOT NULL,
	CONSTRAINT "channel_reviewers_channel_id_level_person_id_pk" PRIMARY KEY("channel_id","level","person_id")
);
--> statement-breakpoint
CREATE TABLE "channels" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"unit_id" uuid NOT NULL,
	"supervisor_unit_id" uuid NOT NULL,
	"type_id" uuid NOT NULL,
	"name" text NOT NULL,
	"address" text DEFAULT '' NOT NULL,
	"responsible_person_id" uuid,
	"status" text DEFAULT 'running' NOT NULL,
	"review_levels" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "event_filings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"unit_id" uuid NOT NULL,
	"kind_id" uuid NOT NULL,
	"topic" text NOT NULL,
	"speakers" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"venue" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone,
	"expected_audience" integer DEFAULT 0 NOT NULL,
	"lead_days" integer DEFAULT 7 NOT NULL,
	"requires_parent" boolean DEFAULT false NOT NULL,
	"state" text DEFAULT 'draft' NOT NULL,
	"submitted_at" timestamp with time zone,
	"decision_comment" text,
	"summary" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "publication_steps" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"publication_id" uuid NOT NULL,
	"action" text NOT NULL,
	"from_state" text NOT NULL,
	"to_state" text NOT NULL,
	"level" integer,
	"actor_id" uuid,
	"comment" text DEFAULT '' NOT NULL,
	"checklist" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "publications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"channel_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"author_id" uuid NOT NULL,
	"title" text NOT NULL,
	"body" text DEFAULT '' NOT NULL,
	"planned_at" timestamp with time zone,
	"state" text DEFAULT 'draft' NOT NULL,
	"levels" integer DEFAULT 1 NOT NULL,
	"published_url" text,
	"published_at" timestamp with time zone,
	"return_reason" text,
	"withdraw_reason" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "self_check_results" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"round_id" uuid NOT NULL,
	"channel_id" uuid NOT NULL,
	"answers" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"problems" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"checked_by" uuid,
	"checked_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "self_check_rounds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"unit_id" uuid NOT NULL,
	"period_key" text NOT NULL,
	"label" text NOT NULL,
	"items" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "channel_reviewers" ADD CONSTRAINT "channel_reviewers_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "channel_reviewers" ADD CONSTRAINT "channel_reviewers_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "channels" ADD CONSTRAINT "channels_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "channels" ADD CONSTRAINT "channels_supervisor_unit_id_units_id_fk" FOREIGN KEY ("supervisor_unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "channels" ADD CONSTRAINT "channels_type_id_channel_dicts_id_fk" FOREIGN KEY ("type_id") REFERENCES "public"."channel_dicts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "channels" ADD CONSTRAINT "channels_responsible_person_id_people_id_fk" FOREIGN KEY ("responsible_person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_filings" ADD CONSTRAINT "event_filings_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_filings" ADD CONSTRAINT "event_filings_kind_id_channel_dicts_id_fk" FOREIGN KEY ("kind_id") REFERENCES "public"."channel_dicts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_filings" ADD CONSTRAINT "event_filings_created_by_people_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publication_steps" ADD CONSTRAINT "publication_steps_publication_id_publications_id_fk" FOREIGN KEY ("publication_id") REFERENCES "public"."publications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publication_steps" ADD CONSTRAINT "publication_steps_actor_id_people_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publications" ADD CONSTRAINT "publications_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publications" ADD CONSTRAINT "publications_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publications" ADD CONSTRAINT "publications_author_id_people_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "self_check_results" ADD CONSTRAINT "self_check_results_round_id_self_check_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."self_check_rounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "self_check_results" ADD CONSTRAINT "self_check_results_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "self_check_results" ADD CONSTRAINT "self_check_results_checked_by_people_id_fk" FOREIGN KEY ("checked_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "self_check_rounds" ADD CONSTRAINT "self_check_rounds_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "channel_dicts_kind_name_uq" ON "channel_dicts" USING btree ("kind","name");--> statement-breakpoint
CREATE INDEX "channel_reviewers_person_idx" ON "channel_reviewers" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "channels_unit_idx" ON "channels" USING btree ("unit_id");--> statement-breakpoint
CREATE INDEX "channels_type_idx" ON "channels" USING btree ("type_id");--> statement-breakpoint
CREATE INDEX "event_filings_unit_idx" ON "event_filings" USING btree ("unit_id","starts_at");--> statement-breakpoint
CREATE INDEX "event_filings_starts_idx" ON "event_filings" USING btree ("starts_at");--> statement-breakpoint
CREATE INDEX "publication_steps_pub_idx" ON "publication_steps" USING btree ("publication_id","created_at");--> statement-breakpoint
CREATE INDEX "publications_channel_idx" ON "publications" USING btree ("channel_id","state");--> statement-breakpoint
CREATE INDEX "publications_unit_idx" ON "publications" USING btree ("unit_id");--> statement-breakpoint
CREATE INDEX "publications_author_idx" ON "publications" USING btree ("author_id");--> statement-breakpoint
CREATE UNIQUE INDEX "self_check_results_round_channel_uq" ON "self_check_results" USING btree ("round_id","channel_id");--> statement-breakpoint
CREATE UNIQUE INDEX "self_check_rounds_unit_period_uq" ON "self_check_rounds" USING btree ("unit_id","period_key");