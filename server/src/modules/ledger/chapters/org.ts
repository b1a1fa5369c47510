/** Chapter 组织与职责: the unit (or its subtree) and the people holding posts in it (a snapshot of today). */
import { ledgerPostPages } from '../../org/service.js';
import type { LedgerChapter } from './types.js';

export const orgChapter: LedgerChapter = {
  key: 'org',
  title: '组织与职责',
  dateHeader: '任职登记日期',
  columns: [
    { header: '单位', width: 24 },
    { header: '单位类型', width: 10 },
    { header: '姓名', width: 10 },
    { header: '职务', width: 18 },
    { header: '系统角色', width: 18 },
  ],
  async *pages(ctx, scope) {
    for await (const page of ledgerPostPages(ctx, scope)) {
      yield page.map((p) => ({
        happenedAt: p.createdAt,
        enteredAt: null,
        cells: [p.unitName, p.unitType, p.personName, p.title, p.roleLabels],
        attachments: [],
      }));
    }
  },
};
