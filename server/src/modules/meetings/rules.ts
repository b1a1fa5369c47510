/**
 * Rules (制度要求) as data: "≥ N records of these kinds (with any of these tags), or study plans, per
 * month/quarter/half-year/year, for units of these types, due by day D of the period or by its end".
 *
 * Rules are global, like the meeting-kind dictionary: everyone with `compliance.read` reads them; only a unit
 * admin (`rule.manage`) of a top unit (no parent) edits them. Rules are never deleted (a rule is deactivated);
 * every edit is audited with before and after, so the audit log is the rule's version history.
 *
 * The default rules of the seeds are inserted by `ensureDefaultRules` (idempotent; not in a migration, which
 * must not insert data), called at start/seed and on first listing.
 */
import type { ComplianceRule, CreateRuleBody, UnitType, UpdateRuleBody } from '@dutyledger/contracts';
import { and, asc, eq, inArray, isNotNull, type SQL, sql } from 'drizzle-orm';
import { writeAudit } from '../../core/audit.js';
import { type Actor, type Ctx, inTx } from '../../core/context.js';
import { forbidden, invalid, notFound } from '../../core/errors.js';
import { units } from '../../core/schema.js';
import { hasPermission, requireActor, requireRecordInScope } from '../../core/scope.js';
import { complianceRules } from './compliance-schema.js';
import { ensureMeetingKinds } from './kinds.js';
import { meetingKinds } from './schema.js';

type RuleRow = typeof complianceRules.$inferSelect;

/** Units led by a party committee or leading party group (党委/党组/党工委, 乡镇党委). */
const COMMITTEES: UnitType[] = ['党委', '党组', '党工委', '乡镇'];
/** Every unit with its own party organization that studies (not functional departments or "other"). */
const STUDYING: UnitType[] = ['党委', '党组', '党工委', '乡镇', '党总支', '党支部', '村', '社区', '学校'];

export interface DefaultRule {
  code: string;
  name: string;
  basis: string;
  unitTypes: UnitType[];
  source: 'meeting' | 'studyPlan';
  kindNames: string[];
  tags: string[];
  minCount: number;
  period: 'month' | 'quarter' | 'halfYear' | 'year';
  dueDay: number | null;
}

/** The rules the seeds state ([002], [003], [004]). */
export const defaultRules: DefaultRule[] = [
  {
    code: 'committeeIdeologyHalfYear',
    name: '党委(党组)每半年至少专题研究一次意识形态工作',
    basis: '区委常委会和基层党委（党组）每半年要至少一次专题研究意识形态工作 [002]',
    unitTypes: COMMITTEES,
    source: 'meeting',
    kindNames: ['党委(党组)会议专题研究意识形态工作'],
    tags: [],
    minCount: 1,
    period: 'halfYear',
    dueDay: null,
  },
  {
    code: 'centralGroupIdeologyYear',
    name: '理论学习中心组每年至少2次学习意识形态工作',
    basis: '中心组每年不少于2次学习中央、市委、区委意识形态工作的重要文件精神 [004]',
    unitTypes: COMMITTEES,
    source: 'meeting',
    kindNames: ['理论学习中心组学习'],
    tags: ['意识形态'],
    minCount: 2,
    period: 'year',
    dueDay: null,
  },
  {
    code: 'studyPlanMonthly',
    name: '每月制定学习计划',
    basis: '按月制定学习计划，建立定期调阅学习笔记和交流学习心得 [003]',
    unitTypes: STUDYING,
    source: 'studyPlan',
    kindNames: [],
    tags: [],
    minCount: 1,
    period: 'month',
    dueDay: null,
  },
  {
    code: 'democraticLifeIdeologyYear',
    name: '民主生活会每年将意识形态工作作为重要内容',
    basis: '意识形态工作要作为领导班子成员民主生活会的重要内容 [003][004]',
    unitTypes: COMMITTEES,
    source: 'meeting',
    kindNames: ['民主生活会'],
    tags: ['意识形态'],
    minCount: 1,
    period: 'year',
    dueDay: null,
  },
];

