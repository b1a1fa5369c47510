/**
 * Demo data of rules and compliance, on a database already holding the demo county (seed/demo.ts): the
 * default rules, and monthly study plans of this year for most units that the monthly rule applies to — a
 * few months missing (red cells), a few entered late (补录), the current month still open for some (grey).
 *
 * Plans are made through `createStudyPlan`; as the demo pretends a year of use, the entry time of a plan
 * made on time is then set to a day before its month starts (demo data only: a real entry time is never
 * rewritten). Idempotent: does nothing when any study plan exists.
 */
import { and, eq, isNull } from 'drizzle-orm';
import { type Ctx, systemActor } from '../../core/context.js';
import { periodContaining } from '../../core/periods.js';
import { units } from '../../core/schema.js';
import { studyPlans } from './compliance-schema.js';
import { defaultRules, ensureDefaultRules } from './rules.js';
import { createStudyPlan, monthStartOf } from './studyPlans.js';

const DAY = 86_400_000;

/** A small deterministic hash, so that the demo is the same on every run. */
function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return (h >>> 0) % 1000;
}

const topics = [
  '学习贯彻党的创新理论',
  '意识形态工作责任制专题学习',
  '网络意识形态安全专题学习',
  '党章党规党纪学习',
  '社会主义核心价值观学习',
  '党史学习教育',
];

export async function seedDemoCompliance(ctx: Ctx): Promise<void> {
  await ensureDefaultRules(ctx);
  const [any] = await ctx.db.select({ id: studyPlans.id }).from(studyPlans).limit(1);
  if (any) return;
  const [root] = await ctx.db.select({ id: units.id, path: units.path }).from(units).where(isNull(units.parentId)).limit(1);
  if (!root) return;
  // an in-memory unit administrator of the root (no person behind it), as seed/demo.ts does
  const actorCtx: Ctx = {
    ...ctx,
    actor: {
      ...systemActor,
      post: {
        id: '00000000-0000-0000-0000-000000000000',
        unitId: root.id,
        scopeRootId: root.id,
        scopeRootPath: root.path,
        roles: ['unitAdmin'],
      },
    },
  };
  const planTypes = defaultRules.find((r) => r.code === 'studyPlanMonthly')!.unitTypes as string[];
  const all = await ctx.db.select({ id: units.id, name: units.name, type: units.type }).from(units).where(eq(units.active, true));
  const targets = all.filter((u) => planTypes.includes(u.type));
  const now = new Date();
  const current = periodContaining('month', now);
  for (const unit of targets) {
    for (let m = 1; m <= current.index; m++) {
      const month = `${current.year}-${String(m).padStart(2, '0')}`;
      const roll = hash(`${unit.name}/${month}`);
      if (m === current.index ? roll < 400 : roll < 80) continue; // missing: ~8% of past months, ~40% of this one
      const plan = await createStudyPlan(actorCtx, {
        unitId: unit.id,
        month,
        title: `${unit.name}${m}月学习计划`,
        content: `1. ${topics[(roll + m) % topics.length]}\n2. ${topics[(roll + m + 1) % topics.length]}\n3. 交流学习心得`,
      });
      const start = monthStartOf(month);
      const late = m < current.index - 1 && roll >= 80 && roll < 130; // ~5% entered more than 30 days late (补录)
      const enteredAt = late ? new Date(start.getTime() + (40 + (roll % 20)) * DAY) : new Date(start.getTime() - (1 + (roll % 3)) * DAY);
      if (enteredAt < now) {
        await ctx.db
          .update(studyPlans)
          .set({ createdAt: enteredAt, updatedAt: enteredAt })
          .where(and(eq(studyPlans.id, plan.id)));
      }
    }
  }
}
