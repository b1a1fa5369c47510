/**
 * Bulletins (通报): composed and sent by a unit (`bulletin.send`) to units below it — chosen units, or the
 * whole subtree (optionally only some unit types). Read receipts per unit and per person: a person acting for
 * a recipient unit who opens it marks it read for them and, the first time, for their unit. Units that have
 * not read it after the bulletin's N days get one reminder (scheduler job, claimOnce + notify dedupeKey).
 *
 * Reading: the sender side (`bulletin.read` in the sending unit's reach) and the recipient side
 * (`bulletin.read` reaching a recipient unit). Receipts are the sender side's.
 */
import type { Bulletin, BulletinDetail, BulletinReceipts, SendBulletinBody } from '@dutyledger/contracts';
import { and, asc, count, desc, eq, inArray, isNull, like, lte, ne, type SQL, sql } from 'drizzle-orm';
import { linkAttachment, listAttachmentsOf, registerAttachmentEntity } from '../../core/attachments/service.js';
import { writeAudit } from '../../core/audit.js';
import { type Ctx, inTx } from '../../core/context.js';
import { forbidden, invalid, notFound } from '../../core/errors.js';
import { notify } from '../../core/notifications/service.js';
import { localDate } from '../../core/periods.js';
import { claimOnce, registerJob } from '../../core/scheduler.js';
import { people, units } from '../../core/schema.js';
import { canInUnit, hasPermission, inScope, requireActor, requireUnitPermission, subtreePattern } from '../../core/scope.js';
import { containsPattern } from '../../core/search.js';
import { regionOf } from '../../db/distribution.js';
import { isUuid, ownUnitSql, unitPeople } from './common.js';
import { bulletinReads, bulletinRecipients, bulletins } from './schema.js';

export const BULLETIN_ENTITY = 'opinion.bulletin';
const NOT_FOUND = '通报不存在或无权查看';
const DAY = 86_400_000;

type BulletinRow = typeof bulletins.$inferSelect;

const recipientCount = sql<number>`(SELECT count(*) FROM ${bulletinRecipients} WHERE ${bulletinRecipients.bulletinId} = ${bulletins.id})`;
const readCount = sql<number>`(SELECT count(*) FROM ${bulletinRecipients} WHERE ${bulletinRecipients.bulletinId} = ${bulletins.id} AND ${bulletinRecipients.readAt} IS NOT NULL)`;
const columns = { b: bulletins, unitName: units.name, recipientCount, readCount };
const baseQuery = (ctx: Ctx) => ctx.db.select(columns).from(bulletins).innerJoin(units, eq(units.id, bulletins.unitId));

function toBulletin(r: { b: BulletinRow; unitName: string; recipientCount: number; readCount: number }): Bulletin {
  return {
    id: r.b.id,
    unitId: r.b.unitId,
    unitName: r.unitName,
    title: r.b.title,
    body: r.b.body,
    remindAfterDays: r.b.remindAfterDays,
    sentBy: r.b.sentBy,
    sentAt: r.b.sentAt.toISOString(),
    recipientCount: Number(r.recipientCount),
    readCount: Number(r.readCount),
  };
}

const senderReadable = (ctx: Ctx): SQL => inScope(ctx.actor, 'bulletin.read', bulletins.unitId);
/** SQL: the actor reads the bulletin (sender side, or a recipient unit in the reach). */
export const bulletinReadable = (ctx: Ctx): SQL =>
  sql`(${senderReadable(ctx)} OR EXISTS (SELECT 1 FROM ${bulletinRecipients} WHERE ${bulletinRecipients.bulletinId} = ${bulletins.id} AND ${inScope(ctx.actor, 'bulletin.read', bulletinRecipients.unitId)}))`;

async function loadReadable(ctx: Ctx, id: string) {
  const [row] = await baseQuery(ctx)
    .where(and(eq(bulletins.id, id), bulletinReadable(ctx)))
    .limit(1);
  if (!row) throw notFound(NOT_FOUND);
  return row;
}

