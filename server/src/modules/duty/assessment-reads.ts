/** Reads for the assessment's automatic indicators (`taskOnTimeRate`). */
import { and, eq, gte, lt, or, sql } from 'drizzle-orm';
import type { Ctx } from '../../core/context.js';
import { requireActor, requireRecordInScope } from '../../core/scope.js';
import { tasks } from './schema.js';

/**
 * 任务按期完成率 of the unit `unitId` (tasks it owns, not its subtree's) for a period: of the tasks whose
 * deadline lies in [period.start, period.end) and has passed (or that are already done), the share done no
 * later than the deadline. `rate` is null when nothing was due. Needs `task.read` on the unit (404).
 */
export async function taskOnTimeRate(
  ctx: Ctx,
  unitId: string,
  period: { start: Date; end: Date },
): Promise<{ due: number; onTime: number; rate: number | null }> {
  requireActor(ctx.actor);
  await requireRecordInScope(ctx.db, ctx.actor, 'task.read', unitId);
  const [row] = await ctx.db
    .select({
      due: sql<number>`count(*)::int`,
      onTime: sql<number>`(count(*) FILTER (WHERE ${tasks.state} = 'done' AND ${tasks.doneAt} <= ${tasks.deadline}))::int`,
    })
    .from(tasks)
    .where(
      and(
        eq(tasks.unitId, unitId),
        gte(tasks.deadline, period.start),
        lt(tasks.deadline, period.end),
        or(lt(tasks.deadline, sql`now()`), eq(tasks.state, 'done')),
      ),
    );
  const due = row?.due ?? 0;
  const onTime = row?.onTime ?? 0;
  return { due, onTime, rate: due === 0 ? null : onTime / due };
}
