/** Tables of the assessment module: frameworks (versioned indicator trees), cycles, per-unit scores. */
import { sql } from 'drizzle-orm';
import {
  doublePrecision,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { people, units } from '../../core/schema.js';

const ts = (name: string) => timestamp(name, { withTimezone: true });

export const assessmentFrameworks = pgTable(
  'assessment_frameworks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('assessment_frameworks_name_version_uq').on(t.name, t.version)],
);

export const assessmentIndicators = pgTable(
  'assessment_indicators',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    frameworkId: uuid('framework_id')
      .notNull()
      .references(() => assessmentFrameworks.id),
    parentId: uuid('parent_id'),
    /** 1 一级, 2 二级, 3 三级 */
    level: integer('level').notNull(),
    sortOrder: integer('sort_order').notNull().default(0),
    name: text('name').notNull(),
    points: doublePrecision('points').notNull(),
    /** manual | deduction | auto on leaves; null on an indicator with children (its points are theirs summed) */
    method: text('method'),
    /** 扣分制: points deducted per occurrence */
    perOccurrence: doublePrecision('per_occurrence'),
    /** 自动: compliance | tasks | reports | rectify | articles | opinion */
    autoSource: text('auto_source'),
    params: jsonb('params').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
  },
  (t) => [index('assessment_indicators_framework_idx').on(t.frameworkId, t.sortOrder)],
);

export const assessmentCycles = pgTable(
  'assessment_cycles',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    frameworkId: uuid('framework_id')
      .notNull()
      .references(() => assessmentFrameworks.id),
    /** the organizing unit; targets are units of its subtree */
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    year: integer('year').notNull(),
    unitType: text('unit_type'),
    /** open | published */
    state: text('state').notNull().default('open'),
    computedAt: ts('computed_at'),
    publishedAt: ts('published_at'),
    createdBy: uuid('created_by').references(() => people.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('assessment_cycles_unit_idx').on(t.unitId, t.year)],
);

/** A cycle's target unit: distributed by the target unit's region (its cycle is a reference table). */
export const assessmentCycleUnits = pgTable(
  'assessment_cycle_units',
  {
    regionId: uuid('region_id').notNull(),
    cycleId: uuid('cycle_id')
      .notNull()
      .references(() => assessmentCycles.id),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
  },
  (t) => [primaryKey({ columns: [t.regionId, t.cycleId, t.unitId] }), index('assessment_cycle_units_unit_idx').on(t.unitId)],
);

/** A cell (target unit × indicator): co-located with its target row (the cycle unit), whose region it carries. */
export const assessmentScores = pgTable(
  'assessment_scores',
  {
    id: uuid('id').notNull().defaultRandom(),
    regionId: uuid('region_id').notNull(),
    cycleId: uuid('cycle_id')
      .notNull()
      .references(() => assessmentCycles.id),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    indicatorId: uuid('indicator_id')
      .notNull()
      .references(() => assessmentIndicators.id),
    autoScore: doublePrecision('auto_score'),
    evidence: jsonb('evidence').$type<{ summary: string; figures: Record<string, number | null>; link: string | null }>(),
    computedAt: ts('computed_at'),
    selfNote: text('self_note'),
    selfEvidence: text('self_evidence'),
    selfBy: uuid('self_by').references(() => people.id),
    selfAt: ts('self_at'),
    /** 人工评分: the assessor's score; 扣分制: points − occurrences × per occurrence, clamped to [0, points] */
    manualScore: doublePrecision('manual_score'),
    occurrences: integer('occurrences'),
    comment: text('comment'),
    scoredBy: uuid('scored_by').references(() => people.id),
    scoredAt: ts('scored_at'),
  },
  (t) => [
    primaryKey({ columns: [t.regionId, t.id] }),
    index('assessment_scores_id_idx').on(t.id),
    uniqueIndex('assessment_scores_cell_uq').on(t.regionId, t.cycleId, t.unitId, t.indicatorId),
    foreignKey({
      name: 'assessment_scores_cycle_unit_fk',
      columns: [t.regionId, t.cycleId, t.unitId],
      foreignColumns: [assessmentCycleUnits.regionId, assessmentCycleUnits.cycleId, assessmentCycleUnits.unitId],
    }).onUpdate('cascade'),
  ],
);
