import {
  type AssessmentCycleDetail,
  assessmentCellParams,
  assessmentCycle,
  assessmentCycleDetail,
  assessmentCycleListQuery,
  assessmentFramework,
  createAssessmentCycleBody,
  idParams,
  paged,
  scoreBody,
  selfAssessBody,
} from '@dutyledger/contracts';
import { z } from 'zod';
import { buildXlsx, type ExportColumn, sendXlsx } from '../../core/export.js';
import type { RoutePlugin } from '../../core/route.js';
import * as service from './service.js';

type UnitResult = AssessmentCycleDetail['units'][number];

function exportColumns(c: AssessmentCycleDetail): ExportColumn<UnitResult>[] {
  const leaves = c.indicators.filter((i) => i.method !== null);
  return [
    { header: '排名', value: (u) => u.rank, width: 8 },
    { header: '单位', value: (u) => u.unitName, width: 24 },
    ...leaves.map((ind) => ({
      header: `${ind.name}（${ind.points}分）`,
      value: (u: UnitResult) => u.scores.find((s) => s.indicatorId === ind.id)?.score ?? '',
      width: 14,
    })),
    { header: '总分', value: (u) => u.total, width: 10 },
  ];
}

export const assessmentRoutes: RoutePlugin = (app) => {
  const tags = ['assessment'];
  app.get(
    '/api/assessment/frameworks',
    { schema: { tags, summary: '考核指标体系', response: { 200: z.array(assessmentFramework) } } },
    (req) => service.listFrameworks(req.ctx),
  );
  app.get(
    '/api/assessment/cycles',
    { schema: { tags, summary: '考核列表', querystring: assessmentCycleListQuery, response: { 200: paged(assessmentCycle) } } },
    (req) => service.listCycles(req.ctx, req.query),
  );
  app.post(
    '/api/assessment/cycles',
    { schema: { tags, summary: '发起考核', body: createAssessmentCycleBody, response: { 200: assessmentCycleDetail } } },
    (req) => service.createCycle(req.ctx, req.body),
  );
  app.get(
    '/api/assessment/cycles/:id',
    { schema: { tags, summary: '考核详情（单位得分与排名）', params: idParams, response: { 200: assessmentCycleDetail } } },
    (req) => service.getCycle(req.ctx, req.params.id),
  );
  app.get(
    '/api/assessment/cycles/:id/export',
    { schema: { tags, summary: '导出考核结果（Excel）', params: idParams } },
    async (req, reply) => {
      const c = await service.getCycle(req.ctx, req.params.id);
      return sendXlsx(reply, `${c.name}.xlsx`, await buildXlsx('考核结果', exportColumns(c), c.units));
    },
  );
  app.post(
    '/api/assessment/cycles/:id/compute',
    { schema: { tags, summary: '计算自动指标', params: idParams, response: { 200: assessmentCycleDetail } } },
    (req) => service.computeCycle(req.ctx, req.params.id),
  );
  app.post(
    '/api/assessment/cycles/:id/publish',
    { schema: { tags, summary: '公布考核结果', params: idParams, response: { 200: assessmentCycleDetail } } },
    (req) => service.publishCycle(req.ctx, req.params.id),
  );
  app.post(
    '/api/assessment/cycles/:id/units/:unitId/indicators/:indicatorId/self',
    { schema: { tags, summary: '单位自评', params: assessmentCellParams, body: selfAssessBody, response: { 200: assessmentCycleDetail } } },
    (req) => service.selfAssess(req.ctx, req.params.id, req.params.unitId, req.params.indicatorId, req.body),
  );
  app.post(
    '/api/assessment/cycles/:id/units/:unitId/indicators/:indicatorId/score',
    { schema: { tags, summary: '考核评分', params: assessmentCellParams, body: scoreBody, response: { 200: assessmentCycleDetail } } },
    (req) => service.scoreIndicator(req.ctx, req.params.id, req.params.unitId, req.params.indicatorId, req.body),
  );
};
