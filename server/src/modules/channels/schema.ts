/**
 * Tables of the channels module: dictionaries, channels (阵地) with their review chains, publications (稿件)
 * with their review history, event filings (活动报备), self-check rounds and results (自查摸排).
 */
import { boolean, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { people, units } from '../../core/schema.js';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/**
 * Global editable dictionaries of the module, one table keyed by `kind`: channelType (阵地类型), reviewCheck
 * (审核要点), eventKind (活动类型, with lead days and whether the parent approves), selfCheckItem (自查项目).
 * Seeded by `ensureChannelTypes` (dicts.ts); deactivated, never deleted.
 */
export const channelDicts = pgTable(
  'channel_dicts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').notNull(),
    name: text('name').notNull(),
    sort: integer('sort').notNull().default(0),
    active: boolean('active').notNull().default(true),
    leadDays: integer('lead_days').notNull().default(7),
    requiresParent: boolean('requires_parent').notNull().default(false),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('channel_dicts_kind_name_uq').on(t.kind, t.name)],
);

export const channels = pgTable(
  'channels',
  {
    /** the distribution key (db/distribution.ts): the region of `unitId`, `dl_region(unit_id)` */
    regionId: uuid('region_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    /** 主办单位: runs the channel and owns the record (scope) */
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    /** 主管单位: the unit itself or an ancestor */
    supervisorUnitId: uuid('supervisor_unit_id')
      .notNull()
      .references(() => units.id),
    typeId: uuid('type_id')
      .notNull()
      .references(() => channelDicts.id),
    name: text('name').notNull(),
    address: text('address').notNull().default(''),
    responsiblePersonId: uuid('responsible_person_id').references(() => people.id),
    /** running | paused | closed */
    status: text('status').notNull().default('running'),
    /** 1–3: 初审 / 复审 / 终审 */
    reviewLevels: integer('review_levels').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.regionId, t.id] }),
    // lookups by id alone (routes address a channel by its id): on Citus these fan out to every shard
    index('channels_id_idx').on(t.id),
    index('channels_unit_idx').on(t.unitId),
    index('channels_type_idx').on(t.typeId),
  ],
);

/** Who may review a channel's items at each level (people, not roles). */
export const channelReviewers = pgTable(
  'channel_reviewers',
  {
    /** the region of the channel (co-located with it) */
    regionId: uuid('region_id').notNull(),
    channelId: uuid('channel_id').notNull(),
    level: integer('level').notNull(),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
  },
  (t) => [
    primaryKey({ columns: [t.regionId, t.channelId, t.level, t.personId] }),
    // follows its channel when a unit move re-homes it (db/distribution.ts rehomeSubtree)
    foreignKey({ columns: [t.regionId, t.channelId], foreignColumns: [channels.regionId, channels.id] }).onUpdate('cascade'),
    index('channel_reviewers_channel_idx').on(t.channelId),
    index('channel_reviewers_person_idx').on(t.personId),
  ],
);

export const publications = pgTable(
  'publications',
  {
    /** the region of the channel (co-located with it; the same as the region of `unitId`, the channel's unit) */
    regionId: uuid('region_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    channelId: uuid('channel_id').notNull(),
    /** the channel's unit (copied for scope filters) */
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    authorId: uuid('author_id')
      .notNull()
      .references(() => people.id),
    title: text('title').notNull(),
    /** sanitized HTML */
    body: text('body').notNull().default(''),
    plannedAt: ts('planned_at'),
    /** see publications.ts `transitions` */
    state: text('state').notNull().default('draft'),
    /** review levels, fixed at submission from the channel's chain */
    levels: integer('levels').notNull().default(1),
    publishedUrl: text('published_url'),
    publishedAt: ts('published_at'),
    returnReason: text('return_reason'),
    withdrawReason: text('withdraw_reason'),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.regionId, t.id] }),
    // follows its channel when a unit move re-homes it (db/distribution.ts rehomeSubtree)
    foreignKey({ columns: [t.regionId, t.channelId], foreignColumns: [channels.regionId, channels.id] }).onUpdate('cascade'),
    // lookups by id alone (routes address a publication by its id): on Citus these fan out to every shard
    index('publications_id_idx').on(t.id),
    index('publications_channel_idx').on(t.channelId, t.state),
    index('publications_unit_idx').on(t.unitId),
    index('publications_author_idx').on(t.authorId),
  ],
);

