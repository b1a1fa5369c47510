CREATE TABLE "ledger_exports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"unit_id" uuid NOT NULL,
	"include_subtree" boolean DEFAULT false NOT NULL,
	"period_label" text NOT NULL,
	"period_from" timestamp with time zone NOT NULL,
	"period_to" timestamp with time zone NOT NULL,
	"formats" text[] NOT NULL,
	"state" text DEFAULT 'queued' NOT NULL,
	"progress" integer DEFAULT 0 NOT NULL,
	"files" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"error" text,
	"requested_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"expires_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "ledger_exports" ADD CONSTRAINT "ledger_exports_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_exports" ADD CONSTRAINT "ledger_exports_requested_by_people_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ledger_exports_requester_idx" ON "ledger_exports" USING btree ("requested_by","created_at");--> statement-breakpoint
CREATE INDEX "ledger_exports_queued_idx" ON "ledger_exports" USING btree ("created_at") WHERE "ledger_exports"."state" = 'queued';--> statement-breakpoint
CREATE INDEX "ledger_exports_expiry_idx" ON "ledger_exports" USING btree ("expires_at");