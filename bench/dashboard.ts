/**
 * Dashboard benchmark: GET /api/dashboard through the full HTTP pipeline (app.inject) against the best
 * hand-written SQL for the same figures (per-child open/overdue tasks, compliance, missing reports, open
 * rectification and opinion events, child list, 12-month trends, the to-do list, the latest assessment) on the
 * same database, in one run:
 *   - the demo county on the embedded database (PGlite);
 *   - a generated province (≈30,000 units) on PostgreSQL, when BENCH_PG_URL names an empty database
 *     (or BENCH_PG_ADMIN_URL names a server where a throw-away database may be created).
 * Prints p50/p95 and the ratio. Results go in BENCHMARKS.md.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { buildApp } from '../server/src/app.js';
import { loadConfig } from '../server/src/config.js';
import { systemActor } from '../server/src/core/context.js';
import { type Database, type Db, openPglite, openPostgres, rowsOf, runMigrations } from '../server/src/db/client.js';
import { DEMO_PASSWORD, seedDemo } from '../server/src/seed/demo.js';
import { defaultShape, generateProvince } from './province.js';

const N = Number(process.env.BENCH_N ?? 200);

function pct(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function timeIt(n: number, fn: () => Promise<void>): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < Math.min(20, n); i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { p50: pct(times, 50), p95: pct(times, 95) };
}

/**
 * The same figures, hand-written: what a careful engineer would send for this page and nothing else, the
 * independent queries concurrently on the pool as the API does. The compliance query follows the engine's
 * plan (records matched to rule and period, counted per cell, grouped per child): it is the best we found.
 */
