import {
  assignPlanItemBody,
  assignResult,
  createPlanBody,
  createPlanItemBody,
  idParams,
  paged,
  plan,
  planDetail,
  planItem,
  planListQuery,
  returnTaskBody,
  setAssigneeBody,
  submitTaskBody,
  type Task,
  task,
  taskDetail,
  taskListQuery,
  urgeResult,
} from '@dutyledger/contracts';
import { z } from 'zod';
import { allRows, assertExportable, buildXlsx, type ExportColumn, sendXlsx, shanghaiTime } from '../../core/export.js';
import type { RoutePlugin } from '../../core/route.js';
import * as service from './service.js';

const taskExportColumns: ExportColumn<Task>[] = [
  { header: '任务', value: (t) => t.title, width: 40 },
  { header: '承办单位', value: (t) => t.unitName, width: 20 },
  { header: '交办单位', value: (t) => t.assignerUnitName, width: 20 },
  { header: '截止时间', value: (t) => shanghaiTime(t.deadline), width: 18 },
  { header: '状态', value: (t) => t.stateLabel, width: 10 },
  { header: '是否逾期', value: (t) => (t.overdue ? '已逾期' : ''), width: 10 },
  { header: '来源', value: (t) => t.source?.label ?? '', width: 24 },
  { header: '进展情况', value: (t) => t.progress ?? '', width: 40 },
  { header: '退回理由', value: (t) => t.returnReason ?? '', width: 24 },
  { header: '提交时间', value: (t) => shanghaiTime(t.submittedAt), width: 18 },
  { header: '办结时间', value: (t) => shanghaiTime(t.doneAt), width: 18 },
];

export const dutyRoutes: RoutePlugin = (app) => {
  const tags = ['duty'];

  // ---- plans
  app.post('/api/plans', { schema: { tags, summary: '新建工作方案', body: createPlanBody, response: { 200: plan } } }, (req) =>
    service.createPlan(req.ctx, req.body),
  );
  app.get(
    '/api/plans',
    { schema: { tags, summary: '工作方案列表', querystring: planListQuery, response: { 200: z.array(plan) } } },
    (req) => service.listPlans(req.ctx, req.query),
  );
  app.get(
    '/api/plans/:id',
    { schema: { tags, summary: '工作方案详情（含工作要点）', params: idParams, response: { 200: planDetail } } },
    (req) => service.getPlan(req.ctx, req.params.id),
  );
  app.post(
    '/api/plans/:id/items',
    { schema: { tags, summary: '增加工作要点', params: idParams, body: createPlanItemBody, response: { 200: planItem } } },
    (req) => service.addPlanItem(req.ctx, req.params.id, req.body),
  );
  app.post(
    '/api/plan-items/:id/assign',
    {
      schema: {
        tags,
        summary: '分解交办任务（每个单位一条）',
        params: idParams,
        body: assignPlanItemBody,
        response: { 200: assignResult },
      },
    },
    (req) => service.assignPlanItem(req.ctx, req.params.id, req.body),
  );

  // ---- tasks
  app.get('/api/tasks', { schema: { tags, summary: '任务列表', querystring: taskListQuery, response: { 200: paged(task) } } }, (req) =>
    service.listTasks(req.ctx, req.query),
  );
  app.get(
    '/api/tasks/export',
    { schema: { tags, summary: '导出任务列表（Excel）', querystring: taskListQuery.omit({ page: true, pageSize: true }) } },
    async (req, reply) => {
      const list = await service.listTasks(req.ctx, { ...req.query, ...allRows });
      assertExportable(list.total);
      return sendXlsx(reply, '任务清单.xlsx', await buildXlsx('任务', taskExportColumns, list.items));
    },
  );
  app.get('/api/tasks/:id', { schema: { tags, summary: '任务详情', params: idParams, response: { 200: taskDetail } } }, (req) =>
    service.getTask(req.ctx, req.params.id),
  );
  app.put(
    '/api/tasks/:id/assignee',
    { schema: { tags, summary: '指定承办人', params: idParams, body: setAssigneeBody, response: { 200: task } } },
    (req) => service.setTaskAssignee(req.ctx, req.params.id, req.body.personId),
  );
  app.post('/api/tasks/:id/start', { schema: { tags, summary: '开始办理', params: idParams, response: { 200: task } } }, (req) =>
    service.transitionTask(req.ctx, req.params.id, 'start'),
  );
  app.post(
    '/api/tasks/:id/submit',
    { schema: { tags, summary: '提交办理情况', params: idParams, body: submitTaskBody, response: { 200: task } } },
    (req) => service.transitionTask(req.ctx, req.params.id, 'submit', req.body),
  );
  app.post('/api/tasks/:id/confirm', { schema: { tags, summary: '确认办结', params: idParams, response: { 200: task } } }, (req) =>
    service.transitionTask(req.ctx, req.params.id, 'confirm'),
  );
  app.post(
    '/api/tasks/:id/return',
    { schema: { tags, summary: '退回', params: idParams, body: returnTaskBody, response: { 200: task } } },
    (req) => service.transitionTask(req.ctx, req.params.id, 'return', req.body),
  );
  app.post('/api/tasks/:id/urge', { schema: { tags, summary: '督办', params: idParams, response: { 200: urgeResult } } }, (req) =>
    service.urgeTask(req.ctx, req.params.id),
  );
};
