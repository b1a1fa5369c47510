import { type AnalysisAction, type AnalysisState, analysisStates } from '@dutyledger/contracts';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson, buildRoot, buildUnit, type Client, type Harness, login, startHarness } from '../../../test/harness.js';
import { tasks } from '../duty/schema.js';
import { analysisTransitions } from './analysis.js';
import { analysisMeasures, analysisReports } from './schema.js';

const DAY = 86_400_000;
let h: Harness;
const u = {} as Record<'R' | 'T' | 'V' | 'S', string>;
const c = {} as Record<'clerkV' | 'adminT' | 'clerkT' | 'clerkS' | 'adminR', Client>;

beforeAll(async () => {
  h = await startHarness();
  u.R = (await buildRoot(h, '研判县委')).id;
  u.T = (await buildUnit(h, u.R, '甲镇党委', '乡镇')).id;
  u.V = (await buildUnit(h, u.T, '甲镇一村', '村')).id;
  u.S = (await buildUnit(h, u.T, '甲镇二村', '村')).id;
  const mk = async (unitId: string, roles: ('unitAdmin' | 'clerk')[]) => login(h, (await buildPerson(h, { unitId, roles })).username);
  c.clerkV = await mk(u.V, ['clerk']);
  c.adminT = await mk(u.T, ['unitAdmin']);
  c.clerkT = await mk(u.T, ['clerk']);
  c.clerkS = await mk(u.S, ['clerk']);
  c.adminR = await mk(u.R, ['unitAdmin']);
});
afterAll(() => h.close());

