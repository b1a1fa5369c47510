import type { PublicationAction, PublicationState } from '@dutyledger/contracts';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson, buildRoot, buildUnit, type Client, type Harness, login, startHarness } from '../../../test/harness.js';
import { nextState, transitions } from './publications.js';
import { publicationSteps } from './schema.js';

let h: Harness;
const u = {} as Record<'R' | 'T' | 'S', string>;
const c = {} as Record<'author' | 'rev1' | 'rev1b' | 'rev2' | 'rev3' | 'adminT' | 'clerkS' | 'other', Client>;
const ids = {} as Record<keyof typeof c, string>;
let typeId: string;
let checklist: { itemId: string; ok: boolean }[];

beforeAll(async () => {
  h = await startHarness();
  u.R = (await buildRoot(h, '稿件县委')).id;
  u.T = (await buildUnit(h, u.R, '甲镇党委', '乡镇')).id;
  u.S = (await buildUnit(h, u.R, '乙镇党委', '乡镇')).id;
  const mk = async (key: keyof typeof c, unitId: string, roles: ('unitAdmin' | 'leader' | 'clerk')[]) => {
    const p = await buildPerson(h, { unitId, roles });
    ids[key] = p.id;
    c[key] = await login(h, p.username);
  };
  await mk('author', u.T, ['clerk']);
  await mk('rev1', u.T, ['clerk']);
  await mk('rev1b', u.T, ['clerk']);
  await mk('rev2', u.T, ['leader']);
  await mk('rev3', u.R, ['leader']);
  await mk('adminT', u.T, ['unitAdmin']);
  await mk('clerkS', u.S, ['clerk']);
  await mk('other', u.T, ['clerk']);
  typeId = (await c.author.get('/api/channel-dicts/channelType')).body[0].id;
  checklist = (await c.author.get('/api/channel-dicts/reviewCheck')).body.map((i: { id: string }) => ({ itemId: i.id, ok: true }));
  expect(checklist).toHaveLength(5);
});
afterAll(() => h.close());

