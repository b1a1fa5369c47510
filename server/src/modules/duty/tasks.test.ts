import type { TaskAction, TaskState } from '@dutyledger/contracts';
import { and, eq, like } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson, buildRoot, buildUnit, type Client, type Harness, login, startHarness } from '../../../test/harness.js';
import { samplePdf, upload } from '../../core/attachments/attachments.scope.js';
import { localDate } from '../../core/periods.js';
import { runJobNow } from '../../core/scheduler.js';
import { auditEntries, notifications } from '../../core/schema.js';
import { dutyAssignments, leadingGroupMembers, leadingGroups } from './responsibility-schema.js';
import { planItems, plans, tasks } from './schema.js';
import { sendTaskReminders, transitions } from './tasks.js';

const DAY = 86_400_000;
let h: Harness;
const u = {} as Record<'R' | 'T' | 'V1' | 'V2' | 'V1a' | 'B3' | 'Vx' | 'S' | 'SV', string>;
const c = {} as Record<'adminT' | 'leaderT' | 'clerkT' | 'clerkV1' | 'clerkV2' | 'clerkS' | 'adminS', Client>;
const ids = {} as Record<'clerkV1' | 'adminT', string>;
let itemId: string;
let planId: string;

beforeAll(async () => {
  h = await startHarness();
  u.R = (await buildRoot(h, '任务县委')).id;
  u.T = (await buildUnit(h, u.R, '甲镇党委', '乡镇')).id;
  u.V1 = (await buildUnit(h, u.T, '一村党支部', '村')).id;
  u.V2 = (await buildUnit(h, u.T, '二村党支部', '村')).id;
  u.V1a = (await buildUnit(h, u.V1, '一村下属村', '村')).id;
  u.B3 = (await buildUnit(h, u.T, '镇机关党支部', '党支部')).id;
  u.Vx = (await buildUnit(h, u.T, '已撤并村', '村')).id;
  u.S = (await buildUnit(h, u.R, '乙镇党委', '乡镇')).id;
  u.SV = (await buildUnit(h, u.S, '乙镇一村', '村')).id;
  const mk = async (unitId: string, roles: ('unitAdmin' | 'leader' | 'clerk')[]) => {
    const p = await buildPerson(h, { unitId, roles });
    return { id: p.id, client: await login(h, p.username) };
  };
  const adminT = await mk(u.T, ['unitAdmin']);
  const clerkV1 = await mk(u.V1, ['clerk']);
  ids.adminT = adminT.id;
  ids.clerkV1 = clerkV1.id;
  c.adminT = adminT.client;
  c.clerkV1 = clerkV1.client;
  c.leaderT = (await mk(u.T, ['leader'])).client;
  c.clerkT = (await mk(u.T, ['clerk'])).client;
  c.clerkV2 = (await mk(u.V2, ['clerk'])).client;
  c.clerkS = (await mk(u.S, ['clerk'])).client;
  c.adminS = (await mk(u.S, ['unitAdmin'])).client;
  expect((await c.adminT.post(`/api/units/${u.Vx}/deactivate`)).status).toBe(200);
  const plan = await c.adminT.post('/api/plans', { unitId: u.T, year: 2026, title: '2026年意识形态工作要点' });
  expect(plan.status).toBe(200);
  planId = plan.body.id;
  const item = await c.adminT.post(`/api/plans/${planId}/items`, { section: '一、学习教育', title: '开展专题学习' });
  expect(item.status).toBe(200);
  itemId = item.body.id;
});
afterAll(() => h.close());

const future = (days = 10) => new Date(Date.now() + days * DAY).toISOString();

async function assignTo(unitIds: string[], deadline = future()) {
  const res = await c.adminT.post(`/api/plan-items/${itemId}/assign`, { target: { kind: 'units', unitIds }, deadline });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.tasks as { id: string; unitId: string }[];
}