async function newReport(measures = ['加强村务公开栏管理', '开展网络安全宣传']) {
  const res = await c.clerkV.post('/api/analysis-reports', {
    unitId: u.V,
    periodKind: 'halfYear',
    year: 2026,
    index: 1,
    situation: '总体平稳，群众关注村道建设',
    risks: '个别网帖反映施工扰民',
    measures,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}
const stateOf = async (id: string) => (await h.database.db.select().from(analysisReports).where(eq(analysisReports.id, id)))[0]!.state;

async function reportIn(state: AnalysisState): Promise<string> {
  const { id } = await newReport();
  if (state === 'draft') return id;
  expect((await c.clerkV.post(`/api/analysis-reports/${id}/submit`)).status).toBe(200);
  if (state === 'read') expect((await c.adminT.post(`/api/analysis-reports/${id}/read`)).status).toBe(200);
  if (state === 'returned') expect((await c.adminT.post(`/api/analysis-reports/${id}/return`, { reason: '补充' })).status).toBe(200);
  return id;
}

describe('analysis reports', () => {
  it('creates a draft with the period label, title and one row per measure; parent does not see drafts', async () => {
    const r = await newReport();
    expect(r).toMatchObject({ state: 'draft', periodKey: '2026-H1', periodLabel: '2026年上半年', toUnitId: u.T });
    expect(r.title).toContain('2026年上半年');
    expect(r.measures.map((m: { text: string }) => m.text)).toEqual(['加强村务公开栏管理', '开展网络安全宣传']);
    expect((await c.adminT.get(`/api/analysis-reports/${r.id}`)).status).toBe(404);
    const bad = await c.clerkV.post('/api/analysis-reports', { unitId: u.V, periodKind: 'halfYear', year: 2026, index: 3 });
    expect(bad.status).toBe(400);
    expect(bad.body.fields.index).toBeTruthy();
  });

  it('every transition is legal only from its states (409 and unchanged otherwise)', async () => {
    const actorOf = (a: AnalysisAction) => (analysisTransitions[a].side === 'author' ? c.clerkV : c.adminT);
    const urlOf = (a: AnalysisAction) => (a === 'markRead' ? 'read' : a);
    for (const action of Object.keys(analysisTransitions) as AnalysisAction[]) {
      for (const from of analysisStates) {
        const id = await reportIn(from);
        const res = await actorOf(action).post(
          `/api/analysis-reports/${id}/${urlOf(action)}`,
          action === 'return' ? { reason: '请补充' } : {},
        );
        const t = analysisTransitions[action];
        if (t.from.includes(from)) {
          expect(res.status, `${action} from ${from}: ${JSON.stringify(res.body)}`).toBe(200);
          expect(res.body.state).toBe(t.to);
        } else {
          // the parent does not even see a draft (404); every other illegal move is a 409
          const expected = t.side === 'reviewer' && from === 'draft' ? 404 : 409;
          expect(res.status, `${action} from ${from}`).toBe(expected);
          expect(await stateOf(id)).toBe(from);
        }
      }
    }
  });

  it('edits only in 草稿 and 退回; submit needs 形势 and 风险隐患; a top unit cannot submit', async () => {
    const id = await reportIn('submitted');
    expect((await c.clerkV.patch(`/api/analysis-reports/${id}`, { situation: '改' })).status).toBe(409);
    const empty = await c.clerkV.post('/api/analysis-reports', { unitId: u.V, periodKind: 'quarter', year: 2026, index: 2 });
    const refused = await c.clerkV.post(`/api/analysis-reports/${empty.body.id}/submit`);
    expect(refused.status).toBe(400);
    expect(Object.keys(refused.body.fields).sort()).toEqual(['risks', 'situation']);
    expect(await stateOf(empty.body.id)).toBe('draft');
    const top = await c.adminR.post('/api/analysis-reports', {
      unitId: u.R,
      periodKind: 'quarter',
      year: 2026,
      index: 2,
      situation: 'a',
      risks: 'b',
    });
    expect(top.body.toUnitId).toBeNull();
    expect((await c.adminR.post(`/api/analysis-reports/${top.body.id}/submit`)).status).toBe(400);
  });

  it('the parent comments, a sibling never sees it, and the review inbox lists it', async () => {
    const id = await reportIn('submitted');
    const commented = await c.adminT.post(`/api/analysis-reports/${id}/comments`, { body: '风险分析较为到位' });
    expect(commented.status).toBe(200);
    expect(commented.body.comments[0]).toMatchObject({ unitId: u.T, body: '风险分析较为到位' });
    expect((await c.clerkS.get(`/api/analysis-reports/${id}`)).status).toBe(404);
    expect((await c.clerkT.get(`/api/analysis-reports/${id}`)).status).toBe(200);
    const inbox = await c.adminT.get('/api/analysis-reports?toMe=true&pageSize=200');
    expect(inbox.body.items.map((r: { id: string }) => r.id)).toContain(id);
    const siblingList = await c.clerkS.get('/api/analysis-reports?pageSize=200');
    expect(siblingList.body.items.map((r: { id: string }) => r.id)).not.toContain(id);
  });

  it('a measure becomes a task of the reporting unit, linked both ways, once', async () => {
    const id = await reportIn('submitted');
    const report = (await c.adminT.get(`/api/analysis-reports/${id}`)).body;
    const measure = report.measures[1];
    const deadline = new Date(Date.now() + 15 * DAY).toISOString();
    const res = await c.adminT.post(`/api/analysis-measures/${measure.id}/task`, { deadline });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const taskId = res.body.measures[1].taskId;
    expect(taskId).toBeTruthy();
    const [task] = await h.database.db.select().from(tasks).where(eq(tasks.id, taskId));
    expect(task).toMatchObject({
      unitId: u.V,
      assignerUnitId: u.T,
      title: '开展网络安全宣传',
      sourceType: 'opinion.analysisMeasure',
      sourceId: measure.id,
    });
    // the reporting unit sees the task through the duty module
    const seen = await c.clerkV.get(`/api/tasks/${taskId}`);
    expect(seen.status).toBe(200);
    expect(seen.body.source.label).toContain('分析研判措施');
    // twice → 409, nothing new
    const again = await c.adminT.post(`/api/analysis-measures/${measure.id}/task`, { deadline });
    expect(again.status).toBe(409);
    expect((await h.database.db.select().from(tasks).where(eq(tasks.sourceId, measure.id))).length).toBe(1);
    // concurrent: one task only
    const m0 = report.measures[0].id;
    const both = await Promise.all([
      c.adminT.post(`/api/analysis-measures/${m0}/task`, { deadline }),
      c.adminT.post(`/api/analysis-measures/${m0}/task`, { deadline }),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    expect((await h.database.db.select().from(tasks).where(eq(tasks.sourceId, m0))).length).toBe(1);
  });

  it('a draft measure cannot become a task; a returned report keeps measures already made tasks', async () => {
    const draft = await newReport(['草稿措施']);
    const deadline = new Date(Date.now() + 5 * DAY).toISOString();
    expect((await c.adminT.post(`/api/analysis-measures/${draft.measures[0].id}/task`, { deadline })).status).toBe(404);
    const id = await reportIn('submitted');
    const m = (await c.adminT.get(`/api/analysis-reports/${id}`)).body.measures[0];
    expect((await c.adminT.post(`/api/analysis-measures/${m.id}/task`, { deadline })).status).toBe(200);
    expect((await c.adminT.post(`/api/analysis-reports/${id}/return`, { reason: '措施不够具体' })).status).toBe(200);
    const edited = await c.clerkV.patch(`/api/analysis-reports/${id}`, { measures: ['细化后的措施'] });
    expect(edited.status).toBe(200);
    expect(edited.body.measures.map((x: { text: string }) => x.text)).toEqual(['加强村务公开栏管理', '细化后的措施']);
    // replaced measures are kept as inactive rows, never deleted
    const all = await h.database.db.select().from(analysisMeasures).where(eq(analysisMeasures.reportId, id));
    expect(all.length).toBe(3);
  });

  it("shows the unit's opinion events of the period as material (one entry, many uses)", async () => {
    const platformId = (await c.clerkV.get('/api/opinion-platforms')).body[0].id;
    const now = new Date();
    const ev = await c.clerkV.post('/api/opinion-events', {
      unitId: u.V,
      title: '本期舆情话题',
      sources: [{ platformId, url: '' }],
      firstSeenAt: now.toISOString(),
      level: 'general',
    });
    expect(ev.status).toBe(200);
    const shanghai = new Date(now.getTime() + 8 * 3_600_000);
    const r = await c.clerkV.post('/api/analysis-reports', {
      unitId: u.V,
      periodKind: 'quarter',
      year: shanghai.getUTCFullYear(),
      index: Math.floor(shanghai.getUTCMonth() / 3) + 1,
    });
    expect(r.body.periodEvents.map((e: { id: string }) => e.id)).toContain(ev.body.id);
    const older = await newReport();
    expect(older.periodEvents.map((e: { id: string }) => e.id)).not.toContain(ev.body.id);
  });
});
