/**
 * Scope matrix over the app's route table: each route's outsiders are refused (and nothing changes),
 * its owner succeeds. A route without a case fails the suite.
 *
 * Two parts: the hand-written cases (`*.scope.ts`: owner, the outsiders and their statuses), and a part
 * generated from the permission table: for every case, people with exactly the owner's roles are placed in
 * the unit's sibling, in its child and in its parent. Sibling and child must be refused (a role never reaches
 * sideways or upwards); in the parent, a role the table marks `subtree` must be let through. A case says
 * (`around`) when its target is another unit than the owner's, and why a position is decided by a relation or
 * a domain rule instead (the inspected unit reads its inspection; only the named reviewers review). Non-subtree
 * roles in the parent are not asserted: a relation (the assigner of a task) may let them through. And the
 * three system roles (三员分立), whose permissions the table limits to system ones, are refused on every
 * business route in the target unit itself.
 */
import { type Permission, permissions, type RoleKey, roleKeys, roles } from '@dutyledger/contracts';
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEntries } from '../src/core/schema.js';
import { buildPerson, buildUnit, type Client, type Harness, login, startHarness } from './harness.js';
import { actorSpecs, buildFixture, type Fixture, type FixtureUnit, type ScopeCase, type ScopeCases } from './scope.js';

// Vite's import.meta.glob (Vitest runs on Vite): every module's *.scope.ts
const caseModules = (import.meta as unknown as { glob: <T>(p: string, o: { eager: true }) => Record<string, T> }).glob<{
  scopeCases: ScopeCases;
}>('../src/**/*.scope.ts', { eager: true });
const cases: ScopeCases = Object.assign({}, ...Object.values(caseModules).map((m) => m.scopeCases));
/** the routes of the business modules (everything but core and org): the domain records of the units */
const businessKeys = new Set(
  Object.entries(caseModules)
    .filter(([file]) => file.includes('/modules/') && !file.includes('/modules/org/'))
    .flatMap(([, m]) => Object.keys(m.scopeCases)),
);

let h: Harness;
let fx: Fixture;

beforeAll(async () => {
  h = await startHarness();
  fx = await buildFixture(h);
});
afterAll(() => h.close());

/** the start of a response body, for messages (exports are binary) */
const brief = (body: unknown) => JSON.stringify(body)?.slice(0, 160) ?? '';

const auditCount = async () => ((await h.database.db.select({ n: count() }).from(auditEntries)) as [{ n: number }])[0].n;

describe('scope matrix', () => {
  it('has a case for every non-public route, and no stale cases', () => {
    const routes = h.routeTable.filter((r) => !r.public).map((r) => `${r.method} ${r.url}`);
    const missing = routes.filter((r) => !(r in cases));
    expect(missing, 'routes without a scope case').toEqual([]);
    const stale = Object.keys(cases).filter((k) => !routes.includes(k));
    expect(stale, 'scope cases for routes that do not exist').toEqual([]);
  });

  it('refuses anonymous callers on every non-public route', async () => {
    for (const r of h.routeTable.filter((x) => !x.public)) {
      const url = r.url.replace(/:(\w+)/g, '00000000-0000-4000-8000-000000000000');
      const res = await h.app.inject({ method: r.method as 'GET', url, payload: r.method === 'GET' ? undefined : {} });
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(401);
    }
  });

  // one test per route: its own timeout, and a failure names the route
  const unitCases = Object.entries(cases).filter((e): e is [string, ScopeCase] => 'owner' in e[1]);
  it('has unit cases at all', () => expect(unitCases.length).toBeGreaterThan(10));
  for (const [key, c] of unitCases) {
    it(`${key}: outsiders refused with nothing written, the owner lets through`, async () => {
      const method = key.split(' ')[0]!;
      for (const [actor, status] of Object.entries(c.denied)) {
        const req = await c.request(fx);
        const before = await auditCount();
        const res = await fx.as[actor as keyof Fixture['as']].request(method, req.url, req.body);
        expect(res.status, `${key} as ${actor}: ${JSON.stringify(res.body)}`).toBe(status);
        expect(res.body.code, `${key} as ${actor}`).toBeTypeOf('string');
        expect(await auditCount(), `${key} as ${actor} must change nothing`).toBe(before);
      }
      const req = await c.request(fx);
      const res = await fx.as[c.owner].request(method, req.url, req.body);
      expect(res.status, `${key} as owner ${c.owner}: ${JSON.stringify(res.body)}`).toBe(c.okStatus ?? 200);
    });
  }
});

