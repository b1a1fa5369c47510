import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson, buildRoot, buildUnit, type Client, type Harness, login, startHarness } from '../../../test/harness.js';
import { auditEntries } from '../../core/schema.js';
import { tasks } from '../duty/schema.js';

const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString();
const inDays = (n: number) => new Date(Date.now() + n * DAY).toISOString();

let h: Harness;
const u = {} as Record<'R' | 'T' | 'V' | 'S', string>;
const c = {} as Record<'clerkT' | 'clerkT2' | 'adminT' | 'clerkV' | 'clerkS' | 'assessorT', Client>;
let kindId: string;

beforeAll(async () => {
  h = await startHarness();
  u.R = (await buildRoot(h, '决议县委')).id;
  u.T = (await buildUnit(h, u.R, '决议镇党委', '乡镇')).id;
  u.V = (await buildUnit(h, u.T, '决议村党支部', '村')).id;
  u.S = (await buildUnit(h, u.R, '兄弟镇党委', '乡镇')).id;
  const mk = async (unitId: string, roles: ('unitAdmin' | 'clerk' | 'assessor')[]) =>
    login(h, (await buildPerson(h, { unitId, roles })).username);
  c.clerkT = await mk(u.T, ['clerk']);
  c.clerkT2 = await mk(u.T, ['clerk']);
  c.adminT = await mk(u.T, ['unitAdmin']);
  c.clerkV = await mk(u.V, ['clerk']);
  c.clerkS = await mk(u.S, ['clerk']);
  c.assessorT = await mk(u.T, ['assessor']);
  kindId = (await c.clerkT.get('/api/meeting-kinds')).body[0].id;
});
afterAll(() => h.close());

