/**
 * Chapter 舆情事件: opinion events first seen in the period — topics only (title, level, state, dates). No
 * sources, entries, responses or attachments: the ledger never records who posted something online.
 */
import { localDate } from '../../../core/periods.js';
import { ledgerOpinionEventPages } from '../../opinion/service.js';
import type { LedgerChapter } from './types.js';

export const opinionEventsChapter: LedgerChapter = {
  key: 'opinionEvents',
  title: '舆情事件',
  dateHeader: '发现日期',
  columns: [
    { header: '单位', width: 20 },
    { header: '事件主题', width: 40 },
    { header: '等级', width: 10 },
    { header: '状态', width: 10 },
    { header: '办结日期', width: 12 },
  ],
  async *pages(ctx, scope) {
    for await (const page of ledgerOpinionEventPages(ctx, scope)) {
      yield page.map((e) => ({
        happenedAt: e.firstSeenAt,
        enteredAt: e.createdAt,
        cells: [e.unitName, e.title, e.levelLabel, e.stateLabel, e.closedAt ? localDate(e.closedAt) : ''],
        attachments: [],
      }));
    }
  },
};
