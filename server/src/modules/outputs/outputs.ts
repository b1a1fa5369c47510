/**
 * Work outputs (工作成果) of a unit: articles placed (by outlet level), awards, 文明创建 titles, volunteer
 * activities, model figures (先进典型) and staff trainings. No states: records stay editable, every change
 * audited with before and after; no delete (they are evidence for the assessment and the ledger).
 *
 * Scope: `output.read` in the unit to read (404 otherwise), `output.write` there to record (403) or edit
 * (403 for a readable record, 404 for an unreadable one).
 */
import {
  type CreateOutputBody,
  type OutputKind,
  type OutputLevel,
  type OutputListQuery,
  outputKindLabels,
  outputLevelLabels,
  outputLevels,
  type UpdateOutputBody,
  type WorkOutput,
  type WorkOutputDetail,
} from '@dutyledger/contracts';
import { and, asc, count, desc, eq, gte, lt, lte, type SQL, sql } from 'drizzle-orm';
import { linkAttachment, listAttachmentsOf, registerAttachmentEntity } from '../../core/attachments/service.js';
import { writeAudit } from '../../core/audit.js';
import { type Ctx, inTx } from '../../core/context.js';
import { invalid, notFound } from '../../core/errors.js';
import { localDate } from '../../core/periods.js';
import { units } from '../../core/schema.js';
import { inScope, requireActor, requireRecordAction, requireRecordInScope, requireUnitPermission } from '../../core/scope.js';
import { containsPattern } from '../../core/search.js';
import { regionOf } from '../../db/distribution.js';
import { workOutputs } from './schema.js';

export const OUTPUT_ENTITY = 'outputs.output';
type Row = typeof workOutputs.$inferSelect;

const baseQuery = (ctx: Ctx) =>
  ctx.db.select({ o: workOutputs, unitName: units.name }).from(workOutputs).innerJoin(units, eq(units.id, workOutputs.unitId));

function toOutput({ o, unitName }: { o: Row; unitName: string }): WorkOutput {
  const level = (o.level as OutputLevel | null) ?? null;
  return {
    id: o.id,
    unitId: o.unitId,
    unitName,
    kind: o.kind as OutputKind,
    kindLabel: outputKindLabels[o.kind as OutputKind] ?? o.kind,
    title: o.title,
    occurredOn: o.occurredOn,
    level,
    levelLabel: level ? outputLevelLabels[level] : null,
    outlet: o.outlet,
    link: o.link,
    participants: o.participants,
    hours: o.hours,
    description: o.description,
    createdAt: o.createdAt.toISOString(),
    updatedAt: o.updatedAt.toISOString(),
  };
}

const readable = (ctx: Ctx): SQL => inScope(ctx.actor, 'output.read', workOutputs.unitId);

type Fields = Pick<Row, 'kind' | 'occurredOn' | 'level' | 'outlet' | 'participants' | 'hours'>;

/** What each kind needs: an article its outlet and level; a volunteer activity its participants and hours. */
function checkKind(r: Fields): void {
  const fields: Record<string, string> = {};
  if (r.occurredOn > localDate(new Date())) fields.occurredOn = '日期不能晚于今天（尚未发生的成果不能登记）';
  if (r.kind === 'article') {
    if (!r.outlet) fields.outlet = '请填写刊发媒体';
    if (!r.level) fields.level = '请选择媒体级别';
  }
  if (r.kind === 'volunteer') {
    if (r.participants == null) fields.participants = '请填写参与人数';
    if (r.hours == null) fields.hours = '请填写服务时长';
  }
  if (r.kind === 'training' && r.participants == null) fields.participants = '请填写参训人数';
  if (Object.keys(fields).length) throw invalid(fields);
}

export async function createOutput(ctx: Ctx, input: CreateOutputBody): Promise<WorkOutputDetail> {
  const actor = requireActor(ctx.actor);
  await requireUnitPermission(ctx.db, ctx.actor, 'output.write', input.unitId);
  const values = {
    unitId: input.unitId,
    kind: input.kind,
    title: input.title,
    occurredOn: input.occurredOn,
    level: input.level ?? null,
    outlet: input.outlet ?? '',
    link: input.link ?? '',
    participants: input.participants ?? null,
    hours: input.hours ?? null,
    description: input.description ?? '',
    createdBy: actor.personId || null,
  };
  checkKind(values);
  const id = await inTx(ctx, async (tx) => {
    const [row] = await tx.db
      .insert(workOutputs)
      .values({ ...values, regionId: regionOf(values.unitId) })
      .returning();
    for (const attachmentId of input.attachmentIds ?? []) await linkAttachment(tx, attachmentId, OUTPUT_ENTITY, row!.id);
    await writeAudit(tx, { action: 'create', entity: 'workOutput', entityId: row!.id, unitId: row!.unitId, after: row });
    return row!.id;
  });
  return getOutput(ctx, id);
}