async function channelWith(chain: string[][]): Promise<string> {
  const res = await c.adminT.post('/api/channels', {
    unitId: u.T,
    supervisorUnitId: u.R,
    typeId,
    name: `公众号${Math.random()}`,
    reviewChain: chain,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.id;
}
const chainOf = (levels: number) => [[ids.rev1, ids.rev1b], [ids.rev2], [ids.rev3]].slice(0, levels);
const reviewerOf = (level: number) => [c.rev1, c.rev2, c.rev3][level - 1]!;
const levelOf = (s: PublicationState) => (s === 'review1' ? 1 : s === 'review2' ? 2 : s === 'review3' ? 3 : null);

const bodies: Record<PublicationAction, () => unknown> = {
  submit: () => ({}),
  approve: () => ({ comment: '同意', checklist }),
  return: () => ({ comment: '标题表述不准确', checklist }),
  publish: () => ({ url: 'https://example.gov.cn/news/1' }),
  withdraw: () => ({ reason: '发现数据差错' }),
};
function actorFor(action: PublicationAction, state: PublicationState): Client {
  if (transitions[action].side === 'reviewer') return reviewerOf(levelOf(state) ?? 1);
  return c.author;
}
async function act(id: string, action: PublicationAction, state: PublicationState, as = actorFor(action, state)) {
  return as.post(`/api/publications/${id}/${action}`, bodies[action]());
}
async function stateOf(id: string): Promise<PublicationState> {
  return (await c.author.get(`/api/publications/${id}`)).body.state;
}

/** A fresh item of a channel with `levels` levels, brought to `state` through the API. */
async function itemIn(channelId: string, levels: number, state: PublicationState): Promise<string> {
  const created = await c.author.post('/api/publications', { channelId, title: '关于开展主题宣传活动的报道', body: '<p>正文</p>' });
  expect(created.status, JSON.stringify(created.body)).toBe(200);
  const id = created.body.id as string;
  const path: [PublicationAction, PublicationState][] = [];
  const toReview = (k: number) => {
    path.push(['submit', 'draft']);
    for (let l = 1; l < k; l++) path.push(['approve', `review${l}` as PublicationState]);
  };
  if (state === 'draft') return id;
  if (state.startsWith('review')) toReview(levelOf(state)!);
  if (state === 'returned') path.push(['submit', 'draft'], ['return', 'review1']);
  if (['toPublish', 'published', 'withdrawn'].includes(state)) toReview(levels + 1);
  if (state === 'published' || state === 'withdrawn') path.push(['publish', 'toPublish']);
  if (state === 'withdrawn') path.push(['withdraw', 'published']);
  for (const [action, from] of path) {
    const res = await act(id, action, from);
    expect(res.status, `${action} from ${from}: ${JSON.stringify(res.body)}`).toBe(200);
  }
  expect(await stateOf(id)).toBe(state);
  return id;
}

describe.each([1, 2, 3])('a review chain of %i level(s)', (levels) => {
  let channelId: string;
  beforeAll(async () => {
    channelId = await channelWith(chainOf(levels));
  });
  const states: PublicationState[] = [
    'draft',
    ...(['review1', 'review2', 'review3'] as PublicationState[]).slice(0, levels),
    'toPublish',
    'published',
    'returned',
    'withdrawn',
  ];
  it('allows exactly the legal transitions; an illegal one is a 409 and leaves the state unchanged', async () => {
    for (const state of states) {
      const actions = Object.keys(transitions) as PublicationAction[];
      // refused actions change nothing, so one item serves them all; each allowed action gets its own item
      const shared = await itemIn(channelId, levels, state);
      for (const action of actions.filter((a) => !transitions[a].from.includes(state))) {
        const res = await act(shared, action, state);
        expect(res.status, `${action} from ${state}`).toBe(409);
        expect(res.body.code).toBe('ILLEGAL_TRANSITION');
        expect(await stateOf(shared)).toBe(state);
      }
      const legal = actions.filter((a) => transitions[a].from.includes(state));
      for (const [i, action] of legal.entries()) {
        const id = i === 0 ? shared : await itemIn(channelId, levels, state);
        const res = await act(id, action, state);
        expect(res.status, `${action} from ${state}: ${JSON.stringify(res.body)}`).toBe(200);
        expect(res.body.state, `${action} from ${state}`).toBe(nextState(action, state, levels));
      }
    }
  }, 120_000);

  it('walks the whole chain level by level and keeps every step in the history', async () => {
    const id = await itemIn(channelId, levels, 'published');
    const detail = (await c.author.get(`/api/publications/${id}`)).body;
    expect(detail.publishedUrl).toBe('https://example.gov.cn/news/1');
    expect(detail.publishedAt).toBeTruthy();
    expect(detail.steps.map((s: { action: string }) => s.action)).toEqual(['submit', ...Array(levels).fill('approve'), 'publish']);
    const approvals = detail.steps.filter((s: { action: string }) => s.action === 'approve');
    expect(approvals.map((s: { level: number }) => s.level)).toEqual([1, 2, 3].slice(0, levels));
    expect(approvals[0].checklist).toHaveLength(5);
    expect(approvals[0].checklist.map((x: { name: string }) => x.name)).toEqual(['政治', '法律', '政策', '保密', '文字']);
    expect(approvals[0].actorName).toBeTruthy();
  });
});

describe('who may review', () => {
  it('refuses self-review even when the author is named in the chain', async () => {
    const channelId = await channelWith([[ids.author, ids.rev1]]);
    const id = (await c.author.post('/api/publications', { channelId, title: '自审稿件' })).body.id;
    expect((await c.author.post(`/api/publications/${id}/submit`)).status).toBe(200);
    const res = await c.author.post(`/api/publications/${id}/approve`, { checklist });
    expect(res.status).toBe(403);
    expect(res.body.message).toContain('本人');
    expect(await stateOf(id)).toBe('review1');
    // not in the author's inbox, in the other reviewer's
    expect((await c.author.get('/api/publications?box=inbox')).body.items.map((p: { id: string }) => p.id)).not.toContain(id);
    expect((await c.rev1.get('/api/publications?box=inbox')).body.items.map((p: { id: string }) => p.id)).toContain(id);
    expect((await c.rev1.post(`/api/publications/${id}/approve`, { checklist })).status).toBe(200);
  });

  it('refuses a reviewer of another level, and a unit admin who is not named', async () => {
    const channelId = await channelWith(chainOf(2));
    const id = await itemIn(channelId, 2, 'review1');
    expect((await c.rev2.post(`/api/publications/${id}/approve`, { checklist })).status).toBe(403);
    expect((await c.adminT.post(`/api/publications/${id}/approve`, { checklist })).status).toBe(403);
    expect((await c.clerkS.post(`/api/publications/${id}/approve`, { checklist })).status).toBe(404);
    expect(await stateOf(id)).toBe('review1');
  });

  it('approving needs every checklist item confirmed; returning needs a reason', async () => {
    const channelId = await channelWith(chainOf(1));
    const id = await itemIn(channelId, 1, 'review1');
    const partial = await c.rev1.post(`/api/publications/${id}/approve`, { checklist: checklist.slice(0, 3) });
    expect(partial.status).toBe(400);
    expect(partial.body.fields.checklist).toContain('保密');
    const noReason = await c.rev1.post(`/api/publications/${id}/return`, { comment: '' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.fields.comment).toBeTruthy();
    expect(await stateOf(id)).toBe('review1');
  });

  it('concurrent approvals of the same step: one wins, the other gets 409', async () => {
    const channelId = await channelWith(chainOf(2));
    const id = await itemIn(channelId, 2, 'review1');
    const [a, b] = await Promise.all([
      c.rev1.post(`/api/publications/${id}/approve`, { checklist, level: 1 }),
      c.rev1b.post(`/api/publications/${id}/approve`, { checklist, level: 1 }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    expect(await stateOf(id)).toBe('review2');
    const steps = await h.database.db.select().from(publicationSteps).where(eq(publicationSteps.publicationId, id));
    expect(steps.filter((s) => s.action === 'approve')).toHaveLength(1);
    // without the level too: a reviewer of a level already passed gets a conflict
    const id2 = await itemIn(channelId, 2, 'review1');
    const [x, y] = await Promise.all([
      c.rev1.post(`/api/publications/${id2}/approve`, { checklist }),
      c.rev1b.post(`/api/publications/${id2}/approve`, { checklist }),
    ]);
    expect([x.status, y.status].sort()).toEqual([200, 409]);
  });

  it('withdrawal only after publication, with a reason', async () => {
    const channelId = await channelWith(chainOf(1));
    const id = await itemIn(channelId, 1, 'toPublish');
    expect((await c.author.post(`/api/publications/${id}/withdraw`, { reason: '紧急撤回' })).status).toBe(409);
    expect((await c.author.post(`/api/publications/${id}/publish`, { url: 'https://example.gov.cn/x' })).status).toBe(200);
    expect((await c.author.post(`/api/publications/${id}/withdraw`, { reason: '' })).status).toBe(400);
    const res = await c.adminT.post(`/api/publications/${id}/withdraw`, { reason: '发现差错，紧急撤回' });
    expect(res.status).toBe(200);
    expect(res.body.state).toBe('withdrawn');
    expect(res.body.withdrawReason).toBe('发现差错，紧急撤回');
  });

  it('a returned item goes back to the author, who edits and resubmits from the first level', async () => {
    const channelId = await channelWith(chainOf(2));
    const id = await itemIn(channelId, 2, 'review2');
    const ret = await c.rev2.post(`/api/publications/${id}/return`, { comment: '数据需核实' });
    expect(ret.body.state).toBe('returned');
    expect(ret.body.returnReason).toBe('数据需核实');
    expect((await c.other.patch(`/api/publications/${id}`, { title: '他人修改' })).status).toBe(403);
    expect((await c.author.patch(`/api/publications/${id}`, { title: '修改后的标题' })).status).toBe(200);
    expect((await c.author.post(`/api/publications/${id}/submit`)).body.state).toBe('review1');
    // not editable while under review
    expect((await c.author.patch(`/api/publications/${id}`, { title: '再改' })).status).toBe(409);
  });
});

describe('a chain changed during review', () => {
  it('shortened: the last remaining level decides for the levels the chain no longer has', async () => {
    const channelId = await channelWith(chainOf(3));
    const id = await itemIn(channelId, 3, 'review3');
    expect((await c.adminT.patch(`/api/channels/${channelId}`, { reviewChain: chainOf(2) })).status).toBe(200);
    expect((await c.rev3.post(`/api/publications/${id}/approve`, { checklist })).status).toBe(403);
    expect((await c.rev2.get('/api/publications?box=inbox')).body.items.map((p: { id: string }) => p.id)).toContain(id);
    expect((await c.rev2.get(`/api/publications/${id}`)).body.canReview).toBe(true);
    const res = await c.rev2.post(`/api/publications/${id}/approve`, { checklist });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ state: 'toPublish', levels: 2 });
  });

  it('lengthened: an item keeps the levels it was submitted with', async () => {
    const channelId = await channelWith(chainOf(1));
    const id = await itemIn(channelId, 1, 'review1');
    expect((await c.adminT.patch(`/api/channels/${channelId}`, { reviewChain: chainOf(2) })).status).toBe(200);
    expect((await c.rev1.post(`/api/publications/${id}/approve`, { checklist })).body.state).toBe('toPublish');
  });
});

describe('the rich-text sanitizer', () => {
  it('never lets <script> or onerror= back out of the API', async () => {
    const channelId = await channelWith(chainOf(1));
    const evil =
      '<p>正文<strong>加粗</strong></p><script>alert(1)</script><img src="x" onerror="alert(2)"><a href="javascript:alert(3)">链接</a><p onclick="x()">段落</p>';
    const created = await c.author.post('/api/publications', { channelId, title: '净化测试', body: evil });
    expect(created.status).toBe(200);
    const check = (body: string) => {
      expect(body).not.toMatch(/<script/i);
      expect(body).not.toMatch(/onerror/i);
      expect(body).not.toMatch(/onclick/i);
      expect(body).not.toMatch(/javascript:/i);
      expect(body).toContain('<strong>加粗</strong>');
    };
    check(created.body.body);
    check((await c.author.get(`/api/publications/${created.body.id}`)).body.body);
    const patched = await c.author.patch(`/api/publications/${created.body.id}`, { body: `${evil}<svg onload=alert(4)>` });
    check(patched.body.body);
    expect(patched.body.body).not.toMatch(/onload|<svg/i);
  });
});

describe('lists and statistics', () => {
  it('the author sees their items, a sibling unit sees nothing; statistics count returns and review time', async () => {
    const channelId = await channelWith(chainOf(1));
    const a = await itemIn(channelId, 1, 'published');
    const r = await itemIn(channelId, 1, 'returned');
    const mine = (await c.author.get(`/api/publications?box=mine&channelId=${channelId}`)).body;
    expect(mine.items.map((p: { id: string }) => p.id).sort()).toEqual([a, r].sort());
    expect((await c.clerkS.get(`/api/publications?channelId=${channelId}`)).body.total).toBe(0);
    const stats = (await c.adminT.get('/api/channels/stats')).body.find((s: { channelId: string }) => s.channelId === channelId);
    expect(stats).toMatchObject({ submitted: 2, returned: 1, published: 1 });
    expect(stats.medianReviewHours).toBeTypeOf('number');
    expect((await c.clerkS.get('/api/channels/stats')).body.find((s: { channelId: string }) => s.channelId === channelId)).toBeUndefined();
  });
});
