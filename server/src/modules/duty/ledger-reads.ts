/**
 * Reads of plans and tasks for the ledger (台账): a unit's (or a subtree's) records of a period, page by
 * page in a stable order (keyset, never OFFSET), so that an export of any size keeps memory flat.
 *
 * These are trusted reads: the caller (the ledger module) has checked `ledger.export` on the unit and, for
 * a subtree, that the requester reaches the whole subtree. They apply no actor scope of their own.
 */
import {
  type DutyKind,
  dutyKindLabels,
  type GroupRole,
  groupRoleLabels,
  type LetterStatus,
  letterStatusLabels,
  type TaskState,
  taskStateLabels,
} from '@dutyledger/contracts';
import { and, asc, eq, gt, gte, inArray, isNull, lt, lte, or, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Ctx } from '../../core/context.js';
import { keysetPages, type LedgerReadScope, unitsOf } from '../../core/ledger-reads.js';

export type { LedgerReadScope };

import { people, units } from '../../core/schema.js';
import { LETTER_ENTITY } from './letters.js';
import { dutyAssignments, dutyLetters, leadingGroupMembers } from './responsibility-schema.js';
import { planItems, plans, tasks } from './schema.js';
import { TASK_ENTITY } from './tasks.js';

export { LETTER_ENTITY, TASK_ENTITY };

export interface LedgerTaskRow {
  id: string;
  title: string;
  unitName: string;
  assignerUnitName: string;
  assigneePersonName: string | null;
  deadline: Date;
  state: TaskState;
  stateLabel: string;
  progress: string | null;
  sourceLabel: string | null;
  planTitle: string | null;
  createdAt: Date;
  doneAt: Date | null;
}

const assignerUnits = alias(units, 'ledger_assigner_units');

/** Tasks owned by the scope's unit(s) whose deadline or completion falls in the period, by deadline. */
export async function* ledgerTaskPages(ctx: Ctx, s: LedgerReadScope, pageSize = 500): AsyncGenerator<LedgerTaskRow[]> {
  const inPeriod = or(and(gte(tasks.deadline, s.from), lt(tasks.deadline, s.to)), and(gte(tasks.doneAt, s.from), lt(tasks.doneAt, s.to)));
  let after: { deadline: Date; id: string } | null = null;
  for (;;) {
    const rows = await taskPage(ctx, s, inPeriod, after, pageSize);
    if (rows.length === 0) return;
    yield rows.map((r) => ({ ...r, state: r.state as TaskState, stateLabel: taskStateLabels[r.state as TaskState] ?? r.state }));
    if (rows.length < pageSize) return;
    const last = rows[rows.length - 1]!;
    after = { deadline: last.deadline, id: last.id };
  }
}

function taskPage(ctx: Ctx, s: LedgerReadScope, inPeriod: SQL | undefined, after: { deadline: Date; id: string } | null, pageSize: number) {
  const cursor: SQL | undefined = after
    ? or(gt(tasks.deadline, after.deadline), and(eq(tasks.deadline, after.deadline), gt(tasks.id, after.id)))
    : undefined;
  return ctx.db
    .select({
      id: tasks.id,
      title: tasks.title,
      unitName: units.name,
      assignerUnitName: assignerUnits.name,
      assigneePersonName: people.displayName,
      deadline: tasks.deadline,
      state: tasks.state,
      progress: tasks.progress,
      sourceLabel: tasks.sourceLabel,
      planTitle: plans.title,
      createdAt: tasks.createdAt,
      doneAt: tasks.doneAt,
    })
    .from(tasks)
    .innerJoin(units, eq(units.id, tasks.unitId))
    .innerJoin(assignerUnits, eq(assignerUnits.id, tasks.assignerUnitId))
    .leftJoin(people, eq(people.id, tasks.assigneePersonId))
    .leftJoin(planItems, eq(planItems.id, tasks.planItemId))
    .leftJoin(plans, eq(plans.id, planItems.planId))
    .where(and(unitsOf(tasks.unitId, s), inPeriod, cursor))
    .orderBy(asc(tasks.deadline), asc(tasks.id))
    .limit(pageSize);
}

