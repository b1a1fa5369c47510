import { dashboard, dashboardQuery } from '@dutyledger/contracts';
import type { RoutePlugin } from '../../core/route.js';
import * as service from './service.js';

export const dashboardRoutes: RoutePlugin = (app) => {
  const tags = ['dashboard'];
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
    (req) => service.getDashboard(req.ctx, req.query.unitId),
  );
};
