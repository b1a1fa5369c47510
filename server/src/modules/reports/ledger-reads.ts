/**
 * Reads of report submissions for the ledger (台账): the submissions of the scope's unit(s) to windows
 * closing in a period, page by page (keyset on the window's deadline).
 *
 * Trusted reads: the ledger module has checked `ledger.export` on the unit (and reach over the subtree).
 */
import { type ReportKind, reportKindLabels, type SubmissionState, submissionStateLabels } from '@dutyledger/contracts';
import { and, asc, eq, gt, gte, lt, or } from 'drizzle-orm';
import type { Ctx } from '../../core/context.js';
import { keysetPages, type LedgerReadScope, unitsOf } from '../../core/ledger-reads.js';
import { people, units } from '../../core/schema.js';
import { reportSubmissions, reportWindows } from './schema.js';
import { SUBMISSION_ENTITY } from './submissions.js';

export { SUBMISSION_ENTITY };

export interface LedgerSubmissionRow {
  id: string;
  unitName: string;
  windowTitle: string;
  kindLabel: string;
  periodKey: string;
  closesAt: Date;
  stateLabel: string;
  submittedAt: Date | null;
  submitterName: string | null;
  late: boolean;
  createdAt: Date;
}

/** Submissions of the scope's unit(s) to report windows closing in the period, by deadline. */
export async function* ledgerSubmissionPages(ctx: Ctx, s: LedgerReadScope, pageSize = 500): AsyncGenerator<LedgerSubmissionRow[]> {
  const r = reportSubmissions;
  const w = reportWindows;
  for await (const rows of keysetPages(
    (after: { closesAt: Date; id: string } | null) =>
      ctx.db
        .select({
          id: r.id,
          unitName: units.name,
          windowTitle: w.title,
          kind: w.kind,
          periodKey: w.periodKey,
          closesAt: w.closesAt,
          state: r.state,
          submittedAt: r.firstSubmittedAt,
          submitterName: people.displayName,
          createdAt: r.createdAt,
        })
        .from(r)
        .innerJoin(w, eq(w.id, r.windowId))
        .innerJoin(units, eq(units.id, r.unitId))
        .leftJoin(people, eq(people.id, r.submittedBy))
        .where(
          and(
            unitsOf(r.unitId, s),
            gte(w.closesAt, s.from),
            lt(w.closesAt, s.to),
            after ? or(gt(w.closesAt, after.closesAt), and(eq(w.closesAt, after.closesAt), gt(r.id, after.id))) : undefined,
          ),
        )
        .orderBy(asc(w.closesAt), asc(r.id))
        .limit(pageSize),
    pageSize,
  )) {
    yield rows.map(({ kind, state, ...x }) => ({
      ...x,
      kindLabel: reportKindLabels[kind as ReportKind] ?? kind,
      stateLabel: submissionStateLabels[state as SubmissionState] ?? state,
      late: x.submittedAt ? x.submittedAt > x.closesAt : false,
    }));
  }
}
