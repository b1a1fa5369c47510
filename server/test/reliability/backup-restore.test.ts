/**
 * Backup → restore → verify with the whole demo county (records of every module) and attachment files:
 * restored into an empty migrated database on the test engine, every table has the same rows, the
 * attachment files are back byte for byte, and the audit chain verifies.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samplePdf, upload } from '../../src/core/attachments/attachments.scope.js';
import { verifyAudit } from '../../src/core/audit.js';
import { attachments } from '../../src/core/schema.js';
import { attachmentPath, backup, listTables, restore } from '../../src/db/backup.js';
import { type Database, type Db, openPglite, rowsOf, runMigrations } from '../../src/db/client.js';
import { createTestDatabase, testEngine } from '../../src/db/testing.js';
import { DEMO_PASSWORD, seedDemo } from '../../src/seed/demo.js';
import { type Harness, login, startHarness } from '../harness.js';

let h: Harness;
let work: string;
let target: Database | undefined;
let source: Record<string, string>;
let file: string;
const uploaded: { id: string; body: Buffer }[] = [];

/** Per table: row count and an md5 over every row's JSON, in a canonical order. */
async function fingerprint(db: Db): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of await listTables(db)) {
    const [r] = await rowsOf<{ n: number; h: string | null }>(
      db,
      sql.raw(
        `SELECT count(*)::int AS n, md5(string_agg(row_to_json(t)::text, ',' ORDER BY row_to_json(t)::text)) AS h FROM "${t.name}" t`,
      ),
    );
    out[t.name] = `${r!.n}:${r!.h}`;
  }
  return out;
}

beforeAll(async () => {
  h = await startHarness();
  work = mkdtempSync(join(tmpdir(), 'dl-rel-backup-'));
  await seedDemo(h.ctx);
  // attachments through the real upload route, as a demo clerk of a unit
  const [clerk] = await rowsOf<{ username: string; unitId: string }>(
    h.database.db,
    sql`SELECT p.username, po.unit_id AS "unitId" FROM people p JOIN posts po ON po.person_id = p.id
        WHERE 'clerk' = ANY(po.roles) ORDER BY p.username LIMIT 1`,
  );
  const client = await login(h, clerk!.username, DEMO_PASSWORD);
  for (const [i, name] of ['学习记录.pdf', '会议照片说明.pdf'].entries()) {
    const body = Buffer.concat([samplePdf, Buffer.from(`%${'证明材料'.repeat(1000 * (i + 1))}\n`)]);
    const res = await upload(client, clerk!.unitId, name, body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    uploaded.push({ id: res.body.id, body });
  }
});

afterAll(async () => {
  await target?.close();
  await h?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('backup → restore → verify with records of every module', () => {
  it('restores every row of every table, the attachment files and a verifying audit chain', { timeout: 90_000 }, async () => {
    source = await fingerprint(h.database.db);
    // the demo county really holds records of the modules
    for (const table of [
      'units',
      'people',
      'meetings',
      'meeting_attendees',
      'tasks',
      'publications',
      'opinion_events',
      'report_submissions',
      'rectify_items',
      'attachments',
      'audit_entries',
    ]) {
      expect(source[table], table).toBeDefined();
      expect(Number(source[table]!.split(':')[0]), table).toBeGreaterThan(0);
    }

    file = join(work, 'backup.jsonl.gz');
    const summary = await backup(h.database.db, file, { dataDir: h.dataDir, engine: h.database.engine, warn: () => {} });
    expect(summary.files).toBeGreaterThanOrEqual(uploaded.length);

    target = await createTestDatabase();
    const targetDir = join(work, 'restored');
    await restore(target.db, file, { dataDir: targetDir, warn: () => {} });
    expect(await fingerprint(target.db)).toEqual(source);

    for (const a of uploaded) {
      const [row] = await target.db.select().from(attachments).where(sql`${attachments.id} = ${a.id}`);
      expect(row?.sha256).toBe(createHash('sha256').update(a.body).digest('hex'));
      const path = attachmentPath(targetDir, row!.sha256);
      expect(existsSync(path)).toBe(true);
      expect(readFileSync(path).equals(a.body)).toBe(true);
    }

    const before = await verifyAudit(h.database.db);
    const after = await verifyAudit(target.db);
    expect(before.ok).toBe(true);
    expect(after).toEqual({ ok: true, checked: before.checked, brokenAt: null, reason: null });
  });

  it.runIf(testEngine === 'postgres')('restores a PostgreSQL backup into the embedded engine as well', { timeout: 90_000 }, async () => {
    const embedded = await openPglite(undefined);
    try {
      await runMigrations(embedded);
      await restore(embedded.db, file, { dataDir: join(work, 'embedded'), warn: () => {} });
      const counts = (f: Record<string, string>) => Object.fromEntries(Object.entries(f).map(([k, v]) => [k, v.split(':')[0]]));
      const restored = await fingerprint(embedded.db);
      expect(counts(restored)).toEqual(counts(source));
      expect(restored).toEqual(source);
      const check = await verifyAudit(embedded.db);
      expect(check.ok).toBe(true);
      expect(check.checked).toBe(Number(source.audit_entries!.split(':')[0]));
    } finally {
      await embedded.close();
    }
  });
});
