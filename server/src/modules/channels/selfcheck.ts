/**
 * Self-check (自查摸排): a round per unit and quarter, opened by the quarterly job (idempotent) or by the
 * unit's admin, with the checklist template copied from the dictionary; one result per channel of the unit
 * with the problems found. A problem becomes a task through the duty module (`createLinkedTask`); the task
 * records the problem as its source and the result keeps the task id: linked both ways.
 *
 * Scope: reading `channel.read` in the round's unit (404 otherwise); opening `channel.manage`; results
 * `selfCheck.write`; turning a problem into a task needs `task.assign` there (checked by the duty module).
 */
import type { SaveSelfCheckResultBody, SelfCheckResult, SelfCheckRound, SelfCheckRoundDetail } from '@dutyledger/contracts';
import { and, asc, count, desc, eq, ne, type SQL, sql } from 'drizzle-orm';
import { writeAudit } from '../../core/audit.js';
import { type Ctx, inTx } from '../../core/context.js';
import { AppError, forbidden, invalid, notFound } from '../../core/errors.js';
import { periodContaining, periodOf } from '../../core/periods.js';
import { claimOnce, registerJob } from '../../core/scheduler.js';
import { units } from '../../core/schema.js';
import { canInUnit, inScope, requireActor, requireRecordInScope, requireUnitPermission } from '../../core/scope.js';
import { regionOf } from '../../db/distribution.js';
import { createLinkedTask } from '../duty/service.js';
import { channelDicts, channels, selfCheckResults, selfCheckRounds } from './schema.js';

type RoundRow = typeof selfCheckRounds.$inferSelect;
type ResultRow = typeof selfCheckResults.$inferSelect;

/** Channels a round covers: the unit's channels that are not closed. */
const coveredChannels = (unitCol: SQL | typeof selfCheckRounds.unitId) =>
  sql<number>`(SELECT count(*) FROM ${channels} WHERE ${channels.unitId} = ${unitCol} AND ${channels.status} <> 'closed')::int`;

function toRound(r: { round: RoundRow; unitName: string; channelCount: number; checkedCount: number }): SelfCheckRound {
  return {
    id: r.round.id,
    unitId: r.round.unitId,
    unitName: r.unitName,
    periodKey: r.round.periodKey,
    label: r.round.label,
    items: r.round.items,
    dueAt: r.round.dueAt.toISOString(),
    channelCount: Number(r.channelCount),
    checkedCount: Number(r.checkedCount),
    createdAt: r.round.createdAt.toISOString(),
  };
}
const roundQuery = (ctx: Ctx) =>
  ctx.db
    .select({
      round: selfCheckRounds,
      unitName: units.name,
      channelCount: coveredChannels(selfCheckRounds.unitId),
      checkedCount: sql<number>`(SELECT count(*) FROM ${selfCheckResults} WHERE ${selfCheckResults.roundId} = ${selfCheckRounds.id})::int`,
    })
    .from(selfCheckRounds)
    .innerJoin(units, eq(units.id, selfCheckRounds.unitId));

function toResult(r: ResultRow, channelName: string): SelfCheckResult {
  return {
    id: r.id,
    roundId: r.roundId,
    channelId: r.channelId,
    channelName,
    answers: r.answers,
    problems: r.problems,
    checkedBy: r.checkedBy,
    checkedAt: r.checkedAt.toISOString(),
  };
}

// ---- opening rounds

/** Opens the quarter's round of `unitId` unless it exists (no permission check: callers check). */
async function openRoundUnchecked(ctx: Ctx, unitId: string, year: number, quarter: number): Promise<{ id: string; created: boolean }> {
  const period = periodOf('quarter', year, quarter);
  const items = await ctx.db
    .select({ name: channelDicts.name })
    .from(channelDicts)
    .where(and(eq(channelDicts.kind, 'selfCheckItem'), eq(channelDicts.active, true)))
    .orderBy(asc(channelDicts.sort));
  return inTx(ctx, async (tx) => {
    const [row] = await tx.db
      .insert(selfCheckRounds)
      .values({
        regionId: regionOf(unitId),
        unitId,
        periodKey: period.key,
        label: `${period.label}阵地自查`,
        items: items.map((i) => i.name),
        dueAt: period.end,
      })
      .onConflictDoNothing()
      .returning();
    if (row) {
      await writeAudit(tx, { action: 'create', entity: 'selfCheckRound', entityId: row.id, unitId, after: row });
      return { id: row.id, created: true };
    }
    const [existing] = await tx.db
      .select({ id: selfCheckRounds.id })
      .from(selfCheckRounds)
      .where(and(eq(selfCheckRounds.unitId, unitId), eq(selfCheckRounds.periodKey, period.key)));
    return { id: existing!.id, created: false };
  });
}

