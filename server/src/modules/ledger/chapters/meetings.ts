/** Chapter 会议学习: meetings held in the period, with attendance, resolutions and materials. */
import { ledgerMeetingPages, MEETING_ENTITY } from '../../meetings/service.js';
import { attachmentRefs } from '../attachments.js';
import type { LedgerChapter } from './types.js';

export const meetingsChapter: LedgerChapter = {
  key: 'meetings',
  title: '会议学习',
  dateHeader: '召开日期',
  columns: [
    { header: '单位', width: 20 },
    { header: '会议类型', width: 18 },
    { header: '主题', width: 36 },
    { header: '主持人', width: 10 },
    { header: '参会人员', width: 30 },
    { header: '缺席人员（原因）', width: 24 },
    { header: '决议', width: 36 },
  ],
  async *pages(ctx, scope) {
    for await (const page of ledgerMeetingPages(ctx, scope)) {
      const refs = await attachmentRefs(
        ctx,
        MEETING_ENTITY,
        page.map((m) => m.id),
      );
      yield page.map((m) => ({
        happenedAt: m.heldAt,
        enteredAt: m.createdAt,
        cells: [
          m.unitName,
          m.kindName,
          m.topic,
          m.hostName ?? '',
          m.attendees,
          m.absentees,
          m.resolutions.map((r, i) => `${i + 1}. ${r.text}`).join('\n'),
        ],
        attachments: refs.get(m.id) ?? [],
      }));
    }
  },
};
