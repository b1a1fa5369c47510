/**
 * Notifications: an inbox per person, and pushes to the group robots a unit has configured.
 *
 * `notify` writes inbox rows in the caller's transaction (idempotent with a `dedupeKey`); the robot
 * pushes go out through `ctx.afterCommit`, i.e. only after that transaction commits. Called outside a
 * transaction, `notify` opens its own.
 */
import type { InboxNotification, Webhook } from '@dutyledger/contracts';
import { and, count, desc, eq, isNull, sql } from 'drizzle-orm';
import { NO_REGION, regionOf } from '../../db/distribution.js';
import { writeAudit } from '../audit.js';
import { type Ctx, inTx } from '../context.js';
import { notFound } from '../errors.js';
import { notifications, unitWebhooks } from '../schema.js';
import { requireActor, requireRecordAction, requireUnitPermission } from '../scope.js';
import { deliverWebhooks, redactUrl, type WebhookKind } from './webhook.js';

export interface NotifyInput {
  personIds: string[];
  /** the unit the message is about: its enabled robots get a push */
  unitId?: string | null;
  title: string;
  body: string;
  /** an in-app path such as `/duty/tasks/…` */
  link?: string | null;
  /** the same key twice → one notification per person (the row key is `${dedupeKey}:${personId}`) */
  dedupeKey?: string;
}

/**
 * Puts a message in the inbox of each person. Internal: the caller decides who may be told what; no
 * permission is checked here. Returns how many inbox rows were new.
 */
export async function notify(ctx: Ctx, input: NotifyInput): Promise<{ created: number }> {
  const afterCommit = ctx.afterCommit;
  if (!afterCommit) return inTx(ctx, (tx) => notify(tx, input));
  const personIds = [...new Set(input.personIds)];
  if (personIds.length === 0) return { created: 0 };
  const inserted = await ctx.db
    .insert(notifications)
    .values(
      personIds.map((personId) => ({
        regionId: input.unitId ? regionOf(input.unitId) : NO_REGION,
        personId,
        unitId: input.unitId ?? null,
        title: input.title,
        body: input.body,
        link: input.link ?? null,
        dedupeKey: input.dedupeKey ? `${input.dedupeKey}:${personId}` : null,
      })),
    )
    .onConflictDoNothing({ target: [notifications.regionId, notifications.dedupeKey] })
    .returning({ id: notifications.id });
  if (inserted.length > 0 && input.unitId) {
    const hooks = await ctx.db
      .select({ kind: unitWebhooks.kind, url: unitWebhooks.url })
      .from(unitWebhooks)
      .where(and(eq(unitWebhooks.unitId, input.unitId), eq(unitWebhooks.enabled, true)));
    const content = [`【责任制台账】${input.title}`, input.body].filter(Boolean).join('\n');
    const pushes = hooks.map((h) => ({ kind: h.kind as WebhookKind, url: h.url, content }));
    if (pushes.length) afterCommit(() => deliverWebhooks(pushes));
  }
  return { created: inserted.length };
}

// ---- the inbox (always the caller's own)

type NotificationRow = typeof notifications.$inferSelect;
const toNotification = (r: NotificationRow): InboxNotification => ({
  id: r.id,
  title: r.title,
  body: r.body,
  link: r.link,
  createdAt: r.createdAt.toISOString(),
  readAt: r.readAt ? r.readAt.toISOString() : null,
});

export async function listNotifications(ctx: Ctx, q: { page: number; pageSize: number; unread?: 'true' | 'false' }) {
  const actor = requireActor(ctx.actor);
  const mine = eq(notifications.personId, actor.personId);
  const where = q.unread === 'true' ? and(mine, isNull(notifications.readAt)) : mine;
  const [{ total }] = (await ctx.db.select({ total: count() }).from(notifications).where(where)) as [{ total: number }];
  const [{ unread }] = (await ctx.db
    .select({ unread: count() })
    .from(notifications)
    .where(and(mine, isNull(notifications.readAt)))) as [{ unread: number }];
  const rows = await ctx.db
    .select()
    .from(notifications)
    .where(where)
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  return { items: rows.map(toNotification), total, page: q.page, pageSize: q.pageSize, unreadCount: unread };
}

/** Marks one of the caller's notifications read (404 for anybody else's). */
export async function markRead(ctx: Ctx, id: string): Promise<InboxNotification> {
  const actor = requireActor(ctx.actor);
  const [row] = await ctx.db
    .update(notifications)
    .set({ readAt: sql`coalesce(${notifications.readAt}, now())` })
    .where(and(eq(notifications.id, id), eq(notifications.personId, actor.personId)))
    .returning();
  if (!row) throw notFound('通知不存在');
  return toNotification(row);
}

export async function markAllRead(ctx: Ctx): Promise<{ ok: true; updated: number }> {
  const actor = requireActor(ctx.actor);
  const rows = await ctx.db
    .update(notifications)
    .set({ readAt: new Date() })
    .where(and(eq(notifications.personId, actor.personId), isNull(notifications.readAt)))
    .returning({ id: notifications.id });
  return { ok: true, updated: rows.length };
}

// ---- robots of a unit (notification.configure)

type WebhookRow = typeof unitWebhooks.$inferSelect;
const toWebhook = (r: WebhookRow): Webhook => ({ id: r.id, unitId: r.unitId, kind: r.kind as WebhookKind, url: r.url, enabled: r.enabled });
/** What the audit log keeps of a robot: its url without the access token. */
const auditView = (r: WebhookRow) => ({ ...r, url: redactUrl(r.url) });

export async function listWebhooks(ctx: Ctx, unitId: string): Promise<Webhook[]> {
  await requireUnitPermission(ctx.db, ctx.actor, 'notification.configure', unitId);
  const rows = await ctx.db.select().from(unitWebhooks).where(eq(unitWebhooks.unitId, unitId)).orderBy(unitWebhooks.createdAt);
  return rows.map(toWebhook);
}

export async function createWebhook(
  ctx: Ctx,
  unitId: string,
  input: { kind: WebhookKind; url: string; enabled: boolean },
): Promise<Webhook> {
  await requireUnitPermission(ctx.db, ctx.actor, 'notification.configure', unitId);
  return inTx(ctx, async (tx) => {
    const [row] = await tx.db
      .insert(unitWebhooks)
      .values({ regionId: regionOf(unitId), unitId, kind: input.kind, url: input.url, enabled: input.enabled })
      .returning();
    await writeAudit(tx, { action: 'create', entity: 'webhook', entityId: row!.id, unitId, after: auditView(row!) });
    return toWebhook(row!);
  });
}

export async function deleteWebhook(ctx: Ctx, id: string): Promise<{ ok: true }> {
  requireActor(ctx.actor);
  const [found] = await ctx.db.select().from(unitWebhooks).where(eq(unitWebhooks.id, id)).limit(1);
  if (!found) throw notFound();
  await requireRecordAction(ctx.db, ctx.actor, { read: 'unit.read', write: 'notification.configure' }, found.unitId);
  return inTx(ctx, async (tx) => {
    const [row] = await tx.db.delete(unitWebhooks).where(eq(unitWebhooks.id, id)).returning();
    if (!row) throw notFound();
    await writeAudit(tx, { action: 'delete', entity: 'webhook', entityId: id, unitId: row.unitId, before: auditView(row) });
    return { ok: true as const };
  });
}
