/**
 * Duty assignments (责任分工) of a unit: 主体责任 (borne by the unit's committee, a text), 第一责任人 (the
 * secretary), 直接责任人 (分管领导) and 一岗双责 (each leading member with the areas, departments / subordinate
 * units and contact points in their charge). Kept with history like memberships (groups.ts): a new
 * 第一责任人 ends the previous one's row; a member's new 一岗双责 row ends their previous one.
 *
 * Vacancies (空缺) are computed, never stored: `unitVacancies` for one unit, `dutyVacancies` for the
 * units of a subtree (the dashboard uses it), both in SQL.
 */
import {
  type CreateAssignmentBody,
  type DutyAssignment,
  type DutyKind,
  dutyKindLabels,
  type ResponsibilityHistory,
  type UnitResponsibility,
  type UnitType,
  type UnitVacancies,
  type Vacancy,
  type VacancyKind,
  vacancyLabels,
} from '@dutyledger/contracts';
import { and, asc, desc, eq, inArray, isNull, like, ne, type SQL, sql } from 'drizzle-orm';
import { writeAudit } from '../../core/audit.js';
import { type Ctx, inTx } from '../../core/context.js';
import { AppError, invalid, notFound } from '../../core/errors.js';
import { people, units } from '../../core/schema.js';
import { inScope, requireActor, requireRecordInScope, subtreePattern } from '../../core/scope.js';
import {
  lockGroup,
  memberHistory,
  membersOn,
  officeOf,
  outsidersOf,
  requireDutyManage,
  requireDutyRead,
  today,
  validOn,
} from './groups.js';
import { dutyAssignments, leadingGroupMembers, leadingGroups } from './responsibility-schema.js';

type AssignmentRow = typeof dutyAssignments.$inferSelect;

/** Departments (部门/科室) answer only for a 第一责任人 (their head); the other checks are a committee's. */
export const DEPARTMENT: UnitType = '部门/科室';

async function toAssignments(ctx: Ctx, rows: { a: AssignmentRow; name: string | null }[]): Promise<DutyAssignment[]> {
  const ids = [...new Set(rows.flatMap((r) => r.a.chargeUnitIds))];
  const charge = ids.length
    ? await ctx.db.select({ id: units.id, name: units.name, type: units.type }).from(units).where(inArray(units.id, ids))
    : [];
  const byId = new Map(charge.map((u) => [u.id, { ...u, type: u.type as UnitType }]));
  return rows.map(({ a, name }) => ({
    id: a.id,
    unitId: a.unitId,
    kind: a.kind as DutyKind,
    kindLabel: dutyKindLabels[a.kind as DutyKind],
    personId: a.personId,
    displayName: name,
    bodyName: a.bodyName,
    areas: a.areas,
    chargeUnits: a.chargeUnitIds.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : [])),
    contactPoints: a.contactPoints,
    note: a.note,
    fromDate: a.fromDate,
    toDate: a.toDate,
  }));
}

const kindOrder = sql`CASE ${dutyAssignments.kind} WHEN 'principal' THEN 0 WHEN 'first' THEN 1 WHEN 'direct' THEN 2 ELSE 3 END`;

/** The assignments of units valid on `date`. No scope check: callers check. */
export async function assignmentsOn(ctx: Ctx, unitIds: string[], date: string, kind?: DutyKind): Promise<DutyAssignment[]> {
  if (unitIds.length === 0) return [];
  const conds: (SQL | undefined)[] = [
    inArray(dutyAssignments.unitId, unitIds),
    validOn(dutyAssignments.fromDate, dutyAssignments.toDate, date),
  ];
  if (kind) conds.push(eq(dutyAssignments.kind, kind));
  const rows = await ctx.db
    .select({ a: dutyAssignments, name: people.displayName })
    .from(dutyAssignments)
    .leftJoin(people, eq(people.id, dutyAssignments.personId))
    .where(and(...conds))
    .orderBy(kindOrder, asc(dutyAssignments.fromDate), asc(people.displayName));
  return toAssignments(ctx, rows);
}