/** The history of a publication: every transition with who, when, comment and checklist. Append-only. */
export const publicationSteps = pgTable(
  'publication_steps',
  {
    /** the region of the publication (co-located with it) */
    regionId: uuid('region_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    publicationId: uuid('publication_id').notNull(),
    action: text('action').notNull(),
    fromState: text('from_state').notNull(),
    toState: text('to_state').notNull(),
    level: integer('level'),
    actorId: uuid('actor_id').references(() => people.id),
    comment: text('comment').notNull().default(''),
    checklist: jsonb('checklist').$type<{ itemId: string; name: string; ok: boolean }[]>().notNull().default([]),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.regionId, t.id] }),
    // follows its publication (and so its channel) when a unit move re-homes it
    foreignKey({
      name: 'publication_steps_region_id_publication_id_fk',
      columns: [t.regionId, t.publicationId],
      foreignColumns: [publications.regionId, publications.id],
    }).onUpdate('cascade'),
    index('publication_steps_pub_idx').on(t.publicationId, t.createdAt),
  ],
);

export const eventFilings = pgTable(
  'event_filings',
  {
    /** the distribution key (db/distribution.ts): the region of `unitId`, `dl_region(unit_id)` */
    regionId: uuid('region_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    kindId: uuid('kind_id')
      .notNull()
      .references(() => channelDicts.id),
    topic: text('topic').notNull(),
    /** name and affiliation only */
    speakers: jsonb('speakers').$type<{ name: string; affiliation: string }[]>().notNull().default([]),
    venue: text('venue').notNull(),
    startsAt: ts('starts_at').notNull(),
    endsAt: ts('ends_at'),
    expectedAudience: integer('expected_audience').notNull().default(0),
    /** from the kind when the filing was made */
    leadDays: integer('lead_days').notNull().default(7),
    requiresParent: boolean('requires_parent').notNull().default(false),
    /** see filings.ts `transitions`; late is computed from submitted_at, starts_at and lead_days */
    state: text('state').notNull().default('draft'),
    submittedAt: ts('submitted_at'),
    decisionComment: text('decision_comment'),
    summary: text('summary'),
    createdBy: uuid('created_by').references(() => people.id),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.regionId, t.id] }),
    // lookups by id alone (routes address a filing by its id): on Citus these fan out to every shard
    index('event_filings_id_idx').on(t.id),
    index('event_filings_unit_idx').on(t.unitId, t.startsAt),
    index('event_filings_starts_idx').on(t.startsAt),
  ],
);

export const selfCheckRounds = pgTable(
  'self_check_rounds',
  {
    /** the distribution key (db/distribution.ts): the region of `unitId`, `dl_region(unit_id)` */
    regionId: uuid('region_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    /** e.g. 2026-Q3 */
    periodKey: text('period_key').notNull(),
    label: text('label').notNull(),
    /** the checklist template, copied from the dictionary when the round was opened */
    items: jsonb('items').$type<string[]>().notNull().default([]),
    dueAt: ts('due_at').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.regionId, t.id] }),
    // lookups by id alone (routes address a round by its id): on Citus these fan out to every shard
    index('self_check_rounds_id_idx').on(t.id),
    uniqueIndex('self_check_rounds_unit_period_uq').on(t.regionId, t.unitId, t.periodKey),
    index('self_check_rounds_unit_idx').on(t.unitId, t.periodKey),
  ],
);

export const selfCheckResults = pgTable(
  'self_check_results',
  {
    /** the region of the round (co-located with it) */
    regionId: uuid('region_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    roundId: uuid('round_id').notNull(),
    /**
     * a channel of the round's unit (checked by the service), so of the same region. No foreign key: a row
     * re-homed by the cascade of its round could not also be held by one to its channel (whichever of the two
     * parents moves first, the other key would be missing for that moment).
     */
    channelId: uuid('channel_id').notNull(),
    answers: jsonb('answers').$type<{ item: string; ok: boolean; note: string }[]>().notNull().default([]),
    /** problems found; a problem turned into a task keeps the task id (linked both ways) */
    problems: jsonb('problems').$type<{ text: string; taskId: string | null }[]>().notNull().default([]),
    checkedBy: uuid('checked_by').references(() => people.id),
    checkedAt: ts('checked_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.regionId, t.id] }),
    // follows its round when a unit move re-homes it (db/distribution.ts rehomeSubtree)
    foreignKey({
      name: 'self_check_results_region_id_round_id_fk',
      columns: [t.regionId, t.roundId],
      foreignColumns: [selfCheckRounds.regionId, selfCheckRounds.id],
    }).onUpdate('cascade'),
    // lookups by id alone (a problem is turned into a task by the result's id): on Citus these fan out
    index('self_check_results_id_idx').on(t.id),
    uniqueIndex('self_check_results_round_channel_uq').on(t.regionId, t.roundId, t.channelId),
    index('self_check_results_round_idx').on(t.roundId),
    index('self_check_results_channel_idx').on(t.channelId),
  ],
);
