/**
 * Plans (年度工作方案 / 工作要点) and their items, and the fan-out of an item into tasks, one per unit.
 */
import type { AssignTarget, Plan, PlanDetail, PlanItem } from '@dutyledger/contracts';
import { and, asc, desc, eq, inArray, like, ne, type SQL, sql } from 'drizzle-orm';
import { writeAudit } from '../../core/audit.js';
import { type Ctx, inTx } from '../../core/context.js';
import { invalid, notFound } from '../../core/errors.js';
import { localDate } from '../../core/periods.js';
import { units } from '../../core/schema.js';
import { inScope, requireActor, requireRecordAction, requireUnitPermission, subtreePattern } from '../../core/scope.js';
import { regionOf } from '../../db/distribution.js';
import { planItems, plans, tasks } from './schema.js';
import { notifyAssignees, reloadTasks } from './tasks.js';

type PlanRow = typeof plans.$inferSelect;
const toPlan = (r: PlanRow, unitName: string): Plan => ({
  id: r.id,
  unitId: r.unitId,
  unitName,
  year: r.year,
  title: r.title,
  createdBy: r.createdBy,
  createdAt: r.createdAt.toISOString(),
});
const toItem = (r: typeof planItems.$inferSelect): PlanItem => ({
  id: r.id,
  planId: r.planId,
  section: r.section,
  title: r.title,
  sort: r.sort,
});

export async function createPlan(ctx: Ctx, input: { unitId: string; year: number; title: string }): Promise<Plan> {
  const actor = requireActor(ctx.actor);
  await requireUnitPermission(ctx.db, ctx.actor, 'plan.manage', input.unitId);
  return inTx(ctx, async (tx) => {
    const [row] = await tx.db
      .insert(plans)
      .values({ ...input, regionId: regionOf(input.unitId), createdBy: actor.personId || null })
      .returning();
    await writeAudit(tx, { action: 'create', entity: 'plan', entityId: row!.id, unitId: row!.unitId, after: row });
    const [u] = await tx.db.select({ name: units.name }).from(units).where(eq(units.id, row!.unitId));
    return toPlan(row!, u!.name);
  });
}

export async function listPlans(ctx: Ctx, q: { unitId?: string; year?: number }): Promise<Plan[]> {
  requireActor(ctx.actor);
  const conds: (SQL | undefined)[] = [inScope(ctx.actor, 'task.read', plans.unitId)];
  if (q.unitId) conds.push(eq(plans.unitId, q.unitId));
  if (q.year) conds.push(eq(plans.year, q.year));
  const rows = await ctx.db
    .select({ plan: plans, unitName: units.name })
    .from(plans)
    .innerJoin(units, eq(units.id, plans.unitId))
    .where(and(...conds))
    .orderBy(desc(plans.year), asc(units.path), asc(plans.createdAt))
    .limit(1000);
  return rows.map((r) => toPlan(r.plan, r.unitName));
}

async function loadPlan(ctx: Ctx, id: string) {
  const [row] = await ctx.db
    .select({ plan: plans, unitName: units.name })
    .from(plans)
    .innerJoin(units, eq(units.id, plans.unitId))
    .where(and(eq(plans.id, id), inScope(ctx.actor, 'task.read', plans.unitId)))
    .limit(1);
  if (!row) throw notFound('工作方案不存在或无权查看');
  return row;
}

export async function getPlan(ctx: Ctx, id: string): Promise<PlanDetail> {
  requireActor(ctx.actor);
  const row = await loadPlan(ctx, id);
  const items = await ctx.db.select().from(planItems).where(eq(planItems.planId, id)).orderBy(asc(planItems.sort), asc(planItems.title));
  return { ...toPlan(row.plan, row.unitName), items: items.map(toItem) };
}

export async function addPlanItem(ctx: Ctx, planId: string, input: { section: string; title: string; sort?: number }): Promise<PlanItem> {
  requireActor(ctx.actor);
  const { plan } = await loadPlan(ctx, planId);
  await requireRecordAction(ctx.db, ctx.actor, { read: 'task.read', write: 'plan.manage' }, plan.unitId);
  return inTx(ctx, async (tx) => {
    let sort = input.sort;
    if (sort === undefined) {
      const [{ next }] = (await tx.db
        .select({ next: sql<number>`coalesce(max(${planItems.sort}), 0) + 10` })
        .from(planItems)
        .where(eq(planItems.planId, planId))) as [{ next: number }];
      sort = Number(next);
    }
    const [row] = await tx.db
      .insert(planItems)
      .values({ regionId: plan.regionId, planId, section: input.section, title: input.title, sort })
      .returning();
    await writeAudit(tx, { action: 'create', entity: 'planItem', entityId: row!.id, unitId: plan.unitId, after: row });
    return toItem(row!);
  });
}

