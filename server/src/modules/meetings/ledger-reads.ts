/**
 * Reads of meeting records for the ledger (台账): a unit's (or a subtree's) meetings held in a period,
 * page by page (keyset on held_at, id), with attendees and absentees aggregated in SQL.
 *
 * Trusted reads: the ledger module has checked `ledger.export` on the unit (and reach over the subtree).
 */
import type { Resolution } from '@dutyledger/contracts';
import { and, asc, eq, gt, gte, like, lt, or, type SQL, sql } from 'drizzle-orm';
import type { Ctx } from '../../core/context.js';
import type { LedgerReadScope } from '../../core/ledger-reads.js';
import { people, units } from '../../core/schema.js';
import { subtreePattern } from '../../core/scope.js';
import { studyPlans } from './compliance-schema.js';
import { meetingAbsentees, meetingAttendees, meetingKinds, meetings } from './schema.js';

export interface LedgerMeetingRow {
  id: string;
  unitName: string;
  kindName: string;
  heldAt: Date;
  createdAt: Date;
  topic: string;
  hostName: string | null;
  attendees: string;
  absentees: string;
  resolutions: Resolution[];
}

/** Meetings held in [from, to) by the scope's unit(s), oldest first. */
export async function* ledgerMeetingPages(ctx: Ctx, s: LedgerReadScope, pageSize = 500): AsyncGenerator<LedgerMeetingRow[]> {
  const unitCond: SQL = s.includeSubtree
    ? sql`${meetings.unitId} IN (SELECT ${units.id} FROM ${units} WHERE ${like(units.path, subtreePattern(s.unitPath))})`
    : eq(meetings.unitId, s.unitId);
  let after: { heldAt: Date; id: string } | null = null;
  for (;;) {
    const rows = await meetingPage(ctx, s, unitCond, after, pageSize);
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < pageSize) return;
    const last = rows[rows.length - 1]!;
    after = { heldAt: last.heldAt, id: last.id };
  }
}

function meetingPage(ctx: Ctx, s: LedgerReadScope, unitCond: SQL, after: { heldAt: Date; id: string } | null, pageSize: number) {
  const cursor = after
    ? or(gt(meetings.heldAt, after.heldAt), and(eq(meetings.heldAt, after.heldAt), gt(meetings.id, after.id)))
    : undefined;
  return ctx.db
    .select({
      id: meetings.id,
      unitName: units.name,
      kindName: meetingKinds.name,
      heldAt: meetings.heldAt,
      createdAt: meetings.createdAt,
      topic: meetings.topic,
      hostName: people.displayName,
      resolutions: meetings.resolutions,
      attendees: sql<string>`coalesce((SELECT string_agg(p.display_name, '、' ORDER BY p.display_name) FROM ${meetingAttendees} a JOIN ${people} p ON p.id = a.person_id WHERE a.meeting_id = ${meetings.id}), '')`,
      absentees: sql<string>`coalesce((SELECT string_agg(p.display_name || '（' || b.reason || '）', '、' ORDER BY p.display_name) FROM ${meetingAbsentees} b JOIN ${people} p ON p.id = b.person_id WHERE b.meeting_id = ${meetings.id}), '')`,
    })
    .from(meetings)
    .innerJoin(units, eq(units.id, meetings.unitId))
    .innerJoin(meetingKinds, eq(meetingKinds.id, meetings.kindId))
    .leftJoin(people, eq(people.id, meetings.hostPersonId))
    .where(and(unitCond, gte(meetings.heldAt, s.from), lt(meetings.heldAt, s.to), cursor))
    .orderBy(asc(meetings.heldAt), asc(meetings.id))
    .limit(pageSize);
}

export interface LedgerStudyPlanRow {
  id: string;
  unitName: string;
  month: string;
  monthStart: Date;
  title: string;
  content: string;
  createdAt: Date;
}

/** Monthly study plans (学习计划) of the scope's unit(s) whose month starts in [from, to), oldest first. */
export async function* ledgerStudyPlanPages(ctx: Ctx, s: LedgerReadScope, pageSize = 500): AsyncGenerator<LedgerStudyPlanRow[]> {
  const unitCond: SQL = s.includeSubtree
    ? sql`${studyPlans.unitId} IN (SELECT ${units.id} FROM ${units} WHERE ${like(units.path, subtreePattern(s.unitPath))})`
    : eq(studyPlans.unitId, s.unitId);
  let after: { monthStart: Date; id: string } | null = null;
  for (;;) {
    const cursor: SQL | undefined = after
      ? or(gt(studyPlans.monthStart, after.monthStart), and(eq(studyPlans.monthStart, after.monthStart), gt(studyPlans.id, after.id)))
      : undefined;
    const rows: LedgerStudyPlanRow[] = await ctx.db
      .select({
        id: studyPlans.id,
        unitName: units.name,
        month: studyPlans.month,
        monthStart: studyPlans.monthStart,
        title: studyPlans.title,
        content: studyPlans.content,
        createdAt: studyPlans.createdAt,
      })
      .from(studyPlans)
      .innerJoin(units, eq(units.id, studyPlans.unitId))
      .where(and(unitCond, gte(studyPlans.monthStart, s.from), lt(studyPlans.monthStart, s.to), cursor))
      .orderBy(asc(studyPlans.monthStart), asc(studyPlans.id))
      .limit(pageSize);
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < pageSize) return;
    const last: LedgerStudyPlanRow = rows[rows.length - 1]!;
    after = { monthStart: last.monthStart, id: last.id };
  }
}
