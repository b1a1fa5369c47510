/**
 * Org scope: the one helper every service uses to decide which units an actor reaches.
 *
 * A post acts in its scope root (its own unit by default). For a permission, the post's roles that grant
 * it decide the reach: if any of them is subtree-wide, the reach is the scope root and all its
 * descendants; otherwise the scope root alone. Never siblings, never ancestors.
 *
 * Outside the reach: a record answers 404 (no existence leak), a unit-level action answers 403.
 */
import { type Permission, roles } from '@dutyledger/contracts';
import { and, eq, like, type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Db } from '../db/client.js';
import type { Actor } from './context.js';
import { AppError, forbidden, notFound } from './errors.js';
import { units } from './schema.js';
import { escapeLike } from './search.js';

export interface Reach {
  rootId: string;
  rootPath: string;
  subtree: boolean;
}

export function requireActor(actor: Actor | null): Actor {
  if (!actor) throw new AppError('UNAUTHENTICATED');
  return actor;
}

/** The reach of the actor's current post for a permission, or null when no role grants it. */
export function reachOf(actor: Actor | null, perm: Permission): Reach | null {
  const post = actor?.post;
  if (!post) return null;
  const granting = post.roles.filter((r) => roles[r]?.permissions.includes(perm));
  if (granting.length === 0) return null;
  return { rootId: post.scopeRootId, rootPath: post.scopeRootPath, subtree: granting.some((r) => roles[r].subtree) };
}

export function hasPermission(actor: Actor | null, perm: Permission): boolean {
  return reachOf(actor, perm) !== null;
}

/** All permissions the actor's current post grants (for the UI's menu). */
export function permissionsOf(actor: Actor | null): Permission[] {
  const post = actor?.post;
  if (!post) return [];
  return [...new Set(post.roles.flatMap((r) => roles[r]?.permissions ?? []))];
}

/** LIKE pattern of a path prefix, with LIKE's metacharacters escaped (paths hold uuids and '/', but be safe). */
export function subtreePattern(path: string): string {
  return `${escapeLike(path)}%`;
}

/** A unit area: the subtree under `path`, or the unit at `path` alone. */
export interface UnitArea {
  path: string;
  subtree: boolean;
}

/** SQL: the unit path in `pathColumn` lies in `area`. */
export function inArea(pathColumn: AnyPgColumn, area: UnitArea): SQL {
  return area.subtree ? like(pathColumn, subtreePattern(area.path)) : eq(pathColumn, area.path);
}

/**
 * For figures per child unit: SQL giving, for a unit path within the subtree of `rootPath`, the id of the
 * root's child whose subtree holds it ('' for the root itself). Paths are '/<uuid>/<uuid>/…/', so the child's
 * id is the 36 characters after the root's path. Group by it after filtering `path LIKE subtreePattern(rootPath)`.
 */
export function childBucket(pathColumn: AnyPgColumn | SQL, rootPath: string): SQL<string> {
  // the offset is inlined (an integer, not user input): a bound parameter would make GROUP BY see another expression
  return sql<string>`substr(${pathColumn}, ${sql.raw(String(rootPath.length + 1))}, 36)`;
}

/**
 * SQL condition "the unit in `unitColumn` is within the actor's reach for `perm`", for list queries.
 * False when the actor has no such permission.
 */
export function inScope(actor: Actor | null, perm: Permission, unitColumn: AnyPgColumn | SQL): SQL {
  const reach = reachOf(actor, perm);
  if (!reach) return sql`false`;
  if (!reach.subtree) return sql`${unitColumn} = ${reach.rootId}`;
  return sql`${unitColumn} IN (SELECT ${units.id} FROM ${units} WHERE ${like(units.path, subtreePattern(reach.rootPath))})`;
}

/**
 * SQL condition "the unit in any of `unitColumns` is within the actor's reach for `perm`", for a record that
 * belongs to two units (a task: its assignee unit and its assigner unit).
 *
 * `a IN (subquery) OR b IN (subquery)` cannot become semi-joins, so PostgreSQL filters every row of the table
 * against two hashed subplans (a task list of a county in the province tree: 39 ms over 92,862 tasks). Written
 * as `a = ANY(ARRAY(subquery))`, each subtree is read once (an InitPlan) and each arm is an index condition that
 * a BitmapOr combines (1.5 ms). For a reach over the whole province it is the other way round (70 against 37 ms:
 * 30,000 index probes per arm), but that reach is held by a handful of people. See bench/BENCHMARKS.md.
 */
export function inScopeOfAny(actor: Actor | null, perm: Permission, unitColumns: (AnyPgColumn | SQL)[]): SQL {
  const reach = reachOf(actor, perm);
  if (!reach) return sql`false`;
  const arms = unitColumns.map((c) =>
    reach.subtree
      ? sql`${c} = ANY(ARRAY(SELECT ${units.id} FROM ${units} WHERE ${like(units.path, subtreePattern(reach.rootPath))}))`
      : sql`${c} = ${reach.rootId}`,
  );
  return sql`(${sql.join(arms, sql` OR `)})`;
}

/** Whether `unitId` is within the actor's reach for `perm` (one indexed query). */
export async function canInUnit(db: Db, actor: Actor | null, perm: Permission, unitId: string): Promise<boolean> {
  const reach = reachOf(actor, perm);
  if (!reach) return false;
  if (!reach.subtree) return unitId === reach.rootId;
  const rows = await db
    .select({ id: units.id })
    .from(units)
    .where(and(eq(units.id, unitId), like(units.path, subtreePattern(reach.rootPath))))
    .limit(1);
  return rows.length > 0;
}

/** For a unit-level action (create in, configure): 403 outside the reach. */
export async function requireUnitPermission(db: Db, actor: Actor | null, perm: Permission, unitId: string): Promise<void> {
  requireActor(actor);
  if (!(await canInUnit(db, actor, perm, unitId))) throw forbidden();
}

/** For a record owned by `unitId`: 404 outside the reach, so that its existence does not leak. */
export async function requireRecordInScope(db: Db, actor: Actor | null, perm: Permission, unitId: string): Promise<void> {
  requireActor(actor);
  if (!(await canInUnit(db, actor, perm, unitId))) throw notFound();
}

/**
 * For an action on a record owned by `unitId`: 404 when the actor cannot even read it (`read`),
 * 403 when they can read it but `write` is not theirs there.
 */
export async function requireRecordAction(
  db: Db,
  actor: Actor | null,
  perms: { read: Permission; write: Permission },
  unitId: string,
): Promise<void> {
  await requireRecordInScope(db, actor, perms.read, unitId);
  if (!(await canInUnit(db, actor, perms.write, unitId))) throw forbidden();
}
