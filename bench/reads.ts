/**
 * The read path against its ceiling (issue 7: "our read routes ≥ 50 % of a bare Fastify + pg route").
 *
 * 1. Creates a throw-away PostgreSQL database (BENCH_PG_ADMIN_URL, default postgres://postgres@127.0.0.1:5432/postgres)
 *    and starts the real server on it (`server/src/main.ts start`: migrations and the demo county), then
 *    READS_PROCESSES − 1 more app processes on the same database, each on its own loopback port, and the bare ceiling
 *    (bench/bare-server.ts: Fastify + a pg pool of 10, one SELECT by primary key, no session).
 * 2. Logs in as the county secretary (READS_USER, default han.wenlan01) through the API.
 * 3. autocannon on one route at a time, READS_CONNECTIONS (10) connections for READS_SECONDS (10) s, the connections
 *    split over the app processes; the CPU time of the app processes and of PostgreSQL is read from /proc before and
 *    after each route, so each row also says what a request cost in CPU — steadier than req/s on a shared machine.
 * Prints a Markdown table; results go in BENCHMARKS.md ("Read path"). Not part of `npm test`.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import {
  cpuMs,
  f1,
  freePort,
  postgresCpu,
  postgresCpuSince,
  serverEnv,
  sleep,
  startProcess,
  throwAwayDatabase,
  waitFor,
} from './common.js';

const num = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
const SECONDS = num('READS_SECONDS', 10);
const CONNECTIONS = num('READS_CONNECTIONS', 10);
const PROCESSES = num('READS_PROCESSES', 1);
const USER = process.env.READS_USER ?? 'han.wenlan01';
const PASSWORD = process.env.READS_PASSWORD ?? 'Demo#2026pass';
/** READS_ONLY: measure only the routes whose label contains it (the bare ceiling always runs) */
const ONLY = process.env.READS_ONLY;

interface Target {
  label: string;
  bases: string[];
  path: string;
  cookie?: string;
  pids: (number | undefined)[];
}

interface Row {
  label: string;
  requests: number;
  rps: number;
  p50: number;
  p97_5: number;
  p99: number;
  non2xx: number;
  errors: number;
  appCpu: number;
  pgCpu: number;
}

async function cannonOne(base: string, path: string, connections: number, cookie?: string): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon({ url: `${base}${path}`, connections, duration: SECONDS, timeout: 30, headers: cookie ? { cookie } : {} }, (err, result) =>
      err ? reject(err) : resolve(result),
    );
  });
}

async function measure(t: Target): Promise<Row> {
  const share = (i: number) => Math.floor(CONNECTIONS / t.bases.length) + (i < CONNECTIONS % t.bases.length ? 1 : 0);
  // warm-up: JIT, pools, caches
  await Promise.all(t.bases.map((b, i) => cannonOne(b, t.path, share(i), t.cookie)));
  const app0 = t.pids.reduce<number>((a, p) => a + cpuMs(p), 0);
  const pg0 = postgresCpu();
  const results = await Promise.all(t.bases.map((b, i) => cannonOne(b, t.path, share(i), t.cookie)));
  const app1 = t.pids.reduce<number>((a, p) => a + cpuMs(p), 0);
  const requests = results.reduce((a, r) => a + r.requests.total, 0);
  const weighted = (pick: (r: autocannon.Result) => number) =>
    results.reduce((a, r) => a + pick(r) * r.requests.total, 0) / Math.max(1, requests);
  return {
    label: t.label,
    requests,
    rps: requests / SECONDS,
    p50: weighted((r) => r.latency.p50),
    p97_5: weighted((r) => r.latency.p97_5),
    p99: weighted((r) => r.latency.p99),
    non2xx: results.reduce((a, r) => a + r.non2xx, 0),
    errors: results.reduce((a, r) => a + r.errors + r.timeouts, 0),
    appCpu: (app1 - app0) / Math.max(1, requests),
    pgCpu: postgresCpuSince(pg0) / Math.max(1, requests),
  };
}

