/**
 * Tables of the opinion module: analysis reports, public-opinion events, emergency plans, bulletins.
 *
 * Boundary: no table here holds who posted something online (no author, poster, account, nickname or profile
 * column); `created_by` is always the system user (clerk) who recorded the row. schema.test.ts checks it.
 */
import { sql } from 'drizzle-orm';
import { boolean, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { people, units } from '../../core/schema.js';

const ts = (name: string) => timestamp(name, { withTimezone: true });

// ---- analysis reports (分析研判)

export const analysisReports = pgTable(
  'analysis_reports',
  {
    /** the distribution key (db/distribution.ts): the region of `unitId`, `dl_region(unit_id)` */
    regionId: uuid('region_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    /** the parent unit at creation: the one it is reported to (null for a top unit, which cannot submit) */
    toUnitId: uuid('to_unit_id').references(() => units.id),
    /** quarter | halfYear */
    periodKind: text('period_kind').notNull(),
    /** e.g. 2026-Q3, 2026-H1 (core/periods.ts) */
    periodKey: text('period_key').notNull(),
    periodLabel: text('period_label').notNull(),
    title: text('title').notNull(),
    /** 形势 */
    situation: text('situation').notNull().default(''),
    /** 风险隐患 */
    risks: text('risks').notNull().default(''),
    /** draft | submitted | read | returned (analysis.ts `transitions`) */
    state: text('state').notNull().default('draft'),
    returnReason: text('return_reason'),
    version: integer('version').notNull().default(1),
    createdBy: uuid('created_by').references(() => people.id),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    submittedAt: ts('submitted_at'),
    readAt: ts('read_at'),
  },
  (t) => [
    primaryKey({ columns: [t.regionId, t.id] }),
    // lookups by id alone (routes address a report by its id): on Citus these fan out to every shard
    index('analysis_reports_id_idx').on(t.id),
    index('analysis_reports_unit_idx').on(t.unitId, t.periodKey),
    index('analysis_reports_to_unit_idx').on(t.toUnitId, t.state),
  ],
);

/** 措施建议: each measure a row, so that one can become a task (task_id; the task's source is the measure). */
export const analysisMeasures = pgTable(
  'analysis_measures',
  {
    /** the region of its report (co-located with it) */
    regionId: uuid('region_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    reportId: uuid('report_id').notNull(),
    sort: integer('sort').notNull().default(0),
    text: text('text').notNull(),
    /** false once replaced by an edit (kept: never hard-deleted) */
    active: boolean('active').notNull().default(true),
    taskId: uuid('task_id'),
  },
  (t) => [
    primaryKey({ columns: [t.regionId, t.id] }),
    // follows its report when a unit move re-homes it (db/distribution.ts rehomeSubtree)
    foreignKey({
      name: 'analysis_measures_report_fk',
      columns: [t.regionId, t.reportId],
      foreignColumns: [analysisReports.regionId, analysisReports.id],
    }).onUpdate('cascade'),
    index('analysis_measures_id_idx').on(t.id),
    index('analysis_measures_report_idx').on(t.reportId, t.sort),
  ],
);

export const analysisComments = pgTable(
  'analysis_comments',
  {
    /** the region of its report (also when written by the unit reported to) (co-located with it) */
    regionId: uuid('region_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    reportId: uuid('report_id').notNull(),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    body: text('body').notNull(),
    createdBy: uuid('created_by').references(() => people.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.regionId, t.id] }),
    foreignKey({
      name: 'analysis_comments_report_fk',
      columns: [t.regionId, t.reportId],
      foreignColumns: [analysisReports.regionId, analysisReports.id],
    }).onUpdate('cascade'),
    index('analysis_comments_report_idx').on(t.reportId, t.createdAt),
  ],
);

// ---- public-opinion events (舆情事件)

/** Global platform dictionary (微博, 微信, …), seeded by `ensureOpinionPlatforms`. */
export const opinionPlatforms = pgTable(
  'opinion_platforms',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    sort: integer('sort').notNull().default(0),
    active: boolean('active').notNull().default(true),
  },
  (t) => [uniqueIndex('opinion_platforms_name_uq').on(t.name)],
);

export interface OpinionSourceRow {
  platformId: string;
  /** link to the public item (never an account) */
  url: string;
}

export const opinionEvents = pgTable(
  'opinion_events',
  {
    /** the distribution key (db/distribution.ts): the region of `unitId`, `dl_region(unit_id)` */
    regionId: uuid('region_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    /** the unit the topic concerns, which handles it */
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    title: text('title').notNull(),
    summary: text('summary').notNull().default(''),
    sources: jsonb('sources').$type<OpinionSourceRow[]>().notNull().default([]),
    firstSeenAt: ts('first_seen_at').notNull(),
    /** general | serious | major | critical */
    level: text('level').notNull(),
    /** found | assessing | handling | responded | closed (events.ts `transitions`) */
    state: text('state').notNull().default('found'),
    relatedUnitIds: uuid('related_unit_ids').array().notNull().default(sql`'{}'::uuid[]`),
    responsePlanId: uuid('response_plan_id'),
    escalatedToUnitId: uuid('escalated_to_unit_id').references(() => units.id),
    escalatedAt: ts('escalated_at'),
    conclusion: text('conclusion'),
    version: integer('version').notNull().default(1),
    /** the clerk who recorded it */
    createdBy: uuid('created_by').references(() => people.id),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    closedAt: ts('closed_at'),
  },
  (t) => [
    primaryKey({ columns: [t.regionId, t.id] }),
    // lookups by id alone (routes address an event by its id): on Citus these fan out to every shard
    index('opinion_events_id_idx').on(t.id),
    index('opinion_events_unit_idx').on(t.unitId, t.state),
    index('opinion_events_escalated_idx').on(t.escalatedToUnitId),
    index('opinion_events_open_idx').on(t.firstSeenAt).where(sql`${t.state} <> 'closed'`),
  ],
);

/** Timeline: what was learned, what was done, comments of the unit escalated to, state changes. */
export const opinionEventEntries = pgTable(
  'opinion_event_entries',
  {
    /** the region of its event (also when written by the unit escalated to) (co-located with it) */
    regionId: uuid('region_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    eventId: uuid('event_id').notNull(),
    /** note | action | comment | state | escalation | response */
    kind: text('kind').notNull(),
    /** the unit on whose behalf it was written */
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    body: text('body').notNull(),
    createdBy: uuid('created_by').references(() => people.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.regionId, t.id] }),
    // follows its event when a unit move re-homes it (db/distribution.ts rehomeSubtree)
    foreignKey({
      name: 'opinion_event_entries_event_fk',
      columns: [t.regionId, t.eventId],
      foreignColumns: [opinionEvents.regionId, opinionEvents.id],
    }).onUpdate('cascade'),
    index('opinion_event_entries_event_idx').on(t.eventId, t.createdAt),
  ],
);

export const opinionEventResponses = pgTable(
  'opinion_event_responses',
  {
    /** the region of its event (co-located with it) */
    regionId: uuid('region_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    eventId: uuid('event_id').notNull(),
    /** statement | resolve | concern | result */
    kind: text('kind').notNull(),
    content: text('content').notNull(),
    url: text('url').notNull().default(''),
    happenedAt: ts('happened_at').notNull(),
    createdBy: uuid('created_by').references(() => people.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.regionId, t.id] }),
    foreignKey({
      name: 'opinion_event_responses_event_fk',
      columns: [t.regionId, t.eventId],
      foreignColumns: [opinionEvents.regionId, opinionEvents.id],
    }).onUpdate('cascade'),
    index('opinion_event_responses_event_idx').on(t.eventId, t.happenedAt),
  ],
);

