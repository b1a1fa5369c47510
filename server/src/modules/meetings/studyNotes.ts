/**
 * Study notes (学习笔记/心得): a person writes their own notes, optionally linked to a study meeting they
 * attended, with attachments. Who reads a note:
 *   - its author, always;
 *   - a reviewer (`studyNote.review`: leader, unit admin) whose reach covers the note's unit, who may mark it
 *     as read (调阅) with an optional comment — one read record per reviewer, seen by the author.
 * Nobody else: not clerks, not assessors, not other units (404). There is no scoring, counting or ranking of
 * individuals (REQUIREMENTS "Boundary"; no 指尖上的形式主义).
 *
 * Decision: once a reviewer has read a note, it is no longer editable (409), so that what was read stays
 * what the author wrote; the author writes a new note instead. Notes are never deleted.
 */
import type {
  AttendedMeeting,
  CreateStudyNoteBody,
  StudyNote,
  StudyNoteDetail,
  StudyNoteListQuery,
  UpdateStudyNoteBody,
} from '@dutyledger/contracts';
import { and, asc, count, desc, eq, exists, gte, lt, not, or, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { linkAttachment, listAttachmentsOf, registerAttachmentEntity } from '../../core/attachments/service.js';
import { writeAudit } from '../../core/audit.js';
import { type Actor, type Ctx, inTx } from '../../core/context.js';
import { AppError, forbidden, invalid, notFound } from '../../core/errors.js';
import { people, units } from '../../core/schema.js';
import { canInUnit, hasPermission, inScope, requireActor } from '../../core/scope.js';
import { containsPattern } from '../../core/search.js';
import { regionOf } from '../../db/distribution.js';
import { meetingAttendees, meetingKinds, meetings } from './schema.js';
import { studyNoteReads, studyNotes } from './study-schema.js';

export const STUDY_NOTE_ENTITY = 'meetings.studyNote';
const NOT_FOUND = '学习笔记不存在或无权查看';

type NoteRow = typeof studyNotes.$inferSelect;

const author = alias(people, 'author');
const isRead = sql<boolean>`EXISTS (SELECT 1 FROM ${studyNoteReads} WHERE ${studyNoteReads.noteId} = ${studyNotes.id})`;
const baseQuery = (ctx: Ctx) =>
  ctx.db
    .select({ note: studyNotes, unitName: units.name, authorName: author.displayName, meetingTopic: meetings.topic, read: isRead })
    .from(studyNotes)
    .innerJoin(units, eq(units.id, studyNotes.unitId))
    .innerJoin(author, eq(author.id, studyNotes.authorId))
    .leftJoin(meetings, eq(meetings.id, studyNotes.meetingId));

function toNote(r: { note: NoteRow; unitName: string; authorName: string; meetingTopic: string | null; read: boolean }): StudyNote {
  const n = r.note;
  return {
    id: n.id,
    unitId: n.unitId,
    unitName: r.unitName,
    authorId: n.authorId,
    authorName: r.authorName,
    title: n.title,
    body: n.body,
    meetingId: n.meetingId,
    meetingTopic: r.meetingTopic,
    createdAt: n.createdAt.toISOString(),
    updatedAt: n.updatedAt.toISOString(),
    read: Boolean(r.read),
  };
}

/** SQL: the note is the actor's own, or in the reach of their `studyNote.review`. */
const readable = (actor: Actor): SQL =>
  or(eq(studyNotes.authorId, actor.personId), inScope(actor, 'studyNote.review', studyNotes.unitId)) as SQL;

/** The unit a note is written in: the acting post's unit; 403 without `studyNote.write` there. */
function authorUnit(actor: Actor): string {
  if (!hasPermission(actor, 'studyNote.write') || !actor.post) throw forbidden('当前岗位不能撰写学习笔记');
  return actor.post.scopeRootId;
}

/** A linked meeting must be one the author attended. */
async function checkMeeting(ctx: Ctx, personId: string, meetingId: string | null | undefined): Promise<void> {
  if (!meetingId) return;
  const [row] = await ctx.db
    .select({ id: meetingAttendees.meetingId })
    .from(meetingAttendees)
    .where(and(eq(meetingAttendees.meetingId, meetingId), eq(meetingAttendees.personId, personId)))
    .limit(1);
  if (!row) throw invalid({ meetingId: '只能关联本人参加的学习会议' });
}

/** Meetings the actor attended (newest first), to link a note to. */
export async function listAttendedMeetings(ctx: Ctx): Promise<AttendedMeeting[]> {
  const actor = requireActor(ctx.actor);
  const rows = await ctx.db
    .select({ id: meetings.id, topic: meetings.topic, kindName: meetingKinds.name, heldAt: meetings.heldAt })
    .from(meetingAttendees)
    .innerJoin(meetings, eq(meetings.id, meetingAttendees.meetingId))
    .innerJoin(meetingKinds, eq(meetingKinds.id, meetings.kindId))
    .where(eq(meetingAttendees.personId, actor.personId))
    .orderBy(desc(meetings.heldAt))
    .limit(100);
  return rows.map((r) => ({ ...r, heldAt: r.heldAt.toISOString() }));
}

export async function createStudyNote(ctx: Ctx, input: CreateStudyNoteBody): Promise<StudyNoteDetail> {
  const actor = requireActor(ctx.actor);
  const unitId = authorUnit(actor);
  await checkMeeting(ctx, actor.personId, input.meetingId);
  const id = await inTx(ctx, async (tx) => {
    const [row] = await tx.db
      .insert(studyNotes)
      .values({
        regionId: regionOf(unitId),
        unitId,
        authorId: actor.personId,
        title: input.title,
        body: input.body,
        meetingId: input.meetingId ?? null,
      })
      .returning();
    for (const attachmentId of input.attachmentIds ?? []) await linkAttachment(tx, attachmentId, STUDY_NOTE_ENTITY, row!.id);
    await writeAudit(tx, { action: 'create', entity: 'studyNote', entityId: row!.id, unitId, after: row });
    return row!.id;
  });
  return getStudyNote(ctx, id);
}

export async function updateStudyNote(ctx: Ctx, id: string, input: UpdateStudyNoteBody): Promise<StudyNoteDetail> {
  const actor = requireActor(ctx.actor);
  await inTx(ctx, async (tx) => {
    const [before] = await tx.db.select().from(studyNotes).where(eq(studyNotes.id, id)).for('update');
    if (!before || !(await canRead(tx, actor, before))) throw notFound(NOT_FOUND);
    if (before.authorId !== actor.personId) throw forbidden('只有作者本人可以修改学习笔记');
    const [read] = await tx.db.select({ id: studyNoteReads.id }).from(studyNoteReads).where(eq(studyNoteReads.noteId, id)).limit(1);
    if (read) throw new AppError('ILLEGAL_TRANSITION', '学习笔记已被调阅，不能再修改');
    await checkMeeting(tx, actor.personId, input.meetingId);
    const patch: Partial<NoteRow> = {};
    if (input.title !== undefined) patch.title = input.title;
    if (input.body !== undefined) patch.body = input.body;
    if (input.meetingId !== undefined) patch.meetingId = input.meetingId;
    const links = input.attachmentIds ?? [];
    if (Object.keys(patch).length === 0 && links.length === 0) return;
    const [after] = await tx.db
      .update(studyNotes)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(studyNotes.id, id))
      .returning();
    for (const attachmentId of links) await linkAttachment(tx, attachmentId, STUDY_NOTE_ENTITY, id);
    await writeAudit(tx, {
      action: 'update',
      entity: 'studyNote',
      entityId: id,
      unitId: before.unitId,
      before,
      after: { ...after, attachmentIds: links },
    });
  });
  return getStudyNote(ctx, id);
}

