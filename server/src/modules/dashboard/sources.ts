/**
 * Where the dashboard's figures come from: each source reads one module through its service and answers
 * additive counts ("measures") per child bucket of the unit (see `childBucket` in core/scope.ts). A module
 * that lands later adds its source here; a figure nobody measures stays null.
 */
import type { Permission } from '@dutyledger/contracts';
import type { Ctx } from '../../core/context.js';
import type { UnitArea } from '../../core/scope.js';
import { taskCountsByChild } from '../duty/service.js';
import { complianceCountsByChild } from '../meetings/service.js';
import { openOpinionCountsByChild } from '../opinion/service.js';
import { openRectificationCountsByChild } from '../rectify/service.js';
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
    const counts = await openRectificationCountsByChild(ctx, area);
    return new Map([...counts].map(([bucket, c]) => [bucket, { openRectification: c.open, overdueRectification: c.overdue }]));
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
