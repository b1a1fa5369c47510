/**
 * Reads of accountability for the ledger (台账): counts per measure only (the same counting as
 * `accountabilityCounts`), never names, causes or documents.
 *
 * Trusted read: the ledger module has checked `ledger.export` on the unit (and reach over the subtree).
 */
import type { AccountabilityMeasure } from '@dutyledger/contracts';
import type { Ctx } from '../../core/context.js';
import { countMeasures } from './records.js';

/** Measures decided in [from, to) about subjects in the unit (or its subtree), per measure and in total. */
export function ledgerAccountabilityCounts(
  ctx: Ctx,
  s: { unitId: string; includeSubtree: boolean; from: Date; to: Date },
): Promise<{ total: number; byMeasure: Record<AccountabilityMeasure, number> }> {
  return countMeasures(ctx, s.unitId, s.includeSubtree, { start: s.from, end: s.to });
}
