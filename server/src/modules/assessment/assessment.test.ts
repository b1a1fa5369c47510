import type { AssessmentCycleDetail, AssessmentFramework, AssessmentIndicator } from '@dutyledger/contracts';
import { and, eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorCtx, buildPerson, buildRoot, buildUnit, type Client, type Harness, login, startHarness } from '../../../test/harness.js';
import { periodOf } from '../../core/periods.js';
import { regionOf } from '../../db/distribution.js';
import { tasks } from '../duty/schema.js';
import { taskOnTimeRate } from '../duty/service.js';
import { opinionEvents } from '../opinion/schema.js';
import { eventsHandledWithin } from '../opinion/service.js';
import { assessmentCycles, assessmentCycleUnits, assessmentScores } from './schema.js';
import { articleScore, deductionScore, rateScore } from './scoring.js';
import { ensureAssessmentFramework, latestAssessmentOf } from './service.js';

let h: Harness;
const u = {} as Record<'R' | 'T' | 'S' | 'X', string>;
const c = {} as Record<'adminR' | 'assessorR' | 'clerkT' | 'clerkS' | 'adminX', Client>;
let fw: AssessmentFramework;
let clerkSId: string;
let clerkTId: string;
const YEAR = 2025;
const at = (iso: string) => new Date(`${iso}+08:00`);

