/**
 * Assessment cycles: a framework version + a year + target units (the organizing unit's subtree, optionally
 * one unit type). Units are assessed, never individuals. States: open (评分中) → published (已公布); self-
 * assessment, scoring and computing happen only while open (409 after).
 *
 * Who: the organizing unit's side (`assessment.manage`: create, compute, publish; `assessment.score`: score)
 * sees every target; a target unit (`assessment.read` on itself) sees its own row and, once published, the
 * results of all targets. Scores of the assessor are hidden from the targets until published.
 */
import type {
  AssessmentCycle,
  AssessmentCycleDetail,
  AssessmentCycleListQuery,
  AssessmentEvidence,
  AssessmentIndicator,
  AssessmentScore,
  CreateAssessmentCycleBody,
  Permission,
  ScoreBody,
  SelfAssessBody,
} from '@dutyledger/contracts';
import { and, asc, count, desc, eq, exists, like, or, type SQL, sql } from 'drizzle-orm';
import { writeAudit } from '../../core/audit.js';
import type { Ctx } from '../../core/context.js';
import { inTx } from '../../core/context.js';
import { AppError, invalid, notFound } from '../../core/errors.js';
import { periodOf } from '../../core/periods.js';
import { units } from '../../core/schema.js';
import { canInUnit, inScope, requireActor, requireRecordAction, requireUnitPermission, subtreePattern } from '../../core/scope.js';
import { containsPattern } from '../../core/search.js';
import { regionOf } from '../../db/distribution.js';
import { taskOnTimeRate } from '../duty/service.js';
import { complianceCalendar } from '../meetings/service.js';
import { eventsHandledWithin } from '../opinion/service.js';
import { outputCounts } from '../outputs/service.js';
import { rectificationOnTimeRate } from '../rectify/service.js';
import { reportOnTimeRate } from '../reports/service.js';
import { indicatorsOf, requireFramework } from './framework.js';
import { assessmentCycles, assessmentCycleUnits, assessmentFrameworks, assessmentScores } from './schema.js';
import { type ArticleLevel, articleScore, checkManualScore, deductionScore, defaultPerArticle, rateScore } from './scoring.js';

const cycleReadable = (ctx: Ctx): SQL =>
  or(
    inScope(ctx.actor, 'assessment.read', assessmentCycles.unitId),
    exists(
      ctx.db
        .select({ one: sql`1` })
        .from(assessmentCycleUnits)
        .where(
          and(eq(assessmentCycleUnits.cycleId, assessmentCycles.id), inScope(ctx.actor, 'assessment.read', assessmentCycleUnits.unitId)),
        ),
    ),
  ) as SQL;

function cycleQuery(ctx: Ctx) {
  return ctx.db
    .select({
      c: assessmentCycles,
      frameworkName: assessmentFrameworks.name,
      frameworkVersion: assessmentFrameworks.version,
      unitName: units.name,
      targetCount: sql<number>`(SELECT count(*)::int FROM ${assessmentCycleUnits} cu WHERE cu.cycle_id = ${assessmentCycles.id})`,
    })
    .from(assessmentCycles)
    .innerJoin(assessmentFrameworks, eq(assessmentFrameworks.id, assessmentCycles.frameworkId))
    .innerJoin(units, eq(units.id, assessmentCycles.unitId));
}
type CycleRow = Awaited<ReturnType<ReturnType<typeof cycleQuery>['where']>>[number];

const iso = (d: Date | null) => (d ? d.toISOString() : null);
function toCycle(r: CycleRow): AssessmentCycle {
  return {
    id: r.c.id,
    name: r.c.name,
    frameworkId: r.c.frameworkId,
    frameworkName: `${r.frameworkName}（第${r.frameworkVersion}版）`,
    unitId: r.c.unitId,
    unitName: r.unitName,
    year: r.c.year,
    unitType: r.c.unitType,
    state: r.c.state as AssessmentCycle['state'],
    targetCount: Number(r.targetCount),
    computedAt: iso(r.c.computedAt),
    publishedAt: iso(r.c.publishedAt),
    createdAt: r.c.createdAt.toISOString(),
  };
}

