/**
 * Analysis reports (分析研判): a unit's periodic (quarter / half-year) written analysis with the sections
 * 形势, 风险隐患 and 措施建议 (each measure its own row), reported to the parent unit.
 *
 * States (one `transitions` table): 草稿 → 已报送 → 已阅, or 已报送 → 退回 → (edit) → 已报送.
 * Sides: the author side is `analysis.write` acting for the report's own unit; the reviewer side is
 * `analysis.review` in the unit reported to (the parent, or an ancestor with a subtree-wide role).
 * Reading: the own unit always; once reported, whoever reads the unit or the unit reported to. Drafts stay
 * with their unit. The reviewer comments and turns a measure into a task (`createLinkedTask`, linked both
 * ways: the task's source is the measure, the measure keeps the task id).
 */
import {
  type AnalysisAction,
  type AnalysisListQuery,
  type AnalysisPeriodKind,
  type AnalysisReport,
  type AnalysisReportDetail,
  type AnalysisState,
  analysisStateLabels,
  type CreateAnalysisReportBody,
  type OpinionLevel,
  type OpinionState,
  opinionLevelLabels,
  opinionStateLabels,
  type UpdateAnalysisReportBody,
} from '@dutyledger/contracts';
import { and, asc, count, desc, eq, gte, isNull, lt, ne, or, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { linkAttachment, listAttachmentsOf, registerAttachmentEntity } from '../../core/attachments/service.js';
import { writeAudit } from '../../core/audit.js';
import { type Ctx, inTx } from '../../core/context.js';
import { AppError, forbidden, invalid, notFound } from '../../core/errors.js';
import { notify } from '../../core/notifications/service.js';
import { periodOf } from '../../core/periods.js';
import { people, units } from '../../core/schema.js';
import { canInUnit, inScope, requireActor } from '../../core/scope.js';
import { containsPattern } from '../../core/search.js';
import { regionOf } from '../../db/distribution.js';
import { createLinkedTask } from '../duty/service.js';
import { isOwnUnit, iso, isUuid, ownUnitSql, unitPeople } from './common.js';
import { eventReadable } from './events.js';
import { analysisComments, analysisMeasures, analysisReports, opinionEvents } from './schema.js';

export const ANALYSIS_ENTITY = 'opinion.analysisReport';
const NOT_FOUND = '分析研判报告不存在或无权查看';

type Side = 'author' | 'reviewer';
export const analysisTransitions: Record<AnalysisAction, { label: string; from: readonly AnalysisState[]; to: AnalysisState; side: Side }> =
  {
    submit: { label: '报送', from: ['draft', 'returned'], to: 'submitted', side: 'author' },
    markRead: { label: '阅知', from: ['submitted'], to: 'read', side: 'reviewer' },
    return: { label: '退回', from: ['submitted'], to: 'returned', side: 'reviewer' },
  };

const illegal = (label: string, state: AnalysisState) =>
  new AppError('ILLEGAL_TRANSITION', `报告当前状态为「${analysisStateLabels[state]}」，不能${label}`);

type ReportRow = typeof analysisReports.$inferSelect;
const toUnits = alias(units, 'to_units');
const columns = { report: analysisReports, unitName: units.name, toUnitName: toUnits.name };
const baseQuery = (ctx: Ctx) =>
  ctx.db
    .select(columns)
    .from(analysisReports)
    .innerJoin(units, eq(units.id, analysisReports.unitId))
    .leftJoin(toUnits, eq(toUnits.id, analysisReports.toUnitId));

function toReport(r: { report: ReportRow; unitName: string; toUnitName: string | null }): AnalysisReport {
  const a = r.report;
  const state = a.state as AnalysisState;
  return {
    id: a.id,
    unitId: a.unitId,
    unitName: r.unitName,
    toUnitId: a.toUnitId,
    toUnitName: r.toUnitName,
    periodKind: a.periodKind as AnalysisPeriodKind,
    periodKey: a.periodKey,
    periodLabel: a.periodLabel,
    title: a.title,
    situation: a.situation,
    risks: a.risks,
    state,
    stateLabel: analysisStateLabels[state],
    returnReason: a.returnReason,
    version: a.version,
    createdBy: a.createdBy,
    createdAt: a.createdAt.toISOString(),
    submittedAt: iso(a.submittedAt),
    readAt: iso(a.readAt),
  };
}

/** SQL: readable by the actor (own unit always; reported ones also by the unit's and the parent's readers). */
export const analysisReadable = (ctx: Ctx): SQL =>
  or(
    ownUnitSql(ctx.actor, 'opinion.read', analysisReports.unitId),
    and(
      ne(analysisReports.state, 'draft'),
      or(inScope(ctx.actor, 'opinion.read', analysisReports.unitId), inScope(ctx.actor, 'opinion.read', analysisReports.toUnitId)),
    ),
  ) as SQL;

async function isReadable(ctx: Ctx, id: string): Promise<boolean> {
  const rows = await ctx.db
    .select({ id: analysisReports.id })
    .from(analysisReports)
    .where(and(eq(analysisReports.id, id), analysisReadable(ctx)))
    .limit(1);
  return rows.length > 0;
}

/** 404 when unreadable, 403 when readable but the side is not the actor's. */
async function requireSide(ctx: Ctx, r: ReportRow, side: Side): Promise<void> {
  requireActor(ctx.actor);
  if (!(await isReadable(ctx, r.id))) throw notFound(NOT_FOUND);
  if (side === 'author' && !isOwnUnit(ctx.actor, 'analysis.write', r.unitId)) throw forbidden('只有报告单位可以执行此操作');
  if (side === 'reviewer' && !(r.toUnitId && (await canInUnit(ctx.db, ctx.actor, 'analysis.review', r.toUnitId))))
    throw forbidden('只有上级单位可以执行此操作');
}

async function lockReport(ctx: Ctx, id: string): Promise<ReportRow> {
  const [row] = await ctx.db.select().from(analysisReports).where(eq(analysisReports.id, id)).for('update');
  if (!row) throw notFound(NOT_FOUND);
  return row;
}

/** Measures of the report, co-located with it (its region). */
async function insertMeasures(ctx: Ctx, report: Pick<ReportRow, 'id' | 'regionId'>, texts: string[], startSort = 0): Promise<void> {
  if (texts.length === 0) return;
  await ctx.db
    .insert(analysisMeasures)
    .values(texts.map((text, i) => ({ regionId: report.regionId, reportId: report.id, text, sort: startSort + (i + 1) * 10 })));
}

async function activeMeasures(ctx: Ctx, reportId: string) {
  return ctx.db
    .select({ id: analysisMeasures.id, sort: analysisMeasures.sort, text: analysisMeasures.text, taskId: analysisMeasures.taskId })
    .from(analysisMeasures)
    .where(and(eq(analysisMeasures.reportId, reportId), eq(analysisMeasures.active, true)))
    .orderBy(asc(analysisMeasures.sort), asc(analysisMeasures.id));
}

// ---- writes

export async function createAnalysisReport(ctx: Ctx, input: CreateAnalysisReportBody): Promise<AnalysisReportDetail> {
  const actor = requireActor(ctx.actor);
  if (!isOwnUnit(actor, 'analysis.write', input.unitId)) throw forbidden('只能为本单位撰写分析研判报告');
  const maxIndex = input.periodKind === 'quarter' ? 4 : 2;
  if (input.index > maxIndex) throw invalid({ index: input.periodKind === 'quarter' ? '季度应为1至4' : '半年应为1或2' });
  const period = periodOf(input.periodKind, input.year, input.index);
  const [unit] = await ctx.db.select().from(units).where(eq(units.id, input.unitId)).limit(1);
  if (!unit) throw invalid({ unitId: '单位不存在' });
  const id = await inTx(ctx, async (tx) => {
    const [row] = await tx.db
      .insert(analysisReports)
      .values({
        regionId: regionOf(unit.id),
        unitId: unit.id,
        toUnitId: unit.parentId,
        periodKind: input.periodKind,
        periodKey: period.key,
        periodLabel: period.label,
        title: input.title || `${unit.name}${period.label}意识形态领域分析研判报告`,
        situation: input.situation,
        risks: input.risks,
        createdBy: actor.personId || null,
      })
      .returning();
    await insertMeasures(tx, row!, input.measures);
    for (const a of input.attachmentIds ?? []) await linkAttachment(tx, a, ANALYSIS_ENTITY, row!.id);
    await writeAudit(tx, {
      action: 'create',
      entity: 'analysisReport',
      entityId: row!.id,
      unitId: row!.unitId,
      after: { ...row, measures: input.measures },
    });
    return row!.id;
  });
  return getAnalysisReport(ctx, id);
}

export async function updateAnalysisReport(ctx: Ctx, id: string, input: UpdateAnalysisReportBody): Promise<AnalysisReportDetail> {
  requireActor(ctx.actor);
  await inTx(ctx, async (tx) => {
    const before = await lockReport(tx, id);
    await requireSide(tx, before, 'author');
    const state = before.state as AnalysisState;
    if (state !== 'draft' && state !== 'returned') throw illegal('修改', state);
    const patch: Partial<ReportRow> = { updatedAt: new Date() };
    if (input.title !== undefined && input.title !== '') patch.title = input.title;
    if (input.situation !== undefined) patch.situation = input.situation;
    if (input.risks !== undefined) patch.risks = input.risks;
    const measuresBefore = await activeMeasures(tx, id);
    const [after] = await tx.db.update(analysisReports).set(patch).where(eq(analysisReports.id, id)).returning();
    if (input.measures) {
      // measures already made tasks stay (the task points at them); the others are replaced, not deleted
      await tx.db
        .update(analysisMeasures)
        .set({ active: false })
        .where(and(eq(analysisMeasures.reportId, id), eq(analysisMeasures.active, true), isNull(analysisMeasures.taskId)));
      const maxSort = Math.max(0, ...measuresBefore.map((m) => m.sort));
      await insertMeasures(tx, before, input.measures, maxSort);
    }
    for (const a of input.attachmentIds ?? []) await linkAttachment(tx, a, ANALYSIS_ENTITY, id);
    await writeAudit(tx, {
      action: 'update',
      entity: 'analysisReport',
      entityId: id,
      unitId: before.unitId,
      before: { ...before, measures: measuresBefore },
      after: { ...after, measures: await activeMeasures(tx, id) },
    });
  });
  return getAnalysisReport(ctx, id);
}

/** Applies a transition under the row lock; audits `transition:<from>-><to>` and tells the other side. */
export async function transitionAnalysis(
  ctx: Ctx,
  id: string,
  action: AnalysisAction,
  input: { reason?: string } = {},
): Promise<AnalysisReportDetail> {
  requireActor(ctx.actor);
  const t = analysisTransitions[action];
  await inTx(ctx, async (tx) => {
    const before = await lockReport(tx, id);
    await requireSide(tx, before, t.side);
    const from = before.state as AnalysisState;
    if (!t.from.includes(from)) throw illegal(t.label, from);
    const now = new Date();
    const patch: Partial<ReportRow> = { state: t.to, version: before.version + 1, updatedAt: now };
    if (action === 'submit') {
      if (!before.toUnitId) throw invalid({ unitId: '顶级单位没有上级单位，无需报送' }, '顶级单位没有上级单位，无需报送');
      const fields: Record<string, string> = {};
      if (!before.situation.trim()) fields.situation = '请填写形势分析';
      if (!before.risks.trim()) fields.risks = '请填写风险隐患';
      if (Object.keys(fields).length) throw invalid(fields);
      Object.assign(patch, { submittedAt: now, returnReason: null });
    }
    if (action === 'markRead') patch.readAt = now;
    if (action === 'return') patch.returnReason = input.reason ?? '';
    const [after] = await tx.db.update(analysisReports).set(patch).where(eq(analysisReports.id, id)).returning();
    await writeAudit(tx, {
      action: `transition:${from}->${t.to}`,
      entity: 'analysisReport',
      entityId: id,
      unitId: before.unitId,
      before,
      after,
    });
    const toReviewer = t.side === 'author';
    const recipients = toReviewer
      ? await unitPeople(tx, before.toUnitId!, 'analysis.review')
      : [...(before.createdBy ? [before.createdBy] : []), ...(await unitPeople(tx, before.unitId, 'analysis.write'))];
    await notify(tx, {
      personIds: recipients.filter((p) => p !== tx.actor?.personId),
      unitId: toReviewer ? before.toUnitId : before.unitId,
      title: `分析研判报告${t.label}：${before.title}`,
      body: action === 'return' ? `退回理由：${input.reason}` : `报告状态变为「${analysisStateLabels[t.to]}」`,
      link: `/opinion/analysis/${id}`,
    });
  });
  return getAnalysisReport(ctx, id);
}

/** The reviewer side comments on a reported (not draft) report. */
export async function commentAnalysis(ctx: Ctx, id: string, body: string): Promise<AnalysisReportDetail> {
  const actor = requireActor(ctx.actor);
  await inTx(ctx, async (tx) => {
    const r = await lockReport(tx, id);
    await requireSide(tx, r, 'reviewer');
    if (r.state === 'draft') throw illegal('批注', 'draft');
    const [row] = await tx.db
      .insert(analysisComments)
      .values({ regionId: r.regionId, reportId: id, unitId: r.toUnitId!, body, createdBy: actor.personId || null })
      .returning();
    await writeAudit(tx, { action: 'comment', entity: 'analysisReport', entityId: id, unitId: r.unitId, after: row });
    const recipients = [...(r.createdBy ? [r.createdBy] : []), ...(await unitPeople(tx, r.unitId, 'analysis.write'))];
    await notify(tx, {
      personIds: recipients.filter((p) => p !== actor.personId),
      unitId: r.unitId,
      title: `上级对分析研判报告提出意见：${r.title}`,
      body,
      link: `/opinion/analysis/${id}`,
    });
  });
  return getAnalysisReport(ctx, id);
}

/**
 * The reviewer side turns a measure (措施建议) into a task assigned by the unit reported to, by default to the
 * reporting unit. Linked both ways in one transaction; a measure becomes a task once (409 the second time).
 */
export async function measureToTask(
  ctx: Ctx,
  measureId: string,
  input: { deadline: string; assigneeUnitId?: string; title?: string },
): Promise<AnalysisReportDetail> {
  requireActor(ctx.actor);
  const reportId = await inTx(ctx, async (tx) => {
    // lock order as in updateAnalysisReport: the report first, then its measures (no deadlock between the two)
    const [found] = await tx.db
      .select({ reportId: analysisMeasures.reportId })
      .from(analysisMeasures)
      .where(eq(analysisMeasures.id, measureId));
    if (!found) throw notFound('措施建议不存在或无权查看');
    const r = await lockReport(tx, found.reportId);
    const [m] = await tx.db.select().from(analysisMeasures).where(eq(analysisMeasures.id, measureId)).for('update');
    if (!m?.active) throw notFound('措施建议不存在或无权查看');
    await requireSide(tx, r, 'reviewer');
    const state = r.state as AnalysisState;
    if (state !== 'submitted' && state !== 'read') throw illegal('转为任务', state);
    if (m.taskId) throw new AppError('ILLEGAL_TRANSITION', '该措施建议已转为任务');
    const task = await createLinkedTask(tx, {
      assignerUnitId: r.toUnitId!,
      assigneeUnitId: input.assigneeUnitId ?? r.unitId,
      title: (input.title || m.text).slice(0, 500),
      description: `${r.title}（${r.periodLabel}）提出的措施建议：${m.text}`,
      deadline: input.deadline,
      source: { type: 'opinion.analysisMeasure', id: m.id, label: `分析研判措施：${r.title}` },
    });
    await tx.db.update(analysisMeasures).set({ taskId: task.id }).where(eq(analysisMeasures.id, measureId));
    await writeAudit(tx, {
      action: 'measureToTask',
      entity: 'analysisReport',
      entityId: r.id,
      unitId: r.unitId,
      before: m,
      after: { ...m, taskId: task.id },
    });
    return r.id;
  });
  return getAnalysisReport(ctx, reportId);
}

// ---- reads

/** The period of a report, from its kind and key (2026-Q3, 2026-H1). */
function periodOfReport(r: Pick<ReportRow, 'periodKind' | 'periodKey'>) {
  const [year, part] = r.periodKey.split('-');
  return periodOf(r.periodKind as AnalysisPeriodKind, Number(year), Number(part!.slice(1)));
}

/** The unit's opinion events first seen in the report's period that the caller reads: material for the analysis. */
async function periodEvents(ctx: Ctx, r: ReportRow) {
  const p = periodOfReport(r);
  const rows = await ctx.db
    .select({
      id: opinionEvents.id,
      title: opinionEvents.title,
      level: opinionEvents.level,
      state: opinionEvents.state,
      firstSeenAt: opinionEvents.firstSeenAt,
    })
    .from(opinionEvents)
    .where(
      and(
        eq(opinionEvents.unitId, r.unitId),
        gte(opinionEvents.firstSeenAt, p.start),
        lt(opinionEvents.firstSeenAt, p.end),
        eventReadable(ctx),
      ),
    )
    .orderBy(asc(opinionEvents.firstSeenAt), asc(opinionEvents.id))
    .limit(100);
  return rows.map((e) => ({
    id: e.id,
    title: e.title,
    levelLabel: opinionLevelLabels[e.level as OpinionLevel],
    stateLabel: opinionStateLabels[e.state as OpinionState],
    firstSeenAt: e.firstSeenAt.toISOString(),
  }));
}

export async function getAnalysisReport(ctx: Ctx, id: string): Promise<AnalysisReportDetail> {
  requireActor(ctx.actor);
  const [row] = await baseQuery(ctx)
    .where(and(eq(analysisReports.id, id), analysisReadable(ctx)))
    .limit(1);
  if (!row) throw notFound(NOT_FOUND);
  const comments = await ctx.db
    .select({ c: analysisComments, unitName: units.name, createdByName: people.displayName })
    .from(analysisComments)
    .innerJoin(units, eq(units.id, analysisComments.unitId))
    .leftJoin(people, eq(people.id, analysisComments.createdBy))
    .where(eq(analysisComments.reportId, id))
    .orderBy(asc(analysisComments.createdAt), asc(analysisComments.id));
  return {
    ...toReport(row),
    periodEvents: await periodEvents(ctx, row.report),
    measures: await activeMeasures(ctx, id),
    comments: comments.map((c) => ({
      id: c.c.id,
      unitId: c.c.unitId,
      unitName: c.unitName,
      body: c.c.body,
      createdBy: c.c.createdBy,
      createdByName: c.createdByName,
      createdAt: c.c.createdAt.toISOString(),
    })),
    attachments: await listAttachmentsOf(ctx, ANALYSIS_ENTITY, id),
  };
}

export async function listAnalysisReports(ctx: Ctx, q: AnalysisListQuery & { page: number; pageSize: number }) {
  requireActor(ctx.actor);
  const conds: (SQL | undefined)[] = [analysisReadable(ctx)];
  if (q.unitId) conds.push(eq(analysisReports.unitId, q.unitId));
  if (q.state) conds.push(eq(analysisReports.state, q.state));
  if (q.periodKind) conds.push(eq(analysisReports.periodKind, q.periodKind));
  if (q.toMe === 'true')
    conds.push(and(ne(analysisReports.state, 'draft'), inScope(ctx.actor, 'analysis.review', analysisReports.toUnitId)));
  if (q.q) conds.push(sql`${analysisReports.title} ILIKE ${containsPattern(q.q)}`);
  const where = and(...conds);
  const [{ total }] = (await ctx.db.select({ total: count() }).from(analysisReports).where(where)) as [{ total: number }];
  const rows = await baseQuery(ctx)
    .where(where)
    .orderBy(desc(analysisReports.periodKey), desc(analysisReports.createdAt), asc(analysisReports.id))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  return { items: rows.map(toReport), total, page: q.page, pageSize: q.pageSize };
}

// attachments: the author side links them while the report is editable
registerAttachmentEntity(ANALYSIS_ENTITY, async (ctx, entityId) => {
  const [row] = isUuid(entityId) ? await ctx.db.select().from(analysisReports).where(eq(analysisReports.id, entityId)).limit(1) : [];
  if (!row) throw notFound(NOT_FOUND);
  await requireSide(ctx, row, 'author');
});
