/** Tables of the rectify module: inspections, findings, rectification items and their re-checks. */
import { sql } from 'drizzle-orm';
import { date, foreignKey, index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { people, units } from '../../core/schema.js';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/** Distributed by the inspected unit's region; its findings, items and re-checks are co-located with it. */
export const inspections = pgTable(
  'inspections',
  {
    id: uuid('id').notNull().defaultRandom(),
    regionId: uuid('region_id').notNull(),
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
  (t) => [
    primaryKey({ columns: [t.regionId, t.id] }),
    index('inspections_id_idx').on(t.id),
    index('inspections_inspecting_idx').on(t.inspectingUnitId),
    index('inspections_inspected_idx').on(t.inspectedUnitId),
  ],
);

export const rectifyFindings = pgTable(
  'rectify_findings',
  {
    id: uuid('id').notNull().defaultRandom(),
    /** the region of its inspection */
    regionId: uuid('region_id').notNull(),
    inspectionId: uuid('inspection_id').notNull(),
    seq: integer('seq').notNull(),
    category: text('category').notNull().default(''),
    description: text('description').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.regionId, t.id] }),
    index('rectify_findings_id_idx').on(t.id),
    // follows its inspection when a unit move re-homes it (db/distribution.ts rehomeSubtree)
    foreignKey({
      name: 'rectify_findings_inspection_fk',
      columns: [t.regionId, t.inspectionId],
      foreignColumns: [inspections.regionId, inspections.id],
    }).onUpdate('cascade'),
    index('rectify_findings_inspection_idx').on(t.inspectionId, t.seq),
  ],
);

export const rectifyItems = pgTable(
  'rectify_items',
  {
    id: uuid('id').notNull().defaultRandom(),
    /** the region of its finding and inspection (not of its owner unit: it stays with its inspection) */
    regionId: uuid('region_id').notNull(),
    findingId: uuid('finding_id').notNull(),
    /** copied from the finding's inspection (never change): scope checks read them without joins */
    inspectionId: uuid('inspection_id').notNull(),
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
    primaryKey({ columns: [t.regionId, t.id] }),
    index('rectify_items_id_idx').on(t.id),
    foreignKey({
      name: 'rectify_items_finding_fk',
      columns: [t.regionId, t.findingId],
      foreignColumns: [rectifyFindings.regionId, rectifyFindings.id],
    }).onUpdate('cascade'),
    foreignKey({
      name: 'rectify_items_inspection_fk',
      columns: [t.regionId, t.inspectionId],
      foreignColumns: [inspections.regionId, inspections.id],
    }).onUpdate('cascade'),
    index('rectify_items_unit_idx').on(t.unitId, t.deadline),
    index('rectify_items_inspection_idx').on(t.inspectionId),
    index('rectify_items_finding_idx').on(t.findingId),
    index('rectify_items_recheck_idx').on(t.recheckDueAt).where(sql`${t.state} = 'signedOff'`),
  ],
);

export const rectifyRechecks = pgTable(
  'rectify_rechecks',
  {
    id: uuid('id').notNull().defaultRandom(),
    /** the region of its item */
    regionId: uuid('region_id').notNull(),
    itemId: uuid('item_id').notNull(),
    dueAt: ts('due_at').notNull(),
    /** pending (made by the job when due) | passed | reopened */
    state: text('state').notNull().default('pending'),
    note: text('note'),
    checkedBy: uuid('checked_by').references(() => people.id),
    checkedAt: ts('checked_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.regionId, t.id] }),
    index('rectify_rechecks_id_idx').on(t.id),
    foreignKey({
      name: 'rectify_rechecks_item_fk',
      columns: [t.regionId, t.itemId],
      foreignColumns: [rectifyItems.regionId, rectifyItems.id],
    }).onUpdate('cascade'),
    index('rectify_rechecks_item_idx').on(t.itemId),
  ],
);
