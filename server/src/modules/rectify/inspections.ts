/**
 * Inspections (巡视/巡察/督查/专项检查), their findings (问题) and the rectification items made from them, and
 * the board (整改进度).
 *
 * The inspecting unit owns an inspection: `rectify.manage` there records it, adds findings and items
 * (403 outside the reach). The inspected unit lies in the inspecting unit's subtree; an item's owner unit is
 * the inspected unit or one of its subtree. Reading needs `rectify.read` in the inspecting or inspected unit,
 * or in the owner unit of one of its items (404 otherwise).
 */
import {
  type CreateFindingBody,
  type CreateInspectionBody,
  type CreateRectifyItemBody,
  type Finding,
  type Inspection,
  type InspectionDetail,
  type InspectionKind,
  type InspectionListQuery,
  inspectionKindLabels,
  type RectifyBoard,
  type UpdateInspectionBody,
  type UpdateRectifyItemBody,
} from '@dutyledger/contracts';
import { and, asc, count, desc, eq, like, max, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { linkAttachment, listAttachmentsOf, registerAttachmentEntity } from '../../core/attachments/service.js';
import { writeAudit } from '../../core/audit.js';
import { type Ctx, inTx } from '../../core/context.js';
import { AppError, forbidden, invalid, notFound } from '../../core/errors.js';
import { people, posts, units } from '../../core/schema.js';
import { canInUnit, inScope, requireActor, requireUnitPermission, subtreePattern } from '../../core/scope.js';
import { containsPattern } from '../../core/search.js';
import { regionOf } from '../../db/distribution.js';
import { itemOverdue, itemQuery, itemReadable, notifyOwners, reloadItems, toItem } from './items.js';
import { inspections, rectifyFindings, rectifyItems } from './schema.js';

export const INSPECTION_ENTITY = 'rectify.inspection';
type InspectionRow = typeof inspections.$inferSelect;

const inspectedUnits = alias(units, 'inspected_units');

/** SQL: the inspection is readable by the actor. */
const inspectionReadable = (ctx: Ctx): SQL =>
  sql`(${inScope(ctx.actor, 'rectify.read', inspections.inspectingUnitId)} OR ${inScope(ctx.actor, 'rectify.read', inspections.inspectedUnitId)} OR EXISTS (SELECT 1 FROM ${rectifyItems} ri WHERE ri.inspection_id = ${inspections.id} AND ${inScope(ctx.actor, 'rectify.read', sql`ri.unit_id`)}))`;

const baseQuery = (ctx: Ctx) =>
  ctx.db
    .select({
      inspection: inspections,
      inspectingUnitName: units.name,
      inspectedUnitName: inspectedUnits.name,
      itemCount: sql<number>`(SELECT count(*)::int FROM ${rectifyItems} ri WHERE ri.inspection_id = ${inspections.id})`,
      signedOffCount: sql<number>`(SELECT count(*)::int FROM ${rectifyItems} ri WHERE ri.inspection_id = ${inspections.id} AND ri.state = 'signedOff')`,
      overdueCount: sql<number>`(SELECT count(*)::int FROM ${rectifyItems} ri WHERE ri.inspection_id = ${inspections.id} AND ri.state <> 'signedOff' AND ri.deadline < now())`,
      canManage: sql<boolean>`${inScope(ctx.actor, 'rectify.manage', inspections.inspectingUnitId)}`,
    })
    .from(inspections)
    .innerJoin(units, eq(units.id, inspections.inspectingUnitId))
    .innerJoin(inspectedUnits, eq(inspectedUnits.id, inspections.inspectedUnitId));

function toInspection(r: {
  inspection: InspectionRow;
  inspectingUnitName: string;
  inspectedUnitName: string;
  itemCount: number;
  signedOffCount: number;
  overdueCount: number;
  canManage: boolean;
}): Inspection {
  const i = r.inspection;
  return {
    id: i.id,
    kind: i.kind as InspectionKind,
    kindLabel: inspectionKindLabels[i.kind as InspectionKind] ?? i.kind,
    title: i.title,
    inspectingUnitId: i.inspectingUnitId,
    inspectingUnitName: r.inspectingUnitName,
    inspectingBody: i.inspectingBody,
    inspectedUnitId: i.inspectedUnitId,
    inspectedUnitName: r.inspectedUnitName,
    startedOn: i.startedOn,
    endedOn: i.endedOn,
    feedbackOn: i.feedbackOn,
    description: i.description,
    createdAt: i.createdAt.toISOString(),
    itemCount: Number(r.itemCount),
    signedOffCount: Number(r.signedOffCount),
    overdueCount: Number(r.overdueCount),
    canManage: !!r.canManage,
  };
}

/** Whether unit `inner` is `outer` or one of its descendants. */
async function within(ctx: Ctx, outer: string, inner: string): Promise<boolean> {
  const [o] = await ctx.db.select({ path: units.path }).from(units).where(eq(units.id, outer));
  if (!o) return false;
  const rows = await ctx.db
    .select({ id: units.id })
    .from(units)
    .where(and(eq(units.id, inner), like(units.path, subtreePattern(o.path))))
    .limit(1);
  return rows.length > 0;
}

function checkDates(input: { startedOn?: string; endedOn?: string | null; feedbackOn?: string | null }, current?: InspectionRow) {
  const start = input.startedOn ?? current?.startedOn;
  const end = input.endedOn === undefined ? current?.endedOn : input.endedOn;
  if (start && end && end < start) throw invalid({ endedOn: '结束日期不能早于开始日期' });
}

// ---- inspections

export async function createInspection(ctx: Ctx, input: CreateInspectionBody): Promise<InspectionDetail> {
  const actor = requireActor(ctx.actor);
  await requireUnitPermission(ctx.db, ctx.actor, 'rectify.manage', input.inspectingUnitId);
  if (!(await within(ctx, input.inspectingUnitId, input.inspectedUnitId)))
    throw invalid({ inspectedUnitId: '被检查单位须为检查单位本身或其下级单位' });
  checkDates(input);
  const id = await inTx(ctx, async (tx) => {
    const [row] = await tx.db
      .insert(inspections)
      .values({
        regionId: regionOf(input.inspectedUnitId),
        kind: input.kind,
        title: input.title,
        inspectingUnitId: input.inspectingUnitId,
        inspectingBody: input.inspectingBody,
        inspectedUnitId: input.inspectedUnitId,
        startedOn: input.startedOn,
        endedOn: input.endedOn ?? null,
        feedbackOn: input.feedbackOn ?? null,
        description: input.description,
        createdBy: actor.personId || null,
      })
      .returning();
    for (const attachmentId of input.attachmentIds ?? []) await linkAttachment(tx, attachmentId, INSPECTION_ENTITY, row!.id);
    await writeAudit(tx, { action: 'create', entity: 'inspection', entityId: row!.id, unitId: row!.inspectingUnitId, after: row });
    return row!.id;
  });
  return getInspection(ctx, id);
}

async function lockInspectionToManage(ctx: Ctx, id: string): Promise<InspectionRow> {
  const [row] = await ctx.db.select().from(inspections).where(eq(inspections.id, id)).for('update');
  if (!row) throw notFound('检查记录不存在或无权查看');
  const readable = await ctx.db
    .select({ id: inspections.id })
    .from(inspections)
    .where(and(eq(inspections.id, id), inspectionReadable(ctx)));
  if (readable.length === 0) throw notFound('检查记录不存在或无权查看');
  // readable (through either side) but not the inspecting unit's manager: 403
  if (!(await canInUnit(ctx.db, ctx.actor, 'rectify.manage', row.inspectingUnitId))) throw forbidden('只有检查单位可以管理此检查');
  return row;
}

export async function updateInspection(ctx: Ctx, id: string, input: UpdateInspectionBody): Promise<InspectionDetail> {
  requireActor(ctx.actor);
  await inTx(ctx, async (tx) => {
    const before = await lockInspectionToManage(tx, id);
    checkDates(input, before);
    const patch: Partial<InspectionRow> = {};
    for (const k of ['title', 'inspectingBody', 'startedOn', 'endedOn', 'feedbackOn', 'description'] as const)
      if (input[k] !== undefined) (patch as Record<string, unknown>)[k] = input[k];
    const links = input.attachmentIds ?? [];
    if (Object.keys(patch).length === 0 && links.length === 0) return;
    const [after] = Object.keys(patch).length
      ? await tx.db.update(inspections).set(patch).where(eq(inspections.id, id)).returning()
      : [before];
    for (const attachmentId of links) await linkAttachment(tx, attachmentId, INSPECTION_ENTITY, id);
    await writeAudit(tx, { action: 'update', entity: 'inspection', entityId: id, unitId: before.inspectingUnitId, before, after });
  });
  return getInspection(ctx, id);
}

export async function getInspection(ctx: Ctx, id: string): Promise<InspectionDetail> {
  requireActor(ctx.actor);
  const [row] = await baseQuery(ctx)
    .where(and(eq(inspections.id, id), inspectionReadable(ctx)))
    .limit(1);
  if (!row) throw notFound('检查记录不存在或无权查看');
  const findingRows = await ctx.db
    .select()
    .from(rectifyFindings)
    .where(eq(rectifyFindings.inspectionId, id))
    .orderBy(asc(rectifyFindings.seq));
  const itemRows = await itemQuery(ctx)
    .where(and(eq(rectifyItems.inspectionId, id), itemReadable(ctx)))
    .orderBy(asc(rectifyItems.createdAt), asc(rectifyItems.id));
  const items = itemRows.map(toItem);
  const findings: Finding[] = findingRows.map((f) => ({
    id: f.id,
    inspectionId: f.inspectionId,
    seq: f.seq,
    category: f.category,
    description: f.description,
    items: items.filter((i) => i.findingId === f.id),
  }));
  return { ...toInspection(row), findings, attachments: await listAttachmentsOf(ctx, INSPECTION_ENTITY, id) };
}

export async function listInspections(ctx: Ctx, q: InspectionListQuery & { page: number; pageSize: number }) {
  requireActor(ctx.actor);
  const conds: (SQL | undefined)[] = [inspectionReadable(ctx)];
  if (q.kind) conds.push(eq(inspections.kind, q.kind));
  if (q.unitId)
    conds.push(
      sql`${inspections.inspectedUnitId} IN (SELECT u.id FROM ${units} u, ${units} f WHERE f.id = ${q.unitId} AND u.path LIKE f.path || '%')`,
    );
  if (q.q)
    conds.push(sql`(${inspections.title} ILIKE ${containsPattern(q.q)} OR ${inspections.inspectingBody} ILIKE ${containsPattern(q.q)})`);
  const where = and(...conds);
  const [{ total }] = (await ctx.db.select({ total: count() }).from(inspections).where(where)) as [{ total: number }];
  const rows = await baseQuery(ctx)
    .where(where)
    .orderBy(desc(inspections.startedOn), asc(inspections.id))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  return { items: rows.map(toInspection), total, page: q.page, pageSize: q.pageSize };
}

// ---- findings and items

export async function addFinding(ctx: Ctx, inspectionId: string, input: CreateFindingBody): Promise<Finding> {
  requireActor(ctx.actor);
  return inTx(ctx, async (tx) => {
    const insp = await lockInspectionToManage(tx, inspectionId);
    const [{ last }] = (await tx.db
      .select({ last: max(rectifyFindings.seq) })
      .from(rectifyFindings)
      .where(eq(rectifyFindings.inspectionId, inspectionId))) as [{ last: number | null }];
    const [row] = await tx.db
      .insert(rectifyFindings)
      .values({ regionId: insp.regionId, inspectionId, seq: (last ?? 0) + 1, category: input.category, description: input.description })
      .returning();
    await writeAudit(tx, { action: 'create', entity: 'rectifyFinding', entityId: row!.id, unitId: insp.inspectingUnitId, after: row });
    const f = row!;
    return { id: f.id, inspectionId: f.inspectionId, seq: f.seq, category: f.category, description: f.description, items: [] };
  });
}

export async function addRectifyItem(ctx: Ctx, findingId: string, input: CreateRectifyItemBody) {
  requireActor(ctx.actor);
  const [finding] = await ctx.db.select().from(rectifyFindings).where(eq(rectifyFindings.id, findingId)).limit(1);
  if (!finding) throw notFound('问题不存在或无权查看');
  return inTx(ctx, async (tx) => {
    const insp = await lockInspectionToManage(tx, finding.inspectionId);
    const fields: Record<string, string> = {};
    if (!(await within(tx, insp.inspectedUnitId, input.unitId))) fields.unitId = '责任单位须为被检查单位或其下级单位';
    if (input.ownerPersonId) {
      const [held] = await tx.db
        .select({ id: posts.id })
        .from(posts)
        .innerJoin(people, eq(people.id, posts.personId))
        .where(and(eq(posts.personId, input.ownerPersonId), eq(posts.unitId, input.unitId), eq(people.active, true)))
        .limit(1);
      if (!held) fields.ownerPersonId = '责任人须为责任单位的在职人员';
    }
    if (Object.keys(fields).length) throw invalid(fields);
    const [row] = await tx.db
      .insert(rectifyItems)
      .values({
        regionId: insp.regionId,
        findingId,
        inspectionId: insp.id,
        inspectingUnitId: insp.inspectingUnitId,
        unitId: input.unitId,
        ownerPersonId: input.ownerPersonId ?? null,
        measure: input.measure,
        deadline: new Date(input.deadline),
        requiredEvidence: input.requiredEvidence,
      })
      .returning();
    await writeAudit(tx, { action: 'create', entity: 'rectifyItem', entityId: row!.id, unitId: row!.unitId, after: row });
    await notifyOwners(tx, row!);
    const [item] = await reloadItems(tx, [row!.id]);
    return item!;
  });
}

/**
 * Corrects an item (measure, owner, deadline, required evidence): the inspecting side, while the item is
 * not signed off (409 once it is). Audited with before and after.
 */
export async function updateRectifyItem(ctx: Ctx, id: string, input: UpdateRectifyItemBody) {
  requireActor(ctx.actor);
  return inTx(ctx, async (tx) => {
    const [before] = await tx.db.select().from(rectifyItems).where(eq(rectifyItems.id, id)).for('update');
    if (!before) throw notFound('整改事项不存在或无权查看');
    const [readable] = await tx.db
      .select({ id: rectifyItems.id })
      .from(rectifyItems)
      .innerJoin(inspections, eq(inspections.id, rectifyItems.inspectionId))
      .where(and(eq(rectifyItems.id, id), itemReadable(tx)));
    if (!readable) throw notFound('整改事项不存在或无权查看');
    if (!(await canInUnit(tx.db, tx.actor, 'rectify.manage', before.inspectingUnitId))) throw forbidden('只有检查单位可以修改整改事项');
    if (before.state === 'signedOff') throw new AppError('ILLEGAL_TRANSITION', '整改事项已销号，不能修改');
    if (input.ownerPersonId) {
      const [held] = await tx.db
        .select({ id: posts.id })
        .from(posts)
        .innerJoin(people, eq(people.id, posts.personId))
        .where(and(eq(posts.personId, input.ownerPersonId), eq(posts.unitId, before.unitId), eq(people.active, true)))
        .limit(1);
      if (!held) throw invalid({ ownerPersonId: '责任人须为责任单位的在职人员' });
    }
    const patch: Partial<typeof rectifyItems.$inferInsert> = {};
    if (input.measure !== undefined) patch.measure = input.measure;
    if (input.requiredEvidence !== undefined) patch.requiredEvidence = input.requiredEvidence;
    if (input.ownerPersonId !== undefined) patch.ownerPersonId = input.ownerPersonId;
    if (input.deadline !== undefined) patch.deadline = new Date(input.deadline);
    if (Object.keys(patch).length) {
      const [after] = await tx.db
        .update(rectifyItems)
        .set({ ...patch, version: before.version + 1 })
        .where(eq(rectifyItems.id, id))
        .returning();
      await writeAudit(tx, { action: 'update', entity: 'rectifyItem', entityId: id, unitId: before.unitId, before, after });
    }
    const [item] = await reloadItems(tx, [id]);
    return item!;
  });
}

// ---- the board

/**
 * Progress per inspection and per owner unit over the items the actor may read (optionally the owner
 * units in the subtree of `rootUnitId`), with overdue counts and how many re-checks are due.
 */
export async function rectifyBoard(ctx: Ctx, q: { rootUnitId?: string }): Promise<RectifyBoard> {
  requireActor(ctx.actor);
  const conds: (SQL | undefined)[] = [itemReadable(ctx)];
  if (q.rootUnitId) conds.push(sql`${units.path} LIKE (SELECT f.path FROM ${units} f WHERE f.id = ${q.rootUnitId}) || '%'`);
  const where = and(...conds);
  const agg = {
    total: sql<number>`count(*)::int`,
    open: sql<number>`(count(*) FILTER (WHERE ${rectifyItems.state} = 'open'))::int`,
    submitted: sql<number>`(count(*) FILTER (WHERE ${rectifyItems.state} = 'submitted'))::int`,
    signedOff: sql<number>`(count(*) FILTER (WHERE ${rectifyItems.state} = 'signedOff'))::int`,
    overdue: sql<number>`(count(*) FILTER (WHERE ${itemOverdue}))::int`,
  };
  const from = () =>
    ctx.db
      .select({
        ...agg,
        recheckDue: sql<number>`(count(*) FILTER (WHERE ${rectifyItems.state} = 'signedOff' AND ${rectifyItems.recheckDueAt} <= now()))::int`,
      })
      .from(rectifyItems)
      .innerJoin(inspections, eq(inspections.id, rectifyItems.inspectionId))
      .innerJoin(units, eq(units.id, rectifyItems.unitId));
  const byInspection = await ctx.db
    .select({ inspectionId: inspections.id, title: inspections.title, inspectedUnitName: inspectedUnits.name, ...agg })
    .from(rectifyItems)
    .innerJoin(inspections, eq(inspections.id, rectifyItems.inspectionId))
    .innerJoin(units, eq(units.id, rectifyItems.unitId))
    .innerJoin(inspectedUnits, eq(inspectedUnits.id, inspections.inspectedUnitId))
    .where(where)
    .groupBy(inspections.id, inspections.title, inspectedUnits.name, inspections.startedOn)
    .orderBy(desc(inspections.startedOn), asc(inspections.id));
  const byUnit = await ctx.db
    .select({ unitId: units.id, unitName: units.name, ...agg })
    .from(rectifyItems)
    .innerJoin(inspections, eq(inspections.id, rectifyItems.inspectionId))
    .innerJoin(units, eq(units.id, rectifyItems.unitId))
    .where(where)
    .groupBy(units.id, units.name, units.path)
    .orderBy(asc(units.path));
  const [totals] = await from().where(where);
  const { recheckDue, ...rest } = totals!;
  return { inspections: byInspection, units: byUnit, totals: rest, recheckDue };
}

// ---- attachments of an inspection (the feedback document …): linked by the managing side

registerAttachmentEntity(INSPECTION_ENTITY, async (ctx, entityId) => {
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(entityId);
  const [row] = isUuid ? await ctx.db.select().from(inspections).where(eq(inspections.id, entityId)).limit(1) : [];
  if (!row) throw notFound('检查记录不存在或无权查看');
  if (!(await canInUnit(ctx.db, ctx.actor, 'rectify.manage', row.inspectingUnitId))) throw notFound('检查记录不存在或无权查看');
});
