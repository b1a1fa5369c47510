/**
 * Reads of rectification items for the ledger (台账): items of the scope's unit(s) due, signed off or
 * raised in a period, with their state, page by page (keyset on deadline).
 *
 * Trusted reads: the ledger module has checked `ledger.export` on the unit (and reach over the subtree).
 */
import { type RectifyItemState, rectifyItemStateLabels } from '@dutyledger/contracts';
import { and, asc, eq, gt, gte, lt, or } from 'drizzle-orm';
import type { Ctx } from '../../core/context.js';
import { keysetPages, type LedgerReadScope, unitsOf } from '../../core/ledger-reads.js';
import { people, units } from '../../core/schema.js';
import { RECTIFY_ITEM_ENTITY } from './items.js';
import { inspections, rectifyFindings, rectifyItems } from './schema.js';

export { RECTIFY_ITEM_ENTITY };

export interface LedgerRectifyItemRow {
  id: string;
  unitName: string;
  inspectionTitle: string;
  finding: string;
  measure: string;
  ownerName: string | null;
  deadline: Date;
  stateLabel: string;
  signedOffAt: Date | null;
  progress: string;
  createdAt: Date;
}

/** Rectification items of the scope's unit(s) due, signed off or raised in the period, by deadline. */
export async function* ledgerRectifyItemPages(ctx: Ctx, s: LedgerReadScope, pageSize = 500): AsyncGenerator<LedgerRectifyItemRow[]> {
  const i = rectifyItems;
  const inPeriod = or(
    and(gte(i.deadline, s.from), lt(i.deadline, s.to)),
    and(gte(i.signedOffAt, s.from), lt(i.signedOffAt, s.to)),
    and(gte(i.createdAt, s.from), lt(i.createdAt, s.to)),
  );
  for await (const rows of keysetPages(
    (after: { deadline: Date; id: string } | null) =>
      ctx.db
        .select({
          id: i.id,
          unitName: units.name,
          inspectionTitle: inspections.title,
          finding: rectifyFindings.description,
          measure: i.measure,
          ownerName: people.displayName,
          deadline: i.deadline,
          state: i.state,
          signedOffAt: i.signedOffAt,
          progress: i.progress,
          createdAt: i.createdAt,
        })
        .from(i)
        .innerJoin(units, eq(units.id, i.unitId))
        .innerJoin(inspections, eq(inspections.id, i.inspectionId))
        .innerJoin(rectifyFindings, eq(rectifyFindings.id, i.findingId))
        .leftJoin(people, eq(people.id, i.ownerPersonId))
        .where(
          and(
            unitsOf(i.unitId, s),
            inPeriod,
            after ? or(gt(i.deadline, after.deadline), and(eq(i.deadline, after.deadline), gt(i.id, after.id))) : undefined,
          ),
        )
        .orderBy(asc(i.deadline), asc(i.id))
        .limit(pageSize),
    pageSize,
  )) {
    yield rows.map(({ state, progress, ...x }) => ({
      ...x,
      stateLabel: rectifyItemStateLabels[state as RectifyItemState] ?? state,
      progress: progress ?? '',
    }));
  }
}
