import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorCtx, buildPerson, buildRoot, buildUnit, type Harness, login, startHarness } from '../../../test/harness.js';
import { auditEntries, notifications } from '../../core/schema.js';
import { createLinkedTask } from './service.js';

let h: Harness;
const u = {} as Record<'R' | 'T' | 'V' | 'S', string>;
const p = {} as Record<'adminT' | 'clerkV' | 'adminS', string>;
const deadline = new Date(Date.now() + 5 * 86_400_000).toISOString();
const source = { type: 'meeting.resolution', id: 'm1:0', label: '会议决议：落实专题学习' };

beforeAll(async () => {
  h = await startHarness();
  u.R = (await buildRoot(h, '链接县委')).id;
  u.T = (await buildUnit(h, u.R, '链接镇', '乡镇')).id;
  u.V = (await buildUnit(h, u.T, '链接村', '村')).id;
  u.S = (await buildUnit(h, u.R, '兄弟镇', '乡镇')).id;
  p.adminT = (await buildPerson(h, { unitId: u.T, roles: ['unitAdmin'] })).id;
  p.clerkV = (await buildPerson(h, { unitId: u.V, roles: ['clerk'] })).id;
  p.adminS = (await buildPerson(h, { unitId: u.S, roles: ['unitAdmin'] })).id;
});
afterAll(() => h.close());

describe('createLinkedTask', () => {
  it('creates a task in a unit of the subtree that carries its source, audited, the assignee told', async () => {
    const ctx = await actorCtx(h, p.adminT);
    const task = await createLinkedTask(ctx, { assignerUnitId: u.T, assigneeUnitId: u.V, title: '落实专题学习', deadline, source });
    expect(task).toMatchObject({ unitId: u.V, assignerUnitId: u.T, state: 'todo', source });
    const audit = await h.database.db.select().from(auditEntries).where(eq(auditEntries.entityId, task.id));
    expect(audit.map((a) => a.action)).toEqual(['create']);
    const told = await h.database.db.select().from(notifications).where(eq(notifications.personId, p.clerkV));
    expect(told.some((n) => n.title.includes('落实专题学习'))).toBe(true);
    // the assignee sees where it came from
    const clerk = await login(h, (await h.database.db.query.people.findFirst({ where: (t, { eq }) => eq(t.id, p.clerkV) }))!.username);
    const got = await clerk.get(`/api/tasks/${task.id}`);
    expect(got.status).toBe(200);
    expect(got.body.source).toEqual(source);
  });

  it('refuses an assigner unit outside the actor reach (403) and an assignee unit outside it (400), writing nothing', async () => {
    const before = (await h.database.db.select().from(auditEntries)).length;
    const adminS = await actorCtx(h, p.adminS);
    await expect(
      createLinkedTask(adminS, { assignerUnitId: u.T, assigneeUnitId: u.V, title: 'x', deadline, source }),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(
      createLinkedTask(adminS, { assignerUnitId: u.S, assigneeUnitId: u.V, title: 'x', deadline, source }),
    ).rejects.toMatchObject({
      code: 'VALIDATION',
    });
    expect((await h.database.db.select().from(auditEntries)).length).toBe(before);
  });
});
