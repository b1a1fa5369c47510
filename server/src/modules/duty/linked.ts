/**
 * Tasks made by other modules: a meeting resolution, a channel self-check problem, an analysis measure …
 * become a task in one call. The task records its source (type, id, label); the calling module keeps the
 * task id on its own record, in the same transaction, so the two are linked both ways.
 */
import type { Task } from '@dutyledger/contracts';
import { and, eq } from 'drizzle-orm';
import { writeAudit } from '../../core/audit.js';
import { type Ctx, inTx } from '../../core/context.js';
import { invalid, notFound } from '../../core/errors.js';
import { localDate } from '../../core/periods.js';
import { units } from '../../core/schema.js';
import { inScope, requireActor, requireUnitPermission } from '../../core/scope.js';
import { regionOf } from '../../db/distribution.js';
import { tasks } from './schema.js';
import { notifyAssignees, reloadTasks } from './tasks.js';

export interface LinkedTaskInput {
  /** the unit that assigns; the actor needs `task.assign` there */
  assignerUnitId: string;
  /** the unit that does it: the assigner unit itself or a unit within the actor's `task.assign` reach */
  assigneeUnitId: string;
  title: string;
  description?: string;
  /** ISO date-time of the deadline */
  deadline: string;
  requiredEvidence?: string;
  /** e.g. { type: 'meeting.resolution', id: `${meetingId}:${index}`, label: '会议决议：…' } */
  source: { type: string; id: string; label: string };
}

/**
 * Creates one task linked to a record of another module. Runs inside the caller's transaction when
 * called with a transaction context (the caller then stores the returned task id on its record).
 * 403 when the actor may not assign in the assigner unit, 400 when the assignee unit is out of reach.
 */
export async function createLinkedTask(ctx: Ctx, input: LinkedTaskInput): Promise<Task> {
  const actor = requireActor(ctx.actor);
  await requireUnitPermission(ctx.db, ctx.actor, 'task.assign', input.assignerUnitId);
  const [assignee] = await ctx.db
    .select({ id: units.id, name: units.name })
    .from(units)
    .where(and(eq(units.id, input.assigneeUnitId), eq(units.active, true), inScope(ctx.actor, 'task.assign', units.id)))
    .limit(1);
  if (!assignee) throw invalid({ assigneeUnitId: '承办单位不存在或不在您的交办范围内' }, '承办单位不存在或不在您的交办范围内');
  const deadline = new Date(input.deadline);
  if (Number.isNaN(deadline.getTime())) throw invalid({ deadline: '截止时间格式不正确' });
  return inTx(ctx, async (tx) => {
    const [row] = await tx.db
      .insert(tasks)
      .values({
        regionId: regionOf(assignee.id),
        unitId: assignee.id,
        assignerUnitId: input.assignerUnitId,
        assignerPersonId: actor.personId || null,
        title: input.title,
        description: input.description ?? '',
        deadline,
        requiredEvidence: input.requiredEvidence ?? '',
        sourceType: input.source.type,
        sourceId: input.source.id,
        sourceLabel: input.source.label,
      })
      .returning();
    const [assigner] = await tx.db.select({ name: units.name }).from(units).where(eq(units.id, input.assignerUnitId));
    if (!row || !assigner) throw notFound('交办单位不存在');
    await writeAudit(tx, { action: 'create', entity: 'task', entityId: row.id, unitId: row.unitId, after: row });
    await notifyAssignees(
      tx,
      row,
      `新任务：${row.title}`,
      `${assigner.name}交办（${input.source.label}），截止时间 ${localDate(row.deadline)}`,
    );
    const [task] = await reloadTasks(tx, [row.id]);
    return task!;
  });
}
