/** Chapter 学习计划: the monthly study plans of the unit(s) for the months of the period, with their files. */
import { ledgerStudyPlanPages, STUDY_PLAN_ENTITY } from '../../meetings/service.js';
import { attachmentRefs } from '../attachments.js';
import type { LedgerChapter } from './types.js';

export const studyPlansChapter: LedgerChapter = {
  key: 'studyPlans',
  title: '学习计划',
  dateHeader: '计划月份',
  columns: [
    { header: '单位', width: 20 },
    { header: '月份', width: 10 },
    { header: '标题', width: 30 },
    { header: '学习内容', width: 48 },
  ],
  async *pages(ctx, scope) {
    for await (const page of ledgerStudyPlanPages(ctx, scope)) {
      const refs = await attachmentRefs(
        ctx,
        STUDY_PLAN_ENTITY,
        page.map((p) => p.id),
      );
      yield page.map((p) => ({
        happenedAt: p.monthStart,
        enteredAt: p.createdAt,
        cells: [p.unitName, p.month, p.title, p.content],
        attachments: refs.get(p.id) ?? [],
      }));
    }
  },
};
