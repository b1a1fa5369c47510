import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson, buildRoot, buildUnit, type Client, type Harness, login, startHarness } from '../../../test/harness.js';
import { notifications } from '../../core/schema.js';

const DAY = 86_400_000;
const ago = (d: number) => new Date(Date.now() - d * DAY).toISOString();
let h: Harness;
const u = {} as Record<'R' | 'T' | 'V' | 'S', string>;
const c = {} as Record<'clerkT' | 'clerkV' | 'clerkS', Client>;
let leaderId: string;

beforeAll(async () => {
  h = await startHarness();
  u.R = (await buildRoot(h, '预案县委')).id;
  u.T = (await buildUnit(h, u.R, '甲镇党委', '乡镇')).id;
  u.V = (await buildUnit(h, u.T, '甲镇一村', '村')).id;
  u.S = (await buildUnit(h, u.R, '乙镇党委', '乡镇')).id;
  c.clerkT = await login(h, (await buildPerson(h, { unitId: u.T, roles: ['clerk'] })).username);
  c.clerkV = await login(h, (await buildPerson(h, { unitId: u.V, roles: ['clerk'] })).username);
  c.clerkS = await login(h, (await buildPerson(h, { unitId: u.S, roles: ['clerk'] })).username);
  leaderId = (await buildPerson(h, { unitId: u.T, roles: ['leader'], displayName: '王书记' })).id;
});
afterAll(() => h.close());

describe('emergency plans', () => {
  it('versions keep the old text; drills are recorded; units below read the plan, siblings do not', async () => {
    const created = await c.clerkT.post('/api/response-plans', {
      unitId: u.T,
      title: '甲镇网络舆情应急处置预案',
      body: '第一版正文',
      levels: ['major', 'critical'],
      notifyPersonIds: [leaderId],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const id = created.body.id;
    expect(created.body.versions[0].notifyPeople).toEqual([{ id: leaderId, displayName: '王书记' }]);
    const v2 = await c.clerkT.post(`/api/response-plans/${id}/versions`, {
      body: '第二版正文',
      levels: ['serious', 'major', 'critical'],
      notifyPersonIds: [leaderId],
      note: '扩大适用等级',
    });
    expect(v2.body.currentVersion).toBe(2);
    expect(v2.body.versions.map((v: { version: number; body: string }) => [v.version, v.body])).toEqual([
      [2, '第二版正文'],
      [1, '第一版正文'],
    ]);
    const drill = await c.clerkT.post(`/api/response-plans/${id}/drills`, {
      heldAt: ago(5),
      scenario: '谣言处置推演',
      summary: '流程顺畅',
    });
    expect(drill.body.drillCount).toBe(1);
    const future = await c.clerkT.post(`/api/response-plans/${id}/drills`, {
      heldAt: new Date(Date.now() + 3 * DAY).toISOString(),
      scenario: '未来',
    });
    expect(future.status).toBe(400);
    expect((await c.clerkV.get(`/api/response-plans/${id}`)).status).toBe(200);
    expect((await c.clerkS.get(`/api/response-plans/${id}`)).status).toBe(404);
    const list = await c.clerkV.get('/api/response-plans');
    expect(list.body.items.map((p: { id: string }) => p.id)).toContain(id);

    // an event of V links its parent's plan: the plan's people are told when the level is covered
    const platformId = (await c.clerkV.get('/api/opinion-platforms')).body[0].id;
    const ev = await c.clerkV.post('/api/opinion-events', {
      unitId: u.V,
      title: '较大舆情',
      sources: [{ platformId, url: '' }],
      firstSeenAt: ago(0),
      level: 'serious',
      responsePlanId: id,
    });
    expect(ev.status, JSON.stringify(ev.body)).toBe(200);
    expect(ev.body.responsePlanTitle).toBe('甲镇网络舆情应急处置预案');
    const told = await h.database.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.personId, leaderId), eq(notifications.link, `/opinion/events/${ev.body.id}`)));
    expect(told).toHaveLength(1);
    // a sibling's plan cannot be linked
    const sPlan = await c.clerkS.post('/api/response-plans', { unitId: u.S, title: '乙镇预案', levels: ['general'] });
    const bad = await c.clerkV.patch(`/api/opinion-events/${ev.body.id}`, { responsePlanId: sPlan.body.id });
    expect(bad.status).toBe(400);
    expect(bad.body.fields.responsePlanId).toBeTruthy();
  });
});
