/**
 * The opening unit's side of a window: the missing-report board, reminders by the scheduler, and reads for
 * the dashboard and the assessment (`missingReports`, `reportOnTimeRate`).
 */
import type { SubmissionRow, WindowBoard, WindowBoardQuery } from '@dutyledger/contracts';
import { and, asc, eq, gte, inArray, isNull, like, lte, or, type SQL, sql } from 'drizzle-orm';
import { writeAudit } from '../../core/audit.js';
import type { Ctx } from '../../core/context.js';
import { inTx } from '../../core/context.js';
import { AppError, forbidden, notFound } from '../../core/errors.js';
import { localDate, type Period } from '../../core/periods.js';
import { claimOnce, registerJob } from '../../core/scheduler.js';
import { units } from '../../core/schema.js';
import {
  canInUnit,
  childBucket,
  inArea,
  inScope,
  requireActor,
  requireRecordInScope,
  subtreePattern,
  type UnitArea,
} from '../../core/scope.js';
import { containsPattern } from '../../core/search.js';
import { notifyFilers } from './notifyFilers.js';
import { reportSubmissions, reportWindows, reportWindowTargets } from './schema.js';
import { lateness, submissionOfTarget, targetQuery, toRow } from './submissions.js';
import { toWindow, type WindowRow, windowQuery, windowReadable } from './windows.js';

const DAY = 86_400_000;

/** 404 when the window is unreadable, 403 when readable (as a target) but not by the opening unit's side. */
export async function requireBoardAccess(ctx: Ctx, id: string): Promise<WindowRow> {
  requireActor(ctx.actor);
  const [w] = await ctx.db
    .select()
    .from(reportWindows)
    .where(and(eq(reportWindows.id, id), windowReadable(ctx)))
    .limit(1);
  if (!w) throw notFound('报送任务不存在或无权查看');
  if (!(await canInUnit(ctx.db, ctx.actor, 'report.read', w.unitId))) throw forbidden('只有发起单位可以查看报送情况');
  return w;
}

/** Every target of the window with its state and lateness, missing and late first (the ZIP's 报送情况.xlsx). */
export async function allBoardRows(ctx: Ctx, id: string): Promise<{ window: WindowRow; rows: SubmissionRow[] }> {
  const window = await requireBoardAccess(ctx, id);
  const now = new Date();
  const rows = (await targetQuery(ctx).where(eq(reportWindowTargets.windowId, id)).orderBy(asc(units.path))).map((r) => toRow(r, now));
  const order: Record<SubmissionRow['state'], number> = { notSubmitted: 0, draft: 1, returned: 2, submitted: 3, accepted: 4 };
  rows.sort((a, b) => order[a.state] - order[b.state] || b.lateDays - a.lateDays);
  return { window, rows };
}

/**
 * 报送情况: the summary over every target of the window, counted in SQL, and one page of the targets that match
 * the filter, in the order of `allBoardRows` (未填报, 草稿, 退回, 已报送, 已采纳; the latest first, then by unit).
 * A province's window has 30,000 targets: the whole list was a 14 MB answer (bench/BENCHMARKS.md).
 */
