import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson, buildRoot, buildUnit, cookieFrom, type Harness, login, PASSWORD, startHarness } from '../../../test/harness.js';
import { rowsOf } from '../../db/client.js';
import { loginLog, people, sessions } from '../schema.js';

let h: Harness;
let unitId: string;

beforeAll(async () => {
  h = await startHarness({ loginRateLimitPerMinute: 8 });
  const root = await buildRoot(h);
  unitId = (await buildUnit(h, root.id, '甲镇党委', '乡镇')).id;
});
afterAll(() => h.close());

const tryLogin = (username: string, password: string, ip = '10.0.0.1') =>
  h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress: ip });

describe('login and sessions', () => {
  it('logs in with a HttpOnly SameSite cookie, a CSRF token, and a new session id every time (no fixation)', async () => {
    const p = await buildPerson(h, { unitId, roles: ['clerk'] });
    const first = await tryLogin(p.username, PASSWORD);
    expect(first.statusCode).toBe(200);
    const setCookie = String(first.headers['set-cookie']);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(first.json().csrfToken).toMatch(/.{20,}/);
    // a cookie planted before login is not adopted: login always issues a fresh one
    const second = await h.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: p.username, password: PASSWORD },
      headers: { cookie: cookieFrom(first.headers['set-cookie']) },
    });
    expect(cookieFrom(second.headers['set-cookie'])).not.toBe(cookieFrom(first.headers['set-cookie']));
    const rows = await h.database.db.select().from(sessions).where(eq(sessions.personId, p.id));
    expect(rows).toHaveLength(2);
    // the token is stored only as a hash
    expect(rows.map((r) => r.idHash)).not.toContain(cookieFrom(first.headers['set-cookie']).split('=')[1]);
  });

  it('answers wrong credentials with 401 and writes the login log', async () => {
    const p = await buildPerson(h, { unitId, roles: ['clerk'] });
    const res = await tryLogin(p.username, 'Wrong#password1', '10.0.0.2');
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'UNAUTHENTICATED', message: '用户名或密码错误' });
    const unknown = await tryLogin('no-such-user', 'Wrong#password1', '10.0.0.2');
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().message).toBe(res.json().message);
    const log = await h.database.db.select().from(loginLog).where(eq(loginLog.username, p.username));
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ success: false, reason: '密码错误', ip: '10.0.0.2' });
  });

  it('locks the account for 15 minutes after 5 failed logins, even with the right password', async () => {
    const p = await buildPerson(h, { unitId, roles: ['clerk'] });
    for (let i = 0; i < 4; i++) expect((await tryLogin(p.username, 'Wrong#password1', `10.1.0.${i}`)).statusCode).toBe(401);
    const fifth = await tryLogin(p.username, 'Wrong#password1', '10.1.0.9');
    expect(fifth.statusCode).toBe(403);
    expect(fifth.json().code).toBe('ACCOUNT_LOCKED');
    const right = await tryLogin(p.username, PASSWORD, '10.1.0.10');
    expect(right.statusCode).toBe(403);
    expect(right.json().code).toBe('ACCOUNT_LOCKED');
    const [row] = await h.database.db.select().from(people).where(eq(people.id, p.id));
    const minutes = (row!.lockedUntil!.getTime() - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(14);
    expect(minutes).toBeLessThanOrEqual(15);
    // once the lock has passed, the right password works again
    await h.database.db
      .update(people)
      .set({ lockedUntil: new Date(Date.now() - 1000) })
      .where(eq(people.id, p.id));
    expect((await tryLogin(p.username, PASSWORD, '10.1.0.11')).statusCode).toBe(200);
  });

  it('rate-limits login attempts per address with 429', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await tryLogin(`nobody${i}`, 'x', '10.9.9.9')).statusCode);
    expect(statuses.slice(0, 8).every((s) => s === 401)).toBe(true);
    expect(statuses[9]).toBe(429);
    const last = await tryLogin('nobody', 'x', '10.9.9.9');
    expect(last.json().code).toBe('RATE_LIMITED');
  });

  it('expires an idle session (401 SESSION_EXPIRED) and deletes it', async () => {
    const p = await buildPerson(h, { unitId, roles: ['clerk'] });
    const c = await login(h, p.username);
    expect((await c.get('/api/auth/me')).status).toBe(200);
    await h.database.db
      .update(sessions)
      .set({ lastSeenAt: new Date(Date.now() - 31 * 60_000) })
      .where(eq(sessions.personId, p.id));
    const res = await c.get('/api/auth/me');
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('SESSION_EXPIRED');
    expect(await h.database.db.select().from(sessions).where(eq(sessions.personId, p.id))).toHaveLength(0);
  });

  it('keeps a session alive while it is used within the idle window', async () => {
    const p = await buildPerson(h, { unitId, roles: ['clerk'] });
    const c = await login(h, p.username);
    await h.database.db
      .update(sessions)
      .set({ lastSeenAt: new Date(Date.now() - 29 * 60_000) })
      .where(eq(sessions.personId, p.id));
    expect((await c.get('/api/auth/me')).status).toBe(200);
    const [s] = await h.database.db.select().from(sessions).where(eq(sessions.personId, p.id));
    expect(Date.now() - s!.lastSeenAt.getTime()).toBeLessThan(60_000);
  });

  it('rejects a state-changing request without the CSRF token, or with a wrong one', async () => {
    const p = await buildPerson(h, { unitId, roles: ['clerk'] });
    const c = await login(h, p.username);
    const none = await h.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: c.cookie }, payload: {} });
    expect(none.statusCode).toBe(403);
    expect(none.json().code).toBe('CSRF');
    const wrong = await c.request('POST', '/api/auth/logout', {}, { 'x-csrf-token': 'forged' });
    expect(wrong.status).toBe(403);
    expect((await c.get('/api/auth/me')).status).toBe(200); // still logged in
    expect((await c.post('/api/auth/logout')).status).toBe(200);
  });

  it('logout invalidates the session on the server', async () => {
    const p = await buildPerson(h, { unitId, roles: ['clerk'] });
    const c = await login(h, p.username);
    expect((await c.post('/api/auth/logout')).status).toBe(200);
    expect((await c.get('/api/auth/me')).status).toBe(401);
  });
});