// ---- emergency plans (应急预案)

export const responsePlans = pgTable(
  'response_plans',
  {
    /** the distribution key (db/distribution.ts): the region of `unitId`, `dl_region(unit_id)` */
    regionId: uuid('region_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    title: text('title').notNull(),
    currentVersion: integer('current_version').notNull().default(1),
    createdBy: uuid('created_by').references(() => people.id),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.regionId, t.id] }),
    // lookups by id alone (routes address a plan by its id): on Citus these fan out to every shard
    index('response_plans_id_idx').on(t.id),
    index('response_plans_unit_idx').on(t.unitId),
  ],
);

export const responsePlanVersions = pgTable(
  'response_plan_versions',
  {
    /** the region of its plan (co-located with it) */
    regionId: uuid('region_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    planId: uuid('plan_id').notNull(),
    version: integer('version').notNull(),
    body: text('body').notNull().default(''),
    levels: text('levels').array().notNull(),
    notifyPersonIds: uuid('notify_person_ids').array().notNull().default(sql`'{}'::uuid[]`),
    note: text('note').notNull().default(''),
    createdBy: uuid('created_by').references(() => people.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.regionId, t.id] }),
    // follows its plan when a unit move re-homes it (db/distribution.ts rehomeSubtree)
    foreignKey({
      name: 'response_plan_versions_plan_fk',
      columns: [t.regionId, t.planId],
      foreignColumns: [responsePlans.regionId, responsePlans.id],
    }).onUpdate('cascade'),
    index('response_plan_versions_id_idx').on(t.id),
    uniqueIndex('response_plan_versions_uq').on(t.regionId, t.planId, t.version),
  ],
);

