/**
 * Report windows (填报窗口): a unit opens a reporting round for a period with a template and target units;
 * the targets are resolved when it opens and stored (report_window_targets).
 *
 * Scope: opening needs `reportWindow.manage` in the opening unit (403), and every target within that
 * permission's reach (403 for a chosen unit outside it; descendants are computed within it). A window is
 * readable with `report.read` in the opening unit or in one of its target units (404 otherwise).
 */
import {
  type OpenWindowBody,
  type ReportKind,
  type ReportWindow,
  type ReportWindowDetail,
  reportKindLabels,
  type WindowListQuery,
  type WindowPhase,
  type WindowTarget,
  windowPhaseLabels,
} from '@dutyledger/contracts';
import dayjs from 'dayjs';
import { and, asc, count, desc, eq, exists, gt, inArray, like, lte, ne, type SQL, sql } from 'drizzle-orm';
import { writeAudit } from '../../core/audit.js';
import { type Ctx, inTx } from '../../core/context.js';
import { invalid, notFound } from '../../core/errors.js';
import { type Period, type PeriodKind, periodOf, TIME_ZONE } from '../../core/periods.js';
import { units } from '../../core/schema.js';
import { inScope, requireActor, requireUnitPermission, subtreePattern } from '../../core/scope.js';
import { containsPattern } from '../../core/search.js';
import { regionOf } from '../../db/distribution.js';
import { notifyFilers } from './notifyFilers.js';
import { reportSubmissions, reportTemplates, reportWindows, reportWindowTargets } from './schema.js';

export type WindowRow = typeof reportWindows.$inferSelect;

export function periodOfWindow(w: Pick<WindowRow, 'periodKind' | 'periodYear' | 'periodIndex'>): Period {
  return periodOf(w.periodKind as PeriodKind, w.periodYear, w.periodIndex);
}

export function phaseOf(w: Pick<WindowRow, 'opensAt' | 'closesAt'>, now = new Date()): WindowPhase {
  if (w.opensAt.getTime() > now.getTime()) return 'upcoming';
  return w.closesAt.getTime() > now.getTime() ? 'open' : 'closed';
}

/**
 * Default deadline of a 自查报告 [004]: the first of 06-10 and 12-10 (end of day, Shanghai) on or after the
 * first day of the period's last month: 上半年 → 06-10, 下半年 and the year → 12-10, Q1 → 06-10.
 */
export function defaultSelfInspectionCloses(period: Period): Date {
  const lastMonth = dayjs(period.end).tz(TIME_ZONE).subtract(1, 'month').startOf('month');
  const y = period.year;
  const candidates = [`${y}-06-10`, `${y}-12-10`, `${y + 1}-06-10`].map((d) => dayjs.tz(`${d} 23:59:59`, TIME_ZONE));
  const hit = candidates.find((c) => !c.isBefore(lastMonth)) ?? candidates[2]!;
  return hit.toDate();
}

/** SQL: the window is readable by the actor (report.read in the opening unit or in one of its targets). */
export const windowReadable = (ctx: Ctx): SQL =>
  sql`(${inScope(ctx.actor, 'report.read', reportWindows.unitId)} OR ${exists(
    ctx.db
      .select({ one: sql`1` })
      .from(reportWindowTargets)
      .where(and(eq(reportWindowTargets.windowId, reportWindows.id), inScope(ctx.actor, 'report.read', reportWindowTargets.unitId))),
  )})`;

const targetCount = sql<number>`(SELECT count(*)::int FROM ${reportWindowTargets} WHERE ${reportWindowTargets.windowId} = ${reportWindows.id})`;
const stateCount = (states: string[]) =>
  sql<number>`(SELECT count(*)::int FROM ${reportSubmissions} WHERE ${reportSubmissions.windowId} = ${reportWindows.id} AND ${inArray(
    reportSubmissions.state,
    states,
  )})`;

