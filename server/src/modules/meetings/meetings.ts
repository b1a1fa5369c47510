/**
 * Meeting records (会议记录): who met, when, on what, who attended or was absent and why, minutes,
 * resolutions and materials. A record has no states: it stays editable, and every change is audited with
 * its before and after. There is deliberately no delete: records are evidence for compliance and
 * inspection; a wrong record is corrected (and the correction audited), not removed.
 *
 * Scope: reading needs `meeting.read` in the meeting's unit (404 otherwise); writing needs `meeting.write`
 * there (403 for a new record in a unit outside the reach, 403 for a readable record).
 */
import type { CreateMeetingBody, Meeting, MeetingDetail, MeetingListQuery, UpdateMeetingBody } from '@dutyledger/contracts';
import { and, arrayContains, asc, count, desc, eq, gte, inArray, like, lt, type SQL, sql } from 'drizzle-orm';
import { linkAttachment, listAttachmentsOf, registerAttachmentEntity } from '../../core/attachments/service.js';
import { writeAudit } from '../../core/audit.js';
import { type Ctx, inTx } from '../../core/context.js';
import { invalid, notFound } from '../../core/errors.js';
import { daysBetween } from '../../core/periods.js';
import { people, posts, units } from '../../core/schema.js';
import { inScope, requireActor, requireRecordAction, requireUnitPermission, subtreePattern } from '../../core/scope.js';
import { containsPattern } from '../../core/search.js';
import { regionOf } from '../../db/distribution.js';
import { mergeResolutions } from './resolutions.js';
import { meetingAbsentees, meetingAttendees, meetingKinds, meetings } from './schema.js';

/** 补录: entered more than this many days (Shanghai calendar) after the meeting was held. */
export const BACKFILL_DAYS = 30;
export const MEETING_ENTITY = 'meetings.meeting';

type MeetingRow = typeof meetings.$inferSelect;

export function isBackfilled(m: Pick<MeetingRow, 'heldAt' | 'createdAt'>): boolean {
  return daysBetween(m.heldAt, m.createdAt) > BACKFILL_DAYS;
}

/** `isBackfilled` in SQL (calendar days in Asia/Shanghai), for the 补录 filter. */
const backfilledSql = sql`((${meetings.createdAt} AT TIME ZONE 'Asia/Shanghai')::date - (${meetings.heldAt} AT TIME ZONE 'Asia/Shanghai')::date > ${sql.raw(String(BACKFILL_DAYS))})`;

const columns = { meeting: meetings, unitName: units.name, kindName: meetingKinds.name, hostName: people.displayName };
const baseQuery = (ctx: Ctx) =>
  ctx.db
    .select(columns)
    .from(meetings)
    .innerJoin(units, eq(units.id, meetings.unitId))
    .innerJoin(meetingKinds, eq(meetingKinds.id, meetings.kindId))
    .leftJoin(people, eq(people.id, meetings.hostPersonId));

function toMeeting(r: { meeting: MeetingRow; unitName: string; kindName: string; hostName: string | null }): Meeting {
  const m = r.meeting;
  return {
    id: m.id,
    unitId: m.unitId,
    unitName: r.unitName,
    kindId: m.kindId,
    kindName: r.kindName,
    heldAt: m.heldAt.toISOString(),
    topic: m.topic,
    tags: m.tags,
    hostPersonId: m.hostPersonId,
    hostName: r.hostName,
    minutes: m.minutes,
    resolutions: m.resolutions,
    createdBy: m.createdBy,
    createdAt: m.createdAt.toISOString(),
    updatedAt: m.updatedAt.toISOString(),
    backfilled: isBackfilled(m),
  };
}

const readable = (ctx: Ctx): SQL => inScope(ctx.actor, 'meeting.read', meetings.unitId);

// ---- validation of a record against its unit

/** Trimmed (by the contract), without duplicates, in the order given. */
const uniqueTags = (tags: string[]) => [...new Set(tags)];

function heldAtOf(value: string): Date {
  const at = new Date(value);
  if (at.getTime() > Date.now()) throw invalid({ heldAt: '会议时间不能晚于当前时间（未召开的会议不能登记）' });
  return at;
}

async function requireActiveKind(ctx: Ctx, kindId: string): Promise<void> {
  const [kind] = await ctx.db.select({ active: meetingKinds.active }).from(meetingKinds).where(eq(meetingKinds.id, kindId)).limit(1);
  if (!kind) throw invalid({ kindId: '会议类型不存在' });
  if (!kind.active) throw invalid({ kindId: '会议类型已停用' });
}

/** Of `ids`, those who hold no post in the unit `unitId` or one of its descendants. */
async function outsiders(ctx: Ctx, unitId: string, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const [unit] = await ctx.db.select({ path: units.path }).from(units).where(eq(units.id, unitId)).limit(1);
  const rows = await ctx.db
    .selectDistinct({ id: posts.personId })
    .from(posts)
    .innerJoin(units, eq(units.id, posts.unitId))
    .where(and(inArray(posts.personId, ids), like(units.path, subtreePattern(unit!.path))));
  const inside = new Set(rows.map((r) => r.id));
  return ids.filter((id) => !inside.has(id));
}

