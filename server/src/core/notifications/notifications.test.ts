import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson, buildRoot, buildUnit, type Client, type Harness, login, startHarness } from '../../../test/harness.js';
import { NO_REGION } from '../../db/distribution.js';
import { verifyAudit, writeAudit } from '../audit.js';
import { inTx } from '../context.js';
import { auditEntries, notifications, unitWebhooks } from '../schema.js';
import { notify } from './service.js';
import { settleWebhookPushes } from './webhook.js';

let h: Harness;
let root: { id: string };
let rootAdmin: Client;
let town: { id: string };
let sibling: { id: string };
let me: { id: string; username: string };
let other: { id: string; username: string };
let meClient: Client;
let otherClient: Client;
let townAdmin: Client;
let siblingAdmin: Client;

/** A fake robot endpoint: records what it receives, answers like DingTalk/WeCom. */
let robot: Server;
let robotUrl: string;
const received: { path: string; body: unknown }[] = [];

beforeAll(async () => {
  h = await startHarness();
  root = await buildRoot(h);
  rootAdmin = await login(h, (await buildPerson(h, { unitId: root.id, roles: ['unitAdmin'] })).username);
  town = await buildUnit(h, root.id, '甲镇党委', '乡镇');
  sibling = await buildUnit(h, root.id, '乙镇党委', '乡镇');
  me = await buildPerson(h, { unitId: town.id, roles: ['clerk'] });
  other = await buildPerson(h, { unitId: town.id, roles: ['clerk'] });
  meClient = await login(h, me.username);
  otherClient = await login(h, other.username);
  townAdmin = await login(h, (await buildPerson(h, { unitId: town.id, roles: ['unitAdmin'] })).username);
  siblingAdmin = await login(h, (await buildPerson(h, { unitId: sibling.id, roles: ['unitAdmin'] })).username);
  robot = createServer((req, res) => {
    let data = '';
    req.on('data', (c) => {
      data += c;
    });
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: JSON.parse(data) });
      if (req.url?.startsWith('/broken')) {
        res.writeHead(500).end('boom');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"errcode":0,"errmsg":"ok"}');
    });
  });
  await new Promise<void>((resolve) => robot.listen(0, '127.0.0.1', resolve));
  robotUrl = `http://127.0.0.1:${(robot.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await settleWebhookPushes();
  await new Promise((resolve) => robot.close(resolve));
  await h.close();
});

describe('notify', () => {
  it('with the same dedupeKey twice makes one notification per person', async () => {
    const first = await notify(h.ctx, {
      personIds: [me.id, other.id],
      title: '任务提醒',
      body: '请按时填报',
      dedupeKey: 'remind:T1:2026-01-01',
    });
    const second = await notify(h.ctx, {
      personIds: [me.id, other.id],
      title: '任务提醒',
      body: '请按时填报',
      dedupeKey: 'remind:T1:2026-01-01',
    });
    expect(first.created).toBe(2);
    expect(second.created).toBe(0);
    const rows = await h.database.db.select().from(notifications).where(eq(notifications.title, '任务提醒'));
    expect(rows).toHaveLength(2);
    expect(rows.map((r) => r.dedupeKey).sort()).toEqual([`remind:T1:2026-01-01:${me.id}`, `remind:T1:2026-01-01:${other.id}`].sort());
  });

  it('writes in the caller’s transaction: a rollback leaves no notification', async () => {
    await expect(
      inTx(h.ctx, async (tx) => {
        await notify(tx, { personIds: [me.id], title: '回滚测试', body: '不应出现' });
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    expect(await h.database.db.select().from(notifications).where(eq(notifications.title, '回滚测试'))).toEqual([]);
  });
});

describe('inbox', () => {
  it('shows only the caller’s own notifications, with the unread count and filter', async () => {
    await notify(h.ctx, { personIds: [me.id], title: '给我的一', body: '内容', link: '/org' });
    await notify(h.ctx, { personIds: [me.id], title: '给我的二', body: '内容' });
    await notify(h.ctx, { personIds: [other.id], title: '给别人的', body: '内容' });
    const mine = await meClient.get('/api/notifications?pageSize=50');
    expect(mine.status).toBe(200);
    const titles = mine.body.items.map((n: { title: string }) => n.title);
    expect(titles).toEqual(expect.arrayContaining(['给我的一', '给我的二', '任务提醒']));
    expect(titles).not.toContain('给别人的');
    expect(mine.body.total).toBe(3);
    expect(mine.body.unreadCount).toBe(3);
    expect(mine.body.items[0].title).toBe('给我的二'); // newest first
    const page = await meClient.get('/api/notifications?pageSize=1&page=2');
    expect(page.body).toMatchObject({ total: 3, page: 2, pageSize: 1, unreadCount: 3 });
    expect(page.body.items).toHaveLength(1);
  });

  it('marks one read (own only: 404 for someone else’s) and then all', async () => {
    const list = (await meClient.get('/api/notifications?pageSize=50')).body;
    const target = list.items.find((n: { title: string }) => n.title === '给我的一');
    expect((await otherClient.post(`/api/notifications/${target.id}/read`)).status).toBe(404);
    expect((await townAdmin.post(`/api/notifications/${target.id}/read`)).status).toBe(404);
    const read = await meClient.post(`/api/notifications/${target.id}/read`);
    expect(read.status).toBe(200);
    expect(read.body.readAt).toBeTypeOf('string');
    const again = await meClient.post(`/api/notifications/${target.id}/read`);
    expect(again.body.readAt).toBe(read.body.readAt);

    const unread = (await meClient.get('/api/notifications?unread=true')).body;
    expect(unread.total).toBe(2);
    expect(unread.unreadCount).toBe(2);
    expect(unread.items.map((n: { id: string }) => n.id)).not.toContain(target.id);

    const all = await meClient.post('/api/notifications/read-all');
    expect(all.body).toEqual({ ok: true, updated: 2 });
    expect((await meClient.get('/api/notifications')).body.unreadCount).toBe(0);
    // the other person's inbox is untouched
    expect((await otherClient.get('/api/notifications')).body.unreadCount).toBe(2);
  });
});

describe('robots', () => {
  it('configures robots per unit, audited, within scope only', async () => {
    const body = { kind: 'dingtalk', url: `${robotUrl}/robot/send?access_token=secret-token` };
    const denied = await siblingAdmin.post(`/api/units/${town.id}/webhooks`, body);
    expect(denied.status).toBe(403);
    expect((await siblingAdmin.get(`/api/units/${town.id}/webhooks`)).status).toBe(403);
    expect((await meClient.post(`/api/units/${town.id}/webhooks`, body)).status).toBe(403);
    const bad = await townAdmin.post(`/api/units/${town.id}/webhooks`, { kind: 'qq', url: 'ftp://x' });
    expect(bad.status).toBe(400);
    expect(bad.body.fields.kind).toBe('请选择机器人类型');

    const created = await townAdmin.post(`/api/units/${town.id}/webhooks`, body);
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ unitId: town.id, kind: 'dingtalk', enabled: true });
    const list = await townAdmin.get(`/api/units/${town.id}/webhooks`);
    expect(list.body.map((w: { id: string }) => w.id)).toEqual([created.body.id]);
    const [audit] = await h.database.db
      .select()
      .from(auditEntries)
      .where(and(eq(auditEntries.entity, 'webhook'), eq(auditEntries.entityId, created.body.id)));
    expect(audit).toMatchObject({ action: 'create', unitId: town.id });
    expect(JSON.stringify(audit!.after)).not.toContain('secret-token');

    expect((await siblingAdmin.del(`/api/webhooks/${created.body.id}`)).status).toBe(404);
    expect((await meClient.del(`/api/webhooks/${created.body.id}`)).status).toBe(403);
    expect((await townAdmin.del(`/api/webhooks/${created.body.id}`)).body).toEqual({ ok: true });
    expect((await townAdmin.get(`/api/units/${town.id}/webhooks`)).body).toEqual([]);
    expect((await townAdmin.del(`/api/webhooks/${created.body.id}`)).status).toBe(404);
  });

  it('pushes DingTalk and WeCom text messages after commit; a failing robot never fails the write', async () => {
    for (const [kind, path] of [
      ['dingtalk', '/robot/send?access_token=t1'],
      ['wecom', '/cgi-bin/webhook/send?key=k1'],
      ['wecom', '/broken'],
      ['dingtalk', '/disabled'],
    ] as const) {
      const res = await townAdmin.post(`/api/units/${town.id}/webhooks`, {
        kind,
        url: `${robotUrl}${path}`,
        enabled: path !== '/disabled',
      });
      expect(res.status).toBe(200);
    }
    // a robot nobody listens on: connection refused, logged and swallowed
    await townAdmin.post(`/api/units/${town.id}/webhooks`, { kind: 'dingtalk', url: 'http://127.0.0.1:9/robot/send' });
    received.length = 0;

    // rolled back: nothing is pushed
    await expect(
      inTx(h.ctx, async (tx) => {
        await notify(tx, { personIds: [me.id], unitId: town.id, title: '不应推送', body: '回滚' });
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    await settleWebhookPushes();
    expect(received).toEqual([]);

    const result = await notify(h.ctx, {
      personIds: [me.id, other.id],
      unitId: town.id,
      title: '逾期提醒',
      body: '任务“学习计划”已逾期',
      dedupeKey: 'overdue:1',
    });
    expect(result.created).toBe(2);
    await settleWebhookPushes();
    const byPath = Object.fromEntries(received.map((r) => [r.path, r.body]));
    const content = '【责任制台账】逾期提醒\n任务“学习计划”已逾期';
    expect(byPath['/robot/send?access_token=t1']).toEqual({ msgtype: 'text', text: { content } });
    expect(byPath['/cgi-bin/webhook/send?key=k1']).toEqual({ msgtype: 'text', text: { content } });
    expect(byPath['/broken']).toBeDefined();
    expect(byPath['/disabled']).toBeUndefined();
    expect(received).toHaveLength(3); // one push per robot, not per person

    // the same reminder again: nothing new, nothing pushed
    received.length = 0;
    expect(
      (await notify(h.ctx, { personIds: [me.id, other.id], unitId: town.id, title: '逾期提醒', body: '再次', dedupeKey: 'overdue:1' }))
        .created,
    ).toBe(0);
    await settleWebhookPushes();
    expect(received).toEqual([]);
  });
});

describe('distribution key (region_id)', () => {
  it("notifications, robots and audit entries carry their unit's region; a move re-homes all but the append-only audit", async () => {
    const village = (await buildUnit(h, town.id, '迁移村')).id;
    await notify(h.ctx, { personIds: [me.id], unitId: village, title: '分片测试', body: '内容', dedupeKey: 'shard:1' });
    await notify(h.ctx, { personIds: [me.id], title: '无单位分片', body: '内容', dedupeKey: 'shard:2' });
    await inTx(h.ctx, async (tx) => {
      await writeAudit(tx, { action: 'create', entity: 'shardTest', entityId: 'v', unitId: village });
      await writeAudit(tx, { action: 'create', entity: 'shardTest', entityId: 'root', unitId: root.id });
      await writeAudit(tx, { action: 'create', entity: 'shardTest', entityId: 'none' });
    });
    const villageAdmin = await login(h, (await buildPerson(h, { unitId: village, roles: ['unitAdmin'] })).username);
    const created = await villageAdmin.post(`/api/units/${village}/webhooks`, { kind: 'wecom', url: `${robotUrl}/shard`, enabled: true });
    expect(created.status, JSON.stringify(created.body)).toBe(200);

    const regions = async () => ({
      notes: Object.fromEntries(
        (await h.database.db.select().from(notifications).where(eq(notifications.personId, me.id)))
          .filter((n) => n.title.includes('分片'))
          .map((n) => [n.title, n.regionId]),
      ),
      hooks: (await h.database.db.select().from(unitWebhooks).where(eq(unitWebhooks.unitId, village))).map((w) => w.regionId),
      audit: Object.fromEntries(
        (await h.database.db.select().from(auditEntries).where(eq(auditEntries.entity, 'shardTest'))).map((a) => [a.entityId, a.regionId]),
      ),
    });
    // the region is the top unit's child (the town); the top unit and unit-less rows: NO_REGION for the audit
    // chain '' and for a notification without a unit
    expect(await regions()).toEqual({
      notes: { 分片测试: town.id, 无单位分片: NO_REGION },
      hooks: [town.id],
      audit: { v: town.id, root: NO_REGION, none: NO_REGION },
    });
    expect((await rootAdmin.post(`/api/units/${village}/move`, { parentId: sibling.id })).status).toBe(200);
    expect(await regions()).toEqual({
      notes: { 分片测试: sibling.id, 无单位分片: NO_REGION },
      hooks: [sibling.id],
      audit: { v: town.id, root: NO_REGION, none: NO_REGION },
    });
    // the same dedupe key again after the move: still one notification
    expect(
      (await notify(h.ctx, { personIds: [me.id], unitId: village, title: '分片测试', body: '内容', dedupeKey: 'shard:1' })).created,
    ).toBe(0);
    // the audit chains still verify (the moved unit's old entries stay in the chain they were written in)
    expect((await verifyAudit(h.database.db)).ok).toBe(true);
  });
});
