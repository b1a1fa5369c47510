import type { SubmissionAction, SubmissionState } from '@dutyledger/contracts';
import { and, count, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorCtx, buildPerson, buildRoot, buildUnit, type Client, type Harness, login, startHarness } from '../../../test/harness.js';
import { samplePdf, upload } from '../../core/attachments/attachments.scope.js';
import { periodContaining, periodOf } from '../../core/periods.js';
import { auditEntries, notifications, units } from '../../core/schema.js';
import { reportSubmissions, reportWindowTargets } from './schema.js';
import { missingReportCountsByChild, missingReports, reportOnTimeRate, sendReportReminders } from './service.js';
import { transitions } from './submissions.js';
import { defaultSelfInspectionCloses } from './windows.js';

const DAY = 86_400_000;
let h: Harness;
const u = {} as Record<'R' | 'T' | 'T2' | 'V' | 'Bu' | 'S' | 'SV', string>;
const c = {} as Record<'adminR' | 'clerkR' | 'clerkT' | 'clerkT2' | 'clerkV' | 'clerkS' | 'adminS' | 'leaderT', Client>;
const ids = {} as Record<'adminR' | 'clerkT' | 'clerkT2', string>;
let halfYearTemplate: string;
const period = periodContaining('halfYear', new Date());

beforeAll(async () => {
  h = await startHarness();
  u.R = (await buildRoot(h, '报送县委')).id;
  u.T = (await buildUnit(h, u.R, '甲镇党委', '乡镇')).id;
  u.T2 = (await buildUnit(h, u.R, '丙镇党委', '乡镇')).id;
  u.V = (await buildUnit(h, u.T, '甲镇一村', '村')).id;
  u.Bu = (await buildUnit(h, u.R, '县教育局党组', '党组')).id;
  u.S = (await buildRoot(h, '另一县委')).id;
  u.SV = (await buildUnit(h, u.S, '另一县乙镇', '乡镇')).id;
  const mk = async (unitId: string, roles: ('unitAdmin' | 'leader' | 'clerk')[]) => {
    const p = await buildPerson(h, { unitId, roles });
    return { id: p.id, client: await login(h, p.username) };
  };
  const adminR = await mk(u.R, ['unitAdmin']);
  ids.adminR = adminR.id;
  c.adminR = adminR.client;
  const clerkT = await mk(u.T, ['clerk']);
  ids.clerkT = clerkT.id;
  c.clerkT = clerkT.client;
  const clerkT2 = await mk(u.T2, ['clerk']);
  ids.clerkT2 = clerkT2.id;
  c.clerkT2 = clerkT2.client;
  c.clerkR = (await mk(u.R, ['clerk'])).client;
  c.clerkV = (await mk(u.V, ['clerk'])).client;
  c.clerkS = (await mk(u.SV, ['clerk'])).client;
  c.adminS = (await mk(u.S, ['unitAdmin'])).client;
  c.leaderT = (await mk(u.T, ['leader'])).client;
  const templates = await c.clerkT.get('/api/report-templates');
  halfYearTemplate = templates.body.find((t: { family: string }) => t.family === 'halfYear').id;
});
afterAll(() => h.close());

const iso = (ms: number) => new Date(ms).toISOString();

