import type { Fixture, ScopeCases } from '../../../test/scope.js';

const article = (fx: Fixture) => ({
  unitId: fx.units.A,
  kind: 'article',
  title: '矩阵稿件',
  occurredOn: '2026-04-01',
  level: 'city',
  outlet: '市报',
});

async function outputOfA(fx: Fixture): Promise<string> {
  return (await fx.as.clerkA.post('/api/outputs', article(fx))).body.id;
}

/** Scope cases of the outputs routes: A's outputs, recorded by A's clerk. */
export const scopeCases: ScopeCases = {
  'GET /api/outputs': { self: 'lists only outputs of units in the caller scope (outputs.test.ts)' },
  'GET /api/outputs/export': { self: 'exports only outputs of units in the caller scope (outputs.test.ts)' },
  'GET /api/outputs/:id': {
    permission: 'output.read',
    owner: 'clerkA',
    denied: { clerkB: 404, adminB: 404, adminA1: 404, clerkA1: 404, auditor: 404, sysAdmin: 404 },
    request: async (fx) => ({ url: `/api/outputs/${await outputOfA(fx)}` }),
  },
  'POST /api/outputs': {
    permission: 'output.write',
    owner: 'clerkA',
    denied: { clerkB: 403, adminB: 403, adminA1: 403, clerkA1: 403, inspectorA: 403, auditor: 403, sysAdmin: 403 },
    request: async (fx) => ({ url: '/api/outputs', body: article(fx) }),
  },
  'PATCH /api/outputs/:id': {
    permission: 'output.write',
    owner: 'clerkA',
    denied: { clerkB: 404, adminB: 404, clerkA1: 404, inspectorA: 403, auditor: 404 },
    request: async (fx) => ({ url: `/api/outputs/${await outputOfA(fx)}`, body: { title: '更正后的标题' } }),
  },
};
