/** Chapter 整改落实: rectification items of the unit due, signed off or raised in the period, with their state. */
import { localDate } from '../../../core/periods.js';
import { ledgerRectifyItemPages, RECTIFY_ITEM_ENTITY } from '../../rectify/service.js';
import { attachmentRefs } from '../attachments.js';
import type { LedgerChapter } from './types.js';

export const rectifyChapter: LedgerChapter = {
  key: 'rectify',
  title: '整改落实',
  dateHeader: '整改时限',
  columns: [
    { header: '单位', width: 20 },
    { header: '检查', width: 24 },
    { header: '问题', width: 32 },
    { header: '整改措施', width: 32 },
    { header: '责任人', width: 10 },
    { header: '状态', width: 8 },
    { header: '销号日期', width: 12 },
    { header: '整改进展', width: 32 },
  ],
  async *pages(ctx, scope) {
    for await (const page of ledgerRectifyItemPages(ctx, scope)) {
      const refs = await attachmentRefs(
        ctx,
        RECTIFY_ITEM_ENTITY,
        page.map((r) => r.id),
      );
      yield page.map((r) => ({
        happenedAt: r.deadline,
        enteredAt: null,
        cells: [
          r.unitName,
          r.inspectionTitle,
          r.finding,
          r.measure,
          r.ownerName ?? '',
          r.stateLabel,
          r.signedOffAt ? localDate(r.signedOffAt) : '',
          r.progress,
        ],
        attachments: refs.get(r.id) ?? [],
      }));
    }
  },
};
