/** Chapter 任务落实: tasks of the unit(s) due or completed in the period, with their evidence. */
import { localDate } from '../../../core/periods.js';
import { ledgerTaskPages, TASK_ENTITY } from '../../duty/service.js';
import { attachmentRefs } from '../attachments.js';
import type { LedgerChapter } from './types.js';

export const tasksChapter: LedgerChapter = {
  key: 'tasks',
  title: '任务落实',
  dateHeader: '截止日期',
  columns: [
    { header: '任务', width: 36 },
    { header: '承办单位', width: 20 },
    { header: '交办单位', width: 20 },
    { header: '承办人', width: 10 },
    { header: '状态', width: 8 },
    { header: '办结日期', width: 12 },
    { header: '来源', width: 20 },
    { header: '工作方案', width: 24 },
    { header: '进展', width: 36 },
  ],
  async *pages(ctx, scope) {
    for await (const page of ledgerTaskPages(ctx, scope)) {
      const refs = await attachmentRefs(
        ctx,
        TASK_ENTITY,
        page.map((t) => t.id),
      );
      yield page.map((t) => ({
        happenedAt: t.deadline,
        enteredAt: null,
        cells: [
          t.title,
          t.unitName,
          t.assignerUnitName,
          t.assigneePersonName ?? '',
          t.stateLabel,
          t.doneAt ? localDate(t.doneAt) : '',
          t.sourceLabel ?? '',
          t.planTitle ?? '',
          t.progress ?? '',
        ],
        attachments: refs.get(t.id) ?? [],
      }));
    }
  },
};
