import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson, buildRoot, type Client, type Harness, login, startHarness } from './harness.js';

let h: Harness;
let c: Client;
let rootId: string;

beforeAll(async () => {
  h = await startHarness();
  rootId = (await buildRoot(h)).id;
  c = await login(h, (await buildPerson(h, { unitId: rootId, roles: ['sysAdmin'] })).username);
});
afterAll(() => h.close());

describe('HTTP basics', () => {
  it('answers health without a session', async () => {
    const res = await h.app.inject({ url: '/api/health' });
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('serves the OpenAPI document generated from the route schemas', async () => {
    const res = await h.app.inject({ url: '/api/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/units', '/api/auth/login', '/api/people/{id}']));
    expect(doc.paths['/api/units'].post.requestBody).toBeDefined();
  });

  it('answers an unknown API path with the error shape', async () => {
    const res = await c.get('/api/no-such-thing');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 'NOT_FOUND', message: '接口不存在' });
  });

  it.each([
    ['malformed JSON', '{"name": ', 'application/json'],
    ['a JSON array instead of an object', '[1,2,3]', 'application/json'],
    ['a string body', '"x"', 'application/json'],
    ['text/plain', 'hello', 'text/plain'],
  ])('answers %s with 4xx, never 500', async (_name, payload, type) => {
    const res = await c.request('POST', '/api/units', undefined, { 'content-type': type });
    const raw = await h.app.inject({
      method: 'POST',
      url: '/api/units',
      payload,
      headers: { cookie: c.cookie, 'x-csrf-token': c.csrf, 'content-type': type },
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(raw.statusCode).toBeGreaterThanOrEqual(400);
    expect(raw.statusCode).toBeLessThan(500);
    expect(raw.json().code).toBeTypeOf('string');
  });

  it('refuses NUL characters, huge strings and wrong types with 400 and writes nothing', async () => {
    for (const body of [
      { parentId: rootId, name: 'a\u0000b', type: '村' },
      { parentId: rootId, name: 'x'.repeat(100_000), type: '村' },
      { parentId: rootId, name: { $gt: '' }, type: '村' },
      { parentId: "' OR 1=1 --", name: 'x', type: '村' },
    ]) {
      const res = await c.post('/api/units', body);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
    }
    expect((await c.get('/api/units')).body).toHaveLength(1);
  });

  it('answers an oversize JSON body with 413', async () => {
    const res = await c.post('/api/units', { parentId: rootId, name: 'x'.repeat(2 * 1024 * 1024), type: '村' });
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('sets security headers', async () => {
    const res = await h.app.inject({ url: '/api/health' });
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBeDefined();
  });
});