export async function listCycles(ctx: Ctx, q: AssessmentCycleListQuery) {
  requireActor(ctx.actor);
  const where = and(
    cycleReadable(ctx),
    q.state ? eq(assessmentCycles.state, q.state) : undefined,
    q.q ? sql`${assessmentCycles.name} ILIKE ${containsPattern(q.q)}` : undefined,
  );
  const [total] = await ctx.db.select({ n: count() }).from(assessmentCycles).where(where);
  const rows = await cycleQuery(ctx)
    .where(where)
    .orderBy(desc(assessmentCycles.year), desc(assessmentCycles.createdAt))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  return { items: rows.map(toCycle), total: total?.n ?? 0, page: q.page, pageSize: q.pageSize };
}

async function loadCycle(ctx: Ctx, id: string, lock = false): Promise<CycleRow> {
  requireActor(ctx.actor);
  const q = cycleQuery(ctx).where(and(eq(assessmentCycles.id, id), cycleReadable(ctx)));
  const [r] = lock ? await q.for('update', { of: assessmentCycles }) : await q;
  if (!r) throw notFound('考核不存在或无权查看');
  return r;
}

function requireOpen(r: CycleRow) {
  if (r.c.state !== 'open') throw new AppError('ILLEGAL_TRANSITION', '考核结果已公布，不能再修改');
}

export async function createCycle(ctx: Ctx, body: CreateAssessmentCycleBody): Promise<AssessmentCycleDetail> {
  await requireUnitPermission(ctx.db, ctx.actor, 'assessment.manage', body.unitId);
  await requireFramework(ctx, body.frameworkId);
  const id = await inTx(ctx, async (tx) => {
    const [org] = await tx.db.select().from(units).where(eq(units.id, body.unitId)).limit(1);
    if (!org?.active) throw notFound('单位不存在或已停用');
    const targets = await tx.db
      .select({ id: units.id })
      .from(units)
      .where(
        and(
          like(units.path, subtreePattern(org.path)),
          sql`${units.id} <> ${org.id}`,
          eq(units.active, true),
          body.unitType ? eq(units.type, body.unitType) : undefined,
        ),
      );
    if (targets.length === 0) throw invalid({ unitType: '该范围内没有可考核的单位' });
    const [c] = await tx.db
      .insert(assessmentCycles)
      .values({
        name: body.name,
        frameworkId: body.frameworkId,
        unitId: org.id,
        year: body.year,
        unitType: body.unitType ?? null,
        createdBy: ctx.actor?.personId,
      })
      .returning();
    if (!c) throw new Error('insert failed');
    await tx.db.insert(assessmentCycleUnits).values(targets.map((t) => ({ regionId: regionOf(t.id), cycleId: c.id, unitId: t.id })));
    await writeAudit(tx, {
      action: 'create',
      entity: 'assessmentCycle',
      entityId: c.id,
      unitId: org.id,
      after: { ...c, targets: targets.length },
    });
    return c.id;
  });
  return getCycle(ctx, id);
}

type ScoreRow = typeof assessmentScores.$inferSelect;

/** The cycle's target units within the caller's reach for `perm` (in SQL). */
async function targetsInReach(ctx: Ctx, cycleId: string, perm: Permission): Promise<string[]> {
  const rows = await ctx.db
    .select({ unitId: assessmentCycleUnits.unitId })
    .from(assessmentCycleUnits)
    .where(and(eq(assessmentCycleUnits.cycleId, cycleId), inScope(ctx.actor, perm, assessmentCycleUnits.unitId)));
  return rows.map((r) => r.unitId);
}

/** The score counted in the total (see scoring.ts): auto → computed; manual → assessor's; deduction → full points until deductions are recorded. */
function cellScore(ind: AssessmentIndicator, s: Pick<ScoreRow, 'autoScore' | 'manualScore'> | undefined): number | null {
  if (ind.method === 'auto') return s?.autoScore ?? null;
  if (ind.method === 'deduction') return s?.manualScore ?? ind.points;
  return s?.manualScore ?? null;
}

/** A unit's total: the sum of its counted scores, to the cent. */
const totalOf = (scores: (number | null)[]) => Math.round(scores.reduce<number>((sum, x) => sum + (x ?? 0), 0) * 100) / 100;

