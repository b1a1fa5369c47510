/** Frameworks: versioned trees of indicators. One is seeded by `ensureAssessmentFramework` (reference data). */
import type { AssessmentFramework, AssessmentIndicator, AutoSource, IndicatorMethod } from '@dutyledger/contracts';
import { asc, desc, eq } from 'drizzle-orm';
import type { Ctx } from '../../core/context.js';
import { inTx } from '../../core/context.js';
import { notFound } from '../../core/errors.js';
import { requireActor } from '../../core/scope.js';
import { assessmentFrameworks, assessmentIndicators } from './schema.js';

interface Node {
  name: string;
  points: number;
  method?: IndicatorMethod;
  perOccurrence?: number;
  autoSource?: AutoSource;
  params?: Record<string, unknown>;
  children?: Node[];
}

const auto = (name: string, points: number, autoSource: AutoSource, params: Record<string, unknown> = {}): Node => ({
  name,
  points,
  method: 'auto',
  autoSource,
  params,
});
const manual = (name: string, points: number): Node => ({ name, points, method: 'manual' });
const deduct = (name: string, points: number, perOccurrence: number): Node => ({ name, points, method: 'deduction', perOccurrence });

export const DEFAULT_FRAMEWORK_NAME = '意识形态工作责任制落实情况考核指标';

/** The seeded framework: 100 points, 52 of them automatic (the seeds' eight themes as 一级 indicators). */
export const defaultFramework: Node[] = [
  {
    name: '主体责任',
    points: 15,
    children: [auto('责任清单任务按期完成', 10, 'tasks'), manual('党委（党组）专题研究意识形态工作', 5)],
  },
  {
    name: '理论学习',
    points: 15,
    children: [auto('理论学习中心组学习等制度落实', 10, 'compliance'), manual('学习成效与成果转化', 5)],
  },
  {
    name: '阵地管理',
    points: 10,
    children: [deduct('阵地管理问题（每发现一起扣2分）', 6, 2), manual('阵地建设与审核把关', 4)],
  },
  {
    name: '网络意识形态',
    points: 10,
    children: [auto('舆情事件3日内处置', 8, 'opinion', { days: 3 }), deduct('网络阵地管理问题（每起扣1分）', 2, 1)],
  },
  {
    name: '舆论引导',
    points: 15,
    children: [
      {
        name: '新闻宣传',
        points: 10,
        children: [
          auto('稿件刊用（中央4分、省2分、市1分、县0.5分每篇）', 8, 'articles', {
            perArticle: { central: 4, province: 2, city: 1, county: 0.5 },
          }),
          manual('宣传工作创新', 2),
        ],
      },
      manual('正面引导与典型宣传', 5),
    ],
  },
  {
    name: '分析研判',
    points: 10,
    children: [auto('报告按期报送', 8, 'reports'), manual('研判报告质量', 2)],
  },
  {
    name: '制度建设',
    points: 10,
    children: [auto('问题整改按期完成', 8, 'rectify'), manual('制度健全与执行', 2)],
  },
  {
    name: '队伍建设',
    points: 15,
    children: [manual('宣传思想干部培训', 8), deduct('队伍管理问题（每起扣2分）', 7, 2)],
  },
];

/** Idempotent: inserts the default framework (version 1) when no framework exists. */
export async function ensureAssessmentFramework(ctx: Ctx): Promise<void> {
  await inTx(ctx, async (tx) => {
    const [any] = await tx.db.select({ id: assessmentFrameworks.id }).from(assessmentFrameworks).limit(1);
    if (any) return;
    const [fw] = await tx.db.insert(assessmentFrameworks).values({ name: DEFAULT_FRAMEWORK_NAME, version: 1 }).returning();
    if (!fw) return;
    let order = 0;
    const insert = async (nodes: Node[], parentId: string | null, level: number) => {
      for (const n of nodes) {
        const [row] = await tx.db
          .insert(assessmentIndicators)
          .values({
            frameworkId: fw.id,
            parentId,
            level,
            sortOrder: ++order,
            name: n.name,
            points: n.points,
            method: n.children ? null : (n.method ?? 'manual'),
            perOccurrence: n.perOccurrence ?? null,
            autoSource: n.autoSource ?? null,
            params: n.params ?? {},
          })
          .returning({ id: assessmentIndicators.id });
        if (row && n.children) await insert(n.children, row.id, level + 1);
      }
    };
    await insert(defaultFramework, null, 1);
  });
}

type IndicatorRow = typeof assessmentIndicators.$inferSelect;
export function toIndicator(r: IndicatorRow): AssessmentIndicator {
  return {
    id: r.id,
    parentId: r.parentId,
    level: r.level,
    sortOrder: r.sortOrder,
    name: r.name,
    points: r.points,
    method: r.method as IndicatorMethod | null,
    perOccurrence: r.perOccurrence,
    autoSource: r.autoSource as AutoSource | null,
    params: r.params,
  };
}

export async function indicatorsOf(ctx: Ctx, frameworkId: string): Promise<AssessmentIndicator[]> {
  const rows = await ctx.db
    .select()
    .from(assessmentIndicators)
    .where(eq(assessmentIndicators.frameworkId, frameworkId))
    .orderBy(asc(assessmentIndicators.sortOrder));
  return rows.map(toIndicator);
}

/** Frameworks are reference data, readable by anyone signed in. */
export async function listFrameworks(ctx: Ctx): Promise<AssessmentFramework[]> {
  requireActor(ctx.actor);
  const fws = await ctx.db.select().from(assessmentFrameworks).orderBy(asc(assessmentFrameworks.name), desc(assessmentFrameworks.version));
  const out: AssessmentFramework[] = [];
  for (const fw of fws) {
    const indicators = await indicatorsOf(ctx, fw.id);
    const totalPoints = indicators.filter((i) => i.parentId === null).reduce((s, i) => s + i.points, 0);
    out.push({ id: fw.id, name: fw.name, version: fw.version, totalPoints, indicators });
  }
  return out;
}

export async function requireFramework(ctx: Ctx, id: string) {
  const [fw] = await ctx.db.select().from(assessmentFrameworks).where(eq(assessmentFrameworks.id, id)).limit(1);
  if (!fw) throw notFound('考核指标体系不存在');
  return fw;
}
