import type { Fixture, ScopeCases } from '../../../test/scope.js';

const DAY = 86_400_000;
const inDays = (n: number) => new Date(Date.now() + n * DAY).toISOString();

/** Dictionary lookups and the shared channel are built once per fixture (they are read-only for the cases). */
const memo = new WeakMap<Fixture, Map<string, Promise<unknown>>>();
function cached<T>(fx: Fixture, key: string, build: () => Promise<T>): Promise<T> {
  let m = memo.get(fx);
  if (!m) {
    m = new Map();
    memo.set(fx, m);
  }
  if (!m.has(key)) m.set(key, build());
  return m.get(key) as Promise<T>;
}
function dictFirst(fx: Fixture, kind: string, name?: string): Promise<string> {
  return cached(fx, `dict:${kind}:${name ?? ''}`, async () => {
    const items = (await fx.as.clerkA.get(`/api/channel-dicts/${kind}`)).body as { id: string; name: string }[];
    return (name ? items.find((i) => i.name === name)! : items[0]!).id;
  });
}
function checklist(fx: Fixture) {
  return cached(fx, 'checklist', async () => {
    const items = (await fx.as.clerkA.get('/api/channel-dicts/reviewCheck')).body as { id: string; active: boolean }[];
    return items.filter((i) => i.active).map((i) => ({ itemId: i.id, ok: true }));
  });
}

/** A fresh channel of A with a one-level chain reviewed by A's admin. */
async function channelOfA(fx: Fixture): Promise<string> {
  const res = await fx.as.adminA.post('/api/channels', {
    unitId: fx.units.A,
    supervisorUnitId: fx.units.A,
    typeId: await dictFirst(fx, 'channelType'),
    name: `矩阵阵地${Math.random()}`,
    reviewChain: [[fx.people.adminA.id]],
  });
  if (res.status !== 200) throw new Error(JSON.stringify(res.body));
  return res.body.id;
}

/** The channel of A that the publication cases share (nobody changes it). */
const sharedChannel = (fx: Fixture) => cached(fx, 'channel', () => channelOfA(fx));

/** A draft by A's clerk. */
async function draftOfA(fx: Fixture): Promise<string> {
  const res = await fx.as.clerkA.post('/api/publications', { channelId: await sharedChannel(fx), title: '矩阵稿件', body: '<p>正文</p>' });
  return res.body.id;
}
async function inReview(fx: Fixture): Promise<string> {
  const id = await draftOfA(fx);
  await fx.as.clerkA.post(`/api/publications/${id}/submit`);
  return id;
}
async function toPublish(fx: Fixture): Promise<string> {
  const id = await inReview(fx);
  await fx.as.adminA.post(`/api/publications/${id}/approve`, { checklist: await checklist(fx) });
  return id;
}
async function published(fx: Fixture): Promise<string> {
  const id = await toPublish(fx);
  await fx.as.clerkA.post(`/api/publications/${id}/publish`, { url: 'https://example.gov.cn/a/1' });
  return id;
}

/** A filing of `unit` by its clerk. */
async function filing(fx: Fixture, unit: 'A' | 'A1' = 'A', kind = '讲座', startsIn = 30): Promise<string> {
  const as = unit === 'A' ? fx.as.clerkA : fx.as.clerkA1;
  const res = await as.post('/api/event-filings', {
    unitId: fx.units[unit],
    kindId: await dictFirst(fx, 'eventKind', kind),
    topic: '矩阵讲座',
    speakers: [{ name: '张老师', affiliation: '县委党校' }],
    venue: '报告厅',
    startsAt: inDays(startsIn),
  });
  if (res.status !== 200) throw new Error(JSON.stringify(res.body));
  return res.body.id;
}
async function pendingFiling(fx: Fixture, unit: 'A' | 'A1' = 'A', kind = '讲座', startsIn = 30): Promise<string> {
  const id = await filing(fx, unit, kind, startsIn);
  await (unit === 'A' ? fx.as.clerkA : fx.as.clerkA1).post(`/api/event-filings/${id}/submit`);
  return id;
}

