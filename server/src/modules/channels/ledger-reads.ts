/**
 * Reads of channel records for the ledger (台账): publications with a summary of their review history,
 * event filings, and self-check results of the scope's unit(s) in a period, page by page (keyset).
 *
 * Trusted reads: the ledger module has checked `ledger.export` on the unit (and reach over the subtree).
 */
import {
  type EventFilingState,
  eventFilingStateLabels,
  type PublicationAction,
  type PublicationState,
  publicationStateLabels,
  reviewLevelLabels,
} from '@dutyledger/contracts';
import { and, asc, eq, gt, gte, lt, ne, or, sql } from 'drizzle-orm';
import type { Ctx } from '../../core/context.js';
import { keysetPages, type LedgerReadScope, unitsOf } from '../../core/ledger-reads.js';
import { localDate } from '../../core/periods.js';
import { people, units } from '../../core/schema.js';
import { EVENT_FILING_ENTITY } from './filings.js';
import { PUBLICATION_ENTITY, transitions } from './publications.js';
import { channelDicts, channels, eventFilings, publicationSteps, publications, selfCheckResults, selfCheckRounds } from './schema.js';

export { EVENT_FILING_ENTITY, PUBLICATION_ENTITY };

interface StepRow {
  action: string;
  level: number | null;
  actor: string | null;
  at: string;
  comment: string;
}

function stepLabel(st: StepRow): string {
  const base =
    st.action === 'approve' && st.level
      ? `${reviewLevelLabels[st.level - 1] ?? '审核'}通过`
      : (transitions[st.action as PublicationAction]?.label ?? st.action);
  const who = st.actor ? `（${st.actor}）` : '';
  const note = st.comment && st.action !== 'publish' ? `：${st.comment}` : '';
  return `${localDate(new Date(st.at))} ${base}${who}${note}`;
}

export interface LedgerPublicationRow {
  id: string;
  unitName: string;
  channelName: string;
  title: string;
  authorName: string;
  state: string;
  stateLabel: string;
  publishedAt: Date | null;
  publishedUrl: string | null;
  /** one line per review step, oldest first */
  reviewSummary: string;
  createdAt: Date;
}

/** Publications of the scope's unit(s) written or published in the period, by date written; drafts (never submitted) are not records yet. */
export async function* ledgerPublicationPages(ctx: Ctx, s: LedgerReadScope, pageSize = 500): AsyncGenerator<LedgerPublicationRow[]> {
  const p = publications;
  const inPeriod = or(and(gte(p.createdAt, s.from), lt(p.createdAt, s.to)), and(gte(p.publishedAt, s.from), lt(p.publishedAt, s.to)));
  for await (const rows of keysetPages(
    (after: { createdAt: Date; id: string } | null) =>
      ctx.db
        .select({
          id: p.id,
          unitName: units.name,
          channelName: channels.name,
          title: p.title,
          authorName: people.displayName,
          state: p.state,
          publishedAt: p.publishedAt,
          publishedUrl: p.publishedUrl,
          createdAt: p.createdAt,
          steps: sql<
            StepRow[]
          >`coalesce((SELECT json_agg(json_build_object('action', st.action, 'level', st.level, 'actor', sp.display_name, 'at', st.created_at, 'comment', st.comment) ORDER BY st.created_at, st.id) FROM ${publicationSteps} st LEFT JOIN ${people} sp ON sp.id = st.actor_id WHERE st.publication_id = ${p.id}), '[]'::json)`,
        })
        .from(p)
        .innerJoin(units, eq(units.id, p.unitId))
        .innerJoin(channels, eq(channels.id, p.channelId))
        .innerJoin(people, eq(people.id, p.authorId))
        .where(
          and(
            unitsOf(p.unitId, s),
            ne(p.state, 'draft'),
            inPeriod,
            after ? or(gt(p.createdAt, after.createdAt), and(eq(p.createdAt, after.createdAt), gt(p.id, after.id))) : undefined,
          ),
        )
        .orderBy(asc(p.createdAt), asc(p.id))
        .limit(pageSize),
    pageSize,
  )) {
    yield rows.map(({ steps, ...r }) => ({
      ...r,
      stateLabel: publicationStateLabels[r.state as PublicationState] ?? r.state,
      reviewSummary: steps.map(stepLabel).join('\n'),
    }));
  }
}

