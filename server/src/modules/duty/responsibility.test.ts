import { and, eq, isNull } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorCtx, buildPerson, buildRoot, buildUnit, type Client, type Harness, login, startHarness } from '../../../test/harness.js';
import { auditEntries } from '../../core/schema.js';
import { dutyAssignments, leadingGroupMembers } from './responsibility-schema.js';
import { createLinkedTask, dutyVacancies, transitionTask } from './service.js';

let h: Harness;
const u = {} as Record<'R' | 'T' | 'D' | 'V' | 'S' | 'T2', string>;
const p = {} as Record<'adminR' | 'adminT' | 'leaderT' | 'deputyT' | 'memberT' | 'clerkT' | 'headD' | 'clerkV' | 'adminS', string>;
const c = {} as Record<'adminR' | 'adminT' | 'clerkT' | 'leaderT' | 'adminS', Client>;
const names = {} as Record<keyof typeof p, string>;

beforeAll(async () => {
  h = await startHarness();
  u.R = (await buildRoot(h, '责任县委')).id;
  u.T = (await buildUnit(h, u.R, '责任镇党委', '乡镇')).id;
  u.D = (await buildUnit(h, u.T, '镇宣传办', '部门/科室')).id;
  u.V = (await buildUnit(h, u.T, '责任村党支部', '村')).id;
  u.S = (await buildUnit(h, u.R, '兄弟镇党委', '乡镇')).id;
  u.T2 = (await buildUnit(h, u.R, '空白镇党委', '乡镇')).id;
  const specs = {
    adminR: { unitId: u.R, roles: ['unitAdmin'] },
    adminT: { unitId: u.T, roles: ['unitAdmin'] },
    leaderT: { unitId: u.T, roles: ['leader'] },
    deputyT: { unitId: u.T, roles: ['leader'] },
    memberT: { unitId: u.T, roles: ['leader'] },
    clerkT: { unitId: u.T, roles: ['clerk'] },
    headD: { unitId: u.D, roles: ['clerk'] },
    clerkV: { unitId: u.V, roles: ['clerk'] },
    adminS: { unitId: u.S, roles: ['unitAdmin'] },
  } as const;
  for (const [key, spec] of Object.entries(specs)) {
    const person = await buildPerson(h, { ...spec, roles: [...spec.roles], displayName: `人员${key}` });
    p[key as keyof typeof p] = person.id;
    names[key as keyof typeof p] = `人员${key}`;
    if (key in { adminR: 1, adminT: 1, clerkT: 1, leaderT: 1, adminS: 1 }) c[key as keyof typeof c] = await login(h, person.username);
  }
});
afterAll(() => h.close());

const unitUrl = (id: string, rest = '') => `/api/responsibility/units/${id}${rest}`;
const auditCount = async () => (await h.database.db.select().from(auditEntries)).length;

