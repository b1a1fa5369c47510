import type { ScopeCases } from '../../../test/scope.js';

/** Scope cases of the org routes: A's records are refused to B (sibling) and A1 (child). */
export const scopeCases: ScopeCases = {
  'GET /api/units': {
    // a list is never refused; it is filtered: checked in org.scope-lists.test.ts
    self: 'lists only the units in the caller scope (tested separately)',
  },
  'GET /api/units/:id': {
    permission: 'unit.read',
    owner: 'clerkA',
    denied: { clerkB: 404, adminB: 404, clerkA1: 404, adminA1: 404 },
    request: async (fx) => ({ url: `/api/units/${fx.units.A}` }),
  },
  'POST /api/units': {
    permission: 'unit.manage',
    owner: 'adminA',
    denied: { adminB: 403, adminA1: 403, clerkA: 403, auditor: 403 },
    request: async (fx) => ({ url: '/api/units', body: { parentId: fx.units.A, name: `新单位${Math.random()}`, type: '党支部' } }),
  },
  'PATCH /api/units/:id': {
    permission: 'unit.manage',
    owner: 'adminA',
    denied: { adminB: 404, adminA1: 404, clerkA: 404, auditor: 404 },
    request: async (fx) => ({ url: `/api/units/${await fx.freshUnit('A')}`, body: { name: `改名${Math.random()}` } }),
  },
  'POST /api/units/:id/move': {
    permission: 'unit.manage',
    owner: 'adminA',
    denied: { adminB: 404, adminA1: 403, clerkA: 404, clerkA1: 404 },
    request: async (fx) => ({ url: `/api/units/${await fx.freshUnit('A1')}/move`, body: { parentId: fx.units.A } }),
  },
  'POST /api/units/:id/deactivate': {
    permission: 'unit.manage',
    owner: 'adminA',
    denied: { adminB: 404, adminA1: 404, clerkA: 404 },
    request: async (fx) => ({ url: `/api/units/${await fx.freshUnit('A')}/deactivate` }),
  },
  'POST /api/units/:id/activate': {
    permission: 'unit.manage',
    owner: 'adminA',
    denied: { adminB: 404, adminA1: 404, clerkA: 404 },
    request: async (fx) => {
      const id = await fx.freshUnit('A');
      await fx.as.sysAdmin.post(`/api/units/${id}/deactivate`);
      return { url: `/api/units/${id}/activate` };
    },
  },
  'GET /api/people': { self: 'lists only the people in the caller scope (tested separately)' },
  'GET /api/people/export': { self: 'exports only the people in the caller scope (test/export.test.ts)' },
  'GET /api/people/:id': {
    permission: 'person.read',
    owner: 'adminA',
    denied: { adminB: 404, clerkB: 404, adminA1: 404, clerkA1: 404, auditor: 404 },
    request: async (fx) => ({ url: `/api/people/${fx.people.clerkA.id}` }),
  },
  'POST /api/people': {
    permission: 'person.manage',
    owner: 'adminA',
    denied: { adminB: 403, adminA1: 403, clerkA: 403, auditor: 403 },
    request: async (fx) => ({
      url: '/api/people',
      body: {
        username: `np${Math.random().toString(36).slice(2, 9)}`,
        displayName: '新人员',
        post: { unitId: fx.units.A, title: '干事', roles: ['clerk'] },
      },
    }),
  },
  'PATCH /api/people/:id': {
    permission: 'person.manage',
    owner: 'adminA',
    denied: { adminB: 404, adminA1: 404, clerkA: 403 },
    request: async (fx) => ({ url: `/api/people/${(await fx.freshPerson('A')).id}`, body: { displayName: '改名' } }),
  },
  'POST /api/people/:id/reset-password': {
    permission: 'person.manage',
    owner: 'adminA',
    denied: { adminB: 404, adminA1: 404, clerkA: 403 },
    request: async (fx) => ({ url: `/api/people/${(await fx.freshPerson('A')).id}/reset-password` }),
  },
  'POST /api/people/:id/deactivate': {
    permission: 'person.manage',
    owner: 'adminA',
    denied: { adminB: 404, adminA1: 404, clerkA: 403 },
    request: async (fx) => ({ url: `/api/people/${(await fx.freshPerson('A')).id}/deactivate` }),
  },
  'POST /api/people/:id/activate': {
    permission: 'person.manage',
    owner: 'adminA',
    denied: { adminB: 404, adminA1: 404, clerkA: 403 },
    request: async (fx) => ({ url: `/api/people/${(await fx.freshPerson('A')).id}/activate` }),
  },
  'POST /api/people/:id/unlock': {
    permission: 'person.unlock',
    owner: 'secAdmin',
    denied: { adminB: 404, adminA1: 404, adminA: 403, sysAdmin: 403 },
    request: async (fx) => ({ url: `/api/people/${(await fx.freshPerson('A')).id}/unlock` }),
    around: { target: 'A' },
  },
  'POST /api/people/:id/posts': {
    permission: 'post.manage',
    owner: 'adminA',
    denied: { adminB: 404, adminA1: 404, clerkA: 403 },
    request: async (fx) => ({
      url: `/api/people/${(await fx.freshPerson('A')).id}/posts`,
      body: { unitId: fx.units.A, title: '兼职', roles: ['leader'] },
    }),
  },
  'PATCH /api/posts/:id': {
    permission: 'post.manage',
    owner: 'adminA',
    denied: { adminB: 404, adminA1: 404, clerkA: 403 },
    request: async (fx) => {
      const p = await fx.freshPerson('A');
      const person = (await fx.as.adminA.get(`/api/people/${p.id}`)).body;
      return { url: `/api/posts/${person.posts[0].id}`, body: { title: '新职务' } };
    },
  },
  'DELETE /api/posts/:id': {
    permission: 'post.manage',
    owner: 'adminA',
    denied: { adminB: 404, adminA1: 404, clerkA: 403 },
    request: async (fx) => {
      const p = await fx.freshPerson('A');
      const person = (await fx.as.adminA.post(`/api/people/${p.id}/posts`, { unitId: fx.units.A, title: '兼职', roles: ['leader'] })).body;
      return { url: `/api/posts/${person.posts[1].id}` };
    },
  },
};
