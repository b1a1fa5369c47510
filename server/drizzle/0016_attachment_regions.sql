-- Attachments and their links carry the distribution key (see 0015): an attachment the region of its unit, a link
-- the region of its attachment, co-located by a foreign key on (region_id, attachment_id).
ALTER TABLE "attachment_links" DROP CONSTRAINT "attachment_links_attachment_id_attachments_id_fk";--> statement-breakpoint
DROP INDEX "attachment_links_uq";--> statement-breakpoint
ALTER TABLE "attachments" ADD COLUMN "region_id" uuid;--> statement-breakpoint
ALTER TABLE "attachment_links" ADD COLUMN "region_id" uuid;--> statement-breakpoint
UPDATE "attachments" SET "region_id" = dl_region("unit_id");--> statement-breakpoint
UPDATE "attachment_links" l SET "region_id" = a."region_id" FROM "attachments" a WHERE a."id" = l."attachment_id";--> statement-breakpoint
ALTER TABLE "attachments" ALTER COLUMN "region_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "attachment_links" ALTER COLUMN "region_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "attachment_links" DROP CONSTRAINT "attachment_links_pkey";--> statement-breakpoint
ALTER TABLE "attachments" DROP CONSTRAINT "attachments_pkey";--> statement-breakpoint
ALTER TABLE "attachment_links" ADD CONSTRAINT "attachment_links_region_id_id_pk" PRIMARY KEY("region_id","id");--> statement-breakpoint
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_region_id_id_pk" PRIMARY KEY("region_id","id");--> statement-breakpoint
ALTER TABLE "attachment_links" ADD CONSTRAINT "attachment_links_region_id_attachment_id_attachments_region_id_id_fk" FOREIGN KEY ("region_id","attachment_id") REFERENCES "public"."attachments"("region_id","id") ON DELETE no action ON UPDATE cascade;--> statement-breakpoint
CREATE INDEX "attachment_links_attachment_idx" ON "attachment_links" USING btree ("attachment_id");--> statement-breakpoint
CREATE INDEX "attachments_id_idx" ON "attachments" USING btree ("id");--> statement-breakpoint
CREATE UNIQUE INDEX "attachment_links_uq" ON "attachment_links" USING btree ("region_id","entity","entity_id","attachment_id");
