/**
 * Figures of tasks for the dashboard: counts per child subtree in one grouped query, completions per month,
 * and the caller's to-do list. Read-only; the caller (dashboard) has checked the unit is within reach.
 */
import type { TodoItem } from '@dutyledger/contracts';
import { and, asc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Ctx } from '../../core/context.js';
import { units } from '../../core/schema.js';
import { childBucket, inArea, inScope, requireActor, type UnitArea } from '../../core/scope.js';
import { tasks } from './schema.js';
import { baseQuery } from './tasks.js';

export interface TaskBucketCounts {
  open: number;
  overdue: number;
}

/** Open and overdue tasks of the units in `area`, keyed by the root's child ('' = the root itself). */
export async function taskCountsByChild(ctx: Ctx, area: UnitArea): Promise<Map<string, TaskBucketCounts>> {
  const bucket = childBucket(units.path, area.path);
  const rows = await ctx.db
    .select({
      bucket,
      open: sql<number>`count(*) FILTER (WHERE ${tasks.state} <> 'done')::int`,
      overdue: sql<number>`count(*) FILTER (WHERE ${tasks.state} <> 'done' AND ${tasks.deadline} < now())::int`,
    })
    .from(tasks)
    .innerJoin(units, eq(units.id, tasks.unitId))
    .where(inArea(units.path, area))
    .groupBy(bucket);
  return new Map(rows.map((r) => [r.bucket, { open: Number(r.open), overdue: Number(r.overdue) }]));
}

/** Tasks confirmed done per month (YYYY-MM in Asia/Shanghai) since `from`, in `area`. */
export async function tasksDoneByMonth(ctx: Ctx, area: UnitArea, from: Date): Promise<Map<string, number>> {
  const month = sql<string>`to_char(${tasks.doneAt} AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')`;
  const rows = await ctx.db
    .select({ month, n: sql<number>`count(*)::int` })
    .from(tasks)
    .innerJoin(units, eq(units.id, tasks.unitId))
    .where(and(inArea(units.path, area), eq(tasks.state, 'done'), sql`${tasks.doneAt} >= ${from}`))
    .groupBy(month);
  return new Map(rows.map((r) => [r.month, Number(r.n)]));
}

/**
 * What waits for the caller among tasks: to do for the unit they act in (or for them by name), and to confirm
 * for the unit they assign from. Ordered by deadline.
 */
export async function taskTodos(ctx: Ctx, limit: number): Promise<TodoItem[]> {
  const actor = requireActor(ctx.actor);
  const unitId = actor.post?.scopeRootId;
  if (!unitId) return [];
  const rows = await baseQuery(ctx)
    .where(
      or(
        and(
          inArray(tasks.state, ['todo', 'inProgress', 'returned']),
          inScope(ctx.actor, 'task.work', tasks.unitId),
          or(eq(tasks.assigneePersonId, actor.personId), and(isNull(tasks.assigneePersonId), eq(tasks.unitId, unitId))),
        ),
        and(eq(tasks.state, 'submitted'), eq(tasks.assignerUnitId, unitId), inScope(ctx.actor, 'task.assign', tasks.assignerUnitId)),
      ),
    )
    .orderBy(asc(tasks.deadline), asc(tasks.id))
    .limit(limit);
  const now = Date.now();
  return rows.map((r) => {
    const confirm = r.task.state === 'submitted';
    return {
      kind: confirm ? 'task.confirm' : 'task.work',
      kindLabel: confirm ? '待确认任务' : '待办任务',
      title: r.task.title,
      unitName: r.unitName,
      link: `/tasks?q=${encodeURIComponent(r.task.title)}`,
      due: r.task.deadline.toISOString(),
      overdue: r.task.state !== 'done' && r.task.deadline.getTime() < now,
    };
  });
}
