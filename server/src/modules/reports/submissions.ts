/**
 * Submissions (填报): one per target unit of a window. The state machine is the one `transitions` table:
 * 未填报 (no row) → 草稿 → 已报送 → 退回 (with a reason) → (edit) → 已报送 → 已采纳.
 *
 * Sides: the filer side has `report.write` in the submission's unit (create, edit, submit); the reviewer
 * side has `reportWindow.manage` in the window's opening unit (return, accept). A submission is readable
 * with `report.read` in either unit; unreadable answers 404, readable but the wrong side 403.
 *
 * Late (computed, never stored): the first 已报送 came after closes at, or closes at has passed and the unit
 * has not submitted; `lateDays` is how many days (rounded up) past closes at. Submitting late is allowed.
 */
import {
  type RecordLink,
  type SaveSubmissionBody,
  type SubmissionAction,
  type SubmissionCallerAction,
  type SubmissionDetail,
  type SubmissionListQuery,
  type SubmissionRow,
  type SubmissionState,
  submissionStateLabels,
  type TemplateSection,
} from '@dutyledger/contracts';
import { and, asc, count, eq, isNull, or, type SQL, sql } from 'drizzle-orm';
import { linkAttachment, listAttachmentsOfEach, registerAttachmentEntity } from '../../core/attachments/service.js';
import { writeAudit } from '../../core/audit.js';
import { type Ctx, inTx } from '../../core/context.js';
import { AppError, forbidden, invalid, notFound } from '../../core/errors.js';
import { notify } from '../../core/notifications/service.js';
import { units } from '../../core/schema.js';
import { canInUnit, inScope, requireActor } from '../../core/scope.js';
import { containsPattern } from '../../core/search.js';
import { regionOf } from '../../db/distribution.js';
import { notifyFilers } from './notifyFilers.js';
import { prefillSections } from './prefill.js';
import { reportSubmissions, reportTemplates, reportWindows, reportWindowTargets, type StoredSection } from './schema.js';
import { periodOfWindow, type WindowRow, windowReadable } from './windows.js';

// ---- the state machine

type Side = 'filer' | 'reviewer';
export const transitions: Record<SubmissionAction, { label: string; from: readonly SubmissionState[]; to: SubmissionState; side: Side }> = {
  create: { label: '开始填报', from: ['notSubmitted'], to: 'draft', side: 'filer' },
  submit: { label: '报送', from: ['draft', 'returned'], to: 'submitted', side: 'filer' },
  return: { label: '退回', from: ['submitted'], to: 'returned', side: 'reviewer' },
  accept: { label: '采纳', from: ['submitted'], to: 'accepted', side: 'reviewer' },
};
/** states in which the filer may edit the text and attachments */
export const editableStates: readonly SubmissionState[] = ['draft', 'returned'];

const labelsOf = (states: readonly SubmissionState[]) => states.map((s) => `「${submissionStateLabels[s]}」`).join('、');
export function illegalTransition(action: SubmissionAction, state: SubmissionState): AppError {
  const t = transitions[action];
  return new AppError(
    'ILLEGAL_TRANSITION',
    `报告当前状态为「${submissionStateLabels[state]}」，不能${t.label}（仅${labelsOf(t.from)}状态可以${t.label}）`,
  );
}

export function callerActions(state: SubmissionState, sides: Record<Side, boolean>, windowOpened: boolean): SubmissionCallerAction[] {
  const out: SubmissionCallerAction[] = [];
  for (const [action, tr] of Object.entries(transitions) as [SubmissionAction, (typeof transitions)[SubmissionAction]][]) {
    if (action === 'create' && !windowOpened) continue;
    if (tr.from.includes(state) && sides[tr.side]) out.push(action);
  }
  if (editableStates.includes(state) && sides.filer) out.push('edit');
  return out;
}

// ---- lateness

const DAY = 86_400_000;
export function lateness(closesAt: Date, firstSubmittedAt: Date | null, now = new Date()): { late: boolean; lateDays: number } {
  const at = firstSubmittedAt ?? now;
  const ms = at.getTime() - closesAt.getTime();
  if (ms <= 0) return { late: false, lateDays: 0 };
  return { late: true, lateDays: Math.ceil(ms / DAY) };
}