describe('passwords', () => {
  it('forces a change for an account an admin created, and only allows me/password/logout until then', async () => {
    const p = await buildPerson(h, { unitId, roles: ['clerk'], mustChangePassword: true });
    const c = await login(h, p.username);
    const me = await c.get('/api/auth/me');
    expect(me.body.mustChangePassword).toBe(true);
    const blocked = await c.get('/api/units');
    expect(blocked.status).toBe(403);
    expect(blocked.body.code).toBe('PASSWORD_CHANGE_REQUIRED');
    const changed = await c.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'Brand#new2026' });
    expect(changed.status).toBe(200);
    expect((await c.get('/api/units')).status).toBe(200);
    expect((await tryLogin(p.username, PASSWORD, '10.2.0.1')).statusCode).toBe(401);
    expect((await tryLogin(p.username, 'Brand#new2026', '10.2.0.1')).statusCode).toBe(200);
  });

  it.each([
    ['Short#1a', '至少10个字符'],
    ['alllowercaseletters', '至少三类'],
    ['lowercase123456', '至少三类'],
  ])('refuses the weak password %s', async (pw, message) => {
    const p = await buildPerson(h, { unitId, roles: ['clerk'] });
    const c = await login(h, p.username);
    const res = await c.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: pw });
    expect(res.status).toBe(400);
    expect(res.body.fields.newPassword).toContain(message);
  });

  it('accepts 3 of 4 classes and refuses a wrong current password', async () => {
    const p = await buildPerson(h, { unitId, roles: ['clerk'] });
    const c = await login(h, p.username);
    const wrong = await c.post('/api/auth/password', { currentPassword: 'nope', newPassword: 'lowerUPPER123' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.fields.currentPassword).toBe('当前密码不正确');
    expect((await c.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'lowerUPPER123' })).status).toBe(200);
  });

  it('an admin reset forces a change and ends the person’s sessions', async () => {
    const admin = await login(h, (await buildPerson(h, { unitId, roles: ['unitAdmin'] })).username);
    const p = await buildPerson(h, { unitId, roles: ['clerk'] });
    const c = await login(h, p.username);
    const reset = await admin.post(`/api/people/${p.id}/reset-password`);
    expect(reset.status).toBe(200);
    expect((await c.get('/api/auth/me')).status).toBe(401);
    const again = await login(h, p.username, reset.body.temporaryPassword);
    expect((await again.get('/api/auth/me')).body.mustChangePassword).toBe(true);
    expect((await again.get('/api/people')).body.code).toBe('PASSWORD_CHANGE_REQUIRED');
  });

  it('stores argon2id hashes only', async () => {
    const p = await buildPerson(h, { unitId, roles: ['clerk'] });
    const [row] = await rowsOf<{ password_hash: string }>(h.database.db, sql`SELECT password_hash FROM people WHERE id = ${p.id}`);
    expect(row!.password_hash).toMatch(/^\$argon2id\$/);
  });
});

describe('posts and the unit switcher', () => {
  it('switches between the person’s own posts only', async () => {
    const root2 = await buildRoot(h, '另一县委');
    const other = (await buildUnit(h, root2.id, '乙镇', '乡镇')).id;
    const p = await buildPerson(h, { unitId, roles: ['clerk'] });
    const admin = await login(h, (await buildPerson(h, { unitId: root2.id, roles: ['unitAdmin'] })).username);
    const added = await admin.post(`/api/people/${p.id}/posts`, { unitId: other, title: '第一书记', roles: ['leader'] });
    expect(added.status).toBe(404); // p is not visible in the other county
    const c = await login(h, p.username);
    const me = (await c.get('/api/auth/me')).body;
    expect(me.posts).toHaveLength(1);
    const bad = await c.post('/api/auth/switch-post', { postId: '00000000-0000-4000-8000-000000000000' });
    expect(bad.status).toBe(400);
    expect(bad.body.fields.postId).toBeDefined();
    const ok = await c.post('/api/auth/switch-post', { postId: me.posts[0].id });
    expect(ok.status).toBe(200);
    expect(ok.body.currentPostId).toBe(me.posts[0].id);
  });
});