async function handWritten(db: Db, root: { id: string; path: string }, actingUnitId: string) {
  const offset = sql.raw(String(root.path.length + 1));
  const pattern = `${root.path}%`;
  const now = new Date();
  const y = Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(now));
  const m = Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', month: 'numeric' }).format(now)) - 1;
  const cst = (yy: number, mm: number) => new Date(Date.UTC(yy, mm, 1) - 8 * 3_600_000).toISOString();
  const q = Math.floor(m / 3) * 3;
  const h = m < 6 ? 0 : 6;
  const periods = JSON.stringify([
    { kind: 'month', key: 'm', start_at: cst(y, m), end_at: cst(y, m + 1) },
    { kind: 'quarter', key: 'q', start_at: cst(y, q), end_at: cst(y, q + 3) },
    { kind: 'halfYear', key: 'h', start_at: cst(y, h), end_at: cst(y, h + 6) },
    { kind: 'year', key: 'y', start_at: cst(y, 0), end_at: cst(y + 1, 0) },
  ]);
  await Promise.all([
    db.execute(sql`
      SELECT substr(u.path, ${offset}, 36) AS bucket,
        count(*) FILTER (WHERE t.state <> 'done') AS open,
        count(*) FILTER (WHERE t.state <> 'done' AND t.deadline < now()) AS overdue
      FROM tasks t JOIN units u ON u.id = t.unit_id
      WHERE u.path LIKE ${pattern} GROUP BY 1`),
    db.execute(sql`
      WITH u AS MATERIALIZED (
        SELECT id, type, substr(path, ${offset}, 36) AS bucket FROM units WHERE path LIKE ${pattern} AND active
      ), r AS (SELECT * FROM compliance_rules WHERE active),
      p AS (SELECT * FROM jsonb_to_recordset(${periods}::jsonb) AS p(kind text, key text, start_at timestamptz, end_at timestamptz)),
      c AS (
        SELECT u.id AS unit_id, u.bucket, r.id AS rule_id, p.key, r.min_count,
          CASE WHEN r.due_day IS NULL THEN p.end_at ELSE LEAST(p.start_at + r.due_day * interval '1 day', p.end_at) END AS due_at
        FROM u JOIN r ON u.type = ANY(r.unit_types) JOIN p ON p.kind = r.period
      ), x AS (
        SELECT m.unit_id, 'meeting' AS source, m.kind_id, m.tags, m.held_at AS at
        FROM meetings m JOIN units mu ON mu.id = m.unit_id
        WHERE mu.path LIKE ${pattern} AND m.kind_id IN (SELECT unnest(kind_ids) FROM r WHERE source = 'meeting')
          AND m.held_at >= ${cst(y, 0)}::timestamptz AND m.held_at < ${cst(y + 1, 0)}::timestamptz
        UNION ALL
        SELECT s.unit_id, 'studyPlan', NULL::uuid, '{}'::text[], s.month_start
        FROM study_plans s JOIN units su ON su.id = s.unit_id
        WHERE su.path LIKE ${pattern} AND s.month_start >= ${cst(y, 0)}::timestamptz AND s.month_start < ${cst(y + 1, 0)}::timestamptz
      ), n AS (
        SELECT x.unit_id, r.id AS rule_id, p.key, count(*) AS n
        FROM x JOIN r ON r.source = x.source
          AND (r.source <> 'meeting' OR (x.kind_id = ANY(r.kind_ids) AND (cardinality(r.tags) = 0 OR x.tags && r.tags)))
        JOIN p ON p.kind = r.period AND x.at >= p.start_at AND x.at < p.end_at
        GROUP BY 1, 2, 3
      )
      SELECT c.bucket, count(*) FILTER (WHERE COALESCE(n.n, 0) >= c.min_count) AS done,
        count(*) FILTER (WHERE COALESCE(n.n, 0) < c.min_count AND now() >= c.due_at) AS overdue
      FROM c LEFT JOIN n ON n.unit_id = c.unit_id AND n.rule_id = c.rule_id AND n.key = c.key
      GROUP BY 1`),
    db.execute(sql`
      SELECT substr(u.path, ${offset}, 36) AS bucket, count(*)
      FROM report_window_targets t JOIN report_windows w ON w.id = t.window_id JOIN units u ON u.id = t.unit_id
      LEFT JOIN report_submissions s ON s.window_id = t.window_id AND s.unit_id = t.unit_id
      WHERE u.path LIKE ${pattern} AND w.opens_at <= now() AND w.closes_at >= now() - interval '180 days'
        AND (s.id IS NULL OR s.state IN ('draft', 'returned'))
      GROUP BY 1`),
    db.execute(sql`
      SELECT substr(u.path, ${offset}, 36) AS bucket, count(*), count(*) FILTER (WHERE i.deadline < now())
      FROM rectify_items i JOIN units u ON u.id = i.unit_id
      WHERE u.path LIKE ${pattern} AND i.state <> 'signedOff' GROUP BY 1`),
    db.execute(sql`
      SELECT substr(u.path, ${offset}, 36) AS bucket, count(*)
      FROM opinion_events e JOIN units u ON u.id = e.unit_id
      WHERE u.path LIKE ${pattern} AND e.state <> 'closed' GROUP BY 1`),
    db.execute(sql`SELECT id, name, type FROM units WHERE parent_id = ${root.id} AND active ORDER BY sort_order, name`),
    db.execute(sql`
      SELECT 'done' AS what, to_char(t.done_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') AS month, count(*)
      FROM tasks t JOIN units u ON u.id = t.unit_id
      WHERE u.path LIKE ${pattern} AND t.state = 'done' AND t.done_at >= now() - interval '12 months' GROUP BY 2
      UNION ALL
      SELECT 'held', to_char(m.held_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM'), count(*)
      FROM meetings m JOIN units u ON u.id = m.unit_id
      WHERE u.path LIKE ${pattern} AND m.held_at >= now() - interval '12 months' GROUP BY 2`),
    db.execute(sql`
      SELECT t.id, t.title, t.deadline, u.name FROM tasks t JOIN units u ON u.id = t.unit_id
      WHERE (t.unit_id = ${actingUnitId} AND t.state IN ('todo', 'inProgress', 'returned'))
         OR (t.assigner_unit_id = ${actingUnitId} AND t.state = 'submitted')
      ORDER BY t.deadline LIMIT 20`),
    db.execute(sql`
      SELECT c.id FROM assessment_cycles c JOIN assessment_cycle_units cu ON cu.cycle_id = c.id
      WHERE c.state = 'published' AND cu.unit_id = ${actingUnitId} ORDER BY c.year DESC, c.published_at DESC LIMIT 1`),
  ]);
}

