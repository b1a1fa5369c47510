import { and, eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorCtx, buildPerson, buildRoot, buildUnit, type Client, type Harness, login, startHarness } from '../../../test/harness.js';
import { periodOf } from '../../core/periods.js';
import { auditEntries } from '../../core/schema.js';
import { outputCounts } from './outputs.js';
import { workOutputs } from './schema.js';

let h: Harness;
const u = {} as Record<'R' | 'T' | 'V1' | 'S', string>;
const c = {} as Record<'adminT' | 'clerkT' | 'clerkV1' | 'clerkS', Client>;
let adminTId: string;

beforeAll(async () => {
  h = await startHarness();
  u.R = (await buildRoot(h, '成果县委')).id;
  u.T = (await buildUnit(h, u.R, '甲镇党委', '乡镇')).id;
  u.V1 = (await buildUnit(h, u.T, '一村党支部', '村')).id;
  u.S = (await buildUnit(h, u.R, '乙镇党委', '乡镇')).id;
  const mk = async (unitId: string, roles: ('unitAdmin' | 'clerk')[]) => {
    const p = await buildPerson(h, { unitId, roles });
    return { id: p.id, client: await login(h, p.username) };
  };
  const adminT = await mk(u.T, ['unitAdmin']);
  adminTId = adminT.id;
  c.adminT = adminT.client;
  c.clerkT = (await mk(u.T, ['clerk'])).client;
  c.clerkV1 = (await mk(u.V1, ['clerk'])).client;
  c.clerkS = (await mk(u.S, ['clerk'])).client;
  const add = async (client: Client, body: Record<string, unknown>) => {
    const r = await client.post('/api/outputs', body);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body;
  };
  await add(c.clerkT, {
    unitId: u.T,
    kind: 'article',
    title: '甲镇新时代文明实践纪实',
    occurredOn: '2026-03-05',
    level: 'province',
    outlet: '省报',
    link: 'https://example.cn/a',
  });
  await add(c.clerkT, {
    unitId: u.T,
    kind: 'article',
    title: '甲镇宣讲进村',
    occurredOn: '2026-05-10',
    level: 'county',
    outlet: '县融媒体中心',
  });
  await add(c.clerkT, {
    unitId: u.T,
    kind: 'article',
    title: '=HYPERLINK("x")',
    occurredOn: '2025-12-20',
    level: 'central',
    outlet: '中央媒体',
  });
  await add(c.clerkT, { unitId: u.T, kind: 'volunteer', title: '敬老院志愿服务', occurredOn: '2026-04-12', participants: 12, hours: 36 });
  await add(c.clerkT, {
    unitId: u.T,
    kind: 'volunteer',
    title: '环境整治志愿服务',
    occurredOn: '2026-06-01',
    participants: 20,
    hours: 40.5,
  });
  await add(c.clerkT, {
    unitId: u.T,
    kind: 'award',
    title: '全市宣传思想工作先进集体',
    occurredOn: '2026-02-01',
    level: 'city',
    outlet: '市委宣传部',
  });
  await add(c.clerkT, {
    unitId: u.T,
    kind: 'training',
    title: '通讯员培训班',
    occurredOn: '2026-04-20',
    participants: 30,
    outlet: '县委宣传部',
  });
  await add(c.clerkV1, { unitId: u.V1, kind: 'modelFigure', title: '道德模范：李某某', occurredOn: '2026-03-15', level: 'county' });
  await add(c.clerkS, { unitId: u.S, kind: 'article', title: '乙镇稿件', occurredOn: '2026-03-05', level: 'city', outlet: '市报' });
});
afterAll(() => h.close());

const titles = (body: { items: { title: string }[] }) => body.items.map((i) => i.title).sort();

