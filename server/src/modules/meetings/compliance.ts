/**
 * The compliance engine (落实情况): for a unit subtree and one or more periods, each applicable rule's state
 * per unit, computed in SQL over the records in ONE query for the whole subtree (the subtree is a prefix of
 * the materialized `units.path`).
 *
 * Definitions (the one place they are stated):
 * - A rule applies to a unit when the unit's type is among the rule's unit types and both are active.
 * - A record counts for a (unit, rule, period) when it belongs to the unit itself (not a descendant), matches
 *   the rule's source (a meeting of one of the rule's kinds carrying any of the rule's tags — no tag filter
 *   when the rule has none; or a study plan), and its date lies in [period start, period end) in the
 *   Shanghai calendar. The date of a meeting is `held_at`; of a study plan, the first day of its month. When
 *   the record was entered does not matter: a record entered later for a past period counts, and is flagged
 *   back-filled (补录: entered more than 30 days after its date).
 * - Due moment: with a due day N, local 00:00 of the day after the N-th day of the period (start + N days),
 *   capped at the period's end; without one, the period's end. Records dated after the due moment but still
 *   inside the period count too (a late meeting is still a meeting); the state only says whether the count
 *   was reached.
 * - State at `now`: 已完成 `done` when count ≥ min count; otherwise 已逾期 `overdue` when now ≥ due moment;
 *   otherwise 未到期 `notDue`.
 * - Rate: done / (done + overdue) over the cells; `notDue` cells are left out (they can still be met); null
 *   when there is nothing to rate.
 */
import type { ComplianceCalendar, ComplianceCell, ComplianceMatrix, ComplianceRecord, ComplianceRule } from '@dutyledger/contracts';
import { and, asc, eq, like, type SQL, sql } from 'drizzle-orm';
import type { Ctx } from '../../core/context.js';
import { notFound } from '../../core/errors.js';
import { type Period, type PeriodKind, periodContaining, periodOf, periodsBetween } from '../../core/periods.js';
import { units } from '../../core/schema.js';
import { childBucket, inScope, requireActor, requireUnitPermission, subtreePattern } from '../../core/scope.js';
import { rowsOf } from '../../db/client.js';
import { complianceRules, studyPlans } from './compliance-schema.js';
import { BACKFILL_DAYS } from './meetings.js';
import { listRules } from './rules.js';
import { meetings } from './schema.js';

export interface ComplianceUnit {
  id: string;
  name: string;
  type: string;
  depth: number;
  parentId: string | null;
}

interface RawRecord {
  id: string;
  source: 'meeting' | 'studyPlan';
  title: string;
  at: string;
  createdAt: string;
  /** computed in SQL: entered more than BACKFILL_DAYS Shanghai calendar days after it happened (as isBackfilled) */
  backfilled: boolean;
}

interface RawCell {
  unit_id: string;
  rule_id: string;
  period_key: string;
  records: RawRecord[] | string;
}

/** Units of the subtree of `root` that the actor may read compliance of, in tree order (siblings by sort order, name). */
async function unitsOf(ctx: Ctx, root: { id: string; path: string }, unitOnly: boolean): Promise<ComplianceUnit[]> {
  const rows = await ctx.db
    .select({ id: units.id, name: units.name, type: units.type, depth: units.depth, parentId: units.parentId, sortOrder: units.sortOrder })
    .from(units)
    .where(
      and(
        unitOnly ? eq(units.id, root.id) : like(units.path, subtreePattern(root.path)),
        eq(units.active, true),
        inScope(ctx.actor, 'compliance.read', units.id),
      ),
    )
    .orderBy(asc(units.depth), asc(units.sortOrder), asc(units.name));
  const children = new Map<string | null, typeof rows>();
  const present = new Set(rows.map((r) => r.id));
  for (const r of rows) {
    const key = r.parentId && present.has(r.parentId) ? r.parentId : null;
    children.set(key, [...(children.get(key) ?? []), r]);
  }
  const out: ComplianceUnit[] = [];
  const walk = (parent: string | null) => {
    for (const r of children.get(parent) ?? []) {
      out.push({ id: r.id, name: r.name, type: r.type, depth: r.depth, parentId: r.parentId });
      walk(r.id);
    }
  };
  walk(null);
  return out;
}

