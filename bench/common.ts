/** Helpers shared by the benchmarks that run the real server as a child process (load.ts, reads.ts). */
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const repoRoot = fileURLToPath(new URL('../', import.meta.url));

export function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
export const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '–');
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** A TypeScript entry point of the repository as a child process (stdout shown with LOAD_VERBOSE, stderr always). */
export function startProcess(label: string, args: string[], env: Record<string, string>): ChildProcess {
  // BENCH_CPU_PROF_DIR: every started process writes a V8 CPU profile there when it exits (open it in Chrome's DevTools)
  const profile = process.env.BENCH_CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => process.env.LOAD_VERBOSE && process.stdout.write(`[${label}] ${d}`));
  child.stderr!.on('data', (d: Buffer) => process.stderr.write(`[${label}] ${d}`));
  return child;
}

export async function waitFor(url: string, seconds: number): Promise<void> {
  const until = Date.now() + seconds * 1000;
  for (;;) {
    try {
      await fetch(url);
      return;
    } catch {
      if (Date.now() > until) throw new Error(`${url} did not answer in ${seconds} s`);
      await sleep(300);
    }
  }
}

export function rssMb(pid: number | undefined): number {
  if (!pid) return Number.NaN;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

const TICK_MS = 10; // USER_HZ = 100 on Linux

/** User + system CPU time of a process so far, in ms (from /proc/<pid>/stat); NaN when it cannot be read. */
export function cpuMs(pid: number | undefined): number {
  if (!pid) return Number.NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS; // utime, stime (fields 14 and 15 of the line)
  } catch {
    return Number.NaN;
  }
}

/** CPU time so far of each process named `postgres` on the machine (the server's backends included), by pid, in ms. */
export function postgresCpu(): Map<number, number> {
  const byPid = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!readFileSync(`/proc/${entry}/stat`, 'utf8').includes('(postgres)')) continue;
      byPid.set(Number(entry), cpuMs(Number(entry)));
    } catch {
      // the process ended meanwhile
    }
  }
  return byPid;
}

/** PostgreSQL CPU time between two `postgresCpu()` readings; processes that ended meanwhile are not counted. */
export function postgresCpuSince(before: Map<number, number>, after = postgresCpu()): number {
  let total = 0;
  for (const [pid, ms] of after) total += ms - (before.get(pid) ?? 0);
  return total;
}

export const benchAdminUrl = process.env.BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function adminQuery(text: string): Promise<void> {
  const admin = new pg.Client({ connectionString: benchAdminUrl });
  await admin.connect();
  try {
    await admin.query(text);
  } finally {
    await admin.end();
  }
}

/** A new, empty database on the server of BENCH_PG_ADMIN_URL, named `<prefix>_<timestamp>`; `drop()` removes it. */
export async function throwAwayDatabase(prefix: string): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${Date.now()}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(benchAdminUrl);
  url.pathname = `/${name}`;
  return { name, url: url.toString(), drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** The environment of `server/src/main.ts start` under a bench: API only, no scheduler, quiet, no login limit. */
export function serverEnv(o: { databaseUrl: string; port: number; dataDir: string; webDist: string }): Record<string, string> {
  return {
    DATABASE_URL: o.databaseUrl,
    PORT: String(o.port),
    HOST: '127.0.0.1',
    DUTYLEDGER_DATA: o.dataDir,
    DUTYLEDGER_WEB_DIST: o.webDist,
    DUTYLEDGER_SCHEDULER: 'off',
    DUTYLEDGER_LOG_LEVEL: 'warn',
    DUTYLEDGER_LOGIN_RATE_LIMIT: '100000',
  };
}
