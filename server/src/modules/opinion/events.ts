/**
 * Public-opinion events (舆情事件): topics concerning a unit and the unit's response — never people. An event
 * holds what appeared where (platform + link to the public item), level, related units, a timeline, response
 * actions (发布说明, 解决问题, 回应关切, 公布结果), the linked emergency plan and its escalation.
 *
 * States (one `transitions` table): 发现 → 研判 → 处置中 → 已回应 → 办结 (研判 may also close directly when
 * no handling is needed). Row lock FOR UPDATE + state re-check → 409.
 *
 * Visibility: an event belongs to its unit (`opinion.read` acting for that unit). Escalation to the parent
 * unit makes it visible there (and to the parent's subtree-wide ancestors), and lets the parent comment.
 * Siblings never see it; ancestors do not see it before escalation. Only the own unit (`opinion.write`)
 * acts on it.
 */
import {
  type AgeBucket,
  type CreateOpinionEventBody,
  type EntryKind,
  entryKindLabels,
  type OpinionAction,
  type OpinionBoard,
  type OpinionEvent,
  type OpinionEventDetail,
  type OpinionLevel,
  type OpinionListQuery,
  type OpinionState,
  opinionLevelLabels,
  opinionStateLabels,
  type ResponseKind,
  responseKindLabels,
  type UpdateOpinionEventBody,
} from '@dutyledger/contracts';
import { and, asc, count, desc, eq, inArray, isNotNull, like, ne, or, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { linkAttachment, listAttachmentsOf, registerAttachmentEntity } from '../../core/attachments/service.js';
import { writeAudit } from '../../core/audit.js';
import { type Ctx, inTx } from '../../core/context.js';
import { AppError, forbidden, invalid, notFound } from '../../core/errors.js';
import { notify } from '../../core/notifications/service.js';
import { people, units } from '../../core/schema.js';
import { canInUnit, childBucket, hasPermission, inArea, inScope, requireActor, subtreePattern, type UnitArea } from '../../core/scope.js';
import { containsPattern } from '../../core/search.js';
import { regionOf } from '../../db/distribution.js';
import { isOwnUnit, iso, isUuid, ownUnitSql, unitPeople } from './common.js';
import {
  opinionEventEntries,
  opinionEventResponses,
  opinionEvents,
  opinionPlatforms,
  responsePlans,
  responsePlanVersions,
} from './schema.js';

export const EVENT_ENTITY = 'opinion.event';
const NOT_FOUND = '舆情事件不存在或无权查看';
const DAY = 86_400_000;

type Side = 'act' | 'comment';
export const opinionTransitions: Record<OpinionAction, { label: string; from: readonly OpinionState[]; to: OpinionState }> = {
  assess: { label: '开始研判', from: ['found'], to: 'assessing' },
  handle: { label: '开始处置', from: ['assessing'], to: 'handling' },
  respond: { label: '确认已回应', from: ['handling'], to: 'responded' },
  close: { label: '办结', from: ['assessing', 'responded'], to: 'closed' },
};

const labelsOf = (states: readonly OpinionState[]) => states.map((s) => `「${opinionStateLabels[s]}」`).join('、');
export function illegalEventTransition(action: OpinionAction, state: OpinionState): AppError {
  const t = opinionTransitions[action];
  return new AppError(
    'ILLEGAL_TRANSITION',
    `舆情事件当前状态为「${opinionStateLabels[state]}」，不能${t.label}（仅${labelsOf(t.from)}状态可以${t.label}）`,
  );
}
const closedError = () => new AppError('ILLEGAL_TRANSITION', '舆情事件已办结，不能再修改');

// ---- rows → API

type EventRow = typeof opinionEvents.$inferSelect;
const escalatedUnits = alias(units, 'escalated_units');
const columns = { event: opinionEvents, unitName: units.name, escalatedToUnitName: escalatedUnits.name, planTitle: responsePlans.title };
const baseQuery = (ctx: Ctx) =>
  ctx.db
    .select(columns)
    .from(opinionEvents)
    .innerJoin(units, eq(units.id, opinionEvents.unitId))
    .leftJoin(escalatedUnits, eq(escalatedUnits.id, opinionEvents.escalatedToUnitId))
    .leftJoin(responsePlans, eq(responsePlans.id, opinionEvents.responsePlanId));

export function ageDays(e: Pick<EventRow, 'firstSeenAt' | 'closedAt'>, now = new Date()): number {
  const end = e.closedAt ?? now;
  return Math.max(0, Math.floor((end.getTime() - e.firstSeenAt.getTime()) / DAY));
}

async function platformNames(ctx: Ctx): Promise<Map<string, string>> {
  const rows = await ctx.db.select({ id: opinionPlatforms.id, name: opinionPlatforms.name }).from(opinionPlatforms);
  return new Map(rows.map((r) => [r.id, r.name]));
}

function toEvent(
  r: { event: EventRow; unitName: string; escalatedToUnitName: string | null; planTitle: string | null },
  platforms: Map<string, string>,
): OpinionEvent {
  const e = r.event;
  const level = e.level as OpinionLevel;
  const state = e.state as OpinionState;
  return {
    id: e.id,
    unitId: e.unitId,
    unitName: r.unitName,
    title: e.title,
    summary: e.summary,
    sources: e.sources.map((s) => ({ platformId: s.platformId, platformName: platforms.get(s.platformId) ?? '', url: s.url })),
    firstSeenAt: e.firstSeenAt.toISOString(),
    level,
    levelLabel: opinionLevelLabels[level],
    state,
    stateLabel: opinionStateLabels[state],
    relatedUnitIds: e.relatedUnitIds,
    responsePlanId: e.responsePlanId,
    responsePlanTitle: r.planTitle,
    escalatedToUnitId: e.escalatedToUnitId,
    escalatedToUnitName: r.escalatedToUnitName,
    escalatedAt: iso(e.escalatedAt),
    conclusion: e.conclusion,
    createdBy: e.createdBy,
    createdAt: e.createdAt.toISOString(),
    closedAt: iso(e.closedAt),
    version: e.version,
    ageDays: ageDays(e),
  };
}

/** SQL: the actor reads the event (own unit; after escalation also the unit escalated to and its ancestors' subtree roles). */
export const eventReadable = (ctx: Ctx): SQL =>
  or(
    ownUnitSql(ctx.actor, 'opinion.read', opinionEvents.unitId),
    and(isNotNull(opinionEvents.escalatedToUnitId), inScope(ctx.actor, 'opinion.read', opinionEvents.escalatedToUnitId)),
  ) as SQL;

async function isReadable(ctx: Ctx, id: string): Promise<boolean> {
  const rows = await ctx.db
    .select({ id: opinionEvents.id })
    .from(opinionEvents)
    .where(and(eq(opinionEvents.id, id), eventReadable(ctx)))
    .limit(1);
  return rows.length > 0;
}

async function canComment(ctx: Ctx, e: EventRow): Promise<boolean> {
  return !!e.escalatedToUnitId && (await canInUnit(ctx.db, ctx.actor, 'opinion.write', e.escalatedToUnitId));
}

/** 404 when unreadable; 403 when readable but not the actor's side. */
async function requireSide(ctx: Ctx, e: EventRow, side: Side): Promise<void> {
  requireActor(ctx.actor);
  if (!(await isReadable(ctx, e.id))) throw notFound(NOT_FOUND);
  if (side === 'act' && !isOwnUnit(ctx.actor, 'opinion.write', e.unitId)) throw forbidden('只有事件所属单位可以处置此事件');
  if (side === 'comment' && !(await canComment(ctx, e))) throw forbidden('只有上报到的上级单位可以提出意见');
}

async function lockEvent(ctx: Ctx, id: string): Promise<EventRow> {
  const [row] = await ctx.db.select().from(opinionEvents).where(eq(opinionEvents.id, id)).for('update');
  if (!row) throw notFound(NOT_FOUND);
  return row;
}

/** A timeline entry of the event, co-located with it (its region). */
async function addEntry(ctx: Ctx, event: Pick<EventRow, 'id' | 'regionId'>, unitId: string, kind: EntryKind, body: string) {
  const [row] = await ctx.db
    .insert(opinionEventEntries)
    .values({ regionId: event.regionId, eventId: event.id, unitId, kind, body, createdBy: ctx.actor?.personId || null })
    .returning();
  return row!;
}

// ---- validation

async function checkSources(ctx: Ctx, sources: { platformId: string; url: string }[]): Promise<void> {
  const ids = [...new Set(sources.map((s) => s.platformId))];
  const rows = ids.length
    ? await ctx.db
        .select({ id: opinionPlatforms.id })
        .from(opinionPlatforms)
        .where(and(inArray(opinionPlatforms.id, ids), eq(opinionPlatforms.active, true)))
    : [];
  if (rows.length !== ids.length) throw invalid({ sources: '出现平台不存在或已停用' });
}

/** Related units: active units of the same tree as the event's unit. */
async function checkRelatedUnits(ctx: Ctx, unitId: string, ids: string[]): Promise<string[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  const [own] = await ctx.db.select({ path: units.path }).from(units).where(eq(units.id, unitId)).limit(1);
  const rootPath = `/${own?.path.split('/')[1] ?? ''}/`;
  const rows = await ctx.db
    .select({ id: units.id })
    .from(units)
    .where(and(inArray(units.id, unique), eq(units.active, true), like(units.path, subtreePattern(rootPath))));
  if (rows.length !== unique.length) throw invalid({ relatedUnitIds: '相关单位不存在或已撤销' });
  return unique;
}

/** The plan must belong to the event's unit or one of its ancestors. */
async function checkPlan(ctx: Ctx, unitId: string, planId: string | null | undefined): Promise<void> {
  if (!planId) return;
  const [unit] = await ctx.db.select({ path: units.path }).from(units).where(eq(units.id, unitId)).limit(1);
  const [plan] = await ctx.db.select({ unitId: responsePlans.unitId }).from(responsePlans).where(eq(responsePlans.id, planId)).limit(1);
  if (!plan || !unit?.path.includes(`/${plan.unitId}/`)) throw invalid({ responsePlanId: '应急预案不存在，或不属于本单位及上级单位' });
}

function firstSeenOf(value: string): Date {
  const at = new Date(value);
  if (at.getTime() > Date.now() + 60_000) throw invalid({ firstSeenAt: '首次发现时间不能晚于当前时间' });
  return at;
}

/** Tells the plan's people to notify when the event's level is one the plan's current version covers (once per level). */
async function notifyPlanPeople(ctx: Ctx, e: EventRow): Promise<void> {
  if (!e.responsePlanId) return;
  const [v] = await ctx.db
    .select({ levels: responsePlanVersions.levels, notify: responsePlanVersions.notifyPersonIds, title: responsePlans.title })
    .from(responsePlans)
    .innerJoin(
      responsePlanVersions,
      and(eq(responsePlanVersions.planId, responsePlans.id), eq(responsePlanVersions.version, responsePlans.currentVersion)),
    )
    .where(eq(responsePlans.id, e.responsePlanId))
    .limit(1);
  if (!v?.levels.includes(e.level) || v.notify.length === 0) return;
  await notify(ctx, {
    personIds: v.notify,
    unitId: e.unitId,
    title: `【${opinionLevelLabels[e.level as OpinionLevel]}舆情】${e.title}`,
    body: `已启动应急预案「${v.title}」，请按预案履职。`,
    link: `/opinion/events/${e.id}`,
    dedupeKey: `opinion-plan:${e.id}:${e.responsePlanId}:${e.level}`,
  });
}

// ---- writes

export async function createOpinionEvent(ctx: Ctx, input: CreateOpinionEventBody): Promise<OpinionEventDetail> {
  const actor = requireActor(ctx.actor);
  if (!isOwnUnit(actor, 'opinion.write', input.unitId)) throw forbidden('只能登记本单位的舆情事件');
  const firstSeenAt = firstSeenOf(input.firstSeenAt);
  await checkSources(ctx, input.sources);
  const relatedUnitIds = await checkRelatedUnits(ctx, input.unitId, input.relatedUnitIds);
  await checkPlan(ctx, input.unitId, input.responsePlanId);
  const id = await inTx(ctx, async (tx) => {
    const [row] = await tx.db
      .insert(opinionEvents)
      .values({
        regionId: regionOf(input.unitId),
        unitId: input.unitId,
        title: input.title,
        summary: input.summary,
        sources: input.sources,
        firstSeenAt,
        level: input.level,
        relatedUnitIds,
        responsePlanId: input.responsePlanId ?? null,
        createdBy: actor.personId || null,
      })
      .returning();
    await addEntry(tx, row!, row!.unitId, 'state', `登记舆情事件（${opinionLevelLabels[input.level]}）`);
    for (const a of input.attachmentIds ?? []) await linkAttachment(tx, a, EVENT_ENTITY, row!.id);
    await writeAudit(tx, { action: 'create', entity: 'opinionEvent', entityId: row!.id, unitId: row!.unitId, after: row });
    await notifyPlanPeople(tx, row!);
    return row!.id;
  });
  return getOpinionEvent(ctx, id);
}

export async function updateOpinionEvent(ctx: Ctx, id: string, input: UpdateOpinionEventBody): Promise<OpinionEventDetail> {
  requireActor(ctx.actor);
  await inTx(ctx, async (tx) => {
    const before = await lockEvent(tx, id);
    await requireSide(tx, before, 'act');
    if (before.state === 'closed') throw closedError();
    const patch: Partial<EventRow> = {};
    if (input.title !== undefined) patch.title = input.title;
    if (input.summary !== undefined) patch.summary = input.summary;
    if (input.sources !== undefined) {
      await checkSources(tx, input.sources);
      patch.sources = input.sources;
    }
    if (input.level !== undefined) patch.level = input.level;
    if (input.relatedUnitIds !== undefined) patch.relatedUnitIds = await checkRelatedUnits(tx, before.unitId, input.relatedUnitIds);
    if (input.responsePlanId !== undefined) {
      await checkPlan(tx, before.unitId, input.responsePlanId);
      patch.responsePlanId = input.responsePlanId;
    }
    const links = input.attachmentIds ?? [];
    if (Object.keys(patch).length === 0 && links.length === 0) return;
    const [after] = await tx.db
      .update(opinionEvents)
      .set({ ...patch, version: before.version + 1, updatedAt: new Date() })
      .where(eq(opinionEvents.id, id))
      .returning();
    if (patch.level && patch.level !== before.level) {
      const from = opinionLevelLabels[before.level as OpinionLevel];
      await addEntry(
        tx,
        before,
        before.unitId,
        'note',
        `事件等级由「${from}」调整为「${opinionLevelLabels[patch.level as OpinionLevel]}」`,
      );
    }
    for (const a of links) await linkAttachment(tx, a, EVENT_ENTITY, id);
    await writeAudit(tx, { action: 'update', entity: 'opinionEvent', entityId: id, unitId: before.unitId, before, after });
    await notifyPlanPeople(tx, after!);
  });
  return getOpinionEvent(ctx, id);
}

/** Applies a transition under the row lock; the timeline and the audit record it; `respond` needs a response first. */
export async function transitionOpinionEvent(
  ctx: Ctx,
  id: string,
  action: OpinionAction,
  input: { note?: string; conclusion?: string } = {},
): Promise<OpinionEventDetail> {
  requireActor(ctx.actor);
  const t = opinionTransitions[action];
  await inTx(ctx, async (tx) => {
    const before = await lockEvent(tx, id);
    await requireSide(tx, before, 'act');
    const from = before.state as OpinionState;
    if (!t.from.includes(from)) throw illegalEventTransition(action, from);
    if (action === 'respond') {
      const [{ n }] = (await tx.db.select({ n: count() }).from(opinionEventResponses).where(eq(opinionEventResponses.eventId, id))) as [
        { n: number },
      ];
      if (n === 0) throw new AppError('ILLEGAL_TRANSITION', '尚未登记回应措施，请先登记回应（发布说明、解决问题、回应关切或公布结果）');
    }
    if (action === 'close' && !input.conclusion?.trim()) throw invalid({ conclusion: '请填写办结情况' });
    const now = new Date();
    const patch: Partial<EventRow> = { state: t.to, version: before.version + 1, updatedAt: now };
    if (action === 'close') Object.assign(patch, { closedAt: now, conclusion: input.conclusion });
    const [after] = await tx.db.update(opinionEvents).set(patch).where(eq(opinionEvents.id, id)).returning();
    const text = action === 'close' ? `办结：${input.conclusion}` : input.note ? `。${input.note}` : '';
    await addEntry(
      tx,
      before,
      before.unitId,
      'state',
      action === 'close' ? text : `状态由「${opinionStateLabels[from]}」变为「${opinionStateLabels[t.to]}」${text}`,
    );
    await writeAudit(tx, {
      action: `transition:${from}->${t.to}`,
      entity: 'opinionEvent',
      entityId: id,
      unitId: before.unitId,
      before,
      after,
    });
    if (before.escalatedToUnitId) {
      await notify(tx, {
        personIds: (await unitPeople(tx, before.escalatedToUnitId, 'opinion.write')).filter((p) => p !== tx.actor?.personId),
        unitId: before.escalatedToUnitId,
        title: `舆情事件${opinionStateLabels[t.to]}：${before.title}`,
        body: `上报事件的状态变为「${opinionStateLabels[t.to]}」`,
        link: `/opinion/events/${id}`,
      });
    }
  });
  return getOpinionEvent(ctx, id);
}

/**
 * A timeline entry: the own unit records what was learned (note) or done (action); the unit escalated to
 * comments (comment). Comments are allowed after closing; notes and actions are not.
 */
export async function addOpinionEntry(ctx: Ctx, id: string, input: { kind: 'note' | 'action' | 'comment'; body: string }) {
  requireActor(ctx.actor);
  await inTx(ctx, async (tx) => {
    const e = await lockEvent(tx, id);
    const side: Side = input.kind === 'comment' ? 'comment' : 'act';
    await requireSide(tx, e, side);
    if (side === 'act' && e.state === 'closed') throw closedError();
    const unitId = side === 'comment' ? e.escalatedToUnitId! : e.unitId;
    const row = await addEntry(tx, e, unitId, input.kind, input.body);
    await writeAudit(tx, { action: `entry:${input.kind}`, entity: 'opinionEvent', entityId: id, unitId: e.unitId, after: row });
    if (side === 'comment') {
      await notify(tx, {
        personIds: (await unitPeople(tx, e.unitId, 'opinion.write')).filter((p) => p !== tx.actor?.personId),
        unitId: e.unitId,
        title: `上级对舆情事件提出意见：${e.title}`,
        body: input.body,
        link: `/opinion/events/${id}`,
      });
    }
  });
  return getOpinionEvent(ctx, id);
}

/** A response action (网上快回应、网下快处置、结果快公布), while 处置中 or 已回应. */
export async function addOpinionResponse(
  ctx: Ctx,
  id: string,
  input: { kind: ResponseKind; content: string; url: string; happenedAt: string; attachmentIds?: string[] },
): Promise<OpinionEventDetail> {
  requireActor(ctx.actor);
  const happenedAt = new Date(input.happenedAt);
  if (happenedAt.getTime() > Date.now() + 60_000) throw invalid({ happenedAt: '回应时间不能晚于当前时间' });
  await inTx(ctx, async (tx) => {
    const e = await lockEvent(tx, id);
    await requireSide(tx, e, 'act');
    const state = e.state as OpinionState;
    if (state !== 'handling' && state !== 'responded')
      throw new AppError(
        'ILLEGAL_TRANSITION',
        `舆情事件当前状态为「${opinionStateLabels[state]}」，只有「处置中」「已回应」状态可以登记回应`,
      );
    const [row] = await tx.db
      .insert(opinionEventResponses)
      .values({
        regionId: e.regionId,
        eventId: id,
        kind: input.kind,
        content: input.content,
        url: input.url,
        happenedAt,
        createdBy: tx.actor?.personId || null,
      })
      .returning();
    await addEntry(tx, e, e.unitId, 'response', `${responseKindLabels[input.kind]}：${input.content}`);
    for (const a of input.attachmentIds ?? []) await linkAttachment(tx, a, EVENT_ENTITY, id);
    await writeAudit(tx, { action: 'response', entity: 'opinionEvent', entityId: id, unitId: e.unitId, after: row });
  });
  return getOpinionEvent(ctx, id);
}

/** Escalates to the parent unit (once): the parent then sees the event and may comment. */
export async function escalateOpinionEvent(ctx: Ctx, id: string, reason: string): Promise<OpinionEventDetail> {
  requireActor(ctx.actor);
  await inTx(ctx, async (tx) => {
    const before = await lockEvent(tx, id);
    await requireSide(tx, before, 'act');
    if (before.state === 'closed') throw closedError();
    if (before.escalatedToUnitId) throw new AppError('ILLEGAL_TRANSITION', '舆情事件已上报，不能重复上报');
    const [unit] = await tx.db.select({ parentId: units.parentId }).from(units).where(eq(units.id, before.unitId)).limit(1);
    if (!unit?.parentId) throw invalid({ reason: '顶级单位没有上级单位，无法上报' }, '顶级单位没有上级单位，无法上报');
    const [parent] = await tx.db.select({ name: units.name }).from(units).where(eq(units.id, unit.parentId)).limit(1);
    const [after] = await tx.db
      .update(opinionEvents)
      .set({ escalatedToUnitId: unit.parentId, escalatedAt: new Date(), version: before.version + 1, updatedAt: new Date() })
      .where(eq(opinionEvents.id, id))
      .returning();
    await addEntry(tx, before, before.unitId, 'escalation', `上报${parent!.name}：${reason}`);
    await writeAudit(tx, { action: 'escalate', entity: 'opinionEvent', entityId: id, unitId: before.unitId, before, after });
    await notify(tx, {
      personIds: await unitPeople(tx, unit.parentId, 'opinion.write'),
      unitId: unit.parentId,
      title: `【${opinionLevelLabels[before.level as OpinionLevel]}舆情上报】${before.title}`,
      body: reason,
      link: `/opinion/events/${id}`,
    });
  });
  return getOpinionEvent(ctx, id);
}

// ---- reads

export async function getOpinionEvent(ctx: Ctx, id: string): Promise<OpinionEventDetail> {
  requireActor(ctx.actor);
  const [row] = await baseQuery(ctx)
    .where(and(eq(opinionEvents.id, id), eventReadable(ctx)))
    .limit(1);
  if (!row) throw notFound(NOT_FOUND);
  const e = row.event;
  const entryUnits = alias(units, 'entry_units');
  const entries = await ctx.db
    .select({ en: opinionEventEntries, unitName: entryUnits.name, createdByName: people.displayName })
    .from(opinionEventEntries)
    .innerJoin(entryUnits, eq(entryUnits.id, opinionEventEntries.unitId))
    .leftJoin(people, eq(people.id, opinionEventEntries.createdBy))
    .where(eq(opinionEventEntries.eventId, id))
    .orderBy(asc(opinionEventEntries.createdAt), asc(opinionEventEntries.id));
  const responses = await ctx.db
    .select()
    .from(opinionEventResponses)
    .where(eq(opinionEventResponses.eventId, id))
    .orderBy(asc(opinionEventResponses.happenedAt), asc(opinionEventResponses.id));
  const related = e.relatedUnitIds.length
    ? await ctx.db.select({ id: units.id, name: units.name }).from(units).where(inArray(units.id, e.relatedUnitIds))
    : [];
  return {
    ...toEvent(row, await platformNames(ctx)),
    relatedUnits: related,
    entries: entries.map((x) => ({
      id: x.en.id,
      kind: x.en.kind as EntryKind,
      kindLabel: entryKindLabels[x.en.kind as EntryKind],
      unitId: x.en.unitId,
      unitName: x.unitName,
      body: x.en.body,
      createdBy: x.en.createdBy,
      createdByName: x.createdByName,
      createdAt: x.en.createdAt.toISOString(),
    })),
    responses: responses.map((r) => ({
      id: r.id,
      kind: r.kind as ResponseKind,
      kindLabel: responseKindLabels[r.kind as ResponseKind],
      content: r.content,
      url: r.url,
      happenedAt: r.happenedAt.toISOString(),
      createdBy: r.createdBy,
      createdAt: r.createdAt.toISOString(),
    })),
    attachments: await listAttachmentsOf(ctx, EVENT_ENTITY, id),
    can: { act: isOwnUnit(ctx.actor, 'opinion.write', e.unitId), comment: await canComment(ctx, e) },
  };
}

export async function listOpinionEvents(ctx: Ctx, q: OpinionListQuery & { page: number; pageSize: number }) {
  requireActor(ctx.actor);
  const conds: (SQL | undefined)[] = [eventReadable(ctx)];
  if (q.unitId) conds.push(eq(opinionEvents.unitId, q.unitId));
  if (q.state) conds.push(eq(opinionEvents.state, q.state));
  if (q.level) conds.push(eq(opinionEvents.level, q.level));
  if (q.open === 'true') conds.push(ne(opinionEvents.state, 'closed'));
  if (q.open === 'false') conds.push(eq(opinionEvents.state, 'closed'));
  if (q.q)
    conds.push(or(sql`${opinionEvents.title} ILIKE ${containsPattern(q.q)}`, sql`${opinionEvents.summary} ILIKE ${containsPattern(q.q)}`));
  const where = and(...conds);
  const [{ total }] = (await ctx.db.select({ total: count() }).from(opinionEvents).where(where)) as [{ total: number }];
  const rows = await baseQuery(ctx)
    .where(where)
    .orderBy(desc(opinionEvents.firstSeenAt), asc(opinionEvents.id))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  const platforms = await platformNames(ctx);
  return { items: rows.map((r) => toEvent(r, platforms)), total, page: q.page, pageSize: q.pageSize };
}

const levelRank = sql`CASE ${opinionEvents.level} WHEN 'critical' THEN 0 WHEN 'major' THEN 1 WHEN 'serious' THEN 2 ELSE 3 END`;
const ageBucketSql = sql<AgeBucket>`CASE
  WHEN ${opinionEvents.firstSeenAt} > now() - interval '1 day' THEN 'd1'
  WHEN ${opinionEvents.firstSeenAt} > now() - interval '3 days' THEN 'd3'
  WHEN ${opinionEvents.firstSeenAt} > now() - interval '7 days' THEN 'd7'
  ELSE 'older' END`;

/**
 * Board of open (not 办结) events the actor reads, in the subtree of `rootUnitId` (default: the actor's scope
 * root): counts per level and age, and the events themselves (most severe, then oldest, first; at most 200).
 * For the dashboard.
 */
export async function openOpinionEvents(ctx: Ctx, rootUnitId?: string): Promise<OpinionBoard> {
  const actor = requireActor(ctx.actor);
  if (!hasPermission(actor, 'opinion.read')) throw forbidden();
  const rootId = rootUnitId ?? actor.post!.scopeRootId;
  if (!(await canInUnit(ctx.db, actor, 'opinion.read', rootId))) throw notFound('单位不存在或无权查看');
  const [root] = await ctx.db.select({ path: units.path }).from(units).where(eq(units.id, rootId)).limit(1);
  if (!root) throw notFound('单位不存在');
  const where = and(eventReadable(ctx), ne(opinionEvents.state, 'closed'), like(units.path, subtreePattern(root.path)));
  const cells = await ctx.db
    .select({ level: opinionEvents.level, age: ageBucketSql, count: count() })
    .from(opinionEvents)
    .innerJoin(units, eq(units.id, opinionEvents.unitId))
    .where(where)
    .groupBy(opinionEvents.level, ageBucketSql);
  const rows = await baseQuery(ctx).where(where).orderBy(levelRank, asc(opinionEvents.firstSeenAt), asc(opinionEvents.id)).limit(200);
  const platforms = await platformNames(ctx);
  return {
    total: cells.reduce((s, c) => s + Number(c.count), 0),
    cells: cells.map((c) => ({ level: c.level as OpinionLevel, age: c.age, count: Number(c.count) })),
    events: rows.map((r) => toEvent(r, platforms)),
  };
}

/**
 * Open (not 办结) events the actor may read in `area`, counted per child bucket of the area's unit (for the
 * dashboard; see `childBucket` in core/scope.ts).
 */
export async function openOpinionCountsByChild(ctx: Ctx, area: UnitArea): Promise<Map<string, number>> {
  requireActor(ctx.actor);
  const bucket = childBucket(units.path, area.path);
  const rows = await ctx.db
    .select({ bucket, n: count() })
    .from(opinionEvents)
    .innerJoin(units, eq(units.id, opinionEvents.unitId))
    .where(and(eventReadable(ctx), ne(opinionEvents.state, 'closed'), inArea(units.path, area)))
    .groupBy(bucket);
  return new Map(rows.map((r) => [r.bucket, Number(r.n)]));
}

// attachments: the own unit links them while the event is open
registerAttachmentEntity(EVENT_ENTITY, async (ctx, entityId) => {
  const [row] = isUuid(entityId) ? await ctx.db.select().from(opinionEvents).where(eq(opinionEvents.id, entityId)).limit(1) : [];
  if (!row) throw notFound(NOT_FOUND);
  await requireSide(ctx, row, 'act');
});