async function loadRoot(ctx: Ctx, unitId: string): Promise<{ id: string; path: string }> {
  requireActor(ctx.actor);
  await requireUnitPermission(ctx.db, ctx.actor, 'compliance.read', unitId);
  const [root] = await ctx.db.select({ id: units.id, path: units.path }).from(units).where(eq(units.id, unitId)).limit(1);
  if (!root) throw notFound('单位不存在或无权查看');
  return root;
}

function dueOf(p: Period, dueDay: number | null): Date {
  if (dueDay === null) return p.end;
  const due = new Date(p.start.getTime() + dueDay * 86_400_000); // Shanghai has no daylight saving time
  return due < p.end ? due : p.end;
}

/**
 * The engine: one SQL statement over the subtree (`root`'s path prefix, or `root` alone), the active rules
 * and the given periods; states are derived at `now`.
 */
async function evaluate(
  ctx: Ctx,
  root: { id: string; path: string },
  opts: { unitOnly: boolean; periods: Period[]; now: Date },
): Promise<{ units: ComplianceUnit[]; rules: ComplianceRule[]; cells: ComplianceCell[] }> {
  const unitList = await unitsOf(ctx, root, opts.unitOnly);
  const presentTypes = new Set(unitList.map((u) => u.type));
  const rules = (await listRules(ctx)).filter((r) => r.active && r.unitTypes.some((t) => presentTypes.has(t)));
  const kinds = new Set(rules.map((r) => r.period));
  const periods = opts.periods.filter((p) => kinds.has(p.kind));
  if (unitList.length === 0 || rules.length === 0 || periods.length === 0) return { units: unitList, rules, cells: [] };

  const from = new Date(Math.min(...periods.map((p) => p.start.getTime())));
  const to = new Date(Math.max(...periods.map((p) => p.end.getTime())));
  const periodJson = JSON.stringify(
    periods.map((p) => ({ kind: p.kind, key: p.key, start_at: p.start.toISOString(), end_at: p.end.toISOString() })),
  );
  const unitScope: SQL = and(
    opts.unitOnly ? eq(units.id, root.id) : like(units.path, subtreePattern(root.path)),
    eq(units.active, true),
    inScope(ctx.actor, 'compliance.read', units.id),
  )!;

  const rows = await rowsOf<RawCell>(
    ctx.db,
    sql`
    WITH u AS (
      SELECT ${units.id} AS id, ${units.type} AS type FROM ${units} WHERE ${unitScope}
    ),
    r AS (
      SELECT id, source, kind_ids, tags, min_count, period, unit_types FROM ${complianceRules} WHERE active
    ),
    p AS (
      SELECT * FROM jsonb_to_recordset(${periodJson}::jsonb) AS p(kind text, key text, start_at timestamptz, end_at timestamptz)
    ),
    c AS (
      SELECT u.id AS unit_id, r.id AS rule_id, p.key AS period_key
      FROM u JOIN r ON u.type = ANY(r.unit_types) JOIN p ON p.kind = r.period
    ),
    x AS (
      SELECT m.unit_id, m.id, 'meeting'::text AS source, m.kind_id, m.tags, m.held_at AS at, m.created_at, m.topic AS title
      FROM ${meetings} m
      WHERE m.unit_id IN (SELECT id FROM u)
        AND m.kind_id IN (SELECT unnest(kind_ids) FROM r WHERE source = 'meeting')
        AND m.held_at >= ${from.toISOString()}::timestamptz AND m.held_at < ${to.toISOString()}::timestamptz
      UNION ALL
      SELECT s.unit_id, s.id, 'studyPlan'::text, NULL::uuid, '{}'::text[], s.month_start, s.created_at, s.title
      FROM ${studyPlans} s
      WHERE s.unit_id IN (SELECT id FROM u)
        AND s.month_start >= ${from.toISOString()}::timestamptz AND s.month_start < ${to.toISOString()}::timestamptz
    ),
    -- each record against the few rules and periods it can count for (small joins), then one grouping
    matched AS (
      SELECT x.unit_id, r.id AS rule_id, p.key AS period_key, x.id, x.source, x.title, x.at, x.created_at
      FROM x
      JOIN r ON r.source = x.source
        AND (r.source <> 'meeting' OR (x.kind_id = ANY(r.kind_ids) AND (cardinality(r.tags) = 0 OR x.tags && r.tags)))
      JOIN p ON p.kind = r.period AND x.at >= p.start_at AND x.at < p.end_at
    ),
    agg AS (
      SELECT unit_id, rule_id, period_key,
        json_agg(
          json_build_object('id', id, 'source', source, 'title', title, 'at', at, 'createdAt', created_at,
            'backfilled', (created_at AT TIME ZONE 'Asia/Shanghai')::date - (at AT TIME ZONE 'Asia/Shanghai')::date > ${BACKFILL_DAYS}::int)
          ORDER BY at, id
        ) AS records
      FROM matched
      GROUP BY unit_id, rule_id, period_key
    )
    SELECT c.unit_id, c.rule_id, c.period_key, COALESCE(agg.records, '[]'::json) AS records
    FROM c LEFT JOIN agg ON agg.unit_id = c.unit_id AND agg.rule_id = c.rule_id AND agg.period_key = c.period_key
  `,
  );

  const ruleById = new Map(rules.map((r) => [r.id, r]));
  const periodByKey = new Map(periods.map((p) => [`${p.kind}:${p.key}`, p]));
  const unitOrder = new Map(unitList.map((u, i) => [u.id, i]));
  const ruleOrder = new Map(rules.map((r, i) => [r.id, i]));
  const cells: ComplianceCell[] = [];
  for (const row of rows) {
    const rule = ruleById.get(row.rule_id);
    if (!rule) continue;
    const period = periodByKey.get(`${rule.period}:${row.period_key}`)!;
    const raw = typeof row.records === 'string' ? JSON.parse(row.records) : row.records;
    const records: ComplianceRecord[] = (raw as RawRecord[]).map((x) => ({
      id: x.id,
      source: x.source,
      title: x.title,
      at: new Date(x.at).toISOString(),
      createdAt: new Date(x.createdAt).toISOString(),
      backfilled: x.backfilled,
    }));

    const dueAt = dueOf(period, rule.dueDay);
    const state = records.length >= rule.minCount ? 'done' : opts.now >= dueAt ? 'overdue' : 'notDue';
    cells.push({
      unitId: row.unit_id,
      ruleId: row.rule_id,
      periodKey: period.key,
      periodLabel: period.label,
      periodStart: period.start.toISOString(),
      periodEnd: period.end.toISOString(),
      dueAt: dueAt.toISOString(),
      state,
      count: records.length,
      minCount: rule.minCount,
      records,
      backfilled: records.some((r) => r.backfilled),
    });
  }
  cells.sort(
    (a, b) =>
      unitOrder.get(a.unitId)! - unitOrder.get(b.unitId)! ||
      ruleOrder.get(a.ruleId)! - ruleOrder.get(b.ruleId)! ||
      a.periodStart.localeCompare(b.periodStart),
  );
  return { units: unitList, rules, cells };
}

