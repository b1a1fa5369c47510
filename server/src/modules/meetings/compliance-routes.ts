/** HTTP of rules and compliance: study plans, the rule dictionary, the subtree matrix (+ Excel) and a unit's calendar. */
import {
  calendarQuery,
  complianceCalendar,
  complianceMatrix,
  complianceRule,
  createRuleBody,
  createStudyPlanBody,
  idParams,
  matrixQuery,
  paged,
  ruleListQuery,
  type StudyPlan,
  studyPlan,
  studyPlanDetail,
  studyPlanListQuery,
  updateRuleBody,
  updateStudyPlanBody,
} from '@dutyledger/contracts';
import { z } from 'zod';
import { allRows, assertExportable, buildXlsx, type ExportColumn, sendXlsx, shanghaiTime } from '../../core/export.js';
import type { RoutePlugin } from '../../core/route.js';
import { matrixExport } from './compliance-export.js';
import * as service from './service.js';

const studyPlanColumns: ExportColumn<StudyPlan>[] = [
  { header: '月份', width: 10, value: (p) => p.month },
  { header: '单位', width: 24, value: (p) => p.unitName },
  { header: '标题', width: 30, value: (p) => p.title },
  { header: '学习内容', width: 60, value: (p) => p.content },
  { header: '录入时间', width: 20, value: (p) => shanghaiTime(p.createdAt) },
  { header: '补录', width: 8, value: (p) => (p.backfilled ? '是' : '') },
];

export const complianceRoutes: RoutePlugin = (app) => {
  const tags = ['compliance'];

  // ---- study plans (学习计划). No DELETE: plans are evidence for the monthly rule; corrected, not removed.
  app.get(
    '/api/study-plans',
    { schema: { tags, summary: '学习计划列表', querystring: studyPlanListQuery, response: { 200: paged(studyPlan) } } },
    (req) => service.listStudyPlans(req.ctx, req.query),
  );
  app.get(
    '/api/study-plans/export',
    { schema: { tags, summary: '导出学习计划列表（Excel）', querystring: studyPlanListQuery.omit({ page: true, pageSize: true }) } },
    async (req, reply) => {
      const list = await service.listStudyPlans(req.ctx, { ...req.query, ...allRows });
      assertExportable(list.total);
      return sendXlsx(reply, '学习计划.xlsx', await buildXlsx('学习计划', studyPlanColumns, list.items));
    },
  );
  app.get(
    '/api/study-plans/:id',
    { schema: { tags, summary: '学习计划详情', params: idParams, response: { 200: studyPlanDetail } } },
    (req) => service.getStudyPlan(req.ctx, req.params.id),
  );
  app.post(
    '/api/study-plans',
    { schema: { tags, summary: '制定学习计划（每单位每月一份）', body: createStudyPlanBody, response: { 200: studyPlanDetail } } },
    (req) => service.createStudyPlan(req.ctx, req.body),
  );
  app.patch(
    '/api/study-plans/:id',
    { schema: { tags, summary: '修改学习计划', params: idParams, body: updateStudyPlanBody, response: { 200: studyPlanDetail } } },
    (req) => service.updateStudyPlan(req.ctx, req.params.id, req.body),
  );

  // ---- rules (global; edited by a top unit's admin)
  app.get(
    '/api/compliance/rules',
    {
      schema: {
        tags,
        summary: '制度要求列表（可按单位筛选适用的制度）',
        querystring: ruleListQuery,
        response: { 200: z.array(complianceRule) },
      },
    },
    (req) => (req.query.unitId ? service.rulesForUnit(req.ctx, req.query.unitId) : service.listRules(req.ctx)),
  );
  app.post(
    '/api/compliance/rules',
    { schema: { tags, summary: '新增制度要求（顶级单位管理员）', body: createRuleBody, response: { 200: complianceRule } } },
    (req) => service.createRule(req.ctx, req.body),
  );
  app.patch(
    '/api/compliance/rules/:id',
    {
      schema: {
        tags,
        summary: '修改制度要求（顶级单位管理员）',
        params: idParams,
        body: updateRuleBody,
        response: { 200: complianceRule },
      },
    },
    (req) => service.updateRule(req.ctx, req.params.id, req.body),
  );

  // ---- compliance
  app.get(
    '/api/compliance/matrix',
    { schema: { tags, summary: '落实情况矩阵（单位 × 制度）', querystring: matrixQuery, response: { 200: complianceMatrix } } },
    (req) => service.complianceMatrix(req.ctx, req.query),
  );
  app.get(
    '/api/compliance/matrix/export',
    { schema: { tags, summary: '导出落实情况矩阵（Excel）', querystring: matrixQuery } },
    async (req, reply) => {
      const m = await service.complianceMatrix(req.ctx, req.query);
      const { sheet, columns, rows, filename } = matrixExport(m);
      return sendXlsx(reply, filename, await buildXlsx(sheet, columns, rows));
    },
  );
  app.get(
    '/api/compliance/calendar',
    { schema: { tags, summary: '单位落实情况日历（全年各周期）', querystring: calendarQuery, response: { 200: complianceCalendar } } },
    (req) => service.complianceCalendar(req.ctx, req.query),
  );
};
