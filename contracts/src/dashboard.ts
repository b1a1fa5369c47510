/** The dashboard (工作台): figures of a unit's subtree, per child unit, trends and the caller's to-do list. */
import { z } from 'zod';

/**
 * The figures, each counted over a unit's whole subtree. A figure whose module is not installed, or that
 * does not apply, is null (shown as —), never 0.
 */
export const dashboardFigureKeys = [
  'complianceRate',
  'openTasks',
  'overdueTasks',
  'missingReports',
  'openRectification',
  'overdueRectification',
  'openOpinionEvents',
] as const;
export type DashboardFigureKey = (typeof dashboardFigureKeys)[number];

export const dashboardFigureLabels: Record<DashboardFigureKey, string> = {
  complianceRate: '制度落实率',
  openTasks: '在办任务',
  overdueTasks: '逾期任务',
  missingReports: '未报送报告',
  openRectification: '整改中事项',
  overdueRectification: '逾期整改',
  openOpinionEvents: '未办结舆情',
};

export const dashboardFigures = z.record(z.enum(dashboardFigureKeys), z.number().nullable());
export type DashboardFigures = z.infer<typeof dashboardFigures>;

export const dashboardQuery = z.object({ unitId: z.uuid().optional() });

export const todoItem = z.object({
  /** the module and kind of record, e.g. task.confirm */
  kind: z.string(),
  kindLabel: z.string(),
  title: z.string(),
  unitName: z.string(),
  /** web route of the record */
  link: z.string(),
  due: z.string().nullable(),
  overdue: z.boolean(),
});
export type TodoItem = z.infer<typeof todoItem>;

export const dashboard = z.object({
  unit: z.object({ id: z.uuid(), name: z.string(), type: z.string() }),
  /** the way up from the caller's scope root to this unit, for the breadcrumb */
  trail: z.array(z.object({ id: z.uuid(), name: z.string() })),
  /** whether the caller sees the subtree (children rows, drill-down) or only the unit itself */
  subtree: z.boolean(),
  /**
   * when the figures, children rows and trends were counted, if they are kept counts of a large subtree (at
   * most two minutes old); null: counted for this answer
   */
  figuresAsOf: z.string().nullable(),
  figures: dashboardFigures,
  children: z.array(z.object({ unitId: z.uuid(), name: z.string(), type: z.string(), figures: dashboardFigures })),
  /** the last 12 months (YYYY-MM, Asia/Shanghai), oldest first */
  trend: z.object({ months: z.array(z.string()), tasksDone: z.array(z.number()), meetingsHeld: z.array(z.number()) }),
  todo: z.array(todoItem),
  /** the unit's latest published assessment result (units are assessed, never people) */
  assessment: z
    .object({
      cycleId: z.uuid(),
      cycleName: z.string(),
      year: z.number().int(),
      total: z.number(),
      rank: z.number().int(),
      of: z.number().int(),
    })
    .nullable(),
});
export type Dashboard = z.infer<typeof dashboard>;