/** The year of `now` in Shanghai. */
const yearOf = (now: Date) => periodContaining('year', now).year;

/** Each kind's period that contains `month` of `year` (default: the current month in the current year, December otherwise). */
export function periodsAt(year: number, month: number | undefined, now: Date): { month: number; periods: Period[] } {
  const m = month ?? (yearOf(now) === year ? periodContaining('month', now).index : 12);
  const ref = periodOf('month', year, m).start;
  return { month: m, periods: (['month', 'quarter', 'halfYear', 'year'] as PeriodKind[]).map((k) => periodContaining(k, ref)) };
}

function summarize(cells: ComplianceCell[]) {
  const done = cells.filter((c) => c.state === 'done').length;
  const notDue = cells.filter((c) => c.state === 'notDue').length;
  const overdue = cells.filter((c) => c.state === 'overdue').length;
  return { done, notDue, overdue, rate: done + overdue === 0 ? null : done / (done + overdue) };
}

/**
 * The subtree matrix: units × rules, each cell the rule's period containing the chosen month. 403 when the
 * root is outside the actor's `compliance.read` reach; units of the subtree outside it are left out in SQL.
 */
export async function complianceMatrix(
  ctx: Ctx,
  q: { rootUnitId: string; year: number; month?: number; now?: Date },
): Promise<ComplianceMatrix> {
  const now = q.now ?? new Date();
  const root = await loadRoot(ctx, q.rootUnitId);
  const { month, periods } = periodsAt(q.year, q.month, now);
  const res = await evaluate(ctx, root, { unitOnly: false, periods, now });
  return { rootUnitId: root.id, year: q.year, month, ...res, summary: summarize(res.cells) };
}

