/** Tables of the rectify module: inspections, findings, rectification items and their re-checks. */
import { sql } from 'drizzle-orm';
import { date, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { people, units } from '../../core/schema.js';

const ts = (name: string) => timestamp(name, { withTimezone: true });

export const inspections = pgTable(
  'inspections',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** tour (巡视) | patrol (巡察) | supervision (督查) | special (专项检查) */
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    /** the unit that runs the inspection (its inspectors sign items off) */
    inspectingUnitId: uuid('inspecting_unit_id')
      .notNull()
      .references(() => units.id),
    inspectingBody: text('inspecting_body').notNull().default(''),
    /** within the inspecting unit's subtree */
    inspectedUnitId: uuid('inspected_unit_id')
      .notNull()
      .references(() => units.id),
    startedOn: date('started_on').notNull(),
    endedOn: date('ended_on'),
    feedbackOn: date('feedback_on'),
    description: text('description').notNull().default(''),
    createdBy: uuid('created_by').references(() => people.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('inspections_inspecting_idx').on(t.inspectingUnitId), index('inspections_inspected_idx').on(t.inspectedUnitId)],
);

export const rectifyFindings = pgTable(
  'rectify_findings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    inspectionId: uuid('inspection_id')
      .notNull()
      .references(() => inspections.id),
    seq: integer('seq').notNull(),
    category: text('category').notNull().default(''),
    description: text('description').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('rectify_findings_inspection_idx').on(t.inspectionId, t.seq)],
);

export const rectifyItems = pgTable(
  'rectify_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    findingId: uuid('finding_id')
      .notNull()
      .references(() => rectifyFindings.id),
    /** copied from the finding's inspection (never change): scope checks read them without joins */
    inspectionId: uuid('inspection_id')
      .notNull()
      .references(() => inspections.id),
    inspectingUnitId: uuid('inspecting_unit_id')
      .notNull()
      .references(() => units.id),
    /** the owner unit (责任单位): the inspected unit or a unit of its subtree */
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    ownerPersonId: uuid('owner_person_id').references(() => people.id),
    measure: text('measure').notNull(),
    deadline: ts('deadline').notNull(),
    requiredEvidence: text('required_evidence').notNull().default(''),
    /** open (整改中) | submitted (已提交) | signedOff (已销号); see items.ts `transitions`. Overdue is computed. */
    state: text('state').notNull().default('open'),
    progress: text('progress'),
    returnReason: text('return_reason'),
    reopenReason: text('reopen_reason'),
    submittedAt: ts('submitted_at'),
    signedOffAt: ts('signed_off_at'),
    signedOffBy: uuid('signed_off_by').references(() => people.id),
    /** 防反弹: when the re-check of a signed-off item is due (null while not signed off) */
    recheckDueAt: ts('recheck_due_at'),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('rectify_items_unit_idx').on(t.unitId, t.deadline),
    index('rectify_items_inspection_idx').on(t.inspectionId),
    index('rectify_items_finding_idx').on(t.findingId),
    index('rectify_items_recheck_idx').on(t.recheckDueAt).where(sql`${t.state} = 'signedOff'`),
  ],
);

export const rectifyRechecks = pgTable(
  'rectify_rechecks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    itemId: uuid('item_id')
      .notNull()
      .references(() => rectifyItems.id),
    dueAt: ts('due_at').notNull(),
    /** pending (made by the job when due) | passed | reopened */
    state: text('state').notNull().default('pending'),
    note: text('note'),
    checkedBy: uuid('checked_by').references(() => people.id),
    checkedAt: ts('checked_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('rectify_rechecks_item_idx').on(t.itemId)],
);
