import { describe, expect, it } from 'vitest';
import { AreaCache } from './cache.js';

/** A cache on a hand-moved clock, and a count that says how often it ran. */
function setup(opts: { ttlMs?: number; maxEntries?: number } = {}) {
  let clock = 1_000_000;
  const cache = new AreaCache<number>({ ttlMs: opts.ttlMs ?? 60_000, maxEntries: opts.maxEntries, now: () => clock, onError: () => {} });
  let runs = 0;
  let next = 1;
  const count = async () => {
    runs++;
    return next;
  };
  return {
    cache,
    count,
    runs: () => runs,
    setNext: (n: number) => {
      next = n;
    },
    advance: (ms: number) => {
      clock += ms;
    },
    now: () => clock,
  };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('AreaCache', () => {
  it('counts once, then serves the kept value with the time it was counted while younger than ttl', async () => {
    const s = setup();
    const first = await s.cache.get('a', s.count);
    expect(first).toEqual({ value: 1, at: s.now() });
    s.setNext(2);
    s.advance(59_999);
    expect(await s.cache.get('a', s.count)).toEqual(first);
    expect(s.runs()).toBe(1);
  });

  it('between ttl and 2 × ttl: serves the old value and recounts once in the background', async () => {
    const s = setup();
    await s.cache.get('a', s.count);
    s.setNext(2);
    s.advance(60_000);
    const [x, y] = await Promise.all([s.cache.get('a', s.count), s.cache.get('a', s.count)]);
    expect(x.value).toBe(1);
    expect(y.value).toBe(1);
    await settle();
    expect(s.runs()).toBe(2);
    const after = await s.cache.get('a', s.count);
    expect(after).toEqual({ value: 2, at: s.now() });
  });

  it('older than 2 × ttl: counts now, callers at the same moment share one count', async () => {
    const s = setup();
    await s.cache.get('a', s.count);
    s.setNext(3);
    s.advance(120_000);
    const [x, y] = await Promise.all([s.cache.get('a', s.count), s.cache.get('a', s.count)]);
    expect(x.value).toBe(3);
    expect(y.value).toBe(3);
    expect(s.runs()).toBe(2);
  });

  it('keeps keys apart, drops the least recently used past maxEntries and entries unused for 10 × ttl', async () => {
    const s = setup({ maxEntries: 2 });
    await s.cache.get('a', s.count);
    await s.cache.get('b', s.count);
    await s.cache.get('a', s.count); // a is now the most recently used
    await s.cache.get('c', s.count); // b goes
    expect(s.cache.size).toBe(2);
    expect(s.runs()).toBe(3);
    await s.cache.get('a', s.count);
    expect(s.runs()).toBe(3);
    await s.cache.get('b', s.count);
    expect(s.runs()).toBe(4);
    s.advance(10 * 60_000 + 1);
    await s.cache.get('z', s.count);
    expect(s.cache.size).toBe(1);
  });

  it('a failed count is not kept: the next caller counts again; a failed background recount keeps the old value', async () => {
    const s = setup();
    await expect(s.cache.get('a', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(s.cache.size).toBe(0);
    await s.cache.get('a', s.count);
    s.advance(61_000);
    expect((await s.cache.get('a', async () => Promise.reject(new Error('boom')))).value).toBe(1);
    await settle();
    expect((await s.cache.get('a', s.count)).value).toBe(1);
  });
});
