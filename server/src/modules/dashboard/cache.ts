/**
 * Kept figures for large areas. Counting a province's subtree (≈30,000 units, ≈100,000 compliance cells,
 * ≈100,000 tasks) takes ≈0.4 s of database time on two cores, more than a dashboard may take; a county's takes
 * a few milliseconds. So the area-level counts of a subtree with at least `minUnits` units are kept for
 * `ttlMs` and shared by every caller whose reach for the figures' permissions is the same (the counts depend
 * on the caller only through that reach, see `reachKey` in dashboard.ts):
 *   - younger than ttl: served as they are;
 *   - between ttl and 2 × ttl: served, and one recount starts in the background (one at a time per key);
 *   - older, or none: counted now (callers arriving meanwhile wait for the same count).
 * Entries unused for 10 × ttl are dropped, and at most `maxEntries` are kept (least recently used first out).
 * The answer says how old its figures are (`figuresAsOf`), and the page shows it.
 */

export interface Kept<T> {
  value: T;
  /** when the value was counted (ms since the epoch) */
  at: number;
}

interface Entry<T> extends Kept<T> {
  used: number;
  refreshing: boolean;
}

export interface AreaCacheOptions {
  ttlMs: number;
  maxEntries?: number;
  now?: () => number;
  /** called when a background recount fails (the old value stays) */
  onError?: (err: unknown) => void;
}

export class AreaCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly counting = new Map<string, Promise<Kept<T>>>();
  private readonly ttl: number;
  private readonly max: number;
  private readonly now: () => number;
  private readonly onError: (err: unknown) => void;

  constructor(opts: AreaCacheOptions) {
    this.ttl = opts.ttlMs;
    this.max = opts.maxEntries ?? 500;
    this.now = opts.now ?? Date.now;
    this.onError = opts.onError ?? ((err) => console.error('[dashboard cache]', err));
  }

  get size() {
    return this.entries.size;
  }

  async get(key: string, count: () => Promise<T>): Promise<Kept<T>> {
    const now = this.now();
    this.sweep(now);
    const e = this.entries.get(key);
    if (e) {
      const age = now - e.at;
      if (age < 2 * this.ttl) {
        e.used = now;
        // most recently used last, so that the first key is the one to drop
        this.entries.delete(key);
        this.entries.set(key, e);
        if (age >= this.ttl && !e.refreshing) {
          e.refreshing = true;
          this.countNow(key, count)
            .catch(this.onError)
            .finally(() => {
              e.refreshing = false;
            });
        }
        return { value: e.value, at: e.at };
      }
    }
    return this.countNow(key, count);
  }

  /** Counts once per key at a time; stores the result. */
  private countNow(key: string, count: () => Promise<T>): Promise<Kept<T>> {
    const running = this.counting.get(key);
    if (running) return running;
    const at = this.now();
    const p = count()
      .then((value) => {
        const now = this.now();
        this.entries.delete(key);
        this.entries.set(key, { value, at, used: now, refreshing: false });
        while (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
        return { value, at };
      })
      .finally(() => this.counting.delete(key));
    this.counting.set(key, p);
    return p;
  }

  private sweep(now: number) {
    for (const [k, e] of this.entries) if (now - e.used > 10 * this.ttl && !e.refreshing) this.entries.delete(k);
  }
}
