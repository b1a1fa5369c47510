/**
 * Emergency plans (应急预案): versioned documents (text + attachments) with the event levels they cover and
 * the people to notify, and the drills held on them. A new version never overwrites an old one.
 *
 * Scope: `opinion.read` in the plan's unit reads it; a plan of an ancestor unit is readable too (it applies
 * below, and events may link it). `opinion.write` in the plan's unit writes (403 for a readable plan).
 */
import type {
  CreateDrillBody,
  CreatePlanVersionBody,
  CreateResponsePlanBody,
  OpinionLevel,
  ResponsePlan,
  ResponsePlanDetail,
} from '@dutyledger/contracts';
import { and, asc, count, desc, eq, inArray, max, type SQL, sql } from 'drizzle-orm';
import { linkAttachment, listAttachmentsOfEach, registerAttachmentEntity } from '../../core/attachments/service.js';
import { writeAudit } from '../../core/audit.js';
import { type Ctx, inTx } from '../../core/context.js';
import { forbidden, invalid, notFound } from '../../core/errors.js';
import { people, units } from '../../core/schema.js';
import { canInUnit, hasPermission, inScope, requireActor, requireRecordAction, requireUnitPermission } from '../../core/scope.js';
import { containsPattern } from '../../core/search.js';
import { regionOf } from '../../db/distribution.js';
import { isUuid } from './common.js';
import { responseDrills, responsePlans, responsePlanVersions } from './schema.js';

export const PLAN_VERSION_ENTITY = 'opinion.responsePlanVersion';
export const DRILL_ENTITY = 'opinion.drill';
const NOT_FOUND = '应急预案不存在或无权查看';
const perms = { read: 'opinion.read', write: 'opinion.write' } as const;

type PlanRow = typeof responsePlans.$inferSelect;

/** SQL: readable plans (in the reach, or of an ancestor of the actor's unit). */
export const planReadable = (ctx: Ctx): SQL => {
  const actor = ctx.actor;
  if (!actor?.post || !hasPermission(actor, 'opinion.read')) return sql`false`;
  return sql`(${inScope(actor, 'opinion.read', responsePlans.unitId)} OR position(('/' || ${responsePlans.unitId}::text || '/') in ${actor.post.scopeRootPath}) > 0)`;
};

async function checkPeople(ctx: Ctx, ids: string[]): Promise<string[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  const rows = await ctx.db
    .select({ id: people.id })
    .from(people)
    .where(and(inArray(people.id, unique), eq(people.active, true)));
  if (rows.length !== unique.length) throw invalid({ notifyPersonIds: '通知人员不存在或已停用' });
  return unique;
}

async function lockPlan(ctx: Ctx, id: string): Promise<PlanRow> {
  const [row] = await ctx.db.select().from(responsePlans).where(eq(responsePlans.id, id)).for('update');
  if (!row) throw notFound(NOT_FOUND);
  return row;
}

/** 404 when the plan is unreadable, 403 when readable (e.g. an ancestor's plan) but not writable. */
async function requirePlanWrite(ctx: Ctx, plan: PlanRow): Promise<void> {
  requireActor(ctx.actor);
  const [readable] = await ctx.db
    .select({ id: responsePlans.id })
    .from(responsePlans)
    .where(and(eq(responsePlans.id, plan.id), planReadable(ctx)))
    .limit(1);
  if (!readable) throw notFound(NOT_FOUND);
  if (!(await canInUnit(ctx.db, ctx.actor, 'opinion.write', plan.unitId))) throw forbidden('只有预案所属单位可以修改预案');
}

/** A version of the plan, co-located with it (its region). */
async function insertVersion(
  ctx: Ctx,
  plan: Pick<PlanRow, 'id' | 'regionId'>,
  version: number,
  input: { body: string; levels: OpinionLevel[]; notifyPersonIds: string[]; note?: string; attachmentIds?: string[] },
) {
  const [v] = await ctx.db
    .insert(responsePlanVersions)
    .values({
      regionId: plan.regionId,
      planId: plan.id,
      version,
      body: input.body,
      levels: [...new Set(input.levels)],
      notifyPersonIds: await checkPeople(ctx, input.notifyPersonIds),
      note: input.note ?? '',
      createdBy: ctx.actor?.personId || null,
    })
    .returning();
  for (const a of input.attachmentIds ?? []) await linkAttachment(ctx, a, PLAN_VERSION_ENTITY, v!.id);
  return v!;
}

