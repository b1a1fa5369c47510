import {
  createOutputBody,
  idParams,
  outputListQuery,
  paged,
  updateOutputBody,
  type WorkOutput,
  workOutput,
  workOutputDetail,
} from '@dutyledger/contracts';
import { allRows, assertExportable, buildXlsx, type ExportColumn, sendXlsx } from '../../core/export.js';
import type { RoutePlugin } from '../../core/route.js';
import * as service from './service.js';

const exportColumns: ExportColumn<WorkOutput>[] = [
  { header: '类型', value: (o) => o.kindLabel, width: 12 },
  { header: '名称', value: (o) => o.title, width: 40 },
  { header: '单位', value: (o) => o.unitName, width: 20 },
  { header: '日期', value: (o) => o.occurredOn, width: 12 },
  { header: '级别', value: (o) => o.levelLabel ?? '', width: 10 },
  { header: '媒体/授予单位/主办单位', value: (o) => o.outlet, width: 24 },
  { header: '链接', value: (o) => o.link, width: 30 },
  { header: '人数', value: (o) => o.participants ?? '', width: 8 },
  { header: '时长（小时）', value: (o) => o.hours ?? '', width: 10 },
  { header: '说明', value: (o) => o.description, width: 40 },
];

export const outputRoutes: RoutePlugin = (app) => {
  const tags = ['outputs'];
  // No DELETE: outputs are evidence for the assessment and the ledger; corrections are audited edits.
  app.get(
    '/api/outputs',
    { schema: { tags, summary: '工作成果列表', querystring: outputListQuery, response: { 200: paged(workOutput) } } },
    (req) => service.listOutputs(req.ctx, req.query),
  );
  app.get(
    '/api/outputs/export',
    { schema: { tags, summary: '导出工作成果（Excel）', querystring: outputListQuery.omit({ page: true, pageSize: true }) } },
    async (req, reply) => {
      const list = await service.listOutputs(req.ctx, { ...req.query, ...allRows });
      assertExportable(list.total);
      return sendXlsx(reply, '工作成果.xlsx', await buildXlsx('工作成果', exportColumns, list.items));
    },
  );
  app.get('/api/outputs/:id', { schema: { tags, summary: '工作成果详情', params: idParams, response: { 200: workOutputDetail } } }, (req) =>
    service.getOutput(req.ctx, req.params.id),
  );
  app.post(
    '/api/outputs',
    { schema: { tags, summary: '登记工作成果', body: createOutputBody, response: { 200: workOutputDetail } } },
    (req) => service.createOutput(req.ctx, req.body),
  );
  app.patch(
    '/api/outputs/:id',
    { schema: { tags, summary: '修改工作成果', params: idParams, body: updateOutputBody, response: { 200: workOutputDetail } } },
    (req) => service.updateOutput(req.ctx, req.params.id, req.body),
  );
};
