/** Chapter 分析研判: analysis reports of the unit(s) written in the period, with their measures. */
import { localDate } from '../../../core/periods.js';
import { ANALYSIS_ENTITY, ledgerAnalysisPages } from '../../opinion/service.js';
import { attachmentRefs } from '../attachments.js';
import type { LedgerChapter } from './types.js';

export const analysisChapter: LedgerChapter = {
  key: 'analysis',
  title: '分析研判',
  dateHeader: '撰写日期',
  columns: [
    { header: '单位', width: 20 },
    { header: '研判周期', width: 14 },
    { header: '标题', width: 32 },
    { header: '报送单位', width: 18 },
    { header: '状态', width: 8 },
    { header: '报送日期', width: 12 },
    { header: '工作措施', width: 40 },
  ],
  async *pages(ctx, scope) {
    for await (const page of ledgerAnalysisPages(ctx, scope)) {
      const refs = await attachmentRefs(
        ctx,
        ANALYSIS_ENTITY,
        page.map((a) => a.id),
      );
      yield page.map((a) => ({
        happenedAt: a.createdAt,
        enteredAt: null,
        cells: [
          a.unitName,
          a.periodLabel,
          a.title,
          a.toUnitName ?? '',
          a.stateLabel,
          a.submittedAt ? localDate(a.submittedAt) : '',
          a.measures,
        ],
        attachments: refs.get(a.id) ?? [],
      }));
    }
  },
};
