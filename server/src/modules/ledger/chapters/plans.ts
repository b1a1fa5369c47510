/** Chapter 工作方案: the annual plans (工作要点) of the period's years and their items. */
import { ledgerPlanPages } from '../../duty/service.js';
import type { LedgerChapter } from './types.js';

export const plansChapter: LedgerChapter = {
  key: 'plans',
  title: '工作方案',
  dateHeader: '制定日期',
  columns: [
    { header: '单位', width: 20 },
    { header: '年度', width: 8 },
    { header: '方案名称', width: 30 },
    { header: '部分', width: 14 },
    { header: '工作事项', width: 36 },
    { header: '分解任务数', width: 10 },
  ],
  async *pages(ctx, scope) {
    for await (const page of ledgerPlanPages(ctx, scope)) {
      yield page.map((p) => ({
        happenedAt: p.createdAt,
        enteredAt: null,
        cells: [p.unitName, p.year, p.planTitle, p.section, p.itemTitle ?? '（无事项）', p.taskCount],
        attachments: [],
      }));
    }
  },
};
