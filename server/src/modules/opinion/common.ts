/** Helpers shared by the opinion module's files: own-unit checks, who in a unit is told, uuid test. */
import { type Permission, roleKeys, roles } from '@dutyledger/contracts';
import { and, arrayOverlaps, eq, type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Actor, Ctx } from '../../core/context.js';
import { people, posts } from '../../core/schema.js';
import { hasPermission } from '../../core/scope.js';

export const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);

/**
 * The actor acts for `unitId` itself (its post's scope root is that unit) and holds `perm`. Opinion events and
 * analysis drafts belong to their unit alone: subtree-wide roles of ancestors do not reach them until the
 * unit reports or escalates them.
 */
export function isOwnUnit(actor: Actor | null, perm: Permission, unitId: string): boolean {
  return !!actor?.post && hasPermission(actor, perm) && actor.post.scopeRootId === unitId;
}

/** SQL twin of `isOwnUnit` for list queries. */
export function ownUnitSql(actor: Actor | null, perm: Permission, column: AnyPgColumn | SQL): SQL {
  if (!actor?.post || !hasPermission(actor, perm)) return sql`false`;
  return sql`${column} = ${actor.post.scopeRootId}`;
}

/** Active people whose post acts for `unitId` with a role granting `perm`. */
export async function unitPeople(ctx: Ctx, unitId: string, perm: Permission): Promise<string[]> {
  const granting = roleKeys.filter((r) => roles[r].permissions.includes(perm));
  const rows = await ctx.db
    .selectDistinct({ id: posts.personId })
    .from(posts)
    .innerJoin(people, eq(people.id, posts.personId))
    .where(and(eq(posts.scopeRootId, unitId), eq(people.active, true), arrayOverlaps(posts.roles, granting)));
  return rows.map((r) => r.id);
}

export const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