// ---- rows (a target unit with its submission, or 未填报)

type SubmissionRowDb = typeof reportSubmissions.$inferSelect;

/** Join condition: a target row's submission (at most one per window and unit; none while 未填报). */
export const submissionOfTarget = and(
  eq(reportSubmissions.windowId, reportWindowTargets.windowId),
  eq(reportSubmissions.unitId, reportWindowTargets.unitId),
);

/** Target rows of windows with the caller's sides, computed in SQL. */
export const targetQuery = (ctx: Ctx) =>
  ctx.db
    .select({
      w: reportWindows,
      unitId: reportWindowTargets.unitId,
      unitName: units.name,
      s: reportSubmissions,
      canFile: sql<boolean>`${inScope(ctx.actor, 'report.write', reportWindowTargets.unitId)}`,
      canReview: sql<boolean>`${inScope(ctx.actor, 'reportWindow.manage', reportWindows.unitId)}`,
    })
    .from(reportWindowTargets)
    .innerJoin(reportWindows, eq(reportWindows.id, reportWindowTargets.windowId))
    .innerJoin(units, eq(units.id, reportWindowTargets.unitId))
    .leftJoin(reportSubmissions, submissionOfTarget);

/** SQL: the target row is readable (report.read in the target unit or in the opening unit). */
export const targetReadable = (ctx: Ctx): SQL =>
  or(inScope(ctx.actor, 'report.read', reportWindowTargets.unitId), inScope(ctx.actor, 'report.read', reportWindows.unitId)) as SQL;

type TargetRow = Awaited<ReturnType<ReturnType<typeof targetQuery>['where']>>[number];
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export function toRow(r: TargetRow, now = new Date()): SubmissionRow {
  const s = r.s;
  const state = (s?.state ?? 'notSubmitted') as SubmissionState;
  const { late, lateDays } = lateness(r.w.closesAt, s?.firstSubmittedAt ?? null, now);
  return {
    id: s?.id ?? null,
    windowId: r.w.id,
    windowTitle: r.w.title,
    windowKind: r.w.kind as SubmissionRow['windowKind'],
    unitId: r.unitId,
    unitName: r.unitName,
    state,
    stateLabel: submissionStateLabels[state],
    closesAt: r.w.closesAt.toISOString(),
    firstSubmittedAt: iso(s?.firstSubmittedAt),
    submittedAt: iso(s?.submittedAt),
    acceptedAt: iso(s?.acceptedAt),
    returnReason: s?.returnReason ?? null,
    late,
    lateDays,
    version: s?.version ?? 0,
    actions: callerActions(state, { filer: !!r.canFile, reviewer: !!r.canReview }, r.w.opensAt.getTime() <= now.getTime()),
  };
}

export async function listSubmissions(
  ctx: Ctx,
  q: SubmissionListQuery & { page: number; pageSize: number; unitId?: string },
): Promise<{ items: SubmissionRow[]; total: number; page: number; pageSize: number }> {
  requireActor(ctx.actor);
  const conds: (SQL | undefined)[] = [inScope(ctx.actor, 'report.read', reportWindowTargets.unitId)];
  if (q.windowId) conds.push(eq(reportWindowTargets.windowId, q.windowId));
  if (q.unitId) conds.push(eq(reportWindowTargets.unitId, q.unitId));
  if (q.state === 'notSubmitted') conds.push(isNull(reportSubmissions.id));
  else if (q.state) conds.push(eq(reportSubmissions.state, q.state));
  const firstOrNow = sql`coalesce(${reportSubmissions.firstSubmittedAt}, now())`;
  if (q.late === 'true') conds.push(sql`${firstOrNow} > ${reportWindows.closesAt}`);
  if (q.late === 'false') conds.push(sql`${firstOrNow} <= ${reportWindows.closesAt}`);
  if (q.q) conds.push(sql`${reportWindows.title} ILIKE ${containsPattern(q.q)}`);
  const where = and(...conds);
  const [{ total }] = (await ctx.db
    .select({ total: count() })
    .from(reportWindowTargets)
    .innerJoin(reportWindows, eq(reportWindows.id, reportWindowTargets.windowId))
    .leftJoin(reportSubmissions, submissionOfTarget)
    .where(where)) as [{ total: number }];
  const rows = await targetQuery(ctx)
    .where(where)
    .orderBy(sql`${reportWindows.closesAt} DESC`, asc(units.path))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  const now = new Date();
  return { items: rows.map((r) => toRow(r, now)), total, page: q.page, pageSize: q.pageSize };
}

