import type { DashboardFigureKey } from '@dutyledger/contracts';

/** Where each figure's records are listed, for a unit (and its subtree). Null: no list page (yet). */
export function recordsLink(key: DashboardFigureKey, unitId: string): string | null {
  const q = (params: Record<string, string>) => `?${new URLSearchParams({ unitId, ...params }).toString()}`;
  switch (key) {
    case 'openTasks':
      return `/tasks${q({})}`;
    case 'overdueTasks':
      return `/tasks${q({ overdue: 'true' })}`;
    case 'complianceRate':
      return `/compliance?${new URLSearchParams({ unit: unitId }).toString()}`;
    case 'missingReports':
      return '/reports';
    case 'openRectification':
    case 'overdueRectification':
      return '/rectify?tab=items';
    case 'openOpinionEvents':
      return '/opinion/events';
    default:
      return null;
  }
}
