/** Chapter 阵地自查: self-check results of the unit's channels recorded in the period. */
import { ledgerSelfCheckPages } from '../../channels/service.js';
import type { LedgerChapter } from './types.js';

export const selfChecksChapter: LedgerChapter = {
  key: 'selfChecks',
  title: '阵地自查',
  dateHeader: '检查日期',
  columns: [
    { header: '单位', width: 20 },
    { header: '自查轮次', width: 16 },
    { header: '阵地', width: 18 },
    { header: '合格项', width: 10 },
    { header: '不合格项', width: 30 },
    { header: '发现问题', width: 36 },
    { header: '检查人', width: 10 },
  ],
  async *pages(ctx, scope) {
    for await (const page of ledgerSelfCheckPages(ctx, scope)) {
      yield page.map((r) => ({
        happenedAt: r.checkedAt,
        enteredAt: null,
        cells: [r.unitName, r.roundLabel, r.channelName, `${r.okCount}/${r.itemCount}`, r.failed, r.problems, r.checkerName ?? ''],
        attachments: [],
      }));
    }
  },
};
