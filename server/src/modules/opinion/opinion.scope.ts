import type { Fixture, ScopeCases } from '../../../test/scope.js';

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();
const future = (days: number) => new Date(Date.now() + days * DAY).toISOString();

async function platformId(fx: Fixture): Promise<string> {
  return (await fx.as.clerkA1.get('/api/opinion-platforms')).body[0].id;
}

type EventStage = 'found' | 'assessing' | 'handling' | 'responded';
/** A fresh opinion event of A1 (recorded by A1's clerk), optionally escalated to A, brought to `stage`. */
async function eventOfA1(fx: Fixture, opts: { escalated?: boolean; stage?: EventStage } = {}): Promise<string> {
  const res = await fx.as.clerkA1.post('/api/opinion-events', {
    unitId: fx.units.A1,
    title: '矩阵舆情事件',
    sources: [{ platformId: await platformId(fx), url: 'https://example.com/post/1' }],
    firstSeenAt: ago(1),
    level: 'general',
  });
  const id: string = res.body.id;
  if (opts.escalated) await fx.as.clerkA1.post(`/api/opinion-events/${id}/escalate`, { reason: '涉及镇级事项' });
  const stage = opts.stage ?? 'found';
  if (stage === 'found') return id;
  await fx.as.clerkA1.post(`/api/opinion-events/${id}/assess`, {});
  if (stage === 'assessing') return id;
  await fx.as.clerkA1.post(`/api/opinion-events/${id}/handle`, {});
  if (stage === 'handling') return id;
  await fx.as.clerkA1.post(`/api/opinion-events/${id}/responses`, { kind: 'statement', content: '发布情况说明', happenedAt: ago(0) });
  await fx.as.clerkA1.post(`/api/opinion-events/${id}/respond`, {});
  return id;
}

/** A fresh analysis report of A1 (reported to A), optionally submitted. */
async function reportOfA1(fx: Fixture, submitted = false): Promise<{ id: string; measureId: string }> {
  const res = await fx.as.clerkA1.post('/api/analysis-reports', {
    unitId: fx.units.A1,
    periodKind: 'quarter',
    year: 2026,
    index: 3,
    situation: '总体平稳',
    risks: '个别网络话题需关注',
    measures: ['加强阵地管理'],
  });
  const id: string = res.body.id;
  if (submitted) await fx.as.clerkA1.post(`/api/analysis-reports/${id}/submit`);
  return { id, measureId: res.body.measures[0].id };
}

async function planOfA(fx: Fixture): Promise<string> {
  const res = await fx.as.clerkA.post('/api/response-plans', {
    unitId: fx.units.A,
    title: '矩阵应急预案',
    body: '预案正文',
    levels: ['major', 'critical'],
  });
  return res.body.id;
}

async function bulletinOfA(fx: Fixture): Promise<string> {
  const res = await fx.as.adminA.post('/api/bulletins', {
    unitId: fx.units.A,
    title: '矩阵通报',
    body: '通报正文',
    target: { kind: 'units', unitIds: [fx.units.A1] },
  });
  return res.body.id;
}

