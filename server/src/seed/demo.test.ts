import { count, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, login, startHarness } from '../../test/harness.js';
import { verifyAudit } from '../core/audit.js';
import { people, posts, units } from '../core/schema.js';
import { rowsOf } from '../db/client.js';
import { assessmentDemoChecks } from '../modules/assessment/demo.checks.js';
import { channelsDemoChecks } from '../modules/channels/demo.checks.js';
import { dutyDemoChecks } from '../modules/duty/demo.checks.js';
import { meetingsDemoChecks } from '../modules/meetings/demo.checks.js';
import { complianceDemoChecks } from '../modules/meetings/demo-compliance.checks.js';
import { opinionDemoChecks } from '../modules/opinion/demo.checks.js';
import { rectifyDemoChecks } from '../modules/rectify/demo.checks.js';
import { reportsDemoChecks } from '../modules/reports/demo.checks.js';
import { DEMO_PASSWORD, type DemoLogin, DemoSeedRefused, seedDemo } from './demo.js';

let h: Harness;
let logins: DemoLogin[];

beforeAll(async () => {
  h = await startHarness();
  logins = await seedDemo(h.ctx);
});
afterAll(() => h.close());

describe('seedDemo', () => {
  it('builds a county of about 60 units and 150 people', async () => {
    const [u] = await h.database.db.select({ n: count() }).from(units);
    const [p] = await h.database.db.select({ n: count() }).from(people);
    expect(u!.n).toBeGreaterThanOrEqual(55);
    expect(u!.n).toBeLessThanOrEqual(65);
    expect(p!.n).toBeGreaterThanOrEqual(140);
    expect(p!.n).toBeLessThanOrEqual(160);
  });

  it('adds records in several states: a plan, tasks done, submitted, returned, open and overdue', async () => {
    const rows = await rowsOf(
      h.database.db,
      sql`SELECT state, (state <> 'done' AND deadline < now()) AS overdue, count(*)::int AS n FROM tasks GROUP BY 1, 2`,
    );
    const n = (state: string, overdue = false) => rows.find((r) => r.state === state && r.overdue === overdue)?.n ?? 0;
    for (const state of ['todo', 'inProgress', 'submitted', 'done', 'returned']) expect(n(state), state).toBeGreaterThan(0);
    expect(rows.filter((r) => r.overdue).length).toBeGreaterThan(0);
  });

  it('has one root, a secretary and a clerk in every unit, unique usernames, invented names', async () => {
    const roots = await h.database.db.select().from(units).where(sql`${units.parentId} IS NULL`);
    expect(roots.map((r) => r.name)).toEqual(['中共示范县委员会']);
    const bare = await rowsOf(
      h.database.db,
      sql`
      SELECT u.name FROM units u WHERE
        NOT EXISTS (SELECT 1 FROM posts p WHERE p.unit_id = u.id AND 'leader' = ANY(p.roles)) OR
        NOT EXISTS (SELECT 1 FROM posts p WHERE p.unit_id = u.id AND 'clerk' = ANY(p.roles))`,
    );
    expect(bare).toEqual([]);
    const all = await h.database.db.select({ username: people.username, displayName: people.displayName }).from(people);
    for (const p of all) {
      expect(p.username).toMatch(/^[a-z0-9_.-]{3,32}$/);
      expect(p.displayName).toMatch(/^[\u4e00-\u9fa5]{2,3}$/);
    }
  });

  it('has the DESIGN.md example: a 宣传部 clerk whose scope root is the county committee', async () => {
    const rows = await rowsOf(
      h.database.db,
      sql`
      SELECT p.title FROM posts p JOIN units u ON u.id = p.unit_id JOIN units r ON r.id = p.scope_root_id
      WHERE u.name = '县委宣传部' AND r.parent_id IS NULL AND 'clerk' = ANY(p.roles)`,
    );
    expect(rows.length).toBeGreaterThan(0);
    const [two] = await rowsOf<{ n: number }>(
      h.database.db,
      sql`SELECT count(*)::int AS n FROM (SELECT person_id FROM posts GROUP BY person_id HAVING count(*) > 1) x`,
    );
    expect(two!.n).toBeGreaterThanOrEqual(1);
    const [postCount] = await h.database.db.select({ n: count() }).from(posts);
    expect(postCount!.n).toBeGreaterThan(140);
  });

  it('returns featured logins that work, the admin sees every unit', async () => {
    expect(logins.map((l) => l.username)).toEqual(expect.arrayContaining(['admin', 'secadmin', 'auditor']));
    const admin = await login(h, 'admin', DEMO_PASSWORD);
    const list = await admin.get('/api/units');
    expect(list.status).toBe(200);
    const [u] = await h.database.db.select({ n: count() }).from(units);
    expect(list.body.length).toBe(u!.n);
    const me = await admin.get('/api/auth/me');
    expect(me.status).toBe(200);
    const clerk = logins.find((l) => l.unit.startsWith('县委宣传部'))!;
    const c = await login(h, clerk.username, DEMO_PASSWORD);
    // clerk is not a subtree role: with scope root 县委 the clerk acts in the committee's unit itself
    const names = (await c.get('/api/units')).body.map((x: { name: string }) => x.name);
    expect(names).toContain('中共示范县委员会');
  });

  it('gives the township secretary a second post, the first one being where a login starts', async () => {
    const two = logins.find((l) => l.note.includes('第一书记'))!;
    expect(two.unit).toBe('青山镇党委');
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: two.username, password: DEMO_PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.posts).toHaveLength(2);
    const current = body.posts.find((p: { id: string }) => p.id === body.currentPostId);
    expect(current.unitName).toBe('青山镇党委');
  });

  it('shows the county secretary every figure on the dashboard, and a town its latest assessment rank', async () => {
    const secretary = logins.find((l) => l.note.startsWith('县委书记'))!;
    const county = (await (await login(h, secretary.username, DEMO_PASSWORD)).get('/api/dashboard')).body;
    for (const [k, v] of Object.entries(county.figures)) expect(v, k).not.toBeNull();
    expect(county.figures.openTasks).toBeGreaterThan(0);
    expect(county.children.length).toBeGreaterThan(10);
    const town = county.children.find((c: { name: string }) => c.name === '青山镇党委');
    const townView = (await (await login(h, secretary.username, DEMO_PASSWORD)).get(`/api/dashboard?unitId=${town.unitId}`)).body;
    expect(townView.assessment).toMatchObject({ rank: expect.any(Number), of: expect.any(Number) });
    expect(townView.assessment.rank).toBeGreaterThanOrEqual(1);
    expect(townView.assessment.rank).toBeLessThanOrEqual(townView.assessment.of);
  });

  it('keeps the audit chain valid, one entry per unit and person', async () => {
    const result = await verifyAudit(h.database.db);
    expect(result.ok).toBe(true);
    const [u] = await h.database.db.select({ n: count() }).from(units);
    const [p] = await h.database.db.select({ n: count() }).from(people);
    expect(result.checked).toBeGreaterThanOrEqual(u!.n + p!.n);
  });

  it('refuses a second run and changes nothing', async () => {
    const [before] = await h.database.db.select({ n: count() }).from(units);
    await expect(seedDemo(h.ctx)).rejects.toBeInstanceOf(DemoSeedRefused);
    const [after] = await h.database.db.select({ n: count() }).from(units);
    expect(after!.n).toBe(before!.n);
  });
});

// every module's checks of its demo records, on this one seeded county (seeding it once per engine)
channelsDemoChecks(() => h);
dutyDemoChecks(() => h);
complianceDemoChecks(() => h);
meetingsDemoChecks(() => h);
opinionDemoChecks(() => h);
rectifyDemoChecks(() => h);
reportsDemoChecks(() => h);
assessmentDemoChecks(() => h);