export interface LedgerPlanItemRow {
  planId: string;
  planTitle: string;
  year: number;
  unitName: string;
  section: string;
  itemTitle: string | null;
  taskCount: number;
  createdAt: Date;
}

/** Plans of the scope's unit(s) for the years the period touches, one row per item (a plan without items: one row). */
export async function* ledgerPlanPages(ctx: Ctx, s: LedgerReadScope, plansPerPage = 50): AsyncGenerator<LedgerPlanItemRow[]> {
  const fromYear = Number(new Date(s.from.getTime() + 8 * 3_600_000).toISOString().slice(0, 4));
  const toYear = Number(new Date(s.to.getTime() - 1 + 8 * 3_600_000).toISOString().slice(0, 4));
  const planRows = await ctx.db
    .select({ id: plans.id, title: plans.title, year: plans.year, unitName: units.name, createdAt: plans.createdAt })
    .from(plans)
    .innerJoin(units, eq(units.id, plans.unitId))
    .where(and(unitsOf(plans.unitId, s), gte(plans.year, fromYear), sql`${plans.year} <= ${toYear}`))
    .orderBy(asc(plans.year), asc(plans.createdAt), asc(plans.id));
  // plans are few (one or two per unit and year); their items are paged per batch of plans
  for (let i = 0; i < planRows.length; i += plansPerPage) {
    const batch = planRows.slice(i, i + plansPerPage);
    const items = await ctx.db
      .select({
        planId: planItems.planId,
        id: planItems.id,
        section: planItems.section,
        title: planItems.title,
        taskCount: sql<number>`(SELECT count(*)::int FROM ${tasks} WHERE ${tasks.planItemId} = ${planItems.id})`,
      })
      .from(planItems)
      .where(
        inArray(
          planItems.planId,
          batch.map((p) => p.id),
        ),
      )
      .orderBy(asc(planItems.planId), asc(planItems.sort), asc(planItems.id));
    const out: LedgerPlanItemRow[] = [];
    for (const p of batch) {
      const mine = items.filter((it) => it.planId === p.id);
      const base = { planId: p.id, planTitle: p.title, year: p.year, unitName: p.unitName, createdAt: p.createdAt };
      if (mine.length === 0) out.push({ ...base, section: '', itemTitle: null, taskCount: 0 });
      for (const it of mine) out.push({ ...base, section: it.section, itemTitle: it.title, taskCount: Number(it.taskCount) });
    }
    if (out.length) yield out;
  }
}

/** Shanghai calendar date (YYYY-MM-DD) of an instant. */
const shanghaiDay = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

export interface LedgerResponsibilityRow {
  id: string;
  /** 领导小组 | 责任分工 | 责任书 */
  category: string;
  unitName: string;
  /** the person (or the body bearing the principal responsibility) */
  subject: string;
  /** 组长/副组长/成员, 第一责任人 …, or the letter's status */
  role: string;
  content: string;
  /** 2026-01-01 至今, 2026-01-01 至 2026-06-30, or the letter's year */
  validity: string;
  happenedAt: Date | null;
  createdAt: Date;
  /** letters only: their attachments are linked under LETTER_ENTITY */
  letterId: string | null;
}

const dayStart = (d: string) => new Date(`${d}T00:00:00+08:00`);
const validity = (from: string, to: string | null) => (to ? `${from} 至 ${to}` : `${from} 至今`);

/**
 * The responsibility system of the scope's unit(s) in the period: leading-group memberships and duty
 * assignments valid on some day of the period, then the responsibility letters of the period's years.
 */
