import type { Fixture, ScopeCases } from '../../../test/scope.js';

let monthSeq = 0;
/** A month no other case has used (plans are one per unit and month). */
const freshMonth = () => {
  monthSeq++;
  return `${2000 + Math.floor(monthSeq / 12)}-${String((monthSeq % 12) + 1).padStart(2, '0')}`;
};

/** A fresh study plan of A, made by A's clerk. */
async function planOfA(fx: Fixture): Promise<string> {
  const res = await fx.as.clerkA.post('/api/study-plans', { unitId: fx.units.A, month: freshMonth(), title: '矩阵学习计划' });
  return res.body.id;
}

/** A fresh rule of the global dictionary (made by the top unit's admin). */
async function freshRule(fx: Fixture): Promise<string> {
  const res = await fx.as.adminR.post('/api/compliance/rules', ruleBody());
  return res.body.id;
}

const ruleBody = () => ({ name: `矩阵制度${Math.random()}`, unitTypes: ['乡镇'], source: 'studyPlan', minCount: 1, period: 'month' });
const year = new Date().getFullYear();

/** Scope cases of study plans, rules and compliance. */
export const scopeCases: ScopeCases = {
  'GET /api/study-plans': { self: 'lists only the plans of units in the caller scope (compliance.test.ts)' },
  'GET /api/study-plans/export': { self: 'exports only the plans of units in the caller scope (compliance.test.ts)' },
  'GET /api/study-plans/:id': {
    permission: 'meeting.read',
    owner: 'clerkA',
    denied: { clerkB: 404, adminB: 404, adminA1: 404, clerkA1: 404, auditor: 404, sysAdmin: 404 },
    request: async (fx) => ({ url: `/api/study-plans/${await planOfA(fx)}` }),
  },
  'POST /api/study-plans': {
    permission: 'studyPlan.write',
    owner: 'clerkA',
    denied: { adminB: 403, clerkB: 403, adminA1: 403, clerkA1: 403, auditor: 403, sysAdmin: 403 },
    request: async (fx) => ({ url: '/api/study-plans', body: { unitId: fx.units.A, month: freshMonth(), title: '学习计划' } }),
  },
  'PATCH /api/study-plans/:id': {
    permission: 'studyPlan.write',
    owner: 'clerkA',
    denied: { adminB: 404, clerkB: 404, adminA1: 404, clerkA1: 404, auditor: 404 },
    request: async (fx) => ({ url: `/api/study-plans/${await planOfA(fx)}`, body: { title: '更正后的标题' } }),
  },
  'GET /api/compliance/rules': {
    permission: 'compliance.read',
    owner: 'clerkA1',
    denied: { auditor: 403, sysAdmin: 403, secAdmin: 403 },
    request: async () => ({ url: '/api/compliance/rules' }),
    around: { skip: 'a dictionary shared by every unit: no unit is targeted' },
  },
  'POST /api/compliance/rules': {
    permission: 'rule.manage',
    // global: only a unit admin of a top unit (no parent) edits rules
    owner: 'adminR',
    denied: { adminA: 403, adminA1: 403, adminB: 403, clerkA: 403, sysAdmin: 403, auditor: 403 },
    request: async () => ({ url: '/api/compliance/rules', body: ruleBody() }),
  },
  'PATCH /api/compliance/rules/:id': {
    permission: 'rule.manage',
    owner: 'adminR',
    denied: { adminA: 403, adminB: 403, clerkA: 403, sysAdmin: 403, auditor: 403 },
    request: async (fx) => ({ url: `/api/compliance/rules/${await freshRule(fx)}`, body: { minCount: 2 } }),
  },
  'GET /api/compliance/matrix': {
    permission: 'compliance.read',
    owner: 'adminA',
    denied: { adminB: 403, clerkB: 403, adminA1: 403, clerkA1: 403, auditor: 403, sysAdmin: 403 },
    request: async (fx) => ({ url: `/api/compliance/matrix?rootUnitId=${fx.units.A}&year=${year}` }),
  },
  'GET /api/compliance/matrix/export': {
    permission: 'compliance.read',
    owner: 'adminA',
    denied: { adminB: 403, clerkB: 403, adminA1: 403, clerkA1: 403, auditor: 403, sysAdmin: 403 },
    request: async (fx) => ({ url: `/api/compliance/matrix/export?rootUnitId=${fx.units.A}&year=${year}` }),
  },
  'GET /api/compliance/calendar': {
    permission: 'compliance.read',
    owner: 'clerkA',
    denied: { adminB: 403, clerkB: 403, adminA1: 403, clerkA1: 403, auditor: 403, sysAdmin: 403 },
    request: async (fx) => ({ url: `/api/compliance/calendar?unitId=${fx.units.A}&year=${year}` }),
  },
};