export const windowQuery = (ctx: Ctx) =>
  ctx.db
    .select({
      w: reportWindows,
      unitName: units.name,
      templateName: reportTemplates.name,
      templateVersion: reportTemplates.version,
      sections: reportTemplates.sections,
      targetCount,
      submittedCount: stateCount(['submitted', 'accepted']),
      acceptedCount: stateCount(['accepted']),
      canManage: sql<boolean>`${inScope(ctx.actor, 'reportWindow.manage', reportWindows.unitId)}`,
    })
    .from(reportWindows)
    .innerJoin(units, eq(units.id, reportWindows.unitId))
    .innerJoin(reportTemplates, eq(reportTemplates.id, reportWindows.templateId));

type WindowQueryRow = Awaited<ReturnType<ReturnType<typeof windowQuery>['where']>>[number];

export function toWindow(r: WindowQueryRow, now = new Date()): ReportWindow {
  const w = r.w;
  const p = periodOfWindow(w);
  const phase = phaseOf(w, now);
  return {
    id: w.id,
    unitId: w.unitId,
    unitName: r.unitName,
    kind: w.kind as ReportKind,
    kindLabel: reportKindLabels[w.kind as ReportKind],
    title: w.title,
    period: { kind: p.kind, year: p.year, index: p.index, key: p.key, label: p.label },
    templateId: w.templateId,
    templateName: r.templateName,
    templateVersion: r.templateVersion,
    opensAt: w.opensAt.toISOString(),
    closesAt: w.closesAt.toISOString(),
    phase,
    phaseLabel: windowPhaseLabels[phase],
    targetCount: Number(r.targetCount),
    submittedCount: Number(r.submittedCount),
    acceptedCount: Number(r.acceptedCount),
    canManage: !!r.canManage,
    createdAt: w.createdAt.toISOString(),
  };
}

export function toWindowDetail(r: WindowQueryRow): ReportWindowDetail {
  return { ...toWindow(r), sections: r.sections, note: r.w.note };
}

export async function getWindow(ctx: Ctx, id: string): Promise<ReportWindowDetail> {
  requireActor(ctx.actor);
  const [row] = await windowQuery(ctx)
    .where(and(eq(reportWindows.id, id), windowReadable(ctx)))
    .limit(1);
  if (!row) throw notFound('报送任务不存在或无权查看');
  return toWindowDetail(row);
}

export async function listWindows(ctx: Ctx, q: WindowListQuery & { page: number; pageSize: number }) {
  requireActor(ctx.actor);
  const conds: (SQL | undefined)[] = [windowReadable(ctx)];
  if (q.kind) conds.push(eq(reportWindows.kind, q.kind));
  if (q.year) conds.push(eq(reportWindows.periodYear, q.year));
  if (q.unitId) conds.push(eq(reportWindows.unitId, q.unitId));
  if (q.phase === 'upcoming') conds.push(gt(reportWindows.opensAt, sql`now()`));
  if (q.phase === 'open') conds.push(and(lte(reportWindows.opensAt, sql`now()`), gt(reportWindows.closesAt, sql`now()`)));
  if (q.phase === 'closed') conds.push(lte(reportWindows.closesAt, sql`now()`));
  if (q.q) conds.push(sql`${reportWindows.title} ILIKE ${containsPattern(q.q)}`);
  const where = and(...conds);
  const [{ total }] = (await ctx.db.select({ total: count() }).from(reportWindows).where(where)) as [{ total: number }];
  const rows = await windowQuery(ctx)
    .where(where)
    .orderBy(desc(reportWindows.closesAt), asc(reportWindows.id))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  return { items: rows.map((r) => toWindow(r)), total, page: q.page, pageSize: q.pageSize };
}