async function assignmentHistory(ctx: Ctx, unitId: string): Promise<DutyAssignment[]> {
  const rows = await ctx.db
    .select({ a: dutyAssignments, name: people.displayName })
    .from(dutyAssignments)
    .leftJoin(people, eq(people.id, dutyAssignments.personId))
    .where(eq(dutyAssignments.unitId, unitId))
    .orderBy(desc(dutyAssignments.fromDate), kindOrder, desc(dutyAssignments.createdAt));
  return toAssignments(ctx, rows);
}

// ---- vacancies

const v = (kind: VacancyKind, detail = '', personId: string | null = null): Vacancy => ({
  kind,
  label: vacancyLabels[kind],
  personId,
  detail,
});

/** Vacancies of the units matching `where` (a condition on `units`), on `date`, in SQL. */
async function computeVacancies(ctx: Ctx, where: SQL, date: string): Promise<UnitVacancies[]> {
  // qualified by hand: in a single-table select Drizzle leaves columns unqualified, and inside the
  // subqueries a bare "id" would name the subquery's own column
  const unitId = sql.raw('"units"."id"');
  const held = (kind: DutyKind) =>
    sql<boolean>`EXISTS (SELECT 1 FROM ${dutyAssignments} WHERE ${dutyAssignments.unitId} = ${unitId} AND ${dutyAssignments.kind} = ${kind} AND ${validOn(dutyAssignments.fromDate, dutyAssignments.toDate, date)})`;
  const rows = await ctx.db
    .select({
      id: units.id,
      name: units.name,
      type: units.type,
      depth: units.depth,
      principal: held('principal'),
      first: held('first'),
      direct: held('direct'),
      head: sql<boolean>`EXISTS (SELECT 1 FROM ${leadingGroupMembers} WHERE ${leadingGroupMembers.unitId} = ${unitId} AND ${leadingGroupMembers.role} = 'head' AND ${validOn(leadingGroupMembers.fromDate, leadingGroupMembers.toDate, date)})`,
      office: sql<boolean>`EXISTS (SELECT 1 FROM ${leadingGroups} WHERE ${leadingGroups.unitId} = ${unitId} AND (${leadingGroups.officeUnitId} IS NOT NULL OR ${leadingGroups.officeText} <> ''))`,
    })
    .from(units)
    .where(and(where, eq(units.active, true)))
    .orderBy(asc(units.path))
    .limit(5000);
  const ids = rows.map((r) => r.id);
  const idle = ids.length
    ? await ctx.db
        .select({ unitId: dutyAssignments.unitId, personId: dutyAssignments.personId, name: people.displayName })
        .from(dutyAssignments)
        .innerJoin(people, eq(people.id, dutyAssignments.personId))
        .where(
          and(
            inArray(dutyAssignments.unitId, ids),
            eq(dutyAssignments.kind, 'dual'),
            validOn(dutyAssignments.fromDate, dutyAssignments.toDate, date),
            sql`cardinality(${dutyAssignments.areas}) = 0`,
            sql`cardinality(${dutyAssignments.chargeUnitIds}) = 0`,
            sql`cardinality(${dutyAssignments.contactPoints}) = 0`,
          ),
        )
        .orderBy(asc(people.displayName))
    : [];
  // members of the group (other than 组长) without a 一岗双责 assignment in the unit: nothing in their charge
  const unassigned = ids.length
    ? await ctx.db
        .select({ unitId: leadingGroupMembers.unitId, personId: leadingGroupMembers.personId, name: people.displayName })
        .from(leadingGroupMembers)
        .innerJoin(people, eq(people.id, leadingGroupMembers.personId))
        .where(
          and(
            inArray(leadingGroupMembers.unitId, ids),
            ne(leadingGroupMembers.role, 'head'),
            validOn(leadingGroupMembers.fromDate, leadingGroupMembers.toDate, date),
            sql`NOT EXISTS (SELECT 1 FROM ${dutyAssignments} WHERE ${dutyAssignments.unitId} = ${leadingGroupMembers.unitId} AND ${dutyAssignments.personId} = ${leadingGroupMembers.personId} AND ${dutyAssignments.kind} = 'dual' AND ${validOn(dutyAssignments.fromDate, dutyAssignments.toDate, date)})`,
          ),
        )
        .orderBy(asc(people.displayName))
    : [];
  return rows.map((r) => {
    const list: Vacancy[] = [];
    const dept = r.type === DEPARTMENT;
    if (!dept && !r.principal) list.push(v('noPrincipal'));
    if (!r.first) list.push(v('noFirst'));
    if (!dept && !r.direct) list.push(v('noDirect'));
    if (!dept && !r.head) list.push(v('noHead'));
    if (!dept && !r.office) list.push(v('noOffice'));
    for (const d of idle.filter((x) => x.unitId === r.id)) list.push(v('dualWithoutCharge', d.name, d.personId));
    if (!dept) for (const m of unassigned.filter((x) => x.unitId === r.id)) list.push(v('memberWithoutDuty', m.name, m.personId));
    return { unitId: r.id, unitName: r.name, unitType: r.type as UnitType, depth: r.depth, vacancies: list };
  });
}

