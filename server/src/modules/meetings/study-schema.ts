/** Tables of study notes (学习笔记/心得) and their reads (调阅). Resolutions keep their task id in meetings.resolutions. */
import { foreignKey, index, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { people, units } from '../../core/schema.js';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/** A person's own note; `unit_id` is the unit of the post they wrote it in (decides who may review it). */
export const studyNotes = pgTable(
  'study_notes',
  {
    /** the distribution key (db/distribution.ts): the region of `unitId`, `dl_region(unit_id)` */
    regionId: uuid('region_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    authorId: uuid('author_id')
      .notNull()
      .references(() => people.id),
    title: text('title').notNull(),
    body: text('body').notNull(),
    /**
     * a study meeting the author attended (checked by the service). No foreign key: the meeting is of the
     * note's unit or an upper unit, possibly of another region (a province meeting attended by a town's leader).
     */
    meetingId: uuid('meeting_id'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.regionId, t.id] }),
    // lookups by id alone (routes address a note by its id): on Citus these fan out to every shard
    index('study_notes_id_idx').on(t.id),
    index('study_notes_author_idx').on(t.authorId, t.createdAt),
    index('study_notes_unit_idx').on(t.unitId, t.createdAt),
    index('study_notes_meeting_idx').on(t.meetingId),
  ],
);

/** 调阅: a reviewer read the note (once per reviewer), with an optional comment the author sees. */
export const studyNoteReads = pgTable(
  'study_note_reads',
  {
    /** the region of the note (co-located with it) */
    regionId: uuid('region_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    noteId: uuid('note_id').notNull(),
    readerId: uuid('reader_id')
      .notNull()
      .references(() => people.id),
    comment: text('comment').notNull().default(''),
    readAt: ts('read_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.regionId, t.id] }),
    // follows its note when a unit move re-homes it (db/distribution.ts rehomeSubtree)
    foreignKey({ columns: [t.regionId, t.noteId], foreignColumns: [studyNotes.regionId, studyNotes.id] }).onUpdate('cascade'),
    uniqueIndex('study_note_reads_note_reader_uq').on(t.regionId, t.noteId, t.readerId),
    index('study_note_reads_note_idx').on(t.noteId),
  ],
);