/** Ranks by total, highest first; equal totals share a rank (1, 2, 2, 4). */
function rank(rows: { total: number; rank: number }[]): void {
  const sorted = [...rows].sort((a, b) => b.total - a.total);
  for (const u of rows) u.rank = sorted.findIndex((x) => x.total === u.total) + 1;
}

export async function getCycle(ctx: Ctx, id: string): Promise<AssessmentCycleDetail> {
  const r = await loadCycle(ctx, id);
  const organizer = await canInUnit(ctx.db, ctx.actor, 'assessment.read', r.c.unitId);
  const published = r.c.state === 'published';
  const indicators = await indicatorsOf(ctx, r.c.frameworkId);
  const leaves = indicators.filter((i) => i.method !== null);
  const targetRows = await ctx.db
    .select({ unitId: units.id, unitName: units.name, path: units.path })
    .from(assessmentCycleUnits)
    .innerJoin(units, eq(units.id, assessmentCycleUnits.unitId))
    .where(eq(assessmentCycleUnits.cycleId, id))
    .orderBy(asc(units.path));
  const scoreRows = await ctx.db.select().from(assessmentScores).where(eq(assessmentScores.cycleId, id));
  const byCell = new Map(scoreRows.map((s) => [`${s.unitId}/${s.indicatorId}`, s]));
  const results = targetRows.map((t) => {
    const scores: AssessmentScore[] = leaves.map((ind) => {
      const s = byCell.get(`${t.unitId}/${ind.id}`);
      return {
        unitId: t.unitId,
        indicatorId: ind.id,
        score: cellScore(ind, s),
        autoScore: s?.autoScore ?? null,
        evidence: (s?.evidence as AssessmentEvidence | null) ?? null,
        occurrences: s?.occurrences ?? null,
        selfNote: s?.selfNote ?? null,
        selfEvidence: s?.selfEvidence ?? null,
        selfAt: iso(s?.selfAt ?? null),
        comment: s?.comment ?? null,
        scoredAt: iso(s?.scoredAt ?? null),
      };
    });
    return { unitId: t.unitId, unitName: t.unitName, total: totalOf(scores.map((x) => x.score)), rank: 0, scores };
  });
  rank(results);
  results.sort((a, b) => a.rank - b.rank || a.unitName.localeCompare(b.unitName, 'zh'));
  let visible = results;
  if (!organizer) {
    // a target unit: its own rows (and those of its subtree in the reach); everything once published
    const mine = new Set(await targetsInReach(ctx, id, 'assessment.read'));
    if (!published) {
      visible = results
        .filter((u) => mine.has(u.unitId))
        .map((u) => ({
          ...u,
          total: 0,
          rank: 0,
          scores: u.scores.map((s) => ({ ...s, score: null, occurrences: null, comment: null, scoredAt: null })),
        }));
    }
  }
  const selfAssessUnitIds = published ? [] : await targetsInReach(ctx, id, 'assessment.selfAssess');
  return {
    ...toCycle(r),
    indicators,
    units: visible,
    canManage: !published && (await canInUnit(ctx.db, ctx.actor, 'assessment.manage', r.c.unitId)),
    canScore: !published && (await canInUnit(ctx.db, ctx.actor, 'assessment.score', r.c.unitId)),
    selfAssessUnitIds,
  };
}

