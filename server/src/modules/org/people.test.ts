import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson, buildRoot, buildUnit, type Client, type Harness, login, startHarness } from '../../../test/harness.js';

let h: Harness;
let R: string;
let A: string;
let A1: string;
let B: string;
let sys: Client;
let sec: Client;
let adminA: Client;

beforeAll(async () => {
  h = await startHarness();
  R = (await buildRoot(h)).id;
  A = (await buildUnit(h, R, '甲镇党委', '乡镇')).id;
  A1 = (await buildUnit(h, A, '一村党支部', '村')).id;
  B = (await buildUnit(h, R, '乙镇党委', '乡镇')).id;
  sys = await login(h, (await buildPerson(h, { unitId: R, roles: ['sysAdmin'] })).username);
  sec = await login(h, (await buildPerson(h, { unitId: R, roles: ['secAdmin'] })).username);
  adminA = await login(h, (await buildPerson(h, { unitId: A, roles: ['unitAdmin'], displayName: '甲镇管理员' })).username);
  await buildPerson(h, { unitId: A1, roles: ['clerk'], displayName: '一村经办' });
  await buildPerson(h, { unitId: B, roles: ['clerk'], displayName: '乙镇经办' });
});
afterAll(() => h.close());

describe('people', () => {
  it('creates an account with a temporary password that must be changed', async () => {
    const res = await adminA.post('/api/people', {
      username: 'li.si',
      displayName: '李四',
      phone: '13800000000',
      post: { unitId: A1, title: '支部书记', roles: ['leader'] },
    });
    expect(res.status).toBe(200);
    expect(res.body.person).toMatchObject({
      username: 'li.si',
      mustChangePassword: true,
      posts: [{ unitName: '一村党支部', title: '支部书记', roles: ['leader'] }],
    });
    expect(res.body.temporaryPassword).toMatch(/^.{12}$/);
    const c = await login(h, 'li.si', res.body.temporaryPassword);
    expect((await c.get('/api/auth/me')).body.mustChangePassword).toBe(true);
    const dup = await adminA.post('/api/people', {
      username: 'li.si',
      displayName: '李四',
      post: { unitId: A1, title: '书记', roles: ['leader'] },
    });
    expect(dup.status).toBe(409);
    expect(dup.body.fields.username).toBe('用户名已存在');
  });

  it('lists only people within the caller’s subtree, with search and filters', async () => {
    const mine = await adminA.get('/api/people?pageSize=100');
    const names = mine.body.items.map((p: { displayName: string }) => p.displayName);
    expect(names).toEqual(expect.arrayContaining(['甲镇管理员', '一村经办']));
    expect(names).not.toContain('乙镇经办');
    const all = await sys.get('/api/people?pageSize=100');
    expect(all.body.items.map((p: { displayName: string }) => p.displayName)).toContain('乙镇经办');
    const search = await sys.get(`/api/people?q=${encodeURIComponent('乙镇')}`);
    expect(search.body.items.map((p: { displayName: string }) => p.displayName)).toEqual(['乙镇经办']);
    const byRole = await sys.get('/api/people?role=secAdmin');
    expect(byRole.body.total).toBe(1);
    const page = await sys.get('/api/people?pageSize=2&page=2');
    expect(page.body.items).toHaveLength(2);
    expect(page.body.total).toBeGreaterThan(4);
  });

  it('lists only units within the caller’s subtree', async () => {
    const res = await adminA.get('/api/units');
    expect(res.body.map((u: { name: string }) => u.name).sort()).toEqual(['一村党支部', '甲镇党委'].sort());
    const clerk = await login(h, (await buildPerson(h, { unitId: A, roles: ['clerk'] })).username);
    expect((await clerk.get('/api/units')).body.map((u: { name: string }) => u.name)).toEqual(['甲镇党委']);
  });

  it('keeps the three system roles apart (三员分立)', async () => {
    const p = await buildPerson(h, { unitId: R, roles: ['clerk'] });
    // only the security admin grants system roles
    const bySys = await sys.post(`/api/people/${p.id}/posts`, { unitId: R, title: '审计', roles: ['auditor'] });
    expect(bySys.status).toBe(403);
    // a person holding business roles cannot take a system role
    const mixed = await sec.post(`/api/people/${p.id}/posts`, { unitId: R, title: '审计', roles: ['auditor'] });
    expect(mixed.status).toBe(400);
    const auditorId = (await buildPerson(h, { unitId: R, roles: ['auditor'] })).id;
    const twoSystem = await sec.post(`/api/people/${auditorId}/posts`, { unitId: R, title: '安全', roles: ['secAdmin'] });
    expect(twoSystem.status).toBe(400);
    expect(twoSystem.body.fields.roles).toContain('三员分立');
    // and nobody changes their own roles
    const me = (await sec.get('/api/auth/me')).body;
    expect((await sec.patch(`/api/posts/${me.posts[0].id}`, { roles: ['secAdmin', 'sysAdmin'] })).status).toBe(403);
  });

  it('limits a post’s scope root to the unit or its ancestors within the granter’s reach', async () => {
    const p = await buildPerson(h, { unitId: A1, roles: ['clerk'] });
    const up = await adminA.post(`/api/people/${p.id}/posts`, { unitId: A1, scopeRootId: A, title: '联络员', roles: ['clerk'] });
    expect(up.status).toBe(200);
    const beyond = await adminA.post(`/api/people/${p.id}/posts`, { unitId: A1, scopeRootId: R, title: '联络员', roles: ['clerk'] });
    expect(beyond.status).toBe(403);
    const sideways = await sec.post(`/api/people/${p.id}/posts`, { unitId: A1, scopeRootId: B, title: '联络员', roles: ['clerk'] });
    expect(sideways.status).toBe(400);
  });

  it('a department clerk with the committee as scope root acts for the committee', async () => {
    const dept = (await buildUnit(h, R, '县委宣传部', '部门/科室')).id;
    const clerk = await login(h, (await buildPerson(h, { unitId: dept, scopeRootId: R, roles: ['clerk'] })).username);
    const units = (await clerk.get('/api/units')).body.map((u: { name: string }) => u.name);
    expect(units).toEqual(['测试县委']); // a clerk's roles are not subtree-wide: the committee itself
  });

  it('deactivates an account (its sessions end, login refused) and refuses to remove the last post', async () => {
    const p = await buildPerson(h, { unitId: A, roles: ['clerk'] });
    const c = await login(h, p.username);
    const person = (await adminA.get(`/api/people/${p.id}`)).body;
    expect((await adminA.del(`/api/posts/${person.posts[0].id}`)).status).toBe(409);
    expect((await adminA.post(`/api/people/${p.id}/deactivate`)).body.active).toBe(false);
    expect((await c.get('/api/auth/me')).status).toBe(401);
    await expect(login(h, p.username)).rejects.toThrow(/401/);
    expect((await adminA.post(`/api/people/${p.id}/activate`)).body.active).toBe(true);
    expect((await login(h, p.username)).csrf).toBeTruthy();
  });

  it('the security admin unlocks a locked account', async () => {
    const p = await buildPerson(h, { unitId: A, roles: ['clerk'] });
    for (let i = 0; i < 5; i++)
      await h.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: p.username, password: 'Wrong#pass1234' },
        remoteAddress: '10.7.0.1',
      });
    const locked = (await sec.get(`/api/people/${p.id}`)).body;
    expect(locked.lockedUntil).not.toBeNull();
    const res = await sec.post(`/api/people/${p.id}/unlock`);
    expect(res.body.lockedUntil).toBeNull();
    expect((await login(h, p.username)).csrf).toBeTruthy();
  });
});
