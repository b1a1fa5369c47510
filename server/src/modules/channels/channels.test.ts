import { eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson, buildRoot, buildUnit, type Client, type Harness, login, startHarness } from '../../../test/harness.js';
import { runJobNow } from '../../core/scheduler.js';
import { tasks } from '../duty/schema.js';
import { ensureChannelTypes } from './dicts.js';
import {
  channelDicts,
  channelReviewers,
  channels,
  eventFilings,
  publicationSteps,
  publications,
  selfCheckResults,
  selfCheckRounds,
} from './schema.js';
import { openQuarterRounds } from './selfcheck.js';

let h: Harness;
const u = {} as Record<'R' | 'T' | 'V' | 'S', string>;
const c = {} as Record<'adminT' | 'clerkT' | 'clerkV' | 'clerkS' | 'adminS', Client>;
const ids = {} as Record<keyof typeof c, string>;
let typeId: string;

beforeAll(async () => {
  h = await startHarness();
  u.R = (await buildRoot(h, '阵地县委')).id;
  u.T = (await buildUnit(h, u.R, '甲镇党委', '乡镇')).id;
  u.V = (await buildUnit(h, u.T, '一村党支部', '村')).id;
  u.S = (await buildUnit(h, u.R, '乙镇党委', '乡镇')).id;
  const mk = async (key: keyof typeof c, unitId: string, roles: ('unitAdmin' | 'leader' | 'clerk')[]) => {
    const p = await buildPerson(h, { unitId, roles });
    ids[key] = p.id;
    c[key] = await login(h, p.username);
  };
  await mk('adminT', u.T, ['unitAdmin']);
  await mk('clerkT', u.T, ['clerk']);
  await mk('clerkV', u.V, ['clerk']);
  await mk('clerkS', u.S, ['clerk']);
  await mk('adminS', u.S, ['unitAdmin']);
  typeId = (await c.clerkT.get('/api/channel-dicts/channelType')).body.find((t: { name: string }) => t.name === '微信公众号').id;
});
afterAll(() => h.close());

describe('dictionaries', () => {
  it('seeds each kind once, idempotently, with the names practice uses', async () => {
    await ensureChannelTypes(h.ctx);
    await ensureChannelTypes(h.ctx);
    const types = await h.database.db.select().from(channelDicts).where(eq(channelDicts.kind, 'channelType'));
    expect(types.map((t) => t.name)).toEqual(
      expect.arrayContaining([
        '门户网站',
        '微信公众号',
        '视频号',
        '微博',
        '抖音号',
        '工作微信群/QQ群',
        '宣传栏/公开栏',
        '电子屏',
        '内刊/简报',
        '报告厅/讲堂',
      ]),
    );
    expect(types).toHaveLength(10);
  });
});

