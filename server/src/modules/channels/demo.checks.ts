import { count, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../../../test/harness.js';
import { channels, eventFilings, publications, selfCheckResults } from './schema.js';

/** Checks of the demo records, run on the one seeded demo county of src/seed/demo.test.ts. */
export function channelsDemoChecks(get: () => Harness): void {
  let h!: Harness;
  beforeAll(() => {
    h = get();
  });

  describe('seedDemoChannels', () => {
    it('adds channels, items in every stage, filings and a self-check to the demo county', async () => {
      const n = async (t: typeof channels | typeof publications | typeof eventFilings | typeof selfCheckResults) =>
        ((await h.database.db.select({ n: count() }).from(t)) as [{ n: number }])[0].n;
      expect(await n(channels)).toBe(4);
      expect(await n(eventFilings)).toBe(3);
      expect(await n(selfCheckResults)).toBe(2);
      const states = (await h.database.db.select({ s: publications.state }).from(publications)).map((r) => r.s).sort();
      expect(states).toEqual(['draft', 'published', 'published', 'returned', 'review1', 'review2', 'review2', 'withdrawn'].sort());
      const [done] = await h.database.db.select().from(eventFilings).where(eq(eventFilings.state, 'done'));
      expect(done?.summary).toBeTruthy();
    });
  });
}
