import { randomBytes } from 'node:crypto';
import type { Fixture, ScopeCases } from '../../../test/scope.js';
import { samplePdf, upload } from '../../core/attachments/attachments.scope.js';

let seq = 0;
const reads = { clerkB: 404, adminB: 404, adminA1: 404, clerkA1: 404, auditor: 404, sysAdmin: 404 } as const;

/** A fresh member of A's leading group (a fresh person of A), added by A's admin. */
async function memberOfA(fx: Fixture): Promise<string> {
  const person = await fx.freshPerson('A');
  const res = await fx.as.adminA.post(`/api/responsibility/units/${fx.units.A}/members`, { personId: person.id, role: 'member' });
  if (res.status !== 200) throw new Error(`member: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

/** A fresh 一岗双责 assignment of A. */
async function assignmentOfA(fx: Fixture): Promise<string> {
  const person = await fx.freshPerson('A');
  const res = await fx.as.adminA.post(`/api/responsibility/units/${fx.units.A}/assignments`, {
    kind: 'dual',
    personId: person.id,
    areas: ['宣传'],
  });
  if (res.status !== 200) throw new Error(`assignment: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

/** A fresh template item (made by the top unit's admin). */
async function freshItem(fx: Fixture): Promise<string> {
  const res = await fx.as.adminR.post('/api/duty-list-items', { listKind: 'dual', content: `矩阵条目${Math.random()}` });
  return res.body.id;
}

const letterBody = (fx: Fixture) => ({
  unitId: fx.units.A1,
  year: 2100 - ++seq,
  upperSignerPersonId: fx.people.adminA.id,
  signerPersonId: fx.people.clerkA1.id,
});

/** A fresh draft letter of A1 (a new year each time), issued by A's admin. */
async function letterOfA1(fx: Fixture): Promise<string> {
  const res = await fx.as.adminA.post('/api/duty-letters', letterBody(fx));
  if (res.status !== 200) throw new Error(`letter: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

/**
 * One shared draft letter of A1 for the cases that leave it a draft (read, edit the title): a unit has one letter
 * per year and the schema allows the years 2000–2100, fewer than the matrix's requests with a fresh letter each.
 */
const sharedLetters = new Map<string, Promise<string>>();
function sharedLetterOfA1(fx: Fixture): Promise<string> {
  let id = sharedLetters.get(fx.units.A1);
  if (!id) {
    id = letterOfA1(fx);
    sharedLetters.set(fx.units.A1, id);
  }
  return id;
}

async function scanOfA1(fx: Fixture): Promise<string> {
  const res = await upload(fx.as.adminA, fx.units.A1, '责任状扫描件.pdf', Buffer.concat([samplePdf, randomBytes(8)]));
  if (res.status !== 200) throw new Error(`upload: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

/** Scope cases of the responsibility routes: A's leading group and assignments, A1's letters. */
export const scopeCases: ScopeCases = {
  'GET /api/responsibility/units/:id': {
    permission: 'duty.read',
    owner: 'clerkA',
    denied: reads,
    request: async (fx) => ({ url: `/api/responsibility/units/${fx.units.A}` }),
  },
  'GET /api/responsibility/units/:id/history': {
    permission: 'duty.read',
    owner: 'clerkA',
    denied: reads,
    request: async (fx) => ({ url: `/api/responsibility/units/${fx.units.A}/history` }),
  },
  'GET /api/responsibility/units/:id/people': {
    permission: 'duty.read',
    owner: 'clerkA',
    denied: reads,
    request: async (fx) => ({ url: `/api/responsibility/units/${fx.units.A}/people` }),
  },
  'PATCH /api/responsibility/units/:id/office': {
    permission: 'duty.manage',
    owner: 'adminA',
    denied: { adminB: 403, clerkA: 403, adminA1: 403, clerkA1: 403, auditor: 403, sysAdmin: 403 },
    request: async (fx) => ({ url: `/api/responsibility/units/${fx.units.A}/office`, body: { officeText: `党政办${++seq}` } }),
  },
  'POST /api/responsibility/units/:id/members': {
    permission: 'duty.manage',
    owner: 'adminA',
    denied: { adminB: 403, clerkA: 403, adminA1: 403, clerkA1: 403, auditor: 403, sysAdmin: 403 },
    request: async (fx) => ({
      url: `/api/responsibility/units/${fx.units.A}/members`,
      body: { personId: (await fx.freshPerson('A')).id, role: 'member' },
    }),
  },
  'POST /api/responsibility/members/:id/end': {
    permission: 'duty.manage',
    owner: 'adminA',
    denied: { adminB: 404, clerkB: 404, clerkA: 403, adminA1: 404, auditor: 404 },
    request: async (fx) => ({ url: `/api/responsibility/members/${await memberOfA(fx)}/end`, body: {} }),
  },
  'POST /api/responsibility/units/:id/assignments': {
    permission: 'duty.manage',
    owner: 'adminA',
    denied: { adminB: 403, clerkA: 403, adminA1: 403, clerkA1: 403, auditor: 403, sysAdmin: 403 },
    request: async (fx) => ({
      url: `/api/responsibility/units/${fx.units.A}/assignments`,
      body: { kind: 'dual', personId: (await fx.freshPerson('A')).id, chargeUnitIds: [fx.units.A1] },
    }),
  },
  'POST /api/responsibility/assignments/:id/end': {
    permission: 'duty.manage',
    owner: 'adminA',
    denied: { adminB: 404, clerkB: 404, clerkA: 403, adminA1: 404, auditor: 404 },
    request: async (fx) => ({ url: `/api/responsibility/assignments/${await assignmentOfA(fx)}/end`, body: {} }),
  },
  'GET /api/responsibility/vacancies': {
    permission: 'duty.read',
    owner: 'clerkA',
    denied: reads,
    request: async (fx) => ({ url: `/api/responsibility/vacancies?rootUnitId=${fx.units.A}` }),
  },
  'GET /api/responsibility/units/:id/duty-lists': {
    permission: 'duty.read',
    owner: 'clerkA',
    denied: reads,
    request: async (fx) => ({ url: `/api/responsibility/units/${fx.units.A}/duty-lists?kind=principal` }),
  },
  'GET /api/responsibility/units/:id/duty-lists/export': {
    permission: 'duty.read',
    owner: 'clerkA',
    denied: reads,
    request: async (fx) => ({ url: `/api/responsibility/units/${fx.units.A}/duty-lists/export?kind=dual` }),
  },
  'GET /api/duty-list-items': {
    permission: 'duty.read',
    owner: 'clerkA1',
    denied: { auditor: 403, sysAdmin: 403, secAdmin: 403 },
    request: async () => ({ url: '/api/duty-list-items' }),
    around: { skip: 'a dictionary shared by every unit: no unit is targeted' },
  },
  'POST /api/duty-list-items': {
    permission: 'duty.manage',
    roleExcept: {
      leader:
        "the template is shared by the whole tree: only a top unit's admin edits it, a leader's duty.manage is not enough (requireTemplateManager)",
    },
    // global: only a unit admin of a top unit edits the template
    owner: 'adminR',
    denied: { adminA: 403, adminA1: 403, adminB: 403, clerkA: 403, sysAdmin: 403, auditor: 403 },
    request: async () => ({ url: '/api/duty-list-items', body: { listKind: 'principal', content: `新条目${Math.random()}` } }),
  },
  'PATCH /api/duty-list-items/:id': {
    permission: 'duty.manage',
    roleExcept: {
      leader:
        "the template is shared by the whole tree: only a top unit's admin edits it, a leader's duty.manage is not enough (requireTemplateManager)",
    },
    owner: 'adminR',
    denied: { adminA: 403, adminB: 403, clerkA: 403, sysAdmin: 403, auditor: 403 },
    request: async (fx) => ({ url: `/api/duty-list-items/${await freshItem(fx)}`, body: { sort: 5 } }),
  },
  'GET /api/duty-letters/board': {
    permission: 'duty.read',
    owner: 'clerkA',
    denied: reads,
    request: async (fx) => ({ url: `/api/duty-letters/board?rootUnitId=${fx.units.A}&year=2026` }),
  },
  'GET /api/duty-letters/board/export': {
    permission: 'duty.read',
    owner: 'clerkA',
    denied: reads,
    request: async (fx) => ({ url: `/api/duty-letters/board/export?rootUnitId=${fx.units.A}&year=2026` }),
  },
  'POST /api/duty-letters': {
    permission: 'duty.manage',
    owner: 'adminA',
    denied: { adminB: 403, clerkB: 403, clerkA: 403, clerkA1: 403, auditor: 403, sysAdmin: 403 },
    request: async (fx) => ({ url: '/api/duty-letters', body: letterBody(fx) }),
    around: { target: 'A1' },
  },
  'GET /api/duty-letters/:id': {
    permission: 'duty.read',
    owner: 'clerkA1',
    denied: { clerkB: 404, adminB: 404, clerkA: 404, auditor: 404, sysAdmin: 404 },
    request: async (fx) => ({ url: `/api/duty-letters/${await sharedLetterOfA1(fx)}` }),
  },
  'PATCH /api/duty-letters/:id': {
    permission: 'duty.manage',
    owner: 'adminA',
    denied: { clerkB: 404, adminB: 404, clerkA: 404, clerkA1: 403, auditor: 404 },
    request: async (fx) => ({ url: `/api/duty-letters/${await sharedLetterOfA1(fx)}`, body: { title: '更正后的标题' } }),
    around: { target: 'A1' },
  },
  'POST /api/duty-letters/:id/sign': {
    permission: 'duty.manage',
    owner: 'adminA',
    denied: { clerkB: 404, adminB: 404, clerkA: 404, clerkA1: 403, auditor: 404 },
    request: async (fx) => ({
      url: `/api/duty-letters/${await letterOfA1(fx)}/sign`,
      body: { signedDate: '2026-01-15', attachmentIds: [await scanOfA1(fx)] },
    }),
    around: { target: 'A1' },
  },
};