interface People {
  hostPersonId?: string | null;
  attendeeIds?: string[];
  absentees?: { personId: string; reason: string }[];
}

/**
 * Host, attendees and absentees given must be people of the meeting's unit or its subtree; nobody twice,
 * nobody both present and absent (`current` holds the lists an update leaves as they are).
 */
async function checkPeople(ctx: Ctx, unitId: string, p: People, current: People = {}): Promise<void> {
  const fields: Record<string, string> = {};
  const attendees = p.attendeeIds ?? current.attendeeIds ?? [];
  const absentees = (p.absentees ?? current.absentees ?? []).map((a) => a.personId);
  if (new Set(attendees).size !== attendees.length) fields.attendeeIds = '参会人员重复';
  if (new Set(absentees).size !== absentees.length) fields.absentees = '缺席人员重复';
  if (attendees.some((id) => absentees.includes(id))) fields.absentees = '同一人员不能既参会又缺席';
  if (p.hostPersonId && (await outsiders(ctx, unitId, [p.hostPersonId])).length) fields.hostPersonId = '主持人须为本单位或下级单位人员';
  if (p.attendeeIds && (await outsiders(ctx, unitId, p.attendeeIds)).length) fields.attendeeIds = '参会人员须为本单位或下级单位人员';
  if (p.absentees && (await outsiders(ctx, unitId, absentees)).length) fields.absentees = '缺席人员须为本单位或下级单位人员';
  if (Object.keys(fields).length) throw invalid(fields);
}

/** Attendees and absentees are stored in the meeting's region (co-located with it). */
async function replacePeople(ctx: Ctx, meeting: { id: string; regionId: string }, p: People): Promise<void> {
  const { id: meetingId, regionId } = meeting;
  if (p.attendeeIds) {
    await ctx.db.delete(meetingAttendees).where(eq(meetingAttendees.meetingId, meetingId));
    if (p.attendeeIds.length)
      await ctx.db.insert(meetingAttendees).values(p.attendeeIds.map((personId) => ({ regionId, meetingId, personId })));
  }
  if (p.absentees) {
    await ctx.db.delete(meetingAbsentees).where(eq(meetingAbsentees.meetingId, meetingId));
    if (p.absentees.length) await ctx.db.insert(meetingAbsentees).values(p.absentees.map((a) => ({ regionId, meetingId, ...a })));
  }
}

/** The row plus its attendees and absentees, as the audit records it. */
async function snapshot(ctx: Ctx, id: string) {
  const [row] = await ctx.db.select().from(meetings).where(eq(meetings.id, id));
  const attendees = await ctx.db
    .select({ personId: meetingAttendees.personId })
    .from(meetingAttendees)
    .where(eq(meetingAttendees.meetingId, id))
    .orderBy(asc(meetingAttendees.personId));
  const absentees = await ctx.db
    .select({ personId: meetingAbsentees.personId, reason: meetingAbsentees.reason })
    .from(meetingAbsentees)
    .where(eq(meetingAbsentees.meetingId, id))
    .orderBy(asc(meetingAbsentees.personId));
  return { ...row!, attendeeIds: attendees.map((a) => a.personId), absentees };
}

// ---- writes

export async function createMeeting(ctx: Ctx, input: CreateMeetingBody): Promise<MeetingDetail> {
  const actor = requireActor(ctx.actor);
  await requireUnitPermission(ctx.db, ctx.actor, 'meeting.write', input.unitId);
  const heldAt = heldAtOf(input.heldAt);
  await requireActiveKind(ctx, input.kindId);
  await checkPeople(ctx, input.unitId, input);
  const id = await inTx(ctx, async (tx) => {
    const [row] = await tx.db
      .insert(meetings)
      .values({
        regionId: regionOf(input.unitId),
        unitId: input.unitId,
        kindId: input.kindId,
        heldAt,
        topic: input.topic,
        tags: uniqueTags(input.tags),
        hostPersonId: input.hostPersonId ?? null,
        minutes: input.minutes,
        resolutions: input.resolutions,
        createdBy: actor.personId || null,
      })
      .returning();
    await replacePeople(tx, row!, input);
    for (const attachmentId of input.attachmentIds ?? []) await linkAttachment(tx, attachmentId, MEETING_ENTITY, row!.id);
    await writeAudit(tx, {
      action: 'create',
      entity: 'meeting',
      entityId: row!.id,
      unitId: row!.unitId,
      after: await snapshot(tx, row!.id),
    });
    return row!.id;
  });
  return getMeeting(ctx, id);
}