export async function openSelfCheckRound(
  ctx: Ctx,
  input: { unitId: string; year?: number; quarter?: number },
): Promise<SelfCheckRoundDetail> {
  requireActor(ctx.actor);
  await requireUnitPermission(ctx.db, ctx.actor, 'channel.manage', input.unitId);
  const current = periodContaining('quarter', new Date());
  const { id } = await openRoundUnchecked(ctx, input.unitId, input.year ?? current.year, input.quarter ?? current.index);
  return getSelfCheckRound(ctx, id);
}

/** The quarterly job: a round for every unit with open channels, once per unit and quarter. */
export async function openQuarterRounds(ctx: Ctx, now = new Date()): Promise<number> {
  const period = periodContaining('quarter', now);
  const unitIds = await ctx.db
    .selectDistinct({ unitId: channels.unitId })
    .from(channels)
    .innerJoin(units, eq(units.id, channels.unitId))
    .where(and(ne(channels.status, 'closed'), eq(units.active, true)));
  let opened = 0;
  for (const { unitId } of unitIds) {
    await inTx(ctx, async (tx) => {
      if (!(await claimOnce(tx, `channels.selfCheck:${unitId}:${period.key}`, 'channels.selfCheck'))) return;
      if ((await openRoundUnchecked(tx, unitId, period.year, period.index)).created) opened++;
    });
  }
  return opened;
}

registerJob({
  name: 'channels.selfCheck',
  cron: '0 0 8 1 1,4,7,10 *', // 08:00 on the first day of each quarter, Asia/Shanghai
  run: async (ctx) => {
    await openQuarterRounds(ctx);
  },
});

// ---- reads

export async function listSelfCheckRounds(ctx: Ctx, q: { unitId?: string; page: number; pageSize: number }) {
  requireActor(ctx.actor);
  const conds: (SQL | undefined)[] = [inScope(ctx.actor, 'channel.read', selfCheckRounds.unitId)];
  if (q.unitId) conds.push(eq(selfCheckRounds.unitId, q.unitId));
  const where = and(...conds);
  const [{ total }] = (await ctx.db.select({ total: count() }).from(selfCheckRounds).where(where)) as [{ total: number }];
  const rows = await roundQuery(ctx)
    .where(where)
    .orderBy(desc(selfCheckRounds.periodKey), asc(units.path))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  return { items: rows.map(toRound), total, page: q.page, pageSize: q.pageSize };
}

export async function getSelfCheckRound(ctx: Ctx, id: string): Promise<SelfCheckRoundDetail> {
  requireActor(ctx.actor);
  const [row] = await roundQuery(ctx)
    .where(and(eq(selfCheckRounds.id, id), inScope(ctx.actor, 'channel.read', selfCheckRounds.unitId)))
    .limit(1);
  if (!row) throw notFound('自查记录不存在或无权查看');
  const chans = await ctx.db
    .select({ id: channels.id, name: channels.name })
    .from(channels)
    .where(and(eq(channels.unitId, row.round.unitId), ne(channels.status, 'closed')))
    .orderBy(asc(channels.name));
  const results = await ctx.db
    .select({ result: selfCheckResults, channelName: channels.name })
    .from(selfCheckResults)
    .innerJoin(channels, eq(channels.id, selfCheckResults.channelId))
    .where(eq(selfCheckResults.roundId, id));
  const byChannel = new Map(results.map((r) => [r.result.channelId, toResult(r.result, r.channelName)]));
  const listed = chans.map((c) => ({ channelId: c.id, channelName: c.name, result: byChannel.get(c.id) ?? null }));
  // results of channels closed since keep showing
  for (const r of results)
    if (!chans.some((c) => c.id === r.result.channelId))
      listed.push({ channelId: r.result.channelId, channelName: r.channelName, result: byChannel.get(r.result.channelId)! });
  return { ...toRound(row), channels: listed };
}