async function canRead(ctx: Ctx, actor: Actor, note: Pick<NoteRow, 'authorId' | 'unitId'>): Promise<boolean> {
  return note.authorId === actor.personId || (await canInUnit(ctx.db, actor, 'studyNote.review', note.unitId));
}

export async function getStudyNote(ctx: Ctx, id: string): Promise<StudyNoteDetail> {
  const actor = requireActor(ctx.actor);
  const [row] = await baseQuery(ctx)
    .where(and(eq(studyNotes.id, id), readable(actor)))
    .limit(1);
  if (!row) throw notFound(NOT_FOUND);
  const reads = await ctx.db
    .select({
      id: studyNoteReads.id,
      readerId: studyNoteReads.readerId,
      readerName: people.displayName,
      readAt: studyNoteReads.readAt,
      comment: studyNoteReads.comment,
    })
    .from(studyNoteReads)
    .innerJoin(people, eq(people.id, studyNoteReads.readerId))
    .where(eq(studyNoteReads.noteId, id))
    .orderBy(asc(studyNoteReads.readAt), asc(studyNoteReads.id));
  return {
    ...toNote(row),
    reads: reads.map((r) => ({ ...r, readAt: r.readAt.toISOString() })),
    attachments: await listAttachmentsOf(ctx, STUDY_NOTE_ENTITY, id),
  };
}

