/**
 * Leading groups (意识形态工作领导小组): per unit, 组长 / 副组长 / 成员 chosen from the unit's people (a post in the
 * unit or its subtree), and where the group's office sits (办公室设在…).
 *
 * History is kept: a membership is never deleted or rewritten. Removing a member sets its `to_date`; a
 * change of role ends the current membership and starts a new one; a new 组长 ends the previous 组长's
 * membership. A membership is valid on dates d with from_date ≤ d < to_date, so "who was 组长 on X" is
 * one query (`membersOn`).
 *
 * Scope: reading needs `duty.read` in the unit (404 otherwise); changing needs `duty.manage` there (403).
 * Every change of a unit locks its `leading_groups` row first, so concurrent changes are serialized.
 */
import { type GroupMember, type GroupRole, groupRoleLabels, type UnitPerson } from '@dutyledger/contracts';
import { and, asc, desc, eq, gt, inArray, isNull, like, lte, or, type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { writeAudit } from '../../core/audit.js';
import { type Ctx, inTx } from '../../core/context.js';
import { AppError, invalid, notFound } from '../../core/errors.js';
import { localDate } from '../../core/periods.js';
import { people, posts, units } from '../../core/schema.js';
import { requireActor, requireRecordInScope, requireUnitPermission, subtreePattern } from '../../core/scope.js';
import { regionOf } from '../../db/distribution.js';
import { leadingGroupMembers, leadingGroups } from './responsibility-schema.js';

/** Today in the Shanghai calendar (YYYY-MM-DD). */
export const today = (): string => localDate(new Date());

export type UnitRow = typeof units.$inferSelect;

/** The unit, or 404. */
export async function loadUnit(ctx: Ctx, unitId: string): Promise<UnitRow> {
  const [u] = await ctx.db.select().from(units).where(eq(units.id, unitId)).limit(1);
  if (!u) throw notFound('单位不存在或无权查看');
  return u;
}

/** 404 unless the actor may read the unit's responsibility system. */
export async function requireDutyRead(ctx: Ctx, unitId: string): Promise<UnitRow> {
  requireActor(ctx.actor);
  await requireRecordInScope(ctx.db, ctx.actor, 'duty.read', unitId);
  return loadUnit(ctx, unitId);
}

/** 403 unless the actor may change the unit's responsibility system. */
export async function requireDutyManage(ctx: Ctx, unitId: string): Promise<UnitRow> {
  requireActor(ctx.actor);
  await requireUnitPermission(ctx.db, ctx.actor, 'duty.manage', unitId);
  return loadUnit(ctx, unitId);
}

/** Inside a transaction: the unit's leading_groups row, created when missing, locked FOR UPDATE. */
export async function lockGroup(tx: Ctx, unitId: string): Promise<typeof leadingGroups.$inferSelect> {
  await tx.db
    .insert(leadingGroups)
    .values({ regionId: regionOf(unitId), unitId })
    .onConflictDoNothing();
  const [row] = await tx.db.select().from(leadingGroups).where(eq(leadingGroups.unitId, unitId)).for('update');
  return row!;
}

/** SQL: a dated row is valid on `date`. */
export const validOn = (from: AnyPgColumn, to: AnyPgColumn, date: string): SQL => and(lte(from, date), or(isNull(to), gt(to, date))) as SQL;

/** Of `ids`, those who hold no post in `unit` or one of its descendants. */
export async function outsidersOf(ctx: Ctx, unit: UnitRow, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await ctx.db
    .selectDistinct({ id: posts.personId })
    .from(posts)
    .innerJoin(units, eq(units.id, posts.unitId))
    .where(and(inArray(posts.personId, ids), like(units.path, subtreePattern(unit.path))));
  const inside = new Set(rows.map((r) => r.id));
  return ids.filter((id) => !inside.has(id));
}

/** The people of a unit: a post in the unit or its subtree (for pickers), ordered by unit then name. */
export async function listUnitPeople(ctx: Ctx, unitId: string): Promise<UnitPerson[]> {
  const unit = await requireDutyRead(ctx, unitId);
  const rows = await ctx.db
    .select({ personId: people.id, displayName: people.displayName, postTitle: posts.title, unitName: units.name, depth: units.depth })
    .from(posts)
    .innerJoin(people, eq(people.id, posts.personId))
    .innerJoin(units, eq(units.id, posts.unitId))
    .where(and(like(units.path, subtreePattern(unit.path)), eq(people.active, true)))
    .orderBy(asc(units.depth), asc(units.path), asc(people.displayName), asc(posts.id))
    .limit(2000);
  return rows.map(({ depth: _d, ...r }) => r);
}

/**
 * What the people are in the unit (for display beside a name): their post titles in the unit itself, and
 * in its subtree prefixed by the unit's name (e.g. 县委宣传部部长).
 */
export async function postTitlesIn(ctx: Ctx, unitId: string, personIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (personIds.length === 0) return out;
  const unit = await loadUnit(ctx, unitId);
  const rows = await ctx.db
    .select({ personId: posts.personId, title: posts.title, unitId: posts.unitId, unitName: units.name })
    .from(posts)
    .innerJoin(units, eq(units.id, posts.unitId))
    .where(and(like(units.path, subtreePattern(unit.path)), inArray(posts.personId, [...new Set(personIds)])))
    .orderBy(asc(units.depth), asc(posts.createdAt));
  for (const r of rows) out.set(r.personId, [...(out.get(r.personId) ?? []), r.unitId === unitId ? r.title : `${r.unitName}${r.title}`]);
  return out;
}

// ---- reads

type MemberRow = typeof leadingGroupMembers.$inferSelect;
const roleOrder = sql`CASE ${leadingGroupMembers.role} WHEN 'head' THEN 0 WHEN 'deputyHead' THEN 1 ELSE 2 END`;

async function toMembers(ctx: Ctx, unitId: string, rows: { m: MemberRow; name: string }[]): Promise<GroupMember[]> {
  const titles = await postTitlesIn(
    ctx,
    unitId,
    rows.map((r) => r.m.personId),
  );
  return rows.map(({ m, name }) => ({
    id: m.id,
    unitId: m.unitId,
    personId: m.personId,
    displayName: name,
    role: m.role as GroupRole,
    roleLabel: groupRoleLabels[m.role as GroupRole],
    postTitles: titles.get(m.personId) ?? [],
    fromDate: m.fromDate,
    toDate: m.toDate,
  }));
}

/** The members valid on `date` (组长 first). No scope check: callers check. */
export async function membersOn(ctx: Ctx, unitId: string, date: string): Promise<GroupMember[]> {
  const rows = await ctx.db
    .select({ m: leadingGroupMembers, name: people.displayName })
    .from(leadingGroupMembers)
    .innerJoin(people, eq(people.id, leadingGroupMembers.personId))
    .where(and(eq(leadingGroupMembers.unitId, unitId), validOn(leadingGroupMembers.fromDate, leadingGroupMembers.toDate, date)))
    .orderBy(roleOrder, asc(leadingGroupMembers.fromDate), asc(people.displayName));
  return toMembers(ctx, unitId, rows);
}

/** Every membership the unit ever had, newest first. No scope check: callers check. */
export async function memberHistory(ctx: Ctx, unitId: string): Promise<GroupMember[]> {
  const rows = await ctx.db
    .select({ m: leadingGroupMembers, name: people.displayName })
    .from(leadingGroupMembers)
    .innerJoin(people, eq(people.id, leadingGroupMembers.personId))
    .where(eq(leadingGroupMembers.unitId, unitId))
    .orderBy(desc(leadingGroupMembers.fromDate), roleOrder, desc(leadingGroupMembers.createdAt));
  return toMembers(ctx, unitId, rows);
}

/** "Who was 组长 (or any role) on date X": the members of `role` valid on `date`, scope-checked. */
export async function groupMembersOn(ctx: Ctx, unitId: string, date: string, role?: GroupRole): Promise<GroupMember[]> {
  await requireDutyRead(ctx, unitId);
  const all = await membersOn(ctx, unitId, date);
  return role ? all.filter((m) => m.role === role) : all;
}

export async function officeOf(ctx: Ctx, unitId: string): Promise<{ unitId: string | null; unitName: string | null; text: string }> {
  const [row] = await ctx.db
    .select({ officeUnitId: leadingGroups.officeUnitId, officeText: leadingGroups.officeText, unitName: units.name })
    .from(leadingGroups)
    .leftJoin(units, eq(units.id, leadingGroups.officeUnitId))
    .where(eq(leadingGroups.unitId, unitId))
    .limit(1);
  return { unitId: row?.officeUnitId ?? null, unitName: row?.unitName ?? null, text: row?.officeText ?? '' };
}

// ---- writes

function checkDate(field: string, value: string): string {
  const d = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value) throw invalid({ [field]: '日期不正确' });
  return value;
}