/** The vacancies of one unit on `date` (no scope check: callers check). */
export async function unitVacancies(ctx: Ctx, unitId: string, date = today()): Promise<Vacancy[]> {
  const [row] = await computeVacancies(ctx, eq(units.id, unitId), date);
  return row?.vacancies ?? [];
}

/**
 * The units of `rootUnitId`'s subtree (the root included) that have vacancies today, within the actor's
 * `duty.read` reach. 404 when the root is out of reach. For the dashboard.
 */
export async function dutyVacancies(ctx: Ctx, rootUnitId: string, date = today()): Promise<UnitVacancies[]> {
  const root = await requireDutyRead(ctx, rootUnitId);
  const all = await computeVacancies(
    ctx,
    and(like(units.path, subtreePattern(root.path)), inScope(ctx.actor, 'duty.read', units.id)) as SQL,
    date,
  );
  return all.filter((u) => u.vacancies.length > 0);
}

// ---- the unit's page

export async function getUnitResponsibility(ctx: Ctx, unitId: string, date = today()): Promise<UnitResponsibility> {
  const unit = await requireDutyRead(ctx, unitId);
  return {
    unitId,
    unitName: unit.name,
    unitType: unit.type as UnitType,
    date,
    office: await officeOf(ctx, unitId),
    members: await membersOn(ctx, unitId, date),
    assignments: await assignmentsOn(ctx, [unitId], date),
    vacancies: await unitVacancies(ctx, unitId, date),
  };
}

export async function getResponsibilityHistory(ctx: Ctx, unitId: string): Promise<ResponsibilityHistory> {
  await requireDutyRead(ctx, unitId);
  return { members: await memberHistory(ctx, unitId), assignments: await assignmentHistory(ctx, unitId) };
}

// ---- writes

function checkDate(field: string, value: string): string {
  const d = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value) throw invalid({ [field]: '日期不正确' });
  return value;
}

/** Validates the input against the unit: who may bear which kind, what may be in a member's charge. */
async function checkAssignment(ctx: Ctx, unit: typeof units.$inferSelect, input: CreateAssignmentBody): Promise<void> {
  const fields: Record<string, string> = {};
  if (input.kind === 'principal') {
    if (input.personId) fields.personId = '主体责任由单位党组织承担，无需选择人员';
  } else if (!input.personId) {
    fields.personId = `请选择${dutyKindLabels[input.kind]}`;
  } else if ((await outsidersOf(ctx, unit, [input.personId])).length) {
    fields.personId = '责任人须为本单位或下级单位人员';
  }
  const isDual = input.kind === 'dual';
  if (!isDual && (input.areas.length || input.chargeUnitIds.length || input.contactPoints.length)) {
    fields.chargeUnitIds = '分管范围只适用于一岗双责';
  }
  const ids = [...new Set(input.chargeUnitIds)];
  if (ids.length !== input.chargeUnitIds.length) fields.chargeUnitIds = '分管单位重复';
  else if (ids.length) {
    const inside = await ctx.db
      .select({ id: units.id })
      .from(units)
      .where(and(inArray(units.id, ids), like(units.path, subtreePattern(unit.path)), ne(units.id, unit.id)));
    if (inside.length !== ids.length) fields.chargeUnitIds = '分管单位须为本单位的下级单位或部门';
  }
  if (Object.keys(fields).length) throw invalid(fields);
}