async function kindNamesById(ctx: Ctx): Promise<Map<string, string>> {
  const rows = await ctx.db.select({ id: meetingKinds.id, name: meetingKinds.name }).from(meetingKinds);
  return new Map(rows.map((r) => [r.id, r.name]));
}

export function toRule(r: RuleRow, kindNames: Map<string, string>): ComplianceRule {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    basis: r.basis,
    unitTypes: r.unitTypes,
    source: r.source as ComplianceRule['source'],
    kindIds: r.kindIds,
    kindNames: r.kindIds.map((id) => kindNames.get(id) ?? '（已删除的会议类型）'),
    tags: r.tags,
    minCount: r.minCount,
    period: r.period as ComplianceRule['period'],
    dueDay: r.dueDay,
    active: r.active,
    sort: r.sort,
    updatedAt: r.updatedAt.toISOString(),
  };
}

/**
 * Inserts the default rules that are missing (by code). Idempotent and safe under races (unique code,
 * ON CONFLICT DO NOTHING); a default rule edited or deactivated by an admin is never reset.
 */
export async function ensureDefaultRules(ctx: Ctx): Promise<void> {
  const present = await ctx.db.select({ code: complianceRules.code }).from(complianceRules).where(isNotNull(complianceRules.code));
  const have = new Set(present.map((r) => r.code));
  const missing = defaultRules.filter((r) => !have.has(r.code));
  if (missing.length === 0) return;
  await ensureMeetingKinds(ctx);
  const kinds = await ctx.db.select({ id: meetingKinds.id, name: meetingKinds.name }).from(meetingKinds);
  const idOf = new Map(kinds.map((k) => [k.name, k.id]));
  await ctx.db
    .insert(complianceRules)
    .values(
      missing.map((r) => ({
        code: r.code,
        name: r.name,
        basis: r.basis,
        unitTypes: r.unitTypes,
        source: r.source,
        kindIds: r.kindNames.map((n) => idOf.get(n)).filter((id): id is string => !!id),
        tags: r.tags,
        minCount: r.minCount,
        period: r.period,
        dueDay: r.dueDay,
        sort: (defaultRules.indexOf(r) + 1) * 10,
      })),
    )
    .onConflictDoNothing();
}

function requireReader(ctx: Ctx): Actor {
  const actor = requireActor(ctx.actor);
  if (!hasPermission(actor, 'compliance.read')) throw forbidden();
  return actor;
}

/** All rules (active and not), in their order. */
export async function listRules(ctx: Ctx): Promise<ComplianceRule[]> {
  requireReader(ctx);
  return selectRules(ctx);
}

async function selectRules(ctx: Ctx, where?: SQL): Promise<ComplianceRule[]> {
  const rows = await ctx.db.select().from(complianceRules).where(where).orderBy(asc(complianceRules.sort), asc(complianceRules.name));
  const names = await kindNamesById(ctx);
  return rows.map((r) => toRule(r, names));
}

/** The active rules that fall to a unit (by its type): for the duty lists and the unit's calendar. */
export async function rulesForUnit(ctx: Ctx, unitId: string): Promise<ComplianceRule[]> {
  const [unit] = await ctx.db.select({ type: units.type }).from(units).where(eq(units.id, unitId)).limit(1);
  if (!unit) throw notFound('单位不存在或无权查看');
  await requireRecordInScope(ctx.db, ctx.actor, 'compliance.read', unitId);
  return selectRules(ctx, and(eq(complianceRules.active, true), sql`${unit.type} = ANY(${complianceRules.unitTypes})`));
}

/**
 * The active rules for units of `unitType`. Rules are global (like the dictionaries): anyone may read them,
 * no unit scope applies. For the duty lists of a unit the caller already reads.
 */