async function meeting(resolutions: string[]) {
  const res = await c.clerkT.post('/api/meetings', {
    unitId: u.T,
    kindId,
    heldAt: daysAgo(2),
    topic: '专题研究意识形态工作',
    resolutions: resolutions.map((text) => ({ text })),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.id as string;
}
const taskCount = async () => ((await h.database.db.select({ n: count() }).from(tasks)) as [{ n: number }])[0].n;
const auditCount = async () => ((await h.database.db.select({ n: count() }).from(auditEntries)) as [{ n: number }])[0].n;

describe('resolution → task', () => {
  it('creates a task linked both ways, in one transaction, audited', async () => {
    const id = await meeting(['开展网络意识形态专项检查', '组织中心组专题学习']);
    // the unit admin assigns down the subtree (a clerk assigns in its own unit only)
    const res = await c.adminT.post(`/api/meetings/${id}/resolutions/1/task`, { assigneeUnitId: u.V, deadline: inDays(14) });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const task = res.body.task;
    expect(res.body).toMatchObject({ meetingId: id, index: 1 });
    expect(task).toMatchObject({ unitId: u.V, assignerUnitId: u.T, title: '组织中心组专题学习', state: 'todo' });
    expect(task.source).toEqual({ type: 'meeting.resolution', id: `${id}:1`, label: '会议决议：组织中心组专题学习' });

    // the meeting keeps the task id on the resolution; the other resolution is untouched
    const m = await c.clerkT.get(`/api/meetings/${id}`);
    expect(m.body.resolutions).toEqual([{ text: '开展网络意识形态专项检查' }, { text: '组织中心组专题学习', taskId: task.id }]);
    // the assignee sees the task and its source
    const got = await c.clerkV.get(`/api/tasks/${task.id}`);
    expect(got.status).toBe(200);
    expect(got.body.source.id).toBe(`${id}:1`);
    const audit = await h.database.db
      .select()
      .from(auditEntries)
      .where(and(eq(auditEntries.entityId, id), eq(auditEntries.action, 'resolutionTask')));
    expect(audit).toHaveLength(1);
    expect(audit[0]!.after).toMatchObject({ taskId: task.id, index: 1 });
  });

  it('takes an explicit title and the meeting unit itself as assignee', async () => {
    const id = await meeting(['落实意识形态工作责任制']);
    const res = await c.clerkT.post(`/api/meetings/${id}/resolutions/0/task`, {
      assigneeUnitId: u.T,
      deadline: inDays(3),
      title: '责任制落实情况自查',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.task).toMatchObject({ unitId: u.T, title: '责任制落实情况自查' });
  });

  it('refuses a second task for the same resolution (409), creating nothing', async () => {
    const id = await meeting(['开展专项检查']);
    const body = { assigneeUnitId: u.T, deadline: inDays(7) };
    expect((await c.clerkT.post(`/api/meetings/${id}/resolutions/0/task`, body)).status).toBe(200);
    const before = await taskCount();
    const again = await c.adminT.post(`/api/meetings/${id}/resolutions/0/task`, body);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('ILLEGAL_TRANSITION');
    expect(await taskCount()).toBe(before);
  });

  it('makes exactly one task when two clerks click at once', async () => {
    const id = await meeting(['同时交办的决议']);
    const body = { assigneeUnitId: u.T, deadline: inDays(7) };
    const before = await taskCount();
    const results = await Promise.all([
      c.clerkT.post(`/api/meetings/${id}/resolutions/0/task`, body),
      c.clerkT2.post(`/api/meetings/${id}/resolutions/0/task`, body),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(await taskCount()).toBe(before + 1);
    const m = await c.clerkT.get(`/api/meetings/${id}`);
    expect(m.body.resolutions[0].taskId).toBe(results.find((r) => r.status === 200)!.body.task.id);
  });

  it('refuses bad input (400), a missing resolution (404) and outsiders (403/404), writing nothing', async () => {
    const id = await meeting(['决议一']);
    const before = { tasks: await taskCount(), audit: await auditCount() };
    const bad = await c.clerkT.post(`/api/meetings/${id}/resolutions/0/task`, { assigneeUnitId: 'x', deadline: '明天' });
    expect(bad.status).toBe(400);
    expect(bad.body.fields.assigneeUnitId).toBe('请选择承办单位');
    expect(bad.body.fields.deadline).toBeTypeOf('string');
    const body = { assigneeUnitId: u.T, deadline: inDays(7) };
    expect((await c.clerkT.post(`/api/meetings/${id}/resolutions/5/task`, body)).status).toBe(404);
    expect((await c.clerkT.post(`/api/meetings/${id}/resolutions/-1/task`, body)).status).toBe(400);
    // assignee outside the clerk's reach (a clerk assigns in its own unit only; a sibling is out of reach)
    const out = await c.clerkT.post(`/api/meetings/${id}/resolutions/0/task`, { assigneeUnitId: u.S, deadline: inDays(7) });
    expect(out.status).toBe(400);
    expect(out.body.fields.assigneeUnitId).toBeTypeOf('string');
    expect((await c.clerkS.post(`/api/meetings/${id}/resolutions/0/task`, body)).status).toBe(404);
    expect((await c.clerkV.post(`/api/meetings/${id}/resolutions/0/task`, body)).status).toBe(404);
    expect((await c.assessorT.post(`/api/meetings/${id}/resolutions/0/task`, body)).status).toBe(403);
    expect(await taskCount()).toBe(before.tasks);
    expect(await auditCount()).toBe(before.audit);
    const m = await c.clerkT.get(`/api/meetings/${id}`);
    expect(m.body.resolutions).toEqual([{ text: '决议一' }]);
  });

  it('keeps a resolution that became a task when the meeting is edited; it cannot be changed or removed', async () => {
    const id = await meeting(['已交办的决议', '未交办的决议']);
    const made = await c.clerkT.post(`/api/meetings/${id}/resolutions/0/task`, { assigneeUnitId: u.T, deadline: inDays(7) });
    const taskId = made.body.task.id;
    const edited = await c.clerkT.patch(`/api/meetings/${id}`, {
      resolutions: [
        { text: '已交办的决议', taskId: '00000000-0000-4000-8000-000000000000' },
        { text: '修改后的决议' },
        { text: '新增决议' },
      ],
    });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body.resolutions).toEqual([{ text: '已交办的决议', taskId }, { text: '修改后的决议' }, { text: '新增决议' }]);
    const changed = await c.clerkT.patch(`/api/meetings/${id}`, { resolutions: [{ text: '改掉已交办的决议' }] });
    expect(changed.status).toBe(400);
    expect(changed.body.fields['resolutions.0.text']).toBe('已转为任务的决议不能修改或删除');
    const removed = await c.clerkT.patch(`/api/meetings/${id}`, { resolutions: [] });
    expect(removed.status).toBe(400);
    // a forged task id on a new resolution is not taken
    const forged = await c.clerkT.patch(`/api/meetings/${id}`, {
      resolutions: [{ text: '已交办的决议' }, { text: '修改后的决议', taskId }],
    });
    expect(forged.body.resolutions[1]).toEqual({ text: '修改后的决议' });
    expect((await c.clerkT.get(`/api/meetings/${id}`)).body.resolutions[0].taskId).toBe(taskId);
  });
});

describe('meeting export and 补录 filter', () => {
  it('exports the filtered list of the caller scope as xlsx', async () => {
    await meeting(['导出用决议']);
    const res = await h.app.inject({
      method: 'GET',
      url: '/api/meetings/export?q=%E4%B8%93%E9%A2%98',
      headers: { cookie: c.clerkT.cookie },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toContain('.xlsx');
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    expect(sheet.getRow(1).getCell(4).value).toBe('主题');
    const total = (await c.clerkT.get(`/api/meetings?q=${encodeURIComponent('专题')}`)).body.total;
    expect(sheet.rowCount - 1).toBe(total);
    // another unit exports none of T's meetings
    const other = await h.app.inject({ method: 'GET', url: '/api/meetings/export', headers: { cookie: c.clerkS.cookie } });
    const wb2 = new ExcelJS.Workbook();
    await wb2.xlsx.load(other.rawPayload as unknown as ArrayBuffer);
    expect(wb2.worksheets[0]!.rowCount).toBe(1);
    // a role without meeting.read is refused
    const sys = await login(h, (await buildPerson(h, { unitId: u.R, roles: ['sysAdmin'] })).username);
    expect((await sys.get('/api/meetings/export')).status).toBe(403);
  });

  it('filters back-filled records (entered more than 30 days after being held)', async () => {
    const late = await c.clerkT.post('/api/meetings', { unitId: u.T, kindId, heldAt: daysAgo(45), topic: '补录的会议' });
    expect(late.body.backfilled).toBe(true);
    const onTime = await meeting([]);
    const only = await c.clerkT.get('/api/meetings?backfilled=true&pageSize=200');
    expect(only.body.items.map((m: { id: string }) => m.id)).toContain(late.body.id);
    expect(only.body.items.every((m: { backfilled: boolean }) => m.backfilled)).toBe(true);
    const not = await c.clerkT.get('/api/meetings?backfilled=false&pageSize=200');
    expect(not.body.items.map((m: { id: string }) => m.id)).toContain(onTime);
    expect(not.body.items.every((m: { backfilled: boolean }) => !m.backfilled)).toBe(true);
  });
});
