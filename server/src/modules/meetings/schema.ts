/** Tables of the meetings module: the meeting-kind dictionary, meetings, attendees and absentees. */
import type { Resolution } from '@dutyledger/contracts';
import { sql } from 'drizzle-orm';
import { boolean, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { people, units } from '../../core/schema.js';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/** Global (not per unit) dictionary, seeded by `ensureMeetingKinds` (kinds.ts); deactivated, never deleted. */
export const meetingKinds = pgTable(
  'meeting_kinds',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    sort: integer('sort').notNull().default(0),
    active: boolean('active').notNull().default(true),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('meeting_kinds_name_uq').on(t.name)],
);

export const meetings = pgTable(
  'meetings',
  {
    /** the distribution key (db/distribution.ts): the region of `unitId`, `dl_region(unit_id)` */
    regionId: uuid('region_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    kindId: uuid('kind_id')
      .notNull()
      .references(() => meetingKinds.id),
    /** when the meeting was held; never in the future */
    heldAt: ts('held_at').notNull(),
    topic: text('topic').notNull(),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    hostPersonId: uuid('host_person_id').references(() => people.id),
    minutes: text('minutes').notNull().default(''),
    resolutions: jsonb('resolutions').$type<Resolution[]>().notNull().default([]),
    createdBy: uuid('created_by').references(() => people.id),
    /** when the record was entered (补录 is computed from it and held_at, never stored) */
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.regionId, t.id] }),
    // lookups by id alone (routes address a meeting by its id): on Citus these fan out to every shard
    index('meetings_id_idx').on(t.id),
    index('meetings_unit_held_idx').on(t.unitId, t.heldAt),
    index('meetings_kind_held_idx').on(t.kindId, t.heldAt),
    index('meetings_tags_idx').using('gin', t.tags),
  ],
);

export const meetingAttendees = pgTable(
  'meeting_attendees',
  {
    /** the region of the meeting (co-located with it) */
    regionId: uuid('region_id').notNull(),
    meetingId: uuid('meeting_id').notNull(),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
  },
  (t) => [
    primaryKey({ columns: [t.regionId, t.meetingId, t.personId] }),
    // follows its meeting when a unit move re-homes it (db/distribution.ts rehomeSubtree)
    foreignKey({ columns: [t.regionId, t.meetingId], foreignColumns: [meetings.regionId, meetings.id] }).onUpdate('cascade'),
    index('meeting_attendees_meeting_idx').on(t.meetingId),
    index('meeting_attendees_person_idx').on(t.personId),
  ],
);

export const meetingAbsentees = pgTable(
  'meeting_absentees',
  {
    /** the region of the meeting (co-located with it) */
    regionId: uuid('region_id').notNull(),
    meetingId: uuid('meeting_id').notNull(),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
    reason: text('reason').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.regionId, t.meetingId, t.personId] }),
    // follows its meeting when a unit move re-homes it (db/distribution.ts rehomeSubtree)
    foreignKey({ columns: [t.regionId, t.meetingId], foreignColumns: [meetings.regionId, meetings.id] }).onUpdate('cascade'),
    index('meeting_absentees_meeting_idx').on(t.meetingId),
    index('meeting_absentees_person_idx').on(t.personId),
  ],
);
