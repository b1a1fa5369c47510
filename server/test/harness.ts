/**
 * Test harness: a real app on a fresh database (PGlite or PostgreSQL, see db/testing.ts), factories that
 * build units and people through the domain functions, and an HTTP client that logs in like a browser
 * (session cookie + CSRF header) through app.inject — the real HTTP layer, nothing mocked.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RoleKey, UnitType } from '@dutyledger/contracts';
import { buildApp } from '../src/app.js';
import { type Config, loadConfig } from '../src/config.js';
import { actorOf } from '../src/core/actors.js';
import { hashPassword } from '../src/core/auth/password.js';
import { type Ctx, systemActor } from '../src/core/context.js';
import type { RouteInfo } from '../src/core/http.js';
import type { App } from '../src/core/route.js';
import type { Database } from '../src/db/client.js';
import { createTestDatabase } from '../src/db/testing.js';
import { createPersonUnchecked, createRootUnit } from '../src/modules/org/service.js';
import { createUnit } from '../src/modules/org/units.js';
import { ensureReferenceData } from '../src/seed/reference.js';

export const PASSWORD = 'Test#pass2026';

export interface Harness {
  database: Database;
  config: Config;
  app: App;
  routeTable: RouteInfo[];
  ctx: Ctx;
  dataDir: string;
  close(): Promise<void>;
}

export async function startHarness(overrides: Partial<Config> = {}): Promise<Harness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'dl-test-'));
  const config = loadConfig({ dataDir, runScheduler: false, loginRateLimitPerMinute: 1000, ...overrides });
  const database = await createTestDatabase();
  const { app, routeTable } = await buildApp(database, config);
  const ctx: Ctx = { db: database.db, actor: systemActor, config };
  await ensureReferenceData(ctx);
  return {
    database,
    config,
    app,
    routeTable,
    ctx,
    dataDir,
    close: async () => {
      await app.close();
      await database.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

let passwordHash: Promise<string> | undefined;
let seq = 0;

export async function buildRoot(h: Harness, name = '测试县委') {
  return createRootUnit(h.ctx, { name, type: '党委' });
}

export async function buildUnit(h: Harness, parentId: string, name?: string, type: UnitType = '党支部') {
  // the system actor has no post: build units as the tree's creator would, bypassing the route
  const ctx: Ctx = { ...h.ctx, actor: { ...systemActor, post: await rootPost(h, parentId) } };
  return createUnit(ctx, { parentId, name: name ?? `单位${++seq}`, type });
}

async function rootPost(h: Harness, unitId: string) {
  const { units } = await import('../src/core/schema.js');
  const { eq } = await import('drizzle-orm');
  const [u] = await h.database.db.select().from(units).where(eq(units.id, unitId));
  const rootId = u!.path.split('/')[1]!;
  return {
    id: '00000000-0000-0000-0000-000000000000',
    unitId: rootId,
    scopeRootId: rootId,
    scopeRootPath: `/${rootId}/`,
    roles: ['sysAdmin' as RoleKey],
  };
}

export interface BuiltPerson {
  id: string;
  username: string;
}

export async function buildPerson(
  h: Harness,
  opts: { unitId: string; roles: RoleKey[]; scopeRootId?: string; username?: string; mustChangePassword?: boolean; displayName?: string },
): Promise<BuiltPerson> {
  passwordHash ??= hashPassword(PASSWORD);
  const username = opts.username ?? `user${++seq}_${Math.random().toString(36).slice(2, 7)}`;
  const id = await createPersonUnchecked(h.ctx, {
    username,
    displayName: opts.displayName ?? `测试人员${seq}`,
    passwordHash: await passwordHash,
    mustChangePassword: opts.mustChangePassword ?? false,
    posts: [{ unitId: opts.unitId, scopeRootId: opts.scopeRootId ?? opts.unitId, title: '测试职务', roles: opts.roles }],
  });
  return { id, username };
}

/**
 * A domain-function context acting as `personId` in their first post: for tests of service functions that
 * other modules call (no HTTP route of their own).
 */
export async function actorCtx(h: Harness, personId: string): Promise<Ctx> {
  return { db: h.database.db, actor: await actorOf(h.database.db, personId), config: h.config };
}

export interface Client {
  csrf: string;
  cookie: string;
  request(
    method: string,
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: any; headers: Record<string, unknown> }>;
  get(url: string): ReturnType<Client['request']>;
  post(url: string, body?: unknown): ReturnType<Client['request']>;
  patch(url: string, body?: unknown): ReturnType<Client['request']>;
  put(url: string, body?: unknown): ReturnType<Client['request']>;
  del(url: string): ReturnType<Client['request']>;
}

export function cookieFrom(setCookie: unknown): string {
  const list = Array.isArray(setCookie) ? setCookie : [setCookie];
  return list
    .filter(Boolean)
    .map((c: string) => c.split(';')[0])
    .join('; ');
}

export async function login(h: Harness, username: string, password = PASSWORD): Promise<Client> {
  // each test login from its own address, so that the login rate limit (per address) stays out of the way
  const remoteAddress = `127.${(++seq >> 8) & 255}.${seq & 255}.${Math.floor(Math.random() * 250) + 1}`;
  const res = await h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress });
  if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
  const cookie = cookieFrom(res.headers['set-cookie']);
  const client: Client = {
    csrf: res.json().csrfToken,
    cookie,
    async request(method, url, body, headers = {}) {
      const r = await h.app.inject({
        method: method as 'GET',
        url,
        headers: { cookie: client.cookie, 'x-csrf-token': client.csrf, ...headers },
        ...(body === undefined ? {} : { payload: body as object }),
      });
      let parsed: unknown = r.body;
      try {
        parsed = r.json();
      } catch {}
      return { status: r.statusCode, body: parsed, headers: r.headers };
    },
    get: (url) => client.request('GET', url),
    post: (url, body) => client.request('POST', url, body ?? {}),
    patch: (url, body) => client.request('PATCH', url, body ?? {}),
    put: (url, body) => client.request('PUT', url, body ?? {}),
    del: (url) => client.request('DELETE', url),
  };
  return client;
}