describe('leading group', () => {
  it('keeps history when members change: role changes and a new 组长 end rows, never delete them', async () => {
    const add = (personId: string, role: string, fromDate: string) => c.adminT.post(unitUrl(u.T, '/members'), { personId, role, fromDate });
    expect((await add(p.leaderT, 'head', '2026-01-01')).status).toBe(200);
    expect((await add(p.deputyT, 'member', '2026-01-01')).status).toBe(200);
    // the same person again in the same role: nothing to change
    expect((await add(p.deputyT, 'member', '2026-02-01')).status).toBe(409);
    // a change of role ends the current membership and starts a new one
    expect((await add(p.deputyT, 'deputyHead', '2026-03-01')).status).toBe(200);
    // a new 组长 ends the previous 组长's membership
    expect((await add(p.memberT, 'head', '2026-06-01')).status).toBe(200);

    const on = async (date: string) =>
      (await c.clerkT.get(unitUrl(u.T, `?date=${date}`))).body.members as { displayName: string; role: string }[];
    expect((await on('2026-02-01')).map((m) => [m.displayName, m.role])).toEqual([
      [names.leaderT, 'head'],
      [names.deputyT, 'member'],
    ]);
    expect((await on('2026-04-01')).map((m) => [m.displayName, m.role])).toEqual([
      [names.leaderT, 'head'],
      [names.deputyT, 'deputyHead'],
    ]);
    // who was 组长 on a date
    expect((await on('2026-06-01')).filter((m) => m.role === 'head').map((m) => m.displayName)).toEqual([names.memberT]);
    expect((await on('2026-05-31')).filter((m) => m.role === 'head').map((m) => m.displayName)).toEqual([names.leaderT]);

    // removing sets `to`; the rows all stay
    const history = (await c.clerkT.get(unitUrl(u.T, '/history'))).body.members as {
      id: string;
      personId: string;
      toDate: string | null;
    }[];
    expect(history).toHaveLength(4);
    const deputyNow = history.find((m) => m.personId === p.deputyT && m.toDate === null)!;
    const ended = await c.adminT.post(`/api/responsibility/members/${deputyNow.id}/end`, { toDate: '2026-08-01' });
    expect(ended.status).toBe(200);
    expect(ended.body.toDate).toBe('2026-08-01');
    expect((await on('2026-09-01')).map((m) => m.displayName)).toEqual([names.memberT]);
    const again = await c.adminT.post(`/api/responsibility/members/${deputyNow.id}/end`, { toDate: '2026-09-01' });
    expect(again.status).toBe(409);
    const rows = await h.database.db.select().from(leadingGroupMembers).where(eq(leadingGroupMembers.unitId, u.T));
    expect(rows).toHaveLength(4);
    expect(rows.filter((r) => r.toDate === null)).toHaveLength(1);
    const audit = await h.database.db
      .select()
      .from(auditEntries)
      .where(and(eq(auditEntries.entity, 'leadingGroupMember'), eq(auditEntries.entityId, deputyNow.id)));
    expect(audit.map((a) => a.action)).toEqual(['create', 'end']);
  });

  it('refuses people outside the unit, dates before the row they end, and bad input (400, nothing written)', async () => {
    const before = await auditCount();
    const outsider = await c.adminT.post(unitUrl(u.T, '/members'), { personId: p.adminS, role: 'member' });
    expect(outsider.status).toBe(400);
    expect(outsider.body.fields.personId).toMatch(/本单位/);
    const early = await c.adminT.post(unitUrl(u.T, '/members'), { personId: p.leaderT, role: 'head', fromDate: '2025-01-01' });
    expect(early.status).toBe(400);
    expect(early.body.fields.fromDate).toBeTruthy();
    const bad = await c.adminT.post(unitUrl(u.T, '/members'), { personId: 'x', role: 'boss', fromDate: '2026-13-45' });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.fields).sort()).toEqual(['fromDate', 'personId', 'role']);
    const leader = await c.leaderT.patch(unitUrl(u.T, '/office'), { officeUnitId: u.S });
    expect(leader.status).toBe(400);
    expect(await auditCount()).toBe(before);
  });

  it('two changes at once are serialized: the same member added twice → one wins, the other 409; one open row', async () => {
    for (let i = 0; i < 3; i++) {
      const person = await buildPerson(h, { unitId: u.V, roles: ['clerk'] });
      const body = { personId: person.id, role: 'member' };
      const results = await Promise.all([c.adminT.post(unitUrl(u.V, '/members'), body), c.leaderT.post(unitUrl(u.V, '/members'), body)]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      const open = await h.database.db
        .select()
        .from(leadingGroupMembers)
        .where(and(eq(leadingGroupMembers.personId, person.id), isNull(leadingGroupMembers.toDate)));
      expect(open).toHaveLength(1);
      // ending it twice at once: one ends it, the other 409
      const ends = await Promise.all([
        c.adminT.post(`/api/responsibility/members/${open[0]!.id}/end`, {}),
        c.leaderT.post(`/api/responsibility/members/${open[0]!.id}/end`, {}),
      ]);
      expect(ends.map((r) => r.status).sort()).toEqual([200, 409]);
    }
  });

  it('sets the office to a unit of the subtree or a text', async () => {
    const res = await c.leaderT.patch(unitUrl(u.T, '/office'), { officeUnitId: u.D, officeText: '' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ unitId: u.D, unitName: '镇宣传办', text: '' });
    expect((await c.leaderT.patch(unitUrl(u.T, '/office'), { officeUnitId: u.S })).status).toBe(400);
  });
});

