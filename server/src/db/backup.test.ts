import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson, buildRoot, buildUnit, type Harness, login, startHarness } from '../../test/harness.js';
import { verifyAudit, writeAudit } from '../core/audit.js';
import { inTx, systemActor } from '../core/context.js';
import { attachments, auditEntries } from '../core/schema.js';
import { attachmentPath, BackupFormatError, backup, listTables, RestoreRefused, restore } from './backup.js';
import type { Database, Db } from './client.js';
import { regionOf } from './distribution.js';
import { createEmptyTestDatabase, createTestDatabase } from './testing.js';

let h: Harness;
let work: string;
let file: string;
let targetDir: string;
let target: Database;
const fileBody = Buffer.from('%PDF-1.4 测试证明材料 '.repeat(50_000)); // > 1 MiB: written in pieces
const fileSha = createHash('sha256').update(fileBody).digest('hex');
const missingSha = 'f'.repeat(64);
const silent = () => {};

/** Per table: row count and an md5 over every row's JSON, in a canonical order. */
async function fingerprint(db: Db): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of await listTables(db)) {
    const { rows } = (await db.execute(
      sql.raw(
        `SELECT count(*)::int AS n, md5(string_agg(row_to_json(t)::text, ',' ORDER BY row_to_json(t)::text)) AS h FROM "${t.name}" t`,
      ),
    )) as unknown as { rows: unknown[] };
    const r = rows[0] as { n: number; h: string | null };
    out[t.name] = `${r.n}:${r.h}`;
  }
  return out;
}

beforeAll(async () => {
  h = await startHarness();
  work = mkdtempSync(join(tmpdir(), 'dl-backup-'));
  file = join(work, 'backup.jsonl.gz');
  targetDir = join(work, 'target');
  const root = await buildRoot(h);
  const town = await buildUnit(h, root.id, '甲镇党委', '乡镇');
  const village = await buildUnit(h, town.id, '一村党支部', '村');
  await buildUnit(h, village.id, '一村第一小组', '其他');
  const adminP = await buildPerson(h, { unitId: root.id, roles: ['sysAdmin'] });
  await buildPerson(h, { unitId: village.id, roles: ['clerk', 'leader'], displayName: '张 "引号" \\ 反斜杠' });
  const admin = await login(h, adminP.username);
  // API writes: the audit chain gets entries with before/after, people get posts, sessions and login log fill
  const created = await admin.post('/api/units', { parentId: town.id, name: '二村党支部', type: '村' });
  expect(created.status).toBe(200);
  expect((await admin.patch(`/api/units/${created.body.id}`, { name: '二村党支部（新）', sortOrder: 3 })).status).toBe(200);
  const unitAdmin = await login(h, (await buildPerson(h, { unitId: root.id, roles: ['unitAdmin'] })).username);
  const person = await unitAdmin.post('/api/people', {
    username: 'li.si01',
    displayName: '李四',
    post: { unitId: created.body.id, title: '经办', roles: ['clerk'] },
  });
  expect(person.status).toBe(200);
  expect((await admin.post(`/api/units/${village.id}/move`, { parentId: created.body.id })).status).toBe(200);
  // an attachment whose file exists (> 1 MiB) and one whose file is missing
  const path = attachmentPath(h.dataDir, fileSha);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, fileBody);
  await h.database.db.insert(attachments).values([
    { regionId: regionOf(town.id), unitId: town.id, sha256: fileSha, size: fileBody.length, mime: 'application/pdf', name: '证明.pdf' },
    { regionId: regionOf(town.id), unitId: town.id, sha256: missingSha, size: 3, mime: 'text/plain', name: '丢失.txt' },
  ]);
  target = await createTestDatabase();
});

