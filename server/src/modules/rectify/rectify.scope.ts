import type { RectifyItemState } from '@dutyledger/contracts';
import type { Fixture, ScopeCases } from '../../../test/scope.js';

const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString();

/** A fresh inspection run by A over its village A1, recorded by A's unit admin. */
async function inspectionOfA(fx: Fixture): Promise<string> {
  const res = await fx.as.adminA.post('/api/inspections', {
    kind: 'patrol',
    title: '矩阵巡察',
    inspectingUnitId: fx.units.A,
    inspectedUnitId: fx.units.A1,
    startedOn: '2026-03-01',
  });
  return res.body.id;
}

async function findingOfA(fx: Fixture): Promise<string> {
  const res = await fx.as.adminA.post(`/api/inspections/${await inspectionOfA(fx)}/findings`, { description: '学习制度落实不到位' });
  return res.body.id;
}

/** A fresh item owned by A1, brought to `state` by the proper sides. */
async function itemOfA1(fx: Fixture, state: RectifyItemState = 'open'): Promise<string> {
  const res = await fx.as.adminA.post(`/api/rectify-findings/${await findingOfA(fx)}/items`, {
    unitId: fx.units.A1,
    measure: '建立学习台账',
    deadline: inDays(30),
  });
  const id: string = res.body.id;
  if (state === 'open') return id;
  await fx.as.clerkA1.post(`/api/rectify-items/${id}/submit`, { progress: '已建立' });
  if (state === 'submitted') return id;
  await fx.as.inspectorA.post(`/api/rectify-items/${id}/sign-off`, {});
  return id;
}

/** Scope cases of the rectify routes: inspections run by A over A1, items owned by A1, verified by A's inspector. */
export const scopeCases: ScopeCases = {
  'GET /api/inspections': { self: 'lists only inspections readable in the caller scope (rectify.test.ts)' },
  'POST /api/inspections': {
    permission: 'rectify.manage',
    owner: 'adminA',
    denied: { adminB: 403, clerkA: 403, adminA1: 403, clerkA1: 403, auditor: 403, sysAdmin: 403 },
    request: async (fx) => ({
      url: '/api/inspections',
      body: { kind: 'patrol', title: '巡察', inspectingUnitId: fx.units.A, inspectedUnitId: fx.units.A1, startedOn: '2026-03-01' },
    }),
  },
  'GET /api/inspections/:id': {
    permission: 'rectify.read',
    owner: 'clerkA',
    denied: { clerkB: 404, adminB: 404, auditor: 404, sysAdmin: 404, auditorA1: 404 },
    request: async (fx) => ({ url: `/api/inspections/${await inspectionOfA(fx)}` }),
    around: { except: { child: 'the inspected unit (A1) reads its own inspection' } },
  },
  'PATCH /api/inspections/:id': {
    permission: 'rectify.manage',
    owner: 'adminA',
    denied: { adminB: 404, clerkB: 404, clerkA: 403, clerkA1: 403, adminA1: 403, auditor: 404 },
    request: async (fx) => ({ url: `/api/inspections/${await inspectionOfA(fx)}`, body: { inspectingBody: '镇第一巡察组' } }),
  },
  'POST /api/inspections/:id/findings': {
    permission: 'rectify.manage',
    owner: 'inspectorA',
    denied: { adminB: 404, clerkB: 404, clerkA: 403, clerkA1: 403, auditor: 404 },
    request: async (fx) => ({ url: `/api/inspections/${await inspectionOfA(fx)}/findings`, body: { description: '问题' } }),
  },
  'POST /api/rectify-findings/:id/items': {
    permission: 'rectify.manage',
    owner: 'adminA',
    denied: { adminB: 404, clerkB: 404, clerkA: 403, clerkA1: 403, auditor: 404 },
    request: async (fx) => ({
      url: `/api/rectify-findings/${await findingOfA(fx)}/items`,
      body: { unitId: fx.units.A1, measure: '整改', deadline: inDays(10) },
    }),
  },
  'GET /api/rectify-board': { self: 'aggregates only the items readable in the caller scope (rectify.test.ts)' },
  'GET /api/rectify-items': { self: 'lists only items readable in the caller scope (rectify.test.ts)' },
  'GET /api/rectify-items/export': { self: 'exports only items readable in the caller scope (rectify.test.ts)' },
  'GET /api/rectify-items/:id': {
    permission: 'rectify.read',
    owner: 'clerkA1',
    denied: { clerkB: 404, adminB: 404, auditor: 404, auditorA1: 404 },
    request: async (fx) => ({ url: `/api/rectify-items/${await itemOfA1(fx)}` }),
  },
  'PATCH /api/rectify-items/:id': {
    permission: 'rectify.manage',
    owner: 'adminA',
    denied: { clerkB: 404, adminB: 404, clerkA1: 403, clerkA: 403, auditor: 404 },
    request: async (fx) => ({ url: `/api/rectify-items/${await itemOfA1(fx)}`, body: { deadline: inDays(60) } }),
  },
  'POST /api/rectify-items/:id/submit': {
    permission: 'rectify.work',
    owner: 'clerkA1',
    denied: { clerkB: 404, adminB: 404, clerkA: 403, inspectorA: 403, auditor: 404 },
    request: async (fx) => ({ url: `/api/rectify-items/${await itemOfA1(fx)}/submit`, body: { progress: '已整改' } }),
  },
  'POST /api/rectify-items/:id/sign-off': {
    permission: 'rectify.verify',
    owner: 'inspectorA',
    denied: { clerkB: 404, adminB: 404, clerkA1: 403, adminA: 403, auditor: 404 },
    request: async (fx) => ({ url: `/api/rectify-items/${await itemOfA1(fx, 'submitted')}/sign-off`, body: {} }),
  },
  'POST /api/rectify-items/:id/return': {
    permission: 'rectify.verify',
    owner: 'inspectorA',
    denied: { clerkB: 404, adminB: 404, clerkA1: 403, adminA: 403, auditor: 404 },
    request: async (fx) => ({ url: `/api/rectify-items/${await itemOfA1(fx, 'submitted')}/return`, body: { reason: '佐证不足' } }),
  },
  'POST /api/rectify-items/:id/recheck': {
    permission: 'rectify.verify',
    owner: 'inspectorA',
    denied: { clerkB: 404, adminB: 404, clerkA1: 403, adminA: 403, auditor: 404 },
    request: async (fx) => ({
      url: `/api/rectify-items/${await itemOfA1(fx, 'signedOff')}/recheck`,
      body: { result: 'reopened', note: '问题反弹' },
    }),
  },
};