/** A task of V1 (assigned by T) brought to `state` through the API. */
async function taskIn(state: TaskState): Promise<string> {
  const [t] = await assignTo([u.V1]);
  const id = t!.id;
  const step = async (client: Client, action: string, body?: unknown) => {
    const r = await client.post(`/api/tasks/${id}/${action}`, body);
    expect(r.status, `${action}: ${JSON.stringify(r.body)}`).toBe(200);
  };
  if (state === 'todo') return id;
  await step(c.clerkV1, 'start');
  if (state === 'inProgress') return id;
  await step(c.clerkV1, 'submit', { progress: '已组织学习' });
  if (state === 'submitted') return id;
  if (state === 'done') await step(c.adminT, 'confirm');
  if (state === 'returned') await step(c.adminT, 'return', { reason: '缺少佐证材料' });
  return id;
}

const bodyFor: Record<TaskAction, unknown> = { start: {}, submit: { progress: '进展' }, confirm: {}, return: { reason: '理由' } };
const actorFor = (a: TaskAction) => (transitions[a].side === 'assignee' ? c.clerkV1 : c.adminT);

describe('task state machine', () => {
  it('walks every legal transition: 待办 → 进行中 → 已提交 → 退回 → 进行中 → 已提交 → 已办结, audited and notified', async () => {
    const id = await taskIn('todo');
    const expectState = async (res: Awaited<ReturnType<Client['post']>>, state: TaskState) => {
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.state).toBe(state);
    };
    await expectState(await c.clerkV1.post(`/api/tasks/${id}/start`), 'inProgress');
    await expectState(await c.clerkV1.post(`/api/tasks/${id}/submit`, { progress: '第一次提交' }), 'submitted');
    const ret = await c.adminT.post(`/api/tasks/${id}/return`, { reason: '缺少会议记录' });
    await expectState(ret, 'returned');
    expect(ret.body.returnReason).toBe('缺少会议记录');
    await expectState(await c.clerkV1.post(`/api/tasks/${id}/start`), 'inProgress');
    await expectState(await c.clerkV1.post(`/api/tasks/${id}/submit`, { progress: '补充了会议记录' }), 'submitted');
    const done = await c.leaderT.post(`/api/tasks/${id}/confirm`);
    await expectState(done, 'done');
    expect(done.body).toMatchObject({ stateLabel: '已办结', progress: '补充了会议记录', version: 7, overdue: false });
    expect(done.body.doneAt).toBeTruthy();

    const audit = await h.database.db.select({ action: auditEntries.action }).from(auditEntries).where(eq(auditEntries.entityId, id));
    expect(audit.map((a) => a.action)).toEqual([
      'create',
      'transition:todo->inProgress',
      'transition:inProgress->submitted',
      'transition:submitted->returned',
      'transition:returned->inProgress',
      'transition:inProgress->submitted',
      'transition:submitted->done',
    ]);
    const inbox = await h.database.db
      .select()
      .from(notifications)
      .where(eq(notifications.link, `/duty/tasks/${id}`));
    expect(inbox.some((n) => n.personId === ids.clerkV1 && n.body.includes('缺少会议记录'))).toBe(true);
    expect(inbox.some((n) => n.personId === ids.adminT && n.title.includes('提交'))).toBe(true);
  });

  const states: TaskState[] = ['todo', 'inProgress', 'submitted', 'done', 'returned'];
  const actions = Object.keys(transitions) as TaskAction[];
  const illegal = states.flatMap((s) => actions.filter((a) => !transitions[a].from.includes(s)).map((a) => [s, a] as const));
  it.each(illegal)('refuses %s → %s with 409, state unchanged', async (state, action) => {
    const id = await taskIn(state);
    const before = (await c.adminT.get(`/api/tasks/${id}`)).body;
    const res = await actorFor(action).post(`/api/tasks/${id}/${action}`, bodyFor[action]);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('ILLEGAL_TRANSITION');
    expect(res.body.message).toContain('当前状态');
    const after = (await c.adminT.get(`/api/tasks/${id}`)).body;
    expect(after.state).toBe(state);
    expect(after.version).toBe(before.version);
  });

  it('requires a reason to return and progress to submit (400)', async () => {
    const id = await taskIn('submitted');
    const r = await c.adminT.post(`/api/tasks/${id}/return`, { reason: '  ' });
    expect(r.status).toBe(400);
    expect(r.body.fields.reason).toBe('请填写退回理由');
    const id2 = await taskIn('inProgress');
    expect((await c.clerkV1.post(`/api/tasks/${id2}/submit`, {})).status).toBe(400);
    expect((await c.adminT.get(`/api/tasks/${id}`)).body.state).toBe('submitted');
  });

  it('links evidence on submit; a failed link leaves the task unchanged; outsiders cannot attach to a task', async () => {
    const id = await taskIn('inProgress');
    const missing = await c.clerkV1.post(`/api/tasks/${id}/submit`, {
      progress: '附件',
      attachmentIds: ['00000000-0000-4000-8000-000000000000'],
    });
    expect(missing.status).toBe(404);
    expect((await c.clerkV1.get(`/api/tasks/${id}`)).body.state).toBe('inProgress');
    const file = await upload(c.clerkV1, u.V1, '学习记录.pdf', samplePdf);
    expect(file.status).toBe(200);
    const res = await c.clerkV1.post(`/api/tasks/${id}/submit`, { progress: '附学习记录', attachmentIds: [file.body.id] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const seen = await c.adminT.get(`/api/tasks/${id}`);
    expect(seen.body.attachments.map((a: { id: string }) => a.id)).toEqual([file.body.id]);
    const other = await upload(c.clerkV2, u.V2, '别村.pdf', samplePdf);
    const link = await c.clerkV2.post(`/api/attachments/${other.body.id}/links`, { entity: 'duty.task', entityId: id });
    expect(link.status).toBe(404);
  });

  it('lets only the proper side act: the assigner cannot submit, the assignee cannot confirm (403)', async () => {
    const id = await taskIn('submitted');
    expect((await c.clerkV1.post(`/api/tasks/${id}/confirm`)).status).toBe(403);
    expect((await c.clerkV2.post(`/api/tasks/${id}/confirm`)).status).toBe(404);
    expect((await c.clerkS.get(`/api/tasks/${id}`)).status).toBe(404);
  });

  it('two confirms at once: one wins, the other gets 409', async () => {
    for (let i = 0; i < 3; i++) {
      const id = await taskIn('submitted');
      const results = await Promise.all([c.adminT.post(`/api/tasks/${id}/confirm`), c.leaderT.post(`/api/tasks/${id}/confirm`)]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      const [row] = await h.database.db.select().from(tasks).where(eq(tasks.id, id));
      expect(row!.state).toBe('done');
      expect(row!.version).toBe(4);
      const audit = await h.database.db
        .select()
        .from(auditEntries)
        .where(and(eq(auditEntries.entityId, id), eq(auditEntries.action, 'transition:submitted->done')));
      expect(audit).toHaveLength(1);
    }
  });
});

describe('fan-out', () => {
  const tasksOfItem = async (item: string) => h.database.db.select().from(tasks).where(eq(tasks.planItemId, item));
  const freshItem = async () => (await c.adminT.post(`/api/plans/${planId}/items`, { title: `要点${Math.random()}` })).body.id as string;

  it('creates exactly one task per matching active unit of a type in the subtree', async () => {
    const item = await freshItem();
    const res = await c.adminT.post(`/api/plan-items/${item}/assign`, {
      target: { kind: 'descendants', rootUnitId: u.T, unitType: '村' },
      deadline: future(),
      requiredEvidence: '学习记录、照片',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.created).toBe(3);
    const rows = await tasksOfItem(item);
    expect(rows.map((r) => r.unitId).sort()).toEqual([u.V1, u.V2, u.V1a].sort());
    expect(rows.every((r) => r.assignerUnitId === u.T && r.state === 'todo' && r.requiredEvidence === '学习记录、照片')).toBe(true);
  });

  it('direct children only, and any type', async () => {
    const item = await freshItem();
    const res = await c.adminT.post(`/api/plan-items/${item}/assign`, {
      target: { kind: 'descendants', rootUnitId: u.T, directChildrenOnly: true },
      deadline: future(),
    });
    expect(res.status).toBe(200);
    expect((await tasksOfItem(item)).map((r) => r.unitId).sort()).toEqual([u.V1, u.V2, u.B3].sort());
  });

  it('refuses explicit units outside the reach (403) and writes nothing', async () => {
    const item = await freshItem();
    const res = await c.adminT.post(`/api/plan-items/${item}/assign`, {
      target: { kind: 'units', unitIds: [u.V1, u.SV] },
      deadline: future(),
    });
    expect(res.status).toBe(403);
    expect(await tasksOfItem(item)).toHaveLength(0);
    const up = await c.adminT.post(`/api/plan-items/${item}/assign`, {
      target: { kind: 'descendants', rootUnitId: u.R },
      deadline: future(),
    });
    expect(up.status).toBe(403);
    expect(await tasksOfItem(item)).toHaveLength(0);
  });

  it('computes descendants within the reach only: a clerk (own unit only) reaches none', async () => {
    const plan = await c.adminT.post('/api/plans', { unitId: u.T, year: 2026, title: '经办测试' });
    const item = (await c.adminT.post(`/api/plans/${plan.body.id}/items`, { title: '经办要点' })).body.id;
    const res = await c.clerkT.post(`/api/plan-items/${item}/assign`, {
      target: { kind: 'descendants', rootUnitId: u.T },
      deadline: future(),
    });
    expect(res.status).toBe(400);
    expect(await tasksOfItem(item)).toHaveLength(0);
    // a plan item of another town is not even visible
    const other = await c.adminS.post('/api/plans', { unitId: u.S, year: 2026, title: '乙镇方案' });
    const otherItem = (await c.adminS.post(`/api/plans/${other.body.id}/items`, { title: '乙镇要点' })).body.id;
    expect(
      (await c.adminT.post(`/api/plan-items/${otherItem}/assign`, { target: { kind: 'units', unitIds: [u.V1] }, deadline: future() }))
        .status,
    ).toBe(404);
  });
});

describe('lists, overdue, urge and reminders', () => {
  it('computes overdue and filters on it; done is never overdue', async () => {
    const [t] = await assignTo([u.V2], new Date(Date.now() - DAY).toISOString());
    const got = await c.clerkV2.get(`/api/tasks/${t!.id}`);
    expect(got.body.overdue).toBe(true);
    const list = await c.adminT.get('/api/tasks?overdue=true&pageSize=200');
    expect(list.body.items.map((x: { id: string }) => x.id)).toContain(t!.id);
    expect(list.body.items.every((x: { overdue: boolean }) => x.overdue)).toBe(true);
    await c.clerkV2.post(`/api/tasks/${t!.id}/start`);
    await c.clerkV2.post(`/api/tasks/${t!.id}/submit`, { progress: '迟交' });
    const done = await c.adminT.post(`/api/tasks/${t!.id}/confirm`);
    expect(done.body.overdue).toBe(false);
    const after = await c.adminT.get('/api/tasks?overdue=true&pageSize=200');
    expect(after.body.items.map((x: { id: string }) => x.id)).not.toContain(t!.id);
  });

  it('lists in scope only, with filters and mine', async () => {
    const [t] = await assignTo([u.V2]);
    expect((await c.clerkS.get('/api/tasks')).body.total).toBe(0);
    const sPlans = (await c.clerkS.get('/api/plans')).body as { unitId: string }[];
    expect(sPlans.every((p) => p.unitId === u.S)).toBe(true);
    const v1 = await c.clerkV1.get('/api/tasks?pageSize=200&mine=true');
    expect(v1.body.total).toBeGreaterThan(0);
    expect(v1.body.items.every((x: { unitId: string }) => x.unitId === u.V1)).toBe(true);
    const byUnit = await c.adminT.get(`/api/tasks?unitId=${u.V2}&state=todo&planId=${planId}&pageSize=200`);
    expect(byUnit.body.items.map((x: { id: string }) => x.id)).toContain(t!.id);
    expect(byUnit.body.items.every((x: { unitId: string; state: string }) => x.unitId === u.V2 && x.state === 'todo')).toBe(true);
    const range = await c.adminT.get(
      `/api/tasks?deadlineFrom=${encodeURIComponent(future(20))}&deadlineTo=${encodeURIComponent(future(30))}`,
    );
    expect(range.body.total).toBe(0);
    const plans = await c.adminT.get(`/api/plans?unitId=${u.T}&year=2026`);
    expect(plans.body.map((p: { id: string }) => p.id)).toContain(planId);
    const detail = await c.clerkT.get(`/api/plans/${planId}`);
    expect(detail.body.items.length).toBeGreaterThan(0);
  });

  it('lists a task to both of its units: the assignee side and the assigner side, when they lie in different subtrees', async () => {
    const tag = Math.random().toString(36).slice(2, 6);
    const adminR = await login(h, (await buildPerson(h, { unitId: u.R, roles: ['unitAdmin'] })).username);
    const village = (await buildUnit(h, u.T, `两边村${tag}`, '村')).id;
    const [task] = await assignTo([village]);
    // the village moves to 乙镇: its task stays assigned by 甲镇
    expect((await adminR.post(`/api/units/${village}/move`, { parentId: u.S })).status).toBe(200);
    const listed = async (client: Client) => {
      const res = await client.get('/api/tasks?pageSize=200');
      expect(res.status).toBe(200);
      return (res.body.items as { id: string }[]).some((x) => x.id === task!.id);
    };
    expect(await listed(c.adminT)).toBe(true); // the assigner unit (its subtree no longer holds the village)
    expect(await listed(c.adminS)).toBe(true); // the assignee unit's township
    expect(await listed(adminR)).toBe(true); // both
    expect(await listed(c.clerkV2)).toBe(false); // a village of 甲镇: neither
    expect(await listed(c.clerkS)).toBe(false); // 乙镇's clerk reaches its own unit only
  });

  it('exports the filtered tasks of the caller scope only (Excel)', async () => {
    await taskIn('todo');
    const rowsOf = async (client: Client, url: string) => {
      const res = await h.app.inject({ url, headers: { cookie: client.cookie } });
      expect(res.statusCode, res.body).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      const sheet = wb.worksheets[0]!;
      expect(sheet.getRow(1).getCell(1).value).toBe('任务');
      return sheet.getColumn(2).values.slice(2).map(String);
    };
    const mine = await rowsOf(c.adminT, `/api/tasks/export?unitId=${u.V1}`);
    expect(mine.length).toBeGreaterThan(0);
    // a unit filter takes in the unit's subtree: V1 and the village below it, never the sibling V2
    expect(mine).toContain('一村党支部');
    expect(mine.every((n) => n === '一村党支部' || n === '一村下属村')).toBe(true);
    expect(await rowsOf(c.adminT, `/api/tasks/export?unitId=${u.T}`)).toEqual(expect.arrayContaining(['一村党支部']));
    expect(await rowsOf(c.adminT, `/api/tasks/export?unitId=${u.V2}&q=${encodeURIComponent('不存在的任务')}`)).toEqual([]);
    expect(await rowsOf(c.clerkS, '/api/tasks/export')).toEqual([]);
  });

  it('names a 承办人 of the assignee unit, who then finds it among their tasks; refuses others', async () => {
    const id = await taskIn('todo');
    const other = await c.clerkV1.put(`/api/tasks/${id}/assignee`, { personId: ids.adminT });
    expect(other.status).toBe(400);
    expect(other.body.fields.personId).toContain('承办单位');
    const named = await c.clerkV1.put(`/api/tasks/${id}/assignee`, { personId: ids.clerkV1 });
    expect(named.status, JSON.stringify(named.body)).toBe(200);
    expect(named.body).toMatchObject({ assigneePersonId: ids.clerkV1, assigneePersonName: expect.any(String) });
    const mine = (await c.clerkV1.get('/api/tasks?mine=true&pageSize=200')).body.items.map((t: { id: string }) => t.id);
    expect(mine).toContain(id);
    const assessor = await login(h, (await buildPerson(h, { unitId: u.T, roles: ['assessor'] })).username);
    expect((await assessor.put(`/api/tasks/${id}/assignee`, { personId: null })).status).toBe(403);
    expect((await c.clerkV2.put(`/api/tasks/${id}/assignee`, { personId: null })).status).toBe(404);
    const done = await taskIn('done');
    expect((await c.adminT.put(`/api/tasks/${done}/assignee`, { personId: ids.clerkV1 })).status).toBe(409);
    const cleared = await c.adminT.put(`/api/tasks/${id}/assignee`, { personId: null });
    expect(cleared.body.assigneePersonId).toBeNull();
  });

  it('urges once per day and tells the assignee unit', async () => {
    const id = await taskIn('inProgress');
    const first = await c.adminT.post(`/api/tasks/${id}/urge`);
    expect(first.body).toEqual({ ok: true, notified: 1 });
    const again = await c.leaderT.post(`/api/tasks/${id}/urge`);
    expect(again.body).toEqual({ ok: true, notified: 0 });
    const inbox = (await c.clerkV1.get('/api/notifications?pageSize=200')).body.items.filter((n: { title: string }) =>
      n.title.startsWith('督办'),
    );
    expect(inbox.length).toBeGreaterThan(0);
    const done = await taskIn('done');
    expect((await c.adminT.post(`/api/tasks/${done}/urge`)).status).toBe(409);
    const submitted = await taskIn('submitted');
    expect((await c.adminT.post(`/api/tasks/${submitted}/urge`)).status).toBe(409);
  });

  it('tells each caller exactly the actions they may take, in detail and list', async () => {
    const expected: Record<TaskState, { assignee: string[]; assigner: string[] }> = {
      todo: { assignee: ['start', 'setAssignee'], assigner: ['urge', 'setAssignee'] },
      inProgress: { assignee: ['submit', 'setAssignee'], assigner: ['urge', 'setAssignee'] },
      submitted: { assignee: ['setAssignee'], assigner: ['confirm', 'return', 'setAssignee'] },
      returned: { assignee: ['start', 'setAssignee'], assigner: ['urge', 'setAssignee'] },
      done: { assignee: [], assigner: [] },
    };
    for (const [state, want] of Object.entries(expected) as [TaskState, { assignee: string[]; assigner: string[] }][]) {
      const id = await taskIn(state);
      expect((await c.clerkV1.get(`/api/tasks/${id}`)).body.actions, `${state} as assignee`).toEqual(want.assignee);
      // the town's clerk assigns for the town (task.assign in T) but does not reach V1 (clerk is not subtree-wide)
      expect((await c.clerkT.get(`/api/tasks/${id}`)).body.actions, `${state} as assigner`).toEqual(want.assigner);
      const listed = (await c.clerkT.get(`/api/tasks?pageSize=200&unitId=${u.V1}`)).body.items.find((t: { id: string }) => t.id === id);
      expect(listed.actions, `${state} in the list`).toEqual(want.assigner);
    }
    // the town's admin reaches both sides (subtree-wide task.work and task.assign) and may act on either
    expect((await c.adminT.get(`/api/tasks/${await taskIn('todo')}`)).body.actions).toEqual(['start', 'urge', 'setAssignee']);
    // a reader on neither side (an assessor of the town reads the subtree) gets none
    const assessor = await buildPerson(h, { unitId: u.T, roles: ['assessor'] });
    const reader = await login(h, assessor.username);
    expect((await reader.get(`/api/tasks/${await taskIn('inProgress')}`)).body.actions).toEqual([]);
  });

  it('sends each reminder once: 3 days, 1 day before, and when overdue (job run twice)', async () => {
    // noon (Asia/Shanghai) three calendar days from today, so the test does not depend on the time of day
    const deadline = new Date(Date.parse(`${localDate(new Date())}T12:00:00+08:00`) + 3 * DAY);
    const [t] = await assignTo([u.V1], deadline.toISOString());
    const reminders = () =>
      h.database.db
        .select({ title: notifications.title, personId: notifications.personId })
        .from(notifications)
        .where(and(eq(notifications.link, `/duty/tasks/${t!.id}`), like(notifications.title, '任务提醒%')));
    const at = (d: Date) => sendTaskReminders(h.ctx, d);
    const now = new Date();
    await at(now);
    await at(now);
    await runJobNow('duty.reminders', h.ctx);
    await runJobNow('duty.reminders', h.ctx);
    expect((await reminders()).map((r) => r.title)).toEqual(['任务提醒（距截止还有3天）：开展专题学习']);
    const dayBefore = new Date(deadline.getTime() - DAY);
    await at(dayBefore);
    await at(dayBefore);
    await at(new Date(deadline.getTime() - 2 * DAY)); // nothing due two days before
    const overdue = new Date(deadline.getTime() + 3_600_000);
    await at(overdue);
    await at(overdue);
    const titles = (await reminders()).map((r) => r.title);
    expect(titles.filter((x) => x.includes('3天'))).toHaveLength(1);
    expect(titles.filter((x) => x.includes('1天'))).toHaveLength(1);
    // overdue: the assignee unit's worker and the assigner
    const overdueRows = (await reminders()).filter((r) => r.title.includes('已逾期'));
    expect(overdueRows.map((r) => r.personId).sort()).toEqual([ids.clerkV1, ids.adminT].sort());
  });
});

describe('distribution key (region_id)', () => {
  it("plans, tasks and leading groups carry their unit's region, their children their parent's, and a moved unit takes them along", async () => {
    const tag = Math.random().toString(36).slice(2, 6);
    const adminR = await login(h, (await buildPerson(h, { unitId: u.R, roles: ['unitAdmin'] })).username);
    const village = (await buildUnit(h, u.T, `迁移村${tag}`, '村')).id;
    const member = await buildPerson(h, { unitId: village, roles: ['leader'] });
    // the village's own plan and item
    const plan = await adminR.post('/api/plans', { unitId: village, year: 2026, title: `村工作要点${tag}` });
    expect(plan.status, JSON.stringify(plan.body)).toBe(200);
    const item = await adminR.post(`/api/plans/${plan.body.id}/items`, { section: '一', title: '村要点' });
    expect(item.status, JSON.stringify(item.body)).toBe(200);
    // a task of the village from the town's plan item (the item stays in the town's region)
    const [task] = await assignTo([village]);
    // the village's leading group, a member and an assignment
    expect((await adminR.post(`/api/responsibility/units/${village}/members`, { personId: member.id, role: 'head' })).status).toBe(200);
    const assignment = await adminR.post(`/api/responsibility/units/${village}/assignments`, { kind: 'first', personId: member.id });
    expect(assignment.status, JSON.stringify(assignment.body)).toBe(200);

    const db = h.database.db;
    const regions = async () => ({
      plan: (await db.select().from(plans).where(eq(plans.id, plan.body.id)))[0]!.regionId,
      items: (await db.select().from(planItems).where(eq(planItems.planId, plan.body.id))).map((x) => x.regionId),
      townItem: (await db.select().from(planItems).where(eq(planItems.id, itemId)))[0]!.regionId,
      task: (await db.select().from(tasks).where(eq(tasks.id, task!.id)))[0]!.regionId,
      group: (await db.select().from(leadingGroups).where(eq(leadingGroups.unitId, village)))[0]!.regionId,
      members: (await db.select().from(leadingGroupMembers).where(eq(leadingGroupMembers.unitId, village))).map((x) => x.regionId),
      assignments: (await db.select().from(dutyAssignments).where(eq(dutyAssignments.unitId, village))).map((x) => x.regionId),
    });
    // the village is in its town's region
    expect(await regions()).toEqual({ plan: u.T, items: [u.T], townItem: u.T, task: u.T, group: u.T, members: [u.T], assignments: [u.T] });

    expect((await adminR.post(`/api/units/${village}/move`, { parentId: u.S })).status).toBe(200);
    expect(await regions()).toEqual({ plan: u.S, items: [u.S], townItem: u.T, task: u.S, group: u.S, members: [u.S], assignments: [u.S] });
    // still found by id; the task still names the town's plan item
    expect((await adminR.get(`/api/plans/${plan.body.id}`)).body.items).toHaveLength(1);
    const moved = await adminR.get(`/api/tasks/${task!.id}`);
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body.planItemId).toBe(itemId);
  });
});
