/** Tables of the outputs module: one row per work output (工作成果) of a unit, whatever its kind. */
import { date, doublePrecision, index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { people, units } from '../../core/schema.js';

const ts = (name: string) => timestamp(name, { withTimezone: true });

export const workOutputs = pgTable(
  'work_outputs',
  {
    /** the distribution key (db/distribution.ts): the region of `unitId`, `dl_region(unit_id)` */
    regionId: uuid('region_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    /** article | award | civilization | volunteer | modelFigure | training */
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    occurredOn: date('occurred_on').notNull(),
    /** central | province | city | county (articles, awards, titles) */
    level: text('level'),
    outlet: text('outlet').notNull().default(''),
    link: text('link').notNull().default(''),
    participants: integer('participants'),
    hours: doublePrecision('hours'),
    description: text('description').notNull().default(''),
    createdBy: uuid('created_by').references(() => people.id),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.regionId, t.id] }),
    // lookups by id alone (routes address an output by its id): on Citus these fan out to every shard
    index('work_outputs_id_idx').on(t.id),
    index('work_outputs_unit_idx').on(t.unitId, t.kind, t.occurredOn),
  ],
);