/** A self-check round of A (this quarter) and a result with one problem for a fresh channel. */
async function roundOfA(fx: Fixture): Promise<string> {
  await sharedChannel(fx);
  const res = await fx.as.adminA.post('/api/self-check-rounds', { unitId: fx.units.A });
  return res.body.id;
}
async function resultWithProblem(fx: Fixture): Promise<string> {
  const roundId = await roundOfA(fx);
  const channelId = await channelOfA(fx);
  const res = await fx.as.clerkA.post(`/api/self-check-rounds/${roundId}/results`, {
    channelId,
    answers: [{ item: '账号安全', ok: false }],
    problems: ['管理员密码长期未更换'],
  });
  return res.body.channels.find((c: { channelId: string }) => c.channelId === channelId).result.id;
}

/**
 * One target per case: a refused request changes nothing (the matrix checks it), so the same target serves
 * every outsider and then the owner. Keeps the matrix fast (it builds channels, items and filings).
 */
function once(build: (fx: Fixture) => Promise<{ url: string; body?: unknown }>) {
  let cached: Promise<{ url: string; body?: unknown }> | undefined;
  let forFx: Fixture | undefined;
  return (fx: Fixture) => {
    if (!cached || forFx !== fx) {
      forFx = fx;
      cached = build(fx);
    }
    return cached;
  };
}

/** sibling, child, wrong role */
const outside404 = { adminB: 404, clerkA1: 404, auditor: 404 } as const;