export async function rulesForUnitType(ctx: Ctx, unitType: string): Promise<ComplianceRule[]> {
  requireActor(ctx.actor);
  return selectRules(ctx, and(eq(complianceRules.active, true), sql`${unitType} = ANY(${complianceRules.unitTypes})`));
}

/** 403 unless the actor's post grants `rule.manage` and acts in a top unit (rules are global). */
async function requireRuleManager(ctx: Ctx): Promise<Actor> {
  const actor = requireActor(ctx.actor);
  if (!hasPermission(actor, 'rule.manage') || !actor.post) throw forbidden('只有顶级单位的管理员可以维护制度要求');
  const [root] = await ctx.db.select({ parentId: units.parentId }).from(units).where(eq(units.id, actor.post.scopeRootId)).limit(1);
  if (!root || root.parentId !== null) throw forbidden('只有顶级单位的管理员可以维护制度要求');
  return actor;
}

/** A rule must be coherent as a whole: meeting rules name kinds that exist; study-plan rules take no kinds/tags. */
async function checkRule(ctx: Ctx, r: Pick<RuleRow, 'source' | 'kindIds' | 'tags' | 'period' | 'dueDay'>): Promise<void> {
  const fields: Record<string, string> = {};
  if (r.source === 'meeting') {
    if (r.kindIds.length === 0) fields.kindIds = '请选择计数的会议类型';
    else {
      const found = await ctx.db.select({ id: meetingKinds.id }).from(meetingKinds).where(inArray(meetingKinds.id, r.kindIds));
      if (found.length !== new Set(r.kindIds).size) fields.kindIds = '会议类型不存在';
    }
  } else {
    if (r.kindIds.length) fields.kindIds = '学习计划类制度不按会议类型计数';
    if (r.tags.length) fields.tags = '学习计划类制度不按标签计数';
  }
  const maxDays = { month: 28, quarter: 90, halfYear: 181, year: 365 }[r.period as 'month'];
  if (r.dueDay !== null && maxDays !== undefined && r.dueDay > maxDays) fields.dueDay = `该周期的期限天数不能超过${maxDays}天`;
  if (Object.keys(fields).length) throw invalid(fields);
}

const uniq = <T>(xs: T[]) => [...new Set(xs)];

export async function createRule(ctx: Ctx, input: CreateRuleBody): Promise<ComplianceRule> {
  const actor = await requireRuleManager(ctx);
  const values = { ...input, unitTypes: uniq(input.unitTypes), kindIds: uniq(input.kindIds), tags: uniq(input.tags) };
  await checkRule(ctx, values);
  const row = await inTx(ctx, async (tx) => {
    const [row] = await tx.db.insert(complianceRules).values(values).returning();
    await writeAudit(tx, { action: 'create', entity: 'complianceRule', entityId: row!.id, unitId: actor.post!.scopeRootId, after: row });
    return row!;
  });
  return toRule(row, await kindNamesById(ctx));
}

export async function updateRule(ctx: Ctx, id: string, input: UpdateRuleBody): Promise<ComplianceRule> {
  const actor = await requireRuleManager(ctx);
  const row = await inTx(ctx, async (tx) => {
    const [before] = await tx.db.select().from(complianceRules).where(eq(complianceRules.id, id)).for('update');
    if (!before) throw notFound('制度要求不存在');
    const patch: Partial<RuleRow> = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
    if (Object.keys(patch).length === 0) return before;
    if (patch.unitTypes) patch.unitTypes = uniq(patch.unitTypes);
    if (patch.kindIds) patch.kindIds = uniq(patch.kindIds);
    if (patch.tags) patch.tags = uniq(patch.tags);
    await checkRule(tx, { ...before, ...patch });
    const [after] = await tx.db
      .update(complianceRules)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(complianceRules.id, id))
      .returning();
    await writeAudit(tx, { action: 'update', entity: 'complianceRule', entityId: id, unitId: actor.post!.scopeRootId, before, after });
    return after!;
  });
  return toRule(row, await kindNamesById(ctx));
}
