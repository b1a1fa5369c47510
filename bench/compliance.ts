/**
 * Compliance engine benchmark: the demo county with a year of generated meetings and study plans, then 10×
 * that (ten times the units and records, generated directly into the database), on PGlite and, when
 * BENCH_PG_URL is set, PostgreSQL. Measures through the full HTTP pipeline in-process (app.inject): the
 * county-wide matrix (the dashboard's query), a township's matrix and a unit's year calendar.
 * Prints p50/p95 per route. Results go in BENCHMARKS.md.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { count, eq, isNull, sql } from 'drizzle-orm';
import type { PgInsertValue } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { buildApp } from '../server/src/app.js';
import { loadConfig } from '../server/src/config.js';
import { type Ctx, systemActor } from '../server/src/core/context.js';
import { periodOf } from '../server/src/core/periods.js';
import { units } from '../server/src/core/schema.js';
import { type Database, type Db, openPglite, openPostgres, runMigrations } from '../server/src/db/client.js';
import { regionOf } from '../server/src/db/distribution.js';
import { studyPlans } from '../server/src/modules/meetings/compliance-schema.js';
import { meetingKinds, meetings } from '../server/src/modules/meetings/schema.js';
import { ensureDefaultRules, ensureMeetingKinds } from '../server/src/modules/meetings/service.js';
import { DEMO_PASSWORD, seedDemo } from '../server/src/seed/demo.js';

const N = Number(process.env.BENCH_N ?? 60);
const YEAR = 2025;
const DAY = 86_400_000;

function pct(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Deterministic pseudo-random numbers (mulberry32). */
function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Copies every township subtree `copies` times under the root (10× county: copies = 9). */
async function multiplyTowns(db: Db, copies: number) {
  const all = await db.select().from(units);
  const root = all.find((u) => u.parentId === null)!;
  const towns = all.filter((u) => u.parentId === root.id && u.type === '乡镇');
  const others = all.filter((u) => u.parentId === root.id && u.type !== '乡镇');
  const rows: (typeof units.$inferInsert)[] = [];
  const clone = (src: typeof units.$inferSelect, parent: { id: string; path: string; depth: number }, suffix: string) => {
    const id = randomUUID();
    const row = {
      id,
      parentId: parent.id,
      name: `${src.name}${suffix}`,
      type: src.type,
      path: `${parent.path}${id}/`,
      depth: parent.depth + 1,
    };
    rows.push(row);
    for (const child of all.filter((u) => u.parentId === src.id)) clone(child, row, suffix);
  };
  for (let k = 1; k <= copies; k++) {
    for (const t of towns) clone(t, root, `（${k}）`);
    for (const o of others) clone(o, root, `（${k}）`);
  }
  for (let i = 0; i < rows.length; i += 500) await db.insert(units).values(rows.slice(i, i + 500));
}

/** A year of records for every unit: meetings of every kind the rules count (with gaps), others for volume, study plans. */
async function generateYear(db: Db) {
  const kinds = new Map((await db.select().from(meetingKinds)).map((k) => [k.name, k.id]));
  const all = await db.select({ id: units.id, type: units.type }).from(units);
  const rand = rng(42);
  const m: PgInsertValue<typeof meetings>[] = [];
  const p: PgInsertValue<typeof studyPlans>[] = [];
  const at = (month: number) => {
    const start = periodOf('month', YEAR, month).start.getTime();
    const held = new Date(start + Math.floor(rand() * 27) * DAY + 9 * 3600_000);
    const late = rand() < 0.05;
    return { heldAt: held, createdAt: new Date(held.getTime() + (late ? 45 : 1) * DAY) };
  };
  const meeting = (unitId: string, kind: string, month: number, tags: string[] = []) =>
    m.push({ regionId: regionOf(unitId), unitId, kindId: kinds.get(kind)!, topic: `${kind}（生成）`, tags, ...at(month) });
  for (const u of all) {
    const committee = ['党委', '党组', '党工委', '乡镇'].includes(u.type);
    if (committee) {
      for (const month of [4, 10]) if (rand() < 0.85) meeting(u.id, '党委(党组)会议专题研究意识形态工作', month);
      for (const month of [3, 6, 9, 12]) meeting(u.id, '理论学习中心组学习', month, rand() < 0.5 ? ['意识形态'] : ['经济']);
      if (rand() < 0.8) meeting(u.id, '民主生活会', 12, ['意识形态']);
    }
    for (let month = 1; month <= 12; month++) {
      meeting(u.id, month % 3 === 0 ? '党课' : '主题党日', month);
      if (u.type !== '部门/科室' && rand() < 0.9) {
        const monthKey = `${YEAR}-${String(month).padStart(2, '0')}`;
        const start = periodOf('month', YEAR, month).start;
        p.push({
          regionId: regionOf(u.id),
          unitId: u.id,
          month: monthKey,
          monthStart: start,
          title: `${monthKey}学习计划`,
          createdAt: new Date(start.getTime() - DAY),
        });
      }
    }
  }
  for (let i = 0; i < m.length; i += 500) await db.insert(meetings).values(m.slice(i, i + 500));
  for (let i = 0; i < p.length; i += 500) await db.insert(studyPlans).values(p.slice(i, i + 500));
  return { meetings: m.length, plans: p.length };
}

