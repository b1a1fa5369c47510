/** Figures of meetings for the dashboard. Read-only; the caller has checked the unit is within reach. */
import { and, eq, sql } from 'drizzle-orm';
import type { Ctx } from '../../core/context.js';
import { units } from '../../core/schema.js';
import { inArea, type UnitArea } from '../../core/scope.js';
import { meetings } from './schema.js';

/** Meetings held per month (YYYY-MM in Asia/Shanghai) since `from`, in `area`. */
export async function meetingsHeldByMonth(ctx: Ctx, area: UnitArea, from: Date): Promise<Map<string, number>> {
  const month = sql<string>`to_char(${meetings.heldAt} AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')`;
  const rows = await ctx.db
    .select({ month, n: sql<number>`count(*)::int` })
    .from(meetings)
    .innerJoin(units, eq(units.id, meetings.unitId))
    .where(and(inArea(units.path, area), sql`${meetings.heldAt} >= ${from}`))
    .groupBy(month);
  return new Map(rows.map((r) => [r.month, Number(r.n)]));
}