describe('channel registry', () => {
  it('registers a channel with its review chain; validates supervisor, reviewers and levels in Chinese', async () => {
    const ok = await c.adminT.post('/api/channels', {
      unitId: u.T,
      supervisorUnitId: u.R,
      typeId,
      name: '甲镇发布',
      address: 'gh_jiazhen',
      responsiblePersonId: ids.clerkT,
      reviewChain: [[ids.clerkT], [ids.adminT]],
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toMatchObject({ reviewLevels: 2, status: 'running', statusLabel: '运行', typeName: '微信公众号' });
    expect(ok.body.reviewers.map((r: { level: number }) => r.level)).toEqual([1, 2]);

    const bad = await c.adminT.post('/api/channels', {
      unitId: u.T,
      supervisorUnitId: u.S,
      typeId,
      name: '错误',
      reviewChain: [[ids.clerkS]],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.fields.supervisorUnitId).toContain('主管单位');
    expect(bad.body.fields.reviewChain).toContain('审核人');
    const four = await c.adminT.post('/api/channels', {
      unitId: u.T,
      supervisorUnitId: u.T,
      typeId,
      name: 'x',
      reviewChain: [[ids.clerkT], [ids.clerkT], [ids.clerkT], [ids.clerkT]],
    });
    expect(four.status).toBe(400);
    expect(four.body.fields.reviewChain).toContain('最多三级');
    const none = await c.adminT.post('/api/channels', { unitId: u.T, supervisorUnitId: u.T, typeId, name: 'x', reviewChain: [] });
    expect(none.status).toBe(400);

    const upd = await c.adminT.patch(`/api/channels/${ok.body.id}`, { status: 'closed', reviewChain: [[ids.adminT]] });
    expect(upd.body).toMatchObject({ status: 'closed', reviewLevels: 1 });
    // a closed channel takes no new items
    const pub = await c.clerkT.post('/api/publications', { channelId: ok.body.id, title: '稿件' });
    expect(pub.status).toBe(400);
  });

  it('lists the caller’s subtree only', async () => {
    await c.adminT.post('/api/channels', { unitId: u.T, supervisorUnitId: u.T, typeId, name: '甲镇宣传栏', reviewChain: [[ids.adminT]] });
    await c.adminS.post('/api/channels', { unitId: u.S, supervisorUnitId: u.S, typeId, name: '乙镇宣传栏', reviewChain: [[ids.adminS]] });
    const names = (res: { body: { items: { name: string }[] } }) => res.body.items.map((x) => x.name);
    expect(names(await c.adminT.get('/api/channels?pageSize=100'))).toContain('甲镇宣传栏');
    expect(names(await c.adminT.get('/api/channels?pageSize=100'))).not.toContain('乙镇宣传栏');
    expect(names(await c.clerkV.get('/api/channels?pageSize=100'))).toEqual([]);
    expect(names(await c.clerkS.get('/api/channels?q=宣传栏'))).toEqual(['乙镇宣传栏']);
    // the export holds the same rows as the list
    const xlsx = await h.app.inject({ url: '/api/channels/export', headers: { cookie: c.clerkS.cookie } });
    expect(xlsx.statusCode).toBe(200);
    expect(String(xlsx.headers['content-type'])).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets[0]!.getColumn(1).values.slice(2)).toEqual(['乙镇宣传栏']);
  });
});

describe('self-check', () => {
  it('the quarterly job opens one round per unit with open channels, once', async () => {
    const now = new Date('2026-07-01T01:00:00Z');
    const first = await openQuarterRounds(h.ctx, now);
    expect(first).toBeGreaterThanOrEqual(2);
    expect(await openQuarterRounds(h.ctx, now)).toBe(0);
    const rounds = await h.database.db.select().from(selfCheckRounds).where(eq(selfCheckRounds.periodKey, '2026-Q3'));
    expect(rounds.map((r) => r.unitId).sort()).toEqual([u.T, u.S].sort());
    expect(rounds[0]!.items.length).toBe(5);
    expect(await runJobNow('channels.selfCheck', h.ctx)).toBe(true);
  });

  it('records results per channel; a problem becomes a task linked both ways', async () => {
    const round = await c.adminT.post('/api/self-check-rounds', { unitId: u.T, year: 2026, quarter: 2 });
    expect(round.status).toBe(200);
    expect(round.body.label).toBe('2026年第2季度阵地自查');
    const again = await c.adminT.post('/api/self-check-rounds', { unitId: u.T, year: 2026, quarter: 2 });
    expect(again.body.id).toBe(round.body.id);
    const channelId = round.body.channels[0].channelId;
    const saved = await c.clerkT.post(`/api/self-check-rounds/${round.body.id}/results`, {
      channelId,
      answers: round.body.items.map((item: string, i: number) => ({ item, ok: i !== 3, note: i === 3 ? '两名管理员共用密码' : '' })),
      problems: ['账号密码多人共用'],
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body.checkedCount).toBe(1);
    const result = saved.body.channels.find((x: { channelId: string }) => x.channelId === channelId).result;
    expect(result.problems).toEqual([{ text: '账号密码多人共用', taskId: null }]);

    const res = await c.clerkT.post(`/api/self-check-results/${result.id}/problems/0/task`, { deadline: '2026-12-31T00:00:00+08:00' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const taskId = res.body.problems[0].taskId;
    expect(taskId).toBeTruthy();
    const [task] = await h.database.db.select().from(tasks).where(eq(tasks.id, taskId));
    expect(task).toMatchObject({ sourceType: 'channels.selfCheckProblem', sourceId: `${result.id}:0`, unitId: u.T });
    expect((await c.clerkT.get(`/api/tasks/${taskId}`)).body.source.label).toContain('账号密码多人共用');
    // once only
    expect(
      (await c.clerkT.post(`/api/self-check-results/${result.id}/problems/0/task`, { deadline: '2026-12-31T00:00:00+08:00' })).status,
    ).toBe(409);
    expect(
      (await c.clerkT.post(`/api/self-check-results/${result.id}/problems/5/task`, { deadline: '2026-12-31T00:00:00+08:00' })).status,
    ).toBe(400);
    // re-saving keeps the linked problem
    const resaved = await c.clerkT.post(`/api/self-check-rounds/${round.body.id}/results`, {
      channelId,
      answers: [],
      problems: ['新发现的问题'],
    });
    const problems = resaved.body.channels.find((x: { channelId: string }) => x.channelId === channelId).result.problems;
    expect(problems).toEqual([
      { text: '账号密码多人共用', taskId },
      { text: '新发现的问题', taskId: null },
    ]);
    // a sibling sees nothing
    expect((await c.clerkS.get(`/api/self-check-rounds/${round.body.id}`)).status).toBe(404);
    expect((await c.clerkS.get('/api/self-check-rounds')).body.items.map((r: { unitId: string }) => r.unitId)).not.toContain(u.T);
  });
});

describe('distribution key (region_id)', () => {
  it("channels, filings and rounds carry their unit's region, their children their parent's, and a moved unit takes them along", async () => {
    const tag = Math.random().toString(36).slice(2, 6);
    const village = (await buildUnit(h, u.T, `迁移村${tag}`, '村')).id;
    const admin = await buildPerson(h, { unitId: village, roles: ['unitAdmin'] });
    const clerk = await buildPerson(h, { unitId: village, roles: ['clerk'] });
    const adminC = await login(h, admin.username);
    const clerkC = await login(h, clerk.username);
    const ch = await adminC.post('/api/channels', {
      unitId: village,
      supervisorUnitId: u.T,
      typeId,
      name: `村公众号${tag}`,
      reviewChain: [[admin.id]],
    });
    expect(ch.status, JSON.stringify(ch.body)).toBe(200);
    const pub = await clerkC.post('/api/publications', { channelId: ch.body.id, title: '村务公开' });
    expect(pub.status, JSON.stringify(pub.body)).toBe(200);
    expect((await clerkC.post(`/api/publications/${pub.body.id}/submit`)).status).toBe(200);
    const kindId = (await clerkC.get('/api/channel-dicts/eventKind')).body[0].id;
    const filing = await clerkC.post('/api/event-filings', {
      unitId: village,
      kindId,
      topic: '村史讲座',
      speakers: [],
      venue: '村文化礼堂',
      startsAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      expectedAudience: 30,
    });
    expect(filing.status, JSON.stringify(filing.body)).toBe(200);
    const round = await adminC.post('/api/self-check-rounds', { unitId: village, year: 2026, quarter: 1 });
    expect(round.status, JSON.stringify(round.body)).toBe(200);
    const saved = await clerkC.post(`/api/self-check-rounds/${round.body.id}/results`, {
      channelId: ch.body.id,
      answers: [],
      problems: ['未按时更新'],
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);

    const db = h.database.db;
    const regions = async () => ({
      channel: (await db.select().from(channels).where(eq(channels.id, ch.body.id)))[0]!.regionId,
      reviewers: (await db.select().from(channelReviewers).where(eq(channelReviewers.channelId, ch.body.id))).map((r) => r.regionId),
      publication: (await db.select().from(publications).where(eq(publications.id, pub.body.id)))[0]!.regionId,
      steps: (await db.select().from(publicationSteps).where(eq(publicationSteps.publicationId, pub.body.id))).map((r) => r.regionId),
      filing: (await db.select().from(eventFilings).where(eq(eventFilings.id, filing.body.id)))[0]!.regionId,
      round: (await db.select().from(selfCheckRounds).where(eq(selfCheckRounds.id, round.body.id)))[0]!.regionId,
      results: (await db.select().from(selfCheckResults).where(eq(selfCheckResults.roundId, round.body.id))).map((r) => r.regionId),
    });
    const all = (r: string) => ({ channel: r, reviewers: [r], publication: r, steps: [r], filing: r, round: r, results: [r] });
    // the village is in its town's region
    expect(await regions()).toEqual(all(u.T));

    const adminR = await buildPerson(h, { unitId: u.R, roles: ['unitAdmin'] });
    expect((await (await login(h, adminR.username)).post(`/api/units/${village}/move`, { parentId: u.S })).status).toBe(200);
    expect(await regions()).toEqual(all(u.S));
    // still found and worked on by id
    expect((await adminC.get(`/api/channels/${ch.body.id}`)).body.reviewers).toHaveLength(1);
    expect((await clerkC.get(`/api/publications/${pub.body.id}`)).status).toBe(200);
    expect((await clerkC.get(`/api/event-filings/${filing.body.id}`)).status).toBe(200);
    const detail = (await clerkC.get(`/api/self-check-rounds/${round.body.id}`)).body;
    const result = detail.channels.find((x: { channelId: string }) => x.channelId === ch.body.id).result;
    expect(result.problems).toEqual([{ text: '未按时更新', taskId: null }]);
  });
});
