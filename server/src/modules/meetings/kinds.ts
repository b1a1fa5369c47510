/**
 * Meeting kinds (会议类型): one global dictionary, seeded by `ensureMeetingKinds` (seed/reference.ts: at start, seed-demo, in tests). Everyone with `meeting.read` lists
 * it; only a unit admin of a top unit (a unit without a parent) edits it: `meetingKind.manage` alone is not
 * enough, since every unit has its admins and the dictionary is shared by the whole tree.
 */
import type { MeetingKind } from '@dutyledger/contracts';
import { asc, eq } from 'drizzle-orm';
import { writeAudit } from '../../core/audit.js';
import { type Actor, type Ctx, inTx } from '../../core/context.js';
import { forbidden, notFound } from '../../core/errors.js';
import { units } from '../../core/schema.js';
import { hasPermission, requireActor } from '../../core/scope.js';
import { meetingKinds } from './schema.js';

type KindRow = typeof meetingKinds.$inferSelect;
export const toKind = (r: KindRow): MeetingKind => ({ id: r.id, name: r.name, sort: r.sort, active: r.active });

/** The kinds practice names, seeded when the dictionary is empty (editable afterwards). */
export const defaultMeetingKinds = [
  '党委(党组)会议专题研究意识形态工作',
  '理论学习中心组学习',
  '支部委员会',
  '党员大会',
  '党小组会',
  '党课',
  '主题党日',
  '民主生活会',
  '组织生活会',
  '舆情分析研判会',
] as const;

/**
 * Seeds the dictionary when it is empty. Not a migration: a migrated database must stay empty so that a
 * backup can be restored into it (db/backup.ts refuses a target holding rows). Idempotent and safe when
 * two listings race (unique name, ON CONFLICT DO NOTHING); an edited dictionary is never re-seeded.
 */
export async function ensureMeetingKinds(ctx: Ctx): Promise<void> {
  const [any] = await ctx.db.select({ id: meetingKinds.id }).from(meetingKinds).limit(1);
  if (any) return;
  await ctx.db
    .insert(meetingKinds)
    .values(defaultMeetingKinds.map((name, i) => ({ name, sort: (i + 1) * 10 })))
    .onConflictDoNothing();
}

export async function listMeetingKinds(ctx: Ctx): Promise<MeetingKind[]> {
  if (!hasPermission(requireActor(ctx.actor), 'meeting.read')) throw forbidden();
  const rows = await ctx.db.select().from(meetingKinds).orderBy(asc(meetingKinds.sort), asc(meetingKinds.name));
  return rows.map(toKind);
}

/** 403 unless the actor's post grants `meetingKind.manage` and acts in a top unit. */
async function requireKindManager(ctx: Ctx): Promise<Actor> {
  const actor = requireActor(ctx.actor);
  if (!hasPermission(actor, 'meetingKind.manage') || !actor.post) throw forbidden('只有顶级单位的管理员可以维护会议类型');
  const [root] = await ctx.db.select({ parentId: units.parentId }).from(units).where(eq(units.id, actor.post.scopeRootId)).limit(1);
  if (!root || root.parentId !== null) throw forbidden('只有顶级单位的管理员可以维护会议类型');
  return actor;
}

export async function createMeetingKind(ctx: Ctx, input: { name: string; sort?: number; active?: boolean }): Promise<MeetingKind> {
  const actor = await requireKindManager(ctx);
  return inTx(ctx, async (tx) => {
    const [row] = await tx.db.insert(meetingKinds).values(input).returning();
    await writeAudit(tx, { action: 'create', entity: 'meetingKind', entityId: row!.id, unitId: actor.post!.scopeRootId, after: row });
    return toKind(row!);
  });
}

export async function updateMeetingKind(
  ctx: Ctx,
  id: string,
  input: { name?: string; sort?: number; active?: boolean },
): Promise<MeetingKind> {
  const actor = await requireKindManager(ctx);
  return inTx(ctx, async (tx) => {
    const [before] = await tx.db.select().from(meetingKinds).where(eq(meetingKinds.id, id)).for('update');
    if (!before) throw notFound('会议类型不存在');
    if (Object.values(input).every((v) => v === undefined)) return toKind(before);
    const [after] = await tx.db.update(meetingKinds).set(input).where(eq(meetingKinds.id, id)).returning();
    await writeAudit(tx, { action: 'update', entity: 'meetingKind', entityId: id, unitId: actor.post!.scopeRootId, before, after });
    return toKind(after!);
  });
}