/** The recipient units of a target: active units strictly below the sender. */
async function recipientsOf(ctx: Ctx, senderId: string, target: SendBulletinBody['target']): Promise<string[]> {
  const [sender] = await ctx.db.select({ path: units.path }).from(units).where(eq(units.id, senderId)).limit(1);
  if (!sender) throw invalid({ unitId: '发文单位不存在' });
  const below = and(like(units.path, subtreePattern(sender.path)), ne(units.id, senderId), eq(units.active, true));
  if (target.kind === 'units') {
    const ids = [...new Set(target.unitIds)];
    const rows = await ctx.db
      .select({ id: units.id })
      .from(units)
      .where(and(below, inArray(units.id, ids)));
    if (rows.length !== ids.length) throw invalid({ 'target.unitIds': '接收单位须为本单位的下级单位' });
    return ids;
  }
  const conds = [below];
  if (target.unitTypes?.length) conds.push(inArray(units.type, target.unitTypes));
  const rows = await ctx.db
    .select({ id: units.id })
    .from(units)
    .where(and(...conds));
  if (rows.length === 0) throw invalid({ target: '没有符合条件的接收单位' });
  return rows.map((r) => r.id);
}

export async function sendBulletin(ctx: Ctx, input: SendBulletinBody): Promise<BulletinDetail> {
  const actor = requireActor(ctx.actor);
  await requireUnitPermission(ctx.db, actor, 'bulletin.send', input.unitId);
  const recipients = await recipientsOf(ctx, input.unitId, input.target);
  const id = await inTx(ctx, async (tx) => {
    const [row] = await tx.db
      .insert(bulletins)
      .values({
        unitId: input.unitId,
        title: input.title,
        body: input.body,
        remindAfterDays: input.remindAfterDays,
        sentBy: actor.personId || null,
      })
      .returning();
    await tx.db
      .insert(bulletinRecipients)
      .values(recipients.map((unitId) => ({ regionId: regionOf(unitId), bulletinId: row!.id, unitId })));
    for (const a of input.attachmentIds ?? []) await linkAttachment(tx, a, BULLETIN_ENTITY, row!.id);
    await writeAudit(tx, {
      action: 'send',
      entity: 'bulletin',
      entityId: row!.id,
      unitId: row!.unitId,
      after: { ...row, recipients },
    });
    for (const unitId of recipients) {
      await notify(tx, {
        personIds: await unitPeople(tx, unitId, 'bulletin.read'),
        unitId,
        title: `通报：${row!.title}`,
        body: '收到一份新通报，请及时阅读。',
        link: `/opinion/bulletins/${row!.id}`,
        dedupeKey: `bulletin:${row!.id}`,
      });
    }
    return row!.id;
  });
  return getBulletin(ctx, id);
}

export async function getBulletin(ctx: Ctx, id: string): Promise<BulletinDetail> {
  requireActor(ctx.actor);
  const row = await loadReadable(ctx, id);
  const mine = await myReceipt(ctx, id);
  return {
    ...toBulletin(row),
    ...mine,
    attachments: await listAttachmentsOf(ctx, BULLETIN_ENTITY, id),
    canReceipts: await canInUnit(ctx.db, ctx.actor, 'bulletin.read', row.b.unitId),
  };
}

async function myReceipt(ctx: Ctx, id: string): Promise<{ unitReadAt?: string | null; myReadAt?: string | null }> {
  const actor = ctx.actor;
  if (!actor?.post) return {};
  const [rec] = await ctx.db
    .select({ readAt: bulletinRecipients.readAt })
    .from(bulletinRecipients)
    .where(and(eq(bulletinRecipients.bulletinId, id), eq(bulletinRecipients.unitId, actor.post.scopeRootId)))
    .limit(1);
  if (!rec) return {};
  const [read] = await ctx.db
    .select({ readAt: bulletinReads.readAt })
    .from(bulletinReads)
    .where(and(eq(bulletinReads.bulletinId, id), eq(bulletinReads.personId, actor.personId)))
    .limit(1);
  return { unitReadAt: rec.readAt?.toISOString() ?? null, myReadAt: read?.readAt.toISOString() ?? null };
}

/**
 * The actor opened the bulletin: marks it read for them and (first time) for the unit they act for, which must
 * be a recipient. 404 when unreadable; 403 when readable but the actor's unit is not a recipient.
 */
