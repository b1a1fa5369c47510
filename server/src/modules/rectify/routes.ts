import {
  createFindingBody,
  createInspectionBody,
  createRectifyItemBody,
  finding,
  idParams,
  inspection,
  inspectionDetail,
  inspectionListQuery,
  paged,
  type RectifyItem,
  recheckRectifyItemBody,
  rectifyBoard,
  rectifyBoardQuery,
  rectifyItem,
  rectifyItemDetail,
  rectifyItemListQuery,
  returnRectifyItemBody,
  signOffRectifyItemBody,
  submitRectifyItemBody,
  updateInspectionBody,
  updateRectifyItemBody,
} from '@dutyledger/contracts';
import { allRows, assertExportable, buildXlsx, type ExportColumn, sendXlsx, shanghaiTime } from '../../core/export.js';
import type { RoutePlugin } from '../../core/route.js';
import * as service from './service.js';

const itemExportColumns: ExportColumn<RectifyItem>[] = [
  { header: '检查', value: (t) => t.inspectionTitle, width: 30 },
  { header: '问题', value: (t) => t.findingText, width: 40 },
  { header: '整改措施', value: (t) => t.measure, width: 40 },
  { header: '责任单位', value: (t) => t.unitName, width: 20 },
  { header: '责任人', value: (t) => t.ownerPersonName ?? '', width: 12 },
  { header: '整改期限', value: (t) => shanghaiTime(t.deadline), width: 18 },
  { header: '状态', value: (t) => t.stateLabel, width: 10 },
  { header: '是否逾期', value: (t) => (t.overdue ? '已逾期' : ''), width: 10 },
  { header: '整改情况', value: (t) => t.progress ?? '', width: 40 },
  { header: '销号时间', value: (t) => shanghaiTime(t.signedOffAt), width: 18 },
  { header: '复查时间', value: (t) => shanghaiTime(t.recheckDueAt), width: 18 },
];

export const rectifyRoutes: RoutePlugin = (app) => {
  const tags = ['rectify'];

  // ---- inspections. No DELETE: inspection records and their findings are evidence.
  app.get(
    '/api/inspections',
    { schema: { tags, summary: '巡视巡察检查列表', querystring: inspectionListQuery, response: { 200: paged(inspection) } } },
    (req) => service.listInspections(req.ctx, req.query),
  );
  app.post(
    '/api/inspections',
    { schema: { tags, summary: '登记巡视巡察检查', body: createInspectionBody, response: { 200: inspectionDetail } } },
    (req) => service.createInspection(req.ctx, req.body),
  );
  app.get(
    '/api/inspections/:id',
    { schema: { tags, summary: '检查详情（含问题和整改事项）', params: idParams, response: { 200: inspectionDetail } } },
    (req) => service.getInspection(req.ctx, req.params.id),
  );
  app.patch(
    '/api/inspections/:id',
    { schema: { tags, summary: '修改检查记录', params: idParams, body: updateInspectionBody, response: { 200: inspectionDetail } } },
    (req) => service.updateInspection(req.ctx, req.params.id, req.body),
  );
  app.post(
    '/api/inspections/:id/findings',
    { schema: { tags, summary: '登记问题', params: idParams, body: createFindingBody, response: { 200: finding } } },
    (req) => service.addFinding(req.ctx, req.params.id, req.body),
  );
  app.post(
    '/api/rectify-findings/:id/items',
    { schema: { tags, summary: '制定整改事项', params: idParams, body: createRectifyItemBody, response: { 200: rectifyItem } } },
    (req) => service.addRectifyItem(req.ctx, req.params.id, req.body),
  );
  app.get(
    '/api/rectify-board',
    { schema: { tags, summary: '整改进度看板', querystring: rectifyBoardQuery, response: { 200: rectifyBoard } } },
    (req) => service.rectifyBoard(req.ctx, req.query),
  );

  // ---- items
  app.get(
    '/api/rectify-items',
    { schema: { tags, summary: '整改事项列表', querystring: rectifyItemListQuery, response: { 200: paged(rectifyItem) } } },
    (req) => service.listRectifyItems(req.ctx, req.query),
  );
  app.get(
    '/api/rectify-items/export',
    { schema: { tags, summary: '导出整改事项（Excel）', querystring: rectifyItemListQuery.omit({ page: true, pageSize: true }) } },
    async (req, reply) => {
      const list = await service.listRectifyItems(req.ctx, { ...req.query, ...allRows });
      assertExportable(list.total);
      return sendXlsx(reply, '整改事项清单.xlsx', await buildXlsx('整改事项', itemExportColumns, list.items));
    },
  );
  app.get(
    '/api/rectify-items/:id',
    { schema: { tags, summary: '整改事项详情', params: idParams, response: { 200: rectifyItemDetail } } },
    (req) => service.getRectifyItem(req.ctx, req.params.id),
  );
  app.patch(
    '/api/rectify-items/:id',
    {
      schema: {
        tags,
        summary: '修改整改事项（检查单位，销号前）',
        params: idParams,
        body: updateRectifyItemBody,
        response: { 200: rectifyItem },
      },
    },
    (req) => service.updateRectifyItem(req.ctx, req.params.id, req.body),
  );
  app.post(
    '/api/rectify-items/:id/submit',
    { schema: { tags, summary: '提交整改情况', params: idParams, body: submitRectifyItemBody, response: { 200: rectifyItem } } },
    (req) => service.transitionRectifyItem(req.ctx, req.params.id, 'submit', req.body),
  );
  app.post(
    '/api/rectify-items/:id/sign-off',
    { schema: { tags, summary: '销号', params: idParams, body: signOffRectifyItemBody, response: { 200: rectifyItem } } },
    (req) => service.transitionRectifyItem(req.ctx, req.params.id, 'signOff', req.body),
  );
  app.post(
    '/api/rectify-items/:id/return',
    { schema: { tags, summary: '退回重新整改', params: idParams, body: returnRectifyItemBody, response: { 200: rectifyItem } } },
    (req) => service.transitionRectifyItem(req.ctx, req.params.id, 'return', req.body),
  );
  app.post(
    '/api/rectify-items/:id/recheck',
    { schema: { tags, summary: '复查（通过或重新整改）', params: idParams, body: recheckRectifyItemBody, response: { 200: rectifyItem } } },
    (req) => service.transitionRectifyItem(req.ctx, req.params.id, req.body.result === 'passed' ? 'recheckPass' : 'reopen', req.body),
  );
};
