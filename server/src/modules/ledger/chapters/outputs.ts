/** Chapter 工作成果: outputs of all kinds (articles, awards, 文明创建, volunteering, model figures, trainings) in the period. */
import { ledgerOutputPages, OUTPUT_ENTITY } from '../../outputs/service.js';
import { attachmentRefs } from '../attachments.js';
import type { LedgerChapter } from './types.js';

export const outputsChapter: LedgerChapter = {
  key: 'outputs',
  title: '工作成果',
  dateHeader: '发生日期',
  columns: [
    { header: '单位', width: 20 },
    { header: '类别', width: 10 },
    { header: '名称', width: 32 },
    { header: '级别', width: 8 },
    { header: '刊发媒体（颁发机构）', width: 20 },
    { header: '参与人数', width: 8 },
    { header: '时长（小时）', width: 8 },
    { header: '说明', width: 32 },
  ],
  async *pages(ctx, scope) {
    for await (const page of ledgerOutputPages(ctx, scope)) {
      const refs = await attachmentRefs(
        ctx,
        OUTPUT_ENTITY,
        page.map((o) => o.id),
      );
      yield page.map((o) => ({
        happenedAt: new Date(`${o.occurredOn}T00:00:00+08:00`),
        enteredAt: o.createdAt,
        cells: [o.unitName, o.kindLabel, o.title, o.levelLabel, o.outlet, o.participants ?? '', o.hours ?? '', o.description],
        attachments: refs.get(o.id) ?? [],
      }));
    }
  },
};
