import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../../../test/harness.js';
import { rowsOf } from '../../db/client.js';

/** Checks of the demo records, run on the one seeded demo county of src/seed/demo.test.ts. */
export function reportsDemoChecks(get: () => Harness): void {
  let h!: Harness;
  beforeAll(() => {
    h = get();
  });

  describe('seedDemoReports', () => {
    it('adds a half-year window with accepted, submitted, returned and draft reports, and a closed self-inspection with a late one', async () => {
      const rows = await rowsOf(
        h.database.db,
        sql`SELECT w.kind, s.state, (s.first_submitted_at > w.closes_at) AS late, count(*)::int AS n
          FROM report_submissions s JOIN report_windows w ON w.id = s.window_id GROUP BY 1, 2, 3`,
      );
      const n = (kind: string, state: string) =>
        rows.filter((r) => r.kind === kind && r.state === state).reduce((a, r) => a + Number(r.n), 0);
      for (const state of ['accepted', 'submitted', 'returned', 'draft']) expect(n('halfYear', state), state).toBe(1);
      expect(rows.some((r) => r.kind === 'selfInspection' && r.late === true)).toBe(true);
      const [targets] = await rowsOf(h.database.db, sql`SELECT count(*)::int AS n FROM report_window_targets`);
      expect(Number(targets!.n)).toBe(16);
    });
  });
}
