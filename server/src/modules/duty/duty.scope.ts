import type { TaskState } from '@dutyledger/contracts';
import type { Fixture, ScopeCases } from '../../../test/scope.js';

/** A fresh plan of A with one item. */
async function planOfA(fx: Fixture): Promise<{ planId: string; itemId: string }> {
  const plan = (await fx.as.adminA.post('/api/plans', { unitId: fx.units.A, year: 2026, title: '矩阵工作方案' })).body;
  const item = (await fx.as.adminA.post(`/api/plans/${plan.id}/items`, { section: '一', title: '矩阵要点' })).body;
  return { planId: plan.id, itemId: item.id };
}

/** A fresh task assigned by A to A1, brought to `state` by the proper sides. */
async function taskOfA1(fx: Fixture, state: TaskState = 'todo'): Promise<string> {
  const { itemId } = await planOfA(fx);
  const deadline = new Date(Date.now() + 10 * 86_400_000).toISOString();
  const res = await fx.as.adminA.post(`/api/plan-items/${itemId}/assign`, { target: { kind: 'units', unitIds: [fx.units.A1] }, deadline });
  const id: string = res.body.tasks[0].id;
  if (state === 'todo') return id;
  await fx.as.clerkA1.post(`/api/tasks/${id}/start`);
  if (state === 'inProgress') return id;
  await fx.as.clerkA1.post(`/api/tasks/${id}/submit`, { progress: '已完成' });
  return id;
}

/** Scope cases of the duty routes: A's plans and the tasks A assigns to A1. */
export const scopeCases: ScopeCases = {
  'POST /api/plans': {
    permission: 'plan.manage',
    owner: 'adminA',
    denied: { adminB: 403, adminA1: 403, clerkA: 403, auditor: 403 },
    request: async (fx) => ({ url: '/api/plans', body: { unitId: fx.units.A, year: 2026, title: '年度工作方案' } }),
  },
  'GET /api/plans': { self: 'lists only the plans of units in the caller scope (tasks.test.ts)' },
  'GET /api/plans/:id': {
    permission: 'task.read',
    owner: 'clerkA',
    denied: { clerkB: 404, adminB: 404, adminA1: 404, clerkA1: 404, auditor: 404 },
    request: async (fx) => ({ url: `/api/plans/${(await planOfA(fx)).planId}` }),
  },
  'POST /api/plans/:id/items': {
    permission: 'plan.manage',
    owner: 'adminA',
    denied: { adminB: 404, adminA1: 404, clerkA: 403, auditor: 404 },
    request: async (fx) => ({ url: `/api/plans/${(await planOfA(fx)).planId}/items`, body: { section: '二', title: '新要点' } }),
  },
  'POST /api/plan-items/:id/assign': {
    permission: 'task.assign',
    roleExcept: { clerk: "the items are assigned to A1, a child unit: a clerk's task.assign reaches its own unit only" },
    owner: 'adminA',
    // clerkA may assign in A only: A1 is outside a clerk's reach
    denied: { adminB: 404, clerkB: 404, adminA1: 404, clerkA: 403, auditor: 404 },
    request: async (fx) => ({
      url: `/api/plan-items/${(await planOfA(fx)).itemId}/assign`,
      body: { target: { kind: 'units', unitIds: [fx.units.A1] }, deadline: new Date(Date.now() + 86_400_000).toISOString() },
    }),
  },
  'GET /api/tasks': { self: 'lists only the tasks readable in the caller scope (tasks.test.ts)' },
  'GET /api/tasks/export': { self: 'exports only the tasks readable in the caller scope (tasks.test.ts)' },
  'GET /api/tasks/:id': {
    permission: 'task.read',
    owner: 'clerkA1',
    denied: { clerkB: 404, adminB: 404, auditor: 404, auditorA1: 404 },
    request: async (fx) => ({ url: `/api/tasks/${await taskOfA1(fx)}` }),
  },
  'POST /api/tasks/:id/start': {
    permission: 'task.work',
    owner: 'clerkA1',
    denied: { clerkB: 404, adminB: 404, clerkA: 403, auditor: 404 },
    request: async (fx) => ({ url: `/api/tasks/${await taskOfA1(fx)}/start` }),
  },
  'PUT /api/tasks/:id/assignee': {
    permission: 'task.work',
    owner: 'clerkA1',
    denied: { clerkB: 404, adminB: 404, auditor: 404, auditorA1: 404 },
    request: async (fx) => ({ url: `/api/tasks/${await taskOfA1(fx)}/assignee`, body: { personId: fx.people.clerkA1.id } }),
  },
  'POST /api/tasks/:id/submit': {
    permission: 'task.work',
    owner: 'clerkA1',
    denied: { clerkB: 404, adminB: 404, clerkA: 403, auditor: 404 },
    request: async (fx) => ({ url: `/api/tasks/${await taskOfA1(fx, 'inProgress')}/submit`, body: { progress: '进展' } }),
  },
  'POST /api/tasks/:id/confirm': {
    permission: 'task.assign',
    owner: 'adminA',
    denied: { clerkB: 404, adminB: 404, clerkA1: 403, adminA1: 403 },
    request: async (fx) => ({ url: `/api/tasks/${await taskOfA1(fx, 'submitted')}/confirm` }),
  },
  'POST /api/tasks/:id/return': {
    permission: 'task.assign',
    owner: 'adminA',
    denied: { clerkB: 404, adminB: 404, clerkA1: 403, adminA1: 403 },
    request: async (fx) => ({ url: `/api/tasks/${await taskOfA1(fx, 'submitted')}/return`, body: { reason: '材料不全' } }),
  },
  'POST /api/tasks/:id/urge': {
    permission: 'task.assign',
    owner: 'adminA',
    denied: { clerkB: 404, adminB: 404, clerkA1: 403, adminA1: 403 },
    request: async (fx) => ({ url: `/api/tasks/${await taskOfA1(fx)}/urge` }),
  },
};