async function measure(label: string, database: Database, prepare: () => Promise<{ username: string; password: string; rootId: string }>) {
  const dataDir = mkdtempSync(join(tmpdir(), 'dl-bench-'));
  const config = loadConfig({ dataDir, runScheduler: false, loginRateLimitPerMinute: 100000 });
  await runMigrations(database);
  const t0 = performance.now();
  const who = await prepare();
  const prepared = (performance.now() - t0) / 1000;
  // as served (a subtree of ≥ 1,000 units has its counts kept for a minute), and always counted live
  const { app } = await buildApp(database, config);
  const { app: liveApp } = await buildApp(database, { ...config, dashboardCacheSeconds: 0 });
  const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: who.username, password: who.password } });
  const cookie = String(login.headers['set-cookie']).split(';')[0]!;
  const [root] = await rowsOf<{ id: string; path: string }>(database.db, sql`SELECT id, path FROM units WHERE id = ${who.rootId}`);
  const [{ n: units }] = (await rowsOf<{ n: number }>(database.db, sql`SELECT count(*)::int AS n FROM units`)) as [{ n: number }];
  const [{ n: tasks }] = (await rowsOf<{ n: number }>(database.db, sql`SELECT count(*)::int AS n FROM tasks`)) as [{ n: number }];
  const url = `/api/dashboard?unitId=${who.rootId}`;
  const first = await app.inject({ url, headers: { cookie } });
  if (first.statusCode !== 200) throw new Error(`${url}: ${first.statusCode} ${first.body}`);
  const kept = JSON.parse(first.body).figuresAsOf !== null;
  const get = (a: typeof app, u: string) => async () => {
    const res = await a.inject({ url: u, headers: { cookie } });
    if (res.statusCode !== 200) throw new Error(res.body);
  };
  const api = await timeIt(N, get(app, url));
  const live = await timeIt(N, get(liveApp, url));
  const hand = await timeIt(N, () => handWritten(database.db, root!, who.rootId));
  // a drill-down target two levels down (a county of the province, a village of the county): always live
  const [deep] = await rowsOf<{ id: string; n: number }>(
    database.db,
    sql`SELECT d.id, (SELECT count(*)::int FROM units x WHERE x.path LIKE d.path || '%') AS n
        FROM units d WHERE d.path LIKE ${`${root!.path}%/%/`} AND length(d.path) = ${root!.path.length + 74} LIMIT 1`,
  );
  const drill = deep ? await timeIt(N, get(app, `/api/dashboard?unitId=${deep.id}`)) : null;
  console.log(`\n${label}: ${units} units, ${tasks} tasks (prepared in ${prepared.toFixed(1)} s), ${N} requests after 20 warm-up`);
  console.log('what | p50 ms | p95 ms');
  console.log(
    `GET /api/dashboard as served (${kept ? 'counts kept, ≤ 1 min old' : 'counted live: below the 1,000-unit threshold'}) | ${api.p50.toFixed(2)} | ${api.p95.toFixed(2)}`,
  );
  console.log(
    `GET /api/dashboard counted live (HTTP pipeline, session, scope, serialization) | ${live.p50.toFixed(2)} | ${live.p95.toFixed(2)}`,
  );
  console.log(`hand-written SQL, same figures (9 queries, concurrent) | ${hand.p50.toFixed(2)} | ${hand.p95.toFixed(2)}`);
  console.log(`ratio as served / hand-written | ${(api.p50 / hand.p50).toFixed(2)}× | ${(api.p95 / hand.p95).toFixed(2)}×`);
  console.log(`ratio live / hand-written | ${(live.p50 / hand.p50).toFixed(2)}× | ${(live.p95 / hand.p95).toFixed(2)}×`);
  if (drill && deep)
    console.log(`GET /api/dashboard of a unit two levels down (${deep.n} units, live) | ${drill.p50.toFixed(2)} | ${drill.p95.toFixed(2)}`);
  await liveApp.close();
  await app.close();
  await database.close();
  rmSync(dataDir, { recursive: true, force: true });
}

console.log(
  `machine: ${cpus().length} × ${cpus()[0]?.model}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, ${new Date().toISOString()}`,
);

// the county: the demo seed, looked at by the county secretary
{
  const database = await openPglite(undefined);
  await measure('County on PGlite (embedded, in memory)', database, async () => {
    const config = loadConfig({ runScheduler: false });
    await seedDemo({ db: database.db, actor: systemActor, config });
    const [row] = await rowsOf<{ username: string; unit_id: string }>(
      database.db,
      sql`
        SELECT p.username, u.id AS unit_id FROM people p JOIN posts s ON s.person_id = p.id JOIN units u ON u.id = s.unit_id
        WHERE u.parent_id IS NULL AND s.title = '县委书记' LIMIT 1`,
    );
    return { username: row!.username, password: DEMO_PASSWORD, rootId: row!.unit_id };
  });
}

// the province on PostgreSQL: BENCH_PG_URL (an empty database), or a throw-away one on BENCH_PG_ADMIN_URL
const adminUrl = process.env.BENCH_PG_ADMIN_URL;
let pgUrl = process.env.BENCH_PG_URL;
let dropDb: string | undefined;
if (!pgUrl && adminUrl) {
  dropDb = `dl_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dropDb}`);
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = `/${dropDb}`;
  pgUrl = u.toString();
}
if (pgUrl) {
  const database = await openPostgres(pgUrl);
  try {
    await measure('Province on PostgreSQL', database, async () => {
      const config = loadConfig({ runScheduler: false });
      const password = 'Bench#2026pass';
      const p = await generateProvince({ db: database.db, actor: systemActor, config }, defaultShape, password);
      return { username: p.leader, password, rootId: p.rootId };
    });
  } finally {
    if (dropDb && adminUrl) {
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${dropDb} WITH (FORCE)`);
      await admin.end();
    }
  }
} else {
  console.log('\n(province skipped: set BENCH_PG_ADMIN_URL=postgres://postgres@127.0.0.1:5432/postgres or BENCH_PG_URL)');
}
