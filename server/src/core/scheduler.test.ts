import { createHash } from 'node:crypto';
import { eq, like, sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson, buildRoot, buildUnit, type Harness, startHarness } from '../../test/harness.js';
import { type Database, openPostgres, rowsOf } from '../db/client.js';
import { testEngine } from '../db/testing.js';
import { type Ctx, inTx } from './context.js';
import { notify } from './notifications/service.js';
import { claimOnce, jobLockKey, registeredJobs, registerJob, runJobNow, SCHEDULER_TIMEZONE } from './scheduler.js';
import { jobRuns, notifications, sessions } from './schema.js';

let h: Harness;
let person: { id: string };

beforeAll(async () => {
  h = await startHarness();
  const root = await buildRoot(h);
  const unit = await buildUnit(h, root.id, '甲镇党委', '乡镇');
  person = await buildPerson(h, { unitId: unit.id, roles: ['clerk'] });
});
afterAll(() => h.close());

describe('scheduler', () => {
  it('registers the core jobs with valid patterns, in Shanghai time', () => {
    expect(registeredJobs().map((j) => j.name)).toContain('sessions.cleanup');
    expect(SCHEDULER_TIMEZONE).toBe('Asia/Shanghai');
    expect(() => registerJob({ name: 'bad.pattern', cron: 'not a cron', run: async () => {} })).toThrow();
  });

  it('a job using claimOnce that runs twice does its work once', async () => {
    let runs = 0;
    registerJob({
      name: 'test.remind',
      cron: '0 0 9 * * *',
      run: async (ctx) => {
        runs++;
        await inTx(ctx, async (tx) => {
          if (!(await claimOnce(tx, 'test.remind:2026-03-01', 'test.remind'))) return;
          await notify(tx, { personIds: [person.id], title: '定时提醒', body: '每日一次' });
        });
      },
    });
    expect(await runJobNow('test.remind', h.ctx)).toBe(true);
    expect(await runJobNow('test.remind', h.ctx)).toBe(true);
    expect(runs).toBe(2);
    const rows = await h.database.db.select().from(notifications).where(eq(notifications.title, '定时提醒'));
    expect(rows).toHaveLength(1);
    const claims = await h.database.db.select().from(jobRuns).where(like(jobRuns.key, 'test.remind:%'));
    expect(claims).toHaveLength(1);
    expect(claims[0]!.job).toBe('test.remind');
  });

  it('a claim rolls back with its transaction, so failed work is retried', async () => {
    await expect(
      inTx(h.ctx, async (tx) => {
        expect(await claimOnce(tx, 'test.retry:1', 'test.retry')).toBe(true);
        throw new Error('work failed');
      }),
    ).rejects.toThrow('work failed');
    expect(await inTx(h.ctx, (tx) => claimOnce(tx, 'test.retry:1', 'test.retry'))).toBe(true);
    expect(await inTx(h.ctx, (tx) => claimOnce(tx, 'test.retry:1', 'test.retry'))).toBe(false);
  });

  it('skips a run while the same job is still running', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    registerJob({ name: 'test.slow', cron: '0 * * * *', run: () => gate });
    const first = runJobNow('test.slow', h.ctx);
    expect(await runJobNow('test.slow', h.ctx)).toBe(false);
    release();
    expect(await first).toBe(true);
    await expect(runJobNow('no.such.job', h.ctx)).rejects.toThrow(/unknown job/);
  });

  it('sessions.cleanup deletes only sessions idle longer than the idle timeout', async () => {
    const idleMs = h.config.sessionIdleMinutes * 60_000;
    const make = async (name: string, lastSeenAt: Date) => {
      const idHash = createHash('sha256').update(name).digest('hex');
      await h.database.db.insert(sessions).values({ idHash, personId: person.id, csrfToken: name, lastSeenAt });
      return idHash;
    };
    const stale = await make('stale', new Date(Date.now() - idleMs - 60_000));
    const veryStale = await make('very-stale', new Date(Date.now() - 30 * 24 * 3600_000));
    const fresh = await make('fresh', new Date(Date.now() - idleMs + 5 * 60_000));
    const now = await make('now', new Date());
    await runJobNow('sessions.cleanup', h.ctx);
    const left = (await h.database.db.select({ id: sessions.idHash }).from(sessions)).map((r) => r.id);
    expect(left).toEqual(expect.arrayContaining([fresh, now]));
    expect(left).not.toContain(stale);
    expect(left).not.toContain(veryStale);
  });

  describe('across processes (advisory lock per job)', () => {
    /**
     * A second app process: its own Database (pool) on the same PostgreSQL database. PGlite cannot be opened
     * by two processes; there the "second process" is the same instance, so the in-process guard answers.
     */
    let other: Database;
    let otherCtx: Ctx;
    beforeAll(async () => {
      const url = (h.database as Database & { url?: string }).url;
      other = testEngine === 'postgres' && url ? await openPostgres(url, 3) : h.database;
      otherCtx = { ...h.ctx, db: other.db };
    });
    afterAll(async () => {
      if (other !== h.database) await other.close();
    });

    /** advisory locks held in this test's database (pg_locks covers the whole server, where other tests run) */
    const advisoryLocks = async () =>
      (
        await rowsOf<{ n: number }>(
          h.database.db,
          sql`SELECT count(*)::int AS n FROM pg_locks
              WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
        )
      )[0]!.n;

    it('two runs started together through two connections: the job body runs once', async () => {
      let bodies = 0;
      let entered: () => void = () => {};
      const inBody = new Promise<void>((resolve) => {
        entered = resolve;
      });
      let release: () => void = () => {};
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      registerJob({
        name: 'test.exclusive',
        cron: '0 0 2 * * *',
        run: async () => {
          bodies++;
          entered();
          await gate;
        },
      });
      const a = runJobNow('test.exclusive', h.ctx);
      const b = runJobNow('test.exclusive', otherCtx);
      await inBody;
      // the winner waits on the gate, so the first to settle is the run that did not get the lock
      expect(await Promise.race([a, b])).toBe(false);
      release();
      expect((await Promise.all([a, b])).sort()).toEqual([false, true]);
      expect(bodies).toBe(1);
      expect(await advisoryLocks()).toBe(0);
    });

    it('the lock is released after a run, also a failed one, so the next run proceeds', async () => {
      let bodies = 0;
      let fail = true;
      registerJob({
        name: 'test.sequential',
        cron: '0 0 2 * * *',
        run: async () => {
          bodies++;
          if (fail) throw new Error('job failed');
        },
      });
      await expect(runJobNow('test.sequential', h.ctx)).rejects.toThrow('job failed');
      fail = false;
      expect(await runJobNow('test.sequential', otherCtx)).toBe(true);
      expect(await runJobNow('test.sequential', h.ctx)).toBe(true);
      expect(await runJobNow('test.sequential', otherCtx)).toBe(true);
      expect(bodies).toBe(4);
      expect(await advisoryLocks()).toBe(0);
    });

    it.runIf(testEngine === 'postgres')('a run whose lock connection is killed finishes, and the job runs again', async () => {
      let bodies = 0;
      let release: () => void = () => {};
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      registerJob({
        name: 'test.lostLock',
        cron: '0 0 2 * * *',
        run: async () => {
          bodies++;
          if (bodies === 1) await gate;
        },
      });
      const run = runJobNow('test.lostLock', h.ctx);
      const holder = async () =>
        (
          await rowsOf<{ pid: number }>(
            other.db,
            sql`SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted
                AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
          )
        ).map((r) => r.pid);
      let pids: number[] = [];
      while (pids.length === 0) pids = await holder();
      // the server ends the session holding the lock (a restart, a network cut): no crash, the run completes
      await rowsOf(other.db, sql`SELECT pg_terminate_backend(${pids[0]!})`);
      while ((await holder()).length > 0) await new Promise((r) => setTimeout(r, 10));
      release();
      expect(await run).toBe(true);
      expect(await runJobNow('test.lostLock', otherCtx)).toBe(true);
      expect(await runJobNow('test.lostLock', h.ctx)).toBe(true);
      expect(bodies).toBe(3);
    });

    it.runIf(testEngine === 'postgres')('a run is skipped while another session holds the job lock', async () => {
      let bodies = 0;
      registerJob({
        name: 'test.heldElsewhere',
        cron: '0 0 2 * * *',
        run: async () => {
          bodies++;
        },
      });
      const holder = new pg.Client({ connectionString: (h.database as Database & { url?: string }).url });
      await holder.connect();
      try {
        await holder.query('SELECT pg_advisory_lock(hashtext($1))', [jobLockKey('test.heldElsewhere')]);
        expect(await runJobNow('test.heldElsewhere', h.ctx)).toBe(false);
        expect(await runJobNow('test.heldElsewhere', otherCtx)).toBe(false);
        expect(bodies).toBe(0);
        await holder.query('SELECT pg_advisory_unlock(hashtext($1))', [jobLockKey('test.heldElsewhere')]);
        expect(await runJobNow('test.heldElsewhere', h.ctx)).toBe(true);
        expect(bodies).toBe(1);
      } finally {
        await holder.end();
      }
    });
  });
});
