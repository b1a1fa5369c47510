/**
 * Event filing (活动报备, 一会一报): 报告会/研讨会/论坛/讲座/展览 … filed by the organizer unit, approved by the
 * unit's leader (and by the parent unit's leader where the kind requires it), summarized afterwards. A filing
 * must arrive `leadDays` ahead (from its kind, default 7); a late one is marked (computed, never stored).
 * Speakers are recorded by name and affiliation only — nothing about their views.
 *
 * Who may act: the organizer side is `eventFiling.write` in the filing's unit (create, edit, submit,
 * summarize); approvals are `eventFiling.approve` in the unit (first step) or in its parent (second step),
 * never by the person who made the filing. Reading is `channel.read` in the unit (404 otherwise).
 */
import {
  type CreateEventFilingBody,
  type EventFiling,
  type EventFilingAction,
  type EventFilingDetail,
  type EventFilingListQuery,
  type EventFilingState,
  eventFilingStateLabels,
  roleKeys,
  roles,
  type UpdateEventFilingBody,
} from '@dutyledger/contracts';
import { and, arrayOverlaps, asc, count, eq, gte, lt, type SQL, sql } from 'drizzle-orm';
import { linkAttachment, listAttachmentsOf, registerAttachmentEntity } from '../../core/attachments/service.js';
import { writeAudit } from '../../core/audit.js';
import { type Ctx, inTx } from '../../core/context.js';
import { AppError, forbidden, invalid, notFound } from '../../core/errors.js';
import { notify } from '../../core/notifications/service.js';
import { localDate } from '../../core/periods.js';
import { people, posts, units } from '../../core/schema.js';
import { canInUnit, inScope, requireActor, requireRecordInScope, requireUnitPermission } from '../../core/scope.js';
import { containsPattern } from '../../core/search.js';
import { regionOf } from '../../db/distribution.js';
import { activeDictItem } from './dicts.js';
import { channelDicts, eventFilings } from './schema.js';

export const EVENT_FILING_ENTITY = 'channels.eventFiling';
const DAY = 86_400_000;
type FilingRow = typeof eventFilings.$inferSelect;

// ---- the state machine

type Side = 'organizer' | 'unitApprover' | 'parentApprover' | 'currentApprover';
export const transitions: Record<
  EventFilingAction,
  { label: string; from: readonly EventFilingState[]; to: EventFilingState | 'afterUnitApproval'; side: Side }
> = {
  submit: { label: '提交报备', from: ['draft', 'rejected'], to: 'pending', side: 'organizer' },
  approve: { label: '同意', from: ['pending'], to: 'afterUnitApproval', side: 'unitApprover' },
  approveParent: { label: '上级同意', from: ['pendingParent'], to: 'approved', side: 'parentApprover' },
  reject: { label: '不同意', from: ['pending', 'pendingParent'], to: 'rejected', side: 'currentApprover' },
  summarize: { label: '填写活动总结', from: ['approved'], to: 'done', side: 'organizer' },
};

const labelsOf = (states: readonly EventFilingState[]) => states.map((s) => `「${eventFilingStateLabels[s]}」`).join('、');
export function illegalTransition(action: EventFilingAction, state: EventFilingState): AppError {
  const t = transitions[action];
  return new AppError(
    'ILLEGAL_TRANSITION',
    `报备当前状态为「${eventFilingStateLabels[state]}」，不能${t.label}（仅${labelsOf(t.from)}状态可以${t.label}）`,
  );
}

/** Late: it arrived (or, not yet submitted, would arrive now) less than `leadDays` days before the start. */
export function isLate(f: Pick<FilingRow, 'submittedAt' | 'startsAt' | 'leadDays'>, now = new Date()): boolean {
  const arrived = (f.submittedAt ?? now).getTime();
  return arrived > f.startsAt.getTime() - f.leadDays * DAY;
}

// ---- rows → API

const columns = { filing: eventFilings, unitName: units.name, kindName: channelDicts.name };
const baseQuery = (ctx: Ctx) =>
  ctx.db
    .select(columns)
    .from(eventFilings)
    .innerJoin(units, eq(units.id, eventFilings.unitId))
    .innerJoin(channelDicts, eq(channelDicts.id, eventFilings.kindId));