/** Scope cases of the channels routes: the global dictionaries, and A's channels, items, filings and self-checks. */
export const scopeCases: ScopeCases = {
  'GET /api/channel-dicts/:kind': {
    permission: 'channel.read',
    owner: 'clerkA1',
    denied: { auditor: 403, sysAdmin: 403, secAdmin: 403 },
    request: once(async (_fx) => ({ url: '/api/channel-dicts/channelType' })),
    around: { skip: 'a dictionary shared by every unit: no unit is targeted' },
  },
  'POST /api/channel-dicts/:kind': {
    permission: 'channel.manage',
    owner: 'adminR',
    denied: { adminA: 403, adminA1: 403, adminB: 403, clerkA: 403, leaderA: 403, sysAdmin: 403, auditor: 403 },
    request: once(async (_fx) => ({ url: '/api/channel-dicts/channelType', body: { name: `新阵地类型${Math.random()}` } })),
  },
  'PATCH /api/channel-dicts/:kind/:id': {
    permission: 'channel.manage',
    owner: 'adminR',
    denied: { adminA: 403, adminB: 403, clerkA: 403, sysAdmin: 403, auditor: 403 },
    request: once(async (fx) => {
      const res = await fx.as.adminR.post('/api/channel-dicts/reviewCheck', { name: `矩阵要点${Math.random()}`, active: false });
      return { url: `/api/channel-dicts/reviewCheck/${res.body.id}`, body: { sort: 5 } };
    }),
  },
  'GET /api/channels': { self: 'lists only the channels of units in the caller scope (channels.test.ts)' },
  'GET /api/channels/export': { self: 'exports only the channels of units in the caller scope (channels.test.ts)' },
  'GET /api/publications/export': { self: 'exports only the items the caller may read (same query as the list)' },
  'GET /api/event-filings/export': { self: 'exports only the filings of units in the caller scope (same query as the list)' },
  'GET /api/channels/stats': { self: 'counts only the channels of units in the caller scope (channels.test.ts)' },
  'GET /api/channels/:id': {
    permission: 'channel.read',
    owner: 'clerkA',
    denied: { ...outside404, sysAdmin: 404 },
    request: once(async (fx) => ({ url: `/api/channels/${await sharedChannel(fx)}` })),
  },
  'POST /api/channels': {
    permission: 'channel.manage',
    owner: 'adminA',
    denied: { clerkA: 403, leaderA: 403, adminB: 403, clerkB: 403, adminA1: 403, auditor: 403, sysAdmin: 403 },
    request: once(async (fx) => ({
      url: '/api/channels',
      body: {
        unitId: fx.units.A,
        supervisorUnitId: fx.units.R,
        typeId: await dictFirst(fx, 'channelType'),
        name: 'A镇门户网站',
        address: 'https://a.example.gov.cn',
        reviewChain: [[fx.people.clerkA.id], [fx.people.adminA.id]],
      },
    })),
  },
  'PATCH /api/channels/:id': {
    permission: 'channel.manage',
    owner: 'adminA',
    denied: { clerkA: 403, ...outside404 },
    request: once(async (fx) => ({ url: `/api/channels/${await channelOfA(fx)}`, body: { status: 'paused' } })),
  },
  'GET /api/publications': { self: 'lists only items the caller wrote, reviews or reads in scope (publications.test.ts)' },
  'GET /api/publications/:id': {
    permission: 'channel.read',
    owner: 'clerkA',
    denied: outside404,
    request: once(async (fx) => ({ url: `/api/publications/${await draftOfA(fx)}` })),
  },
  'POST /api/publications': {
    permission: 'publication.write',
    owner: 'clerkA',
    denied: { adminB: 403, clerkB: 403, clerkA1: 403, adminA1: 403, auditor: 403 },
    request: once(async (fx) => ({
      url: '/api/publications',
      body: { channelId: await sharedChannel(fx), title: '新稿件', body: '<p>x</p>' },
    })),
  },
  'PATCH /api/publications/:id': {
    permission: null,
    relation: 'only the author edits a draft: no role reaches somebody else’s draft',
    owner: 'clerkA',
    denied: { adminA: 403, ...outside404 },
    request: once(async (fx) => ({ url: `/api/publications/${await draftOfA(fx)}`, body: { title: '改过的标题' } })),
  },
  'POST /api/publications/:id/submit': {
    permission: null,
    relation: 'only the author submits a draft: no role reaches somebody else’s draft',
    owner: 'clerkA',
    denied: { adminA: 403, ...outside404 },
    request: once(async (fx) => ({ url: `/api/publications/${await draftOfA(fx)}/submit` })),
  },
  'POST /api/publications/:id/approve': {
    permission: null,
    relation: "only the reviewers named in the channel's chain review (谁发布谁审核): no role does by itself",
    owner: 'adminA',
    denied: { clerkA: 403, adminR: 403, leaderA: 403, ...outside404 },
    request: once(async (fx) => ({ url: `/api/publications/${await inReview(fx)}/approve`, body: { checklist: await checklist(fx) } })),
    around: { except: { parent: "only the reviewers named in the channel's chain review (谁发布谁审核), not the unit admin above" } },
  },
  'POST /api/publications/:id/return': {
    permission: null,
    relation: "only the reviewers named in the channel's chain review (谁发布谁审核): no role does by itself",
    owner: 'adminA',
    denied: { clerkA: 403, adminR: 403, ...outside404 },
    request: once(async (fx) => ({ url: `/api/publications/${await inReview(fx)}/return`, body: { comment: '导向把关不严' } })),
    around: { except: { parent: "only the reviewers named in the channel's chain review (谁发布谁审核), not the unit admin above" } },
  },
  'POST /api/publications/:id/publish': {
    permission: 'channel.manage',
    owner: 'clerkA',
    denied: { leaderA: 403, ...outside404 },
    request: once(async (fx) => ({ url: `/api/publications/${await toPublish(fx)}/publish`, body: { url: 'https://example.gov.cn/a/2' } })),
  },
  'POST /api/publications/:id/withdraw': {
    permission: 'channel.manage',
    owner: 'clerkA',
    denied: { leaderA: 403, ...outside404 },
    request: once(async (fx) => ({ url: `/api/publications/${await published(fx)}/withdraw`, body: { reason: '发现差错，紧急撤回' } })),
  },
  'GET /api/event-filings': { self: 'lists only the filings of units in the caller scope (filings.test.ts)' },
  'GET /api/event-filings/:id': {
    permission: 'channel.read',
    owner: 'clerkA',
    denied: outside404,
    request: once(async (fx) => ({ url: `/api/event-filings/${await filing(fx)}` })),
  },
  'POST /api/event-filings': {
    permission: 'eventFiling.write',
    owner: 'clerkA',
    denied: { adminB: 403, clerkB: 403, clerkA1: 403, adminA1: 403, auditor: 403 },
    request: once(async (fx) => ({
      url: '/api/event-filings',
      body: {
        unitId: fx.units.A,
        kindId: await dictFirst(fx, 'eventKind'),
        topic: '学习宣传报告会',
        venue: '镇会议室',
        startsAt: inDays(20),
      },
    })),
  },
  'PATCH /api/event-filings/:id': {
    permission: 'eventFiling.write',
    owner: 'clerkA',
    denied: outside404,
    request: once(async (fx) => ({ url: `/api/event-filings/${await filing(fx)}`, body: { venue: '镇文化站' } })),
  },
  'POST /api/event-filings/:id/submit': {
    permission: 'eventFiling.write',
    owner: 'clerkA',
    denied: outside404,
    request: once(async (fx) => ({ url: `/api/event-filings/${await filing(fx)}/submit` })),
  },
  'POST /api/event-filings/:id/approve': {
    permission: 'eventFiling.approve',
    owner: 'leaderA',
    denied: { clerkA: 403, adminA: 403, ...outside404 },
    request: once(async (fx) => ({ url: `/api/event-filings/${await pendingFiling(fx)}/approve`, body: { comment: '同意' } })),
  },
  'POST /api/event-filings/:id/approve-parent': {
    permission: 'eventFiling.approve',
    owner: 'leaderA',
    denied: { clerkA1: 403, adminA1: 403, adminB: 404, clerkB: 404, auditor: 404 },
    request: once(async (fx) => {
      const id = await pendingFiling(fx, 'A1', '报告会');
      await fx.as.leaderA.post(`/api/event-filings/${id}/approve`, {});
      return { url: `/api/event-filings/${id}/approve-parent`, body: {} };
    }),
  },
  'POST /api/event-filings/:id/reject': {
    permission: 'eventFiling.approve',
    owner: 'leaderA',
    denied: { clerkA: 403, adminA: 403, ...outside404 },
    request: once(async (fx) => ({ url: `/api/event-filings/${await pendingFiling(fx)}/reject`, body: { comment: '主题需进一步明确' } })),
  },
  'POST /api/event-filings/:id/summary': {
    permission: 'eventFiling.write',
    owner: 'clerkA',
    denied: outside404,
    request: once(async (fx) => {
      const id = await pendingFiling(fx, 'A', '讲座', -1);
      await fx.as.leaderA.post(`/api/event-filings/${id}/approve`, {});
      return { url: `/api/event-filings/${id}/summary`, body: { summary: '讲座如期举行，约80人参加。' } };
    }),
  },
  'GET /api/self-check-rounds': { self: 'lists only the rounds of units in the caller scope (selfcheck.test.ts)' },
  'GET /api/self-check-rounds/:id': {
    permission: 'channel.read',
    owner: 'clerkA',
    denied: outside404,
    request: once(async (fx) => ({ url: `/api/self-check-rounds/${await roundOfA(fx)}` })),
  },
  'POST /api/self-check-rounds': {
    permission: 'channel.manage',
    owner: 'adminA',
    denied: { clerkA: 403, adminB: 403, clerkB: 403, adminA1: 403, auditor: 403 },
    request: once(async (fx) => ({ url: '/api/self-check-rounds', body: { unitId: fx.units.A, year: 2026, quarter: 1 } })),
  },
  'POST /api/self-check-rounds/:id/results': {
    permission: 'selfCheck.write',
    owner: 'clerkA',
    denied: outside404,
    request: once(async (fx) => ({
      url: `/api/self-check-rounds/${await roundOfA(fx)}/results`,
      body: { channelId: await sharedChannel(fx), answers: [{ item: '阵地已登记', ok: true }], problems: [] },
    })),
  },
  'POST /api/self-check-results/:id/problems/:index/task': {
    permission: 'task.assign',
    owner: 'clerkA',
    denied: outside404,
    request: once(async (fx) => ({
      url: `/api/self-check-results/${await resultWithProblem(fx)}/problems/0/task`,
      body: { deadline: inDays(15) },
    })),
  },
};