describe('assignments and vacancies', () => {
  it('shows every vacancy of an empty unit, a department only its head', async () => {
    const res = await c.adminR.get(unitUrl(u.T2));
    expect(res.status).toBe(200);
    expect(res.body.vacancies.map((v: { kind: string }) => v.kind)).toEqual(['noPrincipal', 'noFirst', 'noDirect', 'noHead', 'noOffice']);
    const dept = await c.adminT.get(unitUrl(u.D));
    expect(dept.body.vacancies.map((v: { kind: string }) => v.kind)).toEqual(['noFirst']);
  });

  it('warns of a group member (other than 组长) without a 一岗双责 assignment until one is made', async () => {
    const person = await buildPerson(h, { unitId: u.T2, roles: ['leader'], displayName: '空白镇委员' });
    expect((await c.adminR.post(unitUrl(u.T2, '/members'), { personId: person.id, role: 'member' })).status).toBe(200);
    const kinds = async () =>
      ((await c.adminR.get(unitUrl(u.T2))).body.vacancies as { kind: string; detail: string }[]).map((v) => `${v.kind}:${v.detail}`);
    expect(await kinds()).toContain('memberWithoutDuty:空白镇委员');
    expect((await c.adminR.post(unitUrl(u.T2, '/assignments'), { kind: 'dual', personId: person.id, areas: ['宣传'] })).status).toBe(200);
    expect((await kinds()).filter((k) => k.startsWith('memberWithoutDuty'))).toEqual([]);
  });

  it('fills the roles, keeps history on a change, and warns of a member with nothing in charge', async () => {
    const assign = (body: object) => c.adminT.post(unitUrl(u.T, '/assignments'), { fromDate: '2026-01-01', ...body });
    expect((await assign({ kind: 'principal', bodyName: '中共责任镇委员会' })).status).toBe(200);
    expect((await assign({ kind: 'first', personId: p.leaderT })).status).toBe(200);
    expect((await assign({ kind: 'direct', personId: p.deputyT })).status).toBe(200);
    const idle = await assign({ kind: 'dual', personId: p.clerkT });
    expect(idle.status).toBe(200);
    let view = (await c.clerkT.get(unitUrl(u.T))).body;
    expect(view.vacancies).toEqual([
      { kind: 'dualWithoutCharge', label: '班子成员未明确分管范围', personId: p.clerkT, detail: names.clerkT },
    ]);
    // the member gets a charge: a new row replaces the old one, which keeps its dates
    const charged = await c.adminT.post(unitUrl(u.T, '/assignments'), {
      kind: 'dual',
      personId: p.clerkT,
      areas: ['宣传思想'],
      chargeUnitIds: [u.V, u.D],
      contactPoints: ['责任村'],
      fromDate: '2026-02-01',
    });
    expect(charged.status).toBe(200);
    expect(charged.body.chargeUnits.map((x: { name: string }) => x.name)).toEqual(['责任村党支部', '镇宣传办']);
    view = (await c.clerkT.get(unitUrl(u.T))).body;
    expect(view.vacancies).toEqual([]);
    expect(view.assignments.map((a: { kind: string; displayName: string | null }) => [a.kind, a.displayName])).toEqual([
      ['principal', null],
      ['first', names.leaderT],
      ['direct', names.deputyT],
      ['dual', names.clerkT],
    ]);
    const old = await h.database.db.select().from(dutyAssignments).where(eq(dutyAssignments.id, idle.body.id));
    expect(old[0]!.toDate).toBe('2026-02-01');
    // a new 第一责任人 ends the previous one
    expect((await assign({ kind: 'first', personId: p.memberT, fromDate: '2026-05-01' })).status).toBe(200);
    const firstOn = async (date: string) =>
      (await c.clerkT.get(unitUrl(u.T, `?date=${date}`))).body.assignments.filter((a: { kind: string }) => a.kind === 'first');
    expect((await firstOn('2026-04-30')).map((a: { displayName: string }) => a.displayName)).toEqual([names.leaderT]);
    expect((await firstOn('2026-05-01')).map((a: { displayName: string }) => a.displayName)).toEqual([names.memberT]);
    // ending the 直接责任人 brings the warning back
    const direct = view.assignments.find((a: { kind: string }) => a.kind === 'direct');
    expect((await c.adminT.post(`/api/responsibility/assignments/${direct.id}/end`, {})).status).toBe(200);
    view = (await c.clerkT.get(unitUrl(u.T))).body;
    expect(view.vacancies.map((v: { kind: string }) => v.kind)).toEqual(['noDirect']);
    expect((await c.adminT.post(`/api/responsibility/assignments/${direct.id}/end`, {})).status).toBe(409);
    expect((await assign({ kind: 'direct', personId: p.deputyT, fromDate: undefined })).status).toBe(200);
  });

  it('refuses a charge outside the subtree and a person for 主体责任', async () => {
    const res = await c.adminT.post(unitUrl(u.T, '/assignments'), { kind: 'dual', personId: p.memberT, chargeUnitIds: [u.S] });
    expect(res.status).toBe(400);
    expect(res.body.fields.chargeUnitIds).toBeTruthy();
    const principal = await c.adminT.post(unitUrl(u.T, '/assignments'), { kind: 'principal', personId: p.memberT });
    expect(principal.body.fields.personId).toBeTruthy();
  });

  it('dutyVacancies lists the units of a subtree that have vacancies, within the actor reach', async () => {
    const asAdminT = await actorCtx(h, p.adminT);
    const list = await dutyVacancies(asAdminT, u.T);
    expect(list.map((x) => x.unitName).sort()).toEqual(['责任村党支部', '镇宣传办'].sort());
    const asAdminR = await actorCtx(h, p.adminR);
    const county = await dutyVacancies(asAdminR, u.R);
    expect(county.map((x) => x.unitId)).toContain(u.T2);
    expect(county.map((x) => x.unitId)).not.toContain(u.T);
    const asAdminS = await actorCtx(h, p.adminS);
    await expect(dutyVacancies(asAdminS, u.T)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('duty lists', () => {
  const deadline = new Date(Date.now() + 10 * 86_400_000).toISOString();
  const source = { type: 'test', id: 'x', label: '测试' };

  it('are generated from the assignments and the open tasks of the unit, the members in charge and the departments', async () => {
    const adminT = await actorCtx(h, p.adminT);
    const own = await createLinkedTask(adminT, { assignerUnitId: u.T, assigneeUnitId: u.T, title: '召开专题研究会', deadline, source });
    const village = await createLinkedTask(adminT, { assignerUnitId: u.T, assigneeUnitId: u.V, title: '村阵地自查', deadline, source });
    const dept = await createLinkedTask(adminT, { assignerUnitId: u.T, assigneeUnitId: u.D, title: '宣传办报送分析', deadline, source });
    await createAssignmentAsAdminT({ kind: 'first', personId: p.headD }, u.D);

    const principal = (await c.clerkT.get(unitUrl(u.T, '/duty-lists?kind=principal'))).body;
    expect(principal.title).toBe('责任镇党委党委主体责任清单');
    expect(principal.sheets).toHaveLength(1);
    const sheet = principal.sheets[0];
    expect(sheet.subject).toBe('中共责任镇委员会');
    expect(sheet.responsible).toContainEqual({ role: '第一责任人', name: names.memberT });
    expect(sheet.responsible).toContainEqual({ role: '一岗双责', name: names.clerkT });
    expect(sheet.items.map((i: { content: string }) => i.content).join()).toContain('纳入重要议事日程');
    expect(sheet.openTasks.map((t: { id: string }) => t.id)).toEqual([own.id]);
    // the rules that fall to a township (乡镇): the seeded ones of the meetings module, as requirement sentences
    const rules = sheet.rules.map((r: { requirement: string }) => r.requirement).join('\n');
    expect(rules).toContain('每半年召开党委(党组)会议专题研究意识形态工作');
    expect(rules).toContain('每月制定学习计划不少于1次');

    const dual = (await c.clerkT.get(unitUrl(u.T, '/duty-lists?kind=dual'))).body;
    const mine = dual.sheets.find((s: { subjectPersonId: string }) => s.subjectPersonId === p.clerkT);
    expect(mine.charge).toEqual(['分管领域：宣传思想', '分管部门和单位：责任村党支部、镇宣传办', '联系点：责任村']);
    expect(mine.openTasks.map((t: { id: string }) => t.id).sort()).toEqual([village.id, dept.id].sort());

    const departments = (await c.clerkT.get(unitUrl(u.T, '/duty-lists?kind=department'))).body;
    expect(departments.sheets.map((s: { subject: string }) => s.subject)).toEqual(['镇宣传办']);
    expect(departments.sheets[0].responsible).toEqual([
      { role: '部门负责人', name: names.headD },
      { role: '分管领导', name: names.clerkT },
    ]);
    expect(departments.sheets[0].openTasks.map((t: { id: string }) => t.id)).toEqual([dept.id]);

    // a task brought to 已办结 leaves the list
    const clerkV = await actorCtx(h, p.clerkV);
    await transitionTask(clerkV, village.id, 'start');
    await transitionTask(clerkV, village.id, 'submit', { progress: '已自查' });
    await transitionTask(adminT, village.id, 'confirm');
    const after = (await c.clerkT.get(unitUrl(u.T, '/duty-lists?kind=dual'))).body;
    const mineAfter = after.sheets.find((s: { subjectPersonId: string }) => s.subjectPersonId === p.clerkT);
    expect(mineAfter.openTasks.map((t: { id: string }) => t.id)).toEqual([dept.id]);

    const xlsx = await h.app.inject({ url: unitUrl(u.T, '/duty-lists/export?kind=principal'), headers: { cookie: c.clerkT.cookie } });
    expect(xlsx.statusCode).toBe(200);
    expect(String(xlsx.headers['content-type'])).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const rows = wb.worksheets[0]!.getSheetValues().flatMap((r) => (Array.isArray(r) ? [r.slice(1).map(String).join('|')] : []));
    expect(rows[0]).toBe('责任主体|项目|类别|内容');
    expect(rows).toContain(`中共责任镇委员会|责任人|第一责任人|${names.memberT}`);
    expect(rows.some((r) => r.startsWith('中共责任镇委员会|待办任务|责任镇党委|召开专题研究会'))).toBe(true);
  });

  it('take their standard items from the template, which the top unit admin edits', async () => {
    const items = (await c.clerkT.get('/api/duty-list-items?listKind=dual')).body as { id: string; content: string }[];
    expect(items.length).toBeGreaterThan(2);
    expect((await c.adminT.patch(`/api/duty-list-items/${items[0]!.id}`, { active: false })).status).toBe(403);
    expect((await c.adminR.patch(`/api/duty-list-items/${items[0]!.id}`, { active: false })).status).toBe(200);
    const added = await c.adminR.post('/api/duty-list-items', { listKind: 'dual', category: '其他', content: '新增的一岗双责条目' });
    expect(added.status).toBe(200);
    const dual = (await c.clerkT.get(unitUrl(u.T, '/duty-lists?kind=dual'))).body;
    const contents = dual.sheets[0].items.map((i: { content: string }) => i.content);
    expect(contents).toContain('新增的一岗双责条目');
    expect(contents).not.toContain(items[0]!.content);
    expect((await c.adminR.post('/api/duty-list-items', { listKind: 'dual', content: '' })).status).toBe(400);
  });
});

async function createAssignmentAsAdminT(body: object, unitId: string) {
  const res = await c.adminT.post(unitUrl(unitId, '/assignments'), { fromDate: '2026-01-01', ...body });
  expect(res.status).toBe(200);
  return res.body;
}
