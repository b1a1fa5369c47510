import { count, eq, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../../../test/harness.js';
import { analysisReports, bulletinRecipients, opinionEvents, responsePlans } from './schema.js';

/** Checks of the demo records, run on the one seeded demo county of src/seed/demo.test.ts. */
export function opinionDemoChecks(get: () => Harness): void {
  let h!: Harness;
  beforeAll(() => {
    h = get();
  });

  const n = async (table: PgTable, where?: SQL) =>
    ((await h.database.db.select({ n: count() }).from(table).where(where)) as [{ n: number }])[0].n;

  describe('seedDemoOpinion', () => {
    it('adds events in several states, reports, a plan and a partly read bulletin', async () => {
      expect(await n(opinionEvents)).toBe(4);
      expect(await n(opinionEvents, eq(opinionEvents.state, 'closed'))).toBe(1);
      expect(await n(analysisReports)).toBe(3);
      expect(await n(responsePlans)).toBe(1);
      expect(await n(bulletinRecipients)).toBeGreaterThan(2);
    });
  });
}
