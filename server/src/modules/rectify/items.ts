/**
 * Rectification items (整改事项): the state machine (the one `transitions` table), reads and lists in scope,
 * the 防反弹 re-check and its scheduler job.
 *
 * Sides: the owner side is whoever has `rectify.work` in the item's owner unit (submit progress and
 * evidence); the inspector side is whoever has `rectify.verify` in the inspecting unit (sign off, return,
 * re-check). An item is readable with `rectify.read` in the inspecting unit, the inspected unit or the owner
 * unit; unreadable items answer 404, readable ones acted on by the wrong side 403.
 *
 * Re-check: signing an item off sets `recheck_due_at` (RECHECK_MONTHS later). The daily job makes a pending
 * re-check for each item that has come due (once per sign-off, claimOnce) and tells the inspectors and the
 * owner unit. The inspector records the result: 复查通过 (the item stays 已销号, no further re-check) or
 * 重新整改 (the item goes back to 整改中 with the reason: the problem came back).
 */
import {
  type RectifyItem,
  type RectifyItemAction,
  type RectifyItemDetail,
  type RectifyItemListQuery,
  type RectifyItemState,
  rectifyItemActionLabels,
  rectifyItemStateLabels,
  roleKeys,
  roles,
} from '@dutyledger/contracts';
import { and, arrayOverlaps, asc, count, desc, eq, gte, inArray, isNull, lt, lte, ne, or, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { linkAttachment, listAttachmentsOf, registerAttachmentEntity } from '../../core/attachments/service.js';
import { writeAudit } from '../../core/audit.js';
import { type Ctx, inTx } from '../../core/context.js';
import { AppError, forbidden, notFound } from '../../core/errors.js';
import { notify } from '../../core/notifications/service.js';
import { localDate } from '../../core/periods.js';
import { claimOnce, registerJob } from '../../core/scheduler.js';
import { people, posts, units } from '../../core/schema.js';
import { canInUnit, childBucket, inArea, inScope, requireActor, type UnitArea } from '../../core/scope.js';
import { containsPattern } from '../../core/search.js';
import { inspections, rectifyFindings, rectifyItems, rectifyRechecks } from './schema.js';

/** 防反弹: months after sign-off when the re-check is due. */
export const RECHECK_MONTHS = 6;
export const RECTIFY_ITEM_ENTITY = 'rectify.item';

// ---- the state machine

type Side = 'owner' | 'inspector';
export const transitions: Record<RectifyItemAction, { from: readonly RectifyItemState[]; to: RectifyItemState; side: Side }> = {
  submit: { from: ['open'], to: 'submitted', side: 'owner' },
  signOff: { from: ['submitted'], to: 'signedOff', side: 'inspector' },
  return: { from: ['submitted'], to: 'open', side: 'inspector' },
  recheckPass: { from: ['signedOff'], to: 'signedOff', side: 'inspector' },
  reopen: { from: ['signedOff'], to: 'open', side: 'inspector' },
};

const labelsOf = (states: readonly RectifyItemState[]) => states.map((s) => `「${rectifyItemStateLabels[s]}」`).join('、');

export function illegalTransition(action: RectifyItemAction, state: RectifyItemState): AppError {
  const t = transitions[action];
  const label = rectifyItemActionLabels[action];
  return new AppError(
    'ILLEGAL_TRANSITION',
    `整改事项当前状态为「${rectifyItemStateLabels[state]}」，不能${label}（仅${labelsOf(t.from)}状态可以${label}）`,
  );
}

export function callerActions(state: RectifyItemState, sides: Record<Side, boolean>): RectifyItemAction[] {
  return (Object.entries(transitions) as [RectifyItemAction, (typeof transitions)[RectifyItemAction]][])
    .filter(([, t]) => t.from.includes(state) && sides[t.side])
    .map(([a]) => a);
}

// ---- rows → API

type ItemRow = typeof rectifyItems.$inferSelect;
const ownerPeople = alias(people, 'owner_people');

/** SQL: the item is readable (rectify.read in the inspecting, inspected or owner unit). */
export const itemReadable = (ctx: Ctx): SQL =>
  or(
    inScope(ctx.actor, 'rectify.read', rectifyItems.inspectingUnitId),
    inScope(ctx.actor, 'rectify.read', rectifyItems.unitId),
    inScope(ctx.actor, 'rectify.read', inspections.inspectedUnitId),
  ) as SQL;

/** SQL: not signed off and past its deadline. */
export const itemOverdue = sql`(${rectifyItems.state} <> 'signedOff' AND ${rectifyItems.deadline} < now())`;

export const itemQuery = (ctx: Ctx) =>
  ctx.db
    .select({
      item: rectifyItems,
      findingText: rectifyFindings.description,
      inspectionTitle: inspections.title,
      unitName: units.name,
      ownerPersonName: ownerPeople.displayName,
      canWork: sql<boolean>`${inScope(ctx.actor, 'rectify.work', rectifyItems.unitId)}`,
      canVerify: sql<boolean>`${inScope(ctx.actor, 'rectify.verify', rectifyItems.inspectingUnitId)}`,
    })
    .from(rectifyItems)
    .innerJoin(rectifyFindings, eq(rectifyFindings.id, rectifyItems.findingId))
    .innerJoin(inspections, eq(inspections.id, rectifyItems.inspectionId))
    .innerJoin(units, eq(units.id, rectifyItems.unitId))
    .leftJoin(ownerPeople, eq(ownerPeople.id, rectifyItems.ownerPersonId));

export function isOverdue(t: Pick<ItemRow, 'deadline' | 'state'>, now = new Date()): boolean {
  return t.state !== 'signedOff' && t.deadline.getTime() < now.getTime();
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toItem(r: {
  item: ItemRow;
  findingText: string;
  inspectionTitle: string;
  unitName: string;
  ownerPersonName: string | null;
  canWork: boolean;
  canVerify: boolean;
}): RectifyItem {
  const t = r.item;
  const state = t.state as RectifyItemState;
  return {
    id: t.id,
    findingId: t.findingId,
    findingText: r.findingText,
    inspectionId: t.inspectionId,
    inspectionTitle: r.inspectionTitle,
    unitId: t.unitId,
    unitName: r.unitName,
    ownerPersonId: t.ownerPersonId,
    ownerPersonName: r.ownerPersonName,
    measure: t.measure,
    deadline: t.deadline.toISOString(),
    requiredEvidence: t.requiredEvidence,
    state,
    stateLabel: rectifyItemStateLabels[state],
    progress: t.progress,
    returnReason: t.returnReason,
    reopenReason: t.reopenReason,
    overdue: isOverdue(t),
    submittedAt: iso(t.submittedAt),
    signedOffAt: iso(t.signedOffAt),
    recheckDueAt: iso(t.recheckDueAt),
    version: t.version,
    actions: callerActions(state, { owner: !!r.canWork, inspector: !!r.canVerify }),
    createdAt: t.createdAt.toISOString(),
  };
}

export async function reloadItems(ctx: Ctx, ids: string[]): Promise<RectifyItem[]> {
  if (ids.length === 0) return [];
  const rows = await itemQuery(ctx).where(inArray(rectifyItems.id, ids)).orderBy(asc(rectifyItems.createdAt), asc(rectifyItems.id));
  return rows.map(toItem);
}

async function canReadItem(ctx: Ctx, t: ItemRow): Promise<boolean> {
  if (await canInUnit(ctx.db, ctx.actor, 'rectify.read', t.unitId)) return true;
  if (await canInUnit(ctx.db, ctx.actor, 'rectify.read', t.inspectingUnitId)) return true;
  const [insp] = await ctx.db
    .select({ inspected: inspections.inspectedUnitId })
    .from(inspections)
    .where(eq(inspections.id, t.inspectionId));
  return !!insp && canInUnit(ctx.db, ctx.actor, 'rectify.read', insp.inspected);
}

async function requireSide(ctx: Ctx, t: ItemRow, side: Side): Promise<void> {
  requireActor(ctx.actor);
  if (!(await canReadItem(ctx, t))) throw notFound('整改事项不存在或无权查看');
  const ok =
    side === 'owner'
      ? await canInUnit(ctx.db, ctx.actor, 'rectify.work', t.unitId)
      : await canInUnit(ctx.db, ctx.actor, 'rectify.verify', t.inspectingUnitId);
  if (!ok) throw forbidden(side === 'owner' ? '只有责任单位可以提交整改情况' : '只有检查单位的巡察/纪检人员可以执行此操作');
}

// ---- reads

export async function getRectifyItem(ctx: Ctx, id: string): Promise<RectifyItemDetail> {
  requireActor(ctx.actor);
  const [row] = await itemQuery(ctx)
    .where(and(eq(rectifyItems.id, id), itemReadable(ctx)))
    .limit(1);
  if (!row) throw notFound('整改事项不存在或无权查看');
  const rechecks = await ctx.db
    .select({ r: rectifyRechecks, checkedByName: people.displayName })
    .from(rectifyRechecks)
    .leftJoin(people, eq(people.id, rectifyRechecks.checkedBy))
    .where(eq(rectifyRechecks.itemId, id))
    .orderBy(desc(rectifyRechecks.createdAt), desc(rectifyRechecks.id));
  return {
    ...toItem(row),
    attachments: await listAttachmentsOf(ctx, RECTIFY_ITEM_ENTITY, id),
    rechecks: rechecks.map(({ r, checkedByName }) => ({
      id: r.id,
      dueAt: r.dueAt.toISOString(),
      state: r.state as 'pending' | 'passed' | 'reopened',
      note: r.note,
      checkedByName,
      checkedAt: iso(r.checkedAt),
    })),
  };
}

export async function listRectifyItems(ctx: Ctx, q: RectifyItemListQuery & { page: number; pageSize: number }) {
  const actor = requireActor(ctx.actor);
  const conds: (SQL | undefined)[] = [itemReadable(ctx)];
  if (q.state) conds.push(eq(rectifyItems.state, q.state));
  if (q.overdue === 'true') conds.push(itemOverdue);
  if (q.overdue === 'false') conds.push(sql`NOT ${itemOverdue}`);
  if (q.inspectionId) conds.push(eq(rectifyItems.inspectionId, q.inspectionId));
  if (q.unitId)
    conds.push(
      sql`${rectifyItems.unitId} IN (SELECT u.id FROM ${units} u, ${units} f WHERE f.id = ${q.unitId} AND u.path LIKE f.path || '%')`,
    );
  if (q.q)
    conds.push(
      or(sql`${rectifyItems.measure} ILIKE ${containsPattern(q.q)}`, sql`${rectifyFindings.description} ILIKE ${containsPattern(q.q)}`),
    );
  if (q.mine === 'true') {
    const unitId = actor.post?.scopeRootId ?? null;
    conds.push(
      or(
        eq(rectifyItems.ownerPersonId, actor.personId),
        unitId
          ? and(
              isNull(rectifyItems.ownerPersonId),
              eq(rectifyItems.unitId, unitId),
              inScope(ctx.actor, 'rectify.work', rectifyItems.unitId),
            )
          : sql`false`,
      ),
    );
  }
  const where = and(...conds);
  const [{ total }] = (await ctx.db
    .select({ total: count() })
    .from(rectifyItems)
    .innerJoin(rectifyFindings, eq(rectifyFindings.id, rectifyItems.findingId))
    .innerJoin(inspections, eq(inspections.id, rectifyItems.inspectionId))
    .where(where)) as [{ total: number }];
  const rows = await itemQuery(ctx)
    .where(where)
    .orderBy(asc(rectifyItems.deadline), asc(rectifyItems.id))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  return { items: rows.map(toItem), total, page: q.page, pageSize: q.pageSize };
}

// ---- who is told

const workRoles = roleKeys.filter((r) => roles[r].permissions.includes('rectify.work'));
const verifyRoles = roleKeys.filter((r) => roles[r].permissions.includes('rectify.verify'));

async function peopleWithRoles(ctx: Ctx, unitId: string, roleList: string[]): Promise<string[]> {
  const rows = await ctx.db
    .selectDistinct({ id: posts.personId })
    .from(posts)
    .innerJoin(people, eq(people.id, posts.personId))
    .where(and(eq(posts.scopeRootId, unitId), eq(people.active, true), arrayOverlaps(posts.roles, roleList)));
  return rows.map((r) => r.id);
}
const ownerRecipients = async (ctx: Ctx, t: ItemRow) => (t.ownerPersonId ? [t.ownerPersonId] : peopleWithRoles(ctx, t.unitId, workRoles));
const inspectorRecipients = (ctx: Ctx, t: ItemRow) => peopleWithRoles(ctx, t.inspectingUnitId, verifyRoles);
/** the web app's item list with the item's drawer open */
const itemLink = (id: string) => `/rectify?tab=items&item=${id}`;

/** Tells the owner side of a new item. */
export async function notifyOwners(ctx: Ctx, t: ItemRow): Promise<void> {
  await notify(ctx, {
    personIds: await ownerRecipients(ctx, t),
    unitId: t.unitId,
    title: `新的整改事项：${t.measure.slice(0, 40)}`,
    body: `整改期限 ${localDate(t.deadline)}`,
    link: itemLink(t.id),
  });
}

// ---- transitions

function addMonths(at: Date, months: number): Date {
  const d = new Date(at);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d;
}

/**
 * Applies `action` to item `id`: locks the row, checks the side and the state under the lock, updates,
 * records the re-check result when there is one, audits `transition:<from>-><to>` and tells the other side.
 */
export async function transitionRectifyItem(
  ctx: Ctx,
  id: string,
  action: RectifyItemAction,
  input: { progress?: string; attachmentIds?: string[]; reason?: string; note?: string } = {},
): Promise<RectifyItem> {
  const actor = requireActor(ctx.actor);
  const t = transitions[action];
  return inTx(ctx, async (tx) => {
    const [before] = await tx.db.select().from(rectifyItems).where(eq(rectifyItems.id, id)).for('update');
    if (!before) throw notFound('整改事项不存在或无权查看');
    await requireSide(tx, before, t.side);
    const from = before.state as RectifyItemState;
    if (!t.from.includes(from)) throw illegalTransition(action, from);
    const now = new Date();
    const patch: Partial<ItemRow> = { state: t.to, version: before.version + 1 };
    if (action === 'submit') Object.assign(patch, { progress: input.progress ?? '', submittedAt: now });
    if (action === 'return') Object.assign(patch, { returnReason: input.reason ?? '' });
    if (action === 'signOff')
      Object.assign(patch, { signedOffAt: now, signedOffBy: actor.personId || null, recheckDueAt: addMonths(now, RECHECK_MONTHS) });
    if (action === 'recheckPass' || action === 'reopen') {
      patch.recheckDueAt = null;
      if (action === 'reopen') Object.assign(patch, { reopenReason: input.note ?? '', signedOffAt: null, signedOffBy: null });
      // the pending re-check the job made, if any, gets the result; otherwise an early re-check is recorded
      const [pending] = await tx.db
        .select({ id: rectifyRechecks.id })
        .from(rectifyRechecks)
        .where(and(eq(rectifyRechecks.itemId, id), eq(rectifyRechecks.state, 'pending')))
        .limit(1);
      const result = {
        state: action === 'reopen' ? 'reopened' : 'passed',
        note: input.note ?? '',
        checkedBy: actor.personId || null,
        checkedAt: now,
      };
      if (pending) await tx.db.update(rectifyRechecks).set(result).where(eq(rectifyRechecks.id, pending.id));
      else
        await tx.db.insert(rectifyRechecks).values({ regionId: before.regionId, itemId: id, dueAt: before.recheckDueAt ?? now, ...result });
    }
    const [after] = await tx.db.update(rectifyItems).set(patch).where(eq(rectifyItems.id, id)).returning();
    for (const attachmentId of input.attachmentIds ?? []) await linkAttachment(tx, attachmentId, RECTIFY_ITEM_ENTITY, id);
    await writeAudit(tx, {
      action: action === 'recheckPass' ? 'recheck:passed' : `transition:${from}->${t.to}`,
      entity: 'rectifyItem',
      entityId: id,
      unitId: before.unitId,
      before,
      after,
    });
    const toInspector = t.side === 'owner';
    const recipients = toInspector ? await inspectorRecipients(tx, after!) : await ownerRecipients(tx, after!);
    const label = rectifyItemActionLabels[action];
    await notify(tx, {
      personIds: recipients.filter((p) => p !== actor.personId),
      unitId: toInspector ? after!.inspectingUnitId : after!.unitId,
      title: `整改事项${label}：${after!.measure.slice(0, 40)}`,
      body:
        action === 'return'
          ? `退回理由：${input.reason}`
          : action === 'reopen'
            ? `复查发现问题反弹，需重新整改：${input.note}`
            : `状态由「${rectifyItemStateLabels[from]}」变为「${rectifyItemStateLabels[t.to]}」`,
      link: itemLink(id),
    });
    const [item] = await reloadItems(tx, [id]);
    return item!;
  });
}

// ---- attachments: evidence is linked by the owner side

registerAttachmentEntity(RECTIFY_ITEM_ENTITY, async (ctx, entityId) => {
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(entityId);
  const [row] = isUuid ? await ctx.db.select().from(rectifyItems).where(eq(rectifyItems.id, entityId)).limit(1) : [];
  if (!row) throw notFound('整改事项不存在或无权查看');
  await requireSide(ctx, row, 'owner');
});

// ---- re-checks (scheduler)

/**
 * Makes a pending re-check for every signed-off item whose re-check is due at `now` (once per sign-off:
 * the claim key holds the due time) and tells the inspectors and the owner unit. Returns how many were made.
 */
export async function createDueRechecks(ctx: Ctx, now = new Date()): Promise<number> {
  const due = await ctx.db
    .select()
    .from(rectifyItems)
    .where(and(eq(rectifyItems.state, 'signedOff'), lte(rectifyItems.recheckDueAt, now)));
  let made = 0;
  for (const t of due) {
    const key = `rectify.rechecks:${t.id}:${t.recheckDueAt!.toISOString()}`;
    await inTx(ctx, async (tx) => {
      if (!(await claimOnce(tx, key, 'rectify.rechecks'))) return;
      await tx.db.insert(rectifyRechecks).values({ regionId: t.regionId, itemId: t.id, dueAt: t.recheckDueAt! });
      await notify(tx, {
        personIds: [...(await inspectorRecipients(tx, t)), ...(await ownerRecipients(tx, t))],
        unitId: t.inspectingUnitId,
        title: `整改事项到期复查：${t.measure.slice(0, 40)}`,
        body: `该事项于 ${localDate(t.signedOffAt ?? t.recheckDueAt!)} 销号，请复查是否反弹`,
        link: itemLink(t.id),
        dedupeKey: key,
      });
      made++;
    });
  }
  return made;
}

registerJob({
  name: 'rectify.rechecks',
  cron: '0 10 8 * * *', // daily, 08:10 Asia/Shanghai
  run: async (ctx) => {
    await createDueRechecks(ctx);
  },
});

// ---- for the dashboard and the assessment

/** Open (not signed off) and overdue items per owner unit in the subtree of `rootUnitId`, as the actor may read them. */
export async function openRectificationItems(
  ctx: Ctx,
  rootUnitId: string,
): Promise<{ unitId: string; unitName: string; open: number; overdue: number }[]> {
  requireActor(ctx.actor);
  const rows = await ctx.db
    .select({
      unitId: rectifyItems.unitId,
      unitName: units.name,
      open: sql<number>`count(*)::int`,
      overdue: sql<number>`(count(*) FILTER (WHERE ${rectifyItems.deadline} < now()))::int`,
    })
    .from(rectifyItems)
    .innerJoin(inspections, eq(inspections.id, rectifyItems.inspectionId))
    .innerJoin(units, eq(units.id, rectifyItems.unitId))
    .where(
      and(
        ne(rectifyItems.state, 'signedOff'),
        itemReadable(ctx),
        sql`${units.path} LIKE (SELECT f.path FROM ${units} f WHERE f.id = ${rootUnitId}) || '%'`,
      ),
    )
    .groupBy(rectifyItems.unitId, units.name, units.path)
    .orderBy(asc(units.path));
  return rows;
}

/**
 * For the dashboard: open (not signed off) and overdue items readable by the caller in an area, keyed by the
 * area root's child whose subtree holds the item's unit ('' for the root itself), counted in SQL.
 */
export async function openRectificationCountsByChild(ctx: Ctx, area: UnitArea): Promise<Map<string, { open: number; overdue: number }>> {
  requireActor(ctx.actor);
  const bucket = childBucket(units.path, area.path);
  const rows = await ctx.db
    .select({
      bucket,
      open: sql<number>`count(*)::int`,
      overdue: sql<number>`(count(*) FILTER (WHERE ${rectifyItems.deadline} < now()))::int`,
    })
    .from(rectifyItems)
    .innerJoin(inspections, eq(inspections.id, rectifyItems.inspectionId))
    .innerJoin(units, eq(units.id, rectifyItems.unitId))
    .where(and(ne(rectifyItems.state, 'signedOff'), itemReadable(ctx), inArea(units.path, area)))
    .groupBy(bucket);
  return new Map(rows.map((r) => [r.bucket, { open: Number(r.open), overdue: Number(r.overdue) }]));
}

/**
 * 整改按期完成率 of the unit `unitId` (its own items, not its subtree's) for a period: of the items whose
 * deadline falls in [period.start, period.end) and has passed (or that are already signed off), the share
 * that are signed off with their (last) submission made no later than the deadline. `rate` is null when no
 * item counts (nothing was due). A re-opened item is not signed off, so it does not count as on time.
 */
export async function rectificationOnTimeRate(
  ctx: Ctx,
  unitId: string,
  period: { start: Date; end: Date },
): Promise<{ due: number; onTime: number; rate: number | null }> {
  requireActor(ctx.actor);
  const [row] = await ctx.db
    .select({
      due: sql<number>`count(*)::int`,
      onTime: sql<number>`(count(*) FILTER (WHERE ${rectifyItems.state} = 'signedOff' AND ${rectifyItems.submittedAt} <= ${rectifyItems.deadline}))::int`,
    })
    .from(rectifyItems)
    .innerJoin(inspections, eq(inspections.id, rectifyItems.inspectionId))
    .where(
      and(
        eq(rectifyItems.unitId, unitId),
        itemReadable(ctx),
        gte(rectifyItems.deadline, period.start),
        lt(rectifyItems.deadline, period.end),
        or(lt(rectifyItems.deadline, sql`now()`), eq(rectifyItems.state, 'signedOff')),
      ),
    );
  const due = row?.due ?? 0;
  const onTime = row?.onTime ?? 0;
  return { due, onTime, rate: due === 0 ? null : onTime / due };
}
