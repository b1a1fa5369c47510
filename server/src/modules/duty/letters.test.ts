import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson, buildRoot, buildUnit, type Client, type Harness, login, startHarness } from '../../../test/harness.js';
import { samplePdf, upload } from '../../core/attachments/attachments.scope.js';
import { auditEntries } from '../../core/schema.js';
import { letterTransitions } from './letters.js';
import { dutyLetters } from './responsibility-schema.js';

let h: Harness;
const u = {} as Record<'R' | 'T' | 'V1' | 'V2' | 'V3' | 'S', string>;
const p = {} as Record<'adminT' | 'leaderT' | 'secV1' | 'secV2' | 'clerkV1' | 'adminS', string>;
const c = {} as Record<'adminT' | 'leaderT' | 'clerkV1' | 'adminS', Client>;

beforeAll(async () => {
  h = await startHarness();
  u.R = (await buildRoot(h, '状县委')).id;
  u.T = (await buildUnit(h, u.R, '状镇党委', '乡镇')).id;
  u.V1 = (await buildUnit(h, u.T, '一村党支部', '村')).id;
  u.V2 = (await buildUnit(h, u.T, '二村党支部', '村')).id;
  u.V3 = (await buildUnit(h, u.T, '三社区党支部', '社区')).id;
  u.S = (await buildUnit(h, u.R, '邻镇党委', '乡镇')).id;
  const specs = {
    adminT: { unitId: u.T, roles: ['unitAdmin'] },
    leaderT: { unitId: u.T, roles: ['leader'] },
    secV1: { unitId: u.V1, roles: ['leader'] },
    secV2: { unitId: u.V2, roles: ['leader'] },
    clerkV1: { unitId: u.V1, roles: ['clerk'] },
    adminS: { unitId: u.S, roles: ['unitAdmin'] },
  } as const;
  for (const [key, spec] of Object.entries(specs)) {
    const person = await buildPerson(h, { ...spec, roles: [...spec.roles] });
    p[key as keyof typeof p] = person.id;
    if (key in c || ['adminT', 'leaderT', 'clerkV1', 'adminS'].includes(key)) c[key as keyof typeof c] = await login(h, person.username);
  }
  // V1's 第一责任人 is its secretary: the default signer
  const res = await c.adminT.post(`/api/responsibility/units/${u.V1}/assignments`, {
    kind: 'first',
    personId: p.secV1,
    fromDate: '2026-01-01',
  });
  expect(res.status).toBe(200);
});
afterAll(() => h.close());

const scan = async (client: Client, unitId: string) => {
  const res = await upload(client, unitId, '责任状.pdf', Buffer.concat([samplePdf, randomBytes(8)]));
  expect(res.status).toBe(200);
  return res.body.id as string;
};
const status = async (id: string) => (await h.database.db.select().from(dutyLetters).where(eq(dutyLetters.id, id)))[0]!.status;