/** Sets where the group's office sits: a unit of the subtree and/or a text. */
export async function setGroupOffice(
  ctx: Ctx,
  unitId: string,
  input: { officeUnitId?: string | null; officeText?: string },
): Promise<{ unitId: string | null; unitName: string | null; text: string }> {
  const unit = await requireDutyManage(ctx, unitId);
  if (input.officeUnitId) {
    const [office] = await ctx.db
      .select({ id: units.id })
      .from(units)
      .where(and(eq(units.id, input.officeUnitId), like(units.path, subtreePattern(unit.path))))
      .limit(1);
    if (!office) throw invalid({ officeUnitId: '办公室所在单位须为本单位或下级单位' });
  }
  await inTx(ctx, async (tx) => {
    const before = await lockGroup(tx, unitId);
    const patch: Partial<typeof leadingGroups.$inferInsert> = {};
    if (input.officeUnitId !== undefined) patch.officeUnitId = input.officeUnitId;
    if (input.officeText !== undefined) patch.officeText = input.officeText;
    if (Object.keys(patch).length === 0) return;
    const [after] = await tx.db
      .update(leadingGroups)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(leadingGroups.unitId, unitId))
      .returning();
    await writeAudit(tx, { action: 'update', entity: 'leadingGroup', entityId: unitId, unitId, before, after });
  });
  return officeOf(ctx, unitId);
}

