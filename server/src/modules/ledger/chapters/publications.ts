/** Chapter 阵地稿件审核: publications written or published in the period, with a summary of their review history. */
import { localDate } from '../../../core/periods.js';
import { ledgerPublicationPages, PUBLICATION_ENTITY } from '../../channels/service.js';
import { attachmentRefs } from '../attachments.js';
import type { LedgerChapter } from './types.js';

export const publicationsChapter: LedgerChapter = {
  key: 'publications',
  title: '阵地稿件审核',
  dateHeader: '撰稿日期',
  columns: [
    { header: '单位', width: 20 },
    { header: '阵地', width: 18 },
    { header: '标题', width: 32 },
    { header: '撰稿人', width: 10 },
    { header: '状态', width: 8 },
    { header: '发布日期', width: 12 },
    { header: '审核记录', width: 44 },
  ],
  async *pages(ctx, scope) {
    for await (const page of ledgerPublicationPages(ctx, scope)) {
      const refs = await attachmentRefs(
        ctx,
        PUBLICATION_ENTITY,
        page.map((p) => p.id),
      );
      yield page.map((p) => ({
        happenedAt: p.createdAt,
        enteredAt: null,
        cells: [
          p.unitName,
          p.channelName,
          p.title,
          p.authorName,
          p.stateLabel,
          p.publishedAt ? localDate(p.publishedAt) : '',
          p.reviewSummary,
        ],
        attachments: refs.get(p.id) ?? [],
      }));
    }
  },
};
