import { count, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../../../test/harness.js';
import { rowsOf } from '../../db/client.js';
import { accountabilityRecords } from '../accountability/schema.js';
import { workOutputs } from '../outputs/schema.js';

/** Checks of the demo records, run on the one seeded demo county of src/seed/demo.test.ts. */
export function rectifyDemoChecks(get: () => Harness): void {
  let h!: Harness;
  beforeAll(() => {
    h = get();
  });

  describe('demo records of rectify, accountability and outputs', () => {
    it('has items in every state, overdue ones, and a re-check due', async () => {
      const rows = await rowsOf(
        h.database.db,
        sql`SELECT state, (state <> 'signedOff' AND deadline < now()) AS overdue, (recheck_due_at < now()) AS recheck, count(*)::int AS n FROM rectify_items GROUP BY 1, 2, 3`,
      );
      for (const s of ['open', 'submitted', 'signedOff'])
        expect(
          rows.some((r) => r.state === s),
          s,
        ).toBe(true);
      expect(rows.some((r) => r.overdue)).toBe(true);
      expect(rows.some((r) => r.recheck)).toBe(true);
    });
    it('has accountability records and outputs', async () => {
      expect((await h.database.db.select({ n: count() }).from(accountabilityRecords))[0]!.n).toBe(2);
      expect((await h.database.db.select({ n: count() }).from(workOutputs))[0]!.n).toBe(11);
    });
  });
}
