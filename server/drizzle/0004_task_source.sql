ALTER TABLE "tasks" ADD COLUMN "source_type" text;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "source_id" text;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "source_label" text;--> statement-breakpoint
CREATE INDEX "tasks_source_idx" ON "tasks" USING btree ("source_type","source_id");