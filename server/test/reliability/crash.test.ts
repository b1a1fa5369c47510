/**
 * Crash: the real server (`main.ts start`, a separate process) takes writes through its HTTP API while it
 * is killed with SIGKILL at random moments and restarted. Afterwards every write that was answered 2xx is
 * present, no meeting is half-written (every one has its attendees, its absentee and its audit entry), and
 * the audit chain verifies. PGlite on disk by default; a throw-away PostgreSQL database with
 * DUTYLEDGER_TEST_ENGINE=pg.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { multipartBody, samplePdf } from '../../src/core/attachments/attachments.scope.js';
import { verifyAudit } from '../../src/core/audit.js';
import { hashPassword } from '../../src/core/auth/password.js';
import { type Ctx, systemActor } from '../../src/core/context.js';
import { attachmentPath } from '../../src/db/backup.js';
import { type Database, openPglite, rowsOf, runMigrations } from '../../src/db/client.js';
import { createEmptyTestDatabase, testEngine } from '../../src/db/testing.js';
import { createPersonUnchecked, createRootUnit } from '../../src/modules/org/service.js';
import { createUnit } from '../../src/modules/org/units.js';

const serverDir = fileURLToPath(new URL('../../', import.meta.url));
const PASSWORD = 'Crash#pass2026';
const KILLS = 3;

let dataDir: string;
let pgDatabase: (Database & { url?: string }) | undefined;
let child: ChildProcess | undefined;
let output = '';
let port = 0;
let clerkName = '';
let rootId = '';
const childIds: string[] = [];
const peopleIds: string[] = [];

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function startServer(): Promise<void> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DUTYLEDGER_DATA: dataDir,
    DUTYLEDGER_SCHEDULER: 'off',
    DUTYLEDGER_WEB_DIST: join(dataDir, 'no-web'),
    DUTYLEDGER_LOGIN_RATE_LIMIT: '100000',
    DUTYLEDGER_LOG_LEVEL: 'warn',
  };
  delete env.DATABASE_URL;
  delete env.INIT_CWD;
  if (pgDatabase) env.DATABASE_URL = pgDatabase.url;
  output = '';
  const proc = spawn(process.execPath, ['--import', 'tsx', join(serverDir, 'src/main.ts'), 'start', '--port', String(port)], {
    cwd: serverDir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout?.on('data', (d) => {
    output += d;
  });
  proc.stderr?.on('data', (d) => {
    output += d;
  });
  child = proc;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited early:\n${output}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (res.ok) return;
    } catch {}
    if (Date.now() > deadline) throw new Error(`server did not start:\n${output}`);
    await sleep(200);
  }
}

async function stopServer(signal: NodeJS.Signals): Promise<void> {
  const proc = child;
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill(signal);
  await exited;
}

interface Session {
  cookie: string;
  csrf: string;
}

async function login(): Promise<Session> {
  const res = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: clerkName, password: PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`login failed: ${res.status}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return { cookie, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
}

async function api(s: Session, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {}
  return { status: res.status, body: parsed };
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'dl-crash-'));
  port = await freePort();
  // a small tree written before the first start (the server then skips the demo seed)
  if (testEngine === 'postgres') pgDatabase = await createEmptyTestDatabase();
  const database = pgDatabase ?? (await openPglite(dataDir));
  try {
    await runMigrations(database);
    const ctx: Ctx = { db: database.db, actor: systemActor, config: loadConfig({ dataDir, runScheduler: false }) };
    const root = await createRootUnit(ctx, { name: '崩溃测试县委', type: '党委' });
    const passwordHash = await hashPassword(PASSWORD);
    clerkName = 'crash.clerk';
    for (const [i, username] of ['crash.clerk', 'crash.member1', 'crash.member2'].entries()) {
      peopleIds.push(
        await createPersonUnchecked(ctx, {
          username,
          displayName: `崩溃测试人员${i + 1}`,
          passwordHash,
          mustChangePassword: false,
          // the first also administers the unit: it writes plans and assigns tasks as well as meetings
          posts: [{ unitId: root.id, scopeRootId: root.id, title: '经办', roles: i === 0 ? ['clerk', 'unitAdmin'] : ['clerk'] }],
        }),
      );
    }
    rootId = root.id;
    // the tree's creator: an in-memory administrator of the root (as the demo seed does)
    const unitCtx: Ctx = {
      ...ctx,
      actor: {
        ...systemActor,
        post: {
          id: '00000000-0000-0000-0000-000000000000',
          unitId: root.id,
          scopeRootId: root.id,
          scopeRootPath: `/${root.id}/`,
          roles: ['sysAdmin'],
        },
      },
    };
    for (const name of ['崩溃测试甲镇', '崩溃测试乙镇'])
      childIds.push((await createUnit(unitCtx, { parentId: root.id, name, type: '乡镇' })).id);
  } finally {
    if (!pgDatabase) await database.close();
  }
});

afterAll(async () => {
  await stopServer('SIGKILL').catch(() => {});
  await pgDatabase?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('crash: SIGKILL at random moments while writing', () => {
  it('keeps every acknowledged write, whole, and the audit chain verifies', { timeout: 120_000 }, async () => {
    await startServer();
    let session = await login();
    const kinds = await api(session, 'GET', '/api/meeting-kinds');
    expect(kinds.status).toBe(200);
    const kindId = (kinds.body as { id: string }[])[0]!.id;

    const acked = new Map<string, string>(); // meeting id → topic
    let failures = 0;
    let running = true;
    let n = 0;
    const writer = async (w: number) => {
      while (running) {
        const topic = `崩溃测试会议-${w}-${++n}`;
        try {
          const res = await api(session, 'POST', '/api/meetings', {
            unitId: rootId,
            kindId,
            heldAt: new Date().toISOString(),
            topic,
            minutes: '会议记录'.repeat(50),
            resolutions: [{ text: '按期完成学习任务' }],
            attendeeIds: [peopleIds[0], peopleIds[1]],
            absentees: [{ personId: peopleIds[2], reason: '外出参加培训' }],
          });
          if (res.status === 200) acked.set(res.body.id, topic);
          else if (res.status === 401) session = await login();
          else if (res.status >= 400 && res.status < 500) throw new Error(`refused: ${res.status} ${JSON.stringify(res.body)}`);
          else failures++;
        } catch (err) {
          if ((err as Error).message.startsWith('refused')) throw err;
          failures++; // the server is down: connection refused or reset
          await sleep(50);
        }
      }
    };
    // plan items, each assigned to two units at once: one task per unit, both or none
    const plan = await api(session, 'POST', '/api/plans', { unitId: rootId, year: 2026, title: '崩溃测试工作要点' });
    expect(plan.status, JSON.stringify(plan.body)).toBe(200);
    const assignedItems = new Set<string>();
    let m = 0;
    const planWriter = async () => {
      let itemId: string | undefined;
      while (running) {
        try {
          if (!itemId) {
            const item = await api(session, 'POST', `/api/plans/${plan.body.id}/items`, {
              section: '一、学习教育',
              title: `崩溃测试事项-${++m}`,
            });
            if (item.status === 200) itemId = item.body.id;
            else if (item.status === 401) session = await login();
            else if (item.status < 500) throw new Error(`refused: ${item.status} ${JSON.stringify(item.body)}`);
            else failures++;
            continue;
          }
          const res = await api(session, 'POST', `/api/plan-items/${itemId}/assign`, {
            target: { kind: 'units', unitIds: childIds },
            deadline: new Date(Date.now() + 10 * 86_400_000).toISOString(),
          });
          if (res.status === 200) {
            assignedItems.add(itemId);
            itemId = undefined;
          } else if (res.status === 401) session = await login();
          else if (res.status < 500) throw new Error(`refused: ${res.status} ${JSON.stringify(res.body)}`);
          else failures++;
        } catch (err) {
          if ((err as Error).message.startsWith('refused')) throw err;
          failures++;
          itemId = undefined; // the answer was lost: the next round starts a new item
          await sleep(50);
        }
      }
    };
    // attachment uploads: the file on disk and its row, both or (for the row) none
    const uploads = new Map<string, string>(); // attachment id → sha256
    const uploadWriter = async () => {
      while (running) {
        const { payload, contentType } = multipartBody(
          { unitId: rootId },
          { filename: '会议签到表.pdf', content: Buffer.concat([samplePdf, randomBytes(2048)]) },
        );
        try {
          const res = await fetch(`http://127.0.0.1:${port}/api/attachments`, {
            method: 'POST',
            headers: { cookie: session.cookie, 'x-csrf-token': session.csrf, 'content-type': contentType },
            body: payload,
          });
          const body = (await res.json().catch(() => ({}))) as { id?: string; sha256?: string };
          if (res.status === 200) uploads.set(body.id!, body.sha256 ?? 'no sha256 in the answer');
          else if (res.status === 401) session = await login();
          else if (res.status < 500) throw new Error(`refused: ${res.status} ${JSON.stringify(body)}`);
          else failures++;
        } catch (err) {
          if ((err as Error).message.startsWith('refused')) throw err;
          failures++;
          await sleep(50);
        }
      }
    };
    const writers = [writer(1), writer(2), writer(3), planWriter(), uploadWriter()];

    for (let k = 0; k < KILLS; k++) {
      const before = acked.size;
      while (acked.size < before + 5) await sleep(20); // some writes land in every life of the server
      await sleep(Math.floor(Math.random() * 700));
      await stopServer('SIGKILL');
      await sleep(100);
      await startServer();
      session = await login().catch(() => session);
    }
    const last = acked.size;
    while (acked.size < last + 5) await sleep(20);
    running = false;
    await Promise.all(writers);
    await stopServer('SIGTERM');
    expect(acked.size).toBeGreaterThan(KILLS * 5);
    expect(failures).toBeGreaterThan(0); // the kills did interrupt the writers

    const database = pgDatabase ?? (await openPglite(dataDir));
    try {
      const rows = await rowsOf<{ id: string; topic: string; attendees: number; absentees: number; audits: number }>(
        database.db,
        sql`SELECT m.id, m.topic,
              (SELECT count(*)::int FROM meeting_attendees a WHERE a.meeting_id = m.id) AS attendees,
              (SELECT count(*)::int FROM meeting_absentees b WHERE b.meeting_id = m.id) AS absentees,
              (SELECT count(*)::int FROM audit_entries e WHERE e.entity = 'meeting' AND e.entity_id = m.id::text AND e.action = 'create') AS audits
            FROM meetings m WHERE m.topic LIKE '崩溃测试会议-%'`,
      );
      const byId = new Map(rows.map((r) => [r.id, r]));
      for (const [id, topic] of acked) expect(byId.get(id)?.topic, `acknowledged meeting ${id} lost`).toBe(topic);
      // none half-written, including those committed whose answer was lost in the kill
      for (const r of rows)
        expect({ id: r.id, attendees: r.attendees, absentees: r.absentees, audits: r.audits }).toEqual({
          id: r.id,
          attendees: 2,
          absentees: 1,
          audits: 1,
        });
      expect(assignedItems.size).toBeGreaterThan(0);
      const items = await rowsOf<{ id: string; tasks: number }>(
        database.db,
        sql`SELECT i.id, (SELECT count(*)::int FROM tasks t WHERE t.plan_item_id = i.id) AS tasks
            FROM plan_items i WHERE i.title LIKE '崩溃测试事项-%'`,
      );
      const tasksOf = new Map(items.map((i) => [i.id, i.tasks]));
      for (const id of assignedItems) expect(tasksOf.get(id), `acknowledged assignment of ${id}`).toBe(2);
      for (const i of items) expect([0, 2], `item ${i.id} has ${i.tasks} tasks`).toContain(i.tasks);
      expect(uploads.size).toBeGreaterThan(0);
      const files = await rowsOf<{ id: string; sha256: string }>(database.db, sql`SELECT id, sha256 FROM attachments`);
      const shaOf = new Map(files.map((f) => [f.id, f.sha256]));
      for (const [id, sha] of uploads) expect(shaOf.get(id), `acknowledged upload ${id}`).toBe(sha);
      for (const f of files) {
        const path = attachmentPath(dataDir, f.sha256);
        expect(existsSync(path), `file of attachment ${f.id}`).toBe(true);
        expect(createHash('sha256').update(readFileSync(path)).digest('hex')).toBe(f.sha256);
      }
      const check = await verifyAudit(database.db);
      expect(check).toMatchObject({ ok: true, brokenAt: null });
      expect(check.checked).toBeGreaterThanOrEqual(rows.length);
    } finally {
      if (!pgDatabase) await database.close();
    }
  });
});
