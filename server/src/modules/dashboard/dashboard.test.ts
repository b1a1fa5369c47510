import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson, buildRoot, buildUnit, type Client, type Harness, login, startHarness } from '../../../test/harness.js';
import { tasks } from '../duty/schema.js';

const DAY = 86_400_000;
let h: Harness;
const u = {} as Record<'R' | 'T' | 'V1' | 'V2' | 'V1a' | 'S', string>;
const c = {} as Record<'adminT' | 'clerkT' | 'clerkV1' | 'adminS' | 'adminR', Client>;

/**
 * The fixture, counted by hand:
 *   T assigns 2 tasks to V1 (one past its deadline), 1 to V1a (below V1), 1 to V2 (confirmed done), 1 to T itself.
 *   open tasks: V1 subtree 3 (V1 ×2, V1a), V2 0, T itself 1 → T's subtree 4; overdue: V1 subtree 1 → T 1.
 *   tasks done this month: 1 (V2's).
 */
beforeAll(async () => {
  h = await startHarness();
  u.R = (await buildRoot(h, '看板县委')).id;
  u.T = (await buildUnit(h, u.R, '看板镇', '乡镇')).id;
  u.V1 = (await buildUnit(h, u.T, '看板一村', '村')).id;
  u.V2 = (await buildUnit(h, u.T, '看板二村', '村')).id;
  u.V1a = (await buildUnit(h, u.V1, '看板一村一组', '村')).id;
  u.S = (await buildUnit(h, u.R, '邻镇', '乡镇')).id;
  const as = async (unitId: string, role: 'unitAdmin' | 'clerk') => login(h, (await buildPerson(h, { unitId, roles: [role] })).username);
  c.adminT = await as(u.T, 'unitAdmin');
  c.clerkT = await as(u.T, 'clerk');
  c.clerkV1 = await as(u.V1, 'clerk');
  c.adminS = await as(u.S, 'unitAdmin');
  c.adminR = await as(u.R, 'unitAdmin');
  const plan = await c.adminT.post('/api/plans', { unitId: u.T, year: 2026, title: '看板方案' });
  const item = await c.adminT.post(`/api/plans/${plan.body.id}/items`, { section: '一', title: '看板任务' });
  const assign = async (unitIds: string[]) => {
    const res = await c.adminT.post(`/api/plan-items/${item.body.id}/assign`, {
      target: { kind: 'units', unitIds },
      deadline: new Date(Date.now() + 10 * DAY).toISOString(),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.tasks as { id: string; unitId: string }[];
  };
  const first = await assign([u.V1, u.V1a, u.V2, u.T]);
  const [v1b] = await assign([u.V1]);
  const v1a = first.find((x) => x.unitId === u.V1);
  const v2 = first.find((x) => x.unitId === u.V2);
  expect(first).toHaveLength(4);
  expect(v1a && v1b && v2).toBeTruthy();
  await h.database.db
    .update(tasks)
    .set({ deadline: new Date(Date.now() - DAY) })
    .where(eq(tasks.id, v1a!.id));
  const v2clerk = await as(u.V2, 'clerk');
  await v2clerk.post(`/api/tasks/${v2!.id}/start`);
  await v2clerk.post(`/api/tasks/${v2!.id}/submit`, { progress: '完成' });
  expect((await c.adminT.post(`/api/tasks/${v2!.id}/confirm`)).status).toBe(200);
});
afterAll(() => h.close());

describe('dashboard', () => {
  it('counts the subtree and each child as computed by hand', async () => {
    const res = await c.adminT.get(`/api/dashboard?unitId=${u.T}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const d = res.body;
    expect(d.unit).toMatchObject({ id: u.T, name: '看板镇' });
    expect(d.subtree).toBe(true);
    expect(d.figures).toMatchObject({ openTasks: 4, overdueTasks: 1 });
    const row = (id: string) => d.children.find((r: { unitId: string }) => r.unitId === id);
    expect(d.children.map((r: { unitId: string }) => r.unitId).sort()).toEqual([u.V1, u.V2].sort());
    expect(row(u.V1).figures).toMatchObject({ openTasks: 3, overdueTasks: 1 });
    expect(row(u.V2).figures).toMatchObject({ openTasks: 0, overdueTasks: 0 });
    // figures of modules not installed are null, never a made-up 0
    expect(d.figures.missingReports).toBe(0); // no report window is open
    expect(d.assessment).toBeNull(); // no published assessment cycle in this fixture
    expect(d.trend.months).toHaveLength(12);
    expect(d.trend.tasksDone.at(-1)).toBe(1);
    expect(d.trend.tasksDone.reduce((a: number, b: number) => a + b, 0)).toBe(1);
  });

  it('drills down: the county admin opens the town, then the village, with the trail', async () => {
    const county = await c.adminR.get(`/api/dashboard?unitId=${u.R}`);
    expect(county.body.figures).toMatchObject({ openTasks: 4, overdueTasks: 1 });
    expect(county.body.children.find((r: { unitId: string }) => r.unitId === u.T).figures.openTasks).toBe(4);
    const village = await c.adminR.get(`/api/dashboard?unitId=${u.V1}`);
    expect(village.body.figures).toMatchObject({ openTasks: 3, overdueTasks: 1 });
    expect(village.body.trail.map((x: { name: string }) => x.name)).toEqual(['看板县委', '看板镇', '看板一村']);
  });

  it('a clerk (not subtree-wide) sees the unit itself only, and their to-do list', async () => {
    const d = (await c.clerkT.get('/api/dashboard')).body;
    expect(d.unit.id).toBe(u.T);
    expect(d.subtree).toBe(false);
    expect(d.children).toEqual([]);
    expect(d.figures).toMatchObject({ openTasks: 1, overdueTasks: 0 });
    expect(d.todo.map((x: { kind: string }) => x.kind)).toEqual(['task.work']);
    const village = (await c.clerkV1.get('/api/dashboard')).body;
    expect(village.todo.filter((x: { overdue: boolean }) => x.overdue)).toHaveLength(1);
  });

  it('refuses a sibling, and a child looking up', async () => {
    expect((await c.adminS.get(`/api/dashboard?unitId=${u.T}`)).status).toBe(403);
    expect((await c.clerkV1.get(`/api/dashboard?unitId=${u.T}`)).status).toBe(403);
  });
});

describe('dashboard of a large area: kept counts', () => {
  // a subtree of at least 3 units counts as large here; kept for 2 s (a province's default: 1,000 units, 60 s)
  let k: Harness;
  const ku = {} as Record<'R' | 'T' | 'V1' | 'V2', string>;
  let adminT: Client;
  let adminR: Client;
  let assign: () => Promise<void>;
  beforeAll(async () => {
    k = await startHarness({ dashboardCacheMinUnits: 3, dashboardCacheSeconds: 2 });
    ku.R = (await buildRoot(k, '缓存县委')).id;
    ku.T = (await buildUnit(k, ku.R, '缓存镇', '乡镇')).id;
    ku.V1 = (await buildUnit(k, ku.T, '缓存一村', '村')).id;
    ku.V2 = (await buildUnit(k, ku.T, '缓存二村', '村')).id;
    adminT = await login(k, (await buildPerson(k, { unitId: ku.T, roles: ['unitAdmin'] })).username);
    adminR = await login(k, (await buildPerson(k, { unitId: ku.R, roles: ['unitAdmin'] })).username);
    const plan = await adminT.post('/api/plans', { unitId: ku.T, year: 2026, title: '缓存方案' });
    const item = await adminT.post(`/api/plans/${plan.body.id}/items`, { section: '一', title: '缓存任务' });
    assign = async () => {
      const res = await adminT.post(`/api/plan-items/${item.body.id}/assign`, {
        target: { kind: 'units', unitIds: [ku.V1] },
        deadline: new Date(Date.now() + 10 * DAY).toISOString(),
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    };
    await assign();
  });
  afterAll(() => k.close());

  it('serves the counted figures with their time until they are too old, then counts again', async () => {
    const first = (await adminT.get(`/api/dashboard?unitId=${ku.T}`)).body;
    expect(first.figures.openTasks).toBe(1);
    expect(first.figuresAsOf).not.toBeNull();
    await assign();
    const kept = (await adminT.get(`/api/dashboard?unitId=${ku.T}`)).body;
    expect(kept.figuresAsOf).toBe(first.figuresAsOf);
    expect(kept.figures.openTasks).toBe(1);
    expect(kept.children.find((r: { unitId: string }) => r.unitId === ku.V1).figures.openTasks).toBe(1);
    // the parts that are the caller's own are never kept
    expect(kept.todo).toEqual(first.todo);
    await new Promise((r) => setTimeout(r, 4_100));
    const fresh = (await adminT.get(`/api/dashboard?unitId=${ku.T}`)).body;
    expect(fresh.figures.openTasks).toBe(2);
    expect(Date.parse(fresh.figuresAsOf)).toBeGreaterThan(Date.parse(first.figuresAsOf));
  });

  it('a small area (the village, below the threshold) is counted live', async () => {
    const village = (await adminR.get(`/api/dashboard?unitId=${ku.V1}`)).body;
    expect(village.figuresAsOf).toBeNull();
    expect(village.figures.openTasks).toBe(2);
  });

  it('callers with another reach do not share kept counts; a sibling is still refused', async () => {
    // adminR reaches from the county: another key than adminT's, counted for itself, while adminT's kept
    // counts (2 open tasks, counted in the first test) still stand
    await assign();
    const county = (await adminR.get(`/api/dashboard?unitId=${ku.T}`)).body;
    expect(county.figures.openTasks).toBe(3);
    expect((await adminT.get(`/api/dashboard?unitId=${ku.T}`)).body.figures.openTasks).toBe(2);
    const sibling = (await buildUnit(k, ku.R, '缓存邻镇', '乡镇')).id;
    const adminS = await login(k, (await buildPerson(k, { unitId: sibling, roles: ['unitAdmin'] })).username);
    expect((await adminS.get(`/api/dashboard?unitId=${ku.T}`)).status).toBe(403);
  });
});