export async function createResponsePlan(ctx: Ctx, input: CreateResponsePlanBody): Promise<ResponsePlanDetail> {
  const actor = requireActor(ctx.actor);
  await requireUnitPermission(ctx.db, actor, 'opinion.write', input.unitId);
  const id = await inTx(ctx, async (tx) => {
    const [row] = await tx.db
      .insert(responsePlans)
      .values({ regionId: regionOf(input.unitId), unitId: input.unitId, title: input.title, createdBy: actor.personId || null })
      .returning();
    const v = await insertVersion(tx, row!, 1, input);
    await writeAudit(tx, {
      action: 'create',
      entity: 'responsePlan',
      entityId: row!.id,
      unitId: row!.unitId,
      after: { ...row, version: v },
    });
    return row!.id;
  });
  return getResponsePlan(ctx, id);
}

export async function addResponsePlanVersion(ctx: Ctx, id: string, input: CreatePlanVersionBody): Promise<ResponsePlanDetail> {
  requireActor(ctx.actor);
  await inTx(ctx, async (tx) => {
    const before = await lockPlan(tx, id);
    await requirePlanWrite(tx, before);
    const version = before.currentVersion + 1;
    const v = await insertVersion(tx, before, version, input);
    const [after] = await tx.db
      .update(responsePlans)
      .set({ currentVersion: version, updatedAt: new Date() })
      .where(eq(responsePlans.id, id))
      .returning();
    await writeAudit(tx, {
      action: 'newVersion',
      entity: 'responsePlan',
      entityId: id,
      unitId: before.unitId,
      before,
      after: { ...after, version: v },
    });
  });
  return getResponsePlan(ctx, id);
}

export async function addResponseDrill(ctx: Ctx, id: string, input: CreateDrillBody): Promise<ResponsePlanDetail> {
  requireActor(ctx.actor);
  const heldAt = new Date(input.heldAt);
  if (heldAt.getTime() > Date.now() + 60_000) throw invalid({ heldAt: '演练时间不能晚于当前时间（未举行的演练不能登记）' });
  await inTx(ctx, async (tx) => {
    const plan = await lockPlan(tx, id);
    await requirePlanWrite(tx, plan);
    const [row] = await tx.db
      .insert(responseDrills)
      .values({
        regionId: plan.regionId,
        planId: id,
        heldAt,
        scenario: input.scenario,
        summary: input.summary,
        createdBy: tx.actor?.personId || null,
      })
      .returning();
    for (const a of input.attachmentIds ?? []) await linkAttachment(tx, a, DRILL_ENTITY, row!.id);
    await writeAudit(tx, { action: 'drill', entity: 'responsePlan', entityId: id, unitId: plan.unitId, after: row });
  });
  return getResponsePlan(ctx, id);
}

// ---- reads

const drillStats = (ctx: Ctx) =>
  ctx.db
    .select({ planId: responseDrills.planId, n: count().as('n'), last: max(responseDrills.heldAt).as('last') })
    .from(responseDrills)
    .groupBy(responseDrills.planId)
    .as('drill_stats');

const listQuery = (ctx: Ctx) => {
  const stats = drillStats(ctx);
  return ctx.db
    .select({ plan: responsePlans, unitName: units.name, levels: responsePlanVersions.levels, n: stats.n, last: stats.last })
    .from(responsePlans)
    .innerJoin(units, eq(units.id, responsePlans.unitId))
    .innerJoin(
      responsePlanVersions,
      and(eq(responsePlanVersions.planId, responsePlans.id), eq(responsePlanVersions.version, responsePlans.currentVersion)),
    )
    .leftJoin(stats, eq(stats.planId, responsePlans.id));
};

function toPlan(r: { plan: PlanRow; unitName: string; levels: string[]; n: number | null; last: Date | string | null }): ResponsePlan {
  return {
    id: r.plan.id,
    unitId: r.plan.unitId,
    unitName: r.unitName,
    title: r.plan.title,
    currentVersion: r.plan.currentVersion,
    levels: r.levels as OpinionLevel[],
    drillCount: Number(r.n ?? 0),
    lastDrillAt: r.last ? new Date(r.last).toISOString() : null,
    createdAt: r.plan.createdAt.toISOString(),
    updatedAt: r.plan.updatedAt.toISOString(),
  };
}