/** A window of the county for its towns (乡镇 under R), closing `closesInDays` from now. */
async function openTownWindow(opts: { closesInDays?: number; opensDaysAgo?: number; templateId?: string; title?: string } = {}) {
  const res = await c.adminR.post('/api/report-windows', {
    unitId: u.R,
    kind: 'halfYear',
    title: opts.title ?? `半年报告${Math.random().toString(36).slice(2, 6)}`,
    periodKind: 'halfYear',
    periodYear: period.year,
    periodIndex: period.index,
    templateId: opts.templateId ?? halfYearTemplate,
    target: { kind: 'descendants', rootUnitId: u.R, unitType: '乡镇' },
    opensAt: iso(Date.now() - (opts.opensDaysAgo ?? 1) * DAY),
    closesAt: iso(Date.now() + (opts.closesInDays ?? 10) * DAY),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { id: string; targetCount: number };
}

async function startDraft(windowId: string, client = c.clerkT, unitId = u.T) {
  const res = await client.post(`/api/report-windows/${windowId}/submissions`, { unitId });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as {
    id: string;
    state: SubmissionState;
    sections: { key: string; text: string; links: { type: string; id: string }[] }[];
  };
}

/** A submission of T brought to `state` through the API. */
async function submissionIn(state: SubmissionState): Promise<string> {
  const w = await openTownWindow();
  const { id } = await startDraft(w.id);
  if (state === 'draft') return id;
  expect((await c.clerkT.post(`/api/report-submissions/${id}/submit`)).status).toBe(200);
  if (state === 'submitted') return id;
  if (state === 'returned') expect((await c.adminR.post(`/api/report-submissions/${id}/return`, { reason: '请补充' })).status).toBe(200);
  if (state === 'accepted') expect((await c.adminR.post(`/api/report-submissions/${id}/accept`)).status).toBe(200);
  return id;
}

const stateOf = async (id: string) => (await h.database.db.select().from(reportSubmissions).where(eq(reportSubmissions.id, id)))[0]!.state;
const auditCount = async () => ((await h.database.db.select({ n: count() }).from(auditEntries)) as [{ n: number }])[0].n;

describe('templates', () => {
  it('seeds the half-year report and the self-inspection report with its eight checkpoints', async () => {
    const res = await c.clerkT.get('/api/report-templates');
    expect(res.status).toBe(200);
    const self = res.body.find((t: { family: string }) => t.family === 'selfInspection');
    const titles = self.sections.map((s: { title: string }) => s.title).join('|');
    for (const checkpoint of ['主体责任', '组织领导', '贯彻决策部署', '分析研判', '阵地管理', '网络意识形态安全', '舆论宣传', '责任追究'])
      expect(titles).toContain(checkpoint);
    expect(res.body.map((t: { family: string }) => t.family).sort()).toEqual(['halfYear', 'selfInspection', 'special']);
    const sources = await c.clerkT.get('/api/report-prefill-sources');
    expect(sources.body.map((x: { key: string }) => x.key)).toEqual(expect.arrayContaining(['meetings', 'tasks']));
  });

  it('self-inspection windows close on 06-10 and 12-10 by default', async () => {
    const local = (d: Date) => d.toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai' });
    expect(local(defaultSelfInspectionCloses(periodOf('halfYear', 2026, 1)))).toBe('2026-06-10 23:59:59');
    expect(local(defaultSelfInspectionCloses(periodOf('halfYear', 2026, 2)))).toBe('2026-12-10 23:59:59');
    expect(local(defaultSelfInspectionCloses(periodOf('year', 2026, 1)))).toBe('2026-12-10 23:59:59');
    const res = await c.adminR.post('/api/report-windows', {
      unitId: u.R,
      kind: 'selfInspection',
      title: '2026年上半年意识形态工作自查',
      periodKind: 'halfYear',
      periodYear: 2026,
      periodIndex: 1,
      templateId: halfYearTemplate,
      target: { kind: 'units', unitIds: [u.T] },
      opensAt: '2026-05-01T00:00:00+08:00',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.closesAt).toBe(new Date('2026-06-10T23:59:59+08:00').toISOString());
  });

  it('an edit makes a new version; a window opened earlier keeps its version; a required attachment is enforced', async () => {
    const w = await openTownWindow();
    const edited = await c.adminR.put(`/api/report-templates/${halfYearTemplate}`, {
      name: '意识形态工作半年报告（修订）',
      sections: [
        { key: 'overview', title: '一、总体情况', prefill: ['meetings', 'tasks'] },
        { key: 'signed', title: '二、签发件', requiredAttachment: true },
      ],
    });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body).toMatchObject({ version: 2, current: true, family: 'halfYear' });
    expect((await c.clerkT.get(`/api/report-templates/${halfYearTemplate}`)).body.current).toBe(false);
    expect((await c.clerkT.get(`/api/report-windows/${w.id}`)).body.sections).toHaveLength(6);
    // a town admin may not edit the global templates; bad input is a 400 in Chinese
    expect(
      (await c.leaderT.put(`/api/report-templates/${edited.body.id}`, { name: 'x', sections: [{ key: 'a', title: 'b' }] })).status,
    ).toBe(403);
    const bad = await c.adminR.put(`/api/report-templates/${edited.body.id}`, { name: '', sections: [] });
    expect(bad.status).toBe(400);
    expect(bad.body.fields.name).toBe('请输入模板名称');

    const w2 = await openTownWindow({ templateId: edited.body.id });
    const draft = await startDraft(w2.id);
    expect(draft.sections.map((s) => s.key)).toEqual(['overview', 'signed']);
    const refused = await c.clerkT.post(`/api/report-submissions/${draft.id}/submit`);
    expect(refused.status).toBe(400);
    expect(refused.body.fields['sections.signed']).toContain('须上传附件');
    expect(await stateOf(draft.id)).toBe('draft');
    const att = await upload(c.clerkT, u.T, '签发件.pdf', samplePdf);
    expect(att.status, JSON.stringify(att.body)).toBe(200);
    const overview = await upload(c.clerkT, u.T, '工作概况.pdf', samplePdf);
    expect(overview.status, JSON.stringify(overview.body)).toBe(200);
    const saved = await c.clerkT.put(`/api/report-submissions/${draft.id}`, {
      sections: [
        { key: 'signed', text: '见附件', attachmentIds: [att.body.id] },
        { key: 'overview', text: '概况', attachmentIds: [overview.body.id] },
      ],
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    // each section lists its own attachments (read for all sections in one query)
    const names = (sec: { attachments: { name: string }[] }) => sec.attachments.map((a) => a.name);
    expect(saved.body.sections.map(names)).toEqual([['工作概况.pdf'], ['签发件.pdf']]);
    expect((await c.clerkT.get(`/api/report-submissions/${draft.id}`)).body.sections.map(names)).toEqual([
      ['工作概况.pdf'],
      ['签发件.pdf'],
    ]);
    expect((await c.clerkT.post(`/api/report-submissions/${draft.id}/submit`)).status).toBe(200);
  });
});

describe('windows', () => {
  it('resolves the targets when opened (subtree + unit type) and stores them; lists are scoped', async () => {
    const w = await openTownWindow({ title: '目标解析测试' });
    const targets = await h.database.db.select().from(reportWindowTargets).where(eq(reportWindowTargets.windowId, w.id));
    expect(targets.map((t) => t.unitId).sort()).toEqual([u.T, u.T2].sort());
    // a unit created later is not added to an opened window
    await buildUnit(h, u.R, '新设丁镇党委', '乡镇');
    expect((await c.clerkT.get(`/api/report-windows/${w.id}`)).body.targetCount).toBe(2);
    const mine = await c.clerkT.get('/api/report-windows?q=目标解析');
    expect(mine.body.total).toBe(1);
    expect(mine.body.items[0]).toMatchObject({ canManage: false, phase: 'open', phaseLabel: '填报中' });
    expect((await c.adminR.get('/api/report-windows?q=目标解析')).body.items[0].canManage).toBe(true);
    expect((await c.clerkV.get('/api/report-windows?q=目标解析')).body.total).toBe(0);
    expect((await c.clerkS.get('/api/report-windows?q=目标解析')).body.total).toBe(0);
    const exp = await c.clerkT.request('GET', '/api/report-windows/export?q=目标解析');
    expect(exp.status).toBe(200);
    expect(String(exp.headers['content-type'])).toContain('spreadsheetml');
  });

  it('refuses bad input with Chinese field messages and targets out of reach', async () => {
    const bad = await c.adminR.post('/api/report-windows', { unitId: u.R, kind: 'halfYear', title: '', periodKind: 'halfYear' });
    expect(bad.status).toBe(400);
    expect(bad.body.fields.title).toBe('请输入报送标题');
    const noClose = await c.adminR.post('/api/report-windows', {
      unitId: u.R,
      kind: 'halfYear',
      title: '无截止时间',
      periodKind: 'halfYear',
      periodYear: 2026,
      periodIndex: 1,
      templateId: halfYearTemplate,
      target: { kind: 'units', unitIds: [u.T] },
    });
    expect(noClose.status).toBe(400);
    expect(noClose.body.fields.closesAt).toBe('请选择截止时间');
    const other = await c.adminR.post('/api/report-windows', {
      unitId: u.R,
      kind: 'special',
      title: '越界',
      periodKind: 'year',
      periodYear: 2026,
      periodIndex: 1,
      templateId: halfYearTemplate,
      target: { kind: 'units', unitIds: [u.SV] },
      closesAt: iso(Date.now() + DAY),
    });
    expect(other.status).toBe(403);
  });
});

describe('submissions', () => {
  it('a unit outside the window targets cannot submit; nothing is written', async () => {
    const w = await openTownWindow();
    const before = await auditCount();
    // the village can see nothing of a window for towns; another county neither
    expect((await c.clerkV.post(`/api/report-windows/${w.id}/submissions`, { unitId: u.V })).status).toBe(404);
    expect((await c.clerkS.post(`/api/report-windows/${w.id}/submissions`, { unitId: u.SV })).status).toBe(404);
    // a town clerk can see the window but cannot file for a unit that is not a target (403), and another
    // town's report is not theirs to see (404)
    expect((await c.clerkT.post(`/api/report-windows/${w.id}/submissions`, { unitId: u.V })).status).toBe(403);
    expect((await c.clerkT.post(`/api/report-windows/${w.id}/submissions`, { unitId: u.T2 })).status).toBe(404);
    // the county itself is not a target
    expect((await c.adminR.post(`/api/report-windows/${w.id}/submissions`, { unitId: u.Bu })).status).toBe(403);
    expect(await auditCount()).toBe(before);
    const rows = await h.database.db.select().from(reportSubmissions).where(eq(reportSubmissions.windowId, w.id));
    expect(rows).toHaveLength(0);
  });

  it('walks draft → submitted → returned → (edit) → submitted → accepted, audited and notified', async () => {
    const w = await openTownWindow();
    const draft = await startDraft(w.id);
    expect(draft.state).toBe('draft');
    const saved = await c.clerkT.put(`/api/report-submissions/${draft.id}`, {
      sections: [{ key: 'overview', text: '上半年总体情况良好。' }],
    });
    expect(saved.status).toBe(200);
    expect(saved.body.sections[0].text).toBe('上半年总体情况良好。');
    const sub = await c.clerkT.post(`/api/report-submissions/${draft.id}/submit`);
    expect(sub.body).toMatchObject({ state: 'submitted', stateLabel: '已报送', late: false, lateDays: 0 });
    const ret = await c.adminR.post(`/api/report-submissions/${draft.id}/return`, { reason: '请补充阵地管理情况' });
    expect(ret.body).toMatchObject({ state: 'returned', stateLabel: '退回', returnReason: '请补充阵地管理情况' });
    // the county admin reaches the town too (subtree), but may no longer return or accept
    expect(ret.body.actions).not.toContain('accept');
    expect(ret.body.actions).not.toContain('return');
    expect((await c.clerkT.get(`/api/report-submissions/${draft.id}`)).body.actions).toEqual(['submit', 'edit']);
    const edited = await c.clerkT.put(`/api/report-submissions/${draft.id}`, {
      sections: [{ key: 'positions', text: '镇政府网站和公众号实行三审三校。' }],
    });
    expect(edited.body.state).toBe('returned');
    expect(edited.body.sections.find((s: { key: string }) => s.key === 'positions').text).toContain('三审三校');
    expect((await c.clerkT.post(`/api/report-submissions/${draft.id}/submit`)).body.state).toBe('submitted');
    const acc = await c.adminR.post(`/api/report-submissions/${draft.id}/accept`);
    expect(acc.body).toMatchObject({ state: 'accepted', stateLabel: '已采纳' });
    expect(acc.body.acceptedAt).toBeTruthy();
    const audit = await h.database.db.select({ action: auditEntries.action }).from(auditEntries).where(eq(auditEntries.entityId, draft.id));
    expect(audit.map((a) => a.action)).toEqual([
      'transition:notSubmitted->draft',
      'update',
      'transition:draft->submitted',
      'transition:submitted->returned',
      'update',
      'transition:returned->submitted',
      'transition:submitted->accepted',
    ]);
    const inbox = await h.database.db.select().from(notifications).where(eq(notifications.personId, ids.clerkT));
    expect(inbox.some((n) => n.body.includes('请补充阵地管理情况'))).toBe(true);
    expect(inbox.some((n) => n.title.startsWith('报送通知'))).toBe(true);
  });

  const bodyFor: Record<Exclude<SubmissionAction, 'create'>, unknown> = { submit: {}, return: { reason: '理由' }, accept: {} };
  const actorFor = (a: Exclude<SubmissionAction, 'create'>) => (transitions[a].side === 'filer' ? c.clerkT : c.adminR);
  for (const state of ['draft', 'submitted', 'returned', 'accepted'] as const) {
    for (const action of ['submit', 'return', 'accept'] as const) {
      const legal = transitions[action].from.includes(state);
      it(`${action} in ${state}: ${legal ? 'allowed' : '409, state unchanged'}`, async () => {
        const id = await submissionIn(state);
        const res = await actorFor(action).post(`/api/report-submissions/${id}/${action}`, bodyFor[action]);
        if (legal) {
          expect(res.status, JSON.stringify(res.body)).toBe(200);
          expect(res.body.state).toBe(transitions[action].to);
        } else {
          expect(res.status, JSON.stringify(res.body)).toBe(409);
          expect(res.body.code).toBe('ILLEGAL_TRANSITION');
          expect(await stateOf(id)).toBe(state);
        }
      });
    }
  }

  it('create when a submission exists is 409; edit after submission is 409', async () => {
    const id = await submissionIn('submitted');
    const [row] = await h.database.db.select().from(reportSubmissions).where(eq(reportSubmissions.id, id));
    const again = await c.clerkT.post(`/api/report-windows/${row!.windowId}/submissions`, { unitId: u.T });
    expect(again.status).toBe(409);
    const edit = await c.clerkT.put(`/api/report-submissions/${id}`, { sections: [{ key: 'overview', text: '改' }] });
    expect(edit.status).toBe(409);
    expect(await stateOf(id)).toBe('submitted');
    const acc = await submissionIn('accepted');
    expect((await c.clerkT.put(`/api/report-submissions/${acc}`, { sections: [] })).status).toBe(409);
  });

  it('a window that has not opened yet cannot be filled', async () => {
    const res = await c.adminR.post('/api/report-windows', {
      unitId: u.R,
      kind: 'special',
      title: '未开始的专题报告',
      periodKind: 'year',
      periodYear: period.year,
      periodIndex: 1,
      templateId: halfYearTemplate,
      target: { kind: 'units', unitIds: [u.T] },
      opensAt: iso(Date.now() + 2 * DAY),
      closesAt: iso(Date.now() + 9 * DAY),
    });
    expect(res.body.phase).toBe('upcoming');
    expect((await c.clerkT.post(`/api/report-windows/${res.body.id}/submissions`, { unitId: u.T })).status).toBe(409);
  });

  it('concurrent return and accept: one wins, the other gets 409', async () => {
    const id = await submissionIn('submitted');
    const [a, b] = await Promise.all([
      c.adminR.post(`/api/report-submissions/${id}/return`, { reason: '同时退回' }),
      c.adminR.post(`/api/report-submissions/${id}/accept`),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const winner = a.status === 200 ? 'returned' : 'accepted';
    expect(await stateOf(id)).toBe(winner);
  });

  it('concurrent starts of the same unit: one draft, the other 409', async () => {
    const w = await openTownWindow();
    const [a, b] = await Promise.all([
      c.clerkT.post(`/api/report-windows/${w.id}/submissions`, { unitId: u.T }),
      c.clerkT.post(`/api/report-windows/${w.id}/submissions`, { unitId: u.T }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const rows = await h.database.db.select().from(reportSubmissions).where(eq(reportSubmissions.windowId, w.id));
    expect(rows).toHaveLength(1);
  });

  it('a late submission is allowed and marked late, with how late', async () => {
    const w = await openTownWindow({ opensDaysAgo: 20, closesInDays: -2.5 });
    const draft = await startDraft(w.id, c.clerkT2, u.T2);
    expect((await c.clerkT2.get(`/api/report-submissions/${draft.id}`)).body).toMatchObject({ late: true, lateDays: 3 });
    const sub = await c.clerkT2.post(`/api/report-submissions/${draft.id}/submit`);
    expect(sub.status).toBe(200);
    expect(sub.body).toMatchObject({ state: 'submitted', late: true, lateDays: 3 });
    // returned and resubmitted: still measured by the first submission
    await c.adminR.post(`/api/report-submissions/${draft.id}/return`, { reason: '补充' });
    const again = await c.clerkT2.post(`/api/report-submissions/${draft.id}/submit`);
    expect(again.body.lateDays).toBe(3);
    const board = await c.adminR.get(`/api/report-windows/${w.id}/board`);
    expect(board.status).toBe(200);
    const n = board.body.summary.targets;
    expect(n).toBeGreaterThanOrEqual(2);
    // every target is late: T2 submitted late, the others have not submitted yet
    expect(board.body.summary).toMatchObject({ notSubmitted: n - 1, submitted: 1, late: n });
    // missing first, 3 days late so far
    expect(board.body.items[0]).toMatchObject({ state: 'notSubmitted', stateLabel: '未填报', late: true, lateDays: 3 });
    expect(board.body.items.at(-1)).toMatchObject({ unitId: u.T2, state: 'submitted', lateDays: 3 });
    expect(board.body).toMatchObject({ total: n, page: 1, pageSize: 20 });
    expect(board.body.items).toHaveLength(n);
    // filters and pages: the summary stays over every target, total and items follow the filter
    const boardOf = async (query: string) => {
      const res = await c.adminR.get(`/api/report-windows/${w.id}/board?${query}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.summary).toEqual(board.body.summary);
      return res.body as { items: { unitId: string; unitName: string }[]; total: number };
    };
    const ids = (b: { items: { unitId: string }[] }) => b.items.map((r) => r.unitId);
    expect(await boardOf('state=submitted')).toMatchObject({ total: 1, items: [{ unitId: u.T2 }] });
    expect((await boardOf('state=notSubmitted')).total).toBe(n - 1);
    expect((await boardOf('late=false')).total).toBe(0);
    const t2Name = board.body.items.at(-1).unitName as string;
    expect(ids(await boardOf(`q=${encodeURIComponent(t2Name)}`))).toEqual([u.T2]);
    const pages = [];
    for (let p = 1; p <= n; p++) pages.push(...ids(await boardOf(`page=${p}&pageSize=1`)));
    expect(pages).toEqual(ids(board.body));
    expect((await c.adminR.get(`/api/report-windows/${w.id}/board?state=bogus`)).status).toBe(400);
    const lateList = await c.clerkT2.get(`/api/report-submissions?windowId=${w.id}&late=true`);
    expect(lateList.body.items.map((r: { unitId: string }) => r.unitId)).toEqual([u.T2]);
  });
});

describe('prefill', () => {
  it("a new draft is pre-filled with the unit's meeting and tasks of the period, with links", async () => {
    const kinds = await c.clerkT.get('/api/meeting-kinds');
    const meeting = await c.clerkT.post('/api/meetings', {
      unitId: u.T,
      kindId: kinds.body[0].id,
      heldAt: iso(Date.now() - 60_000),
      topic: '专题研究意识形态工作',
      attendeeIds: [ids.clerkT],
    });
    expect(meeting.status, JSON.stringify(meeting.body)).toBe(200);
    const plan = await c.adminR.post('/api/plans', { unitId: u.R, year: period.year, title: '年度工作要点' });
    const item = await c.adminR.post(`/api/plans/${plan.body.id}/items`, { section: '一', title: '开展网络安全宣传' });
    const assign = async (title: string, deadline: string) =>
      (
        await c.adminR.post(`/api/plan-items/${item.body.id}/assign`, {
          target: { kind: 'units', unitIds: [u.T] },
          title,
          deadline,
        })
      ).body.tasks[0].id as string;
    const doneId = await assign('组织网络安全宣传周活动', iso(Date.now() + 5 * DAY));
    await c.clerkT.post(`/api/tasks/${doneId}/start`);
    await c.clerkT.post(`/api/tasks/${doneId}/submit`, { progress: '已完成' });
    expect((await c.adminR.post(`/api/tasks/${doneId}/confirm`)).status).toBe(200);
    const overdueId = await assign('报送阵地台账', iso(Math.max(period.start.getTime() + 60_000, Date.now() - 60_000)));

    const w = await openTownWindow();
    const draft = await startDraft(w.id);
    const meetings = draft.sections.find((s) => s.key === 'meetings')!;
    expect(meetings.text).toContain('专题研究意识形态工作');
    expect(meetings.text).toContain('系统根据本单位台账预填');
    expect(meetings.links).toContainEqual(expect.objectContaining({ type: 'meeting', id: meeting.body.id }));
    const tasks = draft.sections.find((s) => s.key === 'tasks')!;
    expect(tasks.text).toContain('组织网络安全宣传周活动');
    expect(tasks.text).toContain('逾期任务1项');
    expect(tasks.text).toContain('报送阵地台账');
    expect(tasks.links.map((l) => l.id).sort()).toEqual([doneId, overdueId].sort());
    // sections without sources stay empty for the clerk to write
    expect(draft.sections.find((s) => s.key === 'problems')!.text).toBe('');
    // another town's draft carries none of T's records
    const other = await startDraft(w.id, c.clerkT2, u.T2);
    expect(other.sections.find((s) => s.key === 'meetings')!.text).toContain('暂无会议和学习记录');
  });
});

describe('board, reminders and reads for the dashboard and assessment', () => {
  it('reminders go out 3 days and 1 day before and after the deadline, each once', async () => {
    const w = await openTownWindow({ closesInDays: 3, title: '提醒测试' });
    const { id } = await startDraft(w.id, c.clerkT2, u.T2);
    await c.clerkT2.post(`/api/report-submissions/${id}/submit`);
    const closes = Date.now() + 3 * DAY;
    const reminders = async () =>
      h.database.db
        .select()
        .from(notifications)
        .where(and(like(notifications.title, '报送提醒%提醒测试'), eq(notifications.personId, ids.clerkT)));
    const now = new Date();
    const first = await sendReportReminders(h.ctx, now);
    expect(first).toBeGreaterThanOrEqual(1);
    expect(await sendReportReminders(h.ctx, now)).toBe(0);
    expect((await reminders()).length).toBe(1);
    // T2 submitted: nobody of T2 is reminded
    const t2 = await h.database.db
      .select()
      .from(notifications)
      .where(and(like(notifications.title, '报送提醒%提醒测试'), eq(notifications.personId, ids.clerkT2)));
    expect(t2).toHaveLength(0);
    await sendReportReminders(h.ctx, new Date(closes - 1 * DAY + 60_000));
    await sendReportReminders(h.ctx, new Date(closes + 3_600_000));
    await sendReportReminders(h.ctx, new Date(closes + 3_600_000));
    const titles = (await reminders()).map((n) => n.title);
    expect(titles).toHaveLength(3);
    expect(titles.some((t) => t.includes('已逾期'))).toBe(true);
  });

  it('催报 tells the units that have not submitted, once a day', async () => {
    const w = await openTownWindow({ title: '催报测试' });
    const { id } = await startDraft(w.id, c.clerkT2, u.T2);
    await c.clerkT2.post(`/api/report-submissions/${id}/submit`);
    const first = await c.adminR.post(`/api/report-windows/${w.id}/remind`);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.notified).toBeGreaterThanOrEqual(1);
    expect((await c.adminR.post(`/api/report-windows/${w.id}/remind`)).body.notified).toBe(0);
    const urged = async (personId: string) =>
      h.database.db
        .select()
        .from(notifications)
        .where(and(eq(notifications.title, '催报：催报测试'), eq(notifications.personId, personId)));
    expect(await urged(ids.clerkT)).toHaveLength(1);
    expect(await urged(ids.clerkT2)).toHaveLength(0);
  });

  it('missingReports and reportOnTimeRate', async () => {
    const s = await h.database.db.select().from(reportSubmissions);
    expect(s.length).toBeGreaterThan(0);
    const ctx = await actorCtx(h, ids.adminR);
    const missing = await missingReports(ctx, u.R);
    expect(missing.length).toBeGreaterThan(0);
    expect(missing.every((m) => m.state !== 'submitted' && m.state !== 'accepted')).toBe(true);
    expect(missing.some((m) => m.unitId === u.T && m.lateDays > 0)).toBe(true);
    // counted per child of the county: each child's bucket holds the missing reports of its subtree
    const paths = new Map((await h.database.db.select({ id: units.id, path: units.path }).from(units)).map((x) => [x.id, x.path]));
    const rootPath = paths.get(u.R)!;
    const byChild = await missingReportCountsByChild(ctx, { path: rootPath, subtree: true });
    const expected = new Map<string, number>();
    for (const m of missing) {
      const bucket = paths.get(m.unitId)!.slice(rootPath.length, rootPath.length + 36);
      expected.set(bucket, (expected.get(bucket) ?? 0) + 1);
    }
    expect(byChild).toEqual(expected);
    expect(byChild.get(u.T)).toBeGreaterThan(0);
    // the town alone (no subtree): its own missing reports
    const own = await missingReportCountsByChild(ctx, { path: paths.get(u.T)!, subtree: false });
    expect(own.get('') ?? 0).toBe(missing.filter((m) => m.unitId === u.T).length);
    // a town clerk asking about the county: 404
    await expect(missingReports(await actorCtx(h, ids.clerkT), u.R)).rejects.toMatchObject({ code: 'NOT_FOUND' });

    // on-time rate of a fresh unit: three windows due in the period —
    // one submitted on time, one submitted late, one never: 1 on time / 3 due = 1/3
    const X = (await buildUnit(h, u.R, '戊镇党委', '乡镇')).id;
    const clerkX = await buildPerson(h, { unitId: X, roles: ['clerk'] });
    const cx = await login(h, clerkX.username);
    const mkWindow = async (closesAt: number) =>
      (
        await c.adminR.post('/api/report-windows', {
          unitId: u.R,
          kind: 'special',
          title: '及时率',
          periodKind: 'halfYear',
          periodYear: period.year,
          periodIndex: period.index,
          templateId: halfYearTemplate,
          target: { kind: 'units', unitIds: [X] },
          opensAt: iso(Math.max(period.start.getTime(), Date.now() - 30 * DAY)),
          closesAt: iso(closesAt),
        })
      ).body.id as string;
    const onTimeWindow = await mkWindow(Date.now() + 3_600_000);
    const lateWindow = await mkWindow(Date.now() - 3_600_000);
    await mkWindow(Date.now() - 7_200_000);
    for (const wid of [onTimeWindow, lateWindow]) {
      const d = await cx.post(`/api/report-windows/${wid}/submissions`, { unitId: X });
      await cx.post(`/api/report-submissions/${d.body.id}/submit`);
    }
    // the on-time window closes in an hour: not yet due. Measured two hours on, all three are due.
    const rateNow = await reportOnTimeRate(ctx, X, period);
    expect(rateNow).toMatchObject({ due: 2, onTime: 0, late: 1, missing: 1, rate: 0 });
    expect((await c.adminR.get(`/api/report-windows/${onTimeWindow}/board`)).body.items[0].late).toBe(false);
    await expect(reportOnTimeRate(await actorCtx(h, ids.clerkT), X, period)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('downloads all submissions of a window as one ZIP with a .docx each', async () => {
    const w = await openTownWindow({ title: '打包测试' });
    const { id } = await startDraft(w.id);
    await c.clerkT.put(`/api/report-submissions/${id}`, { sections: [{ key: 'overview', text: '打包正文' }] });
    await c.clerkT.post(`/api/report-submissions/${id}/submit`);
    await startDraft(w.id, c.clerkT2, u.T2); // a draft stays out of the ZIP
    const res = await h.app.inject({
      method: 'GET',
      url: `/api/report-windows/${w.id}/zip`,
      headers: { cookie: c.adminR.cookie },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    const bytes = res.rawPayload;
    expect(bytes.subarray(0, 2).toString()).toBe('PK');
    expect(bytes.includes(Buffer.from('报送情况.xlsx'))).toBe(true);
    expect(bytes.includes(Buffer.from('甲镇党委/甲镇党委-打包测试.docx'))).toBe(true);
    expect(bytes.includes(Buffer.from('丙镇党委-打包测试.docx'))).toBe(false);
    // the target unit cannot download the county's ZIP
    expect((await c.clerkT.get(`/api/report-windows/${w.id}/zip`)).status).toBe(403);
  });
});

describe('distribution key (region_id)', () => {
  it("targets and submissions carry their own unit's region (the county's child), and follow a move to another region", async () => {
    const w = await openTownWindow();
    const draft = await startDraft(w.id);
    const targets = await h.database.db.select().from(reportWindowTargets).where(eq(reportWindowTargets.windowId, w.id));
    expect(targets.length).toBe(w.targetCount);
    // a town is its own region; the county (the top unit) would be its own region too
    for (const t of targets) expect(t.regionId).toBe(t.unitId);
    const [sub] = await h.database.db.select().from(reportSubmissions).where(eq(reportSubmissions.id, draft.id));
    expect(sub!.regionId).toBe(u.T);

    // a village of T with a target and a submission of its own, then moved under T2: its rows follow it
    const village = (await buildUnit(h, u.T, `移动村${Math.random().toString(36).slice(2, 6)}`, '村')).id;
    const res = await c.adminR.post('/api/report-windows', {
      unitId: u.R,
      kind: 'special',
      title: `村级报告${Math.random().toString(36).slice(2, 6)}`,
      periodKind: 'halfYear',
      periodYear: period.year,
      periodIndex: period.index,
      templateId: halfYearTemplate,
      target: { kind: 'units', unitIds: [village] },
      opensAt: iso(Date.now() - DAY),
      closesAt: iso(Date.now() + 10 * DAY),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const clerk = await buildPerson(h, { unitId: village, roles: ['clerk'] });
    const villageSub = await startDraft(res.body.id, await login(h, clerk.username), village);
    const regionRows = async () =>
      [
        ...(await h.database.db
          .select({ r: reportWindowTargets.regionId })
          .from(reportWindowTargets)
          .where(eq(reportWindowTargets.unitId, village))),
        ...(await h.database.db
          .select({ r: reportSubmissions.regionId })
          .from(reportSubmissions)
          .where(eq(reportSubmissions.id, villageSub.id))),
      ].map((x) => x.r);
    expect(await regionRows()).toEqual([u.T, u.T]);
    expect((await c.adminR.post(`/api/units/${village}/move`, { parentId: u.T2 })).status).toBe(200);
    expect(await regionRows()).toEqual([u.T2, u.T2]);
    // the submission is still found and worked on by its id
    expect((await c.adminR.get(`/api/report-submissions/${villageSub.id}`)).status).toBe(200);
  });
});