afterAll(async () => {
  await target?.close();
  await h?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('backup and restore', () => {
  it('discovers the tables in foreign-key order, without drizzle bookkeeping', async () => {
    const names = (await listTables(h.database.db)).map((t) => t.name);
    expect(names).not.toContain('__drizzle_migrations');
    for (const [parent, child] of [
      ['units', 'posts'],
      ['people', 'posts'],
      ['posts', 'sessions'],
      ['attachments', 'attachment_links'],
    ]) {
      expect(names.indexOf(parent!)).toBeLessThan(names.indexOf(child!));
    }
    expect(names).toContain('audit_entries');
  });

  it('round-trips every table, the audit chain and the attachment files', async () => {
    const warnings: string[] = [];
    const summary = await backup(h.database.db, file, {
      dataDir: h.dataDir,
      engine: h.database.engine,
      chunkRows: 2,
      warn: (m) => warnings.push(m),
    });
    expect(summary.files).toBe(1);
    expect(summary.missingFiles).toEqual([missingSha]);
    expect(warnings.join()).toContain(missingSha);
    expect(summary.rows.units).toBe(5);

    // the header is the first line
    const rl = createInterface({ input: createReadStream(file).pipe(createGunzip()) });
    for await (const line of rl) {
      const header = JSON.parse(line);
      expect(header).toMatchObject({ format: 'dutyledger-backup', version: 1, engine: h.database.engine });
      expect(header.tables).toContain('units');
      break;
    }
    rl.close();

    const result = await restore(target.db, file, { dataDir: targetDir, warn: silent });
    expect(result.files).toBe(1);
    expect(await fingerprint(target.db)).toEqual(await fingerprint(h.database.db));
    expect(readFileSync(attachmentPath(targetDir, fileSha)).equals(fileBody)).toBe(true);
    expect(existsSync(attachmentPath(targetDir, missingSha))).toBe(false);

    const source = await verifyAudit(h.database.db);
    const restored = await verifyAudit(target.db);
    expect(restored).toEqual({ ok: true, checked: source.checked, brokenAt: null, reason: null });
    expect(restored.checked).toBeGreaterThan(8);
  });

  it('continues the sequences: a new audit entry after restore extends the chain', async () => {
    const res = (await target.db.execute(sql`SELECT max(seq)::int AS max FROM audit_entries`)) as unknown as { rows: [{ max: number }] };
    const { max } = res.rows[0];
    const ctx = { db: target.db, actor: systemActor, config: h.config };
    await inTx(ctx, (tx) => writeAudit(tx, { action: 'restore', entity: 'system', after: { file: 'backup.jsonl.gz' } }));
    const [last] = await target.db.select().from(auditEntries).orderBy(sql`seq DESC`).limit(1);
    expect(last!.seq).toBe(max + 1);
    const v = await verifyAudit(target.db);
    expect(v.ok).toBe(true);
    expect(v.checked).toBe(max + 1);
  });

  it('refuses a target that is not empty, and changes nothing', async () => {
    const before = await fingerprint(target.db);
    await expect(restore(target.db, file, { dataDir: targetDir, warn: silent })).rejects.toBeInstanceOf(RestoreRefused);
    await expect(restore(target.db, file, { dataDir: targetDir, warn: silent })).rejects.toThrow(/不是空的/);
    expect(await fingerprint(target.db)).toEqual(before);
  });

  it('refuses a target that is not migrated', async () => {
    const empty = await createEmptyTestDatabase();
    try {
      await expect(restore(empty.db, file, { dataDir: join(work, 'x'), warn: silent })).rejects.toThrow(/migrate/);
    } finally {
      await empty.close();
    }
  });

  it('refuses a truncated or foreign file and leaves the target empty', async () => {
    const lines: string[] = [];
    for await (const line of createInterface({ input: createReadStream(file).pipe(createGunzip()) })) lines.push(line);
    const truncated = join(work, 'truncated.jsonl.gz');
    await pipeline(
      async function* () {
        yield `${lines.slice(0, 4).join('\n')}\n`;
      },
      createGzip(),
      createWriteStream(truncated),
    );
    const foreign = join(work, 'foreign.jsonl.gz');
    await pipeline(
      async function* () {
        yield '{"hello":"world"}\n';
      },
      createGzip(),
      createWriteStream(foreign),
    );

    const fresh = await createTestDatabase();
    try {
      const empty = await fingerprint(fresh.db);
      await expect(restore(fresh.db, truncated, { dataDir: join(work, 'y'), warn: silent })).rejects.toBeInstanceOf(BackupFormatError);
      await expect(restore(fresh.db, foreign, { dataDir: join(work, 'y'), warn: silent })).rejects.toThrow(/不是 DutyLedger 备份文件/);
      expect(await fingerprint(fresh.db)).toEqual(empty);
      // the same database then takes the good file
      await restore(fresh.db, file, { dataDir: join(work, 'y'), warn: silent });
      expect(await fingerprint(fresh.db)).toEqual(await fingerprint(h.database.db));
    } finally {
      await fresh.close();
    }
  });
});
