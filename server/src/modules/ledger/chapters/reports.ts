/** Chapter 报告报送: the unit's submissions to report windows closing in the period. */
import { localDate } from '../../../core/periods.js';
import { ledgerSubmissionPages, SUBMISSION_ENTITY } from '../../reports/service.js';
import { attachmentRefs } from '../attachments.js';
import type { LedgerChapter } from './types.js';

export const reportsChapter: LedgerChapter = {
  key: 'reports',
  title: '报告报送',
  dateHeader: '截止日期',
  columns: [
    { header: '单位', width: 20 },
    { header: '报告', width: 32 },
    { header: '类型', width: 12 },
    { header: '期间', width: 10 },
    { header: '状态', width: 8 },
    { header: '报送日期', width: 12 },
    { header: '报送人', width: 10 },
    { header: '是否逾期', width: 8 },
  ],
  async *pages(ctx, scope) {
    for await (const page of ledgerSubmissionPages(ctx, scope)) {
      const refs = await attachmentRefs(
        ctx,
        SUBMISSION_ENTITY,
        page.map((r) => r.id),
      );
      yield page.map((r) => ({
        happenedAt: r.closesAt,
        enteredAt: null,
        cells: [
          r.unitName,
          r.windowTitle,
          r.kindLabel,
          r.periodKey,
          r.stateLabel,
          r.submittedAt ? localDate(r.submittedAt) : '',
          r.submitterName ?? '',
          r.late ? '逾期' : '',
        ],
        attachments: refs.get(r.id) ?? [],
      }));
    }
  },
};
