import type { ComplianceMatrix } from '@dutyledger/contracts';
import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorCtx, buildPerson, buildRoot, buildUnit, type Client, type Harness, login, startHarness } from '../../../test/harness.js';
import { samplePdf, upload } from '../../core/attachments/attachments.scope.js';
import type { Ctx } from '../../core/context.js';
import { auditEntries } from '../../core/schema.js';
import { complianceRules, studyPlans } from './compliance-schema.js';
import { complianceCalendar, complianceCountsByChild, complianceMatrix, complianceRate, rulesForUnit } from './service.js';

let h: Harness;
const u = {} as Record<'R' | 'T' | 'V' | 'S' | 'O' | 'X' | 'Y' | 'Z', string>;
const c = {} as Record<
  'adminR' | 'adminT' | 'clerkT' | 'leaderT' | 'clerkV' | 'clerkS' | 'clerkO' | 'clerkX' | 'clerkY' | 'clerkZ',
  Client
>;
const ctxOf = {} as Record<'adminR' | 'leaderT' | 'clerkT' | 'clerkX' | 'clerkY' | 'clerkZ' | 'clerkO', Ctx>;
let kinds: { id: string; name: string }[];
const kind = (name: string) => kinds.find((k) => k.name === name)!.id;
const SPECIAL = '党委(党组)会议专题研究意识形态工作';
const CENTRAL = '理论学习中心组学习';

beforeAll(async () => {
  h = await startHarness();
  u.R = (await buildRoot(h, '落实县委')).id;
  u.T = (await buildUnit(h, u.R, '甲镇党委', '乡镇')).id;
  u.V = (await buildUnit(h, u.T, '一村党支部', '村')).id;
  u.S = (await buildUnit(h, u.R, '乙镇党委', '乡镇')).id;
  u.O = (await buildUnit(h, u.R, '其他单位', '其他')).id;
  u.X = (await buildUnit(h, u.R, '边界测试镇党委', '乡镇')).id;
  u.Y = (await buildUnit(h, u.R, '到期测试镇党委', '乡镇')).id;
  u.Z = (await buildUnit(h, u.R, '补录测试镇党委', '乡镇')).id;
  const mk = async (key: keyof typeof c, unitId: string, roles: ('unitAdmin' | 'leader' | 'clerk')[]) => {
    const person = await buildPerson(h, { unitId, roles });
    c[key] = await login(h, person.username);
    if (key in { adminR: 1, leaderT: 1, clerkT: 1, clerkX: 1, clerkY: 1, clerkZ: 1, clerkO: 1 }) {
      ctxOf[key as keyof typeof ctxOf] = await actorCtx(h, person.id);
    }
  };
  await mk('adminR', u.R, ['unitAdmin']);
  await mk('adminT', u.T, ['unitAdmin']);
  await mk('clerkT', u.T, ['clerk']);
  await mk('leaderT', u.T, ['leader']);
  await mk('clerkV', u.V, ['clerk']);
  await mk('clerkS', u.S, ['clerk']);
  await mk('clerkO', u.O, ['clerk']);
  await mk('clerkX', u.X, ['clerk']);
  await mk('clerkY', u.Y, ['clerk']);
  await mk('clerkZ', u.Z, ['clerk']);
  kinds = (await c.clerkT.get('/api/meeting-kinds')).body;
});
afterAll(() => h.close());

const auditCount = async () => ((await h.database.db.select({ n: count() }).from(auditEntries)) as [{ n: number }])[0].n;

async function meeting(client: Client, unitId: string, kindName: string, heldAt: string, tags: string[] = []) {
  const res = await client.post('/api/meetings', { unitId, kindId: kind(kindName), heldAt, topic: `${kindName}（测试）`, tags });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.id as string;
}

async function ruleByCode(code: string) {
  const rules = (await c.clerkT.get('/api/compliance/rules')).body as { id: string; code: string | null }[];
  return rules.find((r) => r.code === code)!.id;
}

function cellOf<C extends { ruleId: string; unitId: string; periodKey: string }>(
  m: { cells: C[] },
  ruleId: string,
  unitId: string,
  key: string,
) {
  return m.cells.find((x) => x.ruleId === ruleId && x.unitId === unitId && x.periodKey === key);
}

