/**
 * Demo records of the assessment module: last year's town assessment, computed, scored and published, and
 * this year's, computed with a few self-assessments and scores still pending. The county assessor (县委组织部,
 * scope the whole county) organizes; the towns' clerks self-assess. Units are assessed, never individuals.
 */
import { eq } from 'drizzle-orm';
import { actorIn } from '../../core/actors.js';
import type { Ctx } from '../../core/context.js';
import { units } from '../../core/schema.js';
import { DEPARTMENTS, ROOT, TOWNS } from '../../seed/demo-data.js';
import { computeCycle, createCycle, publishCycle, scoreIndicator, selfAssess } from './cycles.js';
import { ensureAssessmentFramework, listFrameworks } from './framework.js';

export async function seedDemoAssessment(ctx: Ctx): Promise<void> {
  await ensureAssessmentFramework(ctx);
  const assessor = { ...ctx, actor: await actorIn(ctx.db, DEPARTMENTS.organization, 'assessor') };
  const [fw] = await listFrameworks(assessor);
  if (!fw) return;
  const [root] = await ctx.db.select({ id: units.id }).from(units).where(eq(units.name, ROOT.name));
  if (!root) return;
  const manual = fw.indicators.filter((i) => i.method === 'manual');
  const deduction = fw.indicators.filter((i) => i.method === 'deduction');
  const year = new Date().getFullYear();
  const towns = TOWNS.slice(0, 4).map((t) => t.name);
  const townIds = new Map<string, string>();
  for (const name of towns) {
    const [u] = await ctx.db.select({ id: units.id }).from(units).where(eq(units.name, name));
    if (u) townIds.set(name, u.id);
  }

  // last year: everything scored and published
  const last = await createCycle(assessor, {
    name: `${year - 1}年度乡镇意识形态工作责任制考核`,
    frameworkId: fw.id,
    unitId: root.id,
    year: year - 1,
    unitType: '乡镇',
  });
  await computeCycle(assessor, last.id);
  for (const u of last.units) {
    for (const [i, ind] of manual.entries()) {
      await scoreIndicator(assessor, last.id, u.unitId, ind.id, {
        score: Math.max(0, ind.points - ((i + u.unitName.length) % 3) * 0.5),
        comment: '材料齐全，落实较好',
      });
    }
    for (const [i, ind] of deduction.entries()) {
      await scoreIndicator(assessor, last.id, u.unitId, ind.id, { occurrences: (i + u.unitName.length) % 2, comment: '' });
    }
  }
  await publishCycle(assessor, last.id);

  // this year: computed, some towns have self-assessed, the assessor has scored one of them
  const cur = await createCycle(assessor, {
    name: `${year}年度乡镇意识形态工作责任制考核`,
    frameworkId: fw.id,
    unitId: root.id,
    year,
    unitType: '乡镇',
  });
  await computeCycle(assessor, cur.id);
  for (const name of towns.slice(0, 2)) {
    const unitId = townIds.get(name);
    if (!unitId) continue;
    const clerk = { ...ctx, actor: await actorIn(ctx.db, name, 'clerk') };
    for (const ind of manual.slice(0, 3)) {
      await selfAssess(clerk, cur.id, unitId, ind.id, {
        note: `${name}按要求落实“${ind.name}”，全年专题部署并跟踪问效。`,
        evidence: '党委会议纪要、工作台账',
      });
    }
  }
  const first = townIds.get(towns[0]!);
  if (first)
    for (const ind of manual.slice(0, 2))
      await scoreIndicator(assessor, cur.id, first, ind.id, { score: ind.points - 0.5, comment: '自评属实' });
}
