/** Tables of the accountability module: one record per measure taken (问责记录). */
import { date, index, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { people, units } from '../../core/schema.js';

const ts = (name: string) => timestamp(name, { withTimezone: true });

export const accountabilityRecords = pgTable(
  'accountability_records',
  {
    /** the distribution key (db/distribution.ts): the region of `subjectUnitId`, `dl_region(subject_unit_id)` */
    regionId: uuid('region_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    /** person | unit */
    subjectType: text('subject_type').notNull(),
    subjectPersonId: uuid('subject_person_id').references(() => people.id),
    /** the subject unit, or the unit where the subject person holds the post concerned */
    subjectUnitId: uuid('subject_unit_id')
      .notNull()
      .references(() => units.id),
    /** task | rectifyItem | finding | report | other: what the record answers, with the linked record's id */
    causeType: text('cause_type').notNull(),
    causeId: text('cause_id'),
    causeLabel: text('cause_label').notNull(),
    /** reminder | criticism | writtenReview | circulated | organizational | disciplinary */
    measure: text('measure').notNull(),
    decidingUnitId: uuid('deciding_unit_id')
      .notNull()
      .references(() => units.id),
    decidedByPersonId: uuid('decided_by_person_id').references(() => people.id),
    decidedOn: date('decided_on').notNull(),
    description: text('description').notNull().default(''),
    /** the subject's written response (说明/申诉) */
    response: text('response'),
    respondedAt: timestamp('responded_at', { withTimezone: true }),
    respondedBy: uuid('responded_by').references(() => people.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.regionId, t.id] }),
    // lookups by id alone (routes address a record by its id): on Citus these fan out to every shard
    index('accountability_records_id_idx').on(t.id),
    index('accountability_deciding_idx').on(t.decidingUnitId, t.decidedOn),
    index('accountability_subject_unit_idx').on(t.subjectUnitId, t.decidedOn),
    index('accountability_subject_person_idx').on(t.subjectPersonId),
  ],
);
