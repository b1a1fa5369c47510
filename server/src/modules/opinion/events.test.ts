import { type OpinionAction, type OpinionState, opinionStates } from '@dutyledger/contracts';
import { eq, getTableColumns, getTableName, is, sql } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson, buildRoot, buildUnit, type Client, type Harness, login, startHarness } from '../../../test/harness.js';
import { notifications } from '../../core/schema.js';
import { opinionTransitions } from './events.js';
import * as opinionSchema from './schema.js';
import { opinionEvents } from './schema.js';

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();
let h: Harness;
const u = {} as Record<'R' | 'T' | 'V' | 'S', string>;
const c = {} as Record<'clerkV' | 'adminV' | 'clerkT' | 'adminT' | 'leaderR' | 'clerkS' | 'adminS', Client>;
let platformId: string;

beforeAll(async () => {
  h = await startHarness();
  u.R = (await buildRoot(h, '舆情县委')).id;
  u.T = (await buildUnit(h, u.R, '甲镇党委', '乡镇')).id;
  u.V = (await buildUnit(h, u.T, '甲镇一村', '村')).id;
  u.S = (await buildUnit(h, u.T, '甲镇二村', '村')).id;
  const mk = async (unitId: string, roles: ('unitAdmin' | 'leader' | 'clerk')[]) =>
    login(h, (await buildPerson(h, { unitId, roles })).username);
  c.clerkV = await mk(u.V, ['clerk']);
  c.adminV = await mk(u.V, ['unitAdmin']);
  c.clerkT = await mk(u.T, ['clerk']);
  c.adminT = await mk(u.T, ['unitAdmin']);
  c.leaderR = await mk(u.R, ['leader']);
  c.clerkS = await mk(u.S, ['clerk']);
  c.adminS = await mk(u.S, ['unitAdmin']);
  const platforms = await c.clerkV.get('/api/opinion-platforms');
  expect(platforms.body.map((p: { name: string }) => p.name)).toEqual(['微博', '微信', '抖音', '贴吧', '新闻网站', '线下', '其他']);
  platformId = platforms.body[0].id;
});
afterAll(() => h.close());

