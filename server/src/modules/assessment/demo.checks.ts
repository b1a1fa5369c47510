import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../../../test/harness.js';
import { assessmentCycles, assessmentScores } from './schema.js';

/** Checks of the demo records, run on the one seeded demo county of src/seed/demo.test.ts. */
export function assessmentDemoChecks(get: () => Harness): void {
  let h!: Harness;
  beforeAll(() => {
    h = get();
  });

  describe('demo records of the assessment', () => {
    it('has a published cycle and an open one with automatic scores, self-assessments and pending scores', async () => {
      const cycles = await h.database.db.select().from(assessmentCycles);
      expect(cycles.map((c) => c.state).sort()).toEqual(['open', 'published']);
      const open = cycles.find((c) => c.state === 'open')!;
      const scores = await h.database.db.select().from(assessmentScores).where(eq(assessmentScores.cycleId, open.id));
      expect(scores.some((s) => s.autoScore !== null && s.evidence)).toBe(true);
      expect(scores.some((s) => s.selfNote && s.manualScore === null)).toBe(true);
      expect(scores.some((s) => s.manualScore !== null)).toBe(true);
    });
  });
}
