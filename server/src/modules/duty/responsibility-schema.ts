/**
 * Tables of the responsibility part of the duty module: leading groups and their members, duty
 * assignments, the duty-list template dictionary and responsibility letters.
 *
 * History: memberships and assignments are never deleted or rewritten; a change ends the current row
 * (`to_date`) and starts a new one. A row is valid on dates d with from_date ≤ d < to_date (Shanghai
 * calendar dates; to_date null: still valid).
 */
import { sql } from 'drizzle-orm';
import { boolean, date, foreignKey, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { people, units } from '../../core/schema.js';

const ts = (name: string) => timestamp(name, { withTimezone: true });
const day = (name: string) => date(name, { mode: 'string' });

/**
 * One row per unit that has set up its responsibility system: where the leading group's office sits.
 * Also the row every membership or assignment change of the unit locks (FOR UPDATE), so that concurrent
 * changes of one unit are serialized.
 */
export const leadingGroups = pgTable(
  'leading_groups',
  {
    /** the distribution key (db/distribution.ts): the region of `unitId`, `dl_region(unit_id)` */
    regionId: uuid('region_id').notNull(),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    /** 办公室设在…: a unit of the subtree (e.g. 宣传部) */
    officeUnitId: uuid('office_unit_id').references(() => units.id),
    /** or/and a text (e.g. 党政办) */
    officeText: text('office_text').notNull().default(''),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.regionId, t.unitId] }),
    // lookups by unit alone: on Citus these fan out to every shard
    index('leading_groups_unit_idx').on(t.unitId),
  ],
);

export const leadingGroupMembers = pgTable(
  'leading_group_members',
  {
    /** the region of the unit's leading group (co-located with it) */
    regionId: uuid('region_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    unitId: uuid('unit_id').notNull(),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
    /** head 组长 | deputyHead 副组长 | member 成员 */
    role: text('role').notNull(),
    fromDate: day('from_date').notNull(),
    toDate: day('to_date'),
    createdBy: uuid('created_by').references(() => people.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.regionId, t.id] }),
    index('leading_group_members_id_idx').on(t.id),
    // follows its leading group when a unit move re-homes it (db/distribution.ts rehomeSubtree)
    foreignKey({
      name: 'leading_group_members_region_id_unit_id_fk',
      columns: [t.regionId, t.unitId],
      foreignColumns: [leadingGroups.regionId, leadingGroups.unitId],
    }).onUpdate('cascade'),
    index('leading_group_members_unit_idx').on(t.unitId, t.fromDate),
    index('leading_group_members_person_idx').on(t.personId),
    // at most one open membership per person and unit
    uniqueIndex('leading_group_members_open_uq').on(t.regionId, t.unitId, t.personId).where(sql`${t.toDate} IS NULL`),
  ],
);

export const dutyAssignments = pgTable(
  'duty_assignments',
  {
    /** the region of the unit's leading group (co-located with it) */
    regionId: uuid('region_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    unitId: uuid('unit_id').notNull(),
    /** principal 主体责任 | first 第一责任人 | direct 直接责任人 | dual 一岗双责 */
    kind: text('kind').notNull(),
    /** null for principal (borne by the committee, `body_name`) */
    personId: uuid('person_id').references(() => people.id),
    bodyName: text('body_name').notNull().default(''),
    areas: text('areas').array().notNull().default(sql`'{}'::text[]`),
    chargeUnitIds: uuid('charge_unit_ids').array().notNull().default(sql`'{}'::uuid[]`),
    contactPoints: text('contact_points').array().notNull().default(sql`'{}'::text[]`),
    note: text('note').notNull().default(''),
    fromDate: day('from_date').notNull(),
    toDate: day('to_date'),
    createdBy: uuid('created_by').references(() => people.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.regionId, t.id] }),
    index('duty_assignments_id_idx').on(t.id),
    // follows its leading group when a unit move re-homes it (db/distribution.ts rehomeSubtree)
    foreignKey({
      name: 'duty_assignments_region_id_unit_id_fk',
      columns: [t.regionId, t.unitId],
      foreignColumns: [leadingGroups.regionId, leadingGroups.unitId],
    }).onUpdate('cascade'),
    index('duty_assignments_unit_idx').on(t.unitId, t.kind, t.fromDate),
    index('duty_assignments_person_idx').on(t.personId),
    index('duty_assignments_charge_idx').using('gin', t.chargeUnitIds),
  ],
);

/** The editable dictionary of standard duty items per list kind (global; seeded on first use). */
export const dutyListItems = pgTable(
  'duty_list_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** principal | dual | department */
    listKind: text('list_kind').notNull(),
    category: text('category').notNull().default(''),
    content: text('content').notNull(),
    sort: integer('sort').notNull().default(0),
    active: boolean('active').notNull().default(true),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('duty_list_items_kind_content_uq').on(t.listKind, t.content)],
);

/** 责任状: one per unit and year, signed between the upper unit's signer and the unit's first responsible person. */
export const dutyLetters = pgTable(
  'duty_letters',
  {
    /** the distribution key (db/distribution.ts): the region of `unitId`, `dl_region(unit_id)` */
    regionId: uuid('region_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    upperUnitId: uuid('upper_unit_id')
      .notNull()
      .references(() => units.id),
    year: integer('year').notNull(),
    title: text('title').notNull(),
    upperSignerPersonId: uuid('upper_signer_person_id')
      .notNull()
      .references(() => people.id),
    signerPersonId: uuid('signer_person_id')
      .notNull()
      .references(() => people.id),
    /** draft 未签订 | signed 已签订 (letters.ts `letterTransitions`) */
    status: text('status').notNull().default('draft'),
    signedDate: day('signed_date'),
    version: integer('version').notNull().default(1),
    createdBy: uuid('created_by').references(() => people.id),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.regionId, t.id] }),
    // lookups by id alone (routes address a letter by its id): on Citus these fan out to every shard
    index('duty_letters_id_idx').on(t.id),
    uniqueIndex('duty_letters_unit_year_uq').on(t.regionId, t.unitId, t.year),
    index('duty_letters_unit_idx').on(t.unitId, t.year),
    index('duty_letters_upper_year_idx').on(t.upperUnitId, t.year),
  ],
);
