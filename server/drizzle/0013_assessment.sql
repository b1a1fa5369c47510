CREATE TABLE "assessment_cycle_units" (
	"cycle_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	CONSTRAINT "assessment_cycle_units_cycle_id_unit_id_pk" PRIMARY KEY("cycle_id","unit_id")
);
--> statement-breakpoint
CREATE TABLE "assessment_cycles" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"framework_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"unit_type" text,
	"state" text DEFAULT 'open' NOT NULL,
	"computed_at" timestamp with time zone,
	"published_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assessment_frameworks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assessment_indicators" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"framework_id" uuid NOT NULL,
	"parent_id" uuid,
	"level" integer NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"name" text NOT NULL,
	"points" double precision NOT NULL,
	"method" text,
	"per_occurrence" double precision,
	"auto_source" text,
	"params" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assessment_scores" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"cycle_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"indicator_id" uuid NOT NULL,
	"auto_score" double precision,
	"evidence" jsonb,
	"computed_at" timestamp with time zone,
	"self_note" text,
	"self_evidence" text,
	"self_by" uuid,
	"self_at" timestamp with time zone,
	"manual_score" double precision,
	"occurrences" integer,
	"comment" text,
	"scored_by" uuid,
	"scored_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "assessment_cycle_units" ADD CONSTRAINT "assessment_cycle_units_cycle_id_assessment_cycles_id_fk" FOREIGN KEY ("cycle_id") REFERENCES "public"."assessment_cycles"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_cycle_units" ADD CONSTRAINT "assessment_cycle_units_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_cycles" ADD CONSTRAINT "assessment_cycles_framework_id_assessment_frameworks_id_fk" FOREIGN KEY ("framework_id") REFERENCES "public"."assessment_frameworks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_cycles" ADD CONSTRAINT "assessment_cycles_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_cycles" ADD CONSTRAINT "assessment_cycles_created_by_people_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_indicators" ADD CONSTRAINT "assessment_indicators_framework_id_assessment_frameworks_id_fk" FOREIGN KEY ("framework_id") REFERENCES "public"."assessment_frameworks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_scores" ADD CONSTRAINT "assessment_scores_cycle_id_assessment_cycles_id_fk" FOREIGN KEY ("cycle_id") REFERENCES "public"."assessment_cycles"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_scores" ADD CONSTRAINT "assessment_scores_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_scores" ADD CONSTRAINT "assessment_scores_indicator_id_assessment_indicators_id_fk" FOREIGN KEY ("indicator_id") REFERENCES "public"."assessment_indicators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_scores" ADD CONSTRAINT "assessment_scores_self_by_people_id_fk" FOREIGN KEY ("self_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_scores" ADD CONSTRAINT "assessment_scores_scored_by_people_id_fk" FOREIGN KEY ("scored_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "assessment_cycle_units_unit_idx" ON "assessment_cycle_units" USING btree ("unit_id");--> statement-breakpoint
CREATE INDEX "assessment_cycles_unit_idx" ON "assessment_cycles" USING btree ("unit_id","year");--> statement-breakpoint
CREATE UNIQUE INDEX "assessment_frameworks_name_version_uq" ON "assessment_frameworks" USING btree ("name","version");--> statement-breakpoint
CREATE INDEX "assessment_indicators_framework_idx" ON "assessment_indicators" USING btree ("framework_id","sort_order");--> statement-breakpoint
CREATE UNIQUE INDEX "assessment_scores_cell_uq" ON "assessment_scores" USING btree ("cycle_id","unit_id","indicator_id");