import { getHashes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson, buildRoot, buildUnit, type Client, type Harness, login, startHarness } from '../../test/harness.js';
import { rowsOf } from '../db/client.js';
import { canonicalJson, verifyAudit, writeAudit } from './audit.js';
import { inTx } from './context.js';

let h: Harness;
let admin: Client;
let auditor: Client;
let rootId: string;

beforeAll(async () => {
  h = await startHarness();
  rootId = (await buildRoot(h)).id;
  admin = await login(h, (await buildPerson(h, { unitId: rootId, roles: ['sysAdmin'] })).username);
  auditor = await login(h, (await buildPerson(h, { unitId: rootId, roles: ['auditor'] })).username);
});
afterAll(() => h.close());

const lastEntry = async () =>
  (
    await rowsOf<{ seq: number; action: string; before: unknown; after: unknown; actor_name: string }>(
      h.database.db,
      sql`SELECT * FROM audit_entries ORDER BY seq DESC LIMIT 1`,
    )
  )[0]!;

describe('audit log', () => {
  it('records a change with actor, before and after, in the same transaction', async () => {
    const u = await admin.post('/api/units', { parentId: rootId, name: '审计测试镇', type: '乡镇' });
    await admin.patch(`/api/units/${u.body.id}`, { name: '审计测试镇（改）' });
    const e = await lastEntry();
    expect(e.action).toBe('update');
    expect(e.actor_name).toMatch(/测试人员/);
    expect(e.before).toMatchObject({ name: '审计测试镇' });
    expect(e.after).toMatchObject({ name: '审计测试镇（改）' });
  });

  it('writes nothing when the change is refused', async () => {
    const before = await lastEntry();
    const res = await admin.post('/api/units', { parentId: rootId, name: '审计测试镇（改）', type: '乡镇' });
    expect(res.status).toBe(409);
    expect((await lastEntry()).seq).toBe(before.seq);
  });

  it('never stores password hashes', async () => {
    await admin.post('/api/people', {
      username: 'audited.person',
      displayName: '审计对象',
      post: { unitId: rootId, title: '干事', roles: ['clerk'] },
    });
    const rows = await rowsOf<{ t: string }>(h.database.db, sql`SELECT after::text AS t FROM audit_entries WHERE entity = 'person'`);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r.t).not.toMatch(/argon2|passwordHash/);
  });

  it('is readable by the auditor only, and verifies', async () => {
    const list = await auditor.get('/api/audit?pageSize=5');
    expect(list.status).toBe(200);
    expect(list.body.total).toBeGreaterThan(3);
    expect(list.body.items[0].seq).toBeGreaterThan(list.body.items[1].seq);
    expect((await admin.get('/api/audit')).status).toBe(403);
    expect((await auditor.get('/api/audit/verify')).body).toMatchObject({ ok: true, brokenAt: null });
    const logins = await auditor.get('/api/login-log');
    expect(logins.body.items.some((x: { success: boolean }) => x.success)).toBe(true);
    // the auditor cannot change data
    expect((await auditor.post('/api/units', { parentId: rootId, name: '审计员建的单位', type: '其他' })).status).toBe(403);
  });

  it('refuses UPDATE and DELETE of audit rows, even from the application connection', async () => {
    await expect(h.database.db.execute(sql`UPDATE audit_entries SET action = 'x' WHERE seq = 1`)).rejects.toThrow();
    await expect(h.database.db.execute(sql`DELETE FROM audit_entries WHERE seq = 1`)).rejects.toThrow();
    await expect(h.database.db.execute(sql`TRUNCATE audit_entries`)).rejects.toThrow();
  });

  it('detects a raw SQL edit of one row and names it', async () => {
    const ok = await verifyAudit(h.database.db);
    expect(ok.ok).toBe(true);
    const target = Math.max(2, Math.floor(ok.checked / 2));
    // a superuser who disables the guard trigger and edits a row: the chain still tells
    await h.database.db.execute(sql`ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_no_update_delete`);
    await h.database.db.execute(sql`UPDATE audit_entries SET after = '{"name":"篡改"}'::jsonb WHERE seq = ${target}`);
    await h.database.db.execute(sql`ALTER TABLE audit_entries ENABLE TRIGGER audit_entries_no_update_delete`);
    const broken = await verifyAudit(h.database.db);
    expect(broken).toMatchObject({ ok: false, brokenAt: target });
    expect(broken.reason).toContain('修改');
    const api = await auditor.get('/api/audit/verify');
    expect(api.body).toMatchObject({ ok: false, brokenAt: target });
  });
});

describe('canonicalJson', () => {
  it('does not depend on key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 'x'], c: null } })).toBe(canonicalJson({ a: { c: null, d: [1, 'x'] }, b: 1 }));
  });
});

describe('SM3 (国密) chain', () => {
  const sm3 = getHashes().includes('sm3');
  it.skipIf(!sm3)('hashes new entries with SM3 when configured and still verifies the whole chain', async () => {
    const h2 = await startHarness({ auditHash: 'sm3' });
    try {
      const r = (await buildRoot(h2)).id;
      await buildUnit(h2, r, '国密镇', '乡镇');
      const rows = await rowsOf<{ algo: string; hash: string }>(h2.database.db, sql`SELECT algo, hash FROM audit_entries`);
      expect(rows.every((x) => x.algo === 'sm3' && /^[0-9a-f]{64}$/.test(x.hash))).toBe(true);
      expect((await verifyAudit(h2.database.db)).ok).toBe(true);
    } finally {
      await h2.close();
    }
  });
});