export async function windowBoard(ctx: Ctx, id: string, q: WindowBoardQuery & { page: number; pageSize: number }): Promise<WindowBoard> {
  await requireBoardAccess(ctx, id);
  const now = new Date();
  const [wr] = await windowQuery(ctx).where(eq(reportWindows.id, id));
  const submittedOrNow = sql`coalesce(${reportSubmissions.firstSubmittedAt}, ${now.toISOString()}::timestamptz)`;
  const late = sql`${submittedOrNow} > ${reportWindows.closesAt}`;
  const conds: (SQL | undefined)[] = [];
  if (q.state === 'notSubmitted') conds.push(isNull(reportSubmissions.id));
  else if (q.state) conds.push(eq(reportSubmissions.state, q.state));
  if (q.late === 'true') conds.push(late);
  if (q.late === 'false') conds.push(sql`NOT (${late})`);
  if (q.q) conds.push(sql`${units.name} ILIKE ${containsPattern(q.q)}`);
  const filter = and(...conds) ?? sql`true`;
  const n = (cond: SQL) => sql<number>`(count(*) FILTER (WHERE ${cond}))::int`;
  // the summary over every target and the filtered total, in one pass over the window's targets
  const [counts] = await ctx.db
    .select({
      targets: sql<number>`count(*)::int`,
      notSubmitted: n(sql`${reportSubmissions.id} IS NULL`),
      draft: n(sql`${reportSubmissions.state} = 'draft'`),
      submitted: n(sql`${reportSubmissions.state} = 'submitted'`),
      returned: n(sql`${reportSubmissions.state} = 'returned'`),
      accepted: n(sql`${reportSubmissions.state} = 'accepted'`),
      late: n(late),
      total: n(filter),
    })
    .from(reportWindowTargets)
    .innerJoin(reportWindows, eq(reportWindows.id, reportWindowTargets.windowId))
    .innerJoin(units, eq(units.id, reportWindowTargets.unitId))
    .leftJoin(reportSubmissions, submissionOfTarget)
    .where(eq(reportWindowTargets.windowId, id));
  const { total, ...summary } = counts!;
  const stateOrder = sql`CASE coalesce(${reportSubmissions.state}, 'notSubmitted') WHEN 'notSubmitted' THEN 0 WHEN 'draft' THEN 1 WHEN 'returned' THEN 2 WHEN 'submitted' THEN 3 ELSE 4 END`;
  const lateSeconds = sql`greatest(extract(epoch FROM ${submittedOrNow} - ${reportWindows.closesAt}), 0)`;
  const rows = await targetQuery(ctx)
    .where(and(eq(reportWindowTargets.windowId, id), filter))
    .orderBy(stateOrder, sql`ceil(${lateSeconds} / 86400) DESC`, asc(units.path))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  return {
    window: toWindow(wr!, now),
    summary,
    items: rows.map((r) => toRow(r, now)),
    total,
    page: q.page,
    pageSize: q.pageSize,
  };
}

/**
 * 催报: the opening unit's side reminds every target that has not submitted (未填报, 草稿, 退回), at most once
 * per window, unit and day (notify's dedupeKey). 404/403 like the board; 403 without reportWindow.manage.
 */
export async function remindMissing(ctx: Ctx, id: string): Promise<{ ok: true; notified: number }> {
  const w = await requireBoardAccess(ctx, id);
  if (!(await canInUnit(ctx.db, ctx.actor, 'reportWindow.manage', w.unitId))) throw forbidden('只有发起单位可以催报');
  const now = new Date();
  if (w.opensAt.getTime() > now.getTime()) throw new AppError('ILLEGAL_TRANSITION', '报送尚未开始，不能催报');
  const targets = await ctx.db
    .select({ unitId: reportWindowTargets.unitId })
    .from(reportWindowTargets)
    .leftJoin(reportSubmissions, submissionOfTarget)
    .where(
      and(eq(reportWindowTargets.windowId, id), or(isNull(reportSubmissions.id), inArray(reportSubmissions.state, ['draft', 'returned']))),
    );
  return inTx(ctx, async (tx) => {
    let notified = 0;
    for (const t of targets) {
      notified += await notifyFilers(tx, t.unitId, {
        title: `催报：${w.title}`,
        body: `截止时间 ${localDate(w.closesAt)}，请尽快报送。`,
        link: `/my-reports?windowId=${w.id}`,
        dedupeKey: `reports.urge:${w.id}:${t.unitId}:${localDate(now)}`,
      });
    }
    if (notified > 0)
      await writeAudit(tx, {
        action: 'urge',
        entity: 'reportWindow',
        entityId: id,
        unitId: w.unitId,
        after: { units: targets.length, notified },
      });
    return { ok: true as const, notified };
  });
}

// ---- dashboard / assessment reads

