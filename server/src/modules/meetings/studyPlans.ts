/**
 * Monthly study plans (学习计划, [003] "按月制定学习计划"): one per unit and month, with title, content and
 * attachments. A second plan for the same unit and month is a 409 (correct the existing one instead); plans
 * are corrected in place with every change audited, never deleted (they are evidence for the monthly rule).
 * 补录 is computed like a meeting's: entered more than 30 days after the first day of its month.
 *
 * Scope: reading needs `meeting.read` in the plan's unit (404 otherwise); writing needs `studyPlan.write`.
 */
import type { CreateStudyPlanBody, StudyPlan, StudyPlanDetail, StudyPlanListQuery, UpdateStudyPlanBody } from '@dutyledger/contracts';
import { and, asc, count, desc, eq, like, type SQL, sql } from 'drizzle-orm';
import { linkAttachment, listAttachmentsOf, registerAttachmentEntity } from '../../core/attachments/service.js';
import { writeAudit } from '../../core/audit.js';
import { type Ctx, inTx } from '../../core/context.js';
import { conflict, notFound } from '../../core/errors.js';
import { daysBetween, periodOf } from '../../core/periods.js';
import { units } from '../../core/schema.js';
import { inScope, requireActor, requireRecordAction, requireUnitPermission } from '../../core/scope.js';
import { containsPattern, escapeLike } from '../../core/search.js';
import { regionOf } from '../../db/distribution.js';
import { studyPlans } from './compliance-schema.js';
import { BACKFILL_DAYS } from './meetings.js';

export const STUDY_PLAN_ENTITY = 'meetings.studyPlan';

type PlanRow = typeof studyPlans.$inferSelect;

/** UTC instant of local 00:00 on the first day of `month` (YYYY-MM). */
export function monthStartOf(month: string): Date {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return periodOf('month', y, m).start;
}

export function isPlanBackfilled(p: Pick<PlanRow, 'monthStart' | 'createdAt'>): boolean {
  return daysBetween(p.monthStart, p.createdAt) > BACKFILL_DAYS;
}

function toPlan(r: { plan: PlanRow; unitName: string }): StudyPlan {
  const p = r.plan;
  return {
    id: p.id,
    unitId: p.unitId,
    unitName: r.unitName,
    month: p.month,
    title: p.title,
    content: p.content,
    createdBy: p.createdBy,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
    backfilled: isPlanBackfilled(p),
  };
}

const baseQuery = (ctx: Ctx) =>
  ctx.db.select({ plan: studyPlans, unitName: units.name }).from(studyPlans).innerJoin(units, eq(units.id, studyPlans.unitId));
const readable = (ctx: Ctx): SQL => inScope(ctx.actor, 'meeting.read', studyPlans.unitId);

export async function createStudyPlan(ctx: Ctx, input: CreateStudyPlanBody): Promise<StudyPlanDetail> {
  const actor = requireActor(ctx.actor);
  await requireUnitPermission(ctx.db, ctx.actor, 'studyPlan.write', input.unitId);
  const id = await inTx(ctx, async (tx) => {
    // one plan per unit and month: a friendly 409 here, the unique index as the backstop for races
    const [existing] = await tx.db
      .select({ id: studyPlans.id })
      .from(studyPlans)
      .where(and(eq(studyPlans.unitId, input.unitId), eq(studyPlans.month, input.month)))
      .limit(1);
    if (existing) throw conflict(`本单位${input.month}的学习计划已存在，请修改已有计划`);
    const [row] = await tx.db
      .insert(studyPlans)
      .values({
        regionId: regionOf(input.unitId),
        unitId: input.unitId,
        month: input.month,
        monthStart: monthStartOf(input.month),
        title: input.title,
        content: input.content,
        createdBy: actor.personId || null,
      })
      .returning();
    for (const attachmentId of input.attachmentIds ?? []) await linkAttachment(tx, attachmentId, STUDY_PLAN_ENTITY, row!.id);
    await writeAudit(tx, { action: 'create', entity: 'studyPlan', entityId: row!.id, unitId: row!.unitId, after: row });
    return row!.id;
  });
  return getStudyPlan(ctx, id);
}

export async function updateStudyPlan(ctx: Ctx, id: string, input: UpdateStudyPlanBody): Promise<StudyPlanDetail> {
  requireActor(ctx.actor);
  await inTx(ctx, async (tx) => {
    const [before] = await tx.db.select().from(studyPlans).where(eq(studyPlans.id, id)).for('update');
    if (!before) throw notFound('学习计划不存在或无权查看');
    await requireRecordAction(tx.db, tx.actor, { read: 'meeting.read', write: 'studyPlan.write' }, before.unitId);
    const patch: Partial<PlanRow> = {};
    if (input.title !== undefined) patch.title = input.title;
    if (input.content !== undefined) patch.content = input.content;
    const links = input.attachmentIds ?? [];
    if (Object.keys(patch).length === 0 && links.length === 0) return;
    const [after] = await tx.db
      .update(studyPlans)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(studyPlans.id, id))
      .returning();
    for (const attachmentId of links) await linkAttachment(tx, attachmentId, STUDY_PLAN_ENTITY, id);
    await writeAudit(tx, {
      action: 'update',
      entity: 'studyPlan',
      entityId: id,
      unitId: before.unitId,
      before,
      after: { ...after, attachmentIdsAdded: links },
    });
  });
  return getStudyPlan(ctx, id);
}

export async function getStudyPlan(ctx: Ctx, id: string): Promise<StudyPlanDetail> {
  requireActor(ctx.actor);
  const [row] = await baseQuery(ctx)
    .where(and(eq(studyPlans.id, id), readable(ctx)))
    .limit(1);
  if (!row) throw notFound('学习计划不存在或无权查看');
  return { ...toPlan(row), attachments: await listAttachmentsOf(ctx, STUDY_PLAN_ENTITY, id) };
}

/** Plans readable by the actor, newest month first. */
export async function listStudyPlans(ctx: Ctx, q: StudyPlanListQuery & { page: number; pageSize: number }) {
  requireActor(ctx.actor);
  const conds: (SQL | undefined)[] = [readable(ctx)];
  if (q.unitId) conds.push(eq(studyPlans.unitId, q.unitId));
  if (q.month) conds.push(eq(studyPlans.month, q.month));
  if (q.year) conds.push(like(studyPlans.month, `${escapeLike(String(q.year))}-%`));
  if (q.q) conds.push(sql`(${studyPlans.title} ILIKE ${containsPattern(q.q)} OR ${studyPlans.content} ILIKE ${containsPattern(q.q)})`);
  const where = and(...conds);
  const [{ total }] = (await ctx.db.select({ total: count() }).from(studyPlans).where(where)) as [{ total: number }];
  const rows = await baseQuery(ctx)
    .where(where)
    .orderBy(desc(studyPlans.month), asc(units.name), asc(studyPlans.id))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  return { items: rows.map(toPlan), total, page: q.page, pageSize: q.pageSize };
}

registerAttachmentEntity(STUDY_PLAN_ENTITY, async (ctx, entityId) => {
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(entityId);
  const [row] = isUuid
    ? await ctx.db.select({ unitId: studyPlans.unitId }).from(studyPlans).where(eq(studyPlans.id, entityId)).limit(1)
    : [];
  if (!row) throw notFound('学习计划不存在或无权查看');
  await requireRecordAction(ctx.db, ctx.actor, { read: 'meeting.read', write: 'studyPlan.write' }, row.unitId);
});