export async function updateMeeting(ctx: Ctx, id: string, input: UpdateMeetingBody): Promise<MeetingDetail> {
  requireActor(ctx.actor);
  await inTx(ctx, async (tx) => {
    const [locked] = await tx.db.select().from(meetings).where(eq(meetings.id, id)).for('update');
    if (!locked) throw notFound('会议记录不存在或无权查看');
    await requireRecordAction(tx.db, tx.actor, { read: 'meeting.read', write: 'meeting.write' }, locked.unitId);
    const patch: Partial<MeetingRow> = {};
    if (input.heldAt !== undefined) patch.heldAt = heldAtOf(input.heldAt);
    if (input.kindId !== undefined) {
      if (input.kindId !== locked.kindId) await requireActiveKind(tx, input.kindId);
      patch.kindId = input.kindId;
    }
    if (input.topic !== undefined) patch.topic = input.topic;
    if (input.tags !== undefined) patch.tags = uniqueTags(input.tags);
    if (input.hostPersonId !== undefined) patch.hostPersonId = input.hostPersonId;
    if (input.minutes !== undefined) patch.minutes = input.minutes;
    if (input.resolutions !== undefined) patch.resolutions = mergeResolutions(locked.resolutions, input.resolutions);
    // the lists not replaced still have to be consistent with the new ones (nobody both present and absent)
    const before = await snapshot(tx, id);
    await checkPeople(tx, locked.unitId, input, before);
    const links = input.attachmentIds ?? [];
    const changesPeople = input.attendeeIds !== undefined || input.absentees !== undefined;
    if (Object.keys(patch).length === 0 && !changesPeople && links.length === 0) return;
    await tx.db
      .update(meetings)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(meetings.id, id));
    await replacePeople(tx, locked, input);
    for (const attachmentId of links) await linkAttachment(tx, attachmentId, MEETING_ENTITY, id);
    await writeAudit(tx, {
      action: 'update',
      entity: 'meeting',
      entityId: id,
      unitId: locked.unitId,
      before,
      after: await snapshot(tx, id),
    });
  });
  return getMeeting(ctx, id);
}

// ---- reads

export async function getMeeting(ctx: Ctx, id: string): Promise<MeetingDetail> {
  requireActor(ctx.actor);
  const [row] = await baseQuery(ctx)
    .where(and(eq(meetings.id, id), readable(ctx)))
    .limit(1);
  if (!row) throw notFound('会议记录不存在或无权查看');
  const attendees = await ctx.db
    .select({ personId: meetingAttendees.personId, displayName: people.displayName })
    .from(meetingAttendees)
    .innerJoin(people, eq(people.id, meetingAttendees.personId))
    .where(eq(meetingAttendees.meetingId, id))
    .orderBy(asc(people.displayName), asc(people.id));
  const absentees = await ctx.db
    .select({ personId: meetingAbsentees.personId, displayName: people.displayName, reason: meetingAbsentees.reason })
    .from(meetingAbsentees)
    .innerJoin(people, eq(people.id, meetingAbsentees.personId))
    .where(eq(meetingAbsentees.meetingId, id))
    .orderBy(asc(people.displayName), asc(people.id));
  return { ...toMeeting(row), attendees, absentees, attachments: await listAttachmentsOf(ctx, MEETING_ENTITY, id) };
}

/** Meetings readable by the actor, newest first; `from` inclusive, `to` exclusive (a period's [start, end)). */
export async function listMeetings(ctx: Ctx, q: MeetingListQuery & { page: number; pageSize: number }) {
  requireActor(ctx.actor);
  const conds: (SQL | undefined)[] = [readable(ctx)];
  if (q.unitId) conds.push(eq(meetings.unitId, q.unitId));
  if (q.kindId) conds.push(eq(meetings.kindId, q.kindId));
  if (q.tag) conds.push(arrayContains(meetings.tags, [q.tag]));
  if (q.from) conds.push(gte(meetings.heldAt, new Date(q.from)));
  if (q.to) conds.push(lt(meetings.heldAt, new Date(q.to)));
  if (q.q) conds.push(sql`${meetings.topic} ILIKE ${containsPattern(q.q)}`);
  if (q.backfilled) conds.push(q.backfilled === 'true' ? backfilledSql : sql`NOT ${backfilledSql}`);
  const where = and(...conds);
  const [{ total }] = (await ctx.db.select({ total: count() }).from(meetings).where(where)) as [{ total: number }];
  const rows = await baseQuery(ctx)
    .where(where)
    .orderBy(desc(meetings.heldAt), asc(meetings.id))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  return { items: rows.map(toMeeting), total, page: q.page, pageSize: q.pageSize };
}

// ---- attachments: materials may be linked by whoever may write the meeting

registerAttachmentEntity(MEETING_ENTITY, async (ctx, entityId) => {
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(entityId);
  const [row] = isUuid ? await ctx.db.select({ unitId: meetings.unitId }).from(meetings).where(eq(meetings.id, entityId)).limit(1) : [];
  if (!row) throw notFound('会议记录不存在或无权查看');
  await requireRecordAction(ctx.db, ctx.actor, { read: 'meeting.read', write: 'meeting.write' }, row.unitId);
});