export interface MissingReport {
  windowId: string;
  windowTitle: string;
  closesAt: string;
  unitId: string;
  unitName: string;
  state: SubmissionRow['state'];
  /** days past closes at (0 while the window is still open) */
  lateDays: number;
}

/** Windows that count as "open" for the dashboard: opened, and closed at most this many days ago. */
export const MISSING_LOOKBACK_DAYS = 180;

/**
 * Missing reports under `rootUnitId`: for windows that have opened and closed at most 180 days ago, every
 * target unit in the root's subtree (root included) whose report is not 已报送 or 已采纳 (未填报, 草稿, 退回).
 * Needs `report.read` on the root (404 otherwise); only targets within the caller's reach are listed.
 */
export async function missingReports(ctx: Ctx, rootUnitId: string): Promise<MissingReport[]> {
  requireActor(ctx.actor);
  await requireRecordInScope(ctx.db, ctx.actor, 'report.read', rootUnitId);
  const [root] = await ctx.db.select({ path: units.path }).from(units).where(eq(units.id, rootUnitId));
  const now = new Date();
  const rows = await targetQuery(ctx)
    .where(
      and(
        like(units.path, subtreePattern(root!.path)),
        inScope(ctx.actor, 'report.read', reportWindowTargets.unitId),
        lte(reportWindows.opensAt, now),
        gte(reportWindows.closesAt, new Date(now.getTime() - MISSING_LOOKBACK_DAYS * DAY)),
        or(isNull(reportSubmissions.id), inArray(reportSubmissions.state, ['draft', 'returned'])),
      ),
    )
    .orderBy(asc(reportWindows.closesAt), asc(units.path));
  return rows.map((r) => {
    const row = toRow(r, now);
    return {
      windowId: row.windowId,
      windowTitle: row.windowTitle,
      closesAt: row.closesAt,
      unitId: row.unitId,
      unitName: row.unitName,
      state: row.state,
      lateDays: lateness(r.w.closesAt, null, now).lateDays,
    };
  });
}

/**
 * `missingReports` counted per child bucket of `area` (see `childBucket`), for the dashboard: one grouped
 * query, no per-unit rows (a province-wide window has 30,000 targets).
 */
export async function missingReportCountsByChild(ctx: Ctx, area: UnitArea): Promise<Map<string, number>> {
  requireActor(ctx.actor);
  const now = new Date();
  const bucket = childBucket(units.path, area.path);
  const rows = await ctx.db
    .select({ bucket, n: sql<number>`count(*)::int` })
    .from(reportWindowTargets)
    .innerJoin(reportWindows, eq(reportWindows.id, reportWindowTargets.windowId))
    .innerJoin(units, eq(units.id, reportWindowTargets.unitId))
    .leftJoin(reportSubmissions, submissionOfTarget)
    .where(
      and(
        inArea(units.path, area),
        inScope(ctx.actor, 'report.read', reportWindowTargets.unitId),
        lte(reportWindows.opensAt, now),
        gte(reportWindows.closesAt, new Date(now.getTime() - MISSING_LOOKBACK_DAYS * DAY)),
        or(isNull(reportSubmissions.id), inArray(reportSubmissions.state, ['draft', 'returned'])),
      ),
    )
    .groupBy(bucket);
  return new Map(rows.map((r) => [r.bucket, Number(r.n)]));
}

export interface OnTimeRate {
  /** windows targeting the unit whose closes at fell in the period and has passed */
  due: number;
  /** first 已报送 at or before closes at */
  onTime: number;
  /** first 已报送 after closes at */
  late: number;
  /** never submitted (未填报, or still 草稿) */
  missing: number;
  /** onTime / due, 0–1; null when nothing was due */
  rate: number | null;
}

/**
 * Report on-time rate of one unit (not its subtree) for a period, as the assessment scores it:
 * among the windows that targeted the unit and whose closes at lies in [period.start, period.end) and is
 * already past, the share whose first submission (已报送, whatever happened after: a later 退回 does not
 * make an on-time report late) came at or before closes at. Needs `report.read` on the unit (404).
 */
