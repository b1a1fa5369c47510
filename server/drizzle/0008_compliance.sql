CREATE TABLE "compliance_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text,
	"name" text NOT NULL,
	"basis" text DEFAULT '' NOT NULL,
	"unit_types" text[] NOT NULL,
	"source" text NOT NULL,
	"kind_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"min_count" integer NOT NULL,
	"period" text NOT NULL,
	"due_day" integer,
	"active" boolean DEFAULT true NOT NULL,
	"sort" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "study_plans" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"unit_id" uuid NOT NULL,
	"month" text NOT NULL,
	"month_start" timestamp with time zone NOT NULL,
	"title" text NOT NULL,
	"content" text DEFAULT '' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "study_plans" ADD CONSTRAINT "study_plans_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "study_plans" ADD CONSTRAINT "study_plans_created_by_people_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "compliance_rules_code_uq" ON "compliance_rules" USING btree ("code");--> statement-breakpoint
CREATE UNIQUE INDEX "compliance_rules_name_uq" ON "compliance_rules" USING btree ("name");--> statement-breakpoint
CREATE UNIQUE INDEX "study_plans_unit_month_uq" ON "study_plans" USING btree ("unit_id","month");--> statement-breakpoint
CREATE INDEX "study_plans_month_start_idx" ON "study_plans" USING btree ("month_start");