/**
 * Records an assignment from `fromDate` (default today). It replaces (ends on `fromDate`) the current
 * row it supersedes: for 主体责任 / 第一责任人 / 直接责任人 the current holder of the kind, for 一岗双责 the
 * same member's current row.
 */
export async function createAssignment(ctx: Ctx, unitId: string, input: CreateAssignmentBody): Promise<DutyAssignment> {
  const actor = requireActor(ctx.actor);
  const unit = await requireDutyManage(ctx, unitId);
  const fromDate = checkDate('fromDate', input.fromDate ?? today());
  await checkAssignment(ctx, unit, input);
  const id = await inTx(ctx, async (tx) => {
    const group = await lockGroup(tx, unitId);
    const superseded = await tx.db
      .select()
      .from(dutyAssignments)
      .where(
        and(
          eq(dutyAssignments.unitId, unitId),
          eq(dutyAssignments.kind, input.kind),
          isNull(dutyAssignments.toDate),
          input.kind === 'dual' ? eq(dutyAssignments.personId, input.personId!) : undefined,
        ),
      )
      .for('update');
    for (const a of superseded) {
      if (a.fromDate > fromDate) throw invalid({ fromDate: `起始日期不能早于现有分工的起始日期（${a.fromDate}）` });
      const [after] = await tx.db.update(dutyAssignments).set({ toDate: fromDate }).where(eq(dutyAssignments.id, a.id)).returning();
      await writeAudit(tx, { action: 'end', entity: 'dutyAssignment', entityId: a.id, unitId, before: a, after });
    }
    const [row] = await tx.db
      .insert(dutyAssignments)
      .values({
        // co-located with the group (its foreign key on (region_id, unit_id))
        regionId: group.regionId,
        unitId,
        kind: input.kind,
        personId: input.kind === 'principal' ? null : input.personId!,
        bodyName: input.kind === 'principal' ? input.bodyName || unit.name : (input.bodyName ?? ''),
        areas: [...new Set(input.areas)],
        chargeUnitIds: input.chargeUnitIds,
        contactPoints: [...new Set(input.contactPoints)],
        note: input.note,
        fromDate,
        createdBy: actor.personId || null,
      })
      .returning();
    await writeAudit(tx, { action: 'create', entity: 'dutyAssignment', entityId: row!.id, unitId, after: row });
    return row!.id;
  });
  return (await assignmentHistory(ctx, unitId)).find((a) => a.id === id)!;
}

/** Ends an assignment on `toDate` (default today); the row stays. 409 when already ended. */
export async function endAssignment(ctx: Ctx, id: string, input: { toDate?: string }): Promise<DutyAssignment> {
  requireActor(ctx.actor);
  const [found] = await ctx.db.select().from(dutyAssignments).where(eq(dutyAssignments.id, id)).limit(1);
  if (!found) throw notFound('责任分工不存在或无权查看');
  await requireRecordInScope(ctx.db, ctx.actor, 'duty.read', found.unitId);
  await requireDutyManage(ctx, found.unitId);
  const toDate = checkDate('toDate', input.toDate ?? today());
  await inTx(ctx, async (tx) => {
    await lockGroup(tx, found.unitId);
    const [a] = await tx.db.select().from(dutyAssignments).where(eq(dutyAssignments.id, id)).for('update');
    if (a!.toDate !== null) throw new AppError('ILLEGAL_TRANSITION', `该分工已于${a!.toDate}终止`);
    if (toDate < a!.fromDate) throw invalid({ toDate: `终止日期不能早于起始日期（${a!.fromDate}）` });
    const [after] = await tx.db.update(dutyAssignments).set({ toDate }).where(eq(dutyAssignments.id, id)).returning();
    await writeAudit(tx, { action: 'end', entity: 'dutyAssignment', entityId: id, unitId: a!.unitId, before: a, after });
  });
  return (await assignmentHistory(ctx, found.unitId)).find((a) => a.id === id)!;
}
