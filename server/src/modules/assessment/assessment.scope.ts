import type { AssessmentFramework } from '@dutyledger/contracts';
import { actorCtx } from '../../../test/harness.js';
import type { Fixture, ScopeCases } from '../../../test/scope.js';
import { ensureAssessmentFramework } from './service.js';

async function framework(fx: Fixture): Promise<AssessmentFramework> {
  await ensureAssessmentFramework(await actorCtx(fx.h, fx.people.adminA.id));
  const [fw] = (await fx.as.adminA.get('/api/assessment/frameworks')).body as AssessmentFramework[];
  if (!fw) throw new Error('no framework');
  return fw;
}

/** A fresh open cycle organized by A (targets: A1 and A's other descendants). */
async function cycleOfA(fx: Fixture): Promise<{ id: string; fw: AssessmentFramework }> {
  const fw = await framework(fx);
  const r = await fx.as.adminA.post('/api/assessment/cycles', { name: '矩阵考核', frameworkId: fw.id, unitId: fx.units.A, year: 2026 });
  if (r.status !== 200) throw new Error(JSON.stringify(r.body));
  return { id: r.body.id, fw };
}

const manualOf = (fw: AssessmentFramework) => fw.indicators.find((i) => i.method === 'manual')!.id;

/** Scope cases of the assessment routes: cycles organized by A (unit admin / assessor of A), A1 a target. */
export const scopeCases: ScopeCases = {
  'GET /api/assessment/frameworks': { self: 'frameworks are reference data readable by every signed-in user' },
  'GET /api/assessment/cycles': { self: 'lists only cycles organized in or targeting the caller scope (assessment.test.ts)' },
  'POST /api/assessment/cycles': {
    permission: 'assessment.manage',
    owner: 'adminA',
    denied: { clerkA: 403, adminA1: 403, clerkB: 403, adminB: 403, auditor: 403, sysAdmin: 403, inspectorA: 403 },
    request: async (fx) => ({
      url: '/api/assessment/cycles',
      body: { name: '矩阵考核', frameworkId: (await framework(fx)).id, unitId: fx.units.A, year: 2026 },
    }),
  },
  'GET /api/assessment/cycles/:id': {
    permission: 'assessment.read',
    owner: 'assessorA',
    denied: { clerkB: 404, adminB: 404, auditor: 404, sysAdmin: 404 },
    request: async (fx) => ({ url: `/api/assessment/cycles/${(await cycleOfA(fx)).id}` }),
    around: { except: { child: 'a unit assessed in the cycle (A1) reads the cycle it is assessed in' } },
  },
  'GET /api/assessment/cycles/:id/export': {
    permission: 'assessment.read',
    owner: 'assessorA',
    denied: { clerkB: 404, adminB: 404, auditor: 404, sysAdmin: 404 },
    request: async (fx) => ({ url: `/api/assessment/cycles/${(await cycleOfA(fx)).id}/export` }),
    around: { except: { child: 'a unit assessed in the cycle (A1) reads the cycle it is assessed in' } },
  },
  'POST /api/assessment/cycles/:id/compute': {
    permission: 'assessment.manage',
    owner: 'assessorA',
    denied: { clerkB: 404, adminB: 404, clerkA1: 404, adminA1: 404, clerkA: 403, leaderA: 403, auditor: 404 },
    request: async (fx) => ({ url: `/api/assessment/cycles/${(await cycleOfA(fx)).id}/compute` }),
  },
  'POST /api/assessment/cycles/:id/publish': {
    permission: 'assessment.manage',
    owner: 'adminA',
    denied: { clerkB: 404, adminB: 404, clerkA1: 404, adminA1: 404, clerkA: 403, auditor: 404 },
    request: async (fx) => ({ url: `/api/assessment/cycles/${(await cycleOfA(fx)).id}/publish` }),
  },
  'POST /api/assessment/cycles/:id/units/:unitId/indicators/:indicatorId/self': {
    permission: 'assessment.selfAssess',
    owner: 'clerkA1',
    denied: { clerkB: 404, adminB: 404, clerkA: 403, assessorA: 403, auditor: 404 },
    request: async (fx) => {
      const c = await cycleOfA(fx);
      return {
        url: `/api/assessment/cycles/${c.id}/units/${fx.units.A1}/indicators/${manualOf(c.fw)}/self`,
        body: { note: '已按要求开展', evidence: '会议记录3份' },
      };
    },
  },
  'POST /api/assessment/cycles/:id/units/:unitId/indicators/:indicatorId/score': {
    permission: 'assessment.score',
    owner: 'assessorA',
    denied: { clerkB: 404, adminB: 404, clerkA1: 403, adminA1: 403, clerkA: 403, adminA: 403, auditor: 404 },
    request: async (fx) => {
      const c = await cycleOfA(fx);
      return {
        url: `/api/assessment/cycles/${c.id}/units/${fx.units.A1}/indicators/${manualOf(c.fw)}/score`,
        body: { score: 3, comment: '较好' },
      };
    },
  },
};
