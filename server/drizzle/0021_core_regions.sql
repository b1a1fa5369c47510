-- The core tables carry the distribution key (see 0015): notifications, unit webhooks and ledger exports the
-- region of their unit (a notification without a unit: the NO_REGION value of db/distribution.ts); audit
-- entries the region of their chain (one chain per region already; the '' chain of the top unit and of
-- entries without a unit: NO_REGION). Audit entries keep the region they were written in when a unit moves
-- (append-only), so the backfill lifts the append-only trigger for its one UPDATE. sessions, login_log and
-- job_runs stay without a key: on Citus they are coordinator-local tables (distribution.ts 'local').
ALTER TABLE "notifications" DROP CONSTRAINT "notifications_dedupe_key_unique";--> statement-breakpoint
ALTER TABLE "audit_entries" ADD COLUMN "region_id" uuid;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "region_id" uuid;--> statement-breakpoint
ALTER TABLE "unit_webhooks" ADD COLUMN "region_id" uuid;--> statement-breakpoint
ALTER TABLE "ledger_exports" ADD COLUMN "region_id" uuid;--> statement-breakpoint
ALTER TABLE "audit_entries" DISABLE TRIGGER "audit_entries_no_update_delete";--> statement-breakpoint
UPDATE "audit_entries" SET "region_id" = COALESCE(NULLIF("chain", '')::uuid, '00000000-0000-0000-0000-000000000000');--> statement-breakpoint
ALTER TABLE "audit_entries" ENABLE TRIGGER "audit_entries_no_update_delete";--> statement-breakpoint
UPDATE "notifications" SET "region_id" = COALESCE(dl_region("unit_id"), '00000000-0000-0000-0000-000000000000');--> statement-breakpoint
UPDATE "unit_webhooks" SET "region_id" = dl_region("unit_id");--> statement-breakpoint
UPDATE "ledger_exports" SET "region_id" = dl_region("unit_id");--> statement-breakpoint
ALTER TABLE "audit_entries" ALTER COLUMN "region_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "notifications" ALTER COLUMN "region_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "unit_webhooks" ALTER COLUMN "region_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "ledger_exports" ALTER COLUMN "region_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_entries" DROP CONSTRAINT "audit_entries_pkey";--> statement-breakpoint
ALTER TABLE "notifications" DROP CONSTRAINT "notifications_pkey";--> statement-breakpoint
ALTER TABLE "unit_webhooks" DROP CONSTRAINT "unit_webhooks_pkey";--> statement-breakpoint
ALTER TABLE "ledger_exports" DROP CONSTRAINT "ledger_exports_pkey";--> statement-breakpoint
ALTER TABLE "audit_entries" ADD CONSTRAINT "audit_entries_region_id_seq_pk" PRIMARY KEY("region_id","seq");--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_region_id_id_pk" PRIMARY KEY("region_id","id");--> statement-breakpoint
ALTER TABLE "unit_webhooks" ADD CONSTRAINT "unit_webhooks_region_id_id_pk" PRIMARY KEY("region_id","id");--> statement-breakpoint
ALTER TABLE "ledger_exports" ADD CONSTRAINT "ledger_exports_region_id_id_pk" PRIMARY KEY("region_id","id");--> statement-breakpoint
CREATE INDEX "notifications_id_idx" ON "notifications" USING btree ("id");--> statement-breakpoint
CREATE UNIQUE INDEX "notifications_dedupe_key_uq" ON "notifications" USING btree ("region_id","dedupe_key");--> statement-breakpoint
CREATE INDEX "unit_webhooks_id_idx" ON "unit_webhooks" USING btree ("id");--> statement-breakpoint
CREATE INDEX "unit_webhooks_unit_idx" ON "unit_webhooks" USING btree ("unit_id");--> statement-breakpoint
CREATE INDEX "ledger_exports_id_idx" ON "ledger_exports" USING btree ("id");
