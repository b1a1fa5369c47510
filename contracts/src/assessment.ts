/** Assessment (考核评价): frameworks of indicators, cycles, self-assessment, scoring, results of UNITS. */
import { z } from 'zod';
import { id, pageQuery } from './common.js';

export const indicatorMethods = ['manual', 'deduction', 'auto'] as const;
export type IndicatorMethod = (typeof indicatorMethods)[number];
export const indicatorMethodLabels: Record<IndicatorMethod, string> = { manual: '人工评分', deduction: '扣分制', auto: '自动' };

/** Automatic sources: each a rate 0–1 (score = points × rate) except `articles` (points per article, capped). */
export const autoSources = ['compliance', 'tasks', 'reports', 'rectify', 'articles', 'opinion'] as const;
export type AutoSource = (typeof autoSources)[number];
export const autoSourceLabels: Record<AutoSource, string> = {
  compliance: '制度落实率（会议、学习）',
  tasks: '任务按期完成率',
  reports: '报送按期率',
  rectify: '整改按期完成率',
  articles: '稿件刊用数（按媒体级别计分）',
  opinion: '舆情事件限期处置率',
};

export const assessmentIndicator = z.object({
  id: z.uuid(),
  parentId: z.uuid().nullable(),
  level: z.number().int(),
  sortOrder: z.number().int(),
  name: z.string(),
  points: z.number(),
  method: z.enum(indicatorMethods).nullable(),
  perOccurrence: z.number().nullable(),
  autoSource: z.enum(autoSources).nullable(),
  params: z.record(z.string(), z.unknown()),
});
export type AssessmentIndicator = z.infer<typeof assessmentIndicator>;

export const assessmentFramework = z.object({
  id: z.uuid(),
  name: z.string(),
  version: z.number().int(),
  totalPoints: z.number(),
  indicators: z.array(assessmentIndicator),
});
export type AssessmentFramework = z.infer<typeof assessmentFramework>;

export const assessmentCycleStates = ['open', 'published'] as const;
export type AssessmentCycleState = (typeof assessmentCycleStates)[number];
export const assessmentCycleStateLabels: Record<AssessmentCycleState, string> = { open: '评分中', published: '已公布' };

export const assessmentCycle = z.object({
  id: z.uuid(),
  name: z.string(),
  frameworkId: z.uuid(),
  frameworkName: z.string(),
  unitId: z.uuid(),
  unitName: z.string(),
  year: z.number().int(),
  unitType: z.string().nullable(),
  state: z.enum(assessmentCycleStates),
  targetCount: z.number().int(),
  computedAt: z.string().nullable(),
  publishedAt: z.string().nullable(),
  createdAt: z.string(),
});
export type AssessmentCycle = z.infer<typeof assessmentCycle>;

export const assessmentCycleListQuery = pageQuery.extend({ state: z.enum(assessmentCycleStates).optional() });
export type AssessmentCycleListQuery = z.infer<typeof assessmentCycleListQuery>;

export const createAssessmentCycleBody = z.object({
  name: z.string({ message: '请填写考核名称' }).trim().min(1, '请填写考核名称').max(100, '考核名称不超过100字'),
  frameworkId: id,
  unitId: id,
  year: z.number({ message: '请填写考核年度' }).int('年度须为整数').min(2000, '年度不正确').max(2100, '年度不正确'),
  /** only target units of this type in the subtree; all types when omitted */
  unitType: z.string().trim().min(1).max(50).optional(),
});
export type CreateAssessmentCycleBody = z.infer<typeof createAssessmentCycleBody>;

export const assessmentEvidence = z.object({
  /** the figures behind an automatic score, in words (e.g. 按期完成 3 项 / 应完成 4 项) */
  summary: z.string(),
  figures: z.record(z.string(), z.number().nullable()),
  /** where to see the records behind it in the app */
  link: z.string().nullable(),
});
export type AssessmentEvidence = z.infer<typeof assessmentEvidence>;

export const assessmentScore = z.object({
  unitId: z.uuid(),
  indicatorId: z.uuid(),
  /** the score counted in the total; null when not scored yet */
  score: z.number().nullable(),
  autoScore: z.number().nullable(),
  evidence: assessmentEvidence.nullable(),
  occurrences: z.number().int().nullable(),
  selfNote: z.string().nullable(),
  selfEvidence: z.string().nullable(),
  selfAt: z.string().nullable(),
  comment: z.string().nullable(),
  scoredAt: z.string().nullable(),
});
export type AssessmentScore = z.infer<typeof assessmentScore>;

export const assessmentUnitResult = z.object({
  unitId: z.uuid(),
  unitName: z.string(),
  total: z.number(),
  /** 1 = best; equal totals share a rank */
  rank: z.number().int(),
  scores: z.array(assessmentScore),
});

export const assessmentCycleDetail = assessmentCycle.extend({
  indicators: z.array(assessmentIndicator),
  units: z.array(assessmentUnitResult),
  /** what the caller may do now */
  canManage: z.boolean(),
  canScore: z.boolean(),
  selfAssessUnitIds: z.array(z.uuid()),
});
export type AssessmentCycleDetail = z.infer<typeof assessmentCycleDetail>;

export const assessmentCellParams = z.object({ id, unitId: id, indicatorId: id });

export const selfAssessBody = z.object({
  note: z.string({ message: '请填写自评说明' }).trim().min(1, '请填写自评说明').max(2000, '自评说明不超过2000字'),
  evidence: z.string().trim().max(2000, '佐证材料说明不超过2000字').default(''),
});
export type SelfAssessBody = z.infer<typeof selfAssessBody>;

/** Manual indicators take `score`; deduction indicators take `occurrences` (each deducts the indicator's per-occurrence points). */
export const scoreBody = z.object({
  score: z.number({ message: '得分须为数字' }).min(0, '得分不能小于0').optional(),
  occurrences: z.number({ message: '扣分次数须为数字' }).int('扣分次数须为整数').min(0, '扣分次数不能小于0').optional(),
  comment: z.string().trim().max(2000, '评分意见不超过2000字').default(''),
});
export type ScoreBody = z.infer<typeof scoreBody>;
