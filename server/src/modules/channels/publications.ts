/**
 * Publications (稿件) and their review, 谁发布谁审核: the state machine (the one `transitions` table), the
 * history of steps (who/when/comment/checklist), the reviewer inbox and the author's list.
 *
 * Who may act: the author submits, edits (草稿/退回), publishes (待发布) and withdraws (已发布); the channel's
 * responsible person and its managers (`channel.manage` in its unit) may also publish and withdraw. Review
 * steps are taken by the people named at the current level of the channel's chain — never by the author.
 * Readable by the author, by the channel's reviewers and by `channel.read` in the channel's unit; others 404.
 */
import {
  type ChecklistEntry,
  type CreatePublicationBody,
  type Publication,
  type PublicationAction,
  type PublicationDetail,
  type PublicationListQuery,
  type PublicationState,
  publicationStateLabels,
  type UpdatePublicationBody,
} from '@dutyledger/contracts';
import { and, asc, count, desc, eq, or, type SQL, sql } from 'drizzle-orm';
import { linkAttachment, listAttachmentsOf, registerAttachmentEntity } from '../../core/attachments/service.js';
import { writeAudit } from '../../core/audit.js';
import { type Ctx, inTx } from '../../core/context.js';
import { AppError, forbidden, invalid, notFound } from '../../core/errors.js';
import { notify } from '../../core/notifications/service.js';
import { people, units } from '../../core/schema.js';
import { canInUnit, inScope, requireActor, requireUnitPermission } from '../../core/scope.js';
import { containsPattern } from '../../core/search.js';
import { channelRow, isReviewerAt, reviewerIdsAt } from './channels.js';
import { sanitizeRichText } from './sanitize.js';
import { channelDicts, channelReviewers, channels, publicationSteps, publications } from './schema.js';

export const PUBLICATION_ENTITY = 'channels.publication';
type PubRow = typeof publications.$inferSelect;

// ---- the state machine: the one place that says which action moves an item from where to where, by whom

type Side = 'author' | 'reviewer' | 'publisher';
const reviewStates = ['review1', 'review2', 'review3'] as const;
export const transitions: Record<
  PublicationAction,
  { label: string; from: readonly PublicationState[]; to: PublicationState | 'nextLevel'; side: Side }
> = {
  submit: { label: '提交审核', from: ['draft', 'returned'], to: 'review1', side: 'author' },
  approve: { label: '审核通过', from: reviewStates, to: 'nextLevel', side: 'reviewer' },
  return: { label: '退回', from: reviewStates, to: 'returned', side: 'reviewer' },
  publish: { label: '标记发布', from: ['toPublish'], to: 'published', side: 'publisher' },
  withdraw: { label: '撤回', from: ['published'], to: 'withdrawn', side: 'publisher' },
};

/** The level under review in `state` (1–3), or null. */
export const levelOf = (state: PublicationState): number | null =>
  state === 'review1' ? 1 : state === 'review2' ? 2 : state === 'review3' ? 3 : null;

/** The chain level whose reviewers act on an item at `level` when the channel now has `chainLevels` levels. */
export const actingLevel = (level: number, chainLevels: number): number => Math.min(level, chainLevels);

/** Where `action` leads from `state` for an item of `levels` review levels. */
export function nextState(action: PublicationAction, state: PublicationState, levels: number): PublicationState {
  const t = transitions[action];
  if (t.to !== 'nextLevel') return t.to;
  const level = levelOf(state)!;
  return level >= levels ? 'toPublish' : (`review${level + 1}` as PublicationState);
}

const labelsOf = (states: readonly PublicationState[]) => states.map((s) => `「${publicationStateLabels[s]}」`).join('、');
export function illegalTransition(action: PublicationAction, state: PublicationState): AppError {
  const t = transitions[action];
  return new AppError(
    'ILLEGAL_TRANSITION',
    `稿件当前状态为「${publicationStateLabels[state]}」，不能${t.label}（仅${labelsOf(t.from)}状态可以${t.label}）`,
  );
}