export async function updateOutput(ctx: Ctx, id: string, input: UpdateOutputBody): Promise<WorkOutputDetail> {
  requireActor(ctx.actor);
  await inTx(ctx, async (tx) => {
    const [before] = await tx.db.select().from(workOutputs).where(eq(workOutputs.id, id)).for('update');
    if (!before) throw notFound('成果记录不存在或无权查看');
    await requireRecordAction(tx.db, tx.actor, { read: 'output.read', write: 'output.write' }, before.unitId);
    const patch: Partial<Row> = {};
    for (const k of ['title', 'occurredOn', 'level', 'outlet', 'link', 'participants', 'hours', 'description'] as const)
      if (input[k] !== undefined) (patch as Record<string, unknown>)[k] = input[k];
    checkKind({ ...before, ...patch });
    const links = input.attachmentIds ?? [];
    if (Object.keys(patch).length === 0 && links.length === 0) return;
    const [after] = await tx.db
      .update(workOutputs)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(workOutputs.id, id))
      .returning();
    for (const attachmentId of links) await linkAttachment(tx, attachmentId, OUTPUT_ENTITY, id);
    await writeAudit(tx, { action: 'update', entity: 'workOutput', entityId: id, unitId: before.unitId, before, after });
  });
  return getOutput(ctx, id);
}

export async function getOutput(ctx: Ctx, id: string): Promise<WorkOutputDetail> {
  requireActor(ctx.actor);
  const [row] = await baseQuery(ctx)
    .where(and(eq(workOutputs.id, id), readable(ctx)))
    .limit(1);
  if (!row) throw notFound('成果记录不存在或无权查看');
  return { ...toOutput(row), attachments: await listAttachmentsOf(ctx, OUTPUT_ENTITY, id) };
}

/** Outputs readable by the actor, newest first; `from`/`to` are inclusive dates. */
export async function listOutputs(ctx: Ctx, q: OutputListQuery & { page: number; pageSize: number }) {
  requireActor(ctx.actor);
  const conds: (SQL | undefined)[] = [readable(ctx)];
  if (q.kind) conds.push(eq(workOutputs.kind, q.kind));
  if (q.level) conds.push(eq(workOutputs.level, q.level));
  if (q.unitId)
    conds.push(
      sql`${workOutputs.unitId} IN (SELECT u.id FROM ${units} u, ${units} f WHERE f.id = ${q.unitId} AND u.path LIKE f.path || '%')`,
    );
  if (q.from) conds.push(gte(workOutputs.occurredOn, q.from));
  if (q.to) conds.push(lte(workOutputs.occurredOn, q.to));
  if (q.q) conds.push(sql`(${workOutputs.title} ILIKE ${containsPattern(q.q)} OR ${workOutputs.outlet} ILIKE ${containsPattern(q.q)})`);
  const where = and(...conds);
  const [{ total }] = (await ctx.db.select({ total: count() }).from(workOutputs).where(where)) as [{ total: number }];
  const rows = await baseQuery(ctx)
    .where(where)
    .orderBy(desc(workOutputs.occurredOn), asc(workOutputs.id))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  return { items: rows.map(toOutput), total, page: q.page, pageSize: q.pageSize };
}

export interface OutputCounts {
  articles: Record<OutputLevel, number> & { total: number };
  awards: number;
  civilization: number;
  volunteer: { activities: number; participants: number; hours: number };
  modelFigures: number;
  trainings: { sessions: number; participants: number };
}

/**
 * For the assessment's automatic indicators: the outputs of the unit `unitId` itself (not its subtree)
 * that happened in [period.start, period.end) (Shanghai dates). Needs `output.read` on the unit (404).
 */
export async function outputCounts(ctx: Ctx, unitId: string, period: { start: Date; end: Date }): Promise<OutputCounts> {
  await requireRecordInScope(ctx.db, ctx.actor, 'output.read', unitId);
  const rows = await ctx.db
    .select({
      kind: workOutputs.kind,
      level: workOutputs.level,
      n: sql<number>`count(*)::int`,
      participants: sql<number>`coalesce(sum(${workOutputs.participants}), 0)::int`,
      hours: sql<number>`coalesce(sum(${workOutputs.hours}), 0)::float8`,
    })
    .from(workOutputs)
    .where(
      and(
        eq(workOutputs.unitId, unitId),
        gte(workOutputs.occurredOn, localDate(period.start)),
        lt(workOutputs.occurredOn, localDate(period.end)),
      ),
    )
    .groupBy(workOutputs.kind, workOutputs.level);
  const out: OutputCounts = {
    articles: { central: 0, province: 0, city: 0, county: 0, total: 0 },
    awards: 0,
    civilization: 0,
    volunteer: { activities: 0, participants: 0, hours: 0 },
    modelFigures: 0,
    trainings: { sessions: 0, participants: 0 },
  };
  for (const r of rows) {
    const n = Number(r.n);
    if (r.kind === 'article') {
      out.articles.total += n;
      if (r.level && (outputLevels as readonly string[]).includes(r.level)) out.articles[r.level as OutputLevel] += n;
    }
    if (r.kind === 'award') out.awards += n;
    if (r.kind === 'civilization') out.civilization += n;
    if (r.kind === 'modelFigure') out.modelFigures += n;
    if (r.kind === 'volunteer') {
      out.volunteer.activities += n;
      out.volunteer.participants += Number(r.participants);
      out.volunteer.hours += Number(r.hours);
    }
    if (r.kind === 'training') {
      out.trainings.sessions += n;
      out.trainings.participants += Number(r.participants);
    }
  }
  return out;
}

registerAttachmentEntity(OUTPUT_ENTITY, async (ctx, entityId) => {
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(entityId);
  const [row] = isUuid
    ? await ctx.db.select({ unitId: workOutputs.unitId }).from(workOutputs).where(eq(workOutputs.id, entityId)).limit(1)
    : [];
  if (!row) throw notFound('成果记录不存在或无权查看');
  await requireRecordAction(ctx.db, ctx.actor, { read: 'output.read', write: 'output.write' }, row.unitId);
});
