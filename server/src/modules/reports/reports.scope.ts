import type { SubmissionState } from '@dutyledger/contracts';
import type { Fixture, ScopeCases } from '../../../test/scope.js';

const DAY = 86_400_000;

async function templateId(fx: Fixture): Promise<string> {
  const res = await fx.as.clerkA.get('/api/report-templates');
  return res.body.find((t: { family: string }) => t.family === 'halfYear').id;
}

/** A fresh window opened by A for its village A1 (closes in 10 days). */
async function windowOfA(fx: Fixture): Promise<string> {
  const year = new Date().getFullYear();
  const res = await fx.as.adminA.post('/api/report-windows', {
    unitId: fx.units.A,
    kind: 'halfYear',
    title: `矩阵半年报告${Math.random()}`,
    periodKind: 'halfYear',
    periodYear: year,
    periodIndex: 1,
    templateId: await templateId(fx),
    target: { kind: 'units', unitIds: [fx.units.A1] },
    closesAt: new Date(Date.now() + 10 * DAY).toISOString(),
  });
  if (res.status !== 200) throw new Error(`open window: ${JSON.stringify(res.body)}`);
  return res.body.id;
}

/** A fresh submission of A1 to a fresh window of A, brought to `state` by the proper sides. */
async function submissionOfA1(fx: Fixture, state: SubmissionState = 'draft'): Promise<string> {
  const windowId = await windowOfA(fx);
  const res = await fx.as.clerkA1.post(`/api/report-windows/${windowId}/submissions`, { unitId: fx.units.A1 });
  if (res.status !== 200) throw new Error(`create submission: ${JSON.stringify(res.body)}`);
  const id: string = res.body.id;
  if (state === 'draft') return id;
  await fx.as.clerkA1.post(`/api/report-submissions/${id}/submit`);
  return id;
}

