/** Tables of the reports module (报送): templates (versioned), windows, their target units, submissions. */
import type { RecordLink, TemplateSection, WindowTarget } from '@dutyledger/contracts';
import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { people, units } from '../../core/schema.js';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/**
 * Report templates, copy-on-edit: editing a template inserts a new version of its family and marks it
 * current; windows keep pointing at the version they were opened with. Global (not per unit), filled by
 * `ensureReportTemplates`.
 */
export const reportTemplates = pgTable(
  'report_templates',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    family: text('family').notNull(),
    version: integer('version').notNull(),
    current: boolean('current').notNull().default(true),
    name: text('name').notNull(),
    /** halfYear | selfInspection | special | other */
    kind: text('kind').notNull(),
    sections: jsonb('sections').$type<TemplateSection[]>().notNull(),
    createdBy: uuid('created_by').references(() => people.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('report_templates_family_version_uq').on(t.family, t.version),
    uniqueIndex('report_templates_family_current_uq').on(t.family).where(sql`${t.current}`),
  ],
);

/** A reporting round opened by a unit for a period; its target units are resolved and stored when opened. */
export const reportWindows = pgTable(
  'report_windows',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** the opening unit, which owns the window and reviews the submissions */
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    periodKind: text('period_kind').notNull(),
    periodYear: integer('period_year').notNull(),
    periodIndex: integer('period_index').notNull(),
    periodKey: text('period_key').notNull(),
    templateId: uuid('template_id')
      .notNull()
      .references(() => reportTemplates.id),
    /** the target as the opener gave it (the resolved list is in report_window_targets) */
    target: jsonb('target').$type<WindowTarget>().notNull(),
    opensAt: ts('opens_at').notNull(),
    closesAt: ts('closes_at').notNull(),
    note: text('note').notNull().default(''),
    createdBy: uuid('created_by').references(() => people.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('report_windows_unit_idx').on(t.unitId, t.closesAt), index('report_windows_closes_idx').on(t.closesAt)],
);

export const reportWindowTargets = pgTable(
  'report_window_targets',
  {
    /** the distribution key (db/distribution.ts): the region of `unitId`, `dl_region(unit_id)` */
    regionId: uuid('region_id').notNull(),
    windowId: uuid('window_id')
      .notNull()
      .references(() => reportWindows.id),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
  },
  (t) => [primaryKey({ columns: [t.regionId, t.windowId, t.unitId] }), index('report_window_targets_unit_idx').on(t.unitId)],
);

export interface StoredSection {
  key: string;
  text: string;
  links: RecordLink[];
}

/** One target unit's submission to a window (no row = 未填报). States: see submissions.ts `transitions`. */
export const reportSubmissions = pgTable(
  'report_submissions',
  {
    /** the distribution key (db/distribution.ts): the region of `unitId`, `dl_region(unit_id)` */
    regionId: uuid('region_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    windowId: uuid('window_id')
      .notNull()
      .references(() => reportWindows.id),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    /** draft | submitted | returned | accepted */
    state: text('state').notNull().default('draft'),
    sections: jsonb('sections').$type<StoredSection[]>().notNull().default([]),
    returnReason: text('return_reason'),
    version: integer('version').notNull().default(1),
    createdBy: uuid('created_by').references(() => people.id),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    /** the first 已报送: lateness and the on-time rate are measured by it */
    firstSubmittedAt: ts('first_submitted_at'),
    submittedAt: ts('submitted_at'),
    submittedBy: uuid('submitted_by').references(() => people.id),
    acceptedAt: ts('accepted_at'),
    reviewedBy: uuid('reviewed_by').references(() => people.id),
  },
  (t) => [
    primaryKey({ columns: [t.regionId, t.id] }),
    uniqueIndex('report_submissions_window_unit_uq').on(t.regionId, t.windowId, t.unitId),
    // lookups by id alone (routes address a submission by its id): on Citus these fan out to every shard
    index('report_submissions_id_idx').on(t.id),
    index('report_submissions_unit_idx').on(t.unitId),
  ],
);