const iso = (d: Date | null) => (d ? d.toISOString() : null);
function toFiling(r: { filing: FilingRow; unitName: string; kindName: string }): EventFiling {
  const f = r.filing;
  const state = f.state as EventFilingState;
  return {
    id: f.id,
    unitId: f.unitId,
    unitName: r.unitName,
    kindId: f.kindId,
    kindName: r.kindName,
    topic: f.topic,
    speakers: f.speakers,
    venue: f.venue,
    startsAt: f.startsAt.toISOString(),
    endsAt: iso(f.endsAt),
    expectedAudience: f.expectedAudience,
    leadDays: f.leadDays,
    requiresParent: f.requiresParent,
    state,
    stateLabel: eventFilingStateLabels[state],
    submittedAt: iso(f.submittedAt),
    late: isLate(f),
    decisionComment: f.decisionComment,
    summary: f.summary,
    createdBy: f.createdBy,
    createdAt: f.createdAt.toISOString(),
  };
}
const readable = (ctx: Ctx): SQL => inScope(ctx.actor, 'channel.read', eventFilings.unitId);

// ---- reads

export async function getEventFiling(ctx: Ctx, id: string): Promise<EventFilingDetail> {
  requireActor(ctx.actor);
  const [row] = await baseQuery(ctx)
    .where(and(eq(eventFilings.id, id), readable(ctx)))
    .limit(1);
  if (!row) throw notFound('活动报备不存在或无权查看');
  return { ...toFiling(row), attachments: await listAttachmentsOf(ctx, EVENT_FILING_ENTITY, id) };
}

/** Filings readable by the actor; `from`/`to` bound the start time (the calendar), soonest first. */
export async function listEventFilings(ctx: Ctx, q: EventFilingListQuery & { page: number; pageSize: number }) {
  requireActor(ctx.actor);
  const conds: (SQL | undefined)[] = [readable(ctx)];
  if (q.unitId) conds.push(eq(eventFilings.unitId, q.unitId));
  if (q.state) conds.push(eq(eventFilings.state, q.state));
  if (q.from) conds.push(gte(eventFilings.startsAt, new Date(q.from)));
  if (q.to) conds.push(lt(eventFilings.startsAt, new Date(q.to)));
  const lateSql = sql`coalesce(${eventFilings.submittedAt}, now()) > ${eventFilings.startsAt} - ${eventFilings.leadDays} * interval '1 day'`;
  if (q.late === 'true') conds.push(lateSql);
  if (q.late === 'false') conds.push(sql`NOT (${lateSql})`);
  if (q.q) conds.push(sql`${eventFilings.topic} ILIKE ${containsPattern(q.q)}`);
  const where = and(...conds);
  const [{ total }] = (await ctx.db.select({ total: count() }).from(eventFilings).where(where)) as [{ total: number }];
  const rows = await baseQuery(ctx)
    .where(where)
    .orderBy(asc(eventFilings.startsAt), asc(eventFilings.id))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  return { items: rows.map(toFiling), total, page: q.page, pageSize: q.pageSize };
}

// ---- writes

function checkTimes(startsAt: Date, endsAt: Date | null) {
  if (endsAt && endsAt.getTime() < startsAt.getTime()) throw invalid({ endsAt: '结束时间不能早于开始时间' });
}

export async function createEventFiling(ctx: Ctx, input: CreateEventFilingBody): Promise<EventFilingDetail> {
  const actor = requireActor(ctx.actor);
  await requireUnitPermission(ctx.db, ctx.actor, 'eventFiling.write', input.unitId);
  const kind = await activeDictItem(ctx, 'eventKind', input.kindId);
  if (!kind) throw invalid({ kindId: '活动类型不存在或已停用' });
  const startsAt = new Date(input.startsAt);
  const endsAt = input.endsAt ? new Date(input.endsAt) : null;
  checkTimes(startsAt, endsAt);
  const id = await inTx(ctx, async (tx) => {
    const [row] = await tx.db
      .insert(eventFilings)
      .values({
        regionId: regionOf(input.unitId),
        unitId: input.unitId,
        kindId: kind.id,
        topic: input.topic,
        speakers: (input.speakers ?? []).map((s) => ({ name: s.name, affiliation: s.affiliation ?? '' })),
        venue: input.venue,
        startsAt,
        endsAt,
        expectedAudience: input.expectedAudience ?? 0,
        leadDays: kind.leadDays,
        requiresParent: kind.requiresParent,
        createdBy: actor.personId || null,
      })
      .returning();
    for (const attachmentId of input.attachmentIds ?? []) await linkAttachment(tx, attachmentId, EVENT_FILING_ENTITY, row!.id);
    await writeAudit(tx, { action: 'create', entity: 'eventFiling', entityId: row!.id, unitId: row!.unitId, after: row });
    return row!.id;
  });
  return getEventFiling(ctx, id);
}