describe('rules', () => {
  it('seeds the default rules of the seeds, once', async () => {
    const res = await c.clerkV.get('/api/compliance/rules');
    expect(res.status).toBe(200);
    expect(res.body.map((r: { code: string }) => r.code)).toEqual([
      'committeeIdeologyHalfYear',
      'centralGroupIdeologyYear',
      'studyPlanMonthly',
      'democraticLifeIdeologyYear',
    ]);
    const half = res.body[0];
    expect(half).toMatchObject({ period: 'halfYear', minCount: 1, source: 'meeting', kindNames: [SPECIAL], active: true });
    expect(half.unitTypes).toEqual(expect.arrayContaining(['党委', '党组', '乡镇']));
    expect(res.body[1]).toMatchObject({ tags: ['意识形态'], minCount: 2, period: 'year', kindNames: [CENTRAL] });
    await c.clerkT.get('/api/compliance/rules');
    const [{ n }] = (await h.database.db.select({ n: count() }).from(complianceRules)) as [{ n: number }];
    expect(n).toBe(4);
  });

  it('lists the rules that fall to a unit by its type', async () => {
    const village = (await rulesForUnit(ctxOf.clerkT, u.V).catch((e) => e)) as Error;
    expect(village).toBeInstanceOf(Error); // a clerk of the town does not reach the village (clerk is not subtree-wide)
    const forVillage = await rulesForUnit(ctxOf.leaderT, u.V);
    expect(forVillage.map((r) => r.code)).toEqual(['studyPlanMonthly']);
    const forTown = (await c.clerkT.get(`/api/compliance/rules?unitId=${u.T}`)).body;
    expect(forTown).toHaveLength(4);
    expect((await c.clerkS.get(`/api/compliance/rules?unitId=${u.T}`)).status).toBe(404);
  });

  it('is edited only by the top unit admin; a refused edit writes nothing; an edit is audited with before and after', async () => {
    const id = await ruleByCode('democraticLifeIdeologyYear');
    const before = await auditCount();
    const refused = await c.adminT.patch(`/api/compliance/rules/${id}`, { minCount: 3 });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toContain('顶级单位');
    expect(await auditCount()).toBe(before);
    const [row] = await h.database.db.select().from(complianceRules).where(eq(complianceRules.id, id));
    expect(row!.minCount).toBe(1);
    expect(
      (
        await c.adminT.post('/api/compliance/rules', {
          name: '下级自设制度',
          unitTypes: ['村'],
          source: 'studyPlan',
          minCount: 1,
          period: 'month',
        })
      ).status,
    ).toBe(403);

    const ok = await c.adminR.patch(`/api/compliance/rules/${id}`, { basis: '依据 [004] 修订' });
    expect(ok.status).toBe(200);
    expect(ok.body.basis).toBe('依据 [004] 修订');
    const audits = await h.database.db
      .select()
      .from(auditEntries)
      .where(and(eq(auditEntries.entityId, id), eq(auditEntries.action, 'update')));
    expect(audits).toHaveLength(1);
    expect((audits[0]!.before as { basis: string }).basis).toContain('[003][004]');
    expect((audits[0]!.after as { basis: string }).basis).toBe('依据 [004] 修订');
  });

  it('rejects incoherent rules with Chinese field messages', async () => {
    const noKinds = await c.adminR.post('/api/compliance/rules', {
      name: '缺会议类型',
      unitTypes: ['其他'],
      source: 'meeting',
      minCount: 1,
      period: 'year',
    });
    expect(noKinds.status).toBe(400);
    expect(noKinds.body.fields.kindIds).toBe('请选择计数的会议类型');
    const bad = await c.adminR.post('/api/compliance/rules', { name: '', unitTypes: [], source: 'x', minCount: 0, period: 'week' });
    expect(bad.status).toBe(400);
    expect(bad.body.fields).toMatchObject({ name: '请输入制度名称', unitTypes: '请选择适用的单位类型', minCount: '次数至少为1' });
    const dueTooLate = await c.adminR.post('/api/compliance/rules', {
      name: '月度期限过长',
      unitTypes: ['其他'],
      source: 'studyPlan',
      minCount: 1,
      period: 'month',
      dueDay: 40,
    });
    expect(dueTooLate.status).toBe(400);
    expect(dueTooLate.body.fields.dueDay).toContain('28');
    const [{ n }] = (await h.database.db.select({ n: count() }).from(complianceRules)) as [{ n: number }];
    expect(n).toBe(4);
  });
});