/** done / (done + overdue) over the subtree for the chosen month's periods (null when nothing is rateable). */
export async function complianceRate(
  ctx: Ctx,
  rootUnitId: string,
  period: { year: number; month?: number; now?: Date },
): Promise<{ done: number; notDue: number; overdue: number; rate: number | null }> {
  const m = await complianceMatrix(ctx, { rootUnitId, ...period });
  return m.summary;
}

/** A unit's year: every period of the year of every rule that applies to the unit. */
export async function complianceCalendar(ctx: Ctx, q: { unitId: string; year: number; now?: Date }): Promise<ComplianceCalendar> {
  const now = q.now ?? new Date();
  const root = await loadRoot(ctx, q.unitId);
  const yearStart = periodOf('year', q.year).start;
  const yearEnd = periodOf('year', q.year).end;
  const periods = (['month', 'quarter', 'halfYear', 'year'] as PeriodKind[]).flatMap((k) => periodsBetween(k, yearStart, yearEnd));
  const res = await evaluate(ctx, root, { unitOnly: true, periods, now });
  const unit = res.units[0];
  if (!unit) throw notFound('单位不存在或已停用');
  return { unit, year: q.year, rules: res.rules, cells: res.cells };
}

/**
 * For the dashboard: done and overdue cells (the periods containing `now`) of the units in an area, keyed by
 * the area root's child whose subtree holds the unit ('' for the root itself), like the dashboard's other
 * figures per child. `area` is a unit path and whether its subtree is meant (the dashboard's UnitArea);
 * units outside the actor's `compliance.read` reach are left out in SQL.
 */
