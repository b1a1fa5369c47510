/**
 * Accountability records (问责记录): the measure a unit took because a duty was not carried out, linked to
 * the failure it answers (an overdue task, an unrectified finding or item, a missing report) or described
 * freely, with the subject's right to see it and respond (说明/申诉).
 *
 * Who sees a record (everyone else gets 404, colleagues of the subject included):
 * - the subject: the person themself (whatever post they act in now), or, for a unit subject, whoever acts
 *   in that very unit with `accountability.respond` (its leader and unit admin);
 * - `accountability.read` in the deciding unit: its inspectors (纪检/巡察) and leaders, and — both roles being
 *   subtree-wide — the inspectors and leaders of the deciding unit's ancestors, who oversee it. These are
 *   the "auditors" of accountability. The 三员 安全审计员 (auditor role) does not read records: it reads the
 *   audit log, which holds every write of this module.
 * Recording needs `accountability.manage` in the deciding unit (inspector, leader). Records are evidence:
 * no edit, no delete. Only counts leave this module (`accountabilityCounts`), never names.
 */
import {
  type AccountabilityCauseType,
  type AccountabilityDetail,
  type AccountabilityListQuery,
  type AccountabilityMeasure,
  type AccountabilityRecord,
  accountabilityMeasureLabels,
  accountabilityMeasures,
  type CreateAccountabilityBody,
  type RespondAccountabilityBody,
  roleKeys,
  roles,
} from '@dutyledger/contracts';
import { and, arrayOverlaps, asc, count, desc, eq, gte, like, lt, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { linkAttachment, listAttachmentsOf, registerAttachmentEntity } from '../../core/attachments/service.js';
import { writeAudit } from '../../core/audit.js';
import { type Ctx, inTx } from '../../core/context.js';
import { AppError, invalid, notFound } from '../../core/errors.js';
import { notify } from '../../core/notifications/service.js';
import { localDate } from '../../core/periods.js';
import { people, posts, units } from '../../core/schema.js';
import { hasPermission, inScope, requireActor, requireRecordInScope, requireUnitPermission, subtreePattern } from '../../core/scope.js';
import { containsPattern } from '../../core/search.js';
import { regionOf } from '../../db/distribution.js';
import { accountabilityRecords } from './schema.js';

export const ACCOUNTABILITY_ENTITY = 'accountability.record';
type Row = typeof accountabilityRecords.$inferSelect;

const subjectPeople = alias(people, 'subject_people');
const deciderPeople = alias(people, 'decider_people');
const responderPeople = alias(people, 'responder_people');
const decidingUnits = alias(units, 'deciding_units');

/** SQL: the caller is the subject (the person, or one who answers for the subject unit in that unit). */
function isSubject(ctx: Ctx): SQL {
  const actor = ctx.actor;
  if (!actor) return sql`false`;
  const asPerson = sql`(${accountabilityRecords.subjectType} = 'person' AND ${accountabilityRecords.subjectPersonId} = ${actor.personId})`;
  const unitId = actor.post?.scopeRootId;
  if (!unitId || !hasPermission(actor, 'accountability.respond')) return asPerson;
  return sql`(${asPerson} OR (${accountabilityRecords.subjectType} = 'unit' AND ${accountabilityRecords.subjectUnitId} = ${unitId}))`;
}

/** SQL: the record is visible to the caller. */
const visible = (ctx: Ctx): SQL =>
  sql`(${isSubject(ctx)} OR ${inScope(ctx.actor, 'accountability.read', accountabilityRecords.decidingUnitId)})`;

const baseQuery = (ctx: Ctx) =>
  ctx.db
    .select({
      r: accountabilityRecords,
      subjectPersonName: subjectPeople.displayName,
      subjectUnitName: units.name,
      decidingUnitName: decidingUnits.name,
      decidedByName: deciderPeople.displayName,
      respondedByName: responderPeople.displayName,
      canRespond: sql<boolean>`${isSubject(ctx)}`,
    })
    .from(accountabilityRecords)
    .innerJoin(units, eq(units.id, accountabilityRecords.subjectUnitId))
    .innerJoin(decidingUnits, eq(decidingUnits.id, accountabilityRecords.decidingUnitId))
    .leftJoin(subjectPeople, eq(subjectPeople.id, accountabilityRecords.subjectPersonId))
    .leftJoin(deciderPeople, eq(deciderPeople.id, accountabilityRecords.decidedByPersonId))
    .leftJoin(responderPeople, eq(responderPeople.id, accountabilityRecords.respondedBy));

type Joined = {
  r: Row;
  subjectPersonName: string | null;
  subjectUnitName: string;
  decidingUnitName: string;
  decidedByName: string | null;
  respondedByName: string | null;
  canRespond: boolean;
};

function toRecord(j: Joined): AccountabilityRecord {
  const r = j.r;
  return {
    id: r.id,
    subjectType: r.subjectType as 'person' | 'unit',
    subjectPersonId: r.subjectPersonId,
    subjectPersonName: j.subjectPersonName,
    subjectUnitId: r.subjectUnitId,
    subjectUnitName: j.subjectUnitName,
    cause: { type: r.causeType as AccountabilityCauseType, id: r.causeId, label: r.causeLabel },
    measure: r.measure as AccountabilityMeasure,
    measureLabel: accountabilityMeasureLabels[r.measure as AccountabilityMeasure] ?? r.measure,
    decidingUnitId: r.decidingUnitId,
    decidingUnitName: j.decidingUnitName,
    decidedByPersonId: r.decidedByPersonId,
    decidedByName: j.decidedByName,
    decidedOn: r.decidedOn,
    description: r.description,
    response: r.response,
    respondedAt: r.respondedAt ? r.respondedAt.toISOString() : null,
    respondedByName: j.respondedByName,
    canRespond: !!j.canRespond && r.response === null,
    createdAt: r.createdAt.toISOString(),
  };
}

async function unitWithin(ctx: Ctx, outer: string, inner: string): Promise<boolean> {
  const [o] = await ctx.db.select({ path: units.path }).from(units).where(eq(units.id, outer));
  if (!o) return false;
  const rows = await ctx.db
    .select({ id: units.id })
    .from(units)
    .where(and(eq(units.id, inner), like(units.path, subtreePattern(o.path))))
    .limit(1);
  return rows.length > 0;
}

const respondRoles = roleKeys.filter((r) => roles[r].permissions.includes('accountability.respond'));

/** Who is told about a record: the person, or those who answer for the subject unit. */
async function subjectRecipients(ctx: Ctx, r: Row): Promise<string[]> {
  if (r.subjectType === 'person' && r.subjectPersonId) return [r.subjectPersonId];
  const rows = await ctx.db
    .selectDistinct({ id: posts.personId })
    .from(posts)
    .innerJoin(people, eq(people.id, posts.personId))
    .where(and(eq(posts.scopeRootId, r.subjectUnitId), eq(people.active, true), arrayOverlaps(posts.roles, respondRoles)));
  return rows.map((x) => x.id);
}

// ---- writes

export async function createAccountability(ctx: Ctx, input: CreateAccountabilityBody): Promise<AccountabilityDetail> {
  const actor = requireActor(ctx.actor);
  await requireUnitPermission(ctx.db, ctx.actor, 'accountability.manage', input.decidingUnitId);
  const fields: Record<string, string> = {};
  if (!(await unitWithin(ctx, input.decidingUnitId, input.subjectUnitId))) fields.subjectUnitId = '问责对象须为决定单位本身或其下级单位';
  if (input.subjectType === 'person' && input.subjectPersonId) {
    const [held] = await ctx.db
      .select({ id: posts.id })
      .from(posts)
      .where(and(eq(posts.personId, input.subjectPersonId), eq(posts.unitId, input.subjectUnitId)))
      .limit(1);
    if (!held) fields.subjectPersonId = '问责对象须在所选单位任职';
  }
  if (input.decidedOn > localDate(new Date())) fields.decidedOn = '决定日期不能晚于今天';
  if (Object.keys(fields).length) throw invalid(fields);
  const id = await inTx(ctx, async (tx) => {
    const [row] = await tx.db
      .insert(accountabilityRecords)
      .values({
        // the subject unit's region: the record is about it (the deciding unit is it or an upper unit)
        regionId: regionOf(input.subjectUnitId),
        subjectType: input.subjectType,
        subjectPersonId: input.subjectType === 'person' ? (input.subjectPersonId ?? null) : null,
        subjectUnitId: input.subjectUnitId,
        causeType: input.cause.type,
        causeId: input.cause.id ?? null,
        causeLabel: input.cause.label,
        measure: input.measure,
        decidingUnitId: input.decidingUnitId,
        decidedByPersonId: actor.personId || null,
        decidedOn: input.decidedOn,
        description: input.description,
      })
      .returning();
    for (const attachmentId of input.attachmentIds ?? []) await linkAttachment(tx, attachmentId, ACCOUNTABILITY_ENTITY, row!.id);
    await writeAudit(tx, { action: 'create', entity: 'accountability', entityId: row!.id, unitId: row!.decidingUnitId, after: row });
    await notify(tx, {
      personIds: (await subjectRecipients(tx, row!)).filter((p) => p !== actor.personId),
      title: `问责决定：${accountabilityMeasureLabels[input.measure]}`,
      body: `事由：${input.cause.label}。您可查看并提交书面说明或申诉。`,
      link: `/accountability?open=${row!.id}`,
    });
    return row!.id;
  });
  return getAccountability(ctx, id);
}

/** The subject's written response (说明/申诉): once, by the subject; a second response is a 409. */
export async function respondAccountability(ctx: Ctx, id: string, input: RespondAccountabilityBody): Promise<AccountabilityDetail> {
  const actor = requireActor(ctx.actor);
  await inTx(ctx, async (tx) => {
    const [locked] = await tx.db.select().from(accountabilityRecords).where(eq(accountabilityRecords.id, id)).for('update');
    if (!locked) throw notFound('问责记录不存在或无权查看');
    const [mine] = await tx.db
      .select({ subject: sql<boolean>`${isSubject(tx)}`, visible: sql<boolean>`${visible(tx)}` })
      .from(accountabilityRecords)
      .where(eq(accountabilityRecords.id, id));
    if (!mine?.visible) throw notFound('问责记录不存在或无权查看');
    if (!mine.subject) throw new AppError('FORBIDDEN', '只有问责对象本人（单位）可以提交说明');
    if (locked.response !== null) throw new AppError('ILLEGAL_TRANSITION', '已提交过说明或申诉，不能重复提交');
    const [after] = await tx.db
      .update(accountabilityRecords)
      .set({ response: input.response, respondedAt: new Date(), respondedBy: actor.personId })
      .where(eq(accountabilityRecords.id, id))
      .returning();
    for (const attachmentId of input.attachmentIds ?? []) await linkAttachment(tx, attachmentId, ACCOUNTABILITY_ENTITY, id);
    await writeAudit(tx, {
      action: 'respond',
      entity: 'accountability',
      entityId: id,
      unitId: locked.decidingUnitId,
      before: { response: null },
      after: { response: after!.response },
    });
    if (locked.decidedByPersonId)
      await notify(tx, {
        personIds: [locked.decidedByPersonId],
        title: '问责对象已提交说明',
        body: input.response.slice(0, 100),
        link: `/accountability?open=${id}`,
      });
  });
  return getAccountability(ctx, id);
}

// ---- reads

export async function getAccountability(ctx: Ctx, id: string): Promise<AccountabilityDetail> {
  requireActor(ctx.actor);
  const [row] = await baseQuery(ctx)
    .where(and(eq(accountabilityRecords.id, id), visible(ctx)))
    .limit(1);
  if (!row) throw notFound('问责记录不存在或无权查看');
  return { ...toRecord(row), attachments: await listAttachmentsOf(ctx, ACCOUNTABILITY_ENTITY, id) };
}

export async function listAccountability(ctx: Ctx, q: AccountabilityListQuery & { page: number; pageSize: number }) {
  requireActor(ctx.actor);
  const conds: (SQL | undefined)[] = [visible(ctx)];
  if (q.mine === 'true') conds.push(isSubject(ctx));
  if (q.measure) conds.push(eq(accountabilityRecords.measure, q.measure));
  if (q.unitId)
    conds.push(
      sql`${accountabilityRecords.subjectUnitId} IN (SELECT u.id FROM ${units} u, ${units} f WHERE f.id = ${q.unitId} AND u.path LIKE f.path || '%')`,
    );
  if (q.q)
    conds.push(
      sql`(${accountabilityRecords.causeLabel} ILIKE ${containsPattern(q.q)} OR ${accountabilityRecords.description} ILIKE ${containsPattern(q.q)})`,
    );
  const where = and(...conds);
  const [{ total }] = (await ctx.db.select({ total: count() }).from(accountabilityRecords).where(where)) as [{ total: number }];
  const rows = await baseQuery(ctx)
    .where(where)
    .orderBy(desc(accountabilityRecords.decidedOn), asc(accountabilityRecords.id))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  return { items: rows.map(toRecord), total, page: q.page, pageSize: q.pageSize };
}

/**
 * For the ledger: how many accountability measures were decided in `period` about subjects in the subtree
 * of `rootUnitId`, in total and per measure. Counts only, never names. Needs `unit.read` on the root (404).
 */
export async function accountabilityCounts(
  ctx: Ctx,
  rootUnitId: string,
  period: { start: Date; end: Date },
): Promise<{ total: number; byMeasure: Record<AccountabilityMeasure, number> }> {
  await requireRecordInScope(ctx.db, ctx.actor, 'unit.read', rootUnitId);
  return countMeasures(ctx, rootUnitId, true, period);
}

/**
 * The counts of `accountabilityCounts` without the actor check, for trusted callers (the ledger, which has
 * checked `ledger.export` itself): subjects in the unit itself, or in its subtree with `includeSubtree`.
 */
export async function countMeasures(
  ctx: Ctx,
  unitId: string,
  includeSubtree: boolean,
  period: { start: Date; end: Date },
): Promise<{ total: number; byMeasure: Record<AccountabilityMeasure, number> }> {
  const rows = await ctx.db
    .select({ measure: accountabilityRecords.measure, n: count() })
    .from(accountabilityRecords)
    .innerJoin(units, eq(units.id, accountabilityRecords.subjectUnitId))
    .where(
      and(
        includeSubtree
          ? sql`${units.path} LIKE (SELECT f.path FROM ${units} f WHERE f.id = ${unitId}) || '%'`
          : eq(accountabilityRecords.subjectUnitId, unitId),
        gte(accountabilityRecords.decidedOn, localDate(period.start)),
        lt(accountabilityRecords.decidedOn, localDate(period.end)),
      ),
    )
    .groupBy(accountabilityRecords.measure);
  const byMeasure = Object.fromEntries(accountabilityMeasures.map((m) => [m, 0])) as Record<AccountabilityMeasure, number>;
  for (const r of rows) if (r.measure in byMeasure) byMeasure[r.measure as AccountabilityMeasure] = Number(r.n);
  return { total: Object.values(byMeasure).reduce((a, b) => a + b, 0), byMeasure };
}

// ---- attachments: the deciding side (decision documents) or the subject (with their response)

registerAttachmentEntity(ACCOUNTABILITY_ENTITY, async (ctx, entityId) => {
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(entityId);
  const [row] = isUuid
    ? await ctx.db
        .select({
          manage: sql<boolean>`${inScope(ctx.actor, 'accountability.manage', accountabilityRecords.decidingUnitId)}`,
          subject: sql<boolean>`${isSubject(ctx)}`,
        })
        .from(accountabilityRecords)
        .where(eq(accountabilityRecords.id, entityId))
        .limit(1)
    : [];
  if (!row || !(row.manage || row.subject)) throw notFound('问责记录不存在或无权查看');
});
