import { dashboard, dashboardQuery } from '@dutyledger/contracts';
import type { RoutePlugin } from '../../core/route.js';
import { readDb } from '../../db/client.js';
import * as service from './service.js';

export const dashboardRoutes: RoutePlugin = (app, { database, config }) => {
  const tags = ['dashboard'];
  // read-only counts: served from the replica when one is configured (a moment behind the primary at most)
  const reads = readDb(database);
  // a large area's counts kept for a minute, per app (see cache.ts)
  const deps = service.dashboardCaches(config);
  app.get(
    '/api/dashboard',
    {
      schema: {
        tags,
        summary: '工作台：本单位及下级单位的统计、趋势和我的待办',
        querystring: dashboardQuery,
        response: { 200: dashboard },
      },
    },
    (req) => service.getDashboard({ ...req.ctx, db: reads }, req.query.unitId, deps),
  );
};