describe("scope matrix, generated from the permission table: the owner's roles around the owner's unit", () => {
  const unitCases = Object.entries(cases).filter((e): e is [string, ScopeCase] => 'owner' in e[1]);
  let around: Record<FixtureUnit, { sibling?: string; child: string; parent?: string }>;
  const clients = new Map<string, Client>();

  /** a person with exactly `roleKeys` in `unitId`, logged in (one per unit and role set) */
  async function personAt(unitId: string, roleKeys: RoleKey[]): Promise<Client> {
    const key = `${unitId}:${roleKeys.join(',')}`;
    let client = clients.get(key);
    if (!client) {
      client = await login(h, (await buildPerson(h, { unitId, roles: roleKeys })).username);
      clients.set(key, client);
    }
    return client;
  }

  beforeAll(async () => {
    const { R, A, A1, B } = fx.units;
    const A2 = (await buildUnit(h, A, 'A2村党支部', '村')).id;
    const A1x = (await buildUnit(h, A1, 'A1x党小组', '其他')).id;
    const B1 = (await buildUnit(h, B, 'B1村党支部', '村')).id;
    around = {
      R: { child: A },
      A: { sibling: B, child: A1, parent: R },
      A1: { sibling: A2, child: A1x, parent: A },
      B: { sibling: A, child: B1, parent: R },
    };
  });

  it('covers every unit case', () => expect(unitCases.length).toBeGreaterThan(10));

  it('says why for every case it leaves out', () => {
    for (const [key, c] of unitCases) {
      if (c.around?.skip !== undefined) expect(c.around.skip.length, key).toBeGreaterThan(10);
      for (const why of Object.values(c.around?.except ?? {})) expect(why.length, key).toBeGreaterThan(10);
    }
  });

  for (const [key, c] of unitCases.filter(([, x]) => !x.around?.skip)) {
    it(`${key}: refused to the owner's roles in a sibling and a child unit; subtree roles above let through`, async () => {
      const method = key.split(' ')[0]!;
      const spec = actorSpecs[c.owner];
      const pos = around[c.around?.target ?? spec.unit];
      const except = c.around?.except ?? {};
      const refusedAt: [string, string][] = [];
      if (!except.child) refusedAt.push(['child', pos.child]);
      if (pos.sibling && !except.sibling) refusedAt.push(['sibling', pos.sibling]);
      for (const [where, unitId] of refusedAt) {
        const client = await personAt(unitId, spec.roles);
        // a copy of the fixture: cases that share one target among their outsiders (`once`) build a fresh one
        const req = await c.request({ ...fx });
        const before = await auditCount();
        const res = await client.request(method, req.url, req.body);
        expect([403, 404], `${key}: ${spec.roles.join('+')} in the ${where} unit: ${res.status} ${brief(res.body)}`).toContain(res.status);
        expect(await auditCount(), `${key}: ${spec.roles.join('+')} in the ${where} unit must change nothing`).toBe(before);
      }
      const subtreeWide = spec.roles.every((r) => roles[r].subtree);
      if (pos.parent && subtreeWide && !except.parent) {
        const client = await personAt(pos.parent, spec.roles);
        const req = await c.request({ ...fx });
        const res = await client.request(method, req.url, req.body);
        expect(res.status, `${key}: ${spec.roles.join('+')} in the parent unit: ${brief(res.body)}`).toBe(c.okStatus ?? 200);
      }
    });
  }
});

/**
 * 三员分立, generated from the role table: the three system roles hold only system permissions, so in the target
 * unit itself each of them is refused on every route of the business modules, with nothing written.
 */