// ---- detail

export const SUBMISSION_ENTITY = 'reports.submission';
/** attachments of a section are linked to `${submissionId}:${sectionKey}` */
export const sectionEntityId = (submissionId: string, key: string) => `${submissionId}:${key}`;

async function templateSectionsOf(ctx: Ctx, w: WindowRow): Promise<TemplateSection[]> {
  const [t] = await ctx.db.select({ sections: reportTemplates.sections }).from(reportTemplates).where(eq(reportTemplates.id, w.templateId));
  return t?.sections ?? [];
}

async function detailOf(ctx: Ctx, r: TargetRow): Promise<SubmissionDetail> {
  const row = toRow(r);
  const p = periodOfWindow(r.w);
  const template = await templateSectionsOf(ctx, r.w);
  const stored = new Map((r.s?.sections ?? []).map((s) => [s.key, s]));
  const submissionId = r.s?.id;
  const attachmentsOf = submissionId
    ? await listAttachmentsOfEach(
        ctx,
        SUBMISSION_ENTITY,
        template.map((t) => sectionEntityId(submissionId, t.key)),
      )
    : new Map<string, never[]>();
  const sections = [];
  for (const t of template) {
    const s = stored.get(t.key);
    sections.push({
      key: t.key,
      title: t.title,
      guidance: t.guidance,
      requiredAttachment: t.requiredAttachment,
      text: s?.text ?? '',
      links: s?.links ?? [],
      attachments: submissionId ? (attachmentsOf.get(sectionEntityId(submissionId, t.key)) ?? []) : [],
    });
  }
  return { ...row, period: { kind: p.kind, year: p.year, index: p.index, key: p.key, label: p.label }, sections };
}

export async function getSubmission(ctx: Ctx, id: string): Promise<SubmissionDetail> {
  requireActor(ctx.actor);
  const [r] = await targetQuery(ctx)
    .where(and(eq(reportSubmissions.id, id), targetReadable(ctx)))
    .limit(1);
  if (!r) throw notFound('报告不存在或无权查看');
  return detailOf(ctx, r);
}

async function reload(ctx: Ctx, id: string): Promise<SubmissionDetail> {
  const [r] = await targetQuery(ctx).where(eq(reportSubmissions.id, id)).limit(1);
  return detailOf(ctx, r!);
}

// ---- sides

async function canRead(ctx: Ctx, unitId: string, w: WindowRow): Promise<boolean> {
  return (await canInUnit(ctx.db, ctx.actor, 'report.read', unitId)) || (await canInUnit(ctx.db, ctx.actor, 'report.read', w.unitId));
}

async function requireSide(ctx: Ctx, unitId: string, w: WindowRow, side: Side): Promise<void> {
  requireActor(ctx.actor);
  if (!(await canRead(ctx, unitId, w))) throw notFound('报告不存在或无权查看');
  const ok =
    side === 'filer'
      ? await canInUnit(ctx.db, ctx.actor, 'report.write', unitId)
      : await canInUnit(ctx.db, ctx.actor, 'reportWindow.manage', w.unitId);
  if (!ok) throw forbidden(side === 'filer' ? '只有报送单位可以填报' : '只有发起单位可以审核');
}

// ---- create (未填报 → 草稿), prefilled

/**
 * Starts the unit's submission to a window: a draft pre-filled from the unit's records of the period.
 * 404 when the window is not readable; 403 when the unit is not a target (or not the caller's to file);
 * 409 when the unit already has a submission, or the window has not opened yet.
 */