export async function markBulletinRead(ctx: Ctx, id: string): Promise<{ ok: true; firstForPerson: boolean; firstForUnit: boolean }> {
  const actor = requireActor(ctx.actor);
  await loadReadable(ctx, id);
  const unitId = actor.post?.scopeRootId;
  const [rec] =
    unitId && hasPermission(actor, 'bulletin.read')
      ? await ctx.db
          .select()
          .from(bulletinRecipients)
          .where(and(eq(bulletinRecipients.bulletinId, id), eq(bulletinRecipients.unitId, unitId)))
          .limit(1)
      : [];
  if (!rec || !unitId) throw forbidden('您所在单位不是此通报的接收单位');
  return inTx(ctx, async (tx) => {
    const now = new Date();
    const personRows = await tx.db
      .insert(bulletinReads)
      .values({ regionId: rec.regionId, bulletinId: id, personId: actor.personId, unitId, readAt: now })
      .onConflictDoNothing()
      .returning();
    const unitRows = await tx.db
      .update(bulletinRecipients)
      .set({ readAt: now })
      .where(and(eq(bulletinRecipients.bulletinId, id), eq(bulletinRecipients.unitId, unitId), isNull(bulletinRecipients.readAt)))
      .returning();
    const firstForPerson = personRows.length > 0;
    const firstForUnit = unitRows.length > 0;
    if (firstForPerson)
      await writeAudit(tx, {
        action: 'read',
        entity: 'bulletin',
        entityId: id,
        unitId,
        after: { personId: actor.personId, unitId, firstForUnit },
      });
    return { ok: true as const, firstForPerson, firstForUnit };
  });
}

/** Receipts per recipient unit, with who read it there and when. Sender side only. */
export async function bulletinReceipts(ctx: Ctx, id: string): Promise<BulletinReceipts> {
  requireActor(ctx.actor);
  const row = await loadReadable(ctx, id);
  if (!(await canInUnit(ctx.db, ctx.actor, 'bulletin.read', row.b.unitId))) throw forbidden('只有发文单位可以查看阅读回执');
  const recs = await ctx.db
    .select({ unitId: bulletinRecipients.unitId, unitName: units.name, readAt: bulletinRecipients.readAt })
    .from(bulletinRecipients)
    .innerJoin(units, eq(units.id, bulletinRecipients.unitId))
    .where(eq(bulletinRecipients.bulletinId, id))
    .orderBy(asc(units.path));
  const reads = await ctx.db
    .select({
      personId: bulletinReads.personId,
      unitId: bulletinReads.unitId,
      displayName: people.displayName,
      readAt: bulletinReads.readAt,
    })
    .from(bulletinReads)
    .innerJoin(people, eq(people.id, bulletinReads.personId))
    .where(eq(bulletinReads.bulletinId, id))
    .orderBy(asc(bulletinReads.readAt));
  return {
    total: recs.length,
    read: recs.filter((r) => r.readAt).length,
    units: recs.map((r) => ({
      unitId: r.unitId,
      unitName: r.unitName,
      readAt: r.readAt?.toISOString() ?? null,
      readers: reads
        .filter((x) => x.unitId === r.unitId)
        .map((x) => ({ personId: x.personId, displayName: x.displayName, readAt: x.readAt.toISOString() })),
    })),
  };
}

/** Bulletins sent by units in the actor's reach, newest first. */
export async function listBulletins(ctx: Ctx, q: { page: number; pageSize: number; q?: string; unitId?: string }) {
  requireActor(ctx.actor);
  const conds: (SQL | undefined)[] = [senderReadable(ctx)];
  if (q.unitId) conds.push(eq(bulletins.unitId, q.unitId));
  if (q.q) conds.push(sql`${bulletins.title} ILIKE ${containsPattern(q.q)}`);
  const where = and(...conds);
  const [{ total }] = (await ctx.db.select({ total: count() }).from(bulletins).where(where)) as [{ total: number }];
  const rows = await baseQuery(ctx)
    .where(where)
    .orderBy(desc(bulletins.sentAt), asc(bulletins.id))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  return { items: rows.map(toBulletin), total, page: q.page, pageSize: q.pageSize };
}

