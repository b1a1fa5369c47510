/**
 * Demo records of the reports module for 示范县: the county's half-year work report window for this
 * half-year (towns: two accepted/submitted, one returned, one still in draft, the rest missing) and last
 * half-year's self-inspection window, closed, with one town that submitted late and the others missing.
 * Dates are relative to today. Acts as the demo people through the domain functions the routes call.
 */
import { and, eq } from 'drizzle-orm';
import { actorIn } from '../../core/actors.js';
import type { Ctx } from '../../core/context.js';
import { nextPeriod, periodContaining } from '../../core/periods.js';
import { units } from '../../core/schema.js';
import { DEPARTMENTS, ROOT, TOWNS } from '../../seed/demo-data.js';
import './prefillSources.js';
import { reportTemplates } from './schema.js';
import { createSubmission, saveSubmission, transitionSubmission } from './submissions.js';
import { ensureReportTemplates } from './templates.js';
import { openWindow } from './windows.js';

const DAY = 86_400_000;

export async function seedDemoReports(ctx: Ctx): Promise<void> {
  await ensureReportTemplates(ctx);
  const as = async (unitName: string, role: 'unitAdmin' | 'clerk' | 'leader'): Promise<Ctx> => ({
    ...ctx,
    actor: await actorIn(ctx.db, unitName, role),
  });
  const unitId = async (name: string) => (await ctx.db.select({ id: units.id }).from(units).where(eq(units.name, name)))[0]!.id;
  const template = async (family: string) =>
    (
      await ctx.db
        .select({ id: reportTemplates.id })
        .from(reportTemplates)
        .where(and(eq(reportTemplates.family, family), eq(reportTemplates.current, true)))
    )[0]!.id;
  const rootId = await unitId(ROOT.name);
  const county = await as(DEPARTMENTS.organization, 'unitAdmin');
  const towns = { kind: 'descendants' as const, rootUnitId: rootId, unitType: '乡镇' as const, directChildrenOnly: true };

  // this half-year's work report, open for another ten days
  const now = Date.now();
  const current = periodContaining('halfYear', new Date(now));
  const halfYear = await openWindow(county, {
    unitId: rootId,
    kind: 'halfYear',
    title: `${current.label}意识形态工作报告`,
    periodKind: 'halfYear',
    periodYear: current.year,
    periodIndex: current.index,
    templateId: await template('halfYear'),
    target: towns,
    opensAt: new Date(now - 7 * DAY).toISOString(),
    closesAt: new Date(now + 10 * DAY).toISOString(),
    note: '请各乡镇党委对照模板报送本半年度意识形态工作情况，经党委书记审签后报送。',
  });
  const fill = async (townName: string, overview: string) => {
    const clerk = await as(townName, 'clerk');
    const draft = await createSubmission(clerk, halfYear.id, await unitId(townName));
    await saveSubmission(clerk, draft.id!, {
      sections: [
        { key: 'overview', text: overview },
        { key: 'problems', text: '个别村（社区）阵地管理台账不够规范，网络评论员队伍力量不足。' },
        { key: 'next', text: '下半年将开展阵地自查摸排，加强通讯员和网络评论员培训。' },
      ],
    });
    return { clerk, id: draft.id! };
  };
  const [t0, t1, t2, t3] = TOWNS.map((t) => t.name);
  const a = await fill(t0!, `${t0}认真落实意识形态工作责任制，党委专题研究意识形态工作2次，理论学习中心组专题学习3次。`);
  await transitionSubmission(a.clerk, a.id, 'submit');
  await transitionSubmission(county, a.id, 'accept');
  const b = await fill(t1!, `${t1}坚持党管意识形态原则，各项工作有序推进。`);
  await transitionSubmission(b.clerk, b.id, 'submit');
  const c = await fill(t2!, `${t2}意识形态工作总体平稳。`);
  await transitionSubmission(c.clerk, c.id, 'submit');
  await transitionSubmission(county, c.id, 'return', {
    reason: '“阵地管理和舆论引导”一节内容空缺，请补充镇政府网站和公众号审核发布情况后重新报送。',
  });
  await fill(t3!, `${t3}（草稿）`);

  // last half-year's self-inspection, closed on its default date (06-10 / 12-10): one town late, the rest missing
  const last = periodContaining('halfYear', new Date(current.start.getTime() - DAY));
  const selfCheck = await openWindow(county, {
    unitId: rootId,
    kind: 'selfInspection',
    title: `${last.label}意识形态工作自查报告`,
    periodKind: 'halfYear',
    periodYear: last.year,
    periodIndex: last.index,
    templateId: await template('selfInspection'),
    target: towns,
    opensAt: new Date(last.end.getTime() - 45 * DAY).toISOString(),
  });
  if (new Date(selfCheck.closesAt).getTime() < nextPeriod(last).end.getTime()) {
    const t4 = TOWNS[4]!.name;
    const clerk = await as(t4, 'clerk');
    const late = await createSubmission(clerk, selfCheck.id, await unitId(t4));
    await saveSubmission(clerk, late.id!, {
      sections: [{ key: 'principal', text: `${t4}党委落实意识形态工作主体责任，书记履行第一责任人职责。` }],
    });
    await transitionSubmission(clerk, late.id!, 'submit');
  }
}