export async function reportOnTimeRate(ctx: Ctx, unitId: string, period: Period): Promise<OnTimeRate> {
  requireActor(ctx.actor);
  await requireRecordInScope(ctx.db, ctx.actor, 'report.read', unitId);
  const now = new Date();
  const end = period.end.getTime() < now.getTime() ? period.end : now;
  const rows = await ctx.db
    .select({ closesAt: reportWindows.closesAt, first: reportSubmissions.firstSubmittedAt })
    .from(reportWindowTargets)
    .innerJoin(reportWindows, eq(reportWindows.id, reportWindowTargets.windowId))
    .leftJoin(reportSubmissions, submissionOfTarget)
    .where(and(eq(reportWindowTargets.unitId, unitId), gte(reportWindows.closesAt, period.start), sql`${reportWindows.closesAt} < ${end}`));
  let onTime = 0;
  let late = 0;
  let missing = 0;
  for (const r of rows) {
    if (!r.first) missing++;
    else if (r.first.getTime() <= r.closesAt.getTime()) onTime++;
    else late++;
  }
  const due = rows.length;
  return { due, onTime, late, missing, rate: due === 0 ? null : onTime / due };
}

// ---- reminders (scheduler)

type ReminderKind = 'd3' | 'd1' | 'overdue';
const reminderText: Record<ReminderKind, string> = { d3: '距截止还有3天', d1: '距截止还有1天', overdue: '已逾期' };

/** 3 and 1 calendar days (Shanghai) before closes at, and once after it. */
export function reminderDue(closesAt: Date, now: Date): ReminderKind | null {
  if (closesAt.getTime() < now.getTime()) return 'overdue';
  const days = Math.round((Date.parse(localDate(closesAt)) - Date.parse(localDate(now))) / DAY);
  return days === 3 ? 'd3' : days === 1 ? 'd1' : null;
}

/**
 * Reminds the target units that have not submitted (未填报, 草稿, 退回) of windows closing within 5 days or
 * closed within the last 2 days. Each reminder goes out once: a claimOnce key per window, unit, kind and
 * closes at, claimed in the transaction that writes the notification (whose dedupeKey is the same key).
 */
export async function sendReportReminders(ctx: Ctx, now = new Date()): Promise<number> {
  const rows = await ctx.db
    .select({ w: reportWindows, unitId: reportWindowTargets.unitId, state: reportSubmissions.state })
    .from(reportWindowTargets)
    .innerJoin(reportWindows, eq(reportWindows.id, reportWindowTargets.windowId))
    .leftJoin(reportSubmissions, submissionOfTarget)
    .where(
      and(
        lte(reportWindows.opensAt, now),
        gte(reportWindows.closesAt, new Date(now.getTime() - 2 * DAY)),
        lte(reportWindows.closesAt, new Date(now.getTime() + 5 * DAY)),
        or(isNull(reportSubmissions.id), inArray(reportSubmissions.state, ['draft', 'returned'])),
      ),
    );
  let sent = 0;
  for (const r of rows) {
    const kind = reminderDue(r.w.closesAt, now);
    if (!kind) continue;
    const key = `reports.reminders:${r.w.id}:${r.unitId}:${kind}:${r.w.closesAt.toISOString()}`;
    await inTx(ctx, async (tx) => {
      if (!(await claimOnce(tx, key, 'reports.reminders'))) return;
      await notifyFilers(tx, r.unitId, {
        title: `报送提醒（${reminderText[kind]}）：${r.w.title}`,
        body: `截止时间 ${localDate(r.w.closesAt)}${kind === 'overdue' ? '，已逾期，请尽快报送' : '，请按时报送'}`,
        link: `/my-reports?windowId=${r.w.id}`,
        dedupeKey: key,
      });
      sent++;
    });
  }
  return sent;
}

registerJob({
  name: 'reports.reminders',
  cron: '0 10 8 * * *', // daily, 08:10 Asia/Shanghai
  run: async (ctx) => {
    await sendReportReminders(ctx);
  },
});