describe('scope matrix, generated from the permission table: system roles and business records', () => {
  const systemPermissions: Permission[] = [
    'unit.read',
    'unit.manage',
    'person.read',
    'person.manage',
    'post.manage',
    'role.grantSystem',
    'person.unlock',
    'audit.read',
    'notification.configure',
  ];
  const systemRoles = roleKeys.filter((r) => roles[r].system);
  const clients = new Map<string, Client>();

  it('the system roles hold system permissions only', () => {
    expect(systemRoles.sort()).toEqual(['auditor', 'secAdmin', 'sysAdmin']);
    for (const r of systemRoles) for (const p of roles[r].permissions) expect(systemPermissions, `${r}: ${p}`).toContain(p);
  });

  const unitCases = Object.entries(cases).filter((e): e is [string, ScopeCase] => 'owner' in e[1] && businessKeys.has(e[0]));
  it('covers the business routes', () => expect(unitCases.length).toBeGreaterThan(100));
  for (const [key, c] of unitCases) {
    it(`${key}: refused to ${systemRoles.join(', ')} in the target unit`, async () => {
      const method = key.split(' ')[0]!;
      const unit = c.around?.target ?? actorSpecs[c.owner].unit;
      for (const role of systemRoles) {
        const ck = `${unit}:${role}`;
        let client = clients.get(ck);
        if (!client) {
          client = await login(h, (await buildPerson(h, { unitId: fx.units[unit], roles: [role] })).username);
          clients.set(ck, client);
        }
        const req = await c.request({ ...fx });
        const before = await auditCount();
        const res = await client.request(method, req.url, req.body);
        expect([403, 404], `${key} as ${role} in ${unit}: ${res.status} ${brief(res.body)}`).toContain(res.status);
        expect(await auditCount(), `${key} as ${role} must change nothing`).toBe(before);
      }
    });
  }
});

/**
 * Every role of the table, alone, in the target unit itself: let through iff the table gives it the case's
 * permission, otherwise refused with nothing written. A case names the roles for which a relation or a domain
 * rule overturns the table (`roleExcept`, expected the other way round), or says that no permission decides
 * (`permission: null`: every role refused). Dictionaries (`around.skip`) are included: the roles of the unit
 * that reads them are asserted all the same.
 */
describe('scope matrix, generated from the permission table: every role in the target unit', () => {
  const unitCases = Object.entries(cases).filter((e): e is [string, ScopeCase] => 'owner' in e[1]);
  const clients = new Map<string, Client>();

  it('every unit case declares the permission it needs, and it is one of the table', () => {
    const undeclared = unitCases.filter(([, c]) => c.permission === undefined).map(([k]) => k);
    expect(undeclared, 'unit cases without a permission').toEqual([]);
    for (const [key, c] of unitCases) {
      if (c.permission === null) expect(c.relation?.length ?? 0, `${key}: why no permission decides`).toBeGreaterThan(10);
      else expect(permissions, key).toContain(c.permission);
      for (const [role, why] of Object.entries(c.roleExcept ?? {})) {
        expect(roleKeys, key).toContain(role);
        expect(why.length, `${key}: ${role}`).toBeGreaterThan(10);
      }
    }
  });

  for (const [key, c] of unitCases) {
    const allowedBy = (role: RoleKey) => c.permission !== null && roles[role].permissions.includes(c.permission);
    it(`${key}: each role alone in the target unit as the table says (${c.permission ?? 'no permission'})`, async () => {
      const method = key.split(' ')[0]!;
      const unit = c.around?.target ?? actorSpecs[c.owner].unit;
      for (const role of roleKeys) {
        const ck = `${unit}:${role}`;
        let client = clients.get(ck);
        if (!client) {
          client = await login(h, (await buildPerson(h, { unitId: fx.units[unit], roles: [role] })).username);
          clients.set(ck, client);
        }
        const allowed = c.roleExcept?.[role] ? !allowedBy(role) : allowedBy(role);
        const req = await c.request({ ...fx });
        const before = await auditCount();
        const res = await client.request(method, req.url, req.body);
        const what = `${key} as ${role} in ${unit} (${c.permission ?? 'no permission'}${c.roleExcept?.[role] ? ', excepted' : ''})`;
        if (allowed) {
          expect(res.status, `${what}: ${brief(res.body)}`).toBe(c.okStatus ?? 200);
        } else {
          expect([403, 404], `${what}: ${res.status} ${brief(res.body)}`).toContain(res.status);
          expect(await auditCount(), `${what} must change nothing`).toBe(before);
        }
      }
    });
  }
});
