/**
 * A read for other modules (reports' prefill, later the ledger): the tasks of one unit (not its subtree)
 * that were done, or fell due without being done in time, within [from, to). Scope: only tasks the caller
 * may read (task.read in the assignee or assigner unit), filtered in SQL.
 */
import type { Task } from '@dutyledger/contracts';
import { and, asc, eq, gte, lt, ne, or, sql } from 'drizzle-orm';
import type { Ctx } from '../../core/context.js';
import { requireActor } from '../../core/scope.js';
import { tasks } from './schema.js';
import { baseQuery, taskReadable, toTask } from './tasks.js';

export interface UnitTasksOfPeriod {
  /** 已办结 within the period */
  done: Task[];
  /** deadline within the period and passed, and not done by the deadline (still open, or done late) */
  overdue: Task[];
}

export async function unitTasksOfPeriod(ctx: Ctx, unitId: string, from: Date, to: Date): Promise<UnitTasksOfPeriod> {
  requireActor(ctx.actor);
  const done = await baseQuery(ctx)
    .where(and(taskReadable(ctx), eq(tasks.unitId, unitId), eq(tasks.state, 'done'), gte(tasks.doneAt, from), lt(tasks.doneAt, to)))
    .orderBy(asc(tasks.doneAt), asc(tasks.id));
  const overdue = await baseQuery(ctx)
    .where(
      and(
        taskReadable(ctx),
        eq(tasks.unitId, unitId),
        gte(tasks.deadline, from),
        lt(tasks.deadline, to),
        lt(tasks.deadline, sql`now()`),
        or(ne(tasks.state, 'done'), sql`${tasks.doneAt} > ${tasks.deadline}`),
      ),
    )
    .orderBy(asc(tasks.deadline), asc(tasks.id));
  return { done: done.map(toTask), overdue: overdue.map(toTask) };
}