describe('rule edits keep the rule coherent', () => {
  it('switching a meeting rule to study plans without clearing kinds is a 400, and nothing changes', async () => {
    const id = await ruleByCode('committeeIdeologyHalfYear');
    const before = await auditCount();
    const res = await c.adminR.patch(`/api/compliance/rules/${id}`, { source: 'studyPlan' });
    expect(res.status).toBe(400);
    expect(res.body.fields.kindIds).toBe('学习计划类制度不按会议类型计数');
    expect(await auditCount()).toBe(before);
    const [row] = await h.database.db.select().from(complianceRules).where(eq(complianceRules.id, id));
    expect(row!.source).toBe('meeting');
  });
});

describe('study plans', () => {
  it('one per unit and month: created, listed, corrected with audit; a second one is 409', async () => {
    const created = await c.clerkT.post('/api/study-plans', { unitId: u.T, month: '2026-03', title: '3月学习计划', content: '学习内容' });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ month: '2026-03', unitName: '甲镇党委', backfilled: true });
    const again = await c.clerkT.post('/api/study-plans', { unitId: u.T, month: '2026-03', title: '重复计划' });
    expect(again.status).toBe(409);
    const patched = await c.clerkT.patch(`/api/study-plans/${created.body.id}`, { title: '3月学习计划（修订）' });
    expect(patched.body.title).toBe('3月学习计划（修订）');
    const audits = await h.database.db.select().from(auditEntries).where(eq(auditEntries.entityId, created.body.id));
    expect(audits.map((a) => a.action).sort()).toEqual(['create', 'update']);
    const list = await c.clerkT.get('/api/study-plans?year=2026');
    expect(list.body.items.map((p: { id: string }) => p.id)).toContain(created.body.id);
    expect((await c.clerkS.get('/api/study-plans?year=2026')).body.total).toBe(0);
    expect((await c.clerkS.get(`/api/study-plans/${created.body.id}`)).status).toBe(404);
    const exported = await c.clerkT.get('/api/study-plans/export?year=2026');
    expect(exported.status).toBe(200);
    expect(String(exported.headers['content-type'])).toContain('spreadsheetml');
  });

  it("links attachments on create and on correction; a sibling unit's file is refused and nothing is written", async () => {
    const file = await upload(c.clerkT, u.T, '学习计划.pdf', samplePdf);
    expect(file.status).toBe(200);
    const created = await c.clerkT.post('/api/study-plans', {
      unitId: u.T,
      month: '2026-04',
      title: '4月学习计划',
      attachmentIds: [file.body.id],
    });
    expect(created.status).toBe(200);
    expect(created.body.attachments.map((a: { id: string }) => a.id)).toEqual([file.body.id]);
    const other = await upload(c.clerkS, u.S, '别镇.pdf', samplePdf);
    const before = await auditCount();
    const refused = await c.clerkT.patch(`/api/study-plans/${created.body.id}`, { title: '改', attachmentIds: [other.body.id] });
    expect(refused.status).toBe(404);
    expect(await auditCount()).toBe(before);
    const again = await c.clerkT.get(`/api/study-plans/${created.body.id}`);
    expect(again.body.title).toBe('4月学习计划');
    expect(again.body.attachments).toHaveLength(1);
  });

  it('a plan for the current month is not back-filled', async () => {
    const now = new Date(Date.now() + 8 * 3600_000);
    const month = `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
    const res = await c.clerkS.post('/api/study-plans', { unitId: u.S, month, title: '本月学习计划' });
    expect(res.status).toBe(200);
    expect(res.body.backfilled).toBe(false);
  });

  it('two concurrent plans for the same month: one wins, the other gets 409', async () => {
    const body = { unitId: u.O, month: '2026-02', title: '并发学习计划' };
    const results = await Promise.all([c.clerkO.post('/api/study-plans', body), c.clerkO.post('/api/study-plans', body)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const rows = await h.database.db
      .select()
      .from(studyPlans)
      .where(and(eq(studyPlans.unitId, u.O), eq(studyPlans.month, '2026-02')));
    expect(rows).toHaveLength(1);
  });

  it('rejects bad input with Chinese messages', async () => {
    const res = await c.clerkT.post('/api/study-plans', { unitId: u.T, month: '2026-13', title: ' ' });
    expect(res.status).toBe(400);
    expect(res.body.fields.month).toContain('月份');
    expect(res.body.fields.title).toBe('请输入学习计划标题');
  });
});

describe('the compliance engine', () => {
  it('counts a meeting on 06-30 23:30 Shanghai time for the first half-year, 07-01 00:30 for the second', async () => {
    const h1 = await meeting(c.clerkX, u.X, SPECIAL, '2025-06-30T23:30:00+08:00');
    const rule = await ruleByCode('committeeIdeologyHalfYear');
    const cal = await complianceCalendar(ctxOf.clerkX, { unitId: u.X, year: 2025 });
    const first = cellOf(cal, rule, u.X, '2025-H1')!;
    expect(first.state).toBe('done');
    expect(first.records.map((r) => r.id)).toEqual([h1]);
    expect(cellOf(cal, rule, u.X, '2025-H2')!.state).toBe('overdue');

    await meeting(c.clerkX, u.X, SPECIAL, '2025-07-01T00:30:00+08:00');
    const again = await complianceCalendar(ctxOf.clerkX, { unitId: u.X, year: 2025 });
    expect(cellOf(again, rule, u.X, '2025-H1')!.count).toBe(1);
    expect(cellOf(again, rule, u.X, '2025-H2')!.state).toBe('done');
  });

  it('counts a meeting on 12-31 23:30 Shanghai time for that year; needs the tag and the minimum count', async () => {
    const rule = await ruleByCode('centralGroupIdeologyYear');
    await meeting(c.clerkX, u.X, CENTRAL, '2025-03-10T09:00:00+08:00', ['意识形态']);
    await meeting(c.clerkX, u.X, CENTRAL, '2025-05-10T09:00:00+08:00', ['经济']); // wrong tag: does not count
    await meeting(c.clerkX, u.X, SPECIAL, '2025-05-11T09:00:00+08:00', ['意识形态']); // wrong kind: does not count
    await meeting(c.clerkX, u.X, CENTRAL, '2026-01-01T00:10:00+08:00', ['意识形态']); // next year
    let cal = await complianceCalendar(ctxOf.clerkX, { unitId: u.X, year: 2025 });
    expect(cellOf(cal, rule, u.X, '2025')).toMatchObject({ state: 'overdue', count: 1, minCount: 2 });
    const last = await meeting(c.clerkX, u.X, CENTRAL, '2025-12-31T23:30:00+08:00', ['网络意识形态', '意识形态']);
    cal = await complianceCalendar(ctxOf.clerkX, { unitId: u.X, year: 2025 });
    const cell = cellOf(cal, rule, u.X, '2025')!;
    expect(cell).toMatchObject({ state: 'done', count: 2 });
    expect(cell.records.at(-1)!.id).toBe(last);
  });

  it('a rule with no matching records is notDue until its period ends, overdue from the first moment after', async () => {
    const rule = await ruleByCode('committeeIdeologyHalfYear');
    const lastMoment = new Date('2026-06-30T23:59:59.999+08:00');
    const end = new Date('2026-07-01T00:00:00+08:00');
    const before = await complianceCalendar(ctxOf.clerkY, { unitId: u.Y, year: 2026, now: lastMoment });
    expect(cellOf(before, rule, u.Y, '2026-H1')).toMatchObject({ state: 'notDue', count: 0, records: [] });
    expect(cellOf(before, rule, u.Y, '2026-H1')!.dueAt).toBe(end.toISOString());
    const after = await complianceCalendar(ctxOf.clerkY, { unitId: u.Y, year: 2026, now: end });
    expect(cellOf(after, rule, u.Y, '2026-H1')!.state).toBe('overdue');
    expect(cellOf(after, rule, u.Y, '2026-H2')!.state).toBe('notDue');
  });

  it('a due day makes the count due by the end of day N of the period', async () => {
    const res = await c.adminR.post('/api/compliance/rules', {
      name: '其他单位每月10日前制定学习计划',
      unitTypes: ['其他'],
      source: 'studyPlan',
      minCount: 1,
      period: 'month',
      dueDay: 10,
    });
    expect(res.status).toBe(200);
    const rule = res.body.id;
    const day10 = await complianceCalendar(ctxOf.clerkO, { unitId: u.O, year: 2026, now: new Date('2026-04-10T23:59:00+08:00') });
    expect(cellOf(day10, rule, u.O, '2026-04')).toMatchObject({
      state: 'notDue',
      dueAt: new Date('2026-04-11T00:00:00+08:00').toISOString(),
    });
    const day11 = await complianceCalendar(ctxOf.clerkO, { unitId: u.O, year: 2026, now: new Date('2026-04-11T00:00:00+08:00') });
    expect(cellOf(day11, rule, u.O, '2026-04')!.state).toBe('overdue');
    // the concurrent-test plan of 2026-02 satisfies February
    expect(cellOf(day11, rule, u.O, '2026-02')!.state).toBe('done');
    // a deactivated rule is not evaluated
    await c.adminR.patch(`/api/compliance/rules/${rule}`, { active: false });
    const off = await complianceCalendar(ctxOf.clerkO, { unitId: u.O, year: 2026 });
    expect(off.rules.map((r) => r.id)).not.toContain(rule);
    expect(off.cells.filter((x) => x.ruleId === rule)).toEqual([]);
  });

  it('back-filling a past period turns overdue into done, and the cell is flagged back-filled', async () => {
    const rule = await ruleByCode('committeeIdeologyHalfYear');
    const before = await complianceCalendar(ctxOf.clerkZ, { unitId: u.Z, year: 2025 });
    expect(cellOf(before, rule, u.Z, '2025-H1')!.state).toBe('overdue');
    const id = await meeting(c.clerkZ, u.Z, SPECIAL, '2025-04-15T15:00:00+08:00');
    const after = await complianceCalendar(ctxOf.clerkZ, { unitId: u.Z, year: 2025 });
    const cell = cellOf(after, rule, u.Z, '2025-H1')!;
    expect(cell).toMatchObject({ state: 'done', backfilled: true, count: 1 });
    expect(cell.records[0]).toMatchObject({ id, backfilled: true, source: 'meeting' });
    // a meeting recorded the day it was held is not back-filled
    const fresh = await meeting(c.clerkZ, u.Z, SPECIAL, new Date(Date.now() - 3600_000).toISOString());
    const now = await complianceMatrix(ctxOf.clerkZ, { rootUnitId: u.Z, year: new Date().getFullYear() });
    const current = now.cells.find((x) => x.ruleId === rule)!;
    expect(current.records.find((r) => r.id === fresh)!.backfilled).toBe(false);
  });

  it('flags back-filled records in SQL exactly as the meeting records do (30 vs 31 Shanghai days)', async () => {
    const rule = await ruleByCode('committeeIdeologyHalfYear');
    const ids = [
      await meeting(c.clerkZ, u.Z, SPECIAL, new Date(Date.now() - 30 * 86_400_000).toISOString()),
      await meeting(c.clerkZ, u.Z, SPECIAL, new Date(Date.now() - 31 * 86_400_000).toISOString()),
    ];
    const byApi = await Promise.all(ids.map(async (id) => (await c.clerkZ.get(`/api/meetings/${id}`)).body.backfilled as boolean));
    expect(byApi).toEqual([false, true]);
    const year = new Date().getFullYear(); // in January the meetings may fall in the year before
    const cals = [
      await complianceCalendar(ctxOf.clerkZ, { unitId: u.Z, year }),
      await complianceCalendar(ctxOf.clerkZ, { unitId: u.Z, year: year - 1 }),
    ];
    const records = cals.flatMap((cal) => cal.cells.filter((x) => x.ruleId === rule).flatMap((x) => x.records));
    expect(ids.map((id) => records.find((r) => r.id === id)?.backfilled)).toEqual(byApi);
  });

  it('the subtree matrix: units × applicable rules, in SQL scope; sibling refused', async () => {
    await c.clerkV.post('/api/study-plans', { unitId: u.V, month: '2025-12', title: '12月学习计划' });
    const res = await c.leaderT.get(`/api/compliance/matrix?rootUnitId=${u.T}&year=2025&month=12`);
    expect(res.status).toBe(200);
    expect(res.body.units.map((x: { id: string }) => x.id)).toEqual([u.T, u.V]);
    expect(res.body.month).toBe(12);
    const plan = await ruleByCode('studyPlanMonthly');
    const half = await ruleByCode('committeeIdeologyHalfYear');
    expect(cellOf(res.body as ComplianceMatrix, plan, u.V, '2025-12')).toMatchObject({ state: 'done', backfilled: true }); // entered in 2026
    expect(cellOf(res.body as ComplianceMatrix, plan, u.T, '2025-12')!.state).toBe('overdue');
    expect(cellOf(res.body as ComplianceMatrix, half, u.T, '2025-H2')!.state).toBe('overdue');
    expect(cellOf(res.body as ComplianceMatrix, half, u.V, '2025-H2')).toBeUndefined(); // does not apply to a village
    const s = res.body.summary;
    expect(s.done + s.overdue + s.notDue).toBe(res.body.cells.length);
    expect(s.rate).toBeCloseTo(s.done / (s.done + s.overdue));

    // a clerk's reach is the unit alone: the village is left out, in SQL
    const clerk = await c.clerkT.get(`/api/compliance/matrix?rootUnitId=${u.T}&year=2025&month=12`);
    expect(clerk.body.units.map((x: { id: string }) => x.id)).toEqual([u.T]);
    // the sibling's matrix and calendar are refused; the parent's too
    expect((await c.clerkS.get(`/api/compliance/matrix?rootUnitId=${u.T}&year=2025`)).status).toBe(403);
    expect((await c.clerkS.get(`/api/compliance/calendar?unitId=${u.T}&year=2025`)).status).toBe(403);
    expect((await c.leaderT.get(`/api/compliance/matrix?rootUnitId=${u.R}&year=2025`)).status).toBe(403);
    const bad = await c.leaderT.get(`/api/compliance/matrix?rootUnitId=${u.T}&year=20&month=13`);
    expect(bad.status).toBe(400);
    expect(bad.body.fields.month).toBe('月份不正确');
  });

  it('a deactivated unit leaves the matrix', async () => {
    const gone = (await buildUnit(h, u.R, '已撤销镇党委', '乡镇')).id;
    const listed = await complianceMatrix(ctxOf.adminR, { rootUnitId: u.R, year: 2025, month: 12 });
    expect(listed.units.map((x) => x.id)).toContain(gone);
    const off = await c.adminR.post(`/api/units/${gone}/deactivate`);
    expect(off.status).toBe(200);
    const after = await complianceMatrix(ctxOf.adminR, { rootUnitId: u.R, year: 2025, month: 12 });
    expect(after.units.map((x) => x.id)).not.toContain(gone);
    expect(after.cells.some((x) => x.unitId === gone)).toBe(false);
  });

  it('complianceRate over the county is done / (done + overdue)', async () => {
    const m = await complianceMatrix(ctxOf.adminR, { rootUnitId: u.R, year: 2025, month: 12 });
    const r = await complianceRate(ctxOf.adminR, u.R, { year: 2025, month: 12 });
    expect(r.done).toBe(m.cells.filter((x) => x.state === 'done').length);
    expect(r.overdue).toBe(m.cells.filter((x) => x.state === 'overdue').length);
    expect(r.notDue).toBe(0); // every period of December 2025 has ended
    expect(r.rate).toBe(r.done / (r.done + r.overdue));
    expect(m.units.length).toBeGreaterThanOrEqual(8);
  });

  it('complianceCountsByChild buckets the county by its children, adding up to complianceRate', async () => {
    const now = new Date('2025-12-15T12:00:00+08:00');
    const counts = await complianceCountsByChild(ctxOf.adminR, { path: `/${u.R}/`, subtree: true }, now);
    const rate = await complianceRate(ctxOf.adminR, u.R, { year: 2025, month: 12, now });
    const sum = [...counts.values()].reduce((a, b) => ({ done: a.done + b.done, overdue: a.overdue + b.overdue }), { done: 0, overdue: 0 });
    expect(sum).toEqual({ done: rate.done, overdue: rate.overdue });
    expect([...counts.keys()]).toEqual(expect.arrayContaining(['', u.T, u.X]));
    expect(counts.has(u.V)).toBe(false); // the village counts in its township's bucket
    const town = await complianceMatrix(ctxOf.adminR, { rootUnitId: u.T, year: 2025, month: 12, now });
    expect(counts.get(u.T)).toEqual({ done: town.summary.done, overdue: town.summary.overdue });
  });

  it('exports the matrix as Excel', async () => {
    const res = await c.leaderT.get(`/api/compliance/matrix/export?rootUnitId=${u.T}&year=2025&month=12`);
    expect(res.status).toBe(200);
    expect(String(res.headers['content-type'])).toContain('spreadsheetml');
  });
});
