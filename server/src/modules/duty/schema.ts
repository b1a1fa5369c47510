/** Tables of the duty module: annual plans, their items, and tasks (one per assignee unit). */
import { sql } from 'drizzle-orm';
import { foreignKey, index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { people, units } from '../../core/schema.js';

const ts = (name: string) => timestamp(name, { withTimezone: true });

export const plans = pgTable(
  'plans',
  {
    /** the distribution key (db/distribution.ts): the region of `unitId`, `dl_region(unit_id)` */
    regionId: uuid('region_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    year: integer('year').notNull(),
    title: text('title').notNull(),
    createdBy: uuid('created_by').references(() => people.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.regionId, t.id] }),
    // lookups by id alone (routes address a plan by its id): on Citus these fan out to every shard
    index('plans_id_idx').on(t.id),
    index('plans_unit_year_idx').on(t.unitId, t.year),
  ],
);

export const planItems = pgTable(
  'plan_items',
  {
    /** the region of the plan (co-located with it) */
    regionId: uuid('region_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    planId: uuid('plan_id').notNull(),
    section: text('section').notNull().default(''),
    title: text('title').notNull(),
    sort: integer('sort').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.regionId, t.id] }),
    // follows its plan when a unit move re-homes it (db/distribution.ts rehomeSubtree)
    foreignKey({ columns: [t.regionId, t.planId], foreignColumns: [plans.regionId, plans.id] }).onUpdate('cascade'),
    index('plan_items_id_idx').on(t.id),
    index('plan_items_plan_idx').on(t.planId, t.sort),
  ],
);

export const tasks = pgTable(
  'tasks',
  {
    /** the distribution key (db/distribution.ts): the region of `unitId` (the assignee unit), `dl_region(unit_id)` */
    regionId: uuid('region_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    /** the assignee unit, which owns the task */
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    /**
     * the plan item the task was issued from (checked by the service). No foreign key: the item is of the
     * assigner's plan, an upper unit possibly of another region (a county plan's item assigned to its towns).
     */
    planItemId: uuid('plan_item_id'),
    assignerUnitId: uuid('assigner_unit_id')
      .notNull()
      .references(() => units.id),
    assignerPersonId: uuid('assigner_person_id').references(() => people.id),
    assigneePersonId: uuid('assignee_person_id').references(() => people.id),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    deadline: ts('deadline').notNull(),
    requiredEvidence: text('required_evidence').notNull().default(''),
    /** todo | inProgress | submitted | done | returned (see tasks.ts `transitions`); overdue is computed */
    state: text('state').notNull().default('todo'),
    progress: text('progress'),
    returnReason: text('return_reason'),
    version: integer('version').notNull().default(1),
    /** where the task came from when another module made it (`createLinkedTask`): e.g. 'meeting.resolution' */
    sourceType: text('source_type'),
    /** the source record's id in its module (the module keeps the task id on its side: linked both ways) */
    sourceId: text('source_id'),
    /** a human label of the source, shown on the task (e.g. 会议决议：…) */
    sourceLabel: text('source_label'),
    createdAt: ts('created_at').notNull().defaultNow(),
    submittedAt: ts('submitted_at'),
    doneAt: ts('done_at'),
  },
  (t) => [
    primaryKey({ columns: [t.regionId, t.id] }),
    // lookups by id alone (routes address a task by its id): on Citus these fan out to every shard
    index('tasks_id_idx').on(t.id),
    index('tasks_unit_idx').on(t.unitId, t.deadline),
    index('tasks_assigner_unit_idx').on(t.assignerUnitId),
    // tasks named to a person (the dashboard's 待办 of the caller): without it that arm of the OR scans every open task
    index('tasks_assignee_person_idx').on(t.assigneePersonId).where(sql`${t.assigneePersonId} IS NOT NULL`),
    index('tasks_plan_item_idx').on(t.planItemId),
    index('tasks_source_idx').on(t.sourceType, t.sourceId),
    index('tasks_open_deadline_idx').on(t.deadline).where(sql`${t.state} <> 'done'`),
  ],
);