export async function createSubmission(ctx: Ctx, windowId: string, unitId: string): Promise<SubmissionDetail> {
  requireActor(ctx.actor);
  const [w] = await ctx.db
    .select()
    .from(reportWindows)
    .where(and(eq(reportWindows.id, windowId), windowReadable(ctx)))
    .limit(1);
  if (!w) throw notFound('报送任务不存在或无权查看');
  const [target] = await ctx.db
    .select({ unitId: reportWindowTargets.unitId })
    .from(reportWindowTargets)
    .where(and(eq(reportWindowTargets.windowId, windowId), eq(reportWindowTargets.unitId, unitId)))
    .limit(1);
  if (!target) throw forbidden('该单位不在本次报送范围内');
  await requireSide(ctx, unitId, w, 'filer');
  if (w.opensAt.getTime() > Date.now()) throw new AppError('ILLEGAL_TRANSITION', '报送尚未开始，暂不能填报');
  const sections = await prefillSections(ctx, await templateSectionsOf(ctx, w), { unitId, period: periodOfWindow(w) });
  const id = await inTx(ctx, async (tx) => {
    // serialize starts of the same unit and window (not of the whole window: 30,000 units start at the
    // deadline, see bench/BENCHMARKS.md); the unique index is the last word
    await tx.db.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`reportSubmission:${windowId}:${unitId}`}))`);
    const [existing] = await tx.db
      .select({ state: reportSubmissions.state })
      .from(reportSubmissions)
      .where(and(eq(reportSubmissions.windowId, windowId), eq(reportSubmissions.unitId, unitId)))
      .limit(1);
    if (existing) throw illegalTransition('create', existing.state as SubmissionState);
    const [row] = await tx.db
      .insert(reportSubmissions)
      .values({ regionId: regionOf(unitId), windowId, unitId, state: 'draft', sections, createdBy: tx.actor?.personId || null })
      .returning();
    await writeAudit(tx, {
      action: 'transition:notSubmitted->draft',
      entity: 'reportSubmission',
      entityId: row!.id,
      unitId,
      after: row,
    });
    return row!.id;
  });
  return reload(ctx, id);
}

// ---- edit (草稿 / 退回)

async function lock(ctx: Ctx, id: string): Promise<{ s: SubmissionRowDb; w: WindowRow }> {
  const [s] = await ctx.db.select().from(reportSubmissions).where(eq(reportSubmissions.id, id)).for('update');
  if (!s) throw notFound('报告不存在或无权查看');
  const [w] = await ctx.db.select().from(reportWindows).where(eq(reportWindows.id, s.windowId));
  return { s, w: w! };
}

/** Saves section texts and links attachments (evidence is never unlinked here). Only in 草稿 or 退回. */
export async function saveSubmission(ctx: Ctx, id: string, input: SaveSubmissionBody): Promise<SubmissionDetail> {
  requireActor(ctx.actor);
  return inTx(ctx, async (tx) => {
    const { s, w } = await lock(tx, id);
    await requireSide(tx, s.unitId, w, 'filer');
    const state = s.state as SubmissionState;
    if (!editableStates.includes(state))
      throw new AppError('ILLEGAL_TRANSITION', `报告当前状态为「${submissionStateLabels[state]}」，不能修改`);
    if (input.version !== undefined && input.version !== s.version) throw new AppError('CONFLICT', '报告已被他人修改，请刷新后重试');
    const template = await templateSectionsOf(tx, w);
    const keys = new Set(template.map((t) => t.key));
    const bad = input.sections.findIndex((x) => !keys.has(x.key));
    if (bad >= 0) throw invalid({ [`sections.${bad}.key`]: '栏目不存在' });
    const given = new Map(input.sections.map((x) => [x.key, x]));
    const old = new Map(s.sections.map((x) => [x.key, x]));
    const sections: StoredSection[] = template.map((t) => {
      const prev = old.get(t.key);
      const g = given.get(t.key);
      return { key: t.key, text: g ? g.text : (prev?.text ?? ''), links: prev?.links ?? ([] as RecordLink[]) };
    });
    const [after] = await tx.db
      .update(reportSubmissions)
      .set({ sections, version: s.version + 1, updatedAt: new Date() })
      .where(eq(reportSubmissions.id, id))
      .returning();
    for (const x of input.sections)
      for (const attachmentId of x.attachmentIds ?? [])
        await linkAttachment(tx, attachmentId, SUBMISSION_ENTITY, sectionEntityId(id, x.key));
    await writeAudit(tx, { action: 'update', entity: 'reportSubmission', entityId: id, unitId: s.unitId, before: s, after });
    return reload(tx, id);
  });
}

// ---- transitions

/**
 * Applies `action` to submission `id`: locks the row, checks side and current state under the lock,
 * updates, audits `transition:<from>-><to>` and tells the other side, in one transaction.
 */
export async function transitionSubmission(
  ctx: Ctx,
  id: string,
  action: Exclude<SubmissionAction, 'create'>,
  input: { reason?: string } = {},
): Promise<SubmissionDetail> {
  requireActor(ctx.actor);
  const t = transitions[action];
  return inTx(ctx, async (tx) => {
    const { s, w } = await lock(tx, id);
    await requireSide(tx, s.unitId, w, t.side);
    const from = s.state as SubmissionState;
    if (!t.from.includes(from)) throw illegalTransition(action, from);
    const now = new Date();
    const patch: Partial<SubmissionRowDb> = { state: t.to, version: s.version + 1, updatedAt: now };
    if (action === 'submit') {
      const template = await templateSectionsOf(tx, w);
      const missing: Record<string, string> = {};
      const required = template.filter((x) => x.requiredAttachment);
      const atts = await listAttachmentsOfEach(
        tx,
        SUBMISSION_ENTITY,
        required.map((sec) => sectionEntityId(id, sec.key)),
      );
      for (const sec of required) {
        if (!atts.get(sectionEntityId(id, sec.key))?.length) missing[`sections.${sec.key}`] = `「${sec.title}」须上传附件`;
      }
      if (Object.keys(missing).length) throw invalid(missing, Object.values(missing).join('；'));
      Object.assign(patch, { submittedAt: now, submittedBy: tx.actor?.personId || null, firstSubmittedAt: s.firstSubmittedAt ?? now });
    }
    if (action === 'return') Object.assign(patch, { returnReason: input.reason ?? '', reviewedBy: tx.actor?.personId || null });
    if (action === 'accept') Object.assign(patch, { acceptedAt: now, reviewedBy: tx.actor?.personId || null });
    const [after] = await tx.db.update(reportSubmissions).set(patch).where(eq(reportSubmissions.id, id)).returning();
    await writeAudit(tx, {
      action: `transition:${from}->${t.to}`,
      entity: 'reportSubmission',
      entityId: id,
      unitId: s.unitId,
      before: s,
      after,
    });
    const [unit] = await tx.db.select({ name: units.name }).from(units).where(eq(units.id, s.unitId));
    if (t.side === 'reviewer') {
      await notifyFilers(tx, s.unitId, {
        title: `报告${t.label}：${w.title}`,
        body: action === 'return' ? `退回理由：${input.reason}` : '报告已被采纳。',
        link: `/my-reports/${id}`,
      });
    } else if (w.createdBy) {
      await notify(tx, {
        personIds: [w.createdBy].filter((p) => p !== tx.actor?.personId),
        unitId: w.unitId,
        title: `${unit?.name ?? ''}已报送：${w.title}`,
        body: lateness(w.closesAt, after!.firstSubmittedAt).late ? '逾期报送' : '按时报送',
        link: `/reports/windows/${w.id}`,
      });
    }
    return reload(tx, id);
  });
}

// ---- attachments of a section: only the filer side, only while editable

registerAttachmentEntity(SUBMISSION_ENTITY, async (ctx, entityId) => {
  const [sid, key] = entityId.split(':');
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(sid ?? '');
  const [s] = isUuid ? await ctx.db.select().from(reportSubmissions).where(eq(reportSubmissions.id, sid!)).limit(1) : [];
  if (!s || !key) throw notFound('报告不存在或无权查看');
  const [w] = await ctx.db.select().from(reportWindows).where(eq(reportWindows.id, s.windowId));
  await requireSide(ctx, s.unitId, w!, 'filer');
  if (!editableStates.includes(s.state as SubmissionState)) throw new AppError('ILLEGAL_TRANSITION', '报告已报送，不能再添加附件');
  const template = await templateSectionsOf(ctx, w!);
  if (!template.some((t) => t.key === key)) throw invalid({ entityId: '栏目不存在' });
});