async function measure(label: string, database: Database, scale: number) {
  const dataDir = mkdtempSync(join(tmpdir(), 'dl-bench-'));
  const config = loadConfig({ dataDir, runScheduler: false, loginRateLimitPerMinute: 100000 });
  await runMigrations(database);
  const ctx: Ctx = { db: database.db, actor: systemActor, config };
  const logins = await seedDemo(ctx);
  await ensureMeetingKinds(ctx);
  await ensureDefaultRules(ctx);
  if (scale > 1) await multiplyTowns(database.db, scale - 1);
  const generated = await generateYear(database.db);
  if (database.engine === 'postgres') await database.db.execute(sql`ANALYZE`);
  const [{ n: unitCount }] = (await database.db.select({ n: count() }).from(units)) as [{ n: number }];
  const [root] = await database.db.select().from(units).where(isNull(units.parentId));
  const [town] = await database.db.select().from(units).where(eq(units.name, '青山镇党委'));

  const { app } = await buildApp(database, config);
  const login = async (username: string) => {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: DEMO_PASSWORD } });
    return { cookie: String(res.headers['set-cookie']).split(';')[0]! };
  };
  const secretary = await login(logins.find((l) => l.note.startsWith('县委书记'))!.username);
  const routes: [string, string][] = [
    [`matrix, whole county (${unitCount} units)`, `/api/compliance/matrix?rootUnitId=${root!.id}&year=${YEAR}&month=12`],
    ['matrix, one township', `/api/compliance/matrix?rootUnitId=${town!.id}&year=${YEAR}&month=6`],
    ['calendar, one township, 19 periods', `/api/compliance/calendar?unitId=${town!.id}&year=${YEAR}`],
  ];
  console.log(`\n${label}, ${scale}× demo county: ${unitCount} units, ${generated.meetings} meetings, ${generated.plans} study plans`);
  console.log('route | p50 ms | p95 ms');
  for (const [name, url] of routes) {
    for (let i = 0; i < 5; i++) await app.inject({ url, headers: { cookie: secretary.cookie } });
    const times: number[] = [];
    for (let i = 0; i < N; i++) {
      const t = performance.now();
      const res = await app.inject({ url, headers: { cookie: secretary.cookie } });
      times.push(performance.now() - t);
      if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
    }
    times.sort((a, b) => a - b);
    console.log(`${name} | ${pct(times, 50).toFixed(1)} | ${pct(times, 95).toFixed(1)}`);
  }
  await app.close();
  await database.close();
  rmSync(dataDir, { recursive: true, force: true });
}

console.log(
  `machine: ${cpus().length} × ${cpus()[0]?.model}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, ${new Date().toISOString()}`,
);
for (const scale of (process.env.BENCH_SCALES ?? '1,10').split(',').map(Number)) {
  await measure('PGlite (embedded, in memory)', await openPglite(undefined), scale);
  if (process.env.BENCH_PG_URL) {
    // a fresh database of its own on the server (never touches the database of BENCH_PG_URL), dropped afterwards
    const name = `dl_bench_${randomBytes(5).toString('hex')}`;
    const admin = async (q: string) => {
      const client = new pg.Client({ connectionString: process.env.BENCH_PG_URL });
      await client.connect();
      await client.query(q).finally(() => client.end());
    };
    await admin(`CREATE DATABASE ${name}`);
    const url = new URL(process.env.BENCH_PG_URL);
    url.pathname = `/${name}`;
    try {
      await measure('PostgreSQL', await openPostgres(url.toString()), scale);
    } finally {
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  }
}
