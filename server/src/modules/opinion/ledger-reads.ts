/**
 * Reads of opinion-work records for the ledger (台账): analysis reports (分析研判), opinion events — topics
 * only (title, level, state, dates; never sources, entries or anything about who posted) — and bulletins
 * sent, of the scope's unit(s) in a period, page by page (keyset).
 *
 * Trusted reads: the ledger module has checked `ledger.export` on the unit (and reach over the subtree).
 */
import {
  type AnalysisState,
  analysisStateLabels,
  type OpinionLevel,
  type OpinionState,
  opinionLevelLabels,
  opinionStateLabels,
} from '@dutyledger/contracts';
import { and, asc, eq, gt, gte, lt, ne, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Ctx } from '../../core/context.js';
import { keysetPages, type LedgerReadScope, unitsOf } from '../../core/ledger-reads.js';
import { units } from '../../core/schema.js';
import { ANALYSIS_ENTITY } from './analysis.js';
import { BULLETIN_ENTITY } from './bulletins.js';
import { analysisMeasures, analysisReports, bulletinRecipients, bulletins, opinionEvents } from './schema.js';

export { ANALYSIS_ENTITY, BULLETIN_ENTITY };

export interface LedgerAnalysisRow {
  id: string;
  unitName: string;
  periodLabel: string;
  title: string;
  toUnitName: string | null;
  stateLabel: string;
  submittedAt: Date | null;
  measures: string;
  createdAt: Date;
}

const toUnits = alias(units, 'ledger_analysis_to_units');

/** Analysis reports of the scope's unit(s) written in the period, oldest first; drafts left out. */
export async function* ledgerAnalysisPages(ctx: Ctx, s: LedgerReadScope, pageSize = 500): AsyncGenerator<LedgerAnalysisRow[]> {
  const a = analysisReports;
  for await (const rows of keysetPages(
    (after: { createdAt: Date; id: string } | null) =>
      ctx.db
        .select({
          id: a.id,
          unitName: units.name,
          periodLabel: a.periodLabel,
          title: a.title,
          toUnitName: toUnits.name,
          state: a.state,
          submittedAt: a.submittedAt,
          createdAt: a.createdAt,
          measures: sql<string>`coalesce((SELECT string_agg(m.text, '；' ORDER BY m.sort, m.id) FROM ${analysisMeasures} m WHERE m.report_id = ${a.id} AND m.active), '')`,
        })
        .from(a)
        .innerJoin(units, eq(units.id, a.unitId))
        .leftJoin(toUnits, eq(toUnits.id, a.toUnitId))
        .where(
          and(
            unitsOf(a.unitId, s),
            ne(a.state, 'draft'),
            gte(a.createdAt, s.from),
            lt(a.createdAt, s.to),
            after ? or(gt(a.createdAt, after.createdAt), and(eq(a.createdAt, after.createdAt), gt(a.id, after.id))) : undefined,
          ),
        )
        .orderBy(asc(a.createdAt), asc(a.id))
        .limit(pageSize),
    pageSize,
  )) {
    yield rows.map(({ state, ...r }) => ({ ...r, stateLabel: analysisStateLabels[state as AnalysisState] ?? state }));
  }
}

export interface LedgerOpinionEventRow {
  id: string;
  unitName: string;
  /** the topic: the event's title only */
  title: string;
  levelLabel: string;
  stateLabel: string;
  firstSeenAt: Date;
  closedAt: Date | null;
  createdAt: Date;
}

/** Opinion events of the scope's unit(s) first seen in the period: topics only. */
export async function* ledgerOpinionEventPages(ctx: Ctx, s: LedgerReadScope, pageSize = 500): AsyncGenerator<LedgerOpinionEventRow[]> {
  const e = opinionEvents;
  for await (const rows of keysetPages(
    (after: { firstSeenAt: Date; id: string } | null) =>
      ctx.db
        .select({
          id: e.id,
          unitName: units.name,
          title: e.title,
          level: e.level,
          state: e.state,
          firstSeenAt: e.firstSeenAt,
          closedAt: e.closedAt,
          createdAt: e.createdAt,
        })
        .from(e)
        .innerJoin(units, eq(units.id, e.unitId))
        .where(
          and(
            unitsOf(e.unitId, s),
            gte(e.firstSeenAt, s.from),
            lt(e.firstSeenAt, s.to),
            after ? or(gt(e.firstSeenAt, after.firstSeenAt), and(eq(e.firstSeenAt, after.firstSeenAt), gt(e.id, after.id))) : undefined,
          ),
        )
        .orderBy(asc(e.firstSeenAt), asc(e.id))
        .limit(pageSize),
    pageSize,
  )) {
    yield rows.map(({ level, state, ...r }) => ({
      ...r,
      levelLabel: opinionLevelLabels[level as OpinionLevel] ?? level,
      stateLabel: opinionStateLabels[state as OpinionState] ?? state,
    }));
  }
}

export interface LedgerBulletinRow {
  id: string;
  unitName: string;
  title: string;
  sentAt: Date;
  recipientCount: number;
  readCount: number;
}

/** Bulletins sent by the scope's unit(s) in the period, with how many recipient units have read them. */
export async function* ledgerBulletinPages(ctx: Ctx, s: LedgerReadScope, pageSize = 500): AsyncGenerator<LedgerBulletinRow[]> {
  const b = bulletins;
  for await (const rows of keysetPages(
    (after: { sentAt: Date; id: string } | null) =>
      ctx.db
        .select({
          id: b.id,
          unitName: units.name,
          title: b.title,
          sentAt: b.sentAt,
          recipientCount: sql<number>`(SELECT count(*)::int FROM ${bulletinRecipients} r WHERE r.bulletin_id = ${b.id})`,
          readCount: sql<number>`(SELECT count(*)::int FROM ${bulletinRecipients} r WHERE r.bulletin_id = ${b.id} AND r.read_at IS NOT NULL)`,
        })
        .from(b)
        .innerJoin(units, eq(units.id, b.unitId))
        .where(
          and(
            unitsOf(b.unitId, s),
            gte(b.sentAt, s.from),
            lt(b.sentAt, s.to),
            after ? or(gt(b.sentAt, after.sentAt), and(eq(b.sentAt, after.sentAt), gt(b.id, after.id))) : undefined,
          ),
        )
        .orderBy(asc(b.sentAt), asc(b.id))
        .limit(pageSize),
    pageSize,
  )) {
    yield rows.map((r) => ({ ...r, recipientCount: Number(r.recipientCount), readCount: Number(r.readCount) }));
  }
}