/** My inbox: bulletins sent to the unit I act for, with my and my unit's read time. */
export async function bulletinInbox(ctx: Ctx, q: { page: number; pageSize: number; q?: string; unread?: 'true' | 'false' }) {
  const actor = requireActor(ctx.actor);
  const mineRead = sql`EXISTS (SELECT 1 FROM ${bulletinReads} WHERE ${bulletinReads.bulletinId} = ${bulletins.id} AND ${bulletinReads.personId} = ${actor.personId})`;
  const conds: (SQL | undefined)[] = [ownUnitSql(actor, 'bulletin.read', bulletinRecipients.unitId)];
  if (q.unread === 'true') conds.push(sql`NOT ${mineRead}`);
  if (q.unread === 'false') conds.push(mineRead);
  if (q.q) conds.push(sql`${bulletins.title} ILIKE ${containsPattern(q.q)}`);
  const where = and(...conds);
  const [{ total }] = (await ctx.db
    .select({ total: count() })
    .from(bulletinRecipients)
    .innerJoin(bulletins, eq(bulletins.id, bulletinRecipients.bulletinId))
    .where(where)) as [{ total: number }];
  const rows = await ctx.db
    .select({
      ...columns,
      unitReadAt: bulletinRecipients.readAt,
      myReadAt: sql<Date | null>`(SELECT ${bulletinReads.readAt} FROM ${bulletinReads} WHERE ${bulletinReads.bulletinId} = ${bulletins.id} AND ${bulletinReads.personId} = ${actor.personId})`,
    })
    .from(bulletinRecipients)
    .innerJoin(bulletins, eq(bulletins.id, bulletinRecipients.bulletinId))
    .innerJoin(units, eq(units.id, bulletins.unitId))
    .where(where)
    .orderBy(desc(bulletins.sentAt), asc(bulletins.id))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  return {
    items: rows.map((r) => ({
      ...toBulletin(r),
      unitReadAt: r.unitReadAt?.toISOString() ?? null,
      myReadAt: r.myReadAt ? new Date(r.myReadAt).toISOString() : null,
    })),
    total,
    page: q.page,
    pageSize: q.pageSize,
  };
}

// ---- reminders (scheduler)

/**
 * Reminds each recipient unit that has not read a bulletin `remindAfterDays` after it was sent — once per
 * bulletin and unit (claimOnce key, and notify's dedupeKey). Bulletins older than 60 days are left alone.
 */
export async function sendBulletinReminders(ctx: Ctx, now = new Date()): Promise<number> {
  const due = await ctx.db
    .select({ bulletinId: bulletins.id, title: bulletins.title, sentAt: bulletins.sentAt, unitId: bulletinRecipients.unitId })
    .from(bulletinRecipients)
    .innerJoin(bulletins, eq(bulletins.id, bulletinRecipients.bulletinId))
    .where(
      and(
        isNull(bulletinRecipients.readAt),
        lte(sql`${bulletins.sentAt} + make_interval(days => ${bulletins.remindAfterDays})`, now),
        sql`${bulletins.sentAt} > ${new Date(now.getTime() - 60 * DAY)}`,
      ),
    );
  let sent = 0;
  for (const r of due) {
    const key = `opinion.bulletinReminders:${r.bulletinId}:${r.unitId}`;
    await inTx(ctx, async (tx) => {
      if (!(await claimOnce(tx, key, 'opinion.bulletinReminders'))) return;
      await notify(tx, {
        personIds: await unitPeople(tx, r.unitId, 'bulletin.read'),
        unitId: r.unitId,
        title: `通报未读提醒：${r.title}`,
        body: `该通报于 ${localDate(r.sentAt)} 下发，本单位尚未阅读，请及时阅读。`,
        link: `/opinion/bulletins/${r.bulletinId}`,
        dedupeKey: key,
      });
      sent++;
    });
  }
  return sent;
}

registerJob({
  name: 'opinion.bulletinReminders',
  cron: '0 30 8 * * *', // daily, 08:30 Asia/Shanghai
  run: async (ctx) => {
    await sendBulletinReminders(ctx);
  },
});

// attachments: the sender side links them (when sending)
registerAttachmentEntity(BULLETIN_ENTITY, async (ctx, entityId) => {
  const [row] = isUuid(entityId) ? await ctx.db.select().from(bulletins).where(eq(bulletins.id, entityId)).limit(1) : [];
  if (!row) throw notFound(NOT_FOUND);
  await requireUnitPermission(ctx.db, ctx.actor, 'bulletin.send', row.unitId);
});
