/**
 * Channels (阵地): the registry of a unit's own channels and each one's review chain (1–3 levels, the people
 * who may review at each level). Reading needs `channel.read` in the channel's unit (404 otherwise);
 * creating and changing need `channel.manage` there. Channels are closed (status 关停), never deleted.
 */
import {
  type Channel,
  type ChannelDetail,
  type ChannelListQuery,
  type ChannelStat,
  type ChannelStatus,
  type CreateChannelBody,
  channelStatusLabels,
  type UpdateChannelBody,
} from '@dutyledger/contracts';
import { and, asc, count, eq, inArray, or, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { writeAudit } from '../../core/audit.js';
import { type Ctx, inTx } from '../../core/context.js';
import { invalid, notFound } from '../../core/errors.js';
import { people, posts, units } from '../../core/schema.js';
import { inScope, requireActor, requireRecordAction, requireUnitPermission } from '../../core/scope.js';
import { containsPattern } from '../../core/search.js';
import { regionOf } from '../../db/distribution.js';
import { activeDictItem } from './dicts.js';
import { channelDicts, channelReviewers, channels, publicationSteps, publications } from './schema.js';

type ChannelRow = typeof channels.$inferSelect;
const supervisorUnits = alias(units, 'supervisor_units');
const columns = {
  channel: channels,
  unitName: units.name,
  supervisorUnitName: supervisorUnits.name,
  typeName: channelDicts.name,
  responsibleName: people.displayName,
};
const baseQuery = (ctx: Ctx) =>
  ctx.db
    .select(columns)
    .from(channels)
    .innerJoin(units, eq(units.id, channels.unitId))
    .innerJoin(supervisorUnits, eq(supervisorUnits.id, channels.supervisorUnitId))
    .innerJoin(channelDicts, eq(channelDicts.id, channels.typeId))
    .leftJoin(people, eq(people.id, channels.responsiblePersonId));

function toChannel(r: {
  channel: ChannelRow;
  unitName: string;
  supervisorUnitName: string;
  typeName: string;
  responsibleName: string | null;
}): Channel {
  const c = r.channel;
  const status = c.status as ChannelStatus;
  return {
    id: c.id,
    unitId: c.unitId,
    unitName: r.unitName,
    supervisorUnitId: c.supervisorUnitId,
    supervisorUnitName: r.supervisorUnitName,
    typeId: c.typeId,
    typeName: r.typeName,
    name: c.name,
    address: c.address,
    responsiblePersonId: c.responsiblePersonId,
    responsibleName: r.responsibleName,
    status,
    statusLabel: channelStatusLabels[status],
    reviewLevels: c.reviewLevels,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

export const channelReadable = (ctx: Ctx): SQL => inScope(ctx.actor, 'channel.read', channels.unitId);

// ---- validation

async function ancestorIdsOf(ctx: Ctx, unitId: string): Promise<string[]> {
  const [u] = await ctx.db.select({ path: units.path }).from(units).where(eq(units.id, unitId)).limit(1);
  if (!u) throw invalid({ unitId: '单位不存在' });
  return u.path.split('/').filter(Boolean);
}

/** Of `ids`, those who are not active people with a post in one of `unitIds`. */
async function outsiders(ctx: Ctx, unitIds: string[], ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await ctx.db
    .selectDistinct({ id: posts.personId })
    .from(posts)
    .innerJoin(people, eq(people.id, posts.personId))
    .where(
      and(
        inArray(posts.personId, ids),
        // a functional department acts for its committee: its posts' scope root counts too
        or(inArray(posts.unitId, unitIds), inArray(posts.scopeRootId, unitIds)),
        eq(people.active, true),
      ),
    );
  const inside = new Set(rows.map((r) => r.id));
  return ids.filter((id) => !inside.has(id));
}

/** Supervisor: the unit or an ancestor; responsible person and reviewers: people of the unit or an ancestor. */
async function checkChannel(
  ctx: Ctx,
  unitId: string,
  input: { supervisorUnitId?: string; typeId?: string; responsiblePersonId?: string | null; reviewChain?: string[][] },
): Promise<void> {
  const fields: Record<string, string> = {};
  const lineage = await ancestorIdsOf(ctx, unitId);
  if (input.supervisorUnitId && !lineage.includes(input.supervisorUnitId)) fields.supervisorUnitId = '主管单位须为主办单位本身或其上级单位';
  if (input.typeId && !(await activeDictItem(ctx, 'channelType', input.typeId))) fields.typeId = '阵地类型不存在或已停用';
  if (input.responsiblePersonId && (await outsiders(ctx, lineage, [input.responsiblePersonId])).length)
    fields.responsiblePersonId = '责任人须为本单位或上级单位人员';
  if (input.reviewChain) {
    input.reviewChain.forEach((ids, i) => {
      if (new Set(ids).size !== ids.length) fields[`reviewChain.${i}`] = '同一级审核人重复';
    });
    const all = [...new Set(input.reviewChain.flat())];
    const out = await outsiders(ctx, lineage, all);
    if (out.length) fields.reviewChain = '审核人须为本单位或上级单位的在职人员';
  }
  if (Object.keys(fields).length) throw invalid(fields);
}

/** The review chain is stored in the channel's region (co-located with it). */
async function replaceReviewers(ctx: Ctx, channel: { id: string; regionId: string }, chain: string[][]): Promise<void> {
  const { id: channelId, regionId } = channel;
  await ctx.db.delete(channelReviewers).where(eq(channelReviewers.channelId, channelId));
  const rows = chain.flatMap((ids, i) => ids.map((personId) => ({ regionId, channelId, level: i + 1, personId })));
  if (rows.length) await ctx.db.insert(channelReviewers).values(rows);
}

async function reviewersOf(ctx: Ctx, channelId: string) {
  return ctx.db
    .select({ level: channelReviewers.level, personId: channelReviewers.personId, displayName: people.displayName })
    .from(channelReviewers)
    .innerJoin(people, eq(people.id, channelReviewers.personId))
    .where(eq(channelReviewers.channelId, channelId))
    .orderBy(asc(channelReviewers.level), asc(people.displayName), asc(people.id));
}

async function snapshot(ctx: Ctx, id: string) {
  const [row] = await ctx.db.select().from(channels).where(eq(channels.id, id));
  const reviewers = await ctx.db
    .select({ level: channelReviewers.level, personId: channelReviewers.personId })
    .from(channelReviewers)
    .where(eq(channelReviewers.channelId, id))
    .orderBy(asc(channelReviewers.level), asc(channelReviewers.personId));
  return { ...row!, reviewers };
}

// ---- writes

export async function createChannel(ctx: Ctx, input: CreateChannelBody): Promise<ChannelDetail> {
  requireActor(ctx.actor);
  await requireUnitPermission(ctx.db, ctx.actor, 'channel.manage', input.unitId);
  await checkChannel(ctx, input.unitId, input);
  const id = await inTx(ctx, async (tx) => {
    const [row] = await tx.db
      .insert(channels)
      .values({
        regionId: regionOf(input.unitId),
        unitId: input.unitId,
        supervisorUnitId: input.supervisorUnitId,
        typeId: input.typeId,
        name: input.name,
        address: input.address ?? '',
        responsiblePersonId: input.responsiblePersonId ?? null,
        status: input.status ?? 'running',
        reviewLevels: input.reviewChain.length,
      })
      .returning();
    await replaceReviewers(tx, row!, input.reviewChain);
    await writeAudit(tx, {
      action: 'create',
      entity: 'channel',
      entityId: row!.id,
      unitId: row!.unitId,
      after: await snapshot(tx, row!.id),
    });
    return row!.id;
  });
  return getChannel(ctx, id);
}

export async function updateChannel(ctx: Ctx, id: string, input: UpdateChannelBody): Promise<ChannelDetail> {
  requireActor(ctx.actor);
  await inTx(ctx, async (tx) => {
    const [locked] = await tx.db.select().from(channels).where(eq(channels.id, id)).for('update');
    if (!locked) throw notFound('阵地不存在或无权查看');
    await requireRecordAction(tx.db, tx.actor, { read: 'channel.read', write: 'channel.manage' }, locked.unitId);
    await checkChannel(tx, locked.unitId, input);
    const patch: Partial<ChannelRow> = {};
    for (const k of ['supervisorUnitId', 'typeId', 'name', 'address', 'responsiblePersonId', 'status'] as const) {
      if (input[k] !== undefined) (patch as Record<string, unknown>)[k] = input[k];
    }
    if (input.reviewChain) patch.reviewLevels = input.reviewChain.length;
    if (Object.keys(patch).length === 0) return;
    const before = await snapshot(tx, id);
    await tx.db
      .update(channels)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(channels.id, id));
    if (input.reviewChain) await replaceReviewers(tx, locked, input.reviewChain);
    await writeAudit(tx, {
      action: 'update',
      entity: 'channel',
      entityId: id,
      unitId: locked.unitId,
      before,
      after: await snapshot(tx, id),
    });
  });
  return getChannel(ctx, id);
}

// ---- reads

export async function getChannel(ctx: Ctx, id: string): Promise<ChannelDetail> {
  requireActor(ctx.actor);
  const [row] = await baseQuery(ctx)
    .where(and(eq(channels.id, id), channelReadable(ctx)))
    .limit(1);
  if (!row) throw notFound('阵地不存在或无权查看');
  return { ...toChannel(row), reviewers: await reviewersOf(ctx, id) };
}

export async function listChannels(ctx: Ctx, q: ChannelListQuery & { page: number; pageSize: number }) {
  requireActor(ctx.actor);
  const conds: (SQL | undefined)[] = [channelReadable(ctx)];
  if (q.unitId) conds.push(eq(channels.unitId, q.unitId));
  if (q.typeId) conds.push(eq(channels.typeId, q.typeId));
  if (q.status) conds.push(eq(channels.status, q.status));
  if (q.q) conds.push(sql`(${channels.name} ILIKE ${containsPattern(q.q)} OR ${channels.address} ILIKE ${containsPattern(q.q)})`);
  const where = and(...conds);
  const [{ total }] = (await ctx.db.select({ total: count() }).from(channels).where(where)) as [{ total: number }];
  const rows = await baseQuery(ctx)
    .where(where)
    .orderBy(asc(units.path), asc(channelDicts.sort), asc(channels.name), asc(channels.id))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  return { items: rows.map(toChannel), total, page: q.page, pageSize: q.pageSize };
}

/**
 * Per-channel statistics over the readable channels: items submitted (ever left the draft state), returns,
 * published, and the median time from an item's last submission to its final approval.
 */
export async function channelStats(ctx: Ctx, q: { unitId?: string }): Promise<ChannelStat[]> {
  requireActor(ctx.actor);
  const conds: (SQL | undefined)[] = [channelReadable(ctx)];
  if (q.unitId) conds.push(eq(channels.unitId, q.unitId));
  const submitted = ctx.db
    .select({ channelId: publications.channelId, n: count().as('n') })
    .from(publications)
    .where(sql`${publications.state} <> 'draft'`)
    .groupBy(publications.channelId)
    .as('submitted');
  const published = ctx.db
    .select({ channelId: publications.channelId, n: count().as('pn') })
    .from(publications)
    .where(inArray(publications.state, ['published', 'withdrawn']))
    .groupBy(publications.channelId)
    .as('published');
  const returned = ctx.db
    .select({ channelId: publications.channelId, n: count().as('rn') })
    .from(publicationSteps)
    .innerJoin(publications, eq(publications.id, publicationSteps.publicationId))
    .where(eq(publicationSteps.action, 'return'))
    .groupBy(publications.channelId)
    .as('returned');
  // review time of an item: final approval (→ toPublish) minus the latest submission before it
  const reviewTimes = sql`(
    SELECT p.channel_id AS channel_id,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM (fin.created_at - sub.created_at)) / 3600.0) AS median_hours
    FROM ${publicationSteps} fin
    JOIN ${publications} p ON p.id = fin.publication_id
    JOIN LATERAL (
      SELECT s.created_at FROM ${publicationSteps} s
      WHERE s.publication_id = fin.publication_id AND s.action = 'submit' AND s.created_at <= fin.created_at
      ORDER BY s.created_at DESC LIMIT 1
    ) sub ON true
    WHERE fin.action = 'approve' AND fin.to_state = 'toPublish'
    GROUP BY p.channel_id
  ) review_times`;
  const rows = await ctx.db
    .select({
      channelId: channels.id,
      channelName: channels.name,
      unitName: units.name,
      submitted: sql<number>`coalesce(${submitted.n}, 0)::int`,
      returned: sql<number>`coalesce(${returned.n}, 0)::int`,
      published: sql<number>`coalesce(${published.n}, 0)::int`,
      medianReviewHours: sql<number | null>`review_times.median_hours::float8`,
    })
    .from(channels)
    .innerJoin(units, eq(units.id, channels.unitId))
    .leftJoin(submitted, eq(submitted.channelId, channels.id))
    .leftJoin(returned, eq(returned.channelId, channels.id))
    .leftJoin(published, eq(published.channelId, channels.id))
    .leftJoin(reviewTimes, sql`review_times.channel_id = ${channels.id}`)
    .where(and(...conds))
    .orderBy(asc(units.path), asc(channels.name));
  return rows.map((r) => ({
    ...r,
    submitted: Number(r.submitted),
    returned: Number(r.returned),
    published: Number(r.published),
    medianReviewHours: r.medianReviewHours === null ? null : Math.round(Number(r.medianReviewHours) * 10) / 10,
  }));
}

/** The channel row (no scope check: callers check). */
export async function channelRow(ctx: Ctx, id: string): Promise<ChannelRow | null> {
  const [row] = await ctx.db.select().from(channels).where(eq(channels.id, id)).limit(1);
  return row ?? null;
}

/** Whether `personId` is named at `level` of the channel's chain. */
export async function isReviewerAt(ctx: Ctx, channelId: string, level: number, personId: string): Promise<boolean> {
  const rows = await ctx.db
    .select({ p: channelReviewers.personId })
    .from(channelReviewers)
    .where(and(eq(channelReviewers.channelId, channelId), eq(channelReviewers.level, level), eq(channelReviewers.personId, personId)))
    .limit(1);
  return rows.length > 0;
}

export async function reviewerIdsAt(ctx: Ctx, channelId: string, level: number): Promise<string[]> {
  const rows = await ctx.db
    .select({ p: channelReviewers.personId })
    .from(channelReviewers)
    .where(and(eq(channelReviewers.channelId, channelId), eq(channelReviewers.level, level)));
  return rows.map((r) => r.p);
}
