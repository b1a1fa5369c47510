/** Chapter 责任体系: leading-group members and duty assignments valid in the period, and the year's responsibility letters. */
import { LETTER_ENTITY, ledgerResponsibilityPages } from '../../duty/service.js';
import { attachmentRefs } from '../attachments.js';
import type { LedgerChapter } from './types.js';

export const responsibilityChapter: LedgerChapter = {
  key: 'responsibility',
  title: '责任体系',
  dateHeader: '起始日期',
  columns: [
    { header: '类别', width: 10 },
    { header: '单位', width: 20 },
    { header: '责任人（主体）', width: 20 },
    { header: '职责（状态）', width: 14 },
    { header: '内容', width: 40 },
    { header: '有效期', width: 24 },
  ],
  async *pages(ctx, scope) {
    for await (const page of ledgerResponsibilityPages(ctx, scope)) {
      const letterIds = page.flatMap((r) => (r.letterId ? [r.letterId] : []));
      const refs = await attachmentRefs(ctx, LETTER_ENTITY, letterIds);
      yield page.map((r) => ({
        happenedAt: r.happenedAt,
        enteredAt: r.createdAt,
        cells: [r.category, r.unitName, r.subject, r.role, r.content, r.validity],
        attachments: (r.letterId && refs.get(r.letterId)) || [],
      }));
    }
  },
};
