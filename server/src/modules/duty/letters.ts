/**
 * Responsibility letters (责任状): per unit and year, signed between a person of the upper unit (its signer)
 * and the unit's first responsible person. A small state machine — 未签订 (draft) → 已签订 (signed) — in the
 * one `letterTransitions` table; signing needs the signed scan attached. A status board per year shows, for
 * each unit of a subtree, 未发起 / 未签订 / 已签订.
 *
 * Scope: the letter belongs to the signing unit. Reading needs `duty.read` there (404 otherwise); creating,
 * editing and signing need `duty.manage` there (the upper unit's admins and leaders reach it by subtree).
 */
import {
  type BoardStatus,
  boardStatusLabels,
  type DutyLetter,
  type DutyLetterDetail,
  type LetterAction,
  type LetterBoardQuery,
  type LetterBoardRow,
  type LetterStatus,
  letterStatusLabels,
  type UnitType,
} from '@dutyledger/contracts';
import { and, asc, count, eq, inArray, isNull, like, ne, or, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { linkAttachment, listAttachmentsOf, registerAttachmentEntity } from '../../core/attachments/service.js';
import { writeAudit } from '../../core/audit.js';
import { type Ctx, inTx } from '../../core/context.js';
import { AppError, conflict, invalid, notFound } from '../../core/errors.js';
import type { ExportColumn } from '../../core/export.js';
import { attachmentLinks, people, posts, units } from '../../core/schema.js';
import { inScope, requireActor, requireRecordAction, requireUnitPermission, subtreePattern } from '../../core/scope.js';
import { containsPattern } from '../../core/search.js';
import { regionOf } from '../../db/distribution.js';
import { assignmentsOn } from './assignments.js';
import { loadUnit, outsidersOf, requireDutyRead, today } from './groups.js';
import { dutyLetters } from './responsibility-schema.js';

export const LETTER_ENTITY = 'duty.letter';

// ---- the state machine

export const letterTransitions: Record<LetterAction, { label: string; from: readonly LetterStatus[]; to: LetterStatus }> = {
  sign: { label: '签订', from: ['draft'], to: 'signed' },
};

function illegal(action: LetterAction, status: LetterStatus): AppError {
  const t = letterTransitions[action];
  return new AppError('ILLEGAL_TRANSITION', `责任状当前状态为「${letterStatusLabels[status]}」，不能${t.label}`);
}

// ---- rows → API

type LetterRow = typeof dutyLetters.$inferSelect;
const upperUnits = alias(units, 'upper_units');
const upperSigners = alias(people, 'upper_signers');
const signers = alias(people, 'signers');
const columns = {
  letter: dutyLetters,
  unitName: units.name,
  upperUnitName: upperUnits.name,
  upperSignerName: upperSigners.displayName,
  signerName: signers.displayName,
};
const baseQuery = (ctx: Ctx) =>
  ctx.db
    .select(columns)
    .from(dutyLetters)
    .innerJoin(units, eq(units.id, dutyLetters.unitId))
    .innerJoin(upperUnits, eq(upperUnits.id, dutyLetters.upperUnitId))
    .innerJoin(upperSigners, eq(upperSigners.id, dutyLetters.upperSignerPersonId))
    .innerJoin(signers, eq(signers.id, dutyLetters.signerPersonId));

function toLetter(r: {
  letter: LetterRow;
  unitName: string;
  upperUnitName: string;
  upperSignerName: string;
  signerName: string;
}): DutyLetter {
  const l = r.letter;
  const status = l.status as LetterStatus;
  return {
    id: l.id,
    unitId: l.unitId,
    unitName: r.unitName,
    upperUnitId: l.upperUnitId,
    upperUnitName: r.upperUnitName,
    year: l.year,
    title: l.title,
    upperSignerPersonId: l.upperSignerPersonId,
    upperSignerName: r.upperSignerName,
    signerPersonId: l.signerPersonId,
    signerName: r.signerName,
    status,
    statusLabel: letterStatusLabels[status],
    signedDate: l.signedDate,
    version: l.version,
    createdAt: l.createdAt.toISOString(),
  };
}

const NOT_FOUND = '责任状不存在或无权查看';

export async function getLetter(ctx: Ctx, id: string): Promise<DutyLetterDetail> {
  requireActor(ctx.actor);
  const [row] = await baseQuery(ctx)
    .where(and(eq(dutyLetters.id, id), inScope(ctx.actor, 'duty.read', dutyLetters.unitId)))
    .limit(1);
  if (!row) throw notFound(NOT_FOUND);
  return { ...toLetter(row), attachments: await listAttachmentsOf(ctx, LETTER_ENTITY, id) };
}

// ---- who signs

/** The upper unit's signer: a person with a post in the upper unit or acting for it (scope root). */
async function checkUpperSigner(ctx: Ctx, upperUnitId: string, personId: string): Promise<void> {
  const [ok] = await ctx.db
    .select({ id: posts.id })
    .from(posts)
    .where(and(eq(posts.personId, personId), or(eq(posts.unitId, upperUnitId), eq(posts.scopeRootId, upperUnitId))))
    .limit(1);
  if (!ok) throw invalid({ upperSignerPersonId: '上级签订人须为上级单位人员' });
}

async function checkSigner(ctx: Ctx, unit: typeof units.$inferSelect, personId: string): Promise<void> {
  if ((await outsidersOf(ctx, unit, [personId])).length) throw invalid({ signerPersonId: '本单位签订人须为本单位人员' });
}

// ---- writes

export async function createLetter(
  ctx: Ctx,
  input: { unitId: string; year: number; title?: string; upperSignerPersonId: string; signerPersonId?: string },
): Promise<DutyLetterDetail> {
  const actor = requireActor(ctx.actor);
  await requireUnitPermission(ctx.db, ctx.actor, 'duty.manage', input.unitId);
  const unit = await loadUnit(ctx, input.unitId);
  if (!unit.parentId) throw invalid({ unitId: '顶级单位没有上级单位，不能签订责任状' });
  await checkUpperSigner(ctx, unit.parentId, input.upperSignerPersonId);
  let signerPersonId = input.signerPersonId;
  if (!signerPersonId) {
    const [first] = await assignmentsOn(ctx, [unit.id], today(), 'first');
    if (!first?.personId) throw invalid({ signerPersonId: '本单位尚未明确第一责任人，请选择本单位签订人' });
    signerPersonId = first.personId;
  }
  await checkSigner(ctx, unit, signerPersonId);
  const id = await inTx(ctx, async (tx) => {
    const [row] = await tx.db
      .insert(dutyLetters)
      .values({
        regionId: regionOf(unit.id),
        unitId: unit.id,
        upperUnitId: unit.parentId!,
        year: input.year,
        title: input.title ?? `${input.year}年度意识形态工作责任状`,
        upperSignerPersonId: input.upperSignerPersonId,
        signerPersonId: signerPersonId!,
        createdBy: actor.personId || null,
      })
      .onConflictDoNothing()
      .returning();
    if (!row) throw conflict(`${unit.name}${input.year}年度的责任状已发起`);
    await writeAudit(tx, { action: 'create', entity: 'dutyLetter', entityId: row.id, unitId: row.unitId, after: row });
    return row.id;
  });
  return getLetter(ctx, id);
}

async function lockLetter(tx: Ctx, id: string): Promise<LetterRow> {
  const [row] = await tx.db.select().from(dutyLetters).where(eq(dutyLetters.id, id)).for('update');
  if (!row) throw notFound(NOT_FOUND);
  await requireRecordAction(tx.db, tx.actor, { read: 'duty.read', write: 'duty.manage' }, row.unitId);
  return row;
}

/** Edits a draft (title, signers) and attaches files; a signed letter is final (409). */
export async function updateLetter(
  ctx: Ctx,
  id: string,
  input: { title?: string; upperSignerPersonId?: string; signerPersonId?: string; attachmentIds?: string[] },
): Promise<DutyLetterDetail> {
  requireActor(ctx.actor);
  await inTx(ctx, async (tx) => {
    const before = await lockLetter(tx, id);
    if (before.status !== 'draft') throw new AppError('ILLEGAL_TRANSITION', '责任状已签订，不能修改');
    const unit = await loadUnit(tx, before.unitId);
    if (input.upperSignerPersonId) await checkUpperSigner(tx, before.upperUnitId, input.upperSignerPersonId);
    if (input.signerPersonId) await checkSigner(tx, unit, input.signerPersonId);
    const patch: Partial<LetterRow> = {};
    if (input.title !== undefined) patch.title = input.title;
    if (input.upperSignerPersonId !== undefined) patch.upperSignerPersonId = input.upperSignerPersonId;
    if (input.signerPersonId !== undefined) patch.signerPersonId = input.signerPersonId;
    for (const attachmentId of input.attachmentIds ?? []) await linkAttachment(tx, attachmentId, LETTER_ENTITY, id);
    if (Object.keys(patch).length === 0) return;
    const [after] = await tx.db
      .update(dutyLetters)
      .set({ ...patch, version: before.version + 1, updatedAt: new Date() })
      .where(eq(dutyLetters.id, id))
      .returning();
    await writeAudit(tx, { action: 'update', entity: 'dutyLetter', entityId: id, unitId: before.unitId, before, after });
  });
  return getLetter(ctx, id);
}

/**
 * Applies `action` (sign): locks the row, checks scope and the current state under the lock, links the
 * scans given, requires at least one scan, and audits `transition:<from>-><to>` — in one transaction.
 */
export async function transitionLetter(
  ctx: Ctx,
  id: string,
  action: LetterAction,
  input: { signedDate: string; attachmentIds?: string[] },
): Promise<DutyLetterDetail> {
  requireActor(ctx.actor);
  const t = letterTransitions[action];
  await inTx(ctx, async (tx) => {
    const before = await lockLetter(tx, id);
    const from = before.status as LetterStatus;
    if (!t.from.includes(from)) throw illegal(action, from);
    if (input.signedDate > today()) throw invalid({ signedDate: '签订日期不能晚于今天' });
    for (const attachmentId of input.attachmentIds ?? []) await linkAttachment(tx, attachmentId, LETTER_ENTITY, id);
    const [{ n }] = (await tx.db
      .select({ n: count() })
      .from(attachmentLinks)
      .where(and(eq(attachmentLinks.entity, LETTER_ENTITY), eq(attachmentLinks.entityId, id)))) as [{ n: number }];
    if (Number(n) === 0) throw invalid({ attachmentIds: '请上传签订后的责任状扫描件' }, '请上传签订后的责任状扫描件');
    const [after] = await tx.db
      .update(dutyLetters)
      .set({ status: t.to, signedDate: input.signedDate, version: before.version + 1, updatedAt: new Date() })
      .where(eq(dutyLetters.id, id))
      .returning();
    await writeAudit(tx, {
      action: `transition:${from}->${t.to}`,
      entity: 'dutyLetter',
      entityId: id,
      unitId: before.unitId,
      before,
      after,
    });
  });
  return getLetter(ctx, id);
}

// ---- the status board

const parents = alias(units, 'parent_units');

/**
 * Each unit of `rootUnitId`'s subtree (the root excluded: it signs with its own upper unit) within the
 * actor's `duty.read` reach, with its letter of `year` if any: 未发起 / 未签订 / 已签订. Filter and page in SQL.
 */
export async function letterBoard(ctx: Ctx, q: LetterBoardQuery & { page: number; pageSize: number }) {
  const root = await requireDutyRead(ctx, q.rootUnitId);
  const conds: (SQL | undefined)[] = [
    like(units.path, subtreePattern(root.path)),
    ne(units.id, root.id),
    eq(units.active, true),
    inScope(ctx.actor, 'duty.read', units.id),
  ];
  if (q.unitType) conds.push(eq(units.type, q.unitType));
  if (q.q) conds.push(sql`${units.name} ILIKE ${containsPattern(q.q)}`);
  if (q.status === 'notStarted') conds.push(isNull(dutyLetters.id));
  if (q.status === 'draft' || q.status === 'signed') conds.push(eq(dutyLetters.status, q.status));
  const where = and(...conds);
  const joinOn = and(eq(dutyLetters.unitId, units.id), eq(dutyLetters.year, q.year));
  const [{ total }] = (await ctx.db.select({ total: count() }).from(units).leftJoin(dutyLetters, joinOn).where(where)) as [
    { total: number },
  ];
  const rows = await ctx.db
    .select({ unit: units, parentName: parents.name, letterId: dutyLetters.id })
    .from(units)
    .leftJoin(dutyLetters, joinOn)
    .leftJoin(parents, eq(parents.id, units.parentId))
    .where(where)
    .orderBy(asc(units.depth), asc(units.sortOrder), asc(units.name), asc(units.id))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  const letterIds = rows.flatMap((r) => (r.letterId ? [r.letterId] : []));
  const letters = new Map<string, DutyLetter>();
  if (letterIds.length) {
    const full = await baseQuery(ctx).where(inArray(dutyLetters.id, letterIds));
    for (const l of full) letters.set(l.letter.id, toLetter(l));
  }
  const items: LetterBoardRow[] = rows.map((r) => {
    const letter = r.letterId ? (letters.get(r.letterId) ?? null) : null;
    const status: BoardStatus = letter ? letter.status : 'notStarted';
    return {
      unitId: r.unit.id,
      unitName: r.unit.name,
      unitType: r.unit.type as UnitType,
      parentName: r.parentName,
      status,
      statusLabel: boardStatusLabels[status],
      letter,
    };
  });
  return { items, total: Number(total), page: q.page, pageSize: q.pageSize };
}

export const letterBoardExportColumns: ExportColumn<LetterBoardRow>[] = [
  { header: '单位', width: 28, value: (r) => r.unitName },
  { header: '上级单位', width: 24, value: (r) => r.parentName },
  { header: '单位类型', width: 12, value: (r) => r.unitType },
  { header: '状态', width: 10, value: (r) => r.statusLabel },
  { header: '标题', width: 32, value: (r) => r.letter?.title },
  { header: '上级签订人', width: 12, value: (r) => r.letter?.upperSignerName },
  { header: '本单位签订人', width: 12, value: (r) => r.letter?.signerName },
  { header: '签订日期', width: 12, value: (r) => r.letter?.signedDate },
];

// ---- attachments: the scans may be linked by whoever may manage the letter

registerAttachmentEntity(LETTER_ENTITY, async (ctx, entityId) => {
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(entityId);
  const [row] = isUuid
    ? await ctx.db.select({ unitId: dutyLetters.unitId }).from(dutyLetters).where(eq(dutyLetters.id, entityId)).limit(1)
    : [];
  if (!row) throw notFound(NOT_FOUND);
  await requireRecordAction(ctx.db, ctx.actor, { read: 'duty.read', write: 'duty.manage' }, row.unitId);
});