async function lockFiling(ctx: Ctx, id: string): Promise<FilingRow> {
  const [row] = await ctx.db.select().from(eventFilings).where(eq(eventFilings.id, id)).for('update');
  if (!row) throw notFound('活动报备不存在或无权查看');
  await requireRecordInScope(ctx.db, ctx.actor, 'channel.read', row.unitId);
  return row;
}

export async function updateEventFiling(ctx: Ctx, id: string, input: UpdateEventFilingBody): Promise<EventFilingDetail> {
  requireActor(ctx.actor);
  await inTx(ctx, async (tx) => {
    const before = await lockFiling(tx, id);
    if (!(await canInUnit(tx.db, tx.actor, 'eventFiling.write', before.unitId))) throw forbidden('只有主办单位可以修改报备');
    const state = before.state as EventFilingState;
    if (state !== 'draft' && state !== 'rejected')
      throw new AppError('ILLEGAL_TRANSITION', `报备当前状态为「${eventFilingStateLabels[state]}」，只有草稿或不同意的报备可以修改`);
    const patch: Partial<FilingRow> = {};
    if (input.kindId !== undefined && input.kindId !== before.kindId) {
      const kind = await activeDictItem(tx, 'eventKind', input.kindId);
      if (!kind) throw invalid({ kindId: '活动类型不存在或已停用' });
      Object.assign(patch, { kindId: kind.id, leadDays: kind.leadDays, requiresParent: kind.requiresParent });
    }
    if (input.topic !== undefined) patch.topic = input.topic;
    if (input.speakers !== undefined) patch.speakers = input.speakers.map((s) => ({ name: s.name, affiliation: s.affiliation ?? '' }));
    if (input.venue !== undefined) patch.venue = input.venue;
    if (input.startsAt !== undefined) patch.startsAt = new Date(input.startsAt);
    if (input.endsAt !== undefined) patch.endsAt = input.endsAt ? new Date(input.endsAt) : null;
    if (input.expectedAudience !== undefined) patch.expectedAudience = input.expectedAudience;
    checkTimes(patch.startsAt ?? before.startsAt, patch.endsAt !== undefined ? patch.endsAt : before.endsAt);
    const links = input.attachmentIds ?? [];
    if (Object.keys(patch).length === 0 && links.length === 0) return;
    const [after] = await tx.db
      .update(eventFilings)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(eventFilings.id, id))
      .returning();
    for (const attachmentId of links) await linkAttachment(tx, attachmentId, EVENT_FILING_ENTITY, id);
    await writeAudit(tx, { action: 'update', entity: 'eventFiling', entityId: id, unitId: before.unitId, before, after });
  });
  return getEventFiling(ctx, id);
}

async function parentOf(ctx: Ctx, unitId: string): Promise<string | null> {
  const [u] = await ctx.db.select({ parentId: units.parentId }).from(units).where(eq(units.id, unitId)).limit(1);
  return u?.parentId ?? null;
}

async function requireSide(ctx: Ctx, f: FilingRow, side: Side): Promise<void> {
  const me = ctx.actor?.personId;
  if (side === 'organizer') {
    if (!(await canInUnit(ctx.db, ctx.actor, 'eventFiling.write', f.unitId))) throw forbidden('只有主办单位可以执行此操作');
    return;
  }
  const step = side === 'currentApprover' ? (f.state === 'pendingParent' ? 'parentApprover' : 'unitApprover') : side;
  const unitId = step === 'parentApprover' ? await parentOf(ctx, f.unitId) : f.unitId;
  if (!unitId || !(await canInUnit(ctx.db, ctx.actor, 'eventFiling.approve', unitId)))
    throw forbidden(step === 'parentApprover' ? '只有上级单位领导可以审批' : '只有本单位领导可以审批');
  if (f.createdBy && f.createdBy === me) throw forbidden('不能审批本人提交的报备');
}