/**
 * Adds a member with `role` from `fromDate` (default today). A person already in the group gets their
 * current membership ended on `fromDate` (a change of role); a new 组长 ends the current 组长's membership.
 * `fromDate` may not lie before the start of a membership it ends (400).
 */
export async function addGroupMember(
  ctx: Ctx,
  unitId: string,
  input: { personId: string; role: GroupRole; fromDate?: string },
): Promise<GroupMember> {
  const actor = requireActor(ctx.actor);
  const unit = await requireDutyManage(ctx, unitId);
  const fromDate = checkDate('fromDate', input.fromDate ?? today());
  if ((await outsidersOf(ctx, unit, [input.personId])).length) throw invalid({ personId: '成员须为本单位或下级单位人员' });
  const id = await inTx(ctx, async (tx) => {
    const group = await lockGroup(tx, unitId);
    const open = await tx.db
      .select()
      .from(leadingGroupMembers)
      .where(and(eq(leadingGroupMembers.unitId, unitId), isNull(leadingGroupMembers.toDate)))
      .for('update');
    const same = open.find((m) => m.personId === input.personId);
    if (same && same.role === input.role) throw new AppError('CONFLICT', `该人员已是领导小组${groupRoleLabels[input.role]}`);
    const ending = open.filter((m) => m === same || (input.role === 'head' && m.role === 'head'));
    for (const m of ending) {
      if (m.fromDate > fromDate) throw invalid({ fromDate: `任职日期不能早于原任职日期（${m.fromDate}）` });
      const [after] = await tx.db.update(leadingGroupMembers).set({ toDate: fromDate }).where(eq(leadingGroupMembers.id, m.id)).returning();
      await writeAudit(tx, { action: 'end', entity: 'leadingGroupMember', entityId: m.id, unitId, before: m, after });
    }
    const [row] = await tx.db
      .insert(leadingGroupMembers)
      // co-located with the group (its foreign key on (region_id, unit_id))
      .values({ regionId: group.regionId, unitId, personId: input.personId, role: input.role, fromDate, createdBy: actor.personId || null })
      .returning();
    await writeAudit(tx, { action: 'create', entity: 'leadingGroupMember', entityId: row!.id, unitId, after: row });
    return row!.id;
  });
  const [m] = (await memberHistory(ctx, unitId)).filter((x) => x.id === id);
  return m!;
}

/** Ends a membership on `toDate` (default today): the row stays, with its dates. 409 when already ended. */
export async function endGroupMember(ctx: Ctx, memberId: string, input: { toDate?: string }): Promise<GroupMember> {
  requireActor(ctx.actor);
  const [found] = await ctx.db.select().from(leadingGroupMembers).where(eq(leadingGroupMembers.id, memberId)).limit(1);
  if (!found) throw notFound('领导小组成员不存在或无权查看');
  await requireRecordInScope(ctx.db, ctx.actor, 'duty.read', found.unitId);
  await requireDutyManage(ctx, found.unitId);
  const toDate = checkDate('toDate', input.toDate ?? today());
  await inTx(ctx, async (tx) => {
    await lockGroup(tx, found.unitId);
    const [m] = await tx.db.select().from(leadingGroupMembers).where(eq(leadingGroupMembers.id, memberId)).for('update');
    if (m!.toDate !== null) throw new AppError('ILLEGAL_TRANSITION', `该成员已于${m!.toDate}卸任`);
    if (toDate < m!.fromDate) throw invalid({ toDate: `卸任日期不能早于任职日期（${m!.fromDate}）` });
    const [after] = await tx.db.update(leadingGroupMembers).set({ toDate }).where(eq(leadingGroupMembers.id, memberId)).returning();
    await writeAudit(tx, { action: 'end', entity: 'leadingGroupMember', entityId: memberId, unitId: m!.unitId, before: m, after });
  });
  const [m] = (await memberHistory(ctx, found.unitId)).filter((x) => x.id === memberId);
  return m!;
}