export const responseDrills = pgTable(
  'response_drills',
  {
    /** the region of its plan (co-located with it) */
    regionId: uuid('region_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    planId: uuid('plan_id').notNull(),
    heldAt: ts('held_at').notNull(),
    scenario: text('scenario').notNull(),
    summary: text('summary').notNull().default(''),
    createdBy: uuid('created_by').references(() => people.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.regionId, t.id] }),
    foreignKey({
      name: 'response_drills_plan_fk',
      columns: [t.regionId, t.planId],
      foreignColumns: [responsePlans.regionId, responsePlans.id],
    }).onUpdate('cascade'),
    index('response_drills_id_idx').on(t.id),
    index('response_drills_plan_idx').on(t.planId, t.heldAt),
  ],
);

// ---- bulletins (通报)

/**
 * Placed as a reference table (db/distribution.ts): a bulletin is issued by an upper unit to units of many
 * regions; its recipients and reads, distributed by the recipient unit's region, keep their foreign keys to it.
 */
export const bulletins = pgTable(
  'bulletins',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** the sending unit */
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    title: text('title').notNull(),
    body: text('body').notNull(),
    remindAfterDays: integer('remind_after_days').notNull().default(3),
    sentBy: uuid('sent_by').references(() => people.id),
    sentAt: ts('sent_at').notNull().defaultNow(),
  },
  (t) => [index('bulletins_unit_idx').on(t.unitId, t.sentAt)],
);

/** One row per recipient unit; `read_at` is when the first person of that unit opened it. */
export const bulletinRecipients = pgTable(
  'bulletin_recipients',
  {
    /** the distribution key (db/distribution.ts): the region of `unitId` (the recipient), `dl_region(unit_id)` */
    regionId: uuid('region_id').notNull(),
    bulletinId: uuid('bulletin_id')
      .notNull()
      .references(() => bulletins.id),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    readAt: ts('read_at'),
  },
  (t) => [primaryKey({ columns: [t.regionId, t.bulletinId, t.unitId] }), index('bulletin_recipients_unit_idx').on(t.unitId)],
);

/**
 * Per-person read receipts (a person opening it marks it read for them and their unit). `unit_id` is always a
 * recipient unit (markBulletinRead): a read is co-located with its recipient row.
 */
export const bulletinReads = pgTable(
  'bulletin_reads',
  {
    /** the region of its recipient row (bulletin_id, unit_id) */
    regionId: uuid('region_id').notNull(),
    bulletinId: uuid('bulletin_id')
      .notNull()
      .references(() => bulletins.id),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    readAt: ts('read_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.regionId, t.bulletinId, t.personId] }),
    // follows its recipient row when a unit move re-homes it (db/distribution.ts rehomeSubtree)
    foreignKey({
      name: 'bulletin_reads_recipient_fk',
      columns: [t.regionId, t.bulletinId, t.unitId],
      foreignColumns: [bulletinRecipients.regionId, bulletinRecipients.bulletinId, bulletinRecipients.unitId],
    }).onUpdate('cascade'),
    index('bulletin_reads_unit_idx').on(t.bulletinId, t.unitId),
  ],
);
