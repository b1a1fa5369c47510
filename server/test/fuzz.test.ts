/**
 * Security suite: property-based fuzzing of every JSON route, from its own zod schemas. Random and hostile
 * bodies and query strings (wrong types, huge strings, deep nesting, unicode edge cases, SQL metacharacters,
 * real and unknown ids) must get a 2xx or a 4xx, never a 5xx, and a refused request must write nothing
 * (the audit log, which every write appends to in the same transaction, does not grow).
 */

import { count } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { auditEntries } from '../src/core/schema.js';
import { type Client, type Harness, startHarness } from './harness.js';
import { buildFixture, type Fixture } from './scope.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 12);

let h: Harness;
let fx: Fixture;
let ids: string[];

beforeAll(async () => {
  h = await startHarness();
  fx = await buildFixture(h);
  ids = [...Object.values(fx.units), ...Object.values(fx.people).map((p) => p.id)];
});
afterAll(() => h.close());

const hostileStrings = [
  '',
  ' ',
  "'; DROP TABLE units; --",
  '" OR 1=1 --',
  '%_\\',
  '<script>alert(1)</script>',
  '\u202e\u200b\ufeff',
  '😀𠮷\ud800',
  'a'.repeat(70_000),
  '../../../../etc/passwd',
  '=HYPERLINK("http://x")',
  '1e309',
  '-1',
  '2026-13-45T99:99:99Z',
];
const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...hostileStrings),
  fc.constantFrom(null, true, -1, 0, 2 ** 53, -(2 ** 31), 1e308, 3.5),
  fc.jsonValue({ maxDepth: 3 }),
  // deep nesting
  fc.integer({ min: 50, max: 300 }).map((n) => {
    let v: unknown = 'x';
    for (let i = 0; i < n; i++) v = i % 2 ? [v] : { a: v };
    return v;
  }),
);

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
};

/** An arbitrary for values near the schema: mostly well-typed, sometimes hostile, ids from the fixture. */
function near(js: JsonSchema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!js || depth > 5) return hostile;
  const alt = js.anyOf ?? js.oneOf;
  let typed: fc.Arbitrary<unknown>;
  if (alt?.length) typed = fc.oneof(...alt.map((s) => near(s, depth + 1)));
  else if (js.const !== undefined) typed = fc.constant(js.const);
  else if (js.enum?.length) typed = fc.constantFrom(...js.enum);
  else {
    const type = Array.isArray(js.type) ? js.type[0] : js.type;
    switch (type) {
      case 'object': {
        const props = Object.fromEntries(Object.entries(js.properties ?? {}).map(([k, v]) => [k, near(v, depth + 1)]));
        typed = fc.record(props, { requiredKeys: (js.required ?? []).filter((k) => k in props) });
        break;
      }
      case 'array':
        typed = fc.array(near(js.items, depth + 1), { maxLength: 4 });
        break;
      case 'string':
        typed =
          js.format === 'uuid'
            ? fc.oneof(fc.constantFrom(...ids), fc.uuid())
            : js.format === 'date-time'
              ? fc.date({ min: new Date('1900-01-01'), max: new Date('2200-01-01'), noInvalidDate: true }).map((d) => d.toISOString())
              : fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom(...hostileStrings));
        break;
      case 'integer':
      case 'number':
        typed = fc.oneof(fc.integer({ min: -5, max: 3000 }), fc.double({ noNaN: true }));
        break;
      case 'boolean':
        typed = fc.boolean();
        break;
      default:
        typed = hostile;
    }
  }
  return fc.oneof({ weight: 5, arbitrary: typed }, { weight: 1, arbitrary: hostile });
}

function jsonSchemaOf(schema: unknown): JsonSchema | undefined {
  if (!schema) return undefined;
  try {
    return z.toJSONSchema(schema as z.ZodType, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  } catch {
    return undefined;
  }
}

const auditCount = async () => ((await h.database.db.select({ n: count() }).from(auditEntries)) as [{ n: number }])[0].n;

/** Fill :params with fixture ids or random uuids. */
const urlArb = (url: string) =>
  fc.tuple(...(url.match(/:\w+/g) ?? []).map(() => fc.oneof(fc.constantFrom(...ids), fc.uuid()))).map((vals) => {
    let i = 0;
    return url.replace(/:\w+/g, () => String(vals[i++]));
  });

function queryString(value: unknown): string {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return '';
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(value)) sp.set(k, typeof v === 'string' ? v : JSON.stringify(v));
  const s = sp.toString();
  return s.length > 6000 ? '' : s ? `?${s}` : '';
}

describe('fuzzing every JSON route from its schema', () => {
  // routes that end or change the caller's own session are left out: they would only fuzz a logged-out caller
  const skip = (url: string) => url.startsWith('/api/auth/');
  const routes = () => h.routeTable.filter((r) => !r.public && !skip(r.url));

  it('covers the routes', () => expect(routes().length).toBeGreaterThan(20));

  it('never answers 5xx, and a refused write changes nothing', async () => {
    const as: Client = fx.as.adminR; // the widest business reach: requests get past scope checks to the handlers
    const sys: Client = fx.as.sysAdmin;
    for (const r of routes()) {
      const bodyArb = r.method === 'GET' || r.method === 'DELETE' ? fc.constant(undefined) : near(jsonSchemaOf(r.schema?.body));
      const queryArb = r.schema?.querystring ? near(jsonSchemaOf(r.schema.querystring)) : fc.constant(undefined);
      await fc.assert(
        fc.asyncProperty(urlArb(r.url), bodyArb, queryArb, fc.boolean(), async (url, body, query, asSys) => {
          const before = await auditCount();
          const res = await (asSys ? sys : as).request(r.method, `${url}${queryString(query)}`, body);
          expect(res.status, `${r.method} ${url}: ${JSON.stringify(res.body).slice(0, 300)}`).toBeLessThan(500);
          if (res.status >= 400) expect(await auditCount(), `${r.method} ${url} refused but wrote`).toBe(before);
        }),
        { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? 20261123) },
      );
    }
  }, 600_000);
});
