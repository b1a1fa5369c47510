/** Who is told about a unit's report: the people whose post acts in that unit with `report.write`. */
import { roleKeys, roles } from '@dutyledger/contracts';
import { and, arrayOverlaps, eq } from 'drizzle-orm';
import type { Ctx } from '../../core/context.js';
import { notify } from '../../core/notifications/service.js';
import { people, posts } from '../../core/schema.js';

const writeRoles = roleKeys.filter((r) => roles[r].permissions.includes('report.write'));

export async function filersOf(ctx: Ctx, unitId: string): Promise<string[]> {
  const rows = await ctx.db
    .selectDistinct({ id: posts.personId })
    .from(posts)
    .innerJoin(people, eq(people.id, posts.personId))
    .where(and(eq(posts.scopeRootId, unitId), eq(people.active, true), arrayOverlaps(posts.roles, writeRoles)));
  return rows.map((r) => r.id);
}

export async function notifyFilers(
  ctx: Ctx,
  unitId: string,
  msg: { title: string; body: string; link: string; dedupeKey?: string },
): Promise<number> {
  const { created } = await notify(ctx, { personIds: await filersOf(ctx, unitId), unitId, ...msg });
  return created;
}