export async function transitionEventFiling(
  ctx: Ctx,
  id: string,
  action: EventFilingAction,
  input: { comment?: string; summary?: string; attachmentIds?: string[] } = {},
): Promise<EventFilingDetail> {
  requireActor(ctx.actor);
  const t = transitions[action];
  await inTx(ctx, async (tx) => {
    const before = await lockFiling(tx, id);
    const from = before.state as EventFilingState;
    if (!t.from.includes(from)) throw illegalTransition(action, from);
    await requireSide(tx, before, t.side);
    const now = new Date();
    let to: EventFilingState;
    if (t.to === 'afterUnitApproval') to = before.requiresParent && (await parentOf(tx, before.unitId)) ? 'pendingParent' : 'approved';
    else to = t.to;
    const patch: Partial<FilingRow> = { state: to, updatedAt: now };
    if (action === 'submit') patch.submittedAt = before.submittedAt ?? now;
    if (action === 'approve' || action === 'approveParent' || action === 'reject') patch.decisionComment = input.comment ?? '';
    if (action === 'summarize') {
      if (before.startsAt.getTime() > now.getTime()) throw new AppError('ILLEGAL_TRANSITION', '活动尚未举行，不能填写总结');
      patch.summary = input.summary ?? '';
    }
    const [after] = await tx.db.update(eventFilings).set(patch).where(eq(eventFilings.id, id)).returning();
    for (const attachmentId of input.attachmentIds ?? []) await linkAttachment(tx, attachmentId, EVENT_FILING_ENTITY, id);
    await writeAudit(tx, {
      action: `transition:${from}->${to}`,
      entity: 'eventFiling',
      entityId: id,
      unitId: before.unitId,
      before,
      after,
    });
    await notifyAfter(tx, after!, to);
  });
  return getEventFiling(ctx, id);
}

// ---- who is told

const approverRoles = roleKeys.filter((r) => roles[r].permissions.includes('eventFiling.approve'));
/** Active people whose post acts in `unitId` with a role that approves filings. */
async function approversOf(ctx: Ctx, unitId: string): Promise<string[]> {
  const rows = await ctx.db
    .selectDistinct({ id: posts.personId })
    .from(posts)
    .innerJoin(people, eq(people.id, posts.personId))
    .where(and(eq(posts.scopeRootId, unitId), eq(people.active, true), arrayOverlaps(posts.roles, approverRoles)));
  return rows.map((r) => r.id);
}

async function notifyAfter(ctx: Ctx, f: FilingRow, to: EventFilingState): Promise<void> {
  const me = ctx.actor?.personId;
  let personIds: string[] = [];
  if (to === 'pending') personIds = await approversOf(ctx, f.unitId);
  else if (to === 'pendingParent') {
    const parentId = await parentOf(ctx, f.unitId);
    personIds = parentId ? await approversOf(ctx, parentId) : [];
  } else if ((to === 'approved' || to === 'rejected') && f.createdBy) personIds = [f.createdBy];
  personIds = personIds.filter((p) => p !== me);
  if (personIds.length === 0) return;
  await notify(ctx, {
    personIds,
    unitId: f.unitId,
    title: `活动报备${eventFilingStateLabels[to]}：${f.topic}`,
    body: f.decisionComment ? `意见：${f.decisionComment}` : `活动时间 ${localDate(f.startsAt)}，地点 ${f.venue}`,
    link: '/event-filings',
  });
}

registerAttachmentEntity(EVENT_FILING_ENTITY, async (ctx, entityId) => {
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(entityId);
  const [row] = isUuid ? await ctx.db.select().from(eventFilings).where(eq(eventFilings.id, entityId)).limit(1) : [];
  if (!row) throw notFound('活动报备不存在或无权查看');
  await requireRecordInScope(ctx.db, ctx.actor, 'channel.read', row.unitId);
  if (!(await canInUnit(ctx.db, ctx.actor, 'eventFiling.write', row.unitId))) throw forbidden('只有主办单位可以上传材料');
});
