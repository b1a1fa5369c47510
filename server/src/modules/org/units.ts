/** Org tree: units of any depth. Subtree and ancestors via the materialized `path`, in SQL. */
import { randomUUID } from 'node:crypto';
import type { Unit, UnitType } from '@dutyledger/contracts';
import { and, asc, eq, ilike, like, sql } from 'drizzle-orm';
import { writeAudit } from '../../core/audit.js';
import { type Ctx, inTx } from '../../core/context.js';
import { AppError, conflict, invalid, notFound } from '../../core/errors.js';
import { units } from '../../core/schema.js';
import {
  canInUnit,
  inScope,
  requireActor,
  requireRecordAction,
  requireRecordInScope,
  requireUnitPermission,
  subtreePattern,
} from '../../core/scope.js';
import { containsPattern } from '../../core/search.js';
import type { Db } from '../../db/client.js';
import { rehomeSubtree } from '../../db/distribution.js';

const TREE_LOCK = 7_202_612; // serializes moves so that two concurrent moves cannot build a cycle

type UnitRow = typeof units.$inferSelect;

// the outer table named explicitly: drizzle renders a bare "id" column, which the subquery would capture
const childCount = sql<number>`(SELECT count(*)::int FROM units c WHERE c.parent_id = "units"."id")`;

function toUnit(row: UnitRow, children: number): Unit {
  return {
    id: row.id,
    parentId: row.parentId,
    name: row.name,
    type: row.type as UnitType,
    depth: row.depth,
    active: row.active,
    sortOrder: row.sortOrder,
    childCount: children,
  };
}

/** A unit row by id, with a row lock when inside a transaction that will change it. */
async function loadUnit(db: Db, id: string, forUpdate = false): Promise<UnitRow> {
  const q = db.select().from(units).where(eq(units.id, id)).limit(1);
  const [row] = forUpdate ? await q.for('update') : await q;
  if (!row) throw notFound();
  return row;
}

async function unitWithCount(db: Db, id: string): Promise<Unit> {
  const [row] = await db.select({ unit: units, childCount }).from(units).where(eq(units.id, id));
  if (!row) throw notFound();
  return toUnit(row.unit, row.childCount);
}

export async function listUnits(ctx: Ctx, query: { q?: string; type?: UnitType; includeInactive?: 'true' | 'false' }): Promise<Unit[]> {
  requireActor(ctx.actor);
  const conds = [inScope(ctx.actor, 'unit.read', units.id)];
  if (query.includeInactive !== 'true') conds.push(eq(units.active, true));
  if (query.type) conds.push(eq(units.type, query.type));
  if (query.q) conds.push(ilike(units.name, containsPattern(query.q)));
  const rows = await ctx.db
    .select({ unit: units, childCount })
    .from(units)
    .where(and(...conds))
    .orderBy(asc(units.depth), asc(units.sortOrder), asc(units.name));
  return rows.map((r) => toUnit(r.unit, r.childCount));
}

export async function getUnit(ctx: Ctx, id: string): Promise<Unit & { ancestors: { id: string; name: string }[] }> {
  const row = await loadUnit(ctx.db, id);
  await requireRecordInScope(ctx.db, ctx.actor, 'unit.read', row.id);
  const ancestorIds = row.path.split('/').filter((x) => x && x !== row.id);
  const ancestors = ancestorIds.length
    ? await ctx.db
        .select({ id: units.id, name: units.name, depth: units.depth })
        .from(units)
        .where(and(sql`${units.id} IN ${ancestorIds}`, inScope(ctx.actor, 'unit.read', units.id)))
        .orderBy(asc(units.depth))
    : [];
  return { ...(await unitWithCount(ctx.db, id)), ancestors: ancestors.map(({ id: aid, name }) => ({ id: aid, name })) };
}

/** Whether `ancestorId` is `unitId` itself or one of its ancestors. */
export async function isAncestorOrSelf(db: Db, ancestorId: string, unitId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: units.id })
    .from(units)
    .where(and(eq(units.id, unitId), like(units.path, sql`'%/' || ${ancestorId}::text || '/%'`)))
    .limit(1);
  return !!row;
}

export async function createUnit(ctx: Ctx, input: { parentId: string; name: string; type: UnitType; sortOrder?: number }): Promise<Unit> {
  await requireUnitPermission(ctx.db, ctx.actor, 'unit.manage', input.parentId);
  return inTx(ctx, async (tx) => {
    const parent = await loadUnit(tx.db, input.parentId, true);
    if (!parent.active) throw invalid({ parentId: '上级单位已停用' });
    await assertNameFree(tx.db, input.parentId, input.name);
    const id = randomUUID();
    const [row] = await tx.db
      .insert(units)
      .values({
        id,
        parentId: parent.id,
        name: input.name,
        type: input.type,
        path: `${parent.path}${id}/`,
        depth: parent.depth + 1,
        sortOrder: input.sortOrder ?? 0,
      })
      .returning();
    await writeAudit(tx, { action: 'create', entity: 'unit', entityId: id, unitId: id, after: row });
    return toUnit(row!, 0);
  });
}

