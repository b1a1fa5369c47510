ALTER TABLE "audit_entries" ADD COLUMN "chain" text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE INDEX "audit_chain_seq_idx" ON "audit_entries" USING btree ("chain","seq");