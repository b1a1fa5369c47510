import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson, buildRoot, buildUnit, type Client, type Harness, login, startHarness } from '../../../test/harness.js';

let h: Harness;
let root: { id: string };
let town: { id: string };
let village: { id: string };
let admin: Client;

beforeAll(async () => {
  h = await startHarness();
  root = await buildRoot(h);
  town = await buildUnit(h, root.id, '甲镇党委', '乡镇');
  village = await buildUnit(h, town.id, '一村党支部', '村');
  const a = await buildPerson(h, { unitId: root.id, roles: ['sysAdmin'] });
  admin = await login(h, a.username);
});
afterAll(() => h.close());

describe('org tree', () => {
  it('creates, lists and reads units in scope', async () => {
    const res = await admin.post('/api/units', { parentId: town.id, name: '二村党支部', type: '村' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ parentId: town.id, name: '二村党支部', depth: 2, active: true });
    const list = await admin.get('/api/units');
    expect(list.body.map((u: { name: string }) => u.name)).toEqual(
      expect.arrayContaining(['测试县委', '甲镇党委', '一村党支部', '二村党支部']),
    );
    const detail = await admin.get(`/api/units/${res.body.id}`);
    expect(detail.body.ancestors.map((a: { name: string }) => a.name)).toEqual(['测试县委', '甲镇党委']);
  });

  it('refuses a sibling name twice with 409 and field message', async () => {
    const res = await admin.post('/api/units', { parentId: town.id, name: '一村党支部', type: '村' });
    expect(res.status).toBe(409);
    expect(res.body.fields.name).toContain('同名');
  });

  it('validates input with Chinese field messages', async () => {
    const res = await admin.post('/api/units', { parentId: 'nope', name: '', type: '火星' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION');
    expect(Object.keys(res.body.fields)).toEqual(expect.arrayContaining(['parentId', 'name', 'type']));
    expect(res.body.fields.name).toBe('请输入单位名称');
  });

  it('moves a unit with its subtree and refuses a move under its own descendant (409, tree unchanged)', async () => {
    const townB = await buildUnit(h, root.id, '乙镇党委', '乡镇');
    const before = (await admin.get('/api/units')).body;
    const cyc = await admin.post(`/api/units/${town.id}/move`, { parentId: village.id });
    expect(cyc.status).toBe(409);
    const self = await admin.post(`/api/units/${town.id}/move`, { parentId: town.id });
    expect(self.status).toBe(409);
    expect((await admin.get('/api/units')).body).toEqual(before);

    const moved = await admin.post(`/api/units/${town.id}/move`, { parentId: townB.id });
    expect(moved.status).toBe(200);
    expect(moved.body.depth).toBe(2);
    const v = await admin.get(`/api/units/${village.id}`);
    expect(v.body.depth).toBe(3);
    expect(v.body.ancestors.map((a: { name: string }) => a.name)).toEqual(['测试县委', '乙镇党委', '甲镇党委']);
    // and back
    expect((await admin.post(`/api/units/${town.id}/move`, { parentId: root.id })).status).toBe(200);
  });

  it('deactivates leaves only, never deletes, and hides inactive units by default', async () => {
    const leaf = await buildUnit(h, village.id, '第一党小组', '其他');
    expect((await admin.post(`/api/units/${village.id}/deactivate`)).status).toBe(409);
    expect((await admin.post(`/api/units/${leaf.id}/deactivate`)).body.active).toBe(false);
    const names = (await admin.get('/api/units')).body.map((u: { name: string }) => u.name);
    expect(names).not.toContain('第一党小组');
    const all = (await admin.get('/api/units?includeInactive=true')).body.map((u: { name: string }) => u.name);
    expect(all).toContain('第一党小组');
    expect((await admin.post(`/api/units/${leaf.id}/activate`)).body.active).toBe(true);
    expect((await admin.request('DELETE', `/api/units/${leaf.id}`)).status).toBe(404);
  });
});