describe('responsibility letters', () => {
  it('has one transition: draft → signed', () => {
    expect(letterTransitions).toEqual({ sign: { label: '签订', from: ['draft'], to: 'signed' } });
  });

  it('is created as a draft with the unit first responsible person as signer; one per unit and year', async () => {
    const res = await c.adminT.post('/api/duty-letters', { unitId: u.V1, year: 2026, upperSignerPersonId: p.leaderT });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      unitId: u.V1,
      upperUnitId: u.T,
      year: 2026,
      title: '2026年度意识形态工作责任状',
      signerPersonId: p.secV1,
      upperSignerPersonId: p.leaderT,
      status: 'draft',
      statusLabel: '未签订',
      signedDate: null,
    });
    const dup = await c.adminT.post('/api/duty-letters', { unitId: u.V1, year: 2026, upperSignerPersonId: p.leaderT });
    expect(dup.status).toBe(409);
  });

  it('refuses a unit without a first responsible person, a signer from elsewhere, a top unit (400, nothing written)', async () => {
    const before = (await h.database.db.select().from(auditEntries)).length;
    const noFirst = await c.adminT.post('/api/duty-letters', { unitId: u.V2, year: 2026, upperSignerPersonId: p.leaderT });
    expect(noFirst.status).toBe(400);
    expect(noFirst.body.fields.signerPersonId).toMatch(/第一责任人/);
    const wrongUpper = await c.adminT.post('/api/duty-letters', {
      unitId: u.V2,
      year: 2026,
      upperSignerPersonId: p.secV1,
      signerPersonId: p.secV2,
    });
    expect(wrongUpper.body.fields.upperSignerPersonId).toBeTruthy();
    const wrongSigner = await c.adminT.post('/api/duty-letters', {
      unitId: u.V2,
      year: 2026,
      upperSignerPersonId: p.leaderT,
      signerPersonId: p.secV1,
    });
    expect(wrongSigner.body.fields.signerPersonId).toBeTruthy();
    const bad = await c.adminT.post('/api/duty-letters', { unitId: u.V2, year: 1900, upperSignerPersonId: 'x' });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.fields).sort()).toEqual(['upperSignerPersonId', 'year']);
    expect((await h.database.db.select().from(auditEntries)).length).toBe(before);
  });

  it('signs only with the scan attached; a signed letter cannot be signed again or edited (409, unchanged)', async () => {
    const letter = (await c.adminT.post('/api/duty-letters', { unitId: u.V1, year: 2025, upperSignerPersonId: p.leaderT })).body;
    const without = await c.adminT.post(`/api/duty-letters/${letter.id}/sign`, { signedDate: '2025-03-01' });
    expect(without.status).toBe(400);
    expect(without.body.fields.attachmentIds).toMatch(/扫描件/);
    expect(await status(letter.id)).toBe('draft');
    const future = await c.adminT.post(`/api/duty-letters/${letter.id}/sign`, {
      signedDate: '2999-01-01',
      attachmentIds: [await scan(c.adminT, u.V1)],
    });
    expect(future.status).toBe(400);
    expect(await status(letter.id)).toBe('draft');
    // the failed attempts linked nothing
    expect((await c.clerkV1.get(`/api/duty-letters/${letter.id}`)).body.attachments).toEqual([]);

    // a draft may be edited, a scan attached beforehand
    const edited = await c.adminT.patch(`/api/duty-letters/${letter.id}`, {
      title: '2025年度意识形态工作目标责任书',
      attachmentIds: [await scan(c.adminT, u.V1)],
    });
    expect(edited.status).toBe(200);
    expect(edited.body.attachments).toHaveLength(1);
    const signed = await c.leaderT.post(`/api/duty-letters/${letter.id}/sign`, { signedDate: '2025-03-01' });
    expect(signed.status).toBe(200);
    expect(signed.body).toMatchObject({
      status: 'signed',
      statusLabel: '已签订',
      signedDate: '2025-03-01',
      title: '2025年度意识形态工作目标责任书',
    });
    const audit = await h.database.db
      .select()
      .from(auditEntries)
      .where(and(eq(auditEntries.entity, 'dutyLetter'), eq(auditEntries.entityId, letter.id)));
    expect(audit.map((a) => a.action)).toEqual(['create', 'update', 'transition:draft->signed']);

    const again = await c.adminT.post(`/api/duty-letters/${letter.id}/sign`, {
      signedDate: '2025-03-02',
      attachmentIds: [await scan(c.adminT, u.V1)],
    });
    expect(again.status).toBe(409);
    const edit = await c.adminT.patch(`/api/duty-letters/${letter.id}`, { title: '改' });
    expect(edit.status).toBe(409);
    const [row] = await h.database.db.select().from(dutyLetters).where(eq(dutyLetters.id, letter.id));
    expect(row).toMatchObject({ status: 'signed', signedDate: '2025-03-01', title: '2025年度意识形态工作目标责任书' });
  });

  it('two signs at once: one wins, the other gets 409', async () => {
    for (const year of [2020, 2021, 2022]) {
      const letter = (await c.adminT.post('/api/duty-letters', { unitId: u.V1, year, upperSignerPersonId: p.leaderT })).body;
      const [a, b] = [await scan(c.adminT, u.V1), await scan(c.leaderT, u.V1)];
      const results = await Promise.all([
        c.adminT.post(`/api/duty-letters/${letter.id}/sign`, { signedDate: `${year}-02-01`, attachmentIds: [a] }),
        c.leaderT.post(`/api/duty-letters/${letter.id}/sign`, { signedDate: `${year}-02-02`, attachmentIds: [b] }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      const audit = await h.database.db
        .select()
        .from(auditEntries)
        .where(and(eq(auditEntries.entityId, letter.id), eq(auditEntries.action, 'transition:draft->signed')));
      expect(audit).toHaveLength(1);
    }
  });

  it('the board shows each unit of the subtree as 未发起 / 未签订 / 已签订, filterable and exportable', async () => {
    // 2024: V1 signed, V2 draft, V3 not started
    const l1 = (await c.adminT.post('/api/duty-letters', { unitId: u.V1, year: 2024, upperSignerPersonId: p.leaderT })).body;
    await c.adminT.post(`/api/duty-letters/${l1.id}/sign`, { signedDate: '2024-02-01', attachmentIds: [await scan(c.adminT, u.V1)] });
    await c.adminT.post('/api/duty-letters', { unitId: u.V2, year: 2024, upperSignerPersonId: p.leaderT, signerPersonId: p.secV2 });
    const board = (await c.leaderT.get(`/api/duty-letters/board?rootUnitId=${u.T}&year=2024`)).body;
    expect(board.total).toBe(3);
    expect(Object.fromEntries(board.items.map((r: { unitName: string; statusLabel: string }) => [r.unitName, r.statusLabel]))).toEqual({
      一村党支部: '已签订',
      二村党支部: '未签订',
      三社区党支部: '未发起',
    });
    const notStarted = (await c.leaderT.get(`/api/duty-letters/board?rootUnitId=${u.T}&year=2024&status=notStarted`)).body;
    expect(notStarted.items.map((r: { unitId: string }) => r.unitId)).toEqual([u.V3]);
    const signed = (await c.leaderT.get(`/api/duty-letters/board?rootUnitId=${u.T}&year=2024&status=signed&unitType=村`)).body;
    expect(signed.items.map((r: { unitId: string }) => r.unitId)).toEqual([u.V1]);
    // a board rooted outside the caller's reach: 404
    expect((await c.clerkV1.get(`/api/duty-letters/board?rootUnitId=${u.T}&year=2024`)).status).toBe(404);
    expect((await c.adminS.get(`/api/duty-letters/board?rootUnitId=${u.T}&year=2024`)).status).toBe(404);
    const xlsx = await c.leaderT.get(`/api/duty-letters/board/export?rootUnitId=${u.T}&year=2024`);
    expect(xlsx.status).toBe(200);
    expect(String(xlsx.headers['content-type'])).toContain('spreadsheetml');
  });
});
