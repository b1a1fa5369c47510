import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorCtx, buildPerson, buildRoot, buildUnit, type Client, type Harness, login, startHarness } from '../../../test/harness.js';
import { periodContaining } from '../../core/periods.js';
import { accountabilityCounts } from './records.js';
import { accountabilityRecords } from './schema.js';

let h: Harness;
const u = {} as Record<'R' | 'T' | 'V1' | 'S', string>;
type Key = 'inspectorR' | 'inspectorT' | 'leaderT' | 'adminT' | 'clerkV1' | 'colleagueV1' | 'adminV1' | 'clerkS' | 'inspectorS' | 'auditor';
const c = {} as Record<Key, Client>;
const ids = {} as Record<Key, string>;

beforeAll(async () => {
  h = await startHarness();
  u.R = (await buildRoot(h, '问责县委')).id;
  u.T = (await buildUnit(h, u.R, '甲镇党委', '乡镇')).id;
  u.V1 = (await buildUnit(h, u.T, '一村党支部', '村')).id;
  u.S = (await buildUnit(h, u.R, '乙镇党委', '乡镇')).id;
  const specs: Record<Key, [string, ('inspector' | 'leader' | 'unitAdmin' | 'clerk' | 'auditor')[]]> = {
    inspectorR: [u.R, ['inspector']],
    inspectorT: [u.T, ['inspector']],
    leaderT: [u.T, ['leader']],
    adminT: [u.T, ['unitAdmin']],
    clerkV1: [u.V1, ['clerk']],
    colleagueV1: [u.V1, ['clerk']],
    adminV1: [u.V1, ['unitAdmin']],
    clerkS: [u.S, ['clerk']],
    inspectorS: [u.S, ['inspector']],
    auditor: [u.R, ['auditor']],
  };
  for (const [key, [unitId, roles]] of Object.entries(specs) as [Key, (typeof specs)[Key]][]) {
    const p = await buildPerson(h, { unitId, roles });
    ids[key] = p.id;
    c[key] = await login(h, p.username);
  }
});
afterAll(() => h.close());

const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