export async function complianceCountsByChild(
  ctx: Ctx,
  area: { path: string; subtree: boolean },
  now: Date = new Date(),
): Promise<Map<string, { done: number; overdue: number }>> {
  requireActor(ctx.actor);
  const ids = area.path.split('/').filter(Boolean);
  const root = { id: ids[ids.length - 1]!, path: area.path };
  const { periods } = periodsAt(yearOf(now), undefined, now);
  // the same matching as `evaluate`, counted in SQL per cell and grouped per child bucket: no per-cell rows
  // leave the database (the province's dashboard has ≈100,000 cells)
  const unitScope: SQL = and(
    area.subtree ? like(units.path, subtreePattern(root.path)) : eq(units.id, root.id),
    eq(units.active, true),
    inScope(ctx.actor, 'compliance.read', units.id),
  )!;
  // the records' units: the same area (records of units outside the caller's reach find no cell below)
  const recordUnits: SQL = area.subtree ? sql`ru.path LIKE ${subtreePattern(root.path)}` : sql`ru.id = ${root.id}`;
  const from = new Date(Math.min(...periods.map((p) => p.start.getTime())));
  const to = new Date(Math.max(...periods.map((p) => p.end.getTime())));
  const periodJson = JSON.stringify(
    periods.map((p) => ({ kind: p.kind, key: p.key, start_at: p.start.toISOString(), end_at: p.end.toISOString() })),
  );
  // u carries the 36-character bucket, not the path: a province's paths would spill the CTE to disk; the
  // records join their units directly (a hash join over the period's records, not one index probe per unit)
  const bucket = childBucket(units.path, root.path);
  const rows = await rowsOf<{ bucket: string; done: number; overdue: number }>(
    ctx.db,
    sql`
    WITH u AS MATERIALIZED (
      SELECT ${units.id} AS id, ${units.type} AS type, ${bucket} AS bucket FROM ${units} WHERE ${unitScope}
    ),
    r AS (
      SELECT id, source, kind_ids, tags, min_count, period, unit_types, due_day FROM ${complianceRules} WHERE active
    ),
    p AS (
      SELECT * FROM jsonb_to_recordset(${periodJson}::jsonb) AS p(kind text, key text, start_at timestamptz, end_at timestamptz)
    ),
    c AS (
      SELECT u.id AS unit_id, u.bucket, r.id AS rule_id, p.key AS period_key, r.min_count,
        CASE WHEN r.due_day IS NULL THEN p.end_at ELSE LEAST(p.start_at + r.due_day * interval '1 day', p.end_at) END AS due_at
      FROM u JOIN r ON u.type = ANY(r.unit_types) JOIN p ON p.kind = r.period
    ),
    x AS (
      SELECT m.unit_id, 'meeting'::text AS source, m.kind_id, m.tags, m.held_at AS at
      FROM ${meetings} m JOIN ${units} ru ON ru.id = m.unit_id
      WHERE ${recordUnits}
        AND m.kind_id IN (SELECT unnest(kind_ids) FROM r WHERE source = 'meeting')
        AND m.held_at >= ${from.toISOString()}::timestamptz AND m.held_at < ${to.toISOString()}::timestamptz
      UNION ALL
      SELECT s.unit_id, 'studyPlan'::text, NULL::uuid, '{}'::text[], s.month_start
      FROM ${studyPlans} s JOIN ${units} ru ON ru.id = s.unit_id
      WHERE ${recordUnits}
        AND s.month_start >= ${from.toISOString()}::timestamptz AND s.month_start < ${to.toISOString()}::timestamptz
    ),
    n AS (
      SELECT x.unit_id, r.id AS rule_id, p.key AS period_key, count(*) AS n
      FROM x
      JOIN r ON r.source = x.source
        AND (r.source <> 'meeting' OR (x.kind_id = ANY(r.kind_ids) AND (cardinality(r.tags) = 0 OR x.tags && r.tags)))
      JOIN p ON p.kind = r.period AND x.at >= p.start_at AND x.at < p.end_at
      GROUP BY 1, 2, 3
    )
    SELECT c.bucket,
      count(*) FILTER (WHERE COALESCE(n.n, 0) >= c.min_count)::int AS done,
      count(*) FILTER (WHERE COALESCE(n.n, 0) < c.min_count AND ${now.toISOString()}::timestamptz >= c.due_at)::int AS overdue
    FROM c LEFT JOIN n ON n.unit_id = c.unit_id AND n.rule_id = c.rule_id AND n.period_key = c.period_key
    GROUP BY 1
  `,
  );
  return new Map(rows.map((r) => [r.bucket, { done: Number(r.done), overdue: Number(r.overdue) }]));
}