beforeAll(async () => {
  h = await startHarness();
  u.R = (await buildRoot(h, '考核县委')).id;
  u.T = (await buildUnit(h, u.R, '甲镇党委', '乡镇')).id;
  u.S = (await buildUnit(h, u.R, '县文联', '其他')).id;
  u.X = (await buildRoot(h, '外县县委')).id;
  const mk = async (unitId: string, roles: ('unitAdmin' | 'clerk' | 'assessor')[]) => {
    const p = await buildPerson(h, { unitId, roles });
    return { id: p.id, client: await login(h, p.username) };
  };
  const adminR = await mk(u.R, ['unitAdmin']);
  c.adminR = adminR.client;
  c.assessorR = (await mk(u.R, ['assessor'])).client;
  c.clerkT = (await mk(u.T, ['clerk'])).client;
  const clerkS = await mk(u.S, ['clerk']);
  c.clerkS = clerkS.client;
  clerkSId = clerkS.id;
  clerkTId = (await buildPerson(h, { unitId: u.T, roles: ['clerk'] })).id;
  c.adminX = (await mk(u.X, ['unitAdmin'])).client;
  await ensureAssessmentFramework(await actorCtx(h, adminR.id));
  await ensureAssessmentFramework(await actorCtx(h, adminR.id)); // idempotent
  const fws = (await c.adminR.get('/api/assessment/frameworks')).body as AssessmentFramework[];
  expect(fws).toHaveLength(1);
  fw = fws[0]!;

  // T's records of 2025 (hand-built)
  for (const [level, title] of [
    ['province', '省报：甲镇宣讲'],
    ['county', '县台：甲镇志愿服务'],
    ['county', '县台：甲镇文明实践'],
  ] as const) {
    const r = await c.clerkT.post('/api/outputs', { unitId: u.T, kind: 'article', title, occurredOn: '2025-06-01', level, outlet: '媒体' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
  }
  await c.clerkT.post('/api/outputs', {
    unitId: u.T,
    kind: 'article',
    title: '上年稿件',
    occurredOn: '2024-12-30',
    level: 'central',
    outlet: '央媒',
  });
  const task = (title: string, deadline: string, state: string, doneAt: string | null) => ({
    regionId: regionOf(u.T),
    unitId: u.T,
    assignerUnitId: u.R,
    title,
    deadline: at(deadline),
    state,
    doneAt: doneAt ? at(doneAt) : null,
  });
  await h.database.db
    .insert(tasks)
    .values([
      task('按期一', '2025-03-31T17:00:00', 'done', '2025-03-30T10:00:00'),
      task('按期二', '2025-06-30T17:00:00', 'done', '2025-06-30T09:00:00'),
      task('逾期办结', '2025-09-30T17:00:00', 'done', '2025-10-08T09:00:00'),
      task('逾期未办', '2025-11-30T17:00:00', 'inProgress', null),
      task('次年任务', '2026-01-15T17:00:00', 'todo', null),
    ]);
  const ev = (title: string, seen: string, closed: string | null) => ({
    regionId: regionOf(u.T),
    unitId: u.T,
    title,
    firstSeenAt: at(seen),
    level: 'general',
    state: closed ? 'closed' : 'handling',
    closedAt: closed ? at(closed) : null,
  });
  await h.database.db
    .insert(opinionEvents)
    .values([
      ev('及时处置', '2025-04-01T09:00:00', '2025-04-02T18:00:00'),
      ev('处置超期', '2025-05-01T09:00:00', '2025-05-08T09:00:00'),
      ev('尚未办结', '2025-08-01T09:00:00', null),
      ev('上年事件', '2024-12-01T09:00:00', '2024-12-01T12:00:00'),
    ]);
});
afterAll(() => h.close());

const leaf = (pred: (i: AssessmentIndicator) => boolean) => fw.indicators.find((i) => i.method !== null && pred(i))!;
const bySource = (s: string) => leaf((i) => i.autoSource === s);
const scoreOf = (d: AssessmentCycleDetail, unitId: string, indicatorId: string) =>
  d.units.find((x) => x.unitId === unitId)!.scores.find((s) => s.indicatorId === indicatorId)!;

async function newCycle(client = c.adminR, body: Record<string, unknown> = {}): Promise<AssessmentCycleDetail> {
  const r = await client.post('/api/assessment/cycles', { name: `${YEAR}年度考核`, frameworkId: fw.id, unitId: u.R, year: YEAR, ...body });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
}

describe('framework', () => {
  it('totals add up: 100 points, each parent the sum of its children, at least half automatic', () => {
    const roots = fw.indicators.filter((i) => i.parentId === null);
    expect(roots.map((r) => r.name)).toEqual([
      '主体责任',
      '理论学习',
      '阵地管理',
      '网络意识形态',
      '舆论引导',
      '分析研判',
      '制度建设',
      '队伍建设',
    ]);
    expect(roots.reduce((s, i) => s + i.points, 0)).toBe(100);
    expect(fw.totalPoints).toBe(100);
    for (const p of fw.indicators.filter((i) => i.method === null)) {
      const kids = fw.indicators.filter((i) => i.parentId === p.id);
      expect(kids.length, p.name).toBeGreaterThan(0);
      expect(
        kids.reduce((s, k) => s + k.points, 0),
        p.name,
      ).toBe(p.points);
    }
    const leaves = fw.indicators.filter((i) => i.method !== null);
    expect(leaves.reduce((s, i) => s + i.points, 0)).toBe(100);
    const autoPoints = leaves.filter((i) => i.method === 'auto').reduce((s, i) => s + i.points, 0);
    expect(autoPoints).toBeGreaterThanOrEqual(50);
    expect(fw.indicators.some((i) => i.level === 3)).toBe(true);
  });
});

describe('scoring mappings', () => {
  it('rate × points, full points when nothing was due; articles capped; deduction within [0, points]', () => {
    expect(rateScore(10, 0.5)).toBe(5);
    expect(rateScore(8, null)).toBe(8);
    expect(rateScore(8, 1 / 3)).toBe(2.67);
    expect(articleScore(8, { central: 1, province: 1, city: 1, county: 2 })).toBe(8); // 4+2+1+1 = 8
    expect(articleScore(8, { central: 3, province: 0, city: 0, county: 0 })).toBe(8); // 12 capped at 8
    expect(deductionScore(6, 2, 0)).toBe(6);
    expect(deductionScore(6, 2, 2)).toBe(2);
    expect(deductionScore(6, 2, 10)).toBe(0);
  });
});

describe('cycle', () => {
  it('targets the subtree, optionally one unit type', async () => {
    const all = await newCycle();
    expect(all.units.map((x) => x.unitName).sort()).toEqual(['县文联', '甲镇党委'].sort());
    const towns = await newCycle(c.adminR, { unitType: '乡镇' });
    expect(towns.units.map((x) => x.unitId)).toEqual([u.T]);
    const none = await c.adminR.post('/api/assessment/cycles', {
      name: '空',
      frameworkId: fw.id,
      unitId: u.R,
      year: YEAR,
      unitType: '学校',
    });
    expect(none.status).toBe(400);
    expect(none.body.fields.unitType).toBeTypeOf('string');
    const bad = await c.adminR.post('/api/assessment/cycles', { name: '', frameworkId: fw.id, unitId: u.R, year: 1 });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.fields).sort()).toEqual(['name', 'year']);
  });

  it('computes each automatic indicator as computed by hand, with its evidence', async () => {
    const cy = await newCycle();
    const r = await c.assessorR.post(`/api/assessment/cycles/${cy.id}/compute`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const d = r.body as AssessmentCycleDetail;
    // tasks (10 points): T's 2025 tasks due = 4 (the 2026 one is not in the period), on time = 2 → 10 × 2/4 = 5
    const t = scoreOf(d, u.T, bySource('tasks').id);
    expect(t.score).toBe(5);
    expect(t.evidence?.figures).toMatchObject({ due: 4, onTime: 2 });
    // articles (8 points): 1 province × 2 + 2 county × 0.5 = 3 (the 2024 central article is outside 2025)
    const a = scoreOf(d, u.T, bySource('articles').id);
    expect(a.score).toBe(3);
    expect(a.evidence?.figures).toMatchObject({ province: 1, county: 2, central: 0 });
    // opinion (8 points, within 3 days): 3 events of 2025, 1 closed within 3 days → 8 × 1/3 = 2.67
    const o = scoreOf(d, u.T, bySource('opinion').id);
    expect(o.score).toBe(2.67);
    expect(o.evidence?.figures).toMatchObject({ total: 3, handled: 1 });
    // compliance (10 points): T is a 乡镇 with rules but no meetings in 2025 → done 0 → 10 × 0 = 0
    const cm = scoreOf(d, u.T, bySource('compliance').id);
    expect(cm.evidence?.figures.done).toBe(0);
    expect(cm.evidence?.figures.overdue).toBeGreaterThan(0);
    expect(cm.score).toBe(0);
    // reports and rectification (8 each): nothing was due → full points
    expect(scoreOf(d, u.T, bySource('reports').id).score).toBe(8);
    expect(scoreOf(d, u.T, bySource('rectify').id).score).toBe(8);
    // S (type 其他): no rule applies, no tasks, events or articles → every rate full, articles 0:
    // 10 + 10 + 8 + 8 + 8 + 0 = 44 automatic; deductions untouched (6 + 2 + 7 = 15) → 59
    expect(scoreOf(d, u.S, bySource('compliance').id).score).toBe(10);
    expect(scoreOf(d, u.S, bySource('articles').id).score).toBe(0);
    expect(d.units.find((x) => x.unitId === u.S)!.total).toBe(59);
    // T: 5 + 0 + 2.67 + 3 + 8 + 8 = 26.67 automatic + 15 deduction-indicator points = 41.67
    expect(d.units.find((x) => x.unitId === u.T)!.total).toBe(41.67);
    expect(d.units.map((x) => [x.unitName, x.rank])).toEqual([
      ['县文联', 1],
      ['甲镇党委', 2],
    ]);
  });

  it('manual scores stay within [0, points], deductions never below 0 nor above points', async () => {
    const cy = await newCycle();
    const manual = leaf((i) => i.method === 'manual' && i.points === 5);
    const ded = leaf((i) => i.method === 'deduction' && i.points === 6); // 2 per occurrence
    const url = (ind: string) => `/api/assessment/cycles/${cy.id}/units/${u.T}/indicators/${ind}/score`;
    expect((await c.assessorR.post(url(manual.id), { score: 6 })).status).toBe(400);
    expect((await c.assessorR.post(url(manual.id), { score: -1 })).status).toBe(400);
    expect((await c.assessorR.post(url(manual.id), {})).status).toBe(400);
    expect((await c.assessorR.post(url(bySource('tasks').id), { score: 1 })).status).toBe(400);
    let d = (await c.assessorR.post(url(manual.id), { score: 4.5, comment: '研究部署到位' })).body as AssessmentCycleDetail;
    expect(scoreOf(d, u.T, manual.id)).toMatchObject({ score: 4.5, comment: '研究部署到位' });
    d = (await c.assessorR.post(url(ded.id), { occurrences: 10 })).body; // 6 − 10 × 2 = −14 → 0
    expect(scoreOf(d, u.T, ded.id).score).toBe(0);
    d = (await c.assessorR.post(url(ded.id), { occurrences: 0 })).body; // 6 − 0 = 6, never above
    expect(scoreOf(d, u.T, ded.id).score).toBe(6);
    d = (await c.assessorR.post(url(ded.id), { occurrences: 1 })).body; // 6 − 2 = 4
    expect(scoreOf(d, u.T, ded.id).score).toBe(4);
    expect((await c.assessorR.post(url(ded.id), { occurrences: -1 })).status).toBe(400);
    // the unit admin of the organizing unit manages but does not score
    expect((await c.adminR.post(url(manual.id), { score: 1 })).status).toBe(403);
  });

  it('self-assessment by the unit itself; siblings refused; hidden scores until published; publish once', async () => {
    const cy = await newCycle();
    const manual = leaf((i) => i.method === 'manual');
    const selfUrl = (unitId: string) => `/api/assessment/cycles/${cy.id}/units/${unitId}/indicators/${manual.id}/self`;
    const r = await c.clerkT.post(selfUrl(u.T), { note: '全年专题研究4次', evidence: '党委会议纪要' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(scoreOf(r.body, u.T, manual.id).selfNote).toBe('全年专题研究4次');
    expect((await c.clerkS.post(selfUrl(u.T), { note: '代填' })).status).toBe(403);
    expect((await c.clerkT.post(selfUrl(u.T), { note: '' })).body.fields.note).toBeTypeOf('string');
    expect((await c.adminX.post(selfUrl(u.T), { note: '外县' })).status).toBe(404);
    await c.assessorR.post(`/api/assessment/cycles/${cy.id}/units/${u.T}/indicators/${manual.id}/score`, { score: 3, comment: '较好' });

    // before publishing, T sees its own row without the assessor's scores; S does not see T
    const seenByT = (await c.clerkT.get(`/api/assessment/cycles/${cy.id}`)).body as AssessmentCycleDetail;
    expect(seenByT.units.map((x) => x.unitId)).toEqual([u.T]);
    expect(scoreOf(seenByT, u.T, manual.id)).toMatchObject({ score: null, comment: null, selfNote: '全年专题研究4次' });
    const seenByS = (await c.clerkS.get(`/api/assessment/cycles/${cy.id}`)).body as AssessmentCycleDetail;
    expect(seenByS.units.map((x) => x.unitId)).toEqual([u.S]);
    expect((await c.adminX.get(`/api/assessment/cycles/${cy.id}`)).status).toBe(404);
    const listX = (await c.adminX.get('/api/assessment/cycles')).body;
    expect(listX.items.find((x: { id: string }) => x.id === cy.id)).toBeUndefined();
    const listS = (await c.clerkS.get('/api/assessment/cycles')).body;
    expect(listS.items.some((x: { id: string }) => x.id === cy.id)).toBe(true);

    // two publishes at once: one wins, the other 409
    const [p1, p2] = await Promise.all([
      c.adminR.post(`/api/assessment/cycles/${cy.id}/publish`),
      c.adminR.post(`/api/assessment/cycles/${cy.id}/publish`),
    ]);
    expect([p1.status, p2.status].sort()).toEqual([200, 409]);
    const [row] = await h.database.db.select().from(assessmentCycles).where(eq(assessmentCycles.id, cy.id));
    expect(row?.state).toBe('published');

    // after: no more scores, self-assessments or computing (409, nothing changed); T and S see all results
    const before = await h.database.db
      .select()
      .from(assessmentScores)
      .where(and(eq(assessmentScores.cycleId, cy.id), eq(assessmentScores.unitId, u.T), eq(assessmentScores.indicatorId, manual.id)));
    expect(
      (await c.assessorR.post(`/api/assessment/cycles/${cy.id}/units/${u.T}/indicators/${manual.id}/score`, { score: 5 })).status,
    ).toBe(409);
    expect((await c.clerkT.post(selfUrl(u.T), { note: '改' })).status).toBe(409);
    expect((await c.assessorR.post(`/api/assessment/cycles/${cy.id}/compute`)).status).toBe(409);
    const after = await h.database.db
      .select()
      .from(assessmentScores)
      .where(and(eq(assessmentScores.cycleId, cy.id), eq(assessmentScores.unitId, u.T), eq(assessmentScores.indicatorId, manual.id)));
    expect(after).toEqual(before);
    const pub = (await c.clerkS.get(`/api/assessment/cycles/${cy.id}`)).body as AssessmentCycleDetail;
    expect(pub.units).toHaveLength(2);
    expect(scoreOf(pub, u.T, manual.id)).toMatchObject({ score: 3, comment: '较好' });
    // the dashboard's figure (totals only, computed without the evidence) agrees with the cycle's own
    for (const x of pub.units) {
      const latest = await latestAssessmentOf(await actorCtx(h, clerkSId), x.unitId);
      expect(latest).toMatchObject({ cycleId: cy.id, total: x.total, rank: x.rank, of: 2 });
    }
  });

  it('exports units × indicators with totals and ranks', async () => {
    const cy = await newCycle();
    await c.assessorR.post(`/api/assessment/cycles/${cy.id}/compute`);
    const res = await h.app.inject({
      method: 'GET',
      url: `/api/assessment/cycles/${cy.id}/export`,
      headers: { cookie: c.assessorR.cookie },
    });
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(1).getCell(1).value).toBe('排名');
    expect(ws.getRow(2).getCell(2).value).toBe('县文联');
    expect(ws.rowCount).toBe(3);
  });
});

describe('reads of other modules for the automatic indicators', () => {
  it('answer for the unit itself and refuse a sibling with 404', async () => {
    const year = periodOf('year', YEAR);
    const asT = await actorCtx(h, clerkTId);
    expect(await taskOnTimeRate(asT, u.T, year)).toEqual({ due: 4, onTime: 2, rate: 0.5 });
    expect(await eventsHandledWithin(asT, u.T, year, 3)).toEqual({ total: 3, handled: 1, rate: 1 / 3 });
    // within 7 days: the event closed after exactly 7 days counts too → 2 of 3
    expect((await eventsHandledWithin(asT, u.T, year, 7)).handled).toBe(2);
    const asS = await actorCtx(h, clerkSId);
    await expect(taskOnTimeRate(asS, u.T, year)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(eventsHandledWithin(asS, u.T, year, 3)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('distribution key (region_id)', () => {
  it("target rows take their own unit's region, scores their target row's; a unit moved to another region carries them", async () => {
    const cy = await newCycle();
    expect((await c.assessorR.post(`/api/assessment/cycles/${cy.id}/compute`)).status).toBe(200);
    const targets = await h.database.db.select().from(assessmentCycleUnits).where(eq(assessmentCycleUnits.cycleId, cy.id));
    expect(targets.length).toBe(cy.targetCount);
    // a town is its own region (the county is the top unit)
    for (const t of targets) expect(t.regionId).toBe(t.unitId);
    const scores = await h.database.db.select().from(assessmentScores).where(eq(assessmentScores.cycleId, cy.id));
    expect(scores.length).toBeGreaterThan(0);
    for (const s of scores) expect(s.regionId).toBe(s.unitId);

    // a village of T assessed on its own, scored, then moved under S: its target row and scores follow it
    const village = (await buildUnit(h, u.T, `移动村${Math.random().toString(36).slice(2, 6)}`, '村')).id;
    const vc = await newCycle(c.adminR, { unitType: '村' });
    expect(vc.units.map((x) => x.unitId)).toEqual([village]);
    expect((await c.assessorR.post(`/api/assessment/cycles/${vc.id}/compute`)).status).toBe(200);
    const manual = leaf((i) => i.method === 'manual');
    const url = `/api/assessment/cycles/${vc.id}/units/${village}/indicators/${manual.id}/score`;
    expect((await c.assessorR.post(url, { score: 1 })).status).toBe(200);
    const regionRows = async () => [
      ...(await h.database.db
        .select({ r: assessmentCycleUnits.regionId })
        .from(assessmentCycleUnits)
        .where(eq(assessmentCycleUnits.unitId, village))),
      ...(await h.database.db.select({ r: assessmentScores.regionId }).from(assessmentScores).where(eq(assessmentScores.unitId, village))),
    ];
    const before = await regionRows();
    expect(before.length).toBeGreaterThan(2);
    for (const x of before) expect(x.r).toBe(u.T);
    expect((await c.adminR.post(`/api/units/${village}/move`, { parentId: u.S })).status).toBe(200);
    const after = await regionRows();
    expect(after.length).toBe(before.length);
    for (const x of after) expect(x.r).toBe(u.S);
    // scoring again updates the same cell (the unique index includes the region), computing again too
    const d = (await c.assessorR.post(url, { score: 2 })).body as AssessmentCycleDetail;
    expect(scoreOf(d, village, manual.id).score).toBe(2);
    expect((await c.assessorR.post(`/api/assessment/cycles/${vc.id}/compute`)).status).toBe(200);
    expect(await regionRows()).toHaveLength(before.length);
    const cell = await h.database.db
      .select()
      .from(assessmentScores)
      .where(and(eq(assessmentScores.cycleId, vc.id), eq(assessmentScores.unitId, village), eq(assessmentScores.indicatorId, manual.id)));
    expect(cell).toHaveLength(1);
  });
});
