/** Tables of study notes (学习笔记/心得) and their reads (调阅). Resolutions keep their task id in meetings.resolutions. */
import { index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { people, units } from '../../core/schema.js';
import { meetings } from './schema.js';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/** A person's own note; `unit_id` is the unit of the post they wrote it in (decides who may review it). */
export const studyNotes = pgTable(
  'study_notes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    authorId: uuid('author_id')
      .notNull()
      .references(() => people.id),
    title: text('title').notNull(),
    body: text('body').notNull(),
    /** a study meeting the author attended */
    meetingId: uuid('meeting_id').references(() => meetings.id),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('study_notes_author_idx').on(t.authorId, t.createdAt), index('study_notes_unit_idx').on(t.unitId, t.createdAt)],
);

/** 调阅: a reviewer read the note (once per reviewer), with an optional comment the author sees. */
export const studyNoteReads = pgTable(
  'study_note_reads',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    noteId: uuid('note_id')
      .notNull()
      .references(() => studyNotes.id),
    readerId: uuid('reader_id')
      .notNull()
      .references(() => people.id),
    comment: text('comment').notNull().default(''),
    readAt: ts('read_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('study_note_reads_note_reader_uq').on(t.noteId, t.readerId)],
);