// ---- rows → API

const columns = { pub: publications, channelName: channels.name, unitName: units.name, authorName: people.displayName };
const baseQuery = (ctx: Ctx) =>
  ctx.db
    .select(columns)
    .from(publications)
    .innerJoin(channels, eq(channels.id, publications.channelId))
    .innerJoin(units, eq(units.id, publications.unitId))
    .innerJoin(people, eq(people.id, publications.authorId));

const iso = (d: Date | null) => (d ? d.toISOString() : null);
function toPublication(r: { pub: PubRow; channelName: string; unitName: string; authorName: string }): Publication {
  const p = r.pub;
  const state = p.state as PublicationState;
  return {
    id: p.id,
    channelId: p.channelId,
    channelName: r.channelName,
    unitId: p.unitId,
    unitName: r.unitName,
    authorId: p.authorId,
    authorName: r.authorName,
    title: p.title,
    plannedAt: iso(p.plannedAt),
    state,
    stateLabel: publicationStateLabels[state],
    levels: p.levels,
    publishedUrl: p.publishedUrl,
    publishedAt: iso(p.publishedAt),
    returnReason: p.returnReason,
    withdrawReason: p.withdrawReason,
    version: p.version,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

/** SQL: readable by the actor (author, a reviewer of the channel, or channel.read in its unit). */
export function publicationReadable(ctx: Ctx): SQL {
  const me = requireActor(ctx.actor).personId || '00000000-0000-0000-0000-000000000000';
  return or(
    eq(publications.authorId, me),
    sql`EXISTS (SELECT 1 FROM ${channelReviewers} WHERE ${channelReviewers.channelId} = ${publications.channelId} AND ${channelReviewers.personId} = ${me})`,
    inScope(ctx.actor, 'channel.read', publications.unitId),
  ) as SQL;
}

/** SQL: waiting for the actor's review at its current level (and not written by the actor). */
function inInbox(ctx: Ctx): SQL {
  const me = requireActor(ctx.actor).personId || '00000000-0000-0000-0000-000000000000';
  return sql`(${publications.authorId} <> ${me} AND EXISTS (SELECT 1 FROM ${channelReviewers}
    WHERE ${channelReviewers.channelId} = ${publications.channelId} AND ${channelReviewers.personId} = ${me}
    AND ${channelReviewers.level} = LEAST(
      CASE ${publications.state} WHEN 'review1' THEN 1 WHEN 'review2' THEN 2 WHEN 'review3' THEN 3 END,
      (SELECT ${channels.reviewLevels} FROM ${channels} WHERE ${channels.id} = ${publications.channelId})
    )))`;
}

async function readableRow(ctx: Ctx, id: string): Promise<PubRow | null> {
  const [row] = await ctx.db
    .select()
    .from(publications)
    .where(and(eq(publications.id, id), publicationReadable(ctx)))
    .limit(1);
  return row ?? null;
}

// ---- reads

export async function getPublication(ctx: Ctx, id: string): Promise<PublicationDetail> {
  const actor = requireActor(ctx.actor);
  const [row] = await baseQuery(ctx)
    .where(and(eq(publications.id, id), publicationReadable(ctx)))
    .limit(1);
  if (!row) throw notFound('稿件不存在或无权查看');
  const steps = await ctx.db
    .select({ step: publicationSteps, actorName: people.displayName })
    .from(publicationSteps)
    .leftJoin(people, eq(people.id, publicationSteps.actorId))
    .where(eq(publicationSteps.publicationId, id))
    .orderBy(asc(publicationSteps.createdAt), asc(publicationSteps.id));
  const level = levelOf(row.pub.state as PublicationState);
  const chainLevels = (await channelRow(ctx, row.pub.channelId))?.reviewLevels ?? 1;
  const canReview =
    level !== null &&
    row.pub.authorId !== actor.personId &&
    (await isReviewerAt(ctx, row.pub.channelId, actingLevel(level, chainLevels), actor.personId));
  return {
    ...toPublication(row),
    body: row.pub.body,
    canReview,
    attachments: await listAttachmentsOf(ctx, PUBLICATION_ENTITY, id),
    steps: steps.map(({ step: s, actorName }) => ({
      id: s.id,
      action: s.action as PublicationAction,
      fromState: s.fromState as PublicationState,
      toState: s.toState as PublicationState,
      level: s.level,
      actorId: s.actorId,
      actorName: actorName ?? '系统',
      comment: s.comment,
      checklist: s.checklist,
      createdAt: s.createdAt.toISOString(),
    })),
  };
}

export async function listPublications(ctx: Ctx, q: PublicationListQuery & { page: number; pageSize: number }) {
  const actor = requireActor(ctx.actor);
  const conds: (SQL | undefined)[] = [publicationReadable(ctx)];
  if (q.box === 'mine') conds.push(eq(publications.authorId, actor.personId));
  if (q.box === 'inbox') conds.push(inInbox(ctx));
  if (q.channelId) conds.push(eq(publications.channelId, q.channelId));
  if (q.state) conds.push(eq(publications.state, q.state));
  if (q.q) conds.push(sql`${publications.title} ILIKE ${containsPattern(q.q)}`);
  const where = and(...conds);
  const [{ total }] = (await ctx.db.select({ total: count() }).from(publications).where(where)) as [{ total: number }];
  const rows = await baseQuery(ctx)
    .where(where)
    .orderBy(desc(publications.updatedAt), asc(publications.id))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  return { items: rows.map(toPublication), total, page: q.page, pageSize: q.pageSize };
}

// ---- drafts

async function requireRunningChannel(ctx: Ctx, channelId: string, field = 'channelId') {
  const ch = await channelRow(ctx, channelId);
  if (!ch) throw invalid({ [field]: '阵地不存在' });
  return ch;
}

export async function createPublication(ctx: Ctx, input: CreatePublicationBody): Promise<PublicationDetail> {
  const actor = requireActor(ctx.actor);
  const ch = await requireRunningChannel(ctx, input.channelId);
  await requireUnitPermission(ctx.db, ctx.actor, 'publication.write', ch.unitId);
  if (ch.status !== 'running') throw invalid({ channelId: '该阵地已暂停或关停，不能投稿' });
  const id = await inTx(ctx, async (tx) => {
    const [row] = await tx.db
      .insert(publications)
      .values({
        regionId: ch.regionId,
        channelId: ch.id,
        unitId: ch.unitId,
        authorId: actor.personId,
        title: input.title,
        body: sanitizeRichText(input.body ?? ''),
        plannedAt: input.plannedAt ? new Date(input.plannedAt) : null,
        levels: ch.reviewLevels,
      })
      .returning();
    for (const attachmentId of input.attachmentIds ?? []) await linkAttachment(tx, attachmentId, PUBLICATION_ENTITY, row!.id);
    await writeAudit(tx, { action: 'create', entity: 'publication', entityId: row!.id, unitId: row!.unitId, after: row });
    return row!.id;
  });
  return getPublication(ctx, id);
}

async function lockPublication(ctx: Ctx, id: string): Promise<PubRow> {
  const [row] = await ctx.db.select().from(publications).where(eq(publications.id, id)).for('update');
  if (!row || !(await readableRow(ctx, id))) throw notFound('稿件不存在或无权查看');
  return row;
}

async function requireAuthor(ctx: Ctx, p: PubRow): Promise<void> {
  if (p.authorId !== ctx.actor?.personId || !(await canInUnit(ctx.db, ctx.actor, 'publication.write', p.unitId)))
    throw forbidden('只有稿件作者可以执行此操作');
}

export async function updatePublication(ctx: Ctx, id: string, input: UpdatePublicationBody): Promise<PublicationDetail> {
  requireActor(ctx.actor);
  await inTx(ctx, async (tx) => {
    const before = await lockPublication(tx, id);
    await requireAuthor(tx, before);
    const state = before.state as PublicationState;
    if (state !== 'draft' && state !== 'returned')
      throw new AppError('ILLEGAL_TRANSITION', `稿件当前状态为「${publicationStateLabels[state]}」，只有草稿或退回的稿件可以修改`);
    const patch: Partial<PubRow> = {};
    if (input.title !== undefined) patch.title = input.title;
    if (input.body !== undefined) patch.body = sanitizeRichText(input.body);
    if (input.plannedAt !== undefined) patch.plannedAt = input.plannedAt ? new Date(input.plannedAt) : null;
    const links = input.attachmentIds ?? [];
    if (Object.keys(patch).length === 0 && links.length === 0) return;
    const [after] = await tx.db
      .update(publications)
      .set({ ...patch, updatedAt: new Date(), version: before.version + 1 })
      .where(eq(publications.id, id))
      .returning();
    for (const attachmentId of links) await linkAttachment(tx, attachmentId, PUBLICATION_ENTITY, id);
    await writeAudit(tx, { action: 'update', entity: 'publication', entityId: id, unitId: before.unitId, before, after });
  });
  return getPublication(ctx, id);
}

// ---- transitions

/** Checklist of a review step: known active items; approving needs every active item confirmed. */
async function checkChecklist(ctx: Ctx, entries: ChecklistEntry[], approving: boolean) {
  const items = await ctx.db
    .select({ id: channelDicts.id, name: channelDicts.name })
    .from(channelDicts)
    .where(and(eq(channelDicts.kind, 'reviewCheck'), eq(channelDicts.active, true)))
    .orderBy(asc(channelDicts.sort));
  const byId = new Map(items.map((i) => [i.id, i.name]));
  if (entries.some((e) => !byId.has(e.itemId))) throw invalid({ checklist: '审核要点不存在或已停用' });
  if (approving) {
    const confirmed = new Set(entries.filter((e) => e.ok).map((e) => e.itemId));
    const missing = items.filter((i) => !confirmed.has(i.id)).map((i) => i.name);
    if (missing.length) throw invalid({ checklist: `审核通过须逐项确认审核要点：${missing.join('、')}` });
  }
  return entries.map((e) => ({ itemId: e.itemId, name: byId.get(e.itemId)!, ok: e.ok }));
}

async function requirePublisher(ctx: Ctx, p: PubRow): Promise<void> {
  const me = ctx.actor?.personId;
  if (p.authorId === me) return requireAuthor(ctx, p);
  const ch = await channelRow(ctx, p.channelId);
  if (ch?.responsiblePersonId === me && me) return;
  if (await canInUnit(ctx.db, ctx.actor, 'channel.manage', p.unitId)) return;
  throw forbidden('只有稿件作者、阵地责任人或管理员可以执行此操作');
}

export interface TransitionInput {
  comment?: string;
  checklist?: ChecklistEntry[];
  url?: string;
  publishedAt?: string;
  reason?: string;
  /** the review level the reviewer saw */
  level?: number;
}

/**
 * Applies `action` to publication `id`: locks the row, checks who acts and the current state under the lock,
 * updates, appends the step to the history, audits `transition:<from>-><to>` and notifies — in one transaction.
 */
export async function transitionPublication(
  ctx: Ctx,
  id: string,
  action: PublicationAction,
  input: TransitionInput = {},
): Promise<PublicationDetail> {
  const actor = requireActor(ctx.actor);
  const t = transitions[action];
  await inTx(ctx, async (tx) => {
    const before = await lockPublication(tx, id);
    const from = before.state as PublicationState;
    let level: number | null = null;
    if (t.side === 'author') await requireAuthor(tx, before);
    if (t.side === 'publisher') await requirePublisher(tx, before);
    if (!t.from.includes(from)) throw illegalTransition(action, from);
    let levels = before.levels;
    if (t.side === 'reviewer') {
      level = levelOf(from)!;
      if (before.authorId === actor.personId) throw forbidden('不能审核本人提交的稿件');
      // the step the reviewer saw was taken meanwhile (a concurrent approval): a conflict, not a permission matter
      const taken = new AppError('ILLEGAL_TRANSITION', `稿件当前状态为「${publicationStateLabels[from]}」，该级审核已由他人完成`);
      if (input.level !== undefined && input.level !== level) throw taken;
      // a chain shortened since submission: its last level decides for the levels it no longer has
      const chainLevels = (await channelRow(tx, before.channelId))!.reviewLevels;
      const acting = actingLevel(level, chainLevels);
      levels = Math.min(before.levels, chainLevels);
      if (!(await isReviewerAt(tx, before.channelId, acting, actor.personId))) {
        for (let l = 1; l < acting; l++) if (await isReviewerAt(tx, before.channelId, l, actor.personId)) throw taken;
        throw forbidden('您不是该阵地本级的审核人');
      }
    }
    const checklist = t.side === 'reviewer' ? await checkChecklist(tx, input.checklist ?? [], action === 'approve') : [];
    const now = new Date();
    const patch: Partial<PubRow> = { version: before.version + 1, updatedAt: now };
    if (levels !== before.levels) patch.levels = levels;
    if (action === 'submit') {
      const ch = await channelRow(tx, before.channelId);
      if (ch?.status !== 'running') throw new AppError('ILLEGAL_TRANSITION', '该阵地已暂停或关停，不能提交审核');
      levels = ch.reviewLevels;
      Object.assign(patch, { levels, returnReason: null });
    }
    const to = nextState(action, from, levels);
    patch.state = to;
    if (action === 'return') patch.returnReason = input.comment ?? '';
    if (action === 'publish')
      Object.assign(patch, { publishedUrl: input.url, publishedAt: input.publishedAt ? new Date(input.publishedAt) : now });
    if (action === 'withdraw') patch.withdrawReason = input.reason ?? '';
    const [after] = await tx.db.update(publications).set(patch).where(eq(publications.id, id)).returning();
    await tx.db.insert(publicationSteps).values({
      regionId: before.regionId,
      publicationId: id,
      action,
      fromState: from,
      toState: to,
      level,
      actorId: actor.personId || null,
      comment: action === 'withdraw' ? (input.reason ?? '') : action === 'publish' ? (input.url ?? '') : (input.comment ?? ''),
      checklist,
      createdAt: now,
    });
    await writeAudit(tx, {
      action: `transition:${from}->${to}`,
      entity: 'publication',
      entityId: id,
      unitId: before.unitId,
      before,
      after,
    });
    // who is told: the next level's reviewers, or the author
    const nextLevel = levelOf(to);
    const recipients = nextLevel ? await reviewerIdsAt(tx, before.channelId, nextLevel) : [before.authorId];
    await notify(tx, {
      personIds: recipients.filter((p) => p !== actor.personId && (nextLevel === null || p !== before.authorId)),
      unitId: before.unitId,
      title: nextLevel ? `待审核稿件：${after!.title}` : `稿件${t.label}：${after!.title}`,
      body:
        action === 'return'
          ? `退回理由：${input.comment}`
          : `稿件状态由「${publicationStateLabels[from]}」变为「${publicationStateLabels[to]}」`,
      link: nextLevel ? '/publications?box=inbox' : '/publications?box=mine',
    });
  });
  return getPublication(ctx, id);
}

// ---- attachments: only the author may attach, while the item is editable

registerAttachmentEntity(PUBLICATION_ENTITY, async (ctx, entityId) => {
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(entityId);
  const row = isUuid ? await readableRow(ctx, entityId) : null;
  if (!row) throw notFound('稿件不存在或无权查看');
  await requireAuthor(ctx, row);
});
