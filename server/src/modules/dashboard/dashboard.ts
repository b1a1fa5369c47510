/**
 * The dashboard of a unit: its subtree's figures, one row per child unit with the same figures, trends of
 * the last 12 months and the caller's to-do list. Every figure is a count in SQL (no per-unit queries): each
 * source groups its records by the child of the unit whose subtree holds them.
 */
import type { Dashboard, DashboardFigureKey, DashboardFigures, TodoItem } from '@dutyledger/contracts';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Ctx } from '../../core/context.js';
import { forbidden, notFound } from '../../core/errors.js';
import { periodContaining, periodsBetween } from '../../core/periods.js';
import { units } from '../../core/schema.js';
import { reachOf, requireActor, type UnitArea } from '../../core/scope.js';
import { latestAssessmentOf } from '../assessment/service.js';
import { tasksDoneByMonth, taskTodos } from '../duty/service.js';
import { meetingsHeldByMonth } from '../meetings/service.js';
import { type BucketMeasures, figureSources, type Measure } from './sources.js';

const TODO_LIMIT = 20;

type Totals = Partial<Record<Measure, number>>;

function add(into: Totals, from: Totals | undefined) {
  if (!from) return;
  for (const [k, v] of Object.entries(from) as [Measure, number][]) into[k] = (into[k] ?? 0) + v;
}

/** Figures from summed measures; a figure no installed source measures is null. */
function figuresOf(m: Totals, provided: Set<Measure>): DashboardFigures {
  const count = (k: Measure) => (provided.has(k) ? (m[k] ?? 0) : null);
  const done = count('complianceDone');
  const overdue = count('complianceOverdue');
  const figures: Record<DashboardFigureKey, number | null> = {
    complianceRate: done === null || overdue === null || done + overdue === 0 ? null : Math.round((1000 * done) / (done + overdue)) / 10,
    openTasks: count('openTasks'),
    overdueTasks: count('overdueTasks'),
    missingReports: count('missingReports'),
    openRectification: count('openRectification'),
    overdueRectification: count('overdueRectification'),
    openOpinionEvents: count('openOpinionEvents'),
  };
  return figures;
}

/** The last 12 Shanghai months, oldest first, as YYYY-MM, and the first one's start. */
function lastMonths(now = new Date()) {
  const current = periodContaining('month', now);
  const first = periodContaining('month', new Date(Date.UTC(current.year - 1, current.index, 15)));
  const months = periodsBetween('month', first.start, current.end);
  return { keys: months.map((p) => p.key), from: first.start };
}

export async function getDashboard(ctx: Ctx, unitId?: string): Promise<Dashboard> {
  const actor = requireActor(ctx.actor);
  const reach = reachOf(actor, 'dashboard.read');
  if (!reach) throw forbidden();
  const id = unitId ?? reach.rootId;
  const [unit] = await ctx.db
    .select({ id: units.id, name: units.name, type: units.type, path: units.path })
    .from(units)
    .where(eq(units.id, id))
    .limit(1);
  if (!unit) throw notFound('单位不存在或无权查看');
  const within = reach.subtree ? unit.path.startsWith(reach.rootPath) : unit.id === reach.rootId;
  if (!within) throw forbidden('只能查看本单位及下级单位的工作台');

  const area: UnitArea = { path: unit.path, subtree: reach.subtree };
  const provided = new Set(figureSources.flatMap((s) => s.provides));
  const buckets: BucketMeasures[] = await Promise.all(figureSources.map((s) => s.measure(ctx, area)));
  const bucket = (key: string): Totals => {
    const t: Totals = {};
    for (const b of buckets) add(t, b.get(key));
    return t;
  };
  const total: Totals = {};
  for (const b of buckets) for (const m of b.values()) add(total, m);

  const children = reach.subtree
    ? await ctx.db
        .select({ id: units.id, name: units.name, type: units.type })
        .from(units)
        .where(and(eq(units.parentId, unit.id), eq(units.active, true)))
        .orderBy(asc(units.sortOrder), asc(units.name))
    : [];

  // the breadcrumb: from the caller's scope root down to this unit
  const ids = unit.path.split('/').filter(Boolean);
  const trailIds = ids.slice(ids.indexOf(reach.rootId));
  const names = trailIds.length
    ? await ctx.db.select({ id: units.id, name: units.name }).from(units).where(inArray(units.id, trailIds))
    : [];
  const nameOf = new Map(names.map((n) => [n.id, n.name]));

  const months = lastMonths();
  const [done, held, todo, assessment] = await Promise.all([
    tasksDoneByMonth(ctx, area, months.from),
    meetingsHeldByMonth(ctx, area, months.from),
    myTodos(ctx),
    latestAssessmentOf(ctx, unit.id),
  ]);

  return {
    unit: { id: unit.id, name: unit.name, type: unit.type },
    trail: trailIds.map((tid) => ({ id: tid, name: nameOf.get(tid) ?? '' })),
    subtree: reach.subtree,
    figures: figuresOf(total, provided),
    children: children.map((c) => ({ unitId: c.id, name: c.name, type: c.type, figures: figuresOf(bucket(c.id), provided) })),
    trend: {
      months: months.keys,
      tasksDone: months.keys.map((k) => done.get(k) ?? 0),
      meetingsHeld: months.keys.map((k) => held.get(k) ?? 0),
    },
    todo,
    assessment,
  };
}

/** The caller's to-do list across modules, most urgent first. */
async function myTodos(ctx: Ctx): Promise<TodoItem[]> {
  const lists = await Promise.all([taskTodos(ctx, TODO_LIMIT)]);
  const all = lists.flat();
  all.sort((a, b) => (a.due ?? '9999').localeCompare(b.due ?? '9999'));
  return all.slice(0, TODO_LIMIT);
}
