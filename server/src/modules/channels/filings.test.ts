import type { EventFilingAction, EventFilingState } from '@dutyledger/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson, buildRoot, buildUnit, type Client, type Harness, login, startHarness } from '../../../test/harness.js';
import { isLate, transitions } from './filings.js';

const DAY = 86_400_000;
let h: Harness;
const u = {} as Record<'R' | 'T' | 'V' | 'S', string>;
const c = {} as Record<'clerkT' | 'leaderT' | 'clerkV' | 'leaderV' | 'leaderR' | 'clerkS' | 'adminR', Client>;
const kinds = {} as Record<string, string>;
const inDays = (n: number) => new Date(Date.now() + n * DAY).toISOString();

beforeAll(async () => {
  h = await startHarness();
  u.R = (await buildRoot(h, '报备县委')).id;
  u.T = (await buildUnit(h, u.R, '甲镇党委', '乡镇')).id;
  u.V = (await buildUnit(h, u.T, '一村党支部', '村')).id;
  u.S = (await buildUnit(h, u.R, '乙镇党委', '乡镇')).id;
  const mk = async (key: keyof typeof c, unitId: string, roles: ('unitAdmin' | 'leader' | 'clerk')[]) => {
    c[key] = await login(h, (await buildPerson(h, { unitId, roles })).username);
  };
  await mk('clerkT', u.T, ['clerk']);
  await mk('leaderT', u.T, ['leader']);
  await mk('clerkV', u.V, ['clerk']);
  await mk('leaderV', u.V, ['leader']);
  await mk('leaderR', u.R, ['leader']);
  await mk('clerkS', u.S, ['clerk']);
  await mk('adminR', u.R, ['unitAdmin']);
  for (const k of (await c.clerkT.get('/api/channel-dicts/eventKind')).body) kinds[k.name] = k.id;
  expect(Object.keys(kinds)).toEqual(['报告会', '研讨会', '论坛', '讲座', '展览', '其他']);
});
afterAll(() => h.close());