// ---- results

export async function saveSelfCheckResult(ctx: Ctx, roundId: string, input: SaveSelfCheckResultBody): Promise<SelfCheckRoundDetail> {
  const actor = requireActor(ctx.actor);
  await inTx(ctx, async (tx) => {
    const [round] = await tx.db.select().from(selfCheckRounds).where(eq(selfCheckRounds.id, roundId)).limit(1);
    if (!round) throw notFound('自查记录不存在或无权查看');
    await requireRecordInScope(tx.db, tx.actor, 'channel.read', round.unitId);
    if (!(await canInUnit(tx.db, tx.actor, 'selfCheck.write', round.unitId))) throw forbidden();
    const [ch] = await tx.db.select().from(channels).where(eq(channels.id, input.channelId)).limit(1);
    if (!ch || ch.unitId !== round.unitId) throw invalid({ channelId: '该阵地不属于本次自查的单位' });
    const [before] = await tx.db
      .select()
      .from(selfCheckResults)
      .where(and(eq(selfCheckResults.roundId, roundId), eq(selfCheckResults.channelId, input.channelId)))
      .for('update');
    // a problem already turned into a task stays (with its link); the others are replaced
    const linked = (before?.problems ?? []).filter((p) => p.taskId);
    const fresh = input.problems.filter((t) => !linked.some((p) => p.text === t)).map((text) => ({ text, taskId: null }));
    const values = {
      answers: input.answers.map((a) => ({ item: a.item, ok: a.ok, note: a.note ?? '' })),
      problems: [...linked, ...fresh],
      checkedBy: actor.personId || null,
      checkedAt: new Date(),
    };
    const [after] = before
      ? await tx.db.update(selfCheckResults).set(values).where(eq(selfCheckResults.id, before.id)).returning()
      : await tx.db
          .insert(selfCheckResults)
          .values({ regionId: round.regionId, roundId, channelId: input.channelId, ...values })
          .returning();
    await writeAudit(tx, {
      action: before ? 'update' : 'create',
      entity: 'selfCheckResult',
      entityId: after!.id,
      unitId: round.unitId,
      before,
      after,
    });
  });
  return getSelfCheckRound(ctx, roundId);
}

/** Turns problem `index` of a result into a task of the round's unit; the result keeps the task id. */
export async function selfCheckProblemToTask(
  ctx: Ctx,
  resultId: string,
  index: number,
  input: { deadline: string; title?: string },
): Promise<SelfCheckResult> {
  requireActor(ctx.actor);
  return inTx(ctx, async (tx) => {
    const [result] = await tx.db.select().from(selfCheckResults).where(eq(selfCheckResults.id, resultId)).for('update');
    if (!result) throw notFound('自查结果不存在或无权查看');
    const [round] = await tx.db.select().from(selfCheckRounds).where(eq(selfCheckRounds.id, result.roundId));
    await requireRecordInScope(tx.db, tx.actor, 'channel.read', round!.unitId);
    const problem = result.problems[index];
    if (!problem) throw invalid({ index: '该问题不存在' });
    if (problem.taskId) throw new AppError('ILLEGAL_TRANSITION', '该问题已转为任务');
    const [ch] = await tx.db.select({ name: channels.name }).from(channels).where(eq(channels.id, result.channelId));
    const task = await createLinkedTask(tx, {
      assignerUnitId: round!.unitId,
      assigneeUnitId: round!.unitId,
      title: input.title ?? `整改阵地自查问题：${problem.text}`.slice(0, 500),
      description: `${round!.label}，阵地「${ch!.name}」：${problem.text}`,
      deadline: input.deadline,
      source: { type: 'channels.selfCheckProblem', id: `${resultId}:${index}`, label: `阵地自查问题：${problem.text}`.slice(0, 200) },
    });
    const problems = result.problems.map((p, i) => (i === index ? { ...p, taskId: task.id } : p));
    const [after] = await tx.db.update(selfCheckResults).set({ problems }).where(eq(selfCheckResults.id, resultId)).returning();
    await writeAudit(tx, {
      action: 'problemToTask',
      entity: 'selfCheckResult',
      entityId: resultId,
      unitId: round!.unitId,
      before: result,
      after,
    });
    return toResult(after!, ch!.name);
  });
}