describe('outputs', () => {
  it('lists with kind, level, unit, date and text filters, in scope', async () => {
    const all = await c.adminT.get('/api/outputs?pageSize=200');
    expect(all.body.total).toBe(8); // T and its village, not the sibling town
    expect((await c.clerkV1.get('/api/outputs')).body.total).toBe(1);
    expect(titles((await c.adminT.get('/api/outputs?kind=article')).body)).toEqual(
      ['=HYPERLINK("x")', '甲镇宣讲进村', '甲镇新时代文明实践纪实'].sort(),
    );
    expect(titles((await c.adminT.get('/api/outputs?kind=article&level=province')).body)).toEqual(['甲镇新时代文明实践纪实']);
    expect((await c.adminT.get(`/api/outputs?unitId=${u.V1}`)).body.total).toBe(1);
    expect((await c.adminT.get('/api/outputs?from=2026-04-01&to=2026-04-30')).body.total).toBe(2);
    expect(titles((await c.adminT.get(`/api/outputs?q=${encodeURIComponent('志愿')}`)).body)).toEqual(
      ['敬老院志愿服务', '环境整治志愿服务'].sort(),
    );
    expect((await c.clerkS.get('/api/outputs')).body.total).toBe(1);
  });

  it('exports the filtered list, formulas escaped', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/outputs/export?kind=article', headers: { cookie: c.adminT.cookie } });
    expect(res.statusCode).toBe(200);
    expect(String(res.headers['content-type'])).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    expect(sheet.rowCount).toBe(4);
    const names = [2, 3, 4].map((i) => String(sheet.getRow(i).getCell(2).value));
    expect(names).toContain(`'=HYPERLINK("x")`);
    expect(names).not.toContain('乙镇稿件');
  });

  it('checks what each kind needs, with Chinese field messages', async () => {
    const a = await c.clerkT.post('/api/outputs', { unitId: u.T, kind: 'article', title: '无媒体', occurredOn: '2026-03-01' });
    expect(a.status).toBe(400);
    expect(a.body.fields).toMatchObject({ outlet: '请填写刊发媒体', level: '请选择媒体级别' });
    const v = await c.clerkT.post('/api/outputs', { unitId: u.T, kind: 'volunteer', title: '活动', occurredOn: '2026-03-01' });
    expect(v.body.fields).toMatchObject({ participants: '请填写参与人数', hours: '请填写服务时长' });
    const f = await c.clerkT.post('/api/outputs', { unitId: u.T, kind: 'award', title: '未来', occurredOn: '2099-01-01', link: 'ftp://x' });
    expect(f.status).toBe(400);
    expect(f.body.fields.link).toMatch(/http/);
    const g = await c.clerkT.post('/api/outputs', { unitId: u.T, kind: 'award', title: '未来', occurredOn: '2099-01-01' });
    expect(g.body.fields.occurredOn).toMatch(/今天/);
  });

  it('edits are audited with before and after, and keep the kind rules', async () => {
    const list = await c.clerkT.get('/api/outputs?kind=award');
    const id = list.body.items[0].id;
    const res = await c.clerkT.patch(`/api/outputs/${id}`, { title: '全市宣传思想工作先进集体（更正）' });
    expect(res.status).toBe(200);
    const audit = await h.database.db
      .select()
      .from(auditEntries)
      .where(and(eq(auditEntries.entity, 'workOutput'), eq(auditEntries.entityId, id), eq(auditEntries.action, 'update')));
    expect(audit).toHaveLength(1);
    const art = (await c.clerkT.get('/api/outputs?kind=article&level=county')).body.items[0].id;
    const bad = await c.clerkT.patch(`/api/outputs/${art}`, { outlet: '' });
    expect(bad.status).toBe(400);
    expect((await c.clerkV1.patch(`/api/outputs/${art}`, { title: 'x' })).status).toBe(404);
  });

  it('outputCounts: articles by level, volunteer totals, for the unit and period', async () => {
    const ctx = await actorCtx(h, adminTId);
    const year = await outputCounts(ctx, u.T, periodOf('year', 2026));
    expect(year.articles).toEqual({ central: 0, province: 1, city: 0, county: 1, total: 2 });
    expect(year.volunteer).toEqual({ activities: 2, participants: 32, hours: 76.5 });
    expect(year.awards).toBe(1);
    expect(year.trainings).toEqual({ sessions: 1, participants: 30 });
    expect(year.modelFigures).toBe(0); // the village's, not the town's
    const h1 = await outputCounts(ctx, u.T, periodOf('quarter', 2026, 2));
    expect(h1.articles.total).toBe(1);
    expect(h1.volunteer.activities).toBe(2);
    await expect(outputCounts(await actorCtx(h, adminTId), u.S, periodOf('year', 2026))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('distribution key (region_id)', () => {
  it("an output carries its unit's region, and a moved unit takes it along", async () => {
    const tag = Math.random().toString(36).slice(2, 6);
    const adminR = await login(h, (await buildPerson(h, { unitId: u.R, roles: ['unitAdmin'] })).username);
    const village = (await buildUnit(h, u.T, `迁移村${tag}`, '村')).id;
    const clerk = await login(h, (await buildPerson(h, { unitId: village, roles: ['clerk'] })).username);
    const out = await clerk.post('/api/outputs', {
      unitId: village,
      kind: 'volunteer',
      title: `志愿服务${tag}`,
      occurredOn: '2026-04-12',
      participants: 5,
      hours: 10,
    });
    expect(out.status, JSON.stringify(out.body)).toBe(200);
    const region = async () => (await h.database.db.select().from(workOutputs).where(eq(workOutputs.id, out.body.id)))[0]!.regionId;
    // the village is in its town's region
    expect(await region()).toBe(u.T);
    expect((await adminR.post(`/api/units/${village}/move`, { parentId: u.S })).status).toBe(200);
    expect(await region()).toBe(u.S);
    expect((await clerk.get(`/api/outputs/${out.body.id}`)).status).toBe(200);
  });
});
