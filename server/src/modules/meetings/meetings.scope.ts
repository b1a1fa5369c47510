import type { Fixture, ScopeCases } from '../../../test/scope.js';

const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString();

/** The id of the first seeded meeting kind. */
async function kindId(fx: Fixture): Promise<string> {
  return (await fx.as.clerkA.get('/api/meeting-kinds')).body[0].id;
}

/** A fresh kind of the global dictionary (made by the top unit's admin). */
async function freshKind(fx: Fixture): Promise<string> {
  const res = await fx.as.adminR.post('/api/meeting-kinds', { name: `矩阵会议类型${Math.random()}` });
  return res.body.id;
}

/** A fresh meeting of A, recorded by A's clerk. */
async function meetingOfA(fx: Fixture): Promise<string> {
  const res = await fx.as.clerkA.post('/api/meetings', {
    unitId: fx.units.A,
    kindId: await kindId(fx),
    heldAt: daysAgo(1),
    topic: '矩阵会议',
    attendeeIds: [fx.people.clerkA.id],
  });
  return res.body.id;
}

/** Scope cases of the meetings routes: the global kind dictionary, and A's meeting records. */
export const scopeCases: ScopeCases = {
  'GET /api/meeting-kinds': {
    permission: 'meeting.read',
    owner: 'clerkA1',
    denied: { auditor: 403, sysAdmin: 403, secAdmin: 403 },
    request: async () => ({ url: '/api/meeting-kinds' }),
    around: { skip: 'a dictionary shared by every unit: no unit is targeted' },
  },
  'POST /api/meeting-kinds': {
    permission: 'meetingKind.manage',
    // global: only a unit admin of a top unit (no parent) edits it
    owner: 'adminR',
    denied: { adminA: 403, adminA1: 403, adminB: 403, clerkA: 403, sysAdmin: 403, auditor: 403 },
    request: async () => ({ url: '/api/meeting-kinds', body: { name: `新会议类型${Math.random()}` } }),
  },
  'PATCH /api/meeting-kinds/:id': {
    permission: 'meetingKind.manage',
    owner: 'adminR',
    denied: { adminA: 403, adminB: 403, clerkA: 403, sysAdmin: 403, auditor: 403 },
    request: async (fx) => ({ url: `/api/meeting-kinds/${await freshKind(fx)}`, body: { sort: 5 } }),
  },
  'GET /api/meetings': { self: 'lists only the meetings of units in the caller scope (meetings.test.ts)' },
  'GET /api/meetings/:id': {
    permission: 'meeting.read',
    owner: 'clerkA',
    denied: { clerkB: 404, adminB: 404, adminA1: 404, clerkA1: 404, auditor: 404, sysAdmin: 404 },
    request: async (fx) => ({ url: `/api/meetings/${await meetingOfA(fx)}` }),
  },
  'POST /api/meetings': {
    permission: 'meeting.write',
    owner: 'clerkA',
    denied: { adminB: 403, clerkB: 403, adminA1: 403, clerkA1: 403, auditor: 403, sysAdmin: 403 },
    request: async (fx) => ({
      url: '/api/meetings',
      body: { unitId: fx.units.A, kindId: await kindId(fx), heldAt: daysAgo(2), topic: '专题研究意识形态工作' },
    }),
  },
  'PATCH /api/meetings/:id': {
    permission: 'meeting.write',
    owner: 'clerkA',
    denied: { adminB: 404, clerkB: 404, adminA1: 404, clerkA1: 404, auditor: 404 },
    request: async (fx) => ({ url: `/api/meetings/${await meetingOfA(fx)}`, body: { topic: '更正后的主题' } }),
  },
};
