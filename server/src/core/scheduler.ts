/**
 * In-process scheduler: jobs registered by name with a cron pattern (Asia/Shanghai), run by croner with
 * `protect` so that a run never overlaps the previous one. Jobs work over idempotent database state:
 * `claimOnce` makes "a job that runs twice does its work once" (each unit of work claims its key in
 * job_runs in the same transaction that does the work).
 *
 * Several app processes may run the scheduler against one PostgreSQL database: each run first takes the
 * session-level advisory try-lock `pg_try_advisory_lock(hashtext('dutyledger.job:' || name))` on a pooled
 * connection held for the run (`withAdvisoryTryLock`), and a process that does not get it skips that run.
 * Within one process (and on PGlite, whose single session makes the lock reentrant) the in-process guard
 * below skips a run of a job that is still running.
 *
 * Jobs register themselves on import (`registerJob`); `startScheduler` starts the timers (the `start`
 * command, unless DUTYLEDGER_SCHEDULER=off); tests and the CLI call `runJobNow`.
 */
import { Cron } from 'croner';
import { lt } from 'drizzle-orm';
import type { Config } from '../config.js';
import { type Database, withAdvisoryTryLock } from '../db/client.js';
import { type Ctx, systemActor } from './context.js';
import { jobRuns, sessions } from './schema.js';

export const SCHEDULER_TIMEZONE = 'Asia/Shanghai';

export interface JobDef {
  /** unique, dotted: `sessions.cleanup`, `duty.overdue` … */
  name: string;
  /** croner pattern (5 or 6 fields), in Asia/Shanghai time */
  cron: string;
  run: (ctx: Ctx) => Promise<void>;
}

const jobs = new Map<string, JobDef>();
/** names of the jobs running now, per database client (a pool or a PGlite instance) of this process */
const running = new WeakMap<object, Set<string>>();
let timers: Cron[] = [];

/** The advisory-lock key of a job: `pg_try_advisory_lock(hashtext(jobLockKey(name)))`. */
export function jobLockKey(name: string): string {
  return `dutyledger.job:${name}`;
}

export function registerJob(def: JobDef): void {
  // validates the pattern now rather than when the scheduler starts
  new Cron(def.cron, { paused: true, timezone: SCHEDULER_TIMEZONE }).stop();
  jobs.set(def.name, def);
}

export function registeredJobs(): JobDef[] {
  return [...jobs.values()];
}

/**
 * One run. Skipped (false) while the same job is running in this process on the same database client, or
 * when another session (another process) holds the job's advisory lock.
 */
async function runJob(def: JobDef, ctx: Ctx): Promise<boolean> {
  const owner = (ctx.db as unknown as { $client?: object }).$client ?? ctx.db;
  let names = running.get(owner);
  if (!names) {
    names = new Set();
    running.set(owner, names);
  }
  if (names.has(def.name)) return false;
  names.add(def.name);
  try {
    const result = await withAdvisoryTryLock(ctx.db, jobLockKey(def.name), () => def.run(ctx));
    return result.locked;
  } finally {
    names.delete(def.name);
  }
}

/**
 * Runs a job now (tests, CLI). Resolves false when the job was already running (in this process, or in another
 * one holding its advisory lock) and this run was skipped.
 */
export async function runJobNow(name: string, ctx: Ctx): Promise<boolean> {
  const def = jobs.get(name);
  if (!def) throw new Error(`unknown job ${name}; registered: ${[...jobs.keys()].join(', ')}`);
  return runJob(def, ctx);
}

export function startScheduler(database: Database, config: Config): void {
  stopScheduler();
  const ctx: Ctx = { db: database.db, actor: systemActor, config };
  for (const def of jobs.values()) {
    const timer = new Cron(
      def.cron,
      {
        timezone: SCHEDULER_TIMEZONE,
        protect: true,
        unref: true,
        catch: (err) => console.error(`[scheduler] job ${def.name} failed:`, err),
      },
      async () => {
        await runJob(def, ctx);
      },
    );
    timers.push(timer);
  }
}

export function stopScheduler(): void {
  for (const t of timers) t.stop();
  timers = [];
}

/**
 * Claims the idempotency key `key` for `job` in the caller's transaction: true when this call claimed it
 * (do the work), false when it was claimed before (skip). If the transaction rolls back, so does the claim.
 */
export async function claimOnce(ctx: Ctx, key: string, job: string): Promise<boolean> {
  const rows = await ctx.db
    .insert(jobRuns)
    .values({ key, job })
    .onConflictDoNothing({ target: jobRuns.key })
    .returning({ key: jobRuns.key });
  return rows.length > 0;
}

// ---- core jobs

/** Deletes sessions idle longer than the idle timeout (they can no longer be used anyway). */
export async function cleanupSessions(ctx: Ctx): Promise<number> {
  const cutoff = new Date(Date.now() - ctx.config.sessionIdleMinutes * 60_000);
  const rows = await ctx.db.delete(sessions).where(lt(sessions.lastSeenAt, cutoff)).returning({ id: sessions.idHash });
  return rows.length;
}

registerJob({
  name: 'sessions.cleanup',
  cron: '0 30 3 * * *', // daily, 03:30
  run: async (ctx) => {
    await cleanupSessions(ctx);
  },
});
