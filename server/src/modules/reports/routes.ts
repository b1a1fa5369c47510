import {
  createSubmissionBody,
  idParams,
  openWindowBody,
  paged,
  type ReportWindow,
  reportTemplate,
  reportWindow,
  reportWindowDetail,
  returnSubmissionBody,
  saveSubmissionBody,
  submissionDetail,
  submissionListQuery,
  submissionRow,
  updateTemplateBody,
  windowBoard,
  windowBoardQuery,
  windowListQuery,
} from '@dutyledger/contracts';
import { z } from 'zod';
import { contentDisposition } from '../../core/attachments/service.js';
import { allRows, assertExportable, buildXlsx, type ExportColumn, sendXlsx, shanghaiTime } from '../../core/export.js';
import type { RoutePlugin } from '../../core/route.js';
import * as service from './service.js';
import { submissionDocx } from './zip.js';

const windowExportColumns: ExportColumn<ReportWindow>[] = [
  { header: '报送标题', value: (w) => w.title, width: 36 },
  { header: '类型', value: (w) => w.kindLabel, width: 14 },
  { header: '报告期间', value: (w) => w.period.label, width: 16 },
  { header: '发起单位', value: (w) => w.unitName, width: 20 },
  { header: '开始时间', value: (w) => shanghaiTime(w.opensAt), width: 18 },
  { header: '截止时间', value: (w) => shanghaiTime(w.closesAt), width: 18 },
  { header: '状态', value: (w) => w.phaseLabel, width: 10 },
  { header: '应报单位数', value: (w) => w.targetCount, width: 12 },
  { header: '已报送数', value: (w) => w.submittedCount, width: 12 },
  { header: '已采纳数', value: (w) => w.acceptedCount, width: 12 },
];

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

export const reportRoutes: RoutePlugin = (app) => {
  const tags = ['reports'];

  // ---- templates (global, versioned)
  app.get(
    '/api/report-templates',
    { schema: { tags, summary: '报告模板列表（当前版本）', response: { 200: z.array(reportTemplate) } } },
    (req) => service.listTemplates(req.ctx),
  );
  app.get(
    '/api/report-prefill-sources',
    {
      schema: {
        tags,
        summary: '报告预填来源（模板栏目可引用的台账）',
        response: { 200: z.array(z.object({ key: z.string(), label: z.string() })) },
      },
    },
    (req) => service.listPrefillSources(req.ctx),
  );
  app.get(
    '/api/report-templates/:id',
    { schema: { tags, summary: '报告模板详情', params: idParams, response: { 200: reportTemplate } } },
    (req) => service.getTemplate(req.ctx, req.params.id),
  );
  app.put(
    '/api/report-templates/:id',
    {
      schema: {
        tags,
        summary: '修改报告模板（生成新版本，已发起的报送保留原版本）',
        params: idParams,
        body: updateTemplateBody,
        response: { 200: reportTemplate },
      },
    },
    (req) => service.updateTemplate(req.ctx, req.params.id, req.body),
  );

  // ---- windows
  app.get(
    '/api/report-windows',
    { schema: { tags, summary: '报送任务列表', querystring: windowListQuery, response: { 200: paged(reportWindow) } } },
    (req) => service.listWindows(req.ctx, req.query),
  );
  app.get(
    '/api/report-windows/export',
    { schema: { tags, summary: '导出报送任务列表（Excel）', querystring: windowListQuery.omit({ page: true, pageSize: true }) } },
    async (req, reply) => {
      const list = await service.listWindows(req.ctx, { ...req.query, ...allRows });
      assertExportable(list.total);
      return sendXlsx(reply, '报送任务.xlsx', await buildXlsx('报送任务', windowExportColumns, list.items));
    },
  );
  app.post(
    '/api/report-windows',
    { schema: { tags, summary: '发起报送', body: openWindowBody, response: { 200: reportWindowDetail } } },
    (req) => service.openWindow(req.ctx, req.body),
  );
  app.get(
    '/api/report-windows/:id',
    { schema: { tags, summary: '报送任务详情', params: idParams, response: { 200: reportWindowDetail } } },
    (req) => service.getWindow(req.ctx, req.params.id),
  );
  app.get(
    '/api/report-windows/:id/board',
    {
      schema: { tags, summary: '报送情况（未报、逾期）', params: idParams, querystring: windowBoardQuery, response: { 200: windowBoard } },
    },
    (req) => service.windowBoard(req.ctx, req.params.id, req.query),
  );
  app.post(
    '/api/report-windows/:id/remind',
    {
      schema: {
        tags,
        summary: '催报（提醒未报送单位）',
        params: idParams,
        response: { 200: z.object({ ok: z.literal(true), notified: z.number().int() }) },
      },
    },
    (req) => service.remindMissing(req.ctx, req.params.id),
  );
  app.get('/api/report-windows/:id/zip', { schema: { tags, summary: '打包下载全部报告（ZIP）', params: idParams } }, async (req, reply) => {
    const { filename, stream } = await service.windowZip(req.ctx, req.params.id);
    return reply.header('content-type', 'application/zip').header('content-disposition', contentDisposition(filename)).send(stream);
  });
  app.post(
    '/api/report-windows/:id/submissions',
    {
      schema: {
        tags,
        summary: '开始填报（生成预填草稿）',
        params: idParams,
        body: createSubmissionBody,
        response: { 200: submissionDetail },
      },
    },
    (req) => service.createSubmission(req.ctx, req.params.id, req.body.unitId),
  );

  // ---- submissions
  app.get(
    '/api/report-submissions',
    {
      schema: {
        tags,
        summary: '本单位报送列表（含未填报）',
        querystring: submissionListQuery.extend({ unitId: z.uuid().optional() }),
        response: { 200: paged(submissionRow) },
      },
    },
    (req) => service.listSubmissions(req.ctx, req.query),
  );
  app.get(
    '/api/report-submissions/:id',
    { schema: { tags, summary: '报告详情', params: idParams, response: { 200: submissionDetail } } },
    (req) => service.getSubmission(req.ctx, req.params.id),
  );
  app.get('/api/report-submissions/:id/docx', { schema: { tags, summary: '下载报告（Word）', params: idParams } }, async (req, reply) => {
    const s = await service.getSubmission(req.ctx, req.params.id);
    const data = await submissionDocx(req.ctx, req.params.id);
    return reply
      .header('content-type', DOCX)
      .header('content-disposition', contentDisposition(`${s.unitName}-${s.windowTitle}.docx`))
      .send(data);
  });
  app.put(
    '/api/report-submissions/:id',
    {
      schema: {
        tags,
        summary: '保存报告（草稿或退回后修改）',
        params: idParams,
        body: saveSubmissionBody,
        response: { 200: submissionDetail },
      },
    },
    (req) => service.saveSubmission(req.ctx, req.params.id, req.body),
  );
  app.post(
    '/api/report-submissions/:id/submit',
    { schema: { tags, summary: '报送', params: idParams, response: { 200: submissionDetail } } },
    (req) => service.transitionSubmission(req.ctx, req.params.id, 'submit'),
  );
  app.post(
    '/api/report-submissions/:id/return',
    { schema: { tags, summary: '退回', params: idParams, body: returnSubmissionBody, response: { 200: submissionDetail } } },
    (req) => service.transitionSubmission(req.ctx, req.params.id, 'return', req.body),
  );
  app.post(
    '/api/report-submissions/:id/accept',
    { schema: { tags, summary: '采纳', params: idParams, response: { 200: submissionDetail } } },
    (req) => service.transitionSubmission(req.ctx, req.params.id, 'accept'),
  );
};
