/**
 * The dashboard of a unit: its subtree's figures, one row per child unit with the same figures, trends of
 * the last 12 months and the caller's to-do list. Every figure is a count in SQL (no per-unit queries): each
 * source groups its records by the child of the unit whose subtree holds them. A subtree of at least
 * `dashboardCacheMinUnits` units (a city, a province) has its counts kept for a minute (cache.ts) and the
 * answer says when they were counted (`figuresAsOf`).
 */
import type { Dashboard, DashboardFigureKey, DashboardFigures, TodoItem } from '@dutyledger/contracts';
import { and, asc, count, eq, inArray, like } from 'drizzle-orm';
import type { Config } from '../../config.js';
import type { Ctx } from '../../core/context.js';
import { forbidden, notFound } from '../../core/errors.js';
import { periodContaining, periodsBetween } from '../../core/periods.js';
import { units } from '../../core/schema.js';
import { reachOf, requireActor, subtreePattern, type UnitArea } from '../../core/scope.js';
import { latestAssessmentOf } from '../assessment/service.js';
import { tasksDoneByMonth, taskTodos } from '../duty/service.js';
import { meetingsHeldByMonth } from '../meetings/service.js';
import { AreaCache, type Kept } from './cache.js';
import { figureSources, type Measure } from './sources.js';

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

/** What a dashboard counts over an area, independent of who asks (given the same reach): kept for large areas. */
interface AreaCounts {
  buckets: [string, Totals][];
  done: [string, number][];
  held: [string, number][];
}

async function countArea(ctx: Ctx, area: UnitArea, monthsFrom: Date): Promise<AreaCounts> {
  const [buckets, done, held] = await Promise.all([
    Promise.all(figureSources.map((s) => s.measure(ctx, area))),
    tasksDoneByMonth(ctx, area, monthsFrom),
    meetingsHeldByMonth(ctx, area, monthsFrom),
  ]);
  const merged = new Map<string, Totals>();
  for (const b of buckets)
    for (const [key, m] of b) {
      const t = merged.get(key) ?? {};
      add(t, m);
      merged.set(key, t);
    }
  return { buckets: [...merged], done: [...done], held: [...held] };
}

/**
 * The permissions whose reach the area counts depend on: the figure sources' and the trends' (tasks done:
 * no scope filter beyond the dashboard's own; meetings held: likewise). Two callers with the same reach for
 * each of them get the same counts for the same area, so kept counts are shared under this key.
 */
const countPermissions = [...new Set(figureSources.flatMap((s) => s.reads))].sort();

function reachKey(ctx: Ctx): string {
  return countPermissions
    .map((p) => {
      const r = reachOf(ctx.actor, p);
      return r ? `${p}:${r.rootPath}:${r.subtree ? 's' : 'u'}` : `${p}:-`;
    })
    .join('|');
}

export interface DashboardDeps {
  /** kept counts of large areas (see cache.ts); absent: always live */
  cache?: AreaCache<AreaCounts>;
  /** kept sizes of subtrees, to decide whether an area is large */
  sizes?: AreaCache<number>;
}

export function dashboardCaches(config: Config): DashboardDeps {
  if (config.dashboardCacheSeconds === 0) return {};
  const ttlMs = config.dashboardCacheSeconds * 1000;
  return { cache: new AreaCache<AreaCounts>({ ttlMs }), sizes: new AreaCache<number>({ ttlMs: 10 * ttlMs }) };
}

async function subtreeSize(ctx: Ctx, path: string): Promise<number> {
  const [row] = await ctx.db
    .select({ n: count() })
    .from(units)
    .where(and(like(units.path, subtreePattern(path)), eq(units.active, true)));
  return Number(row?.n ?? 0);
}

/** The area's counts: live, or kept for a subtree of at least `dashboardCacheMinUnits` units. */
async function areaCounts(ctx: Ctx, area: UnitArea, monthsFrom: Date, deps: DashboardDeps): Promise<Kept<AreaCounts> | null> {
  const { cache, sizes } = deps;
  if (!cache || !sizes || !area.subtree) return null;
  const size = await sizes.get(area.path, () => subtreeSize(ctx, area.path));
  if (size.value < ctx.config.dashboardCacheMinUnits) return null;
  // the background recount outlives the request: it must not use a transaction of it
  const countCtx: Ctx = { db: ctx.db, actor: ctx.actor, config: ctx.config };
  return cache.get(`${area.path}#${monthsFrom.toISOString()}#${reachKey(ctx)}`, () => countArea(countCtx, area, monthsFrom));
}

export async function getDashboard(ctx: Ctx, unitId?: string, deps: DashboardDeps = {}): Promise<Dashboard> {
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
  const months = lastMonths();
  const kept = await areaCounts(ctx, area, months.from, deps);
  const counts = kept?.value ?? (await countArea(ctx, area, months.from));
  const byBucket = new Map(counts.buckets);
  const total: Totals = {};
  for (const m of byBucket.values()) add(total, m);

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

  const [todo, assessment] = await Promise.all([myTodos(ctx), latestAssessmentOf(ctx, unit.id)]);
  const done = new Map(counts.done);
  const held = new Map(counts.held);

  return {
    unit: { id: unit.id, name: unit.name, type: unit.type },
    trail: trailIds.map((tid) => ({ id: tid, name: nameOf.get(tid) ?? '' })),
    subtree: reach.subtree,
    figuresAsOf: kept ? new Date(kept.at).toISOString() : null,
    figures: figuresOf(total, provided),
    children: children.map((c) => ({
      unitId: c.id,
      name: c.name,
      type: c.type,
      figures: figuresOf(byBucket.get(c.id) ?? {}, provided),
    })),
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