/** The figures and score of one automatic indicator for one unit (the caller's reach applies to every read). */
export async function computeAuto(
  ctx: Ctx,
  ind: AssessmentIndicator,
  unitId: string,
  year: number,
): Promise<{ score: number; evidence: AssessmentEvidence }> {
  const period = periodOf('year', year);
  const pct = (rate: number | null) => (rate === null ? '无应完成事项，按满分计' : `${Math.round(rate * 10000) / 100}%`);
  switch (ind.autoSource) {
    case 'compliance': {
      const cal = await complianceCalendar(ctx, { unitId, year });
      const done = cal.cells.filter((c) => c.state === 'done').length;
      const overdue = cal.cells.filter((c) => c.state === 'overdue').length;
      const rate = done + overdue === 0 ? null : done / (done + overdue);
      return {
        score: rateScore(ind.points, rate),
        evidence: {
          summary: `制度已落实 ${done} 项、逾期未落实 ${overdue} 项，落实率 ${pct(rate)}`,
          figures: { done, overdue, rate },
          link: `/compliance/calendar?unitId=${unitId}&year=${year}`,
        },
      };
    }
    case 'tasks': {
      const r = await taskOnTimeRate(ctx, unitId, period);
      return {
        score: rateScore(ind.points, r.rate),
        evidence: {
          summary: `到期任务 ${r.due} 项，按期完成 ${r.onTime} 项，按期率 ${pct(r.rate)}`,
          figures: { ...r },
          link: `/tasks?unitId=${unitId}`,
        },
      };
    }
    case 'reports': {
      const r = await reportOnTimeRate(ctx, unitId, period);
      return {
        score: rateScore(ind.points, r.rate),
        evidence: {
          summary: `应报送 ${r.due} 次，按期 ${r.onTime} 次、迟报 ${r.late} 次、未报 ${r.missing} 次，按期率 ${pct(r.rate)}`,
          figures: { due: r.due, onTime: r.onTime, late: r.late, missing: r.missing, rate: r.rate },
          link: '/reports',
        },
      };
    }
    case 'rectify': {
      const r = await rectificationOnTimeRate(ctx, unitId, period);
      return {
        score: rateScore(ind.points, r.rate),
        evidence: {
          summary: `到期整改事项 ${r.due} 项，按期销号 ${r.onTime} 项，按期率 ${pct(r.rate)}`,
          figures: { ...r },
          link: '/rectify',
        },
      };
    }
    case 'opinion': {
      const days = Number(ind.params.days ?? 3);
      const r = await eventsHandledWithin(ctx, unitId, period, days);
      return {
        score: rateScore(ind.points, r.rate),
        evidence: {
          summary: `舆情事件 ${r.total} 起，${days} 日内处置完毕 ${r.handled} 起，处置率 ${pct(r.rate)}`,
          figures: { ...r, days },
          link: '/opinion/events',
        },
      };
    }
    case 'articles': {
      const c = await outputCounts(ctx, unitId, period);
      const per = { ...defaultPerArticle, ...((ind.params.perArticle as Record<ArticleLevel, number> | undefined) ?? {}) };
      const score = articleScore(ind.points, c.articles, per);
      return {
        score,
        evidence: {
          summary: `刊用稿件：中央级 ${c.articles.central} 篇、省级 ${c.articles.province} 篇、市级 ${c.articles.city} 篇、县级 ${c.articles.county} 篇（满分 ${ind.points} 分封顶）`,
          figures: { ...c.articles },
          link: `/outputs?unitId=${unitId}&kind=article`,
        },
      };
    }
    default:
      throw new Error(`unknown automatic source ${ind.autoSource}`);
  }
}

/** Computes (again) every automatic indicator of every target unit, with its evidence; one transaction. */
export async function computeCycle(ctx: Ctx, id: string): Promise<AssessmentCycleDetail> {
  const r0 = await loadCycle(ctx, id);
  await requireRecordAction(ctx.db, ctx.actor, { read: 'assessment.read', write: 'assessment.manage' }, r0.c.unitId);
  await inTx(ctx, async (tx) => {
    const r = await loadCycle(tx, id, true);
    requireOpen(r);
    const autos = (await indicatorsOf(tx, r.c.frameworkId)).filter((i) => i.method === 'auto');
    const targets = await tx.db
      .select({ regionId: assessmentCycleUnits.regionId, unitId: assessmentCycleUnits.unitId })
      .from(assessmentCycleUnits)
      .where(eq(assessmentCycleUnits.cycleId, id));
    const now = new Date();
    for (const t of targets)
      for (const ind of autos) {
        const { score, evidence } = await computeAuto(tx, ind, t.unitId, r.c.year);
        await tx.db
          .insert(assessmentScores)
          .values({ regionId: t.regionId, cycleId: id, unitId: t.unitId, indicatorId: ind.id, autoScore: score, evidence, computedAt: now })
          .onConflictDoUpdate({
            target: [assessmentScores.regionId, assessmentScores.cycleId, assessmentScores.unitId, assessmentScores.indicatorId],
            set: { autoScore: score, evidence, computedAt: now },
          });
      }
    await tx.db.update(assessmentCycles).set({ computedAt: now }).where(eq(assessmentCycles.id, id));
    await writeAudit(tx, {
      action: 'compute',
      entity: 'assessmentCycle',
      entityId: id,
      unitId: r.c.unitId,
      after: { targets: targets.length, indicators: autos.length },
    });
  });
  return getCycle(ctx, id);
}

