/** Chapter 活动报备: events (lectures, forums …) held in the period, with approval and summary. */
import { EVENT_FILING_ENTITY, ledgerEventFilingPages } from '../../channels/service.js';
import { attachmentRefs } from '../attachments.js';
import type { LedgerChapter } from './types.js';

export const eventFilingsChapter: LedgerChapter = {
  key: 'eventFilings',
  title: '活动报备',
  dateHeader: '举办日期',
  columns: [
    { header: '单位', width: 20 },
    { header: '活动类型', width: 14 },
    { header: '主题', width: 30 },
    { header: '场所', width: 18 },
    { header: '主讲人', width: 20 },
    { header: '预计规模', width: 8 },
    { header: '状态', width: 10 },
    { header: '审批意见', width: 24 },
    { header: '活动总结', width: 32 },
  ],
  async *pages(ctx, scope) {
    for await (const page of ledgerEventFilingPages(ctx, scope)) {
      const refs = await attachmentRefs(
        ctx,
        EVENT_FILING_ENTITY,
        page.map((f) => f.id),
      );
      yield page.map((f) => ({
        happenedAt: f.startsAt,
        enteredAt: f.createdAt,
        cells: [f.unitName, f.kindName, f.topic, f.venue, f.speakers, f.expectedAudience, f.stateLabel, f.decisionComment, f.summary],
        attachments: refs.get(f.id) ?? [],
      }));
    }
  },
};