/** Scope cases of the reports routes: A's windows for A1, A1's submissions, the global templates. */
export const scopeCases: ScopeCases = {
  'GET /api/report-templates': {
    permission: 'report.read',
    owner: 'clerkA1',
    denied: { auditor: 403, sysAdmin: 403, secAdmin: 403 },
    request: async () => ({ url: '/api/report-templates' }),
    around: { skip: 'a dictionary shared by every unit: no unit is targeted' },
  },
  'GET /api/report-prefill-sources': {
    permission: 'report.read',
    owner: 'clerkA1',
    denied: { auditor: 403, sysAdmin: 403 },
    request: async () => ({ url: '/api/report-prefill-sources' }),
    around: { skip: 'a dictionary shared by every unit: no unit is targeted' },
  },
  'GET /api/report-templates/:id': {
    permission: 'report.read',
    owner: 'clerkA1',
    denied: { auditor: 403, sysAdmin: 403 },
    request: async (fx) => ({ url: `/api/report-templates/${await templateId(fx)}` }),
    around: { skip: 'a dictionary shared by every unit: no unit is targeted' },
  },
  'PUT /api/report-templates/:id': {
    permission: 'reportTemplate.manage',
    // global: only a unit admin of a top unit (no parent) edits it
    owner: 'adminR',
    denied: { adminA: 403, adminA1: 403, clerkA: 403, sysAdmin: 403, auditor: 403 },
    request: async (fx) => ({
      url: `/api/report-templates/${await templateId(fx)}`,
      body: { name: '意识形态工作半年报告', sections: [{ key: 'overview', title: '一、总体情况', prefill: ['meetings'] }] },
    }),
  },
  'GET /api/report-windows': { self: 'lists only windows opened by or targeting units in the caller scope (reports.test.ts)' },
  'GET /api/report-windows/export': { self: 'exports only windows readable in the caller scope (reports.test.ts)' },
  'POST /api/report-windows': {
    permission: 'reportWindow.manage',
    owner: 'adminA',
    denied: { adminB: 403, clerkA: 403, adminA1: 403, clerkA1: 403, auditor: 403 },
    request: async (fx) => ({
      url: '/api/report-windows',
      body: {
        unitId: fx.units.A,
        kind: 'selfInspection',
        title: '矩阵自查报告',
        periodKind: 'halfYear',
        periodYear: new Date().getFullYear(),
        periodIndex: 2,
        templateId: await templateId(fx),
        target: { kind: 'descendants', rootUnitId: fx.units.A },
      },
    }),
  },
  'GET /api/report-windows/:id': {
    permission: 'report.read',
    owner: 'clerkA1',
    denied: { clerkB: 404, adminB: 404, auditor: 404, auditorA1: 404 },
    request: async (fx) => ({ url: `/api/report-windows/${await windowOfA(fx)}` }),
  },
  'GET /api/report-windows/:id/board': {
    permission: 'report.read',
    owner: 'clerkA',
    // the target unit reads the window but not the board
    denied: { clerkA1: 403, adminA1: 403, clerkB: 404, adminB: 404, auditor: 404 },
    request: async (fx) => ({ url: `/api/report-windows/${await windowOfA(fx)}/board` }),
  },
  'POST /api/report-windows/:id/remind': {
    permission: 'reportWindow.manage',
    owner: 'adminA',
    // clerkA reads the board but does not manage the window
    denied: { clerkA: 403, clerkA1: 403, adminA1: 403, clerkB: 404, adminB: 404, auditor: 404 },
    request: async (fx) => ({ url: `/api/report-windows/${await windowOfA(fx)}/remind` }),
  },
  'GET /api/report-windows/:id/zip': {
    permission: 'report.read',
    owner: 'adminA',
    denied: { clerkA1: 403, clerkB: 404, adminB: 404, auditor: 404 },
    request: async (fx) => ({ url: `/api/report-windows/${await windowOfA(fx)}/zip` }),
  },
  'POST /api/report-windows/:id/submissions': {
    permission: 'report.write',
    owner: 'clerkA1',
    // clerkA reads A's window but cannot file for A1; B and the auditors cannot see it
    denied: { clerkA: 403, clerkB: 404, adminB: 404, auditor: 404, auditorA1: 404 },
    request: async (fx) => ({ url: `/api/report-windows/${await windowOfA(fx)}/submissions`, body: { unitId: fx.units.A1 } }),
  },
  'GET /api/report-submissions': { self: 'lists only target rows of units in the caller scope (reports.test.ts)' },
  'GET /api/report-submissions/:id': {
    permission: 'report.read',
    owner: 'clerkA1',
    denied: { clerkB: 404, adminB: 404, auditor: 404, auditorA1: 404 },
    request: async (fx) => ({ url: `/api/report-submissions/${await submissionOfA1(fx)}` }),
  },
  'GET /api/report-submissions/:id/docx': {
    permission: 'report.read',
    owner: 'adminA',
    denied: { clerkB: 404, adminB: 404, auditor: 404 },
    request: async (fx) => ({ url: `/api/report-submissions/${await submissionOfA1(fx, 'submitted')}/docx` }),
    around: { target: 'A1' },
  },
  'PUT /api/report-submissions/:id': {
    permission: 'report.write',
    owner: 'clerkA1',
    denied: { clerkA: 403, clerkB: 404, adminB: 404, auditor: 404 },
    request: async (fx) => ({
      url: `/api/report-submissions/${await submissionOfA1(fx)}`,
      body: { sections: [{ key: 'overview', text: '总体情况良好' }] },
    }),
  },
  'POST /api/report-submissions/:id/submit': {
    permission: 'report.write',
    owner: 'clerkA1',
    denied: { clerkA: 403, clerkB: 404, adminB: 404, auditor: 404 },
    request: async (fx) => ({ url: `/api/report-submissions/${await submissionOfA1(fx)}/submit` }),
  },
  'POST /api/report-submissions/:id/return': {
    permission: 'reportWindow.manage',
    owner: 'adminA',
    denied: { clerkA1: 403, adminA1: 403, clerkB: 404, adminB: 404 },
    request: async (fx) => ({
      url: `/api/report-submissions/${await submissionOfA1(fx, 'submitted')}/return`,
      body: { reason: '内容不全' },
    }),
  },
  'POST /api/report-submissions/:id/accept': {
    permission: 'reportWindow.manage',
    owner: 'adminA',
    denied: { clerkA1: 403, adminA1: 403, clerkB: 404, adminB: 404 },
    request: async (fx) => ({ url: `/api/report-submissions/${await submissionOfA1(fx, 'submitted')}/accept` }),
  },
};
