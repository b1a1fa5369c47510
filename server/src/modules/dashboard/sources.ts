/**
 * Where the dashboard's figures come from: each source reads one module through its service and answers
 * additive counts ("measures") per child bucket of the unit (see `childBucket` in core/scope.ts). A module
 * that lands later adds its source here; a figure nobody measures stays null.
 */
import type { Permission } from '@dutyledger/contracts';
import { inArray } from 'drizzle-orm';
import type { Ctx } from '../../core/context.js';
import { units } from '../../core/schema.js';
import type { UnitArea } from '../../core/scope.js';
import { taskCountsByChild } from '../duty/service.js';
import { complianceCountsByChild } from '../meetings/service.js';
import { openOpinionCountsByChild } from '../opinion/service.js';
import { openRectificationItems } from '../rectify/service.js';
import { missingReportCountsByChild } from '../reports/service.js';

export const measures = [
  'openTasks',
  'overdueTasks',
  'complianceDone',
  'complianceOverdue',
  'missingReports',
  'openRectification',
  'overdueRectification',
  'openOpinionEvents',
] as const;
export type Measure = (typeof measures)[number];

export type BucketMeasures = Map<string, Partial<Record<Measure, number>>>;

export interface FigureSource {
  /** the measures it answers (for buckets without records they count 0, not null) */
  provides: readonly Measure[];
  /**
   * the permissions whose reach its counts depend on (the module filters its records by them): callers with
   * the same reach for these get the same counts, which lets the dashboard keep a large area's counts
   */
  reads: readonly Permission[];
  measure(ctx: Ctx, area: UnitArea): Promise<BucketMeasures>;
}

const tasks: FigureSource = {
  provides: ['openTasks', 'overdueTasks'],
  // the area is the dashboard's own (dashboard.read); tasks are not filtered further
  reads: [],
  async measure(ctx, area) {
    const counts = await taskCountsByChild(ctx, area);
    return new Map([...counts].map(([bucket, c]) => [bucket, { openTasks: c.open, overdueTasks: c.overdue }]));
  },
};

const compliance: FigureSource = {
  provides: ['complianceDone', 'complianceOverdue'],
  reads: ['compliance.read'],
  async measure(ctx, area) {
    const counts = await complianceCountsByChild(ctx, area);
    return new Map([...counts].map(([bucket, c]) => [bucket, { complianceDone: c.done, complianceOverdue: c.overdue }]));
  },
};

/** The id of the unit at the end of a path ('/a/b/c/' → c). */
const unitIdOf = (path: string) => path.split('/').filter(Boolean).at(-1)!;

/** Groups per-unit counts into child buckets by the units' paths (for sources that answer per unit). */
async function bucketsOf<T>(ctx: Ctx, area: UnitArea, rows: { unitId: string; value: T }[]): Promise<Map<string, T[]>> {
  const out = new Map<string, T[]>();
  if (rows.length === 0) return out;
  const paths = await ctx.db
    .select({ id: units.id, path: units.path })
    .from(units)
    .where(inArray(units.id, [...new Set(rows.map((r) => r.unitId))]));
  const pathOf = new Map(paths.map((p) => [p.id, p.path]));
  for (const r of rows) {
    const path = pathOf.get(r.unitId);
    if (!path?.startsWith(area.path)) continue;
    const bucket = path.slice(area.path.length, area.path.length + 36);
    if (!area.subtree && bucket !== '') continue;
    out.set(bucket, [...(out.get(bucket) ?? []), r.value]);
  }
  return out;
}

const reports: FigureSource = {
  provides: ['missingReports'],
  reads: ['report.read'],
  async measure(ctx, area) {
    const counts = await missingReportCountsByChild(ctx, area);
    return new Map([...counts].map(([bucket, n]) => [bucket, { missingReports: n }]));
  },
};

const rectification: FigureSource = {
  provides: ['openRectification', 'overdueRectification'],
  reads: ['rectify.read'],
  async measure(ctx, area) {
    const rows = await openRectificationItems(ctx, unitIdOf(area.path));
    const buckets = await bucketsOf(
      ctx,
      area,
      rows.map((r) => ({ unitId: r.unitId, value: r })),
    );
    return new Map(
      [...buckets].map(([bucket, list]) => [
        bucket,
        { openRectification: list.reduce((a, r) => a + r.open, 0), overdueRectification: list.reduce((a, r) => a + r.overdue, 0) },
      ]),
    );
  },
};

const opinion: FigureSource = {
  provides: ['openOpinionEvents'],
  reads: ['opinion.read'],
  async measure(ctx, area) {
    const counts = await openOpinionCountsByChild(ctx, area);
    return new Map([...counts].map(([bucket, n]) => [bucket, { openOpinionEvents: n }]));
  },
};

export const figureSources: FigureSource[] = [tasks, compliance, reports, rectification, opinion];
