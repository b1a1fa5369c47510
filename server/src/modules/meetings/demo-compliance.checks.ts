import { count, isNull } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../../../test/harness.js';
import type { Ctx } from '../../core/context.js';
import { units } from '../../core/schema.js';
import { complianceMatrix } from './compliance.js';
import { studyPlans } from './compliance-schema.js';
import { seedDemoCompliance } from './demo-compliance.js';

/** Checks of the demo records, run on the one seeded demo county of src/seed/demo.test.ts. */
export function complianceDemoChecks(get: () => Harness): void {
  let h!: Harness;
  beforeAll(() => {
    h = get();
  });

  describe('seedDemoCompliance', () => {
    it('adds study plans for most units and months, some missing, idempotently', async () => {
      await seedDemoCompliance(h.ctx);
      const [{ n }] = (await h.database.db.select({ n: count() }).from(studyPlans)) as [{ n: number }];
      expect(n).toBeGreaterThan(0);
      await seedDemoCompliance(h.ctx);
      const [{ n: again }] = (await h.database.db.select({ n: count() }).from(studyPlans)) as [{ n: number }];
      expect(again).toBe(n);

      const [root] = await h.database.db.select().from(units).where(isNull(units.parentId));
      const admin: Ctx = {
        ...h.ctx,
        actor: {
          ...h.ctx.actor!,
          post: {
            id: '00000000-0000-0000-0000-000000000000',
            unitId: root!.id,
            scopeRootId: root!.id,
            scopeRootPath: root!.path,
            roles: ['leader'],
          },
        },
      };
      const now = new Date();
      const m = await complianceMatrix(admin, { rootUnitId: root!.id, year: now.getFullYear(), month: Math.max(1, now.getMonth()) });
      const planRule = m.rules.find((r) => r.code === 'studyPlanMonthly')!;
      const states = m.cells.filter((c) => c.ruleId === planRule.id).map((c) => c.state);
      expect(states.filter((s) => s === 'done').length).toBeGreaterThan(states.length / 2);
      expect(states).toContain('overdue');
    }, 300_000); // ~500 plans through the domain function, each audited: slow on a shared machine
  });
}
