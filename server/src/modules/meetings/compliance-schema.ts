/** Tables of rules and compliance: monthly study plans (学习计划) and the rules (制度要求) the engine evaluates. */
import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { people, units } from '../../core/schema.js';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/** One plan per unit and month; corrected in place (audited), never deleted. */
export const studyPlans = pgTable(
  'study_plans',
  {
    /** the distribution key (db/distribution.ts): the region of `unitId`, `dl_region(unit_id)` */
    regionId: uuid('region_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    /** YYYY-MM */
    month: text('month').notNull(),
    /** UTC instant of local (Asia/Shanghai) 00:00 on the month's first day: the plan's date for the engine */
    monthStart: ts('month_start').notNull(),
    title: text('title').notNull(),
    content: text('content').notNull().default(''),
    createdBy: uuid('created_by').references(() => people.id),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.regionId, t.id] }),
    // lookups by id alone (routes address a plan by its id): on Citus these fan out to every shard
    index('study_plans_id_idx').on(t.id),
    uniqueIndex('study_plans_unit_month_uq').on(t.regionId, t.unitId, t.month),
    index('study_plans_unit_idx').on(t.unitId, t.month),
    index('study_plans_month_start_idx').on(t.monthStart),
  ],
);

/**
 * A rule: "≥ minCount records of `source` (meetings of kinds `kindIds`, with any of `tags`; or study plans)
 * per `period` for units of `unitTypes`, due by day `dueDay` of the period or by its end". Global, like the
 * meeting-kind dictionary; edits are audited with before and after (the audit log is the version history).
 */
export const complianceRules = pgTable(
  'compliance_rules',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** stable code of a seeded default rule (ensureDefaultRules), null for rules users make */
    code: text('code'),
    name: text('name').notNull(),
    basis: text('basis').notNull().default(''),
    unitTypes: text('unit_types').array().notNull(),
    source: text('source').notNull(),
    kindIds: uuid('kind_ids').array().notNull().default(sql`'{}'::uuid[]`),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    minCount: integer('min_count').notNull(),
    period: text('period').notNull(),
    dueDay: integer('due_day'),
    active: boolean('active').notNull().default(true),
    sort: integer('sort').notNull().default(0),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('compliance_rules_code_uq').on(t.code), uniqueIndex('compliance_rules_name_uq').on(t.name)],
);