export interface LedgerEventFilingRow {
  id: string;
  unitName: string;
  kindName: string;
  topic: string;
  venue: string;
  speakers: string;
  startsAt: Date;
  expectedAudience: number;
  stateLabel: string;
  decisionComment: string;
  summary: string;
  createdAt: Date;
}

/** Event filings (活动报备) of the scope's unit(s) whose event starts in the period, by start; drafts left out. */
export async function* ledgerEventFilingPages(ctx: Ctx, s: LedgerReadScope, pageSize = 500): AsyncGenerator<LedgerEventFilingRow[]> {
  const f = eventFilings;
  for await (const rows of keysetPages(
    (after: { startsAt: Date; id: string } | null) =>
      ctx.db
        .select({
          id: f.id,
          unitName: units.name,
          kindName: channelDicts.name,
          topic: f.topic,
          venue: f.venue,
          speakers: f.speakers,
          startsAt: f.startsAt,
          expectedAudience: f.expectedAudience,
          state: f.state,
          decisionComment: f.decisionComment,
          summary: f.summary,
          createdAt: f.createdAt,
        })
        .from(f)
        .innerJoin(units, eq(units.id, f.unitId))
        .innerJoin(channelDicts, eq(channelDicts.id, f.kindId))
        .where(
          and(
            unitsOf(f.unitId, s),
            ne(f.state, 'draft'),
            gte(f.startsAt, s.from),
            lt(f.startsAt, s.to),
            after ? or(gt(f.startsAt, after.startsAt), and(eq(f.startsAt, after.startsAt), gt(f.id, after.id))) : undefined,
          ),
        )
        .orderBy(asc(f.startsAt), asc(f.id))
        .limit(pageSize),
    pageSize,
  )) {
    yield rows.map(({ state, speakers, decisionComment, summary, ...r }) => ({
      ...r,
      speakers: speakers.map((sp) => (sp.affiliation ? `${sp.name}（${sp.affiliation}）` : sp.name)).join('、'),
      stateLabel: eventFilingStateLabels[state as EventFilingState] ?? state,
      decisionComment: decisionComment ?? '',
      summary: summary ?? '',
    }));
  }
}

export interface LedgerSelfCheckRow {
  id: string;
  unitName: string;
  roundLabel: string;
  channelName: string;
  okCount: number;
  itemCount: number;
  failed: string;
  problems: string;
  checkerName: string | null;
  checkedAt: Date;
}

/** Self-check results (自查) of the scope's unit(s) checked in the period, by check time. */
export async function* ledgerSelfCheckPages(ctx: Ctx, s: LedgerReadScope, pageSize = 500): AsyncGenerator<LedgerSelfCheckRow[]> {
  const r = selfCheckResults;
  for await (const rows of keysetPages(
    (after: { checkedAt: Date; id: string } | null) =>
      ctx.db
        .select({
          id: r.id,
          unitName: units.name,
          roundLabel: selfCheckRounds.label,
          channelName: channels.name,
          answers: r.answers,
          problems: r.problems,
          checkerName: people.displayName,
          checkedAt: r.checkedAt,
        })
        .from(r)
        .innerJoin(selfCheckRounds, eq(selfCheckRounds.id, r.roundId))
        .innerJoin(units, eq(units.id, selfCheckRounds.unitId))
        .innerJoin(channels, eq(channels.id, r.channelId))
        .leftJoin(people, eq(people.id, r.checkedBy))
        .where(
          and(
            unitsOf(selfCheckRounds.unitId, s),
            gte(r.checkedAt, s.from),
            lt(r.checkedAt, s.to),
            after ? or(gt(r.checkedAt, after.checkedAt), and(eq(r.checkedAt, after.checkedAt), gt(r.id, after.id))) : undefined,
          ),
        )
        .orderBy(asc(r.checkedAt), asc(r.id))
        .limit(pageSize),
    pageSize,
  )) {
    yield rows.map(({ answers, problems, ...x }) => ({
      ...x,
      okCount: answers.filter((a) => a.ok).length,
      itemCount: answers.length,
      failed: answers
        .filter((a) => !a.ok)
        .map((a) => (a.note ? `${a.item}（${a.note}）` : a.item))
        .join('；'),
      problems: problems.map((p, i) => `${i + 1}. ${p.text}${p.taskId ? '（已转任务）' : ''}`).join('\n'),
    }));
  }
}