describe('audit appends inside inTx', () => {
  it('inside inTx, appends are written last, in call order; a rolled-back savepoint or transaction leaves none', async () => {
    const count = async (entity: string) =>
      Number(
        (await rowsOf<{ n: number }>(h.database.db, sql`SELECT count(*)::int AS n FROM audit_entries WHERE entity = ${entity}`))[0]!.n,
      );
    const seen: number[] = [];
    await inTx(h.ctx, async (tx) => {
      await writeAudit(tx, { action: 'one', entity: 'deferTest' });
      // queued, not yet in the table (same transaction, same connection)
      seen.push(
        Number((await rowsOf<{ n: number }>(tx.db, sql`SELECT count(*)::int AS n FROM audit_entries WHERE entity = 'deferTest'`))[0]!.n),
      );
      await inTx(tx, async (inner) => writeAudit(inner, { action: 'two', entity: 'deferTest' }));
      await inTx(tx, async (inner) => {
        await writeAudit(inner, { action: 'dropped', entity: 'deferTest' });
        throw new Error('savepoint rolls back');
      }).catch(() => {});
      await writeAudit(tx, { action: 'three', entity: 'deferTest' });
    });
    expect(seen).toEqual([0]);
    const actions = await rowsOf<{ action: string }>(
      h.database.db,
      sql`SELECT action FROM audit_entries WHERE entity = 'deferTest' ORDER BY seq`,
    );
    expect(actions.map((a) => a.action)).toEqual(['one', 'two', 'three']);
    await expect(
      inTx(h.ctx, async (tx) => {
        await writeAudit(tx, { action: 'never', entity: 'deferTest2' });
        throw new Error('rolls back');
      }),
    ).rejects.toThrow('rolls back');
    expect(await count('deferTest2')).toBe(0);
  });
});

describe('one chain per region', () => {
  it('entries of two towns go to two chains, each linked in itself; the top unit and unit-less entries to ""', async () => {
    const a = (await buildUnit(h, rootId, '链甲镇', '乡镇')).id;
    const a1 = (await buildUnit(h, a, '链甲村', '村')).id;
    const b = (await buildUnit(h, rootId, '链乙镇', '乡镇')).id;
    await inTx(h.ctx, async (tx) => {
      await writeAudit(tx, { action: 'chainTest', entity: 'chainTest', unitId: a1 });
      await writeAudit(tx, { action: 'chainTest', entity: 'chainTest', unitId: b });
      await writeAudit(tx, { action: 'chainTest', entity: 'chainTest', unitId: rootId });
      await writeAudit(tx, { action: 'chainTest', entity: 'chainTest' });
    });
    const rows = await rowsOf<{ chain: string }>(
      h.database.db,
      sql`SELECT chain FROM audit_entries WHERE entity = 'chainTest' ORDER BY seq`,
    );
    expect(rows.map((r) => r.chain)).toEqual([a, b, '', '']);
    // each entry links to the previous entry of its own chain
    const links = await rowsOf<{ ok: boolean }>(
      h.database.db,
      sql`SELECT e.prev_hash = COALESCE((SELECT p.hash FROM audit_entries p WHERE p.chain = e.chain AND p.seq < e.seq ORDER BY p.seq DESC LIMIT 1), ${'0'.repeat(64)}) AS ok
          FROM audit_entries e WHERE e.chain IN (${a}, ${b})`,
    );
    expect(links.length).toBeGreaterThan(2);
    expect(links.every((l) => l.ok)).toBe(true);
  });

  it.skipIf(process.env.DUTYLEDGER_TEST_ENGINE !== 'pg')(
    'an append waits only for its own chain: town B appends while town A holds its chain (PostgreSQL, two connections)',
    async () => {
      const a = (await buildUnit(h, rootId, '锁甲镇', '乡镇')).id;
      const b = (await buildUnit(h, rootId, '锁乙镇', '乡镇')).id;
      let release!: () => void;
      const held = new Promise<void>((r) => {
        release = r;
      });
      let appended!: () => void;
      const appendedA = new Promise<void>((r) => {
        appended = r;
      });
      const holder = h.database.db.transaction(async (tx) => {
        const ctx = { ...h.ctx, db: tx as unknown as typeof h.ctx.db };
        await writeAudit(ctx, { action: 'lockTest', entity: 'lockTest', unitId: a });
        appended();
        await held;
      });
      await appendedA;
      try {
        // B's chain is free
        await h.database.db.transaction(async (tx) => {
          await tx.execute(sql`SET LOCAL lock_timeout = '3s'`);
          await writeAudit({ ...h.ctx, db: tx as unknown as typeof h.ctx.db }, { action: 'lockTest', entity: 'lockTest', unitId: b });
        });
        // A's chain is taken
        const err = await h.database.db
          .transaction(async (tx) => {
            await tx.execute(sql`SET LOCAL lock_timeout = '300ms'`);
            await writeAudit({ ...h.ctx, db: tx as unknown as typeof h.ctx.db }, { action: 'lockTest', entity: 'lockTest', unitId: a });
          })
          .then(
            () => null,
            (e: { message?: string; cause?: { message?: string } }) => e,
          );
        expect(String(err?.cause?.message ?? err?.message)).toMatch(/lock timeout/);
      } finally {
        release();
        await holder;
      }
      const rows = await rowsOf<{ chain: string }>(
        h.database.db,
        sql`SELECT chain FROM audit_entries WHERE entity = 'lockTest' ORDER BY seq`,
      );
      expect(rows.map((r) => r.chain)).toEqual([a, b]);
    },
  );
});
