/** Tables of the duty module: annual plans, their items, and tasks (one per assignee unit). */
import { sql } from 'drizzle-orm';
import { index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { people, units } from '../../core/schema.js';

const ts = (name: string) => timestamp(name, { withTimezone: true });

export const plans = pgTable(
  'plans',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    year: integer('year').notNull(),
    title: text('title').notNull(),
    createdBy: uuid('created_by').references(() => people.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('plans_unit_year_idx').on(t.unitId, t.year)],
);

export const planItems = pgTable(
  'plan_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    planId: uuid('plan_id')
      .notNull()
      .references(() => plans.id),
    section: text('section').notNull().default(''),
    title: text('title').notNull(),
    sort: integer('sort').notNull().default(0),
  },
  (t) => [index('plan_items_plan_idx').on(t.planId, t.sort)],
);

export const tasks = pgTable(
  'tasks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** the assignee unit, which owns the task */
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    planItemId: uuid('plan_item_id').references(() => planItems.id),
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
    index('tasks_unit_idx').on(t.unitId, t.deadline),
    index('tasks_assigner_unit_idx').on(t.assignerUnitId),
    index('tasks_plan_item_idx').on(t.planItemId),
    index('tasks_source_idx').on(t.sourceType, t.sourceId),
    index('tasks_open_deadline_idx').on(t.deadline).where(sql`${t.state} <> 'done'`),
  ],
);
