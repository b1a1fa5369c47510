/**
 * The CLI as an operator runs it (a separate process through server/bin/dutyledger.mjs), on the test engine:
 * seed-demo, then verify-audit passes; after a raw SQL edit of one audit row it fails and names the row.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openPglite } from '../db/client.js';
import { createEmptyTestDatabase, testEngine } from '../db/testing.js';

const bin = fileURLToPath(new URL('../../bin/dutyledger.mjs', import.meta.url));
let dataDir: string;
let pg: (Database & { url?: string }) | undefined;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'dl-cli-'));
  if (testEngine === 'postgres') pg = await createEmptyTestDatabase();
});
afterAll(async () => {
  await pg?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function cli(...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, DUTYLEDGER_DATA: dataDir };
  if (pg?.url) env.DATABASE_URL = pg.url;
  else delete env.DATABASE_URL;
  const r = spawnSync(process.execPath, [bin, ...args], { env, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** Runs `fn` on the CLI's database with the append-only trigger lifted, as a superuser could. */
async function tamper(fn: (db: Database['db']) => Promise<unknown>) {
  const database = pg ?? (await openPglite(dataDir));
  await database.db.execute(sql`ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_no_update_delete`);
  await fn(database.db);
  await database.db.execute(sql`ALTER TABLE audit_entries ENABLE TRIGGER audit_entries_no_update_delete`);
  if (!pg) await database.close();
}

describe('CLI', () => {
  it('prints usage and exits 2 for an unknown command', () => {
    const r = cli('no-such-command');
    expect(r.status).toBe(2);
    expect(r.out).toMatch(/verify-audit/);
  }, 60_000);

  it('seeds, verifies the audit chain, and names the row a raw SQL edit broke', async () => {
    const seeded = cli('seed-demo');
    expect(seeded.status, seeded.out).toBe(0);
    const ok = cli('verify-audit');
    expect(ok.status, ok.out).toBe(0);
    expect(ok.out).toMatch(/OK/);
    await tamper((db) => db.execute(sql`UPDATE audit_entries SET actor_name = '冒名' WHERE seq = 17`));
    const broken = cli('verify-audit');
    expect(broken.status).toBe(1);
    expect(broken.out).toMatch(/seq 17\b/);
  }, 120_000); // three CLI processes (tsx start-up each): slow on a loaded 2-core machine
});