async function assertNameFree(db: Db, parentId: string, name: string, exceptId?: string) {
  const [dup] = await db
    .select({ id: units.id })
    .from(units)
    .where(and(eq(units.parentId, parentId), eq(units.name, name)))
    .limit(1);
  if (dup && dup.id !== exceptId) throw new AppError('CONFLICT', '同一上级单位下已有同名单位', { name: '同一上级单位下已有同名单位' });
}

const manage = { read: 'unit.read', write: 'unit.manage' } as const;

export async function updateUnit(ctx: Ctx, id: string, patch: { name?: string; type?: UnitType; sortOrder?: number }): Promise<Unit> {
  await requireRecordAction(ctx.db, ctx.actor, manage, id);
  return inTx(ctx, async (tx) => {
    const before = await loadUnit(tx.db, id, true);
    if (patch.name !== undefined && patch.name !== before.name && before.parentId)
      await assertNameFree(tx.db, before.parentId, patch.name, id);
    const [after] = await tx.db
      .update(units)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(units.id, id))
      .returning();
    await writeAudit(tx, { action: 'update', entity: 'unit', entityId: id, unitId: id, before, after });
    return unitWithCount(tx.db, id);
  });
}

/** Moves a unit (and its subtree) under a new parent. Under its own subtree → 409, nothing changes. */
export async function moveUnit(ctx: Ctx, id: string, newParentId: string): Promise<Unit> {
  await requireRecordAction(ctx.db, ctx.actor, manage, id);
  if (!(await canInUnit(ctx.db, ctx.actor, 'unit.manage', newParentId))) {
    throw new AppError('FORBIDDEN', '没有权限移动到该上级单位');
  }
  return inTx(ctx, async (tx) => {
    await tx.db.execute(sql`SELECT pg_advisory_xact_lock(${TREE_LOCK})`);
    const unit = await loadUnit(tx.db, id, true);
    const parent = await loadUnit(tx.db, newParentId, true);
    if (parent.path.startsWith(unit.path)) throw conflict('不能移动到本单位或其下级单位之下');
    if (!unit.parentId) throw conflict('不能移动顶级单位');
    if (unit.parentId === parent.id) return unitWithCount(tx.db, id);
    if (!parent.active) throw invalid({ parentId: '上级单位已停用' });
    await assertNameFree(tx.db, parent.id, unit.name, id);
    const newPath = `${parent.path}${unit.id}/`;
    const delta = parent.depth + 1 - unit.depth;
    await tx.db
      .update(units)
      .set({
        path: sql`${newPath} || substr(${units.path}, ${unit.path.length + 1})`,
        depth: sql`${units.depth} + ${delta}`,
      })
      .where(like(units.path, subtreePattern(unit.path)));
    await tx.db.update(units).set({ parentId: parent.id, updatedAt: new Date() }).where(eq(units.id, id));
    await rehomeSubtree(tx.db, newPath);
    await writeAudit(tx, {
      action: 'move',
      entity: 'unit',
      entityId: id,
      unitId: id,
      before: { parentId: unit.parentId, path: unit.path },
      after: { parentId: parent.id, path: newPath },
    });
    return unitWithCount(tx.db, id);
  });
}

/** Deactivation keeps the unit and its records; a unit is never deleted. */
export async function setUnitActive(ctx: Ctx, id: string, active: boolean): Promise<Unit> {
  await requireRecordAction(ctx.db, ctx.actor, manage, id);
  return inTx(ctx, async (tx) => {
    const before = await loadUnit(tx.db, id, true);
    if (before.active === active) return unitWithCount(tx.db, id);
    if (!active) {
      const [child] = await tx.db
        .select({ id: units.id })
        .from(units)
        .where(and(eq(units.parentId, id), eq(units.active, true)))
        .limit(1);
      if (child) throw conflict('请先停用其下级单位');
      if (!before.parentId) throw conflict('不能停用顶级单位');
    } else if (before.parentId) {
      const parent = await loadUnit(tx.db, before.parentId);
      if (!parent.active) throw conflict('上级单位已停用，请先启用上级单位');
    }
    const [after] = await tx.db.update(units).set({ active, updatedAt: new Date() }).where(eq(units.id, id)).returning();
    await writeAudit(tx, { action: active ? 'activate' : 'deactivate', entity: 'unit', entityId: id, unitId: id, before, after });
    return unitWithCount(tx.db, id);
  });
}

/** Creates the top of a tree (CLI and seed only: no route creates a root). */
export async function createRootUnit(ctx: Ctx, input: { name: string; type: UnitType }): Promise<Unit> {
  return inTx(ctx, async (tx) => {
    const id = randomUUID();
    const [row] = await tx.db
      .insert(units)
      .values({ id, parentId: null, name: input.name, type: input.type, path: `/${id}/`, depth: 0 })
      .returning();
    await writeAudit(tx, { action: 'create', entity: 'unit', entityId: id, unitId: id, after: row });
    return toUnit(row!, 0);
  });
}