async function record(over: Record<string, unknown> = {}) {
  const res = await c.inspectorT.post('/api/accountability', {
    subjectType: 'person',
    subjectPersonId: ids.clerkV1,
    subjectUnitId: u.V1,
    cause: { type: 'task', id: '00000000-0000-4000-8000-000000000001', label: '逾期任务：报送意识形态工作分析' },
    measure: 'criticism',
    decidingUnitId: u.T,
    decidedOn: today(),
    description: '经核实，该同志未按期报送',
    ...over,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

describe('accountability visibility', () => {
  it('the subject sees the record and responds once; the decider is told', async () => {
    const r = await record();
    expect(r.measureLabel).toBe('批评教育');
    const seen = await c.clerkV1.get(`/api/accountability/${r.id}`);
    expect(seen.status).toBe(200);
    expect(seen.body.canRespond).toBe(true);
    expect(seen.body.cause).toMatchObject({ type: 'task', label: '逾期任务：报送意识形态工作分析' });
    const mine = await c.clerkV1.get('/api/accountability?mine=true');
    expect(mine.body.items.map((x: { id: string }) => x.id)).toContain(r.id);
    const res = await c.clerkV1.post(`/api/accountability/${r.id}/response`, { response: '因村里换届延误，已补报' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.response).toBe('因村里换届延误，已补报');
    expect(res.body.canRespond).toBe(false);
    const again = await c.clerkV1.post(`/api/accountability/${r.id}/response`, { response: '再次说明' });
    expect(again.status).toBe(409);
    const empty = await c.clerkV1.post(`/api/accountability/${r.id}/response`, { response: '' });
    expect(empty.status).toBe(400);
    expect(empty.body.fields.response).toMatch(/说明/);
    const inbox = await c.inspectorT.get('/api/notifications');
    expect(JSON.stringify(inbox.body)).toContain('问责对象已提交说明');
  });

  it('a colleague in the same unit without the roles, the unit admin, the sibling unit and the 三员 auditor get 404', async () => {
    const r = await record();
    for (const key of ['colleagueV1', 'adminV1', 'clerkS', 'inspectorS', 'auditor', 'adminT'] as Key[]) {
      const res = await c[key].get(`/api/accountability/${r.id}`);
      expect(res.status, key).toBe(404);
      const list = await c[key].get('/api/accountability?pageSize=200');
      expect(list.body.items?.map((x: { id: string }) => x.id) ?? [], key).not.toContain(r.id);
      const resp = await c[key].post(`/api/accountability/${r.id}/response`, { response: '不是我的' });
      expect(resp.status, key).toBe(404);
    }
  });

  it("the deciding unit's inspector and leader, and the ancestor's inspector, see it; they may not respond", async () => {
    const r = await record();
    for (const key of ['inspectorT', 'leaderT', 'inspectorR'] as Key[]) {
      const res = await c[key].get(`/api/accountability/${r.id}`);
      expect(res.status, key).toBe(200);
      expect(res.body.canRespond).toBe(false);
    }
    expect((await c.inspectorR.post(`/api/accountability/${r.id}/response`, { response: 'x' })).status).toBe(403);
  });

  it('two responses at once: one is recorded, the other 409', async () => {
    const r = await record({ measure: 'writtenReview' });
    const [a, b] = await Promise.all([
      c.clerkV1.post(`/api/accountability/${r.id}/response`, { response: '第一份说明' }),
      c.clerkV1.post(`/api/accountability/${r.id}/response`, { response: '第二份说明' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const saved = await c.inspectorT.get(`/api/accountability/${r.id}`);
    expect(saved.body.response).toBe(a.status === 200 ? '第一份说明' : '第二份说明');
  });

  it('a unit subject is seen and answered by those who answer for that unit, not by its clerks', async () => {
    const r = await record({ subjectType: 'unit', subjectPersonId: null, measure: 'circulated' });
    expect((await c.clerkV1.get(`/api/accountability/${r.id}`)).status).toBe(404);
    const seen = await c.adminV1.get(`/api/accountability/${r.id}`);
    expect(seen.status).toBe(200);
    expect(seen.body.canRespond).toBe(true);
    expect((await c.adminV1.post(`/api/accountability/${r.id}/response`, { response: '已召开专题会议整改' })).status).toBe(200);
  });

  it('refuses bad input with Chinese field messages and outsiders with 403', async () => {
    const outside = await c.inspectorT.post('/api/accountability', {
      subjectType: 'unit',
      subjectUnitId: u.S,
      cause: { type: 'other', label: '其他' },
      measure: 'reminder',
      decidingUnitId: u.T,
      decidedOn: today(),
    });
    expect(outside.status).toBe(400);
    expect(outside.body.fields.subjectUnitId).toMatch(/决定单位/);
    const notThere = await c.inspectorT.post('/api/accountability', {
      subjectType: 'person',
      subjectPersonId: ids.clerkS,
      subjectUnitId: u.V1,
      cause: { type: 'other', label: '其他' },
      measure: 'reminder',
      decidingUnitId: u.T,
      decidedOn: '2099-01-01',
    });
    expect(notThere.status).toBe(400);
    expect(notThere.body.fields.subjectPersonId).toMatch(/任职/);
    expect(notThere.body.fields.decidedOn).toMatch(/今天/);
    const noPerson = await c.inspectorT.post('/api/accountability', {
      subjectType: 'person',
      subjectUnitId: u.V1,
      cause: { type: 'other', label: '其他' },
      measure: 'nonsense',
      decidingUnitId: u.T,
      decidedOn: today(),
    });
    expect(noPerson.status).toBe(400);
    expect(noPerson.body.fields.measure).toMatch(/问责方式/);
    const sibling = await c.inspectorS.post('/api/accountability', {
      subjectType: 'unit',
      subjectUnitId: u.V1,
      cause: { type: 'other', label: '其他' },
      measure: 'reminder',
      decidingUnitId: u.T,
      decidedOn: today(),
    });
    expect(sibling.status).toBe(403);
  });

  it('counts leave the module, names do not', async () => {
    const ctx = await actorCtx(h, ids.adminT);
    const period = periodContaining('year', new Date());
    const counts = await accountabilityCounts(ctx, u.T, period);
    expect(counts.total).toBeGreaterThanOrEqual(5);
    expect(counts.byMeasure.criticism).toBeGreaterThanOrEqual(3);
    expect(counts.byMeasure.circulated).toBe(1);
    expect(Object.keys(counts)).toEqual(['total', 'byMeasure']);
    expect((await accountabilityCounts(ctx, u.T, periodContaining('year', new Date('2001-06-01')))).total).toBe(0);
    await expect(accountabilityCounts(await actorCtx(h, ids.clerkS), u.T, period)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('distribution key (region_id)', () => {
  it("a record carries its subject unit's region (not the deciding unit's), and a moved subject unit takes it along", async () => {
    const tag = Math.random().toString(36).slice(2, 6);
    const adminR = await login(h, (await buildPerson(h, { unitId: u.R, roles: ['unitAdmin'] })).username);
    const village = (await buildUnit(h, u.T, `迁移村${tag}`, '村')).id;
    // decided by the county (its own region) about a village of the town's region
    const res = await c.inspectorR.post('/api/accountability', {
      subjectType: 'unit',
      subjectUnitId: village,
      cause: { type: 'other', label: `未按期报送${tag}` },
      measure: 'reminder',
      decidingUnitId: u.R,
      decidedOn: today(),
      description: '',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const region = async () =>
      (await h.database.db.select().from(accountabilityRecords).where(eq(accountabilityRecords.id, res.body.id)))[0]!.regionId;
    expect(await region()).toBe(u.T);
    expect((await adminR.post(`/api/units/${village}/move`, { parentId: u.S })).status).toBe(200);
    expect(await region()).toBe(u.S);
    expect((await c.inspectorR.get(`/api/accountability/${res.body.id}`)).status).toBe(200);
  });
});
