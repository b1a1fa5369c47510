/**
 * Platform dictionary (where a topic appeared): global, seeded by `ensureOpinionPlatforms`, which the
 * integrator calls at start and seed (not a migration: a migrated database stays empty for restores).
 */
import type { OpinionPlatform } from '@dutyledger/contracts';
import { asc } from 'drizzle-orm';
import type { Ctx } from '../../core/context.js';
import { forbidden } from '../../core/errors.js';
import { hasPermission, requireActor } from '../../core/scope.js';
import { opinionPlatforms } from './schema.js';

export const defaultOpinionPlatforms = ['微博', '微信', '抖音', '贴吧', '新闻网站', '线下', '其他'] as const;

/** Seeds the dictionary when it is empty; idempotent and safe when two callers race. */
export async function ensureOpinionPlatforms(ctx: Ctx): Promise<void> {
  const [any] = await ctx.db.select({ id: opinionPlatforms.id }).from(opinionPlatforms).limit(1);
  if (any) return;
  await ctx.db
    .insert(opinionPlatforms)
    .values(defaultOpinionPlatforms.map((name, i) => ({ name, sort: (i + 1) * 10 })))
    .onConflictDoNothing();
}

const toPlatform = (r: typeof opinionPlatforms.$inferSelect): OpinionPlatform => ({
  id: r.id,
  name: r.name,
  sort: r.sort,
  active: r.active,
});

export async function listOpinionPlatforms(ctx: Ctx): Promise<OpinionPlatform[]> {
  if (!hasPermission(requireActor(ctx.actor), 'opinion.read')) throw forbidden();
  const rows = await ctx.db.select().from(opinionPlatforms).orderBy(asc(opinionPlatforms.sort), asc(opinionPlatforms.name));
  return rows.map(toPlatform);
}
