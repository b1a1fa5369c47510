/**
 * Chapter 问责情况: how many accountability measures were decided in the period about the unit (and its
 * subtree when the ledger includes it), per measure. Counts only (the counting of accountabilityCounts,
 * without its actor check: the ledger checked `ledger.export`): never names, causes or documents.
 */
import { type AccountabilityMeasure, accountabilityMeasureLabels, accountabilityMeasures } from '@dutyledger/contracts';
import { ledgerAccountabilityCounts } from '../../accountability/service.js';
import type { LedgerChapter } from './types.js';

export const accountabilityChapter: LedgerChapter = {
  key: 'accountability',
  title: '问责情况',
  dateHeader: '统计期间',
  columns: [
    { header: '问责方式', width: 20 },
    { header: '次数', width: 10 },
  ],
  async *pages(ctx, scope) {
    const counts = await ledgerAccountabilityCounts(ctx, scope);
    yield [
      ...accountabilityMeasures.map((m: AccountabilityMeasure) => ({
        happenedAt: null,
        enteredAt: null,
        cells: [accountabilityMeasureLabels[m], counts.byMeasure[m]],
        attachments: [],
      })),
      { happenedAt: null, enteredAt: null, cells: ['合计', counts.total], attachments: [] },
    ];
  },
};
