/**
 * Reads of the organization for the ledger (台账): the unit (or its subtree) and the people holding posts
 * in it, page by page. A snapshot of today, not of the period: the org tree keeps no history of posts.
 *
 * Trusted reads: the ledger module has checked `ledger.export` on the unit (and reach over the subtree).
 */
import { type RoleKey, roles } from '@dutyledger/contracts';
import { and, asc, eq, gt, like, or, type SQL } from 'drizzle-orm';
import type { Ctx } from '../../core/context.js';
import { people, posts, units } from '../../core/schema.js';
import { subtreePattern } from '../../core/scope.js';

export interface LedgerUnitInfo {
  id: string;
  name: string;
  type: string;
  path: string;
}

export async function ledgerUnitInfo(ctx: Ctx, unitId: string): Promise<LedgerUnitInfo | null> {
  const [row] = await ctx.db
    .select({ id: units.id, name: units.name, type: units.type, path: units.path })
    .from(units)
    .where(eq(units.id, unitId))
    .limit(1);
  return row ?? null;
}

export interface LedgerPostRow {
  postId: string;
  unitName: string;
  unitType: string;
  personName: string;
  title: string;
  roleLabels: string;
  createdAt: Date;
}

/** Active people's posts in the unit (or its subtree), by unit path then person. */
export async function* ledgerPostPages(
  ctx: Ctx,
  s: { unitId: string; unitPath: string; includeSubtree: boolean },
  pageSize = 500,
): AsyncGenerator<LedgerPostRow[]> {
  const unitCond: SQL = s.includeSubtree ? like(units.path, subtreePattern(s.unitPath)) : eq(units.id, s.unitId);
  let after: { path: string; id: string } | null = null;
  for (;;) {
    const rows = await postPage(ctx, unitCond, after, pageSize);
    if (rows.length === 0) return;
    yield rows.map(({ path: _path, roles: keys, ...r }) => ({
      ...r,
      roleLabels: keys.map((k) => roles[k as RoleKey]?.label ?? k).join('、'),
    }));
    if (rows.length < pageSize) return;
    const last = rows[rows.length - 1]!;
    after = { path: last.path, id: last.postId };
  }
}

function postPage(ctx: Ctx, unitCond: SQL, after: { path: string; id: string } | null, pageSize: number) {
  const cursor = after ? or(gt(units.path, after.path), and(eq(units.path, after.path), gt(posts.id, after.id))) : undefined;
  return ctx.db
    .select({
      postId: posts.id,
      path: units.path,
      unitName: units.name,
      unitType: units.type,
      personName: people.displayName,
      title: posts.title,
      roles: posts.roles,
      createdAt: posts.createdAt,
    })
    .from(posts)
    .innerJoin(units, eq(units.id, posts.unitId))
    .innerJoin(people, eq(people.id, posts.personId))
    .where(and(unitCond, eq(people.active, true), eq(units.active, true), cursor))
    .orderBy(asc(units.path), asc(posts.id))
    .limit(pageSize);
}
