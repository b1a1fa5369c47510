/**
 * Foundation benchmark: the demo county on the embedded database (and on PostgreSQL when
 * BENCH_PG_URL is set), the API's most frequent reads measured through the full HTTP pipeline
 * in-process (app.inject: routing, session lookup, scope SQL, serialization; no socket).
 * Prints p50/p95/p99 per route. Results go in BENCHMARKS.md.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../server/src/app.js';
import { loadConfig } from '../server/src/config.js';
import { systemActor } from '../server/src/core/context.js';
import { type Database, openPglite, openPostgres, runMigrations } from '../server/src/db/client.js';
import { DEMO_PASSWORD, seedDemo } from '../server/src/seed/demo.js';

const N = Number(process.env.BENCH_N ?? 300);

function pct(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function runOn(label: string, database: Database) {
  const dataDir = mkdtempSync(join(tmpdir(), 'dl-bench-'));
  const config = loadConfig({ dataDir, runScheduler: false, loginRateLimitPerMinute: 100000 });
  await runMigrations(database);
  await seedDemo({ db: database.db, actor: systemActor, config });
  const { app } = await buildApp(database, config);
  const login = async (username: string) => {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: DEMO_PASSWORD } });
    return { cookie: String(res.headers['set-cookie']).split(';')[0]!, csrf: res.json().csrfToken as string };
  };
  const admin = await login('admin');
  const auditor = await login('auditor');
  const routes: [string, { cookie: string }][] = [
    ['/api/auth/me', admin],
    ['/api/units', admin],
    ['/api/people?pageSize=20', admin],
    ['/api/people?q=%E5%BC%A0&pageSize=20', admin],
    ['/api/audit?pageSize=20', auditor],
  ];
  console.log(`\n${label}: demo county, ${N} requests per route after 30 warm-up requests`);
  console.log('route | p50 ms | p95 ms | p99 ms | req/s');
  for (const [url, who] of routes) {
    for (let i = 0; i < 30; i++) await app.inject({ url, headers: { cookie: who.cookie } });
    const times: number[] = [];
    const started = performance.now();
    for (let i = 0; i < N; i++) {
      const t = performance.now();
      const res = await app.inject({ url, headers: { cookie: who.cookie } });
      times.push(performance.now() - t);
      if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
    }
    const total = performance.now() - started;
    times.sort((a, b) => a - b);
    console.log(
      `${url} | ${pct(times, 50).toFixed(2)} | ${pct(times, 95).toFixed(2)} | ${pct(times, 99).toFixed(2)} | ${((N / total) * 1000).toFixed(0)}`,
    );
  }
  await app.close();
  await database.close();
  rmSync(dataDir, { recursive: true, force: true });
}

console.log(
  `machine: ${cpus().length} × ${cpus()[0]?.model}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, ${new Date().toISOString()}`,
);
await runOn('PGlite (embedded, in memory)', await openPglite(undefined));
if (process.env.BENCH_PG_URL) await runOn('PostgreSQL', await openPostgres(process.env.BENCH_PG_URL));
