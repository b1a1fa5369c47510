import type { RectifyItemAction, RectifyItemState } from '@dutyledger/contracts';
import { and, eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorCtx, buildPerson, buildRoot, buildUnit, type Client, type Harness, login, startHarness } from '../../../test/harness.js';
import { runJobNow } from '../../core/scheduler.js';
import { auditEntries, notifications } from '../../core/schema.js';
import { createDueRechecks, openRectificationItems, rectificationOnTimeRate, transitions } from './items.js';
import { inspections, rectifyFindings, rectifyItems, rectifyRechecks } from './schema.js';

const DAY = 86_400_000;
const inDays = (n: number) => new Date(Date.now() + n * DAY).toISOString();
let h: Harness;
const u = {} as Record<'R' | 'T' | 'V1' | 'V2' | 'S', string>;
const c = {} as Record<'adminT' | 'inspectorT' | 'clerkT' | 'clerkV1' | 'clerkV2' | 'clerkS' | 'inspectorS', Client>;
const ids = {} as Record<'inspectorT' | 'clerkV1' | 'adminT', string>;
let inspectionId: string;
let findingId: string;

beforeAll(async () => {
  h = await startHarness();
  u.R = (await buildRoot(h, '整改县委')).id;
  u.T = (await buildUnit(h, u.R, '甲镇党委', '乡镇')).id;
  u.V1 = (await buildUnit(h, u.T, '一村党支部', '村')).id;
  u.V2 = (await buildUnit(h, u.T, '二村党支部', '村')).id;
  u.S = (await buildUnit(h, u.R, '乙镇党委', '乡镇')).id;
  const mk = async (unitId: string, roles: ('unitAdmin' | 'inspector' | 'clerk')[]) => {
    const p = await buildPerson(h, { unitId, roles });
    return { id: p.id, client: await login(h, p.username) };
  };
  const adminT = await mk(u.T, ['unitAdmin']);
  const inspectorT = await mk(u.T, ['inspector']);
  const clerkV1 = await mk(u.V1, ['clerk']);
  Object.assign(ids, { adminT: adminT.id, inspectorT: inspectorT.id, clerkV1: clerkV1.id });
  Object.assign(c, { adminT: adminT.client, inspectorT: inspectorT.client, clerkV1: clerkV1.client });
  c.clerkT = (await mk(u.T, ['clerk'])).client;
  c.clerkV2 = (await mk(u.V2, ['clerk'])).client;
  c.clerkS = (await mk(u.S, ['clerk'])).client;
  c.inspectorS = (await mk(u.S, ['inspector'])).client;
  const insp = await c.inspectorT.post('/api/inspections', {
    kind: 'patrol',
    title: '2026年甲镇第一轮巡察',
    inspectingUnitId: u.T,
    inspectingBody: '镇党委巡察组',
    inspectedUnitId: u.T,
    startedOn: '2026-03-01',
    endedOn: '2026-04-15',
  });
  expect(insp.status, JSON.stringify(insp.body)).toBe(200);
  inspectionId = insp.body.id;
  const f = await c.inspectorT.post(`/api/inspections/${inspectionId}/findings`, { category: '学习教育', description: '理论学习不系统' });
  expect(f.status, JSON.stringify(f.body)).toBe(200);
  expect(f.body.seq).toBe(1);
  findingId = f.body.id;
});
afterAll(() => h.close());

async function newItem(unitId = u.V1, deadline = inDays(30), measure = '建立学习台账'): Promise<string> {
  const r = await c.adminT.post(`/api/rectify-findings/${findingId}/items`, { unitId, measure, deadline, requiredEvidence: '学习记录' });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.id;
}

/** An item of V1 brought to `state` through the API. */
async function itemIn(state: RectifyItemState, deadline?: string): Promise<string> {
  const id = await newItem(u.V1, deadline);
  if (state === 'open') return id;
  expect((await c.clerkV1.post(`/api/rectify-items/${id}/submit`, { progress: '已整改' })).status).toBe(200);
  if (state === 'submitted') return id;
  expect((await c.inspectorT.post(`/api/rectify-items/${id}/sign-off`, {})).status).toBe(200);
  return id;
}

const stateOf = async (id: string) => (await h.database.db.select().from(rectifyItems).where(eq(rectifyItems.id, id)))[0]!;

