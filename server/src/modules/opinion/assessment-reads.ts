/** Reads for the assessment's automatic indicators (`eventsHandledWithin`). */
import { and, eq, gte, lt, sql } from 'drizzle-orm';
import type { Ctx } from '../../core/context.js';
import { requireActor, requireRecordInScope } from '../../core/scope.js';
import { opinionEvents } from './schema.js';

/**
 * 舆情事件及时处置率 of the unit `unitId` (events it handles, not its subtree's) for a period: of the events
 * first seen in [period.start, period.end), the share closed within `days` days of first being seen.
 * `rate` is null when there was no event. Needs `opinion.read` on the unit (404).
 */
export async function eventsHandledWithin(
  ctx: Ctx,
  unitId: string,
  period: { start: Date; end: Date },
  days: number,
): Promise<{ total: number; handled: number; rate: number | null }> {
  requireActor(ctx.actor);
  await requireRecordInScope(ctx.db, ctx.actor, 'opinion.read', unitId);
  const [row] = await ctx.db
    .select({
      total: sql<number>`count(*)::int`,
      handled: sql<number>`(count(*) FILTER (WHERE ${opinionEvents.closedAt} IS NOT NULL AND ${opinionEvents.closedAt} <= ${opinionEvents.firstSeenAt} + make_interval(days => ${days}::int)))::int`,
    })
    .from(opinionEvents)
    .where(and(eq(opinionEvents.unitId, unitId), gte(opinionEvents.firstSeenAt, period.start), lt(opinionEvents.firstSeenAt, period.end)));
  const total = row?.total ?? 0;
  const handled = row?.handled ?? 0;
  return { total, handled, rate: total === 0 ? null : handled / total };
}