/** The active units a target names, all within the actor's `reportWindow.manage` reach, never the opener. */
async function resolveTargets(ctx: Ctx, openerId: string, target: WindowTarget): Promise<{ id: string; name: string }[]> {
  if (target.kind === 'units') {
    const ids = [...new Set(target.unitIds)];
    if (ids.includes(openerId)) throw invalid({ 'target.unitIds': '发起单位不能向自己报送' });
    for (const id of ids) await requireUnitPermission(ctx.db, ctx.actor, 'reportWindow.manage', id);
    const rows = await ctx.db.select({ id: units.id, name: units.name, active: units.active }).from(units).where(inArray(units.id, ids));
    const inactive = rows.filter((r) => !r.active);
    if (inactive.length) throw invalid({ 'target.unitIds': `单位已停用：${inactive.map((r) => r.name).join('、')}` });
    return rows;
  }
  await requireUnitPermission(ctx.db, ctx.actor, 'reportWindow.manage', target.rootUnitId);
  const [root] = await ctx.db.select({ path: units.path }).from(units).where(eq(units.id, target.rootUnitId));
  const conds: (SQL | undefined)[] = [
    like(units.path, subtreePattern(root!.path)),
    ne(units.id, target.rootUnitId),
    ne(units.id, openerId),
    eq(units.active, true),
    inScope(ctx.actor, 'reportWindow.manage', units.id),
  ];
  if (target.unitType) conds.push(eq(units.type, target.unitType));
  if (target.directChildrenOnly) conds.push(eq(units.parentId, target.rootUnitId));
  return ctx.db
    .select({ id: units.id, name: units.name })
    .from(units)
    .where(and(...conds))
    .orderBy(asc(units.path));
}

/** Opens a window: validates, resolves and stores the targets, audits, and tells the target units. */
export async function openWindow(ctx: Ctx, input: OpenWindowBody): Promise<ReportWindowDetail> {
  requireActor(ctx.actor);
  await requireUnitPermission(ctx.db, ctx.actor, 'reportWindow.manage', input.unitId);
  let period: Period;
  try {
    period = periodOf(input.periodKind, input.periodYear, input.periodIndex);
  } catch {
    throw invalid({ periodIndex: '期间不正确' });
  }
  const [template] = await ctx.db.select().from(reportTemplates).where(eq(reportTemplates.id, input.templateId)).limit(1);
  if (!template) throw invalid({ templateId: '报告模板不存在' });
  const opensAt = input.opensAt ? new Date(input.opensAt) : new Date();
  let closesAt: Date;
  if (input.closesAt) closesAt = new Date(input.closesAt);
  else if (input.kind === 'selfInspection') closesAt = defaultSelfInspectionCloses(period);
  else throw invalid({ closesAt: '请选择截止时间' });
  if (closesAt.getTime() <= opensAt.getTime()) throw invalid({ closesAt: '截止时间须晚于开始时间' });
  const targets = await resolveTargets(ctx, input.unitId, input.target);
  if (targets.length === 0) throw invalid({ target: '没有符合条件的报送单位' }, '没有符合条件的报送单位');
  const id = await inTx(ctx, async (tx) => {
    const [row] = await tx.db
      .insert(reportWindows)
      .values({
        unitId: input.unitId,
        kind: input.kind,
        title: input.title,
        periodKind: period.kind,
        periodYear: period.year,
        periodIndex: period.index,
        periodKey: period.key,
        templateId: template.id,
        target: input.target,
        opensAt,
        closesAt,
        note: input.note ?? '',
        createdBy: tx.actor?.personId || null,
      })
      .returning();
    await tx.db.insert(reportWindowTargets).values(targets.map((t) => ({ regionId: regionOf(t.id), windowId: row!.id, unitId: t.id })));
    await writeAudit(tx, {
      action: 'create',
      entity: 'reportWindow',
      entityId: row!.id,
      unitId: input.unitId,
      after: { ...row, targets: targets.map((t) => t.id) },
    });
    for (const t of targets) {
      await notifyFilers(tx, t.id, {
        title: `报送通知：${input.title}`,
        body: `请于 ${dayjs(closesAt).tz(TIME_ZONE).format('YYYY-MM-DD HH:mm')} 前报送${period.label}${reportKindLabels[input.kind]}。`,
        link: `/my-reports?windowId=${row!.id}`,
      });
    }
    return row!.id;
  });
  return getWindow(ctx, id);
}
