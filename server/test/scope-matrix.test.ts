/**
 * Scope matrix over the app's route table: each route's outsiders are refused (and nothing changes),
 * its owner succeeds. A route without a case fails the suite.
 */
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEntries } from '../src/core/schema.js';
import { type Harness, startHarness } from './harness.js';
import { buildFixture, type Fixture, type ScopeCase, type ScopeCases } from './scope.js';

// Vite's import.meta.glob (Vitest runs on Vite): every module's *.scope.ts
const caseModules = (import.meta as unknown as { glob: <T>(p: string, o: { eager: true }) => Record<string, T> }).glob<{
  scopeCases: ScopeCases;
}>('../src/**/*.scope.ts', { eager: true });
const cases: ScopeCases = Object.assign({}, ...Object.values(caseModules).map((m) => m.scopeCases));

let h: Harness;
let fx: Fixture;

beforeAll(async () => {
  h = await startHarness();
  fx = await buildFixture(h);
});
afterAll(() => h.close());

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