/** The indicator, and the target row's region (a score is co-located with its target row). */
async function requireTargetIndicator(
  tx: Ctx,
  r: CycleRow,
  unitId: string,
  indicatorId: string,
): Promise<{ ind: AssessmentIndicator; regionId: string }> {
  const [t] = await tx.db
    .select({ regionId: assessmentCycleUnits.regionId })
    .from(assessmentCycleUnits)
    .where(and(eq(assessmentCycleUnits.cycleId, r.c.id), eq(assessmentCycleUnits.unitId, unitId)));
  if (!t) throw notFound('该单位不在本次考核范围内');
  const ind = (await indicatorsOf(tx, r.c.frameworkId)).find((i) => i.id === indicatorId);
  if (!ind?.method) throw notFound('考核指标不存在');
  return { ind, regionId: t.regionId };
}

/** 自评: the target unit's note and evidence on a manual or deduction indicator. */
export async function selfAssess(
  ctx: Ctx,
  id: string,
  unitId: string,
  indicatorId: string,
  body: SelfAssessBody,
): Promise<AssessmentCycleDetail> {
  await loadCycle(ctx, id);
  await requireUnitPermission(ctx.db, ctx.actor, 'assessment.selfAssess', unitId);
  await inTx(ctx, async (tx) => {
    const r = await loadCycle(tx, id, true);
    const { ind, regionId } = await requireTargetIndicator(tx, r, unitId, indicatorId);
    requireOpen(r);
    if (ind.method === 'auto') throw invalid({ indicatorId: '自动指标由系统计算，无需自评' });
    const now = new Date();
    const set = { selfNote: body.note, selfEvidence: body.evidence, selfBy: ctx.actor?.personId ?? null, selfAt: now };
    await tx.db
      .insert(assessmentScores)
      .values({ regionId, cycleId: id, unitId, indicatorId, ...set })
      .onConflictDoUpdate({
        target: [assessmentScores.regionId, assessmentScores.cycleId, assessmentScores.unitId, assessmentScores.indicatorId],
        set,
      });
    await writeAudit(tx, {
      action: 'selfAssess',
      entity: 'assessmentScore',
      entityId: `${id}/${unitId}/${indicatorId}`,
      unitId,
      after: set,
    });
  });
  return getCycle(ctx, id);
}

/** 评分: the assessor of the organizing unit scores a manual indicator or records deductions. */
export async function scoreIndicator(
  ctx: Ctx,
  id: string,
  unitId: string,
  indicatorId: string,
  body: ScoreBody,
): Promise<AssessmentCycleDetail> {
  const r0 = await loadCycle(ctx, id);
  await requireUnitPermission(ctx.db, ctx.actor, 'assessment.score', r0.c.unitId);
  await inTx(ctx, async (tx) => {
    const r = await loadCycle(tx, id, true);
    const { ind, regionId } = await requireTargetIndicator(tx, r, unitId, indicatorId);
    requireOpen(r);
    let manualScore: number;
    let occurrences: number | null = null;
    if (ind.method === 'auto') throw invalid({ indicatorId: '自动指标由系统计算，不能人工评分' });
    if (ind.method === 'deduction') {
      if (body.occurrences === undefined) throw invalid({ occurrences: '请填写扣分次数' });
      occurrences = body.occurrences;
      manualScore = deductionScore(ind.points, ind.perOccurrence ?? 0, occurrences);
    } else {
      if (body.score === undefined) throw invalid({ score: '请填写得分' });
      manualScore = checkManualScore(ind.points, body.score);
    }
    const [before] = await tx.db
      .select()
      .from(assessmentScores)
      .where(and(eq(assessmentScores.cycleId, id), eq(assessmentScores.unitId, unitId), eq(assessmentScores.indicatorId, indicatorId)));
    const set = { manualScore, occurrences, comment: body.comment, scoredBy: ctx.actor?.personId ?? null, scoredAt: new Date() };
    await tx.db
      .insert(assessmentScores)
      .values({ regionId, cycleId: id, unitId, indicatorId, ...set })
      .onConflictDoUpdate({
        target: [assessmentScores.regionId, assessmentScores.cycleId, assessmentScores.unitId, assessmentScores.indicatorId],
        set,
      });
    await writeAudit(tx, {
      action: 'score',
      entity: 'assessmentScore',
      entityId: `${id}/${unitId}/${indicatorId}`,
      unitId: r.c.unitId,
      before: before ? { manualScore: before.manualScore, occurrences: before.occurrences, comment: before.comment } : null,
      after: set,
    });
  });
  return getCycle(ctx, id);
}

