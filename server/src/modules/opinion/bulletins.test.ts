import { and, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson, buildRoot, buildUnit, type Client, type Harness, login, startHarness } from '../../../test/harness.js';
import { runJobNow } from '../../core/scheduler.js';
import { notifications } from '../../core/schema.js';
import { sendBulletinReminders } from './bulletins.js';
import { bulletins } from './schema.js';

const DAY = 86_400_000;
let h: Harness;
const u = {} as Record<'R' | 'T' | 'V1' | 'V2' | 'Sch' | 'T2', string>;
const c = {} as Record<'adminT' | 'clerkT' | 'clerkV1a' | 'clerkV1b' | 'clerkV2' | 'clerkSch' | 'clerkT2', Client>;
const ids = {} as Record<'clerkV1a' | 'clerkV1b' | 'clerkV2', string>;

beforeAll(async () => {
  h = await startHarness();
  u.R = (await buildRoot(h, '通报县委')).id;
  u.T = (await buildUnit(h, u.R, '甲镇党委', '乡镇')).id;
  u.V1 = (await buildUnit(h, u.T, '甲镇一村', '村')).id;
  u.V2 = (await buildUnit(h, u.T, '甲镇二村', '村')).id;
  u.Sch = (await buildUnit(h, u.T, '甲镇中心小学', '学校')).id;
  u.T2 = (await buildUnit(h, u.R, '乙镇党委', '乡镇')).id;
  const mk = async (unitId: string, roles: ('unitAdmin' | 'clerk')[], key?: keyof typeof ids) => {
    const p = await buildPerson(h, { unitId, roles });
    if (key) ids[key] = p.id;
    return login(h, p.username);
  };
  c.adminT = await mk(u.T, ['unitAdmin']);
  c.clerkT = await mk(u.T, ['clerk']);
  c.clerkV1a = await mk(u.V1, ['clerk'], 'clerkV1a');
  c.clerkV1b = await mk(u.V1, ['clerk'], 'clerkV1b');
  c.clerkV2 = await mk(u.V2, ['clerk'], 'clerkV2');
  c.clerkSch = await mk(u.Sch, ['clerk']);
  c.clerkT2 = await mk(u.T2, ['clerk']);
});
afterAll(() => h.close());

async function send(target: unknown, extra: Record<string, unknown> = {}) {
  const res = await c.adminT.post('/api/bulletins', { unitId: u.T, title: '关于近期舆情处置情况的通报', body: '正文', target, ...extra });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

describe('bulletins', () => {
  it('sends to the subtree, to unit types, or to chosen units below the sender only', async () => {
    expect((await send({ kind: 'subtree' })).recipientCount).toBe(3);
    expect((await send({ kind: 'subtree', unitTypes: ['村'] })).recipientCount).toBe(2);
    expect((await send({ kind: 'units', unitIds: [u.Sch] })).recipientCount).toBe(1);
    const outside = await c.adminT.post('/api/bulletins', {
      unitId: u.T,
      title: '越级',
      body: '正文',
      target: { kind: 'units', unitIds: [u.T2] },
    });
    expect(outside.status).toBe(400);
    const none = await c.adminT.post('/api/bulletins', {
      unitId: u.T,
      title: '无',
      body: '正文',
      target: { kind: 'subtree', unitTypes: ['社区'] },
    });
    expect(none.status).toBe(400);
    expect((await c.clerkT.post('/api/bulletins', { unitId: u.T, title: 'x', body: 'y', target: { kind: 'subtree' } })).status).toBe(403);
  });

  it('read receipts are counted per unit, with each reader; opening twice changes nothing', async () => {
    const b = await send({ kind: 'subtree' });
    const inbox = await c.clerkV1a.get('/api/bulletins/inbox?unread=true');
    expect(inbox.body.items.map((x: { id: string }) => x.id)).toContain(b.id);
    expect((await c.clerkT2.get(`/api/bulletins/${b.id}`)).status).toBe(404);

    const first = await c.clerkV1a.post(`/api/bulletins/${b.id}/read`);
    expect(first.body).toEqual({ ok: true, firstForPerson: true, firstForUnit: true });
    const second = await c.clerkV1b.post(`/api/bulletins/${b.id}/read`);
    expect(second.body).toEqual({ ok: true, firstForPerson: true, firstForUnit: false });
    const again = await c.clerkV1a.post(`/api/bulletins/${b.id}/read`);
    expect(again.body).toEqual({ ok: true, firstForPerson: false, firstForUnit: false });

    const receipts = await c.adminT.get(`/api/bulletins/${b.id}/receipts`);
    expect(receipts.status).toBe(200);
    expect(receipts.body).toMatchObject({ total: 3, read: 1 });
    const v1 = receipts.body.units.find((x: { unitId: string }) => x.unitId === u.V1);
    expect(v1.readAt).toBeTruthy();
    expect(v1.readers.map((r: { personId: string }) => r.personId).sort()).toEqual([ids.clerkV1a, ids.clerkV1b].sort());
    expect(receipts.body.units.find((x: { unitId: string }) => x.unitId === u.V2).readAt).toBeNull();

    const list = await c.adminT.get('/api/bulletins?pageSize=200');
    expect(list.body.items.find((x: { id: string }) => x.id === b.id)).toMatchObject({ recipientCount: 3, readCount: 1 });
    const read = await c.clerkV1a.get('/api/bulletins/inbox?unread=false');
    expect(read.body.items.find((x: { id: string }) => x.id === b.id).myReadAt).toBeTruthy();
    // a recipient cannot see the receipts; the sender cannot mark it read for a recipient
    expect((await c.clerkV1a.get(`/api/bulletins/${b.id}/receipts`)).status).toBe(403);
    expect((await c.adminT.post(`/api/bulletins/${b.id}/read`)).status).toBe(403);
  });

  it('reminds unread units once after N days (job idempotent)', async () => {
    const b = await send({ kind: 'units', unitIds: [u.V1, u.V2] }, { remindAfterDays: 2 });
    await c.clerkV1a.post(`/api/bulletins/${b.id}/read`);
    const remindersFor = async (personId: string) =>
      h.database.db
        .select()
        .from(notifications)
        .where(
          and(
            eq(notifications.personId, personId),
            like(notifications.title, '通报未读提醒%'),
            eq(notifications.link, `/opinion/bulletins/${b.id}`),
          ),
        );
    expect(await sendBulletinReminders(h.ctx, new Date(Date.now() + 1 * DAY))).toBe(0);
    // backdate the bulletin: sent three days ago
    await h.database.db
      .update(bulletins)
      .set({ sentAt: new Date(Date.now() - 3 * DAY) })
      .where(eq(bulletins.id, b.id));
    await runJobNow('opinion.bulletinReminders', h.ctx);
    await runJobNow('opinion.bulletinReminders', h.ctx);
    expect(await sendBulletinReminders(h.ctx)).toBe(0);
    expect(await remindersFor(ids.clerkV2)).toHaveLength(1);
    expect(await remindersFor(ids.clerkV1a)).toHaveLength(0);
  });
});
