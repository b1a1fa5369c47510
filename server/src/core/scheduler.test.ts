import { createHash } from 'node:crypto';
import { eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson, buildRoot, buildUnit, type Harness, startHarness } from '../../test/harness.js';
import { inTx } from './context.js';
import { notify } from './notifications/service.js';
import { claimOnce, registeredJobs, registerJob, runJobNow, SCHEDULER_TIMEZONE } from './scheduler.js';
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
});
