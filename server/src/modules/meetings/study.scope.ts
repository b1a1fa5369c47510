import type { Fixture, ScopeCases } from '../../../test/scope.js';

const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString();
const inDays = (n: number) => new Date(Date.now() + n * DAY).toISOString();

/** A fresh meeting of A with one resolution, recorded by A's clerk. */
async function meetingWithResolution(fx: Fixture): Promise<string> {
  const kindId = (await fx.as.clerkA.get('/api/meeting-kinds')).body[0].id;
  const res = await fx.as.clerkA.post('/api/meetings', {
    unitId: fx.units.A,
    kindId,
    heldAt: daysAgo(1),
    topic: '矩阵决议会议',
    resolutions: [{ text: '开展专项检查' }],
  });
  return res.body.id;
}

/** A fresh note written by A's clerk. */
async function noteOfClerkA(fx: Fixture): Promise<string> {
  const res = await fx.as.clerkA.post('/api/study-notes', { title: '矩阵学习笔记', body: '学习心得。' });
  return res.body.id;
}

/** Scope cases of the study routes: meeting export, resolution → task, study notes and 调阅. */
export const scopeCases: ScopeCases = {
  // rows are limited to the caller scope like the list (resolutions.test.ts); roles without meeting.read are refused
  'GET /api/meetings/export': {
    permission: 'meeting.read',
    owner: 'clerkA',
    denied: { sysAdmin: 403, secAdmin: 403, auditor: 403, auditorA1: 403 },
    request: async (fx) => ({ url: `/api/meetings/export?unitId=${fx.units.A}` }),
    around: { skip: "exports the meetings within the caller's reach: a filtered list, no unit is targeted" },
  },
  'POST /api/meetings/:id/resolutions/:index/task': {
    permission: 'meeting.write',
    owner: 'clerkA',
    denied: { adminB: 404, clerkB: 404, adminA1: 404, clerkA1: 404, auditor: 404, sysAdmin: 404 },
    request: async (fx) => ({
      url: `/api/meetings/${await meetingWithResolution(fx)}/resolutions/0/task`,
      body: { assigneeUnitId: fx.units.A, deadline: inDays(10) },
    }),
  },
  'GET /api/study-notes/mine': { self: "the caller's own notes only (studyNotes.test.ts)" },
  'GET /api/study-notes/attended-meetings': { self: 'meetings the caller attended (studyNotes.test.ts)' },
  'GET /api/study-notes': {
    self: 'a reviewer lists the notes of units in the reach of studyNote.review; 403 without it (studyNotes.test.ts)',
  },
  'GET /api/study-notes/:id': {
    permission: 'studyNote.review',
    owner: 'clerkA',
    denied: { clerkB: 404, adminB: 404, adminA1: 404, clerkA1: 404, auditor: 404, auditorA1: 404, sysAdmin: 404, secAdmin: 404 },
    request: async (fx) => ({ url: `/api/study-notes/${await noteOfClerkA(fx)}` }),
  },
  'POST /api/study-notes': {
    permission: 'studyNote.write',
    owner: 'clerkA',
    denied: { sysAdmin: 403, secAdmin: 403, auditor: 403 },
    request: async () => ({ url: '/api/study-notes', body: { title: '学习笔记', body: '学习习近平新时代中国特色社会主义思想的体会。' } }),
    around: { skip: "a note belongs to its author's own unit: no unit is targeted" },
  },
  'PATCH /api/study-notes/:id': {
    permission: null,
    relation: 'only the author edits a study note: no role reaches somebody else’s note',
    owner: 'clerkA',
    // the unit's reviewer reads it but does not edit it
    denied: { adminA: 403, adminR: 403, clerkB: 404, adminB: 404, adminA1: 404, clerkA1: 404, auditor: 404 },
    request: async (fx) => ({ url: `/api/study-notes/${await noteOfClerkA(fx)}`, body: { title: '修改后的标题' } }),
  },
  'POST /api/study-notes/:id/reads': {
    permission: 'studyNote.review',
    owner: 'adminA',
    // the author may read their note but not mark it read; a clerk of another unit does not see it
    denied: { clerkA: 403, clerkB: 404, adminB: 404, adminA1: 404, clerkA1: 404, auditor: 404, sysAdmin: 404 },
    request: async (fx) => ({ url: `/api/study-notes/${await noteOfClerkA(fx)}/reads`, body: { comment: '已阅' } }),
  },
};