async function file(as: Client, unitId: string, kind: string, startsIn: number) {
  const res = await as.post('/api/event-filings', {
    unitId,
    kindId: kinds[kind],
    topic: '学习贯彻专题讲座',
    speakers: [{ name: '李教授', affiliation: '市委党校' }],
    venue: '镇会议中心',
    startsAt: inDays(startsIn),
    expectedAudience: 120,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

describe('event filing', () => {
  it('marks a filing late when it arrives less than the lead time ahead (default 7 days)', async () => {
    expect(isLate({ submittedAt: new Date('2026-05-01T00:00:00Z'), startsAt: new Date('2026-05-08T00:00:00Z'), leadDays: 7 })).toBe(false);
    expect(isLate({ submittedAt: new Date('2026-05-01T00:00:01Z'), startsAt: new Date('2026-05-08T00:00:00Z'), leadDays: 7 })).toBe(true);
    const early = await file(c.clerkT, u.T, '讲座', 10);
    const late = await file(c.clerkT, u.T, '讲座', 3);
    expect(early.leadDays).toBe(7);
    expect((await c.clerkT.post(`/api/event-filings/${early.id}/submit`)).body.late).toBe(false);
    const sub = await c.clerkT.post(`/api/event-filings/${late.id}/submit`);
    expect(sub.body.late).toBe(true);
    expect(sub.body.submittedAt).toBeTruthy();
    const lateList = (await c.clerkT.get('/api/event-filings?late=true')).body.items.map((f: { id: string }) => f.id);
    expect(lateList).toContain(late.id);
    expect(lateList).not.toContain(early.id);
  });

  it('the lead time is configurable per kind', async () => {
    const res = await c.adminR.patch(`/api/channel-dicts/eventKind/${kinds.展览}`, { leadDays: 2 });
    expect(res.status).toBe(200);
    const f = await file(c.clerkT, u.T, '展览', 3);
    expect(f.leadDays).toBe(2);
    expect((await c.clerkT.post(`/api/event-filings/${f.id}/submit`)).body.late).toBe(false);
  });

  it('a kind without parent approval: unit leader approves; then the summary after the event', async () => {
    const f = await file(c.clerkT, u.T, '讲座', 10);
    expect((await c.leaderT.post(`/api/event-filings/${f.id}/approve`, {})).status).toBe(409); // still a draft
    await c.clerkT.post(`/api/event-filings/${f.id}/submit`);
    expect((await c.clerkT.post(`/api/event-filings/${f.id}/approve`, {})).status).toBe(403);
    expect((await c.clerkS.post(`/api/event-filings/${f.id}/approve`, {})).status).toBe(404);
    // the unit's leader was told, and the clerk is told of the decision
    const inbox = (await c.leaderT.get('/api/notifications')).body.items.map((n: { title: string }) => n.title);
    expect(inbox).toContain('活动报备待本单位审批：学习贯彻专题讲座');
    const ok = await c.leaderT.post(`/api/event-filings/${f.id}/approve`, { comment: '同意举办' });
    expect((await c.clerkT.get('/api/notifications')).body.items.map((n: { title: string }) => n.title)).toContain(
      '活动报备已同意：学习贯彻专题讲座',
    );
    expect(ok.body.state).toBe('approved');
    // the event has not happened yet: no summary
    const early = await c.clerkT.post(`/api/event-filings/${f.id}/summary`, { summary: '已举办' });
    expect(early.status).toBe(409);
    expect(early.body.message).toContain('尚未举行');
  });

  it('a kind that needs the parent: unit leader, then the parent leader; a rejection goes back for editing', async () => {
    const f = await file(c.clerkV, u.V, '报告会', 14);
    await c.clerkV.post(`/api/event-filings/${f.id}/submit`);
    const first = await c.leaderV.post(`/api/event-filings/${f.id}/approve`, {});
    expect(first.body.state).toBe('pendingParent');
    expect((await c.leaderV.post(`/api/event-filings/${f.id}/approve-parent`, {})).status).toBe(403);
    const rej = await c.leaderT.post(`/api/event-filings/${f.id}/reject`, { comment: '请补充讲稿提纲' });
    expect(rej.body.state).toBe('rejected');
    expect(rej.body.decisionComment).toBe('请补充讲稿提纲');
    expect((await c.clerkV.patch(`/api/event-filings/${f.id}`, { venue: '村文化礼堂' })).status).toBe(200);
    await c.clerkV.post(`/api/event-filings/${f.id}/submit`);
    await c.leaderV.post(`/api/event-filings/${f.id}/approve`, {});
    const done = await c.leaderT.post(`/api/event-filings/${f.id}/approve-parent`, { comment: '同意' });
    expect(done.body.state).toBe('approved');
    expect((await c.clerkV.patch(`/api/event-filings/${f.id}`, { venue: '改' })).status).toBe(409);
  });

  it('every state × action: legal ones move, illegal ones are 409 with the state unchanged', async () => {
    const actorFor: Record<EventFilingAction, Client> = {
      submit: c.clerkV,
      approve: c.leaderV,
      approveParent: c.leaderT,
      reject: c.leaderT,
      summarize: c.clerkV,
    };
    const body: Record<EventFilingAction, unknown> = {
      submit: {},
      approve: {},
      approveParent: {},
      reject: { comment: '不同意' },
      summarize: { summary: '已举办' },
    };
    const path: Record<EventFilingState, EventFilingAction[]> = {
      draft: [],
      pending: ['submit'],
      pendingParent: ['submit', 'approve'],
      approved: ['submit', 'approve', 'approveParent'],
      rejected: ['submit', 'reject'],
      done: ['submit', 'approve', 'approveParent', 'summarize'],
    };
    for (const state of Object.keys(path) as EventFilingState[]) {
      for (const action of Object.keys(transitions) as EventFilingAction[]) {
        const f = await file(c.clerkV, u.V, '论坛', -1); // already held, so a summary is possible
        for (const a of path[state])
          expect(
            (
              await actorFor[a].post(
                `/api/event-filings/${f.id}/${a === 'approveParent' ? 'approve-parent' : a === 'summarize' ? 'summary' : a}`,
                body[a],
              )
            ).status,
          ).toBe(200);
        const url = `/api/event-filings/${f.id}/${action === 'approveParent' ? 'approve-parent' : action === 'summarize' ? 'summary' : action}`;
        const res = await actorFor[action].post(url, body[action]);
        const legal = transitions[action].from.includes(state);
        expect(res.status, `${action} from ${state}: ${JSON.stringify(res.body)}`).toBe(legal ? 200 : 409);
        if (!legal) expect((await c.clerkV.get(`/api/event-filings/${f.id}`)).body.state).toBe(state);
      }
    }
  }, 120_000);

  it('a leader cannot approve a filing they made themselves', async () => {
    const f = await file(c.leaderT, u.T, '讲座', 10);
    await c.leaderT.post(`/api/event-filings/${f.id}/submit`);
    const res = await c.leaderT.post(`/api/event-filings/${f.id}/approve`, {});
    expect(res.status).toBe(403);
    expect(res.body.message).toContain('本人');
    // the parent's leader may
    expect((await c.leaderR.post(`/api/event-filings/${f.id}/approve`, {})).body.state).toBe('approved');
  });

  it('the calendar lists the subtree’s upcoming events, never a sibling’s', async () => {
    const f = await file(c.clerkV, u.V, '研讨会', 20);
    const q = `from=${encodeURIComponent(inDays(19))}&to=${encodeURIComponent(inDays(21))}`;
    expect((await c.leaderT.get(`/api/event-filings?${q}`)).body.items.map((x: { id: string }) => x.id)).toContain(f.id);
    expect((await c.clerkS.get(`/api/event-filings?${q}`)).body.total).toBe(0);
    expect((await c.clerkS.get(`/api/event-filings/${f.id}`)).status).toBe(404);
  });

  it('rejects bad input with Chinese field messages', async () => {
    const res = await c.clerkT.post('/api/event-filings', { unitId: u.T, kindId: kinds.讲座, topic: '', venue: '', startsAt: 'x' });
    expect(res.status).toBe(400);
    expect(res.body.fields.topic).toBe('请输入主题');
    const ends = await c.clerkT.post('/api/event-filings', {
      unitId: u.T,
      kindId: kinds.讲座,
      topic: 'a',
      venue: 'b',
      startsAt: inDays(9),
      endsAt: inDays(8),
    });
    expect(ends.status).toBe(400);
    expect(ends.body.fields.endsAt).toBeTruthy();
  });
});