export async function getResponsePlan(ctx: Ctx, id: string): Promise<ResponsePlanDetail> {
  requireActor(ctx.actor);
  const [row] = await listQuery(ctx)
    .where(and(eq(responsePlans.id, id), planReadable(ctx)))
    .limit(1);
  if (!row) throw notFound(NOT_FOUND);
  const versions = await ctx.db
    .select()
    .from(responsePlanVersions)
    .where(eq(responsePlanVersions.planId, id))
    .orderBy(desc(responsePlanVersions.version));
  const personIds = [...new Set(versions.flatMap((v) => v.notifyPersonIds))];
  const names = personIds.length
    ? await ctx.db.select({ id: people.id, displayName: people.displayName }).from(people).where(inArray(people.id, personIds))
    : [];
  const nameOf = new Map(names.map((p) => [p.id, p.displayName]));
  const drills = await ctx.db
    .select()
    .from(responseDrills)
    .where(eq(responseDrills.planId, id))
    .orderBy(desc(responseDrills.heldAt), asc(responseDrills.id));
  const versionFiles = await listAttachmentsOfEach(
    ctx,
    PLAN_VERSION_ENTITY,
    versions.map((v) => v.id),
  );
  const drillFiles = await listAttachmentsOfEach(
    ctx,
    DRILL_ENTITY,
    drills.map((d) => d.id),
  );
  return {
    ...toPlan(row),
    versions: versions.map((v) => ({
      id: v.id,
      version: v.version,
      body: v.body,
      levels: v.levels as OpinionLevel[],
      notifyPeople: v.notifyPersonIds.map((p) => ({ id: p, displayName: nameOf.get(p) ?? '' })),
      note: v.note,
      createdBy: v.createdBy,
      createdAt: v.createdAt.toISOString(),
      attachments: versionFiles.get(v.id) ?? [],
    })),
    drills: drills.map((d) => ({
      id: d.id,
      heldAt: d.heldAt.toISOString(),
      scenario: d.scenario,
      summary: d.summary,
      createdBy: d.createdBy,
      createdAt: d.createdAt.toISOString(),
      attachments: drillFiles.get(d.id) ?? [],
    })),
  };
}

export async function listResponsePlans(ctx: Ctx, q: { page: number; pageSize: number; q?: string; unitId?: string }) {
  requireActor(ctx.actor);
  const conds: (SQL | undefined)[] = [planReadable(ctx)];
  if (q.unitId) conds.push(eq(responsePlans.unitId, q.unitId));
  if (q.q) conds.push(sql`${responsePlans.title} ILIKE ${containsPattern(q.q)}`);
  const where = and(...conds);
  const [{ total }] = (await ctx.db.select({ total: count() }).from(responsePlans).where(where)) as [{ total: number }];
  const rows = await listQuery(ctx)
    .where(where)
    .orderBy(desc(responsePlans.updatedAt), asc(responsePlans.id))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  return { items: rows.map(toPlan), total, page: q.page, pageSize: q.pageSize };
}

// attachments: whoever writes the plan links them to its versions and drills
registerAttachmentEntity(PLAN_VERSION_ENTITY, async (ctx, entityId) => {
  const [row] = isUuid(entityId)
    ? await ctx.db
        .select({ unitId: responsePlans.unitId })
        .from(responsePlanVersions)
        .innerJoin(responsePlans, eq(responsePlans.id, responsePlanVersions.planId))
        .where(eq(responsePlanVersions.id, entityId))
        .limit(1)
    : [];
  if (!row) throw notFound(NOT_FOUND);
  await requireRecordAction(ctx.db, ctx.actor, perms, row.unitId);
});
registerAttachmentEntity(DRILL_ENTITY, async (ctx, entityId) => {
  const [row] = isUuid(entityId)
    ? await ctx.db
        .select({ unitId: responsePlans.unitId })
        .from(responseDrills)
        .innerJoin(responsePlans, eq(responsePlans.id, responseDrills.planId))
        .where(eq(responseDrills.id, entityId))
        .limit(1)
    : [];
  if (!row) throw notFound(NOT_FOUND);
  await requireRecordAction(ctx.db, ctx.actor, perms, row.unitId);
});