export async function* ledgerResponsibilityPages(ctx: Ctx, s: LedgerReadScope, pageSize = 500): AsyncGenerator<LedgerResponsibilityRow[]> {
  const firstDay = shanghaiDay(s.from);
  const lastDay = shanghaiDay(new Date(s.to.getTime() - 1));
  const m = leadingGroupMembers;
  for await (const rows of keysetPages(
    (after: { fromDate: string; id: string } | null) =>
      ctx.db
        .select({
          id: m.id,
          unitName: units.name,
          personName: people.displayName,
          role: m.role,
          fromDate: m.fromDate,
          toDate: m.toDate,
          createdAt: m.createdAt,
        })
        .from(m)
        .innerJoin(units, eq(units.id, m.unitId))
        .innerJoin(people, eq(people.id, m.personId))
        .where(
          and(
            unitsOf(m.unitId, s),
            lte(m.fromDate, lastDay),
            or(isNull(m.toDate), gt(m.toDate, firstDay)),
            after ? or(gt(m.fromDate, after.fromDate), and(eq(m.fromDate, after.fromDate), gt(m.id, after.id))) : undefined,
          ),
        )
        .orderBy(asc(m.fromDate), asc(m.id))
        .limit(pageSize),
    pageSize,
  )) {
    yield rows.map((r) => ({
      id: r.id,
      category: '领导小组',
      unitName: r.unitName,
      subject: r.personName,
      role: groupRoleLabels[r.role as GroupRole] ?? r.role,
      content: '',
      validity: validity(r.fromDate, r.toDate),
      happenedAt: dayStart(r.fromDate),
      createdAt: r.createdAt,
      letterId: null,
    }));
  }
  const a = dutyAssignments;
  for await (const rows of keysetPages(
    (after: { fromDate: string; id: string } | null) =>
      ctx.db
        .select({
          id: a.id,
          unitName: units.name,
          personName: people.displayName,
          bodyName: a.bodyName,
          kind: a.kind,
          areas: a.areas,
          note: a.note,
          fromDate: a.fromDate,
          toDate: a.toDate,
          createdAt: a.createdAt,
        })
        .from(a)
        .innerJoin(units, eq(units.id, a.unitId))
        .leftJoin(people, eq(people.id, a.personId))
        .where(
          and(
            unitsOf(a.unitId, s),
            lte(a.fromDate, lastDay),
            or(isNull(a.toDate), gt(a.toDate, firstDay)),
            after ? or(gt(a.fromDate, after.fromDate), and(eq(a.fromDate, after.fromDate), gt(a.id, after.id))) : undefined,
          ),
        )
        .orderBy(asc(a.fromDate), asc(a.id))
        .limit(pageSize),
    pageSize,
  )) {
    yield rows.map((r) => ({
      id: r.id,
      category: '责任分工',
      unitName: r.unitName,
      subject: r.personName ?? r.bodyName,
      role: dutyKindLabels[r.kind as DutyKind] ?? r.kind,
      content: [r.areas.join('、'), r.note].filter(Boolean).join('；'),
      validity: validity(r.fromDate, r.toDate),
      happenedAt: dayStart(r.fromDate),
      createdAt: r.createdAt,
      letterId: null,
    }));
  }
  const l = dutyLetters;
  const signer = alias(people, 'ledger_letter_signer');
  const upperSigner = alias(people, 'ledger_letter_upper_signer');
  const fromYear = Number(firstDay.slice(0, 4));
  const toYear = Number(lastDay.slice(0, 4));
  for await (const rows of keysetPages(
    (after: { year: number; id: string } | null) =>
      ctx.db
        .select({
          id: l.id,
          unitName: units.name,
          year: l.year,
          title: l.title,
          status: l.status,
          signedDate: l.signedDate,
          signerName: signer.displayName,
          upperSignerName: upperSigner.displayName,
          createdAt: l.createdAt,
        })
        .from(l)
        .innerJoin(units, eq(units.id, l.unitId))
        .innerJoin(signer, eq(signer.id, l.signerPersonId))
        .innerJoin(upperSigner, eq(upperSigner.id, l.upperSignerPersonId))
        .where(
          and(
            unitsOf(l.unitId, s),
            gte(l.year, fromYear),
            lte(l.year, toYear),
            after ? or(gt(l.year, after.year), and(eq(l.year, after.year), gt(l.id, after.id))) : undefined,
          ),
        )
        .orderBy(asc(l.year), asc(l.id))
        .limit(pageSize),
    pageSize,
  )) {
    yield rows.map((r) => ({
      id: r.id,
      category: '责任书',
      unitName: r.unitName,
      subject: `${r.signerName}（上级签订人：${r.upperSignerName}）`,
      role: letterStatusLabels[r.status as LetterStatus] ?? r.status,
      content: r.title,
      validity: `${r.year}年度`,
      happenedAt: r.signedDate ? dayStart(r.signedDate) : null,
      createdAt: r.createdAt,
      letterId: r.id,
    }));
  }
}