/** 调阅: a reviewer of the note's unit marks it read, once, with an optional comment. */
export async function readStudyNote(ctx: Ctx, id: string, input: { comment: string }): Promise<StudyNoteDetail> {
  const actor = requireActor(ctx.actor);
  await inTx(ctx, async (tx) => {
    const [note] = await tx.db.select().from(studyNotes).where(eq(studyNotes.id, id)).for('update');
    if (!note || !(await canRead(tx, actor, note))) throw notFound(NOT_FOUND);
    if (!(await canInUnit(tx.db, actor, 'studyNote.review', note.unitId))) throw forbidden('只有本单位领导可以调阅学习笔记');
    if (note.authorId === actor.personId) throw forbidden('不能调阅本人的学习笔记');
    const [row] = await tx.db
      .insert(studyNoteReads)
      .values({ regionId: note.regionId, noteId: id, readerId: actor.personId, comment: input.comment })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new AppError('ILLEGAL_TRANSITION', '您已调阅过这篇学习笔记');
    await writeAudit(tx, { action: 'read', entity: 'studyNote', entityId: id, unitId: note.unitId, after: row });
  });
  return getStudyNote(ctx, id);
}

type Paged = { page: number; pageSize: number; q?: string };

async function pagedNotes(ctx: Ctx, where: SQL | undefined, q: Paged) {
  const [{ total }] = (await ctx.db.select({ total: count() }).from(studyNotes).where(where)) as [{ total: number }];
  const rows = await baseQuery(ctx)
    .where(where)
    .orderBy(desc(studyNotes.createdAt), asc(studyNotes.id))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  return { items: rows.map(toNote), total, page: q.page, pageSize: q.pageSize };
}

const search = (q?: string) =>
  q ? sql`(${studyNotes.title} ILIKE ${containsPattern(q)} OR ${studyNotes.body} ILIKE ${containsPattern(q)})` : undefined;

/** The author's own notes. */
export async function listMyStudyNotes(ctx: Ctx, q: Paged) {
  const actor = requireActor(ctx.actor);
  return pagedNotes(ctx, and(eq(studyNotes.authorId, actor.personId), search(q.q)), q);
}

/** A reviewer's list: the notes of units in the reach of `studyNote.review` (403 without it). */
export async function listStudyNotesForReview(ctx: Ctx, q: StudyNoteListQuery & Paged) {
  const actor = requireActor(ctx.actor);
  if (!hasPermission(actor, 'studyNote.review')) throw forbidden('只有领导可以调阅学习笔记');
  const anyRead = exists(ctx.db.select({ one: sql`1` }).from(studyNoteReads).where(eq(studyNoteReads.noteId, studyNotes.id)));
  const conds: (SQL | undefined)[] = [inScope(actor, 'studyNote.review', studyNotes.unitId), search(q.q)];
  if (q.unitId) conds.push(eq(studyNotes.unitId, q.unitId));
  if (q.read) conds.push(q.read === 'true' ? anyRead : not(anyRead));
  if (q.from) conds.push(gte(studyNotes.createdAt, new Date(q.from)));
  if (q.to) conds.push(lt(studyNotes.createdAt, new Date(q.to)));
  return pagedNotes(ctx, and(...conds), q);
}

// ---- attachments: only the author links files to their note, and only while it is editable

registerAttachmentEntity(STUDY_NOTE_ENTITY, async (ctx, entityId) => {
  const actor = requireActor(ctx.actor);
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(entityId);
  const [note] = isUuid ? await ctx.db.select().from(studyNotes).where(eq(studyNotes.id, entityId)).limit(1) : [];
  if (!note || !(await canRead(ctx, actor, note))) throw notFound(NOT_FOUND);
  if (note.authorId !== actor.personId) throw forbidden('只有作者本人可以上传学习笔记附件');
  const [read] = await ctx.db.select({ id: studyNoteReads.id }).from(studyNoteReads).where(eq(studyNoteReads.noteId, entityId)).limit(1);
  if (read) throw new AppError('ILLEGAL_TRANSITION', '学习笔记已被调阅，不能再修改');
});
