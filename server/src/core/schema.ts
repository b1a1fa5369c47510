/**
 * Tables of the platform core: the org tree and its people (identity, used by every module's scope
 * checks), sessions and the login log, the audit log, attachments, notifications and job runs.
 * Capability modules keep their tables in modules/<name>/schema.ts.
 */
import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
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

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const createdAt = () => ts('created_at').notNull().defaultNow();

export const units = pgTable(
  'units',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    parentId: uuid('parent_id').references((): any => units.id),
    name: text('name').notNull(),
    type: text('type').notNull(),
    /** materialized path of ids, '/root/…/self/': subtree = path LIKE prefix% */
    path: text('path').notNull(),
    depth: integer('depth').notNull(),
    active: boolean('active').notNull().default(true),
    sortOrder: integer('sort_order').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('units_path_idx').using('btree', sql`${t.path} text_pattern_ops`),
    index('units_parent_idx').on(t.parentId),
    uniqueIndex('units_parent_name_uq').on(t.parentId, t.name),
  ],
);

export const people = pgTable('people', {
  id: uuid('id').primaryKey().defaultRandom(),
  username: text('username').notNull().unique(),
  displayName: text('display_name').notNull(),
  phone: text('phone'),
  passwordHash: text('password_hash').notNull(),
  mustChangePassword: boolean('must_change_password').notNull().default(true),
  active: boolean('active').notNull().default(true),
  failedLogins: integer('failed_logins').notNull().default(0),
  lockedUntil: ts('locked_until'),
  passwordChangedAt: ts('password_changed_at'),
  createdAt: createdAt(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const posts = pgTable(
  'posts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    /** the unit whose subtree the post's roles cover; its own unit by default */
    scopeRootId: uuid('scope_root_id')
      .notNull()
      .references(() => units.id),
    title: text('title').notNull(),
    roles: text('roles').array().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('posts_person_idx').on(t.personId), index('posts_unit_idx').on(t.unitId)],
);

export const sessions = pgTable(
  'sessions',
  {
    /** SHA-256 of the cookie token; the token itself is never stored */
    idHash: text('id_hash').primaryKey(),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    currentPostId: uuid('current_post_id').references(() => posts.id, { onDelete: 'set null' }),
    csrfToken: text('csrf_token').notNull(),
    createdAt: createdAt(),
    lastSeenAt: ts('last_seen_at').notNull().defaultNow(),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [index('sessions_person_idx').on(t.personId)],
);

export const loginLog = pgTable(
  'login_log',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    at: ts('at').notNull().defaultNow(),
    username: text('username').notNull(),
    personId: uuid('person_id'),
    success: boolean('success').notNull(),
    reason: text('reason'),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [index('login_log_at_idx').on(t.at)],
);

/** Append-only, hash-chained. On PostgreSQL a trigger refuses UPDATE, DELETE and TRUNCATE. */
export const auditEntries = pgTable(
  'audit_entries',
  {
    /** the distribution key: the chain's region ('' chain → NO_REGION, db/distribution.ts) */
    regionId: uuid('region_id').notNull(),
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    at: ts('at').notNull(),
    actorId: uuid('actor_id'),
    actorName: text('actor_name'),
    unitId: uuid('unit_id'),
    action: text('action').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id'),
    before: jsonb('before'),
    after: jsonb('after'),
    ip: text('ip'),
    algo: text('algo').notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
    /**
     * the chain the entry belongs to: the id of the region (the child of the top unit) whose subtree holds
     * the entry's unit, '' for the top unit, entries without a unit and every entry written before chains
     * existed; see core/audit.ts
     */
    chain: text('chain').notNull().default(''),
  },
  (t) => [
    primaryKey({ columns: [t.regionId, t.seq] }),
    index('audit_entity_idx').on(t.entity, t.entityId),
    index('audit_unit_idx').on(t.unitId),
    index('audit_chain_seq_idx').on(t.chain, t.seq),
  ],
);

export const attachments = pgTable(
  'attachments',
  {
    /** the distribution key (db/distribution.ts): the region of `unitId`, `dl_region(unit_id)` */
    regionId: uuid('region_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    sha256: text('sha256').notNull(),
    size: integer('size').notNull(),
    mime: text('mime').notNull(),
    name: text('name').notNull(),
    uploadedBy: uuid('uploaded_by').references(() => people.id),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.regionId, t.id] }),
    // lookups by id alone (routes address an attachment by its id): on Citus these fan out to every shard
    index('attachments_id_idx').on(t.id),
    index('attachments_unit_idx').on(t.unitId),
    index('attachments_sha_idx').on(t.sha256),
  ],
);

/** Generic evidence link: any record (entity, entityId) can carry attachments. */
export const attachmentLinks = pgTable(
  'attachment_links',
  {
    /** the region of the linked attachment (co-located with it) */
    regionId: uuid('region_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    attachmentId: uuid('attachment_id').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.regionId, t.id] }),
    // follows its attachment when a unit move re-homes it (db/distribution.ts rehomeSubtree)
    foreignKey({ columns: [t.regionId, t.attachmentId], foreignColumns: [attachments.regionId, attachments.id] }).onUpdate('cascade'),
    uniqueIndex('attachment_links_uq').on(t.regionId, t.entity, t.entityId, t.attachmentId),
    index('attachment_links_attachment_idx').on(t.attachmentId),
  ],
);

export const notifications = pgTable(
  'notifications',
  {
    /** the region of `unit_id`; NO_REGION for a notification without a unit */
    regionId: uuid('region_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
    unitId: uuid('unit_id').references(() => units.id),
    title: text('title').notNull(),
    body: text('body').notNull(),
    link: text('link'),
    /** same key twice (in one region) → one notification (idempotent reminders) */
    dedupeKey: text('dedupe_key'),
    createdAt: createdAt(),
    readAt: ts('read_at'),
  },
  (t) => [
    primaryKey({ columns: [t.regionId, t.id] }),
    index('notifications_id_idx').on(t.id),
    uniqueIndex('notifications_dedupe_key_uq').on(t.regionId, t.dedupeKey),
    index('notifications_person_idx').on(t.personId, t.createdAt),
  ],
);

export const unitWebhooks = pgTable(
  'unit_webhooks',
  {
    regionId: uuid('region_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    kind: text('kind').notNull(),
    url: text('url').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.regionId, t.id] }),
    index('unit_webhooks_id_idx').on(t.id),
    index('unit_webhooks_unit_idx').on(t.unitId),
  ],
);

/** Idempotency keys of scheduled work: a job that runs twice does its work once. */
export const jobRuns = pgTable('job_runs', {
  key: text('key').primaryKey(),
  job: text('job').notNull(),
  ranAt: ts('ran_at').notNull().defaultNow(),
});
