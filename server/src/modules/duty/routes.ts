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
  submitTaskBody,
  task,
  taskDetail,
  taskListQuery,
  urgeResult,
} from '@dutyledger/contracts';
import { z } from 'zod';
import type { RoutePlugin } from '../../core/route.js';
import * as service from './service.js';

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
  app.get('/api/tasks/:id', { schema: { tags, summary: '任务详情', params: idParams, response: { 200: taskDetail } } }, (req) =>
    service.getTask(req.ctx, req.params.id),
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
