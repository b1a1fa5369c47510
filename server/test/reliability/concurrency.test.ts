/**
 * Concurrency: 50 parallel requests, from several logged-in clients, doing conflicting transitions on the
 * same item (task confirm/return, publication approve/return, report submission accept/return,
 * rectification sign-off/return, opinion event handle/close) → exactly one winner, the others 409, no 5xx,
 * and the item in the winner's state with one audit entry of the transition.
 */
import { and, count, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { periodContaining } from '../../src/core/periods.js';
import { auditEntries } from '../../src/core/schema.js';
import { buildPerson, buildRoot, buildUnit, type Client, type Harness, login, startHarness } from '../harness.js';

const DAY = 86_400_000;
const PARALLEL = 50;
const iso = (ms: number) => new Date(ms).toISOString();
let h: Harness;
const u = {} as Record<'R' | 'T' | 'V', string>;
const c = {} as Record<
  'adminR' | 'adminR2' | 'adminT' | 'leaderT' | 'clerkT' | 'clerkV' | 'adminV' | 'rev1' | 'rev1b' | 'inspectorT' | 'inspectorT2',
  Client
>;
const ids = {} as Record<'rev1' | 'rev1b', string>;

beforeAll(async () => {
  h = await startHarness();
  u.R = (await buildRoot(h, '并发县委')).id;
  u.T = (await buildUnit(h, u.R, '甲镇党委', '乡镇')).id;
  u.V = (await buildUnit(h, u.T, '甲镇一村', '村')).id;
  const mk = async (key: keyof typeof c, unitId: string, roles: ('unitAdmin' | 'leader' | 'clerk' | 'inspector')[]) => {
    const p = await buildPerson(h, { unitId, roles });
    c[key] = await login(h, p.username);
    return p.id;
  };
  await mk('adminR', u.R, ['unitAdmin']);
  await mk('adminR2', u.R, ['unitAdmin']);
  await mk('adminT', u.T, ['unitAdmin']);
  await mk('leaderT', u.T, ['leader']);
  await mk('clerkT', u.T, ['clerk']);
  await mk('clerkV', u.V, ['clerk']);
  await mk('adminV', u.V, ['unitAdmin']);
  ids.rev1 = await mk('rev1', u.T, ['clerk']);
  ids.rev1b = await mk('rev1b', u.T, ['clerk']);
  await mk('inspectorT', u.T, ['inspector']);
  await mk('inspectorT2', u.T, ['inspector']);
});
afterAll(() => h?.close());

type Shot = () => Promise<{ status: number; body: any }>;

/** Fires PARALLEL requests at once, taking turns over `shots`; returns their statuses and the winner. */
async function race(shots: Shot[]) {
  const results = await Promise.all(Array.from({ length: PARALLEL }, (_, i) => shots[i % shots.length]!()));
  const statuses = results.map((r) => r.status);
  expect(
    statuses.filter((s) => s >= 500),
    JSON.stringify(results.filter((r) => r.status >= 500)),
  ).toEqual([]);
  expect(statuses.filter((s) => s === 200)).toHaveLength(1);
  expect(statuses.filter((s) => s === 409)).toHaveLength(PARALLEL - 1);
  const winner = results.findIndex((r) => r.status === 200);
  return { winner: results[winner]!, shot: winner % shots.length };
}

async function auditsOf(entityId: string, actionPrefix: string): Promise<number> {
  const [row] = await h.database.db
    .select({ n: count() })
    .from(auditEntries)
    .where(and(eq(auditEntries.entityId, entityId), like(auditEntries.action, `${actionPrefix}%`)));
  return row!.n;
}

const ok = (r: { status: number; body: unknown }) => expect(r.status, JSON.stringify(r.body)).toBe(200);

describe(`${PARALLEL} parallel conflicting transitions: one winner, the others 409, no 5xx`, () => {
  it('task confirm / return', async () => {
    const plan = await c.adminT.post('/api/plans', { unitId: u.T, year: 2026, title: '2026年意识形态工作要点' });
    ok(plan);
    const item = await c.adminT.post(`/api/plans/${plan.body.id}/items`, { section: '一、学习教育', title: '开展专题学习' });
    ok(item);
    const assigned = await c.adminT.post(`/api/plan-items/${item.body.id}/assign`, {
      target: { kind: 'units', unitIds: [u.V] },
      deadline: iso(Date.now() + 10 * DAY),
    });
    ok(assigned);
    const id = assigned.body.tasks[0].id as string;
    ok(await c.clerkV.post(`/api/tasks/${id}/start`));
    ok(await c.clerkV.post(`/api/tasks/${id}/submit`, { progress: '已组织学习' }));
    const { winner, shot } = await race([
      () => c.adminT.post(`/api/tasks/${id}/confirm`),
      () => c.leaderT.post(`/api/tasks/${id}/confirm`),
      () => c.adminT.post(`/api/tasks/${id}/return`, { reason: '缺少佐证材料' }),
    ]);
    const task = await c.adminT.get(`/api/tasks/${id}`);
    expect(task.body.state).toBe(shot === 2 ? 'returned' : 'done');
    expect(task.body.state).toBe(winner.body.state);
    expect(await auditsOf(id, 'transition:submitted')).toBe(1);
  });

  it('publication approve / return', async () => {
    const typeId = (await c.adminT.get('/api/channel-dicts/channelType')).body[0].id;
    const checklist = (await c.adminT.get('/api/channel-dicts/reviewCheck')).body.map((i: { id: string }) => ({ itemId: i.id, ok: true }));
    const channel = await c.adminT.post('/api/channels', {
      unitId: u.T,
      supervisorUnitId: u.R,
      typeId,
      name: '并发测试公众号',
      reviewChain: [[ids.rev1, ids.rev1b]],
    });
    ok(channel);
    const pub = await c.clerkT.post('/api/publications', {
      channelId: channel.body.id,
      title: '关于开展主题宣传活动的报道',
      body: '<p>正文</p>',
    });
    ok(pub);
    const id = pub.body.id as string;
    ok(await c.clerkT.post(`/api/publications/${id}/submit`, {}));
    const { winner } = await race([
      () => c.rev1.post(`/api/publications/${id}/approve`, { comment: '同意', checklist }),
      () => c.rev1b.post(`/api/publications/${id}/approve`, { comment: '同意', checklist }),
      () => c.rev1b.post(`/api/publications/${id}/return`, { comment: '标题表述不准确', checklist }),
    ]);
    const after = await c.clerkT.get(`/api/publications/${id}`);
    expect(after.body.state).toBe(winner.body.state);
    expect(['toPublish', 'returned']).toContain(after.body.state);
  });

  it('report submission accept / return', async () => {
    const templates = await c.clerkT.get('/api/report-templates');
    const period = periodContaining('halfYear', new Date());
    const w = await c.adminR.post('/api/report-windows', {
      unitId: u.R,
      kind: 'halfYear',
      title: '并发测试半年报告',
      periodKind: 'halfYear',
      periodYear: period.year,
      periodIndex: period.index,
      templateId: templates.body.find((t: { family: string }) => t.family === 'halfYear').id,
      target: { kind: 'descendants', rootUnitId: u.R, unitType: '乡镇' },
      opensAt: iso(Date.now() - DAY),
      closesAt: iso(Date.now() + 10 * DAY),
    });
    ok(w);
    const draft = await c.clerkT.post(`/api/report-windows/${w.body.id}/submissions`, { unitId: u.T });
    ok(draft);
    const id = draft.body.id as string;
    ok(await c.clerkT.post(`/api/report-submissions/${id}/submit`));
    const { winner, shot } = await race([
      () => c.adminR.post(`/api/report-submissions/${id}/accept`),
      () => c.adminR2.post(`/api/report-submissions/${id}/accept`),
      () => c.adminR2.post(`/api/report-submissions/${id}/return`, { reason: '请补充' }),
    ]);
    expect(winner.status).toBe(200);
    const after = await c.adminR.get(`/api/report-submissions/${id}`);
    expect(after.body.state).toBe(shot === 2 ? 'returned' : 'accepted');
  });

  it('rectification sign-off / return', async () => {
    const insp = await c.inspectorT.post('/api/inspections', {
      kind: 'patrol',
      title: '2026年甲镇第一轮巡察',
      inspectingUnitId: u.T,
      inspectingBody: '镇党委巡察组',
      inspectedUnitId: u.T,
      startedOn: '2026-03-01',
      endedOn: '2026-04-15',
    });
    ok(insp);
    const f = await c.inspectorT.post(`/api/inspections/${insp.body.id}/findings`, { category: '学习教育', description: '理论学习不系统' });
    ok(f);
    const item = await c.adminT.post(`/api/rectify-findings/${f.body.id}/items`, {
      unitId: u.V,
      measure: '建立学习台账',
      deadline: iso(Date.now() + 30 * DAY),
      requiredEvidence: '学习记录',
    });
    ok(item);
    const id = item.body.id as string;
    ok(await c.clerkV.post(`/api/rectify-items/${id}/submit`, { progress: '已整改' }));
    const { shot } = await race([
      () => c.inspectorT.post(`/api/rectify-items/${id}/sign-off`, {}),
      () => c.inspectorT2.post(`/api/rectify-items/${id}/sign-off`, {}),
      () => c.inspectorT2.post(`/api/rectify-items/${id}/return`, { reason: '不合格' }),
    ]);
    const after = await c.adminT.get(`/api/rectify-items/${id}`);
    expect(after.body.state).toBe(shot === 2 ? 'open' : 'signedOff');
  });

  it('opinion event handle / close', async () => {
    const platformId = (await c.clerkV.get('/api/opinion-platforms')).body[0].id;
    const ev = await c.clerkV.post('/api/opinion-events', {
      unitId: u.V,
      title: '村道施工噪音引发网民关注',
      summary: '有网帖反映村道夜间施工噪音扰民',
      sources: [{ platformId, url: 'https://weibo.example.com/item/1' }],
      firstSeenAt: iso(Date.now() - 2 * DAY),
      level: 'general',
    });
    ok(ev);
    const id = ev.body.id as string;
    ok(await c.clerkV.post(`/api/opinion-events/${id}/assess`, {}));
    const { winner } = await race([
      () => c.clerkV.post(`/api/opinion-events/${id}/handle`, {}),
      () => c.adminV.post(`/api/opinion-events/${id}/handle`, {}),
      () => c.adminV.post(`/api/opinion-events/${id}/close`, { conclusion: '无需处置' }),
    ]);
    const after = await c.clerkV.get(`/api/opinion-events/${id}`);
    expect(after.body.state).toBe(winner.body.state);
    expect(['handling', 'closed']).toContain(after.body.state);
  });
});
