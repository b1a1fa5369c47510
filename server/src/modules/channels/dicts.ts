/**
 * The module's global dictionaries (阵地类型, 审核要点, 活动类型, 自查项目): one table keyed by kind, seeded by
 * `ensureChannelTypes` (called at start, seed-demo and in tests: seed/reference.ts). Everyone with `channel.read` lists them;
 * only a unit admin of a top unit edits them (they are shared by the whole tree).
 */
import type { ChannelDictItem, ChannelDictKind } from '@dutyledger/contracts';
import { and, asc, eq } from 'drizzle-orm';
import { writeAudit } from '../../core/audit.js';
import { type Actor, type Ctx, inTx } from '../../core/context.js';
import { forbidden, notFound } from '../../core/errors.js';
import { units } from '../../core/schema.js';
import { hasPermission, requireActor } from '../../core/scope.js';
import { channelDicts } from './schema.js';

type DictRow = typeof channelDicts.$inferSelect;
export const toDictItem = (r: DictRow): ChannelDictItem => ({
  id: r.id,
  kind: r.kind as ChannelDictKind,
  name: r.name,
  sort: r.sort,
  active: r.active,
  leadDays: r.leadDays,
  requiresParent: r.requiresParent,
});

export const defaultChannelDicts: Record<ChannelDictKind, { name: string; leadDays?: number; requiresParent?: boolean }[]> = {
  channelType: [
    { name: '门户网站' },
    { name: '微信公众号' },
    { name: '视频号' },
    { name: '微博' },
    { name: '抖音号' },
    { name: '工作微信群/QQ群' },
    { name: '宣传栏/公开栏' },
    { name: '电子屏' },
    { name: '内刊/简报' },
    { name: '报告厅/讲堂' },
  ],
  reviewCheck: [{ name: '政治' }, { name: '法律' }, { name: '政策' }, { name: '保密' }, { name: '文字' }],
  eventKind: [
    { name: '报告会', requiresParent: true },
    { name: '研讨会', requiresParent: true },
    { name: '论坛', requiresParent: true },
    { name: '讲座' },
    { name: '展览' },
    { name: '其他' },
  ],
  selfCheckItem: [
    { name: '阵地已登记备案，主管主办单位和责任人明确' },
    { name: '落实“三审三校”，审核记录完整' },
    { name: '本期发布内容无政治性、导向性差错' },
    { name: '账号安全（密码、管理权限）落实到人' },
    { name: '长期不更新或已停用的账号已清理关停' },
  ],
};

/**
 * Seeds each dictionary kind that is still empty. Not a migration (a migrated database must stay empty so
 * that a backup can be restored into it). Idempotent; an edited kind is never re-seeded.
 */
export async function ensureChannelTypes(ctx: Ctx): Promise<void> {
  for (const [kind, items] of Object.entries(defaultChannelDicts) as [ChannelDictKind, (typeof defaultChannelDicts)['channelType']][]) {
    const [any] = await ctx.db.select({ id: channelDicts.id }).from(channelDicts).where(eq(channelDicts.kind, kind)).limit(1);
    if (any) continue;
    await ctx.db
      .insert(channelDicts)
      .values(items.map((it, i) => ({ kind, name: it.name, sort: (i + 1) * 10, requiresParent: it.requiresParent ?? false })))
      .onConflictDoNothing();
  }
}

export async function listChannelDict(ctx: Ctx, kind: ChannelDictKind): Promise<ChannelDictItem[]> {
  if (!hasPermission(requireActor(ctx.actor), 'channel.read')) throw forbidden();
  const rows = await ctx.db
    .select()
    .from(channelDicts)
    .where(eq(channelDicts.kind, kind))
    .orderBy(asc(channelDicts.sort), asc(channelDicts.name));
  return rows.map(toDictItem);
}

/** 403 unless the actor's post grants `channel.manage` and acts in a top unit. */
async function requireDictManager(ctx: Ctx): Promise<Actor> {
  const actor = requireActor(ctx.actor);
  const msg = '只有顶级单位的管理员可以维护此字典';
  if (!hasPermission(actor, 'channel.manage') || !actor.post) throw forbidden(msg);
  const [root] = await ctx.db.select({ parentId: units.parentId }).from(units).where(eq(units.id, actor.post.scopeRootId)).limit(1);
  if (!root || root.parentId !== null) throw forbidden(msg);
  return actor;
}

type DictInput = { name?: string; sort?: number; active?: boolean; leadDays?: number; requiresParent?: boolean };

export async function createChannelDictItem(
  ctx: Ctx,
  kind: ChannelDictKind,
  input: DictInput & { name: string },
): Promise<ChannelDictItem> {
  const actor = await requireDictManager(ctx);
  return inTx(ctx, async (tx) => {
    const [row] = await tx.db
      .insert(channelDicts)
      .values({ ...input, kind })
      .returning();
    await writeAudit(tx, { action: 'create', entity: 'channelDict', entityId: row!.id, unitId: actor.post!.scopeRootId, after: row });
    return toDictItem(row!);
  });
}

export async function updateChannelDictItem(ctx: Ctx, kind: ChannelDictKind, id: string, input: DictInput): Promise<ChannelDictItem> {
  const actor = await requireDictManager(ctx);
  return inTx(ctx, async (tx) => {
    const [before] = await tx.db
      .select()
      .from(channelDicts)
      .where(and(eq(channelDicts.id, id), eq(channelDicts.kind, kind)))
      .for('update');
    if (!before) throw notFound('字典项不存在');
    if (Object.values(input).every((v) => v === undefined)) return toDictItem(before);
    const [after] = await tx.db.update(channelDicts).set(input).where(eq(channelDicts.id, id)).returning();
    await writeAudit(tx, { action: 'update', entity: 'channelDict', entityId: id, unitId: actor.post!.scopeRootId, before, after });
    return toDictItem(after!);
  });
}

/** An active item of `kind`, or null. */
export async function activeDictItem(ctx: Ctx, kind: ChannelDictKind, id: string): Promise<DictRow | null> {
  const [row] = await ctx.db
    .select()
    .from(channelDicts)
    .where(and(eq(channelDicts.id, id), eq(channelDicts.kind, kind), eq(channelDicts.active, true)))
    .limit(1);
  return row ?? null;
}
