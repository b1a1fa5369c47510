/**
 * A streaming replica of the test PostgreSQL server, on loopback: `pg_basebackup -R` into a temporary
 * directory, then `pg_ctl start` on a free port. An app configured with it (DUTYLEDGER_REPLICA_URL) serves the
 * dashboard from the replica with the same figures as the primary and as counted by hand, and builds a ledger
 * export from it while the job's row is written on the primary.
 *
 * PostgreSQL only (DUTYLEDGER_TEST_ENGINE=pg). The primary must allow replication connections from 127.0.0.1
 * (`host replication all 127.0.0.1/32 trust` in its pg_hba.conf: .ci/run adds it). The binaries come from
 * /usr/lib/postgresql/15/bin (DUTYLEDGER_TEST_PG_BIN); as root they run as the `postgres` OS user. The replica
 * is stopped and its directory removed after the tests, also when they fail.
 */
import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { eq, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { localDate } from '../src/core/periods.js';
import type { App } from '../src/core/route.js';
import { checkReplica, type Database, openDatabase, openPostgres, rowsOf, waitForReplica } from '../src/db/client.js';
import { testEngine, testPgUrl } from '../src/db/testing.js';
import { tasks } from '../src/modules/duty/schema.js';
import { ledgerExports } from '../src/modules/ledger/schema.js';
import { startLedgerWorker, stopLedgerWorker } from '../src/modules/ledger/service.js';
import { buildPerson, buildRoot, buildUnit, type Client, type Harness, login, startHarness } from './harness.js';

const run = promisify(execFile);
const PG_BIN = process.env.DUTYLEDGER_TEST_PG_BIN ?? '/usr/lib/postgresql/15/bin';
const asRoot = process.getuid?.() === 0;
const DAY = 86_400_000;

// ---- the replica: a data directory of its own and a postmaster on a free loopback port

interface Replica {
  dir: string;
  port: number;
}
/** set as soon as the directory exists, so that cleanup finds it whatever failed afterwards */
let replica: Replica | undefined;

/** A PostgreSQL binary; as root, run as the `postgres` OS user (PostgreSQL refuses to run as root). */
function pgCommand(name: string, args: string[]): [string, string[]] {
  const bin = join(PG_BIN, name);
  return asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
}

async function pgRun(name: string, args: string[], cwd: string): Promise<void> {
  const [cmd, argv] = pgCommand(name, args);
  await run(cmd, argv, { cwd, timeout: 60_000 });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Settings a hot standby needs at least as high as its primary's. */
const STANDBY_MINIMUMS = [
  'max_connections',
  'max_worker_processes',
  'max_wal_senders',
  'max_prepared_transactions',
  'max_locks_per_transaction',
];

async function startReplica(primaryDb: Database): Promise<Replica> {
  const primary = new URL(testPgUrl);
  const dir = mkdtempSync(join(tmpdir(), 'dl-replica-'));
  replica = { dir, port: 0 };
  let owner: { uid: number; gid: number } | undefined;
  if (asRoot) {
    owner = {
      uid: Number((await run('id', ['-u', 'postgres'])).stdout.trim()),
      gid: Number((await run('id', ['-g', 'postgres'])).stdout.trim()),
    };
    chownSync(dir, owner.uid, owner.gid);
  }
  chmodSync(dir, 0o700);
  try {
    await pgRun(
      'pg_basebackup',
      ['-h', primary.hostname, '-p', primary.port || '5432', '-U', decodeURIComponent(primary.username) || 'postgres'].concat([
        '-D',
        dir,
        '-R',
        '-X',
        'stream',
        '-c',
        'fast',
      ]),
      dir,
    );
  } catch (err) {
    throw new Error(
      'pg_basebackup failed: the primary must allow replication connections from 127.0.0.1 ' +
        `("host replication all 127.0.0.1/32 trust" in its pg_hba.conf, see .ci/run)\n${(err as Error).message}`,
    );
  }
  // Debian keeps the configuration outside the data directory: the replica gets its own
  const minimums = await rowsOf<{ name: string; setting: string }>(
    primaryDb.db,
    sql`SELECT name, setting FROM pg_settings WHERE name IN (${sql.join(
      STANDBY_MINIMUMS.map((n) => sql`${n}`),
      sql`, `,
    )})`,
  );
  const files: Record<string, string> = {
    'postgresql.conf': [
      "listen_addresses = '127.0.0.1'",
      'hot_standby = on',
      'fsync = off',
      "shared_buffers = '16MB'",
      ...minimums.map((m) => `${m.name} = ${m.setting}`),
      '',
    ].join('\n'),
    'pg_hba.conf': 'local all all trust\nhost all all 127.0.0.1/32 trust\n',
    'pg_ident.conf': '',
  };
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(join(dir, name), text, { mode: 0o600 });
    if (owner) chownSync(join(dir, name), owner.uid, owner.gid);
  }
  const log = join(dir, 'server.log');
  // a free port can be taken between the probe and the start: a few tries
  for (let attempt = 1; ; attempt++) {
    replica.port = await freePort();
    try {
      await pgRun('pg_ctl', ['-D', dir, '-l', log, '-w', '-t', '60', '-o', `-p ${replica.port} -k ${dir}`, 'start'], dir);
      return replica;
    } catch (err) {
      const tail = existsSync(log) ? readFileSync(log, 'utf8').split('\n').slice(-20).join('\n') : '';
      if (attempt >= 3) throw new Error(`the replica did not start: ${(err as Error).message}\n${tail}`);
    }
  }
}

async function stopReplica(): Promise<void> {
  const r = replica;
  replica = undefined;
  if (!r) return;
  try {
    if (existsSync(join(r.dir, 'postmaster.pid'))) await pgRun('pg_ctl', ['-D', r.dir, '-m', 'immediate', '-w', 'stop'], r.dir);
  } finally {
    rmSync(r.dir, { recursive: true, force: true });
  }
}

// last resort when the worker exits without running afterAll (a hook timeout): no replica left behind
process.once('exit', () => {
  if (!replica) return;
  const [cmd, argv] = pgCommand('pg_ctl', ['-D', replica.dir, '-m', 'immediate', '-w', 'stop']);
  spawnSync(cmd, argv, { cwd: replica.dir, stdio: 'ignore' });
  rmSync(replica.dir, { recursive: true, force: true });
});

// ---- the fixture (the dashboard test's, counted by hand) on the primary, and an app reading the replica

let h: Harness;
let replicaDatabase: Database;
let replicaApp: App | undefined;
const u = {} as Record<'R' | 'T' | 'V1' | 'V2' | 'V1a', string>;
/** the same people signed in to the primary's app and to the replica-configured app */
const onPrimary = {} as Record<'adminT' | 'adminR' | 'clerkT', Client>;
const onReplica = {} as Record<'adminT' | 'adminR' | 'clerkT', Client>;
let planId: string;

/** Assigns a new plan item of T's plan to `unitIds` (on the primary). */
async function assign(title: string, unitIds: string[]) {
  const item = await onPrimary.adminT.post(`/api/plans/${planId}/items`, { section: '一', title });
  expect(item.status, JSON.stringify(item.body)).toBe(200);
  const res = await onPrimary.adminT.post(`/api/plan-items/${item.body.id}/assign`, {
    target: { kind: 'units', unitIds },
    deadline: new Date(Date.now() + 10 * DAY).toISOString(),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.tasks as { id: string; unitId: string }[];
}

const replayPaused = async () =>
  (await rowsOf<{ state: string }>(replicaDatabase.replica!, sql`SELECT pg_get_wal_replay_pause_state() AS state`))[0]!.state;

/** Runs `fn` with WAL replay paused on the replica; resumes it whatever happens. */
async function whileReplayPaused(fn: () => Promise<void>): Promise<void> {
  await rowsOf(replicaDatabase.replica!, sql`SELECT pg_wal_replay_pause()`);
  // from here on no further WAL record is applied ('pause requested' turns 'paused' at the next record)
  expect(await replayPaused()).not.toBe('not paused');
  try {
    await fn();
  } finally {
    await rowsOf(replicaDatabase.replica!, sql`SELECT pg_wal_replay_resume()`);
  }
}

/** The database's message of a failed query (drizzle wraps it as the cause). */
async function failure(query: Promise<unknown>): Promise<string> {
  try {
    await query;
  } catch (err) {
    return ((err as Error).cause as Error | undefined)?.message ?? (err as Error).message;
  }
  return 'no error';
}

const dashboard = async (c: Client, unitId?: string) => {
  const res = await c.get(unitId ? `/api/dashboard?unitId=${unitId}` : '/api/dashboard');
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
};

describe.skipIf(testEngine !== 'postgres')('streaming replica (PostgreSQL only: skipped unless DUTYLEDGER_TEST_ENGINE=pg)', () => {
  beforeAll(async () => {
    h = await startHarness();
    await startReplica(h.database);

    u.R = (await buildRoot(h, '副本县委')).id;
    u.T = (await buildUnit(h, u.R, '副本镇', '乡镇')).id;
    u.V1 = (await buildUnit(h, u.T, '副本一村', '村')).id;
    u.V2 = (await buildUnit(h, u.T, '副本二村', '村')).id;
    u.V1a = (await buildUnit(h, u.V1, '副本一村一组', '村')).id;
    const people = {
      adminT: await buildPerson(h, { unitId: u.T, roles: ['unitAdmin'] }),
      adminR: await buildPerson(h, { unitId: u.R, roles: ['unitAdmin'] }),
      clerkT: await buildPerson(h, { unitId: u.T, roles: ['clerk'] }),
    };
    for (const [k, p] of Object.entries(people)) onPrimary[k as keyof typeof people] = await login(h, p.username);

    // T assigns 2 tasks to V1 (one past its deadline), 1 to V1a (below V1), 1 to V2 (confirmed done), 1 to T itself
    const plan = await onPrimary.adminT.post('/api/plans', { unitId: u.T, year: 2026, title: '副本方案' });
    planId = plan.body.id;
    const first = await assign('副本任务', [u.V1, u.V1a, u.V2, u.T]);
    const [v1b] = await assign('副本任务二', [u.V1]);
    const v1a = first.find((x) => x.unitId === u.V1);
    const v2 = first.find((x) => x.unitId === u.V2);
    expect(v1a && v1b && v2).toBeTruthy();
    await h.database.db
      .update(tasks)
      .set({ deadline: new Date(Date.now() - DAY) })
      .where(eq(tasks.id, v1a!.id));
    const v2clerk = await login(h, (await buildPerson(h, { unitId: u.V2, roles: ['clerk'] })).username);
    await v2clerk.post(`/api/tasks/${v2!.id}/start`);
    await v2clerk.post(`/api/tasks/${v2!.id}/submit`, { progress: '完成' });
    expect((await onPrimary.adminT.post(`/api/tasks/${v2!.id}/confirm`)).status).toBe(200);

    // the app of a process configured with DATABASE_URL and DUTYLEDGER_REPLICA_URL (same database name)
    const [{ name }] = (await rowsOf<{ name: string }>(h.database.db, sql`SELECT current_database() AS name`)) as [{ name: string }];
    const primaryUrl = new URL(testPgUrl);
    primaryUrl.pathname = `/${name}`;
    const replicaUrl = new URL(primaryUrl);
    replicaUrl.hostname = '127.0.0.1';
    replicaUrl.port = String(replica!.port);
    replicaDatabase = await openDatabase({ databaseUrl: primaryUrl.toString(), replicaUrl: replicaUrl.toString() });
    // the primary's WAL position after the writes, replayed by the replica
    expect(await waitForReplica(replicaDatabase, 30_000)).toBe(true);
    replicaApp = (await buildApp(replicaDatabase, h.config)).app;
    const viaReplica: Harness = { ...h, app: replicaApp };
    for (const [k, p] of Object.entries(people)) onReplica[k as keyof typeof people] = await login(viaReplica, p.username);
  });

  afterAll(async () => {
    const steps = [
      () => stopLedgerWorker(),
      () => replicaApp?.close(),
      () => replicaDatabase?.close(),
      () => stopReplica(),
      () => h?.close(),
    ];
    const errors: unknown[] = [];
    for (const step of steps)
      await Promise.resolve()
        .then(step)
        .catch((err) => errors.push(err));
    if (errors.length) throw errors[0];
  });

  it('the replica handle reaches a read-only server in recovery; the startup check flags a primary', async () => {
    const inRecovery = async (db: Database['db']) => (await rowsOf<{ r: boolean }>(db, sql`SELECT pg_is_in_recovery() AS r`))[0]!.r;
    expect(await inRecovery(replicaDatabase.replica!)).toBe(true);
    expect(await inRecovery(replicaDatabase.db)).toBe(false);
    expect(await checkReplica(replicaDatabase)).toBeNull();
    expect(await failure(rowsOf(replicaDatabase.replica!, sql`UPDATE tasks SET state = state WHERE false`))).toMatch(/read-only/);

    // a "replica" URL that names the primary: warned about at startup, and still read-only
    const misconfigured = await openPostgres(testPgUrl, 1, testPgUrl);
    try {
      expect(await checkReplica(misconfigured)).toMatch(/not in recovery/);
      expect(await failure(rowsOf(misconfigured.replica!, sql`CREATE TEMP TABLE replica_probe (i int)`))).toMatch(/read-only/);
    } finally {
      await misconfigured.close();
    }
  });

  it('the dashboard from the replica equals the primary and the hand count', async () => {
    for (const [who, unitId] of [
      ['adminT', u.T],
      ['adminR', u.R],
      ['adminR', u.V1],
      ['clerkT', undefined],
    ] as const) {
      expect(await dashboard(onReplica[who], unitId)).toEqual(await dashboard(onPrimary[who], unitId));
    }
    const d = await dashboard(onReplica.adminT, u.T);
    expect(d.figures).toMatchObject({ openTasks: 4, overdueTasks: 1 });
    const row = (id: string) => d.children.find((r: { unitId: string }) => r.unitId === id);
    expect(row(u.V1).figures).toMatchObject({ openTasks: 3, overdueTasks: 1 });
    expect(row(u.V2).figures).toMatchObject({ openTasks: 0, overdueTasks: 0 });
    expect(d.trend.tasksDone.at(-1)).toBe(1);
    expect((await dashboard(onReplica.adminR, u.R)).figures).toMatchObject({ openTasks: 4, overdueTasks: 1 });
    expect((await dashboard(onReplica.clerkT)).figures).toMatchObject({ openTasks: 1, overdueTasks: 0 });
    // the rows themselves, counted on the replica without the app
    const [counts] = await rowsOf<{ open: number; done: number }>(
      replicaDatabase.replica!,
      sql`SELECT count(*) FILTER (WHERE state <> 'done')::int AS open, count(*) FILTER (WHERE state = 'done')::int AS done FROM tasks`,
    );
    expect(counts).toEqual({ open: 4, done: 1 });
  });

  it('reads really hit the replica: with replay paused a new task shows on the primary only, then on both', async () => {
    await whileReplayPaused(async () => {
      await assign('暂停回放时的任务', [u.V2]);
      expect((await dashboard(onPrimary.adminT, u.T)).figures.openTasks).toBe(5);
      expect((await dashboard(onReplica.adminT, u.T)).figures.openTasks).toBe(4);
    });
    expect(await waitForReplica(replicaDatabase, 30_000)).toBe(true);
    const fromReplica = await dashboard(onReplica.adminT, u.T);
    expect(fromReplica.figures.openTasks).toBe(5);
    expect(fromReplica).toEqual(await dashboard(onPrimary.adminT, u.T));
  });

  it('a ledger export job completes through the replica-configured app, after the replica caught up; its row is on the primary', async () => {
    startLedgerWorker(replicaDatabase, h.config, 60_000);
    const period = { kind: 'custom', from: localDate(new Date(Date.now() - 30 * DAY)), to: localDate(new Date(Date.now() + 30 * DAY)) };
    let id = '';
    await whileReplayPaused(async () => {
      // written on the primary while the replica stands still: the job waits for the replica to replay it
      await assign('回放后才进台账的任务', [u.V2]);
      const res = await onReplica.adminT.post('/api/ledger/exports', { unitId: u.T, period, formats: ['xlsx'], includeSubtree: true });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      id = res.body.id;
      let job = res.body;
      for (let i = 0; i < 200 && job.state === 'queued'; i++) {
        await new Promise((r) => setTimeout(r, 50));
        job = (await onReplica.adminT.get(`/api/ledger/exports/${id}`)).body;
      }
      await new Promise((r) => setTimeout(r, 300));
      job = (await onReplica.adminT.get(`/api/ledger/exports/${id}`)).body;
      expect(job).toMatchObject({ state: 'running', progress: 1 }); // claimed on the primary, waiting for the replica
    });
    let job = (await onReplica.adminT.get(`/api/ledger/exports/${id}`)).body;
    for (let i = 0; i < 300 && (job.state === 'queued' || job.state === 'running'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      job = (await onReplica.adminT.get(`/api/ledger/exports/${id}`)).body;
    }
    expect(job).toMatchObject({ state: 'done', progress: 100 });
    const [row] = await h.database.db.select().from(ledgerExports).where(eq(ledgerExports.id, id));
    expect(row).toMatchObject({ state: 'done', progress: 100 });

    const file = await replicaApp!.inject({
      method: 'GET',
      url: `/api/ledger/exports/${id}/files/xlsx`,
      headers: { cookie: onReplica.adminT.cookie },
    });
    expect(file.statusCode, file.body.slice(0, 200)).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file.rawPayload as unknown as ArrayBuffer);
    const taskSheet = wb.worksheets.find((s) => s.name.endsWith('任务落实'))!;
    const rows: string[] = [];
    taskSheet.eachRow((r) => rows.push((r.values as unknown[]).map(String).join('|')));
    // a header and 7 tasks in T's subtree: the fixture's 5, the paused-replay test's, and the one replayed just now
    expect(rows, rows.join('\n')).toHaveLength(1 + 7);
    expect(rows.filter((t) => t.includes('回放后才进台账的任务'))).toHaveLength(1);
  });
});