const request: Record<RectifyItemAction, { client: () => Client; path: string; body: unknown }> = {
  submit: { client: () => c.clerkV1, path: 'submit', body: { progress: '已整改完毕' } },
  signOff: { client: () => c.inspectorT, path: 'sign-off', body: {} },
  return: { client: () => c.inspectorT, path: 'return', body: { reason: '佐证不足' } },
  recheckPass: { client: () => c.inspectorT, path: 'recheck', body: { result: 'passed' } },
  reopen: { client: () => c.inspectorT, path: 'recheck', body: { result: 'reopened', note: '问题反弹' } },
};

describe('rectification item state machine', () => {
  const states: RectifyItemState[] = ['open', 'submitted', 'signedOff'];
  for (const action of Object.keys(transitions) as RectifyItemAction[]) {
    for (const from of states) {
      const t = transitions[action];
      const legal = t.from.includes(from);
      it(`${action} from ${from}: ${legal ? `→ ${t.to}` : '409, unchanged'}`, async () => {
        const id = await itemIn(from);
        const before = await stateOf(id);
        const r = request[action];
        const res = await r.client().post(`/api/rectify-items/${id}/${r.path}`, r.body);
        if (legal) {
          expect(res.status, JSON.stringify(res.body)).toBe(200);
          expect(res.body.state).toBe(t.to);
          const audit = await h.database.db
            .select()
            .from(auditEntries)
            .where(and(eq(auditEntries.entity, 'rectifyItem'), eq(auditEntries.entityId, id)));
          expect(audit.length).toBeGreaterThanOrEqual(2);
        } else {
          expect(res.status, JSON.stringify(res.body)).toBe(409);
          expect(res.body.code).toBe('ILLEGAL_TRANSITION');
          const after = await stateOf(id);
          expect(after.state).toBe(from);
          expect(after.version).toBe(before.version);
        }
      });
    }
  }

  it('sign-off sets the re-check six months later; return keeps the reason', async () => {
    const id = await itemIn('signedOff');
    const row = await stateOf(id);
    expect(row.recheckDueAt).not.toBeNull();
    const months = (row.recheckDueAt!.getTime() - row.signedOffAt!.getTime()) / DAY;
    expect(months).toBeGreaterThan(180);
    expect(months).toBeLessThan(186);
    const back = await itemIn('submitted');
    const res = await c.inspectorT.post(`/api/rectify-items/${back}/return`, { reason: '缺少会议记录' });
    expect(res.body.returnReason).toBe('缺少会议记录');
    expect(res.body.actions).toEqual([]);
    const again = await c.clerkV1.get(`/api/rectify-items/${back}`);
    expect(again.body.actions).toEqual(['submit']);
  });

  it('wrong side gets 403, nothing written; bad input 400 with Chinese fields', async () => {
    const id = await itemIn('submitted');
    expect((await c.clerkV1.post(`/api/rectify-items/${id}/sign-off`, {})).status).toBe(403);
    expect((await c.adminT.post(`/api/rectify-items/${id}/sign-off`, {})).status).toBe(403);
    expect((await c.clerkS.post(`/api/rectify-items/${id}/sign-off`, {})).status).toBe(404);
    expect((await c.inspectorS.post(`/api/rectify-items/${id}/sign-off`, {})).status).toBe(404);
    expect((await stateOf(id)).state).toBe('submitted');
    const bad = await c.inspectorT.post(`/api/rectify-items/${id}/return`, { reason: ' ' });
    expect(bad.status).toBe(400);
    expect(bad.body.fields.reason).toMatch(/退回理由/);
    const noReason = await c.inspectorT.post(`/api/rectify-items/${await itemIn('signedOff')}/recheck`, { result: 'reopened' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.fields.note).toMatch(/理由/);
    const outside = await c.adminT.post(`/api/rectify-findings/${findingId}/items`, { unitId: u.S, measure: 'x', deadline: inDays(3) });
    expect(outside.status).toBe(400);
    expect(outside.body.fields.unitId).toMatch(/责任单位/);
  });

  it('the inspecting side corrects an open item (new deadline), not a signed-off one', async () => {
    const late = await newItem(u.V1, inDays(-1), '延期的事项');
    expect((await c.clerkV1.get(`/api/rectify-items/${late}`)).body.overdue).toBe(true);
    const res = await c.adminT.patch(`/api/rectify-items/${late}`, { deadline: inDays(10) });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.overdue).toBe(false);
    expect((await c.clerkV1.patch(`/api/rectify-items/${late}`, { measure: 'x' })).status).toBe(403);
    const done = await itemIn('signedOff');
    const refused = await c.adminT.patch(`/api/rectify-items/${done}`, { deadline: inDays(10) });
    expect(refused.status).toBe(409);
    expect((await stateOf(done)).deadline.getTime()).toBeGreaterThan(Date.now() + 20 * DAY); // still the original 30 days
  });

  it('concurrent sign-off and return: one wins, the other 409', async () => {
    const id = await itemIn('submitted');
    const [a, b] = await Promise.all([
      c.inspectorT.post(`/api/rectify-items/${id}/sign-off`, {}),
      c.inspectorT.post(`/api/rectify-items/${id}/return`, { reason: '不合格' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const row = await stateOf(id);
    expect(row.state).toBe(a.status === 200 ? 'signedOff' : 'open');
    expect(row.version).toBe(3);
  });
});

describe('re-check (防反弹)', () => {
  it('the job makes a due re-check once, tells the inspectors; the result re-opens the item', async () => {
    const id = await itemIn('signedOff');
    // not yet due
    expect(await createDueRechecks(h.ctx)).toBe(0);
    const row = await stateOf(id);
    const later = new Date(row.recheckDueAt!.getTime() + DAY);
    expect(await createDueRechecks(h.ctx, later)).toBeGreaterThanOrEqual(1);
    expect(await createDueRechecks(h.ctx, later)).toBe(0);
    const pending = await h.database.db.select().from(rectifyRechecks).where(eq(rectifyRechecks.itemId, id));
    expect(pending.map((r) => r.state)).toEqual(['pending']);
    const told = await h.database.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.personId, ids.inspectorT), eq(notifications.link, `/rectify?tab=items&item=${id}`)));
    expect(told.some((n) => n.title.includes('到期复查'))).toBe(true);

    const res = await c.inspectorT.post(`/api/rectify-items/${id}/recheck`, { result: 'reopened', note: '台账又停更了' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.state).toBe('open');
    expect(res.body.reopenReason).toBe('台账又停更了');
    expect(res.body.recheckDueAt).toBeNull();
    const detail = await c.clerkV1.get(`/api/rectify-items/${id}`);
    expect(detail.body.rechecks).toHaveLength(1);
    expect(detail.body.rechecks[0].state).toBe('reopened');
    expect(detail.body.actions).toEqual(['submit']);
    // and the owner works it again through the same machine
    expect((await c.clerkV1.post(`/api/rectify-items/${id}/submit`, { progress: '恢复更新' })).status).toBe(200);
  });

  it('a passed re-check keeps the item signed off and ends the re-check', async () => {
    const id = await itemIn('signedOff');
    const res = await c.inspectorT.post(`/api/rectify-items/${id}/recheck`, { result: 'passed', note: '未反弹' });
    expect(res.body.state).toBe('signedOff');
    expect(res.body.recheckDueAt).toBeNull();
    expect(await createDueRechecks(h.ctx, new Date(Date.now() + 400 * DAY))).toBe(0);
  });

  it('is registered as a job', async () => {
    expect(await runJobNow('rectify.rechecks', h.ctx)).toBe(true);
  });
});

describe('lists, overdue, board and service functions', () => {
  let lateId: string;
  beforeAll(async () => {
    lateId = await newItem(u.V2, inDays(-3), '逾期的整改事项');
  });

  it('overdue is computed and filterable; scope limits the list', async () => {
    const mine = await c.clerkV2.get('/api/rectify-items?overdue=true');
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((i: { id: string }) => i.id)).toEqual([lateId]);
    expect(mine.body.items[0].overdue).toBe(true);
    // V1's clerk does not see V2's items; the sibling town sees none
    const v1 = await c.clerkV1.get('/api/rectify-items?pageSize=200');
    expect(v1.body.items.every((i: { unitId: string }) => i.unitId === u.V1)).toBe(true);
    expect((await c.clerkS.get('/api/rectify-items')).body.total).toBe(0);
    expect((await c.clerkS.get('/api/inspections')).body.total).toBe(0);
    // the inspecting town sees them all; filters by unit and state and text
    const all = await c.inspectorT.get(`/api/rectify-items?unitId=${u.V2}`);
    expect(all.body.items.map((i: { id: string }) => i.id)).toEqual([lateId]);
    const q = await c.inspectorT.get(`/api/rectify-items?q=${encodeURIComponent('逾期的')}`);
    expect(q.body.total).toBe(1);
    const signed = await c.inspectorT.get('/api/rectify-items?state=signedOff&pageSize=200');
    expect(signed.body.items.every((i: { state: string }) => i.state === 'signedOff')).toBe(true);
    const mineV2 = await c.clerkV2.get('/api/rectify-items?mine=true');
    expect(mineV2.body.total).toBe(1);
  });

  it('exports the filtered list to Excel', async () => {
    const res = await c.inspectorT.request('GET', `/api/rectify-items/export?unitId=${u.V2}`);
    expect(res.status).toBe(200);
    expect(String(res.headers['content-type'])).toContain('spreadsheetml');
    const raw = await h.app.inject({
      method: 'GET',
      url: `/api/rectify-items/export?unitId=${u.V2}`,
      headers: { cookie: c.inspectorT.cookie },
    });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(raw.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    expect(sheet.rowCount).toBe(2);
    expect(sheet.getRow(2).getCell(3).value).toBe('逾期的整改事项');
  });

  it('board counts per inspection and unit; inspection shows its counts', async () => {
    const board = await c.inspectorT.get('/api/rectify-board');
    expect(board.status).toBe(200);
    const v2 = board.body.units.find((x: { unitId: string }) => x.unitId === u.V2);
    expect(v2).toMatchObject({ total: 1, open: 1, overdue: 1 });
    expect(board.body.inspections[0].inspectionId).toBe(inspectionId);
    expect(board.body.totals.total).toBe(board.body.inspections[0].total);
    const insp = await c.clerkT.get(`/api/inspections/${inspectionId}`);
    expect(insp.body.overdueCount).toBe(1);
    expect(insp.body.findings[0].items.length).toBe(insp.body.itemCount);
    expect((await c.clerkS.get('/api/rectify-board')).body.totals.total).toBe(0);
  });

  it('openRectificationItems and rectificationOnTimeRate', async () => {
    const ctx = await actorCtx(h, ids.adminT);
    const open = await openRectificationItems(ctx, u.T);
    expect(open.find((r) => r.unitId === u.V2)).toMatchObject({ open: 1, overdue: 1 });
    expect(open.every((r) => r.open >= r.overdue)).toBe(true);
    const wide = { start: new Date(Date.now() - 30 * DAY), end: new Date(Date.now() + 60 * DAY) };
    const v2 = await rectificationOnTimeRate(ctx, u.V2, wide);
    expect(v2).toEqual({ due: 1, onTime: 0, rate: 0 });
    const v1 = await rectificationOnTimeRate(ctx, u.V1, wide);
    expect(v1.due).toBeGreaterThan(0);
    expect(v1.onTime).toBeGreaterThan(0);
    expect(v1.rate).toBe(v1.onTime / v1.due);
    const none = await rectificationOnTimeRate(ctx, u.S, wide);
    expect(none.rate).toBeNull();
  });
});

describe('distribution key (region_id)', () => {
  const regionsOf = async (inspection: string, item: string) => ({
    inspection: (await h.database.db.select().from(inspections).where(eq(inspections.id, inspection)))[0]!.regionId,
    findings: (await h.database.db.select().from(rectifyFindings).where(eq(rectifyFindings.inspectionId, inspection))).map(
      (f) => f.regionId,
    ),
    items: (await h.database.db.select().from(rectifyItems).where(eq(rectifyItems.inspectionId, inspection))).map((t) => t.regionId),
    rechecks: (await h.database.db.select().from(rectifyRechecks).where(eq(rectifyRechecks.itemId, item))).map((r) => r.regionId),
  });

  it("an inspection takes its inspected unit's region, its findings, items and re-checks the inspection's", async () => {
    // the inspection of T (a town of the county: its own region); its items of T's villages stay with it
    const id = await itemIn('signedOff');
    expect((await c.inspectorT.post(`/api/rectify-items/${id}/recheck`, { result: 'passed', note: '未反弹' })).status).toBe(200);
    const r = await regionsOf(inspectionId, id);
    expect(r.inspection).toBe(u.T);
    expect(r.findings.length).toBeGreaterThan(0);
    expect(r.items.length).toBeGreaterThan(0);
    expect(r.rechecks).toHaveLength(1);
    for (const x of [...r.findings, ...r.items, ...r.rechecks]) expect(x).toBe(u.T);

    // the top unit inspects itself: an item of a town (another region) stays in its inspection's region
    const adminR = await login(h, (await buildPerson(h, { unitId: u.R, roles: ['unitAdmin', 'inspector'] })).username);
    const insp = await adminR.post('/api/inspections', {
      kind: 'supervision',
      title: '县委自查',
      inspectingUnitId: u.R,
      inspectingBody: '县委督查室',
      inspectedUnitId: u.R,
      startedOn: '2026-05-01',
    });
    expect(insp.status, JSON.stringify(insp.body)).toBe(200);
    const f = await adminR.post(`/api/inspections/${insp.body.id}/findings`, { category: '责任落实', description: '专题研究不足' });
    expect(f.status, JSON.stringify(f.body)).toBe(200);
    const item = await adminR.post(`/api/rectify-findings/${f.body.id}/items`, {
      unitId: u.T,
      measure: '补开专题会议',
      deadline: inDays(10),
      requiredEvidence: '',
    });
    expect(item.status, JSON.stringify(item.body)).toBe(200);
    const top = await regionsOf(insp.body.id, item.body.id);
    expect([top.inspection, ...top.findings, ...top.items]).toEqual([u.R, u.R, u.R]);
    expect((await stateOf(item.body.id)).unitId).toBe(u.T);
  });

  it('an inspected unit moved to another region carries its inspection, findings, items and re-checks', async () => {
    const adminR = await login(h, (await buildPerson(h, { unitId: u.R, roles: ['unitAdmin'] })).username);
    const village = (await buildUnit(h, u.T, `移动村${Math.random().toString(36).slice(2, 6)}`, '村')).id;
    const clerk = await login(h, (await buildPerson(h, { unitId: village, roles: ['clerk'] })).username);
    const insp = await c.inspectorT.post('/api/inspections', {
      kind: 'patrol',
      title: '村级巡察',
      inspectingUnitId: u.T,
      inspectingBody: '镇党委巡察组',
      inspectedUnitId: village,
      startedOn: '2026-05-01',
    });
    expect(insp.status, JSON.stringify(insp.body)).toBe(200);
    const f = await c.inspectorT.post(`/api/inspections/${insp.body.id}/findings`, { category: '阵地管理', description: '宣传栏未更新' });
    expect(f.status, JSON.stringify(f.body)).toBe(200);
    const item = await c.adminT.post(`/api/rectify-findings/${f.body.id}/items`, {
      unitId: village,
      measure: '每月更新宣传栏',
      deadline: inDays(30),
      requiredEvidence: '',
    });
    expect(item.status, JSON.stringify(item.body)).toBe(200);
    const itemId = item.body.id as string;
    expect((await clerk.post(`/api/rectify-items/${itemId}/submit`, { progress: '已更新' })).status).toBe(200);
    expect((await c.inspectorT.post(`/api/rectify-items/${itemId}/sign-off`, {})).status).toBe(200);
    expect((await c.inspectorT.post(`/api/rectify-items/${itemId}/recheck`, { result: 'passed', note: '未反弹' })).status).toBe(200);
    const all = async () => {
      const r = await regionsOf(insp.body.id, itemId);
      return [r.inspection, ...r.findings, ...r.items, ...r.rechecks];
    };
    expect(await all()).toEqual([u.T, u.T, u.T, u.T]);

    expect((await adminR.post(`/api/units/${village}/move`, { parentId: u.S })).status).toBe(200);
    expect(await all()).toEqual([u.S, u.S, u.S, u.S]);
    // still found by id and worked on
    expect((await c.inspectorT.get(`/api/inspections/${insp.body.id}`)).status).toBe(200);
    const detail = await c.inspectorT.get(`/api/rectify-items/${itemId}`);
    expect(detail.status).toBe(200);
    expect(detail.body.rechecks).toHaveLength(1);
    expect((await c.inspectorT.post(`/api/rectify-items/${itemId}/recheck`, { result: 'reopened', note: '又停更了' })).status).toBe(200);
    const rechecks = await h.database.db.select().from(rectifyRechecks).where(eq(rectifyRechecks.itemId, itemId));
    expect(rechecks.map((r) => r.regionId)).toEqual([u.S, u.S]);
  });
});