/** 公布: open → published; the results become visible to the target units. */
export async function publishCycle(ctx: Ctx, id: string): Promise<AssessmentCycleDetail> {
  const r0 = await loadCycle(ctx, id);
  await requireRecordAction(ctx.db, ctx.actor, { read: 'assessment.read', write: 'assessment.manage' }, r0.c.unitId);
  await inTx(ctx, async (tx) => {
    const r = await loadCycle(tx, id, true);
    requireOpen(r);
    await tx.db.update(assessmentCycles).set({ state: 'published', publishedAt: new Date() }).where(eq(assessmentCycles.id, id));
    await writeAudit(tx, { action: 'transition:open->published', entity: 'assessmentCycle', entityId: id, unitId: r.c.unitId });
  });
  return getCycle(ctx, id);
}

/**
 * The latest published result of `unitId` that the caller may read (for the dashboard): the cycle, the unit's
 * total and its rank among the cycle's units. Null when no published cycle assessed the unit.
 */
export async function latestAssessmentOf(
  ctx: Ctx,
  unitId: string,
): Promise<{ cycleId: string; cycleName: string; year: number; total: number; rank: number; of: number } | null> {
  requireActor(ctx.actor);
  const [latest] = await ctx.db
    .select({
      id: assessmentCycles.id,
      name: assessmentCycles.name,
      year: assessmentCycles.year,
      frameworkId: assessmentCycles.frameworkId,
    })
    .from(assessmentCycles)
    .innerJoin(assessmentCycleUnits, eq(assessmentCycleUnits.cycleId, assessmentCycles.id))
    .where(and(eq(assessmentCycles.state, 'published'), eq(assessmentCycleUnits.unitId, unitId), cycleReadable(ctx)))
    .orderBy(desc(assessmentCycles.year), desc(assessmentCycles.publishedAt))
    .limit(1);
  if (!latest) return null;
  // totals and ranks only (what getCycle computes, without loading every cell's evidence): the dashboard's figure
  const leaves = (await indicatorsOf(ctx, latest.frameworkId)).filter((i) => i.method !== null);
  const targets = await ctx.db
    .select({ unitId: assessmentCycleUnits.unitId })
    .from(assessmentCycleUnits)
    .where(eq(assessmentCycleUnits.cycleId, latest.id));
  const cells = await ctx.db
    .select({
      unitId: assessmentScores.unitId,
      indicatorId: assessmentScores.indicatorId,
      autoScore: assessmentScores.autoScore,
      manualScore: assessmentScores.manualScore,
    })
    .from(assessmentScores)
    .where(eq(assessmentScores.cycleId, latest.id));
  const byCell = new Map(cells.map((c) => [`${c.unitId}/${c.indicatorId}`, c]));
  const rows = targets.map((t) => ({
    unitId: t.unitId,
    total: totalOf(leaves.map((ind) => cellScore(ind, byCell.get(`${t.unitId}/${ind.id}`)))),
    rank: 0,
  }));
  rank(rows);
  const row = rows.find((u) => u.unitId === unitId);
  if (!row) return null;
  return { cycleId: latest.id, cycleName: latest.name, year: latest.year, total: row.total, rank: row.rank, of: rows.length };
}
