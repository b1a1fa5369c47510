CREATE TABLE "duty_assignments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"unit_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"person_id" uuid,
	"body_name" text DEFAULT '' NOT NULL,
	"areas" text[] DEFAULT '{}'::text[] NOT NULL,
	"charge_unit_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"contact_points" text[] DEFAULT '{}'::text[] NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"from_date" date NOT NULL,
	"to_date" date,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "duty_letters" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"unit_id" uuid NOT NULL,
	"upper_unit_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"title" text NOT NULL,
	"upper_signer_person_id" uuid NOT NULL,
	"signer_person_id" uuid NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"signed_date" date,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "duty_list_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"list_kind" text NOT NULL,
	"category" text DEFAULT '' NOT NULL,
	"content" text NOT NULL,
	"sort" integer DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "leading_group_members" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"unit_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"role" text NOT NULL,
	"from_date" date NOT NULL,
	"to_date" date,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "leading_groups" (
	"unit_id" uuid PRIMARY KEY NOT NULL,
	"office_unit_id" uuid,
	"office_text" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "duty_assignments" ADD CONSTRAINT "duty_assignments_unit_id_leading_groups_unit_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."leading_groups"("unit_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duty_assignments" ADD CONSTRAINT "duty_assignments_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duty_assignments" ADD CONSTRAINT "duty_assignments_created_by_people_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duty_letters" ADD CONSTRAINT "duty_letters_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duty_letters" ADD CONSTRAINT "duty_letters_upper_unit_id_units_id_fk" FOREIGN KEY ("upper_unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duty_letters" ADD CONSTRAINT "duty_letters_upper_signer_person_id_people_id_fk" FOREIGN KEY ("upper_signer_person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duty_letters" ADD CONSTRAINT "duty_letters_signer_person_id_people_id_fk" FOREIGN KEY ("signer_person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duty_letters" ADD CONSTRAINT "duty_letters_created_by_people_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leading_group_members" ADD CONSTRAINT "leading_group_members_unit_id_leading_groups_unit_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."leading_groups"("unit_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leading_group_members" ADD CONSTRAINT "leading_group_members_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leading_group_members" ADD CONSTRAINT "leading_group_members_created_by_people_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leading_groups" ADD CONSTRAINT "leading_groups_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leading_groups" ADD CONSTRAINT "leading_groups_office_unit_id_units_id_fk" FOREIGN KEY ("office_unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "duty_assignments_unit_idx" ON "duty_assignments" USING btree ("unit_id","kind","from_date");--> statement-breakpoint
CREATE INDEX "duty_assignments_person_idx" ON "duty_assignments" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "duty_assignments_charge_idx" ON "duty_assignments" USING gin ("charge_unit_ids");--> statement-breakpoint
CREATE UNIQUE INDEX "duty_letters_unit_year_uq" ON "duty_letters" USING btree ("unit_id","year");--> statement-breakpoint
CREATE INDEX "duty_letters_upper_year_idx" ON "duty_letters" USING btree ("upper_unit_id","year");--> statement-breakpoint
CREATE UNIQUE INDEX "duty_list_items_kind_content_uq" ON "duty_list_items" USING btree ("list_kind","content");--> statement-breakpoint
CREATE INDEX "leading_group_members_unit_idx" ON "leading_group_members" USING btree ("unit_id","from_date");--> statement-breakpoint
CREATE INDEX "leading_group_members_person_idx" ON "leading_group_members" USING btree ("person_id");--> statement-breakpoint
CREATE UNIQUE INDEX "leading_group_members_open_uq" ON "leading_group_members" USING btree ("unit_id","person_id") WHERE "leading_group_members"."to_date" IS NULL;