-- Meetings, study and channels carry the distribution key (see 0015). Roots take the region of their own unit:
-- meetings, study_plans, study_notes, channels, event_filings, self_check_rounds (a round is one unit's, unique
-- per unit and quarter). Children take the region of their parent and are co-located with it by a foreign key on
-- (region_id, parent_id) with ON UPDATE CASCADE (a re-homed parent takes them along): meeting_attendees and
-- meeting_absentees (meeting), study_note_reads (note), channel_reviewers and publications (channel; a
-- publication's unit is always its channel's), publication_steps (publication), self_check_results (round).
-- Dropped foreign keys (the plain uuid column and an index on it stay; the services check the row exists):
-- study_notes.meeting_id, a meeting the author attended, held by the note's unit or an upper unit, possibly of
-- another region; self_check_results.channel_id, a channel of the round's unit (same region), but a row that
-- follows its round by one cascading foreign key cannot also be held by a second one to its channel (whichever
-- parent is re-homed first, the other key would be missing).
ALTER TABLE "meeting_attendees" DROP CONSTRAINT "meeting_attendees_meeting_id_meetings_id_fk";--> statement-breakpoint
ALTER TABLE "meeting_absentees" DROP CONSTRAINT "meeting_absentees_meeting_id_meetings_id_fk";--> statement-breakpoint
ALTER TABLE "study_notes" DROP CONSTRAINT "study_notes_meeting_id_meetings_id_fk";--> statement-breakpoint
ALTER TABLE "study_note_reads" DROP CONSTRAINT "study_note_reads_note_id_study_notes_id_fk";--> statement-breakpoint
ALTER TABLE "channel_reviewers" DROP CONSTRAINT "channel_reviewers_channel_id_channels_id_fk";--> statement-breakpoint
ALTER TABLE "publications" DROP CONSTRAINT "publications_channel_id_channels_id_fk";--> statement-breakpoint
ALTER TABLE "publication_steps" DROP CONSTRAINT "publication_steps_publication_id_publications_id_fk";--> statement-breakpoint
ALTER TABLE "self_check_results" DROP CONSTRAINT "self_check_results_round_id_self_check_rounds_id_fk";--> statement-breakpoint
ALTER TABLE "self_check_results" DROP CONSTRAINT "self_check_results_channel_id_channels_id_fk";--> statement-breakpoint
DROP INDEX "study_plans_unit_month_uq";--> statement-breakpoint
DROP INDEX "study_note_reads_note_reader_uq";--> statement-breakpoint
DROP INDEX "self_check_rounds_unit_period_uq";--> statement-breakpoint
DROP INDEX "self_check_results_round_channel_uq";--> statement-breakpoint
ALTER TABLE "meetings" ADD COLUMN "region_id" uuid;--> statement-breakpoint
ALTER TABLE "meeting_attendees" ADD COLUMN "region_id" uuid;--> statement-breakpoint
ALTER TABLE "meeting_absentees" ADD COLUMN "region_id" uuid;--> statement-breakpoint
ALTER TABLE "study_plans" ADD COLUMN "region_id" uuid;--> statement-breakpoint
ALTER TABLE "study_notes" ADD COLUMN "region_id" uuid;--> statement-breakpoint
ALTER TABLE "study_note_reads" ADD COLUMN "region_id" uuid;--> statement-breakpoint
ALTER TABLE "channels" ADD COLUMN "region_id" uuid;--> statement-breakpoint
ALTER TABLE "channel_reviewers" ADD COLUMN "region_id" uuid;--> statement-breakpoint
ALTER TABLE "publications" ADD COLUMN "region_id" uuid;--> statement-breakpoint
ALTER TABLE "publication_steps" ADD COLUMN "region_id" uuid;--> statement-breakpoint
ALTER TABLE "event_filings" ADD COLUMN "region_id" uuid;--> statement-breakpoint
ALTER TABLE "self_check_rounds" ADD COLUMN "region_id" uuid;--> statement-breakpoint
ALTER TABLE "self_check_results" ADD COLUMN "region_id" uuid;--> statement-breakpoint
UPDATE "meetings" SET "region_id" = dl_region("unit_id");--> statement-breakpoint
UPDATE "study_plans" SET "region_id" = dl_region("unit_id");--> statement-breakpoint
UPDATE "study_notes" SET "region_id" = dl_region("unit_id");--> statement-breakpoint
UPDATE "channels" SET "region_id" = dl_region("unit_id");--> statement-breakpoint
UPDATE "event_filings" SET "region_id" = dl_region("unit_id");--> statement-breakpoint
UPDATE "self_check_rounds" SET "region_id" = dl_region("unit_id");--> statement-breakpoint
UPDATE "meeting_attendees" c SET "region_id" = p."region_id" FROM "meetings" p WHERE p."id" = c."meeting_id";--> statement-breakpoint
UPDATE "meeting_absentees" c SET "region_id" = p."region_id" FROM "meetings" p WHERE p."id" = c."meeting_id";--> statement-breakpoint
UPDATE "study_note_reads" c SET "region_id" = p."region_id" FROM "study_notes" p WHERE p."id" = c."note_id";--> statement-breakpoint
UPDATE "channel_reviewers" c SET "region_id" = p."region_id" FROM "channels" p WHERE p."id" = c."channel_id";--> statement-breakpoint
UPDATE "publications" c SET "region_id" = p."region_id" FROM "channels" p WHERE p."id" = c."channel_id";--> statement-breakpoint
UPDATE "self_check_results" c SET "region_id" = p."region_id" FROM "self_check_rounds" p WHERE p."id" = c."round_id";--> statement-breakpoint
UPDATE "publication_steps" c SET "region_id" = p."region_id" FROM "publications" p WHERE p."id" = c."publication_id";--> statement-breakpoint
ALTER TABLE "meetings" ALTER COLUMN "region_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "meeting_attendees" ALTER COLUMN "region_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "meeting_absentees" ALTER COLUMN "region_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "study_plans" ALTER COLUMN "region_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "study_notes" ALTER COLUMN "region_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "study_note_reads" ALTER COLUMN "region_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "channels" ALTER COLUMN "region_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "channel_reviewers" ALTER COLUMN "region_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "publications" ALTER COLUMN "region_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "publication_steps" ALTER COLUMN "region_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "event_filings" ALTER COLUMN "region_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "self_check_rounds" ALTER COLUMN "region_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "self_check_results" ALTER COLUMN "region_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "meetings" DROP CONSTRAINT "meetings_pkey";--> statement-breakpoint
ALTER TABLE "meeting_attendees" DROP CONSTRAINT "meeting_attendees_meeting_id_person_id_pk";--> statement-breakpoint
ALTER TABLE "meeting_absentees" DROP CONSTRAINT "meeting_absentees_meeting_id_person_id_pk";--> statement-breakpoint
ALTER TABLE "study_plans" DROP CONSTRAINT "study_plans_pkey";--> statement-breakpoint
ALTER TABLE "study_notes" DROP CONSTRAINT "study_notes_pkey";--> statement-breakpoint
ALTER TABLE "study_note_reads" DROP CONSTRAINT "study_note_reads_pkey";--> statement-breakpoint
ALTER TABLE "channels" DROP CONSTRAINT "channels_pkey";--> statement-breakpoint
ALTER TABLE "channel_reviewers" DROP CONSTRAINT "channel_reviewers_channel_id_level_person_id_pk";--> statement-breakpoint
ALTER TABLE "publications" DROP CONSTRAINT "publications_pkey";--> statement-breakpoint
ALTER TABLE "publication_steps" DROP CONSTRAINT "publication_steps_pkey";--> statement-breakpoint
ALTER TABLE "event_filings" DROP CONSTRAINT "event_filings_pkey";--> statement-breakpoint
ALTER TABLE "self_check_rounds" DROP CONSTRAINT "self_check_rounds_pkey";--> statement-breakpoint
ALTER TABLE "self_check_results" DROP CONSTRAINT "self_check_results_pkey";--> statement-breakpoint
ALTER TABLE "meetings" ADD CONSTRAINT "meetings_region_id_id_pk" PRIMARY KEY("region_id","id");--> statement-breakpoint
ALTER TABLE "meeting_attendees" ADD CONSTRAINT "meeting_attendees_region_id_meeting_id_person_id_pk" PRIMARY KEY("region_id","meeting_id","person_id");--> statement-breakpoint
ALTER TABLE "meeting_absentees" ADD CONSTRAINT "meeting_absentees_region_id_meeting_id_person_id_pk" PRIMARY KEY("region_id","meeting_id","person_id");--> statement-breakpoint
ALTER TABLE "study_plans" ADD CONSTRAINT "study_plans_region_id_id_pk" PRIMARY KEY("region_id","id");--> statement-breakpoint
ALTER TABLE "study_notes" ADD CONSTRAINT "study_notes_region_id_id_pk" PRIMARY KEY("region_id","id");--> statement-breakpoint
ALTER TABLE "study_note_reads" ADD CONSTRAINT "study_note_reads_region_id_id_pk" PRIMARY KEY("region_id","id");--> statement-breakpoint
ALTER TABLE "channels" ADD CONSTRAINT "channels_region_id_id_pk" PRIMARY KEY("region_id","id");--> statement-breakpoint
ALTER TABLE "channel_reviewers" ADD CONSTRAINT "channel_reviewers_region_id_channel_id_level_person_id_pk" PRIMARY KEY("region_id","channel_id","level","person_id");--> statement-breakpoint
ALTER TABLE "publications" ADD CONSTRAINT "publications_region_id_id_pk" PRIMARY KEY("region_id","id");--> statement-breakpoint
ALTER TABLE "publication_steps" ADD CONSTRAINT "publication_steps_region_id_id_pk" PRIMARY KEY("region_id","id");--> statement-breakpoint
ALTER TABLE "event_filings" ADD CONSTRAINT "event_filings_region_id_id_pk" PRIMARY KEY("region_id","id");--> statement-breakpoint
ALTER TABLE "self_check_rounds" ADD CONSTRAINT "self_check_rounds_region_id_id_pk" PRIMARY KEY("region_id","id");--> statement-breakpoint
ALTER TABLE "self_check_results" ADD CONSTRAINT "self_check_results_region_id_id_pk" PRIMARY KEY("region_id","id");--> statement-breakpoint
ALTER TABLE "meeting_attendees" ADD CONSTRAINT "meeting_attendees_region_id_meeting_id_meetings_region_id_id_fk" FOREIGN KEY ("region_id","meeting_id") REFERENCES "public"."meetings"("region_id","id") ON DELETE no action ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "meeting_absentees" ADD CONSTRAINT "meeting_absentees_region_id_meeting_id_meetings_region_id_id_fk" FOREIGN KEY ("region_id","meeting_id") REFERENCES "public"."meetings"("region_id","id") ON DELETE no action ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "study_note_reads" ADD CONSTRAINT "study_note_reads_region_id_note_id_study_notes_region_id_id_fk" FOREIGN KEY ("region_id","note_id") REFERENCES "public"."study_notes"("region_id","id") ON DELETE no action ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "channel_reviewers" ADD CONSTRAINT "channel_reviewers_region_id_channel_id_channels_region_id_id_fk" FOREIGN KEY ("region_id","channel_id") REFERENCES "public"."channels"("region_id","id") ON DELETE no action ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "publications" ADD CONSTRAINT "publications_region_id_channel_id_channels_region_id_id_fk" FOREIGN KEY ("region_id","channel_id") REFERENCES "public"."channels"("region_id","id") ON DELETE no action ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "publication_steps" ADD CONSTRAINT "publication_steps_region_id_publication_id_fk" FOREIGN KEY ("region_id","publication_id") REFERENCES "public"."publications"("region_id","id") ON DELETE no action ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "self_check_results" ADD CONSTRAINT "self_check_results_region_id_round_id_fk" FOREIGN KEY ("region_id","round_id") REFERENCES "public"."self_check_rounds"("region_id","id") ON DELETE no action ON UPDATE cascade;--> statement-breakpoint
CREATE INDEX "meetings_id_idx" ON "meetings" USING btree ("id");--> statement-breakpoint
CREATE INDEX "meeting_attendees_meeting_idx" ON "meeting_attendees" USING btree ("meeting_id");--> statement-breakpoint
CREATE INDEX "meeting_absentees_meeting_idx" ON "meeting_absentees" USING btree ("meeting_id");--> statement-breakpoint
CREATE INDEX "study_plans_unit_idx" ON "study_plans" USING btree ("unit_id","month");--> statement-breakpoint
CREATE INDEX "study_plans_id_idx" ON "study_plans" USING btree ("id");--> statement-breakpoint
CREATE INDEX "study_notes_id_idx" ON "study_notes" USING btree ("id");--> statement-breakpoint
CREATE INDEX "study_notes_meeting_idx" ON "study_notes" USING btree ("meeting_id");--> statement-breakpoint
CREATE INDEX "study_note_reads_note_idx" ON "study_note_reads" USING btree ("note_id");--> statement-breakpoint
CREATE INDEX "channels_id_idx" ON "channels" USING btree ("id");--> statement-breakpoint
CREATE INDEX "channel_reviewers_channel_idx" ON "channel_reviewers" USING btree ("channel_id");--> statement-breakpoint
CREATE INDEX "publications_id_idx" ON "publications" USING btree ("id");--> statement-breakpoint
CREATE INDEX "event_filings_id_idx" ON "event_filings" USING btree ("id");--> statement-breakpoint
CREATE INDEX "self_check_rounds_id_idx" ON "self_check_rounds" USING btree ("id");--> statement-breakpoint
CREATE INDEX "self_check_rounds_unit_idx" ON "self_check_rounds" USING btree ("unit_id","period_key");--> statement-breakpoint
CREATE INDEX "self_check_results_id_idx" ON "self_check_results" USING btree ("id");--> statement-breakpoint
CREATE INDEX "self_check_results_round_idx" ON "self_check_results" USING btree ("round_id");--> statement-breakpoint
CREATE INDEX "self_check_results_channel_idx" ON "self_check_results" USING btree ("channel_id");--> statement-breakpoint
CREATE UNIQUE INDEX "study_plans_unit_month_uq" ON "study_plans" USING btree ("region_id","unit_id","month");--> statement-breakpoint
CREATE UNIQUE INDEX "study_note_reads_note_reader_uq" ON "study_note_reads" USING btree ("region_id","note_id","reader_id");--> statement-breakpoint
CREATE UNIQUE INDEX "self_check_rounds_unit_period_uq" ON "self_check_rounds" USING btree ("region_id","unit_id","period_key");--> statement-breakpoint
CREATE UNIQUE INDEX "self_check_results_round_channel_uq" ON "self_check_results" USING btree ("region_id","round_id","channel_id");
