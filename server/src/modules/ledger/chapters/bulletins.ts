/** Chapter 通报: bulletins the unit(s) sent in the period, with how many recipient units have read them. */
import { BULLETIN_ENTITY, ledgerBulletinPages } from '../../opinion/service.js';
import { attachmentRefs } from '../attachments.js';
import type { LedgerChapter } from './types.js';

export const bulletinsChapter: LedgerChapter = {
  key: 'bulletins',
  title: '通报',
  dateHeader: '发送日期',
  columns: [
    { header: '发送单位', width: 20 },
    { header: '标题', width: 40 },
    { header: '接收单位数', width: 10 },
    { header: '已读单位数', width: 10 },
  ],
  async *pages(ctx, scope) {
    for await (const page of ledgerBulletinPages(ctx, scope)) {
      const refs = await attachmentRefs(
        ctx,
        BULLETIN_ENTITY,
        page.map((b) => b.id),
      );
      yield page.map((b) => ({
        happenedAt: b.sentAt,
        enteredAt: null,
        cells: [b.unitName, b.title, b.recipientCount, b.readCount],
        attachments: refs.get(b.id) ?? [],
      }));
    }
  },
};