/** Scope cases of the opinion routes: A1's reports and events (reported / escalated to A), A's plans and bulletins. */
export const scopeCases: ScopeCases = {
  'GET /api/opinion-platforms': {
    permission: 'opinion.read',
    owner: 'clerkA1',
    denied: { auditor: 403, sysAdmin: 403, secAdmin: 403 },
    request: async () => ({ url: '/api/opinion-platforms' }),
    around: { skip: 'a dictionary shared by every unit: no unit is targeted' },
  },

  // ---- analysis reports
  'GET /api/analysis-reports': { self: 'lists only the reports readable in the caller scope (analysis.test.ts)' },
  'POST /api/analysis-reports': {
    permission: 'analysis.write',
    owner: 'clerkA1',
    denied: { adminA: 403, clerkA: 403, adminB: 403, auditor: 403, auditorA1: 403 },
    request: async (fx) => ({
      url: '/api/analysis-reports',
      body: { unitId: fx.units.A1, periodKind: 'halfYear', year: 2026, index: 1, situation: '平稳' },
    }),
  },
  'GET /api/analysis-reports/:id': {
    permission: 'opinion.read',
    owner: 'clerkA1',
    // a draft stays with its unit: the parent does not see it yet
    denied: { adminA: 404, clerkA: 404, adminB: 404, clerkB: 404, auditor: 404, auditorA1: 404 },
    request: async (fx) => ({ url: `/api/analysis-reports/${(await reportOfA1(fx)).id}` }),
  },
  'PATCH /api/analysis-reports/:id': {
    permission: 'analysis.write',
    owner: 'clerkA1',
    denied: { adminA: 404, adminB: 404, clerkB: 404, auditorA1: 404 },
    request: async (fx) => ({ url: `/api/analysis-reports/${(await reportOfA1(fx)).id}`, body: { situation: '修改后的形势' } }),
  },
  'POST /api/analysis-reports/:id/submit': {
    permission: 'analysis.write',
    owner: 'clerkA1',
    denied: { adminA: 404, adminB: 404, clerkB: 404, auditorA1: 404 },
    request: async (fx) => ({ url: `/api/analysis-reports/${(await reportOfA1(fx)).id}/submit` }),
  },
  'POST /api/analysis-reports/:id/read': {
    permission: 'analysis.review',
    owner: 'adminA',
    denied: { clerkA1: 403, adminA1: 403, clerkA: 403, adminB: 404, clerkB: 404, auditor: 404 },
    request: async (fx) => ({ url: `/api/analysis-reports/${(await reportOfA1(fx, true)).id}/read` }),
  },
  'POST /api/analysis-reports/:id/return': {
    permission: 'analysis.review',
    owner: 'adminA',
    denied: { clerkA1: 403, clerkA: 403, adminB: 404, clerkB: 404 },
    request: async (fx) => ({ url: `/api/analysis-reports/${(await reportOfA1(fx, true)).id}/return`, body: { reason: '请补充风险分析' } }),
  },
  'POST /api/analysis-reports/:id/comments': {
    permission: 'analysis.review',
    owner: 'adminA',
    denied: { clerkA1: 403, clerkA: 403, adminB: 404, clerkB: 404 },
    request: async (fx) => ({ url: `/api/analysis-reports/${(await reportOfA1(fx, true)).id}/comments`, body: { body: '分析到位' } }),
  },
  'POST /api/analysis-measures/:id/task': {
    permission: 'analysis.review',
    owner: 'adminA',
    denied: { clerkA1: 403, clerkA: 403, adminB: 404, clerkB: 404 },
    request: async (fx) => ({
      url: `/api/analysis-measures/${(await reportOfA1(fx, true)).measureId}/task`,
      body: { deadline: future(10) },
    }),
  },

  // ---- opinion events
  'GET /api/opinion-events': { self: 'lists only the events readable in the caller scope (events.test.ts)' },
  'GET /api/opinion-events/export': { self: 'exports only the events readable in the caller scope (events.test.ts)' },
  'GET /api/opinion-events/board': {
    permission: 'opinion.read',
    owner: 'clerkA1',
    denied: { adminB: 404, clerkA: 404, auditor: 403, sysAdmin: 403 },
    request: async (fx) => ({ url: `/api/opinion-events/board?rootUnitId=${fx.units.A1}` }),
  },
  'POST /api/opinion-events': {
    permission: 'opinion.write',
    owner: 'clerkA1',
    denied: { adminA: 403, clerkA: 403, adminB: 403, auditor: 403, auditorA1: 403 },
    request: async (fx) => ({
      url: '/api/opinion-events',
      body: {
        unitId: fx.units.A1,
        title: '新登记事件',
        sources: [{ platformId: await platformId(fx), url: '' }],
        firstSeenAt: ago(0),
        level: 'serious',
      },
    }),
  },
  'GET /api/opinion-events/:id': {
    permission: 'opinion.read',
    owner: 'clerkA1',
    // not escalated: the parent does not see it (escalation: events.test.ts)
    denied: { adminA: 404, clerkA: 404, adminB: 404, clerkB: 404, auditor: 404, auditorA1: 404 },
    request: async (fx) => ({ url: `/api/opinion-events/${await eventOfA1(fx)}` }),
  },
  'PATCH /api/opinion-events/:id': {
    permission: 'opinion.write',
    owner: 'clerkA1',
    denied: { adminA: 403, clerkA: 403, adminB: 404, clerkB: 404, auditorA1: 404 },
    request: async (fx) => ({ url: `/api/opinion-events/${await eventOfA1(fx, { escalated: true })}`, body: { level: 'major' } }),
  },
  'POST /api/opinion-events/:id/assess': {
    permission: 'opinion.write',
    owner: 'clerkA1',
    denied: { adminA: 403, clerkA: 403, adminB: 404, clerkB: 404, auditor: 404 },
    request: async (fx) => ({ url: `/api/opinion-events/${await eventOfA1(fx, { escalated: true })}/assess`, body: {} }),
  },
  'POST /api/opinion-events/:id/handle': {
    permission: 'opinion.write',
    owner: 'clerkA1',
    denied: { adminA: 403, adminB: 404, clerkB: 404 },
    request: async (fx) => ({
      url: `/api/opinion-events/${await eventOfA1(fx, { escalated: true, stage: 'assessing' })}/handle`,
      body: {},
    }),
  },
  'POST /api/opinion-events/:id/respond': {
    permission: 'opinion.write',
    owner: 'clerkA1',
    denied: { adminA: 403, adminB: 404, clerkB: 404 },
    request: async (fx) => {
      const id = await eventOfA1(fx, { escalated: true, stage: 'handling' });
      await fx.as.clerkA1.post(`/api/opinion-events/${id}/responses`, { kind: 'concern', content: '回应关切', happenedAt: ago(0) });
      return { url: `/api/opinion-events/${id}/respond`, body: {} };
    },
  },
  'POST /api/opinion-events/:id/close': {
    permission: 'opinion.write',
    owner: 'clerkA1',
    denied: { adminA: 403, adminB: 404, clerkB: 404 },
    request: async (fx) => ({
      url: `/api/opinion-events/${await eventOfA1(fx, { escalated: true, stage: 'responded' })}/close`,
      body: { conclusion: '问题已解决，结果已公布' },
    }),
  },
  'POST /api/opinion-events/:id/entries': {
    permission: 'opinion.write',
    owner: 'clerkA1',
    // the parent may comment (kind comment, events.test.ts) but not write the unit's own notes
    denied: { adminA: 403, clerkA: 403, adminB: 404, clerkB: 404 },
    request: async (fx) => ({
      url: `/api/opinion-events/${await eventOfA1(fx, { escalated: true })}/entries`,
      body: { kind: 'note', body: '了解到的情况' },
    }),
  },
  'POST /api/opinion-events/:id/responses': {
    permission: 'opinion.write',
    owner: 'clerkA1',
    denied: { adminA: 403, adminB: 404, clerkB: 404 },
    request: async (fx) => ({
      url: `/api/opinion-events/${await eventOfA1(fx, { escalated: true, stage: 'handling' })}/responses`,
      body: { kind: 'result', content: '公布处理结果', url: 'https://example.com/notice', happenedAt: ago(0) },
    }),
  },
  'POST /api/opinion-events/:id/escalate': {
    permission: 'opinion.write',
    owner: 'clerkA1',
    denied: { adminA: 404, clerkA: 404, adminB: 404, clerkB: 404, auditorA1: 404 },
    request: async (fx) => ({ url: `/api/opinion-events/${await eventOfA1(fx)}/escalate`, body: { reason: '需上级协调' } }),
  },

  // ---- emergency plans
  'GET /api/response-plans': { self: 'lists only the plans readable in the caller scope (plans.test.ts)' },
  'POST /api/response-plans': {
    permission: 'opinion.write',
    owner: 'clerkA',
    denied: { adminB: 403, clerkA1: 403, adminA1: 403, auditor: 403 },
    request: async (fx) => ({ url: '/api/response-plans', body: { unitId: fx.units.A, title: '应急预案', levels: ['general'] } }),
  },
  'GET /api/response-plans/:id': {
    permission: 'opinion.read',
    owner: 'clerkA',
    denied: { adminB: 404, clerkB: 404, auditor: 404, sysAdmin: 404 },
    request: async (fx) => ({ url: `/api/response-plans/${await planOfA(fx)}` }),
    around: { except: { child: "a unit's emergency plan applies below it: the units below read it (plans.ts)" } },
  },
  'POST /api/response-plans/:id/versions': {
    permission: 'opinion.write',
    owner: 'clerkA',
    // A1 reads its parent's plan but may not revise it
    denied: { clerkA1: 403, adminA1: 403, adminB: 404, clerkB: 404, auditor: 404 },
    request: async (fx) => ({
      url: `/api/response-plans/${await planOfA(fx)}/versions`,
      body: { body: '修订后的正文', levels: ['general', 'serious'], note: '年度修订' },
    }),
  },
  'POST /api/response-plans/:id/drills': {
    permission: 'opinion.write',
    owner: 'clerkA',
    denied: { clerkA1: 403, adminB: 404, clerkB: 404 },
    request: async (fx) => ({
      url: `/api/response-plans/${await planOfA(fx)}/drills`,
      body: { heldAt: ago(3), scenario: '网络谣言处置桌面推演', summary: '流程顺畅' },
    }),
  },

  // ---- bulletins
  'GET /api/bulletins': { self: 'lists only the bulletins sent by units in the caller scope (bulletins.test.ts)' },
  'GET /api/bulletins/inbox': { self: 'the bulletins sent to the unit the caller acts for (bulletins.test.ts)' },
  'POST /api/bulletins': {
    permission: 'bulletin.send',
    owner: 'adminA',
    denied: { clerkA: 403, adminB: 403, adminA1: 403, clerkA1: 403, auditor: 403 },
    request: async (fx) => ({
      url: '/api/bulletins',
      body: { unitId: fx.units.A, title: '关于加强阵地管理的通报', body: '正文', target: { kind: 'units', unitIds: [fx.units.A1] } },
    }),
  },
  'GET /api/bulletins/:id': {
    permission: 'bulletin.read',
    owner: 'clerkA1',
    denied: { adminB: 404, clerkB: 404, auditor: 404, auditorA1: 404 },
    request: async (fx) => ({ url: `/api/bulletins/${await bulletinOfA(fx)}` }),
  },
  'POST /api/bulletins/:id/read': {
    permission: 'bulletin.read',
    owner: 'clerkA1',
    denied: { clerkA: 403, adminA: 403, adminB: 404, clerkB: 404, auditorA1: 404 },
    request: async (fx) => ({ url: `/api/bulletins/${await bulletinOfA(fx)}/read` }),
  },
  'GET /api/bulletins/:id/receipts': {
    permission: 'bulletin.read',
    owner: 'adminA',
    denied: { clerkA1: 403, adminB: 404, clerkB: 404 },
    request: async (fx) => ({ url: `/api/bulletins/${await bulletinOfA(fx)}/receipts` }),
  },
};