async function newEvent(extra: Record<string, unknown> = {}) {
  const res = await c.clerkV.post('/api/opinion-events', {
    unitId: u.V,
    title: '村道施工噪音引发网民关注',
    summary: '有网帖反映村道夜间施工噪音扰民',
    sources: [{ platformId, url: 'https://weibo.example.com/item/1' }],
    firstSeenAt: ago(2),
    level: 'general',
    ...extra,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { id: string; state: OpinionState };
}

const stateOf = async (id: string) => (await h.database.db.select().from(opinionEvents).where(eq(opinionEvents.id, id)))[0]!.state;

/** Brings a fresh event to `state` by the legal path. */
async function eventIn(state: OpinionState): Promise<string> {
  const { id } = await newEvent();
  const path: [OpinionAction, Record<string, unknown>][] = [
    ['assess', {}],
    ['handle', {}],
    ['respond', {}],
    ['close', { conclusion: '已办结' }],
  ];
  const order: OpinionState[] = ['found', 'assessing', 'handling', 'responded', 'closed'];
  for (const [action, body] of path.slice(0, order.indexOf(state))) {
    if (action === 'respond') {
      const r = await c.clerkV.post(`/api/opinion-events/${id}/responses`, {
        kind: 'statement',
        content: '发布情况说明',
        happenedAt: ago(0),
      });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    }
    const res = await c.clerkV.post(`/api/opinion-events/${id}/${action}`, body);
    expect(res.status, `${action}: ${JSON.stringify(res.body)}`).toBe(200);
  }
  expect(await stateOf(id)).toBe(state);
  return id;
}

describe('opinion event states', () => {
  const bodyOf = (a: OpinionAction) => (a === 'close' ? { conclusion: '问题已解决' } : {});

  it('every action is legal exactly from the states of the transitions table, and illegal (409, unchanged) from the others', async () => {
    for (const action of Object.keys(opinionTransitions) as OpinionAction[]) {
      for (const from of opinionStates) {
        const id = await eventIn(from);
        if (action === 'respond' && from === 'handling') {
          // respond needs a response first: without one it is refused
          const refused = await c.clerkV.post(`/api/opinion-events/${id}/respond`, {});
          expect(refused.status).toBe(409);
          await c.clerkV.post(`/api/opinion-events/${id}/responses`, { kind: 'concern', content: '回应关切', happenedAt: ago(0) });
        }
        const res = await c.clerkV.post(`/api/opinion-events/${id}/${action}`, bodyOf(action));
        const t = opinionTransitions[action];
        if (t.from.includes(from)) {
          expect(res.status, `${action} from ${from}: ${JSON.stringify(res.body)}`).toBe(200);
          expect(res.body.state).toBe(t.to);
          expect(res.body.entries.at(-1).kind).toBe('state');
        } else {
          expect(res.status, `${action} from ${from}`).toBe(409);
          expect(res.body.code).toBe('ILLEGAL_TRANSITION');
          expect(await stateOf(id)).toBe(from);
        }
      }
    }
  });

  it('close needs a conclusion (400), and a closed event takes no more notes or edits', async () => {
    const id = await eventIn('responded');
    const missing = await c.clerkV.post(`/api/opinion-events/${id}/close`, {});
    expect(missing.status).toBe(400);
    expect(missing.body.fields.conclusion).toBeTruthy();
    expect((await c.clerkV.post(`/api/opinion-events/${id}/close`, { conclusion: '结果已公布' })).status).toBe(200);
    expect((await c.clerkV.patch(`/api/opinion-events/${id}`, { title: '改' })).status).toBe(409);
    expect((await c.clerkV.post(`/api/opinion-events/${id}/entries`, { kind: 'note', body: '补充' })).status).toBe(409);
    expect((await c.clerkV.post(`/api/opinion-events/${id}/escalate`, { reason: '迟报' })).status).toBe(409);
  });

  it('responses only while 处置中 or 已回应', async () => {
    const id = await eventIn('assessing');
    const res = await c.clerkV.post(`/api/opinion-events/${id}/responses`, { kind: 'statement', content: '说明', happenedAt: ago(0) });
    expect(res.status).toBe(409);
  });

  it('concurrent conflicting actions: one wins, the other 409', async () => {
    for (let i = 0; i < 3; i++) {
      const id = await eventIn('assessing');
      const results = await Promise.all([
        c.clerkV.post(`/api/opinion-events/${id}/handle`, {}),
        c.adminV.post(`/api/opinion-events/${id}/close`, { conclusion: '无需处置' }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      const winner = results.find((r) => r.status === 200)!;
      expect(await stateOf(id)).toBe(winner.body.state);
    }
  });

  it('bad input is refused with Chinese field messages', async () => {
    const res = await c.clerkV.post('/api/opinion-events', { unitId: u.V, title: '', sources: [], firstSeenAt: 'x', level: 'huge' });
    expect(res.status).toBe(400);
    expect(Object.values(res.body.fields).join('')).toMatch(/[\u4e00-\u9fa5]/);
    const future = await c.clerkV.post('/api/opinion-events', {
      unitId: u.V,
      title: '未来事件',
      sources: [{ platformId, url: '' }],
      firstSeenAt: new Date(Date.now() + 5 * DAY).toISOString(),
      level: 'general',
    });
    expect(future.status).toBe(400);
    const badUrl = await c.clerkV.post('/api/opinion-events', {
      unitId: u.V,
      title: '链接',
      sources: [{ platformId, url: 'javascript:alert(1)' }],
      firstSeenAt: ago(0),
      level: 'general',
    });
    expect(badUrl.status).toBe(400);
  });
});

describe('escalation visibility', () => {
  it('the parent sees the event after escalation, not before; a sibling never', async () => {
    const { id } = await newEvent({ title: '上报可见性测试', level: 'serious' });
    for (const client of [c.clerkT, c.adminT, c.leaderR, c.clerkS, c.adminS]) {
      expect((await client.get(`/api/opinion-events/${id}`)).status).toBe(404);
      const list = await client.get('/api/opinion-events?pageSize=200');
      expect(list.body.items.map((e: { id: string }) => e.id)).not.toContain(id);
    }
    // the parent cannot comment before escalation either
    expect((await c.adminT.post(`/api/opinion-events/${id}/entries`, { kind: 'comment', body: '意见' })).status).toBe(404);

    const esc = await c.clerkV.post(`/api/opinion-events/${id}/escalate`, { reason: '涉及镇级道路工程' });
    expect(esc.status, JSON.stringify(esc.body)).toBe(200);
    expect(esc.body.escalatedToUnitId).toBe(u.T);
    expect(esc.body.entries.at(-1).kind).toBe('escalation');
    expect((await c.clerkV.post(`/api/opinion-events/${id}/escalate`, { reason: '再次' })).status).toBe(409);
    // two clerks escalating at once: one wins, the other 409, one timeline entry
    const { id: twice } = await newEvent({ title: '同时上报' });
    const both = await Promise.all([
      c.clerkV.post(`/api/opinion-events/${twice}/escalate`, { reason: '甲' }),
      c.adminV.post(`/api/opinion-events/${twice}/escalate`, { reason: '乙' }),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    const after = await c.clerkV.get(`/api/opinion-events/${twice}`);
    expect(after.body.entries.filter((x: { kind: string }) => x.kind === 'escalation')).toHaveLength(1);

    for (const client of [c.clerkT, c.adminT, c.leaderR]) {
      const got = await client.get(`/api/opinion-events/${id}`);
      expect(got.status).toBe(200);
      expect(got.body.can).toEqual({ act: false, comment: true });
      const list = await client.get('/api/opinion-events?pageSize=200');
      expect(list.body.items.map((e: { id: string }) => e.id)).toContain(id);
    }
    for (const client of [c.clerkS, c.adminS]) {
      expect((await client.get(`/api/opinion-events/${id}`)).status).toBe(404);
      const list = await client.get('/api/opinion-events?pageSize=200');
      expect(list.body.items.map((e: { id: string }) => e.id)).not.toContain(id);
      const board = await client.get('/api/opinion-events/board');
      expect(board.body.events.map((e: { id: string }) => e.id)).not.toContain(id);
    }

    // the parent comments; it cannot act on the event
    const comment = await c.adminT.post(`/api/opinion-events/${id}/entries`, { kind: 'comment', body: '请尽快发布情况说明' });
    expect(comment.status, JSON.stringify(comment.body)).toBe(200);
    expect(comment.body.entries.at(-1)).toMatchObject({ kind: 'comment', unitId: u.T, body: '请尽快发布情况说明' });
    expect((await c.adminT.post(`/api/opinion-events/${id}/assess`, {})).status).toBe(403);
    // the own unit writes notes, not comments
    expect((await c.clerkV.post(`/api/opinion-events/${id}/entries`, { kind: 'comment', body: '自评' })).status).toBe(403);
    // the parent's people were told
    const told = await h.database.db
      .select()
      .from(notifications)
      .where(eq(notifications.link, `/opinion/events/${id}`));
    expect(told.length).toBeGreaterThan(0);
  });

  it('the board groups the open events of the subtree by level and age', async () => {
    const { id } = await newEvent({ title: '看板事件', level: 'critical', firstSeenAt: ago(10) });
    await c.clerkV.post(`/api/opinion-events/${id}/escalate`, { reason: '特别重大' });
    const board = await c.adminT.get('/api/opinion-events/board');
    expect(board.status).toBe(200);
    expect(board.body.events[0].id).toBe(id);
    expect(board.body.cells).toContainEqual({ level: 'critical', age: 'older', count: 1 });
    expect(board.body.total).toBe(board.body.cells.reduce((s: number, x: { count: number }) => s + x.count, 0));
    const own = await c.clerkV.get('/api/opinion-events/board');
    expect(own.body.events.map((e: { id: string }) => e.id)).toContain(id);
  });

  it('the Excel export holds the readable events only (and escapes formulas)', async () => {
    await newEvent({ title: '=导出可见性测试' });
    const sheetOf = async (client: Client) => {
      const res = await h.app.inject({
        url: `/api/opinion-events/export?q=${encodeURIComponent('导出可见性')}`,
        headers: { cookie: client.cookie },
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toContain('spreadsheetml');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      return wb.worksheets[0]!.getColumn(1).values.slice(2).map(String);
    };
    expect(await sheetOf(c.clerkV)).toEqual(["'=导出可见性测试"]);
    expect(await sheetOf(c.clerkS)).toEqual([]);
  });
});

describe('boundary: no identity of posters', () => {
  const forbiddenName =
    /author|poster|posted_by|account|nickname|nick|handle|user_?id|uid|profile|publisher|blogger|netizen|follower|screen_name|phone|id_card|ip_addr/i;

  it('no opinion-module column is named for the person who posted (created_by is the recording clerk)', async () => {
    const tables = Object.values(opinionSchema).filter((t) => is(t, PgTable)) as unknown as PgTable[];
    expect(tables.length).toBeGreaterThanOrEqual(12);
    const names = tables.flatMap((t) => Object.values(getTableColumns(t)).map((col) => `${getTableName(t)}.${col.name}`));
    expect(names).toContain('opinion_events.created_by');
    expect(names.filter((n) => forbiddenName.test(n.split('.')[1]!))).toEqual([]);
    // and in the database itself
    const rows = await h.database.db.execute<{ table_name: string; column_name: string }>(
      sql`SELECT table_name, column_name FROM information_schema.columns WHERE table_name LIKE 'opinion%' OR table_name LIKE 'analysis%' OR table_name LIKE 'bulletin%' OR table_name LIKE 'response_%'`,
    );
    const list = (Array.isArray(rows) ? rows : (rows as { rows: { table_name: string; column_name: string }[] }).rows) as {
      table_name: string;
      column_name: string;
    }[];
    expect(list.length).toBeGreaterThan(40);
    expect(list.filter((r) => forbiddenName.test(r.column_name))).toEqual([]);
  });

  it('an attempt to store a poster is dropped: the API has no such field', async () => {
    const { id } = await newEvent({ authorName: '某网民', posterAccount: '@someone', sources: [{ platformId, url: '', account: '@x' }] });
    const got = await c.clerkV.get(`/api/opinion-events/${id}`);
    expect(JSON.stringify(got.body)).not.toMatch(/某网民|@someone|@x/);
    const [row] = await h.database.db.select().from(opinionEvents).where(eq(opinionEvents.id, id));
    expect(JSON.stringify(row)).not.toMatch(/某网民|@someone|@x/);
  });
});

describe('distribution key (region_id)', () => {
  it("reports, events and plans take their unit's region, their children and a bulletin's receipts follow, and a unit moved to another region carries them", async () => {
    const {
      analysisComments,
      analysisMeasures,
      analysisReports,
      bulletinReads,
      bulletinRecipients,
      opinionEventEntries,
      opinionEventResponses,
      responseDrills,
      responsePlans,
      responsePlanVersions,
    } = opinionSchema;
    const db = h.database.db;
    const ok = (r: { status: number; body: unknown }) => {
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return r.body as { id: string };
    };
    const tag = Math.random().toString(36).slice(2, 6);
    // a village of the town T (a town is its own region: the county's child), with its own clerk
    const w = (await buildUnit(h, u.T, `迁移村${tag}`, '村')).id;
    const t2 = (await buildUnit(h, u.R, `乙镇${tag}`, '乡镇')).id;
    const clerkW = await login(h, (await buildPerson(h, { unitId: w, roles: ['clerk'] })).username);
    const adminR = await login(h, (await buildPerson(h, { unitId: u.R, roles: ['unitAdmin'] })).username);

    // an event with a response, escalated to T, commented by T (an entry of the upper unit, still with the event)
    const event = ok(
      await clerkW.post('/api/opinion-events', {
        unitId: w,
        title: '迁移测试事件',
        sources: [{ platformId, url: 'https://weibo.example.com/item/9' }],
        firstSeenAt: ago(1),
        level: 'general',
      }),
    );
    for (const action of ['assess', 'handle']) ok(await clerkW.post(`/api/opinion-events/${event.id}/${action}`, {}));
    ok(await clerkW.post(`/api/opinion-events/${event.id}/responses`, { kind: 'statement', content: '情况说明', happenedAt: ago(0) }));
    ok(await clerkW.post(`/api/opinion-events/${event.id}/escalate`, { reason: '涉及镇级工程' }));
    ok(await c.adminT.post(`/api/opinion-events/${event.id}/entries`, { kind: 'comment', body: '请尽快处置' }));
    // an analysis report with measures, submitted and commented by T
    const report = ok(
      await clerkW.post('/api/analysis-reports', {
        unitId: w,
        periodKind: 'halfYear',
        year: 2026,
        index: 1,
        situation: '平稳',
        risks: '无',
        measures: ['措施一', '措施二'],
      }),
    );
    ok(await clerkW.post(`/api/analysis-reports/${report.id}/submit`));
    ok(await c.adminT.post(`/api/analysis-reports/${report.id}/comments`, { body: '已阅' }));
    // a plan with a second version and a drill
    const plan = ok(
      await clerkW.post('/api/response-plans', { unitId: w, title: '村级预案', body: '一', levels: ['major'], notifyPersonIds: [] }),
    );
    ok(await clerkW.post(`/api/response-plans/${plan.id}/versions`, { body: '二', levels: ['major'], notifyPersonIds: [] }));
    ok(await clerkW.post(`/api/response-plans/${plan.id}/drills`, { heldAt: ago(1), scenario: '推演' }));
    // a bulletin of T to W and V (reference table: no region), read by W's clerk
    const bulletin = ok(
      await c.adminT.post('/api/bulletins', {
        unitId: u.T,
        title: '迁移测试通报',
        body: '正文',
        target: { kind: 'units', unitIds: [w, u.V] },
      }),
    );
    ok(await clerkW.post(`/api/bulletins/${bulletin.id}/read`));
    expect(getTableColumns(opinionSchema.bulletins)).not.toHaveProperty('regionId');

    const regions = async () => ({
      event: (await db.select({ r: opinionEvents.regionId }).from(opinionEvents).where(eq(opinionEvents.id, event.id))).map((x) => x.r),
      entries: await db
        .select({ r: opinionEventEntries.regionId, unit: opinionEventEntries.unitId })
        .from(opinionEventEntries)
        .where(eq(opinionEventEntries.eventId, event.id)),
      responses: (
        await db
          .select({ r: opinionEventResponses.regionId })
          .from(opinionEventResponses)
          .where(eq(opinionEventResponses.eventId, event.id))
      ).map((x) => x.r),
      report: (await db.select({ r: analysisReports.regionId }).from(analysisReports).where(eq(analysisReports.id, report.id))).map(
        (x) => x.r,
      ),
      measures: (
        await db.select({ r: analysisMeasures.regionId }).from(analysisMeasures).where(eq(analysisMeasures.reportId, report.id))
      ).map((x) => x.r),
      comments: await db
        .select({ r: analysisComments.regionId, unit: analysisComments.unitId })
        .from(analysisComments)
        .where(eq(analysisComments.reportId, report.id)),
      plan: (await db.select({ r: responsePlans.regionId }).from(responsePlans).where(eq(responsePlans.id, plan.id))).map((x) => x.r),
      versions: (
        await db.select({ r: responsePlanVersions.regionId }).from(responsePlanVersions).where(eq(responsePlanVersions.planId, plan.id))
      ).map((x) => x.r),
      drills: (await db.select({ r: responseDrills.regionId }).from(responseDrills).where(eq(responseDrills.planId, plan.id))).map(
        (x) => x.r,
      ),
      recipients: Object.fromEntries(
        (await db.select().from(bulletinRecipients).where(eq(bulletinRecipients.bulletinId, bulletin.id))).map((x) => [
          x.unitId,
          x.regionId,
        ]),
      ),
      reads: (await db.select({ r: bulletinReads.regionId }).from(bulletinReads).where(eq(bulletinReads.bulletinId, bulletin.id))).map(
        (x) => x.r,
      ),
    });
    const expectAll = (got: Awaited<ReturnType<typeof regions>>, region: string) => {
      for (const key of ['event', 'responses', 'report', 'measures', 'plan', 'versions', 'drills', 'reads'] as const) {
        expect(got[key].length, key).toBeGreaterThan(0);
        for (const r of got[key]) expect(r, key).toBe(region);
      }
      // entries and comments of the upper unit T stay with their parent, not in T's region by their own unit
      for (const key of ['entries', 'comments'] as const) {
        expect(
          got[key].some((x) => x.unit === u.T),
          key,
        ).toBe(true);
        for (const x of got[key]) expect(x.r, key).toBe(region);
      }
      expect(got.recipients[w]).toBe(region);
      expect(got.recipients[u.V]).toBe(u.T);
    };
    expectAll(await regions(), u.T);

    ok(await adminR.post(`/api/units/${w}/move`, { parentId: t2 }));
    expectAll(await regions(), t2);
    // still found by id
    expect((await clerkW.get(`/api/opinion-events/${event.id}`)).status).toBe(200);
    expect((await clerkW.get(`/api/analysis-reports/${report.id}`)).status).toBe(200);
    expect((await clerkW.get(`/api/response-plans/${plan.id}`)).status).toBe(200);
    expect((await clerkW.get(`/api/bulletins/${bulletin.id}`)).status).toBe(200);
  });
});
