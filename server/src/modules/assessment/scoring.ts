/**
 * How a score is made from figures (pure functions, the one place the mappings are stated):
 * - rate sources (compliance, tasks, reports, rectify, opinion): score = points × rate, rounded to 2
 *   decimals; when nothing was due (rate null) the unit failed nothing and gets the full points.
 * - articles: each article placed scores `perArticle[level]` points (中央/省/市/县), the sum capped at points.
 * - 扣分制: points − occurrences × perOccurrence, never below 0.
 * - 人工评分: the assessor's score, which must lie in [0, points].
 */
import { invalid } from '../../core/errors.js';

export const round2 = (n: number): number => Math.round(n * 100) / 100;

export function rateScore(points: number, rate: number | null): number {
  if (rate === null) return points;
  return round2(points * Math.min(1, Math.max(0, rate)));
}

export type ArticleLevel = 'central' | 'province' | 'city' | 'county';
export const defaultPerArticle: Record<ArticleLevel, number> = { central: 4, province: 2, city: 1, county: 0.5 };

export function articleScore(points: number, counts: Record<ArticleLevel, number>, perArticle = defaultPerArticle): number {
  const raw = (Object.keys(perArticle) as ArticleLevel[]).reduce((s, k) => s + (counts[k] ?? 0) * (perArticle[k] ?? 0), 0);
  return round2(Math.min(points, raw));
}

export function deductionScore(points: number, perOccurrence: number, occurrences: number): number {
  return round2(Math.max(0, points - occurrences * perOccurrence));
}

export function checkManualScore(points: number, score: number): number {
  if (!(score >= 0 && score <= points)) throw invalid({ score: `得分须在0至${points}分之间` });
  return round2(score);
}
