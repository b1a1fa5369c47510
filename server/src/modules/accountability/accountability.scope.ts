import type { Fixture, ScopeCases } from '../../../test/scope.js';

const body = (fx: Fixture) => ({
  subjectType: 'person',
  subjectPersonId: fx.people.clerkA1.id,
  subjectUnitId: fx.units.A1,
  cause: { type: 'task', id: null, label: '逾期未完成意识形态专题学习任务' },
  measure: 'reminder',
  decidingUnitId: fx.units.A,
  decidedOn: '2026-05-10',
});

/** A fresh record decided by A's inspector about A1's clerk. */
async function recordAboutClerkA1(fx: Fixture): Promise<string> {
  return (await fx.as.inspectorA.post('/api/accountability', body(fx))).body.id;
}

/** Scope cases of the accountability routes: the subject, the deciding unit's inspector, nobody else. */
export const scopeCases: ScopeCases = {
  'GET /api/accountability': { self: 'lists only records the caller is the subject of or oversees (accountability.test.ts)' },
  'POST /api/accountability': {
    permission: 'accountability.manage',
    owner: 'inspectorA',
    denied: { adminA: 403, clerkA: 403, clerkA1: 403, adminA1: 403, adminB: 403, auditor: 403, sysAdmin: 403 },
    request: async (fx) => ({ url: '/api/accountability', body: body(fx) }),
  },
  'GET /api/accountability/:id': {
    permission: 'accountability.read',
    roleExcept: {
      leader: "accountability.read reaches the records decided in the reader's units (A here), not those about a person of A1",
      inspector: "accountability.read reaches the records decided in the reader's units (A here), not those about a person of A1",
    },
    owner: 'clerkA1',
    // a colleague of the subject (A1's admin), A's admin and clerk, the sibling town, the 三员 auditor: 404
    denied: { adminA1: 404, auditorA1: 404, clerkA: 404, adminA: 404, clerkB: 404, adminB: 404, auditor: 404 },
    request: async (fx) => ({ url: `/api/accountability/${await recordAboutClerkA1(fx)}` }),
  },
  'POST /api/accountability/:id/response': {
    permission: 'accountability.respond',
    roleExcept: {
      unitAdmin: 'only the subject responds: the record is about a person, so no post of the unit answers for it',
      leader: 'only the subject responds: the record is about a person, so no post of the unit answers for it',
    },
    owner: 'clerkA1',
    denied: { adminA1: 404, clerkA: 404, adminB: 404, auditor: 404, inspectorA: 403 },
    request: async (fx) => ({ url: `/api/accountability/${await recordAboutClerkA1(fx)}/response`, body: { response: '情况说明' } }),
  },
};