/**
 * The active units a target names, all within the actor's reach for `task.assign`. Explicit ids outside
 * the reach are refused (403); descendants are computed in SQL by path, within the reach.
 */
async function targetUnits(ctx: Ctx, target: AssignTarget): Promise<{ id: string; name: string }[]> {
  if (target.kind === 'units') {
    const ids = [...new Set(target.unitIds)];
    for (const id of ids) await requireUnitPermission(ctx.db, ctx.actor, 'task.assign', id);
    const rows = await ctx.db.select({ id: units.id, name: units.name, active: units.active }).from(units).where(inArray(units.id, ids));
    const inactive = rows.filter((r) => !r.active);
    if (inactive.length) throw invalid({ 'target.unitIds': `单位已停用：${inactive.map((r) => r.name).join('、')}` });
    return rows;
  }
  await requireUnitPermission(ctx.db, ctx.actor, 'task.assign', target.rootUnitId);
  const [root] = await ctx.db.select({ path: units.path }).from(units).where(eq(units.id, target.rootUnitId));
  const conds: (SQL | undefined)[] = [
    like(units.path, subtreePattern(root!.path)),
    ne(units.id, target.rootUnitId),
    eq(units.active, true),
    inScope(ctx.actor, 'task.assign', units.id),
  ];
  if (target.unitType) conds.push(eq(units.type, target.unitType));
  if (target.directChildrenOnly) conds.push(eq(units.parentId, target.rootUnitId));
  return ctx.db
    .select({ id: units.id, name: units.name })
    .from(units)
    .where(and(...conds))
    .orderBy(asc(units.path));
}

/** Fans a plan item out: one task per matching unit, in one transaction, each audited, each unit told. */
export async function assignPlanItem(
  ctx: Ctx,
  itemId: string,
  input: { target: AssignTarget; title?: string; description?: string; deadline: string; requiredEvidence?: string },
) {
  const actor = requireActor(ctx.actor);
  const [item] = await ctx.db.select().from(planItems).where(eq(planItems.id, itemId)).limit(1);
  if (!item) throw notFound('工作要点不存在或无权查看');
  const { plan } = await loadPlan(ctx, item.planId).catch(() => {
    throw notFound('工作要点不存在或无权查看');
  });
  await requireRecordAction(ctx.db, ctx.actor, { read: 'task.read', write: 'task.assign' }, plan.unitId);
  const targets = await targetUnits(ctx, input.target);
  if (targets.length === 0) throw invalid({ target: '没有符合条件的单位' }, '没有符合条件的单位');
  const deadline = new Date(input.deadline);
  return inTx(ctx, async (tx) => {
    const rows = await tx.db
      .insert(tasks)
      .values(
        targets.map((u) => ({
          // the assignee unit's region, not the plan's: the item is referred to by id only (no foreign key)
          regionId: regionOf(u.id),
          unitId: u.id,
          planItemId: item.id,
          assignerUnitId: plan.unitId,
          assignerPersonId: actor.personId || null,
          title: input.title ?? item.title,
          description: input.description ?? '',
          deadline,
          requiredEvidence: input.requiredEvidence ?? '',
        })),
      )
      .returning();
    const [assigner] = await tx.db.select({ name: units.name }).from(units).where(eq(units.id, plan.unitId));
    for (const row of rows) {
      await writeAudit(tx, { action: 'create', entity: 'task', entityId: row.id, unitId: row.unitId, after: row });
    }
    for (const row of rows) {
      await notifyAssignees(tx, row, `新任务：${row.title}`, `${assigner!.name}交办，截止时间 ${localDate(row.deadline)}`);
    }
    const out = await reloadTasks(
      tx,
      rows.map((r) => r.id),
    );
    return { created: out.length, tasks: out };
  });
}