const throwAway = await throwAwayDatabase('dl_reads');
const dbUrl = throwAway.url;
const dataDir = mkdtempSync(join(tmpdir(), 'dl-reads-'));
const webDist = mkdtempSync(join(tmpdir(), 'dl-reads-web-'));
const children: ChildProcess[] = [];
try {
  const bases: string[] = [];
  const pids: (number | undefined)[] = [];
  for (let i = 0; i < PROCESSES; i++) {
    // one at a time: the first one migrates and seeds the empty database
    const port = await freePort();
    const child = startProcess(`app${i}`, ['server/src/main.ts', 'start'], serverEnv({ databaseUrl: dbUrl, port, dataDir, webDist }));
    children.push(child);
    bases.push(`http://127.0.0.1:${port}`);
    pids.push(child.pid);
    await waitFor(`${bases[i]}/api/health`, 180);
  }
  {
    // fresh tables have no statistics until autovacuum gets to them: plan on real ones, as a running system does
    const client = new pg.Client({ connectionString: dbUrl });
    await client.connect();
    await client.query('ANALYZE');
    await client.end();
  }
  const barePort = await freePort();
  const bare = startProcess('bare', ['bench/bare-server.ts'], { BARE_PG_URL: dbUrl, BARE_PORT: String(barePort) });
  children.push(bare);
  const bareBase = `http://127.0.0.1:${barePort}`;

  const login = await fetch(`${bases[0]}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: USER, password: PASSWORD }),
  });
  if (!login.ok) throw new Error(`login as ${USER}: ${login.status} ${await login.text()}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  const me = (await (await fetch(`${bases[0]}/api/auth/me`, { headers: { cookie } })).json()) as {
    currentPostId: string;
    posts: { id: string; unitId: string; unitName: string }[];
  };
  const post = me.posts.find((p) => p.id === me.currentPostId)!;
  await waitFor(`${bareBase}/bare?id=${post.unitId}`, 60);
  const machine = `${cpus().length} × ${cpus()[0]?.model}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`;
  console.log(`machine: ${machine}; ${new Date().toISOString()}; load average at start ${loadavg().map(f1).join(' ')}`);
  console.log(`as ${USER} (${post.unitName}); ${PROCESSES} app process(es); ${CONNECTIONS} connections; ${SECONDS} s per route`);

  const targets: Target[] = [
    { label: 'bare Fastify + pg `GET /bare`', bases: [bareBase], path: `/bare?id=${post.unitId}`, pids: [bare.pid] },
    { label: '`GET /api/health` (no session, no database)', bases, path: '/api/health', pids },
    { label: '`GET /api/auth/me`', bases, path: '/api/auth/me', cookie, pids },
    { label: '`GET /api/tasks?pageSize=20`', bases, path: '/api/tasks?pageSize=20', cookie, pids },
    { label: '`GET /api/report-submissions?pageSize=20`', bases, path: '/api/report-submissions?pageSize=20', cookie, pids },
    { label: '`GET /api/dashboard?unitId=<county>`', bases, path: `/api/dashboard?unitId=${post.unitId}`, cookie, pids },
  ];
  const rows: Row[] = [];
  for (const t of targets) {
    if (ONLY && t !== targets[0] && !t.label.includes(ONLY)) continue;
    rows.push(await measure(t));
    await sleep(500);
  }
  const ceiling = rows[0]!.rps;
  console.log(
    '\n| route | req/s | of bare | p50 ms | p97.5 ms | p99 ms | non-2xx | errors | app CPU ms/req | PostgreSQL CPU ms/req |\n|---|---|---|---|---|---|---|---|---|---|',
  );
  for (const r of rows) {
    console.log(
      `| ${r.label} | ${r.rps.toFixed(0)} | ${((r.rps / ceiling) * 100).toFixed(0)} % | ${f1(r.p50)} | ${f1(r.p97_5)} | ${f1(r.p99)} | ${r.non2xx} | ${r.errors} | ${r.appCpu.toFixed(2)} | ${r.pgCpu.toFixed(2)} |`,
    );
  }
  console.log(`load average at end ${loadavg().map(f1).join(' ')}`);
} finally {
  for (const c of children) c.kill('SIGTERM');
  await sleep(1500);
  await throwAway.drop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(webDist, { recursive: true, force: true });
}
