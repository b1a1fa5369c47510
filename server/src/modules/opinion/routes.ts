import {
  analysisListQuery,
  analysisReport,
  analysisReportDetail,
  boardQuery,
  bulletin,
  bulletinDetail,
  bulletinInboxQuery,
  bulletinListQuery,
  bulletinReceipts,
  closeOpinionBody,
  commentBody,
  createAnalysisReportBody,
  createDrillBody,
  createOpinionEventBody,
  createPlanVersionBody,
  createResponsePlanBody,
  escalateBody,
  idParams,
  measureTaskBody,
  type OpinionEvent,
  opinionBoard,
  opinionEntryBody,
  opinionEvent,
  opinionEventDetail,
  opinionListQuery,
  opinionPlatform,
  opinionResponseBody,
  opinionTransitionBody,
  paged,
  readResult,
  responsePlan,
  responsePlanDetail,
  responsePlanListQuery,
  returnAnalysisBody,
  sendBulletinBody,
  updateAnalysisReportBody,
  updateOpinionEventBody,
} from '@dutyledger/contracts';
import { z } from 'zod';
import { allRows, assertExportable, buildXlsx, type ExportColumn, sendXlsx, shanghaiTime } from '../../core/export.js';
import type { RoutePlugin } from '../../core/route.js';
import * as service from './service.js';

/** Columns of the events ledger export: topics and responses, never who posted. */
const eventExportColumns: ExportColumn<OpinionEvent>[] = [
  { header: '事件标题', width: 36, value: (e) => e.title },
  { header: '所属单位', width: 20, value: (e) => e.unitName },
  { header: '等级', width: 10, value: (e) => e.levelLabel },
  { header: '状态', width: 10, value: (e) => e.stateLabel },
  { header: '出现平台', width: 20, value: (e) => e.sources.map((s) => s.platformName).join('、') },
  { header: '首次发现', width: 20, value: (e) => shanghaiTime(e.firstSeenAt) },
  { header: '上报', width: 20, value: (e) => e.escalatedToUnitName ?? '' },
  { header: '办结时间', width: 20, value: (e) => shanghaiTime(e.closedAt) },
  { header: '办结情况', width: 40, value: (e) => e.conclusion ?? '' },
  { header: '概要', width: 40, value: (e) => e.summary },
];

export const opinionRoutes: RoutePlugin = (app) => {
  const tags = ['opinion'];

  // ---- platform dictionary
  app.get('/api/opinion-platforms', { schema: { tags, summary: '舆情平台字典', response: { 200: z.array(opinionPlatform) } } }, (req) =>
    service.listOpinionPlatforms(req.ctx),
  );

  // ---- analysis reports (分析研判)
  app.get(
    '/api/analysis-reports',
    { schema: { tags, summary: '分析研判报告列表', querystring: analysisListQuery, response: { 200: paged(analysisReport) } } },
    (req) => service.listAnalysisReports(req.ctx, req.query),
  );
  app.post(
    '/api/analysis-reports',
    { schema: { tags, summary: '撰写分析研判报告（草稿）', body: createAnalysisReportBody, response: { 200: analysisReportDetail } } },
    (req) => service.createAnalysisReport(req.ctx, req.body),
  );
  app.get(
    '/api/analysis-reports/:id',
    { schema: { tags, summary: '分析研判报告详情', params: idParams, response: { 200: analysisReportDetail } } },
    (req) => service.getAnalysisReport(req.ctx, req.params.id),
  );
  app.patch(
    '/api/analysis-reports/:id',
    {
      schema: {
        tags,
        summary: '修改分析研判报告（草稿、退回）',
        params: idParams,
        body: updateAnalysisReportBody,
        response: { 200: analysisReportDetail },
      },
    },
    (req) => service.updateAnalysisReport(req.ctx, req.params.id, req.body),
  );
  app.post(
    '/api/analysis-reports/:id/submit',
    { schema: { tags, summary: '报送上级单位', params: idParams, response: { 200: analysisReportDetail } } },
    (req) => service.transitionAnalysis(req.ctx, req.params.id, 'submit'),
  );
  app.post(
    '/api/analysis-reports/:id/read',
    { schema: { tags, summary: '上级阅知', params: idParams, response: { 200: analysisReportDetail } } },
    (req) => service.transitionAnalysis(req.ctx, req.params.id, 'markRead'),
  );
  app.post(
    '/api/analysis-reports/:id/return',
    { schema: { tags, summary: '上级退回', params: idParams, body: returnAnalysisBody, response: { 200: analysisReportDetail } } },
    (req) => service.transitionAnalysis(req.ctx, req.params.id, 'return', req.body),
  );
  app.post(
    '/api/analysis-reports/:id/comments',
    { schema: { tags, summary: '上级批注意见', params: idParams, body: commentBody, response: { 200: analysisReportDetail } } },
    (req) => service.commentAnalysis(req.ctx, req.params.id, req.body.body),
  );
  app.post(
    '/api/analysis-measures/:id/task',
    { schema: { tags, summary: '措施建议转为任务', params: idParams, body: measureTaskBody, response: { 200: analysisReportDetail } } },
    (req) => service.measureToTask(req.ctx, req.params.id, req.body),
  );

  // ---- public-opinion events (舆情事件)
  app.get(
    '/api/opinion-events',
    { schema: { tags, summary: '舆情事件列表', querystring: opinionListQuery, response: { 200: paged(opinionEvent) } } },
    (req) => service.listOpinionEvents(req.ctx, req.query),
  );
  app.get(
    '/api/opinion-events/export',
    { schema: { tags, summary: '导出舆情事件（Excel）', querystring: opinionListQuery.omit({ page: true, pageSize: true }) } },
    async (req, reply) => {
      const list = await service.listOpinionEvents(req.ctx, { ...req.query, ...allRows });
      assertExportable(list.total);
      return sendXlsx(reply, '舆情事件台账.xlsx', await buildXlsx('舆情事件', eventExportColumns, list.items));
    },
  );
  app.get(
    '/api/opinion-events/board',
    { schema: { tags, summary: '未办结舆情事件看板（按等级、时长）', querystring: boardQuery, response: { 200: opinionBoard } } },
    (req) => service.openOpinionEvents(req.ctx, req.query.rootUnitId),
  );
  app.post(
    '/api/opinion-events',
    { schema: { tags, summary: '登记舆情事件', body: createOpinionEventBody, response: { 200: opinionEventDetail } } },
    (req) => service.createOpinionEvent(req.ctx, req.body),
  );
  app.get(
    '/api/opinion-events/:id',
    { schema: { tags, summary: '舆情事件详情（时间线、回应）', params: idParams, response: { 200: opinionEventDetail } } },
    (req) => service.getOpinionEvent(req.ctx, req.params.id),
  );
  app.patch(
    '/api/opinion-events/:id',
    { schema: { tags, summary: '修改舆情事件', params: idParams, body: updateOpinionEventBody, response: { 200: opinionEventDetail } } },
    (req) => service.updateOpinionEvent(req.ctx, req.params.id, req.body),
  );
  for (const [action, summary] of [
    ['assess', '开始研判'],
    ['handle', '开始处置'],
    ['respond', '确认已回应'],
  ] as const) {
    app.post(
      `/api/opinion-events/:id/${action}`,
      { schema: { tags, summary, params: idParams, body: opinionTransitionBody, response: { 200: opinionEventDetail } } },
      (req) => service.transitionOpinionEvent(req.ctx, req.params.id, action, req.body ?? {}),
    );
  }
  app.post(
    '/api/opinion-events/:id/close',
    { schema: { tags, summary: '办结', params: idParams, body: closeOpinionBody, response: { 200: opinionEventDetail } } },
    (req) => service.transitionOpinionEvent(req.ctx, req.params.id, 'close', req.body),
  );
  app.post(
    '/api/opinion-events/:id/entries',
    {
      schema: {
        tags,
        summary: '时间线记录（情况、处置、上级意见）',
        params: idParams,
        body: opinionEntryBody,
        response: { 200: opinionEventDetail },
      },
    },
    (req) => service.addOpinionEntry(req.ctx, req.params.id, req.body),
  );
  app.post(
    '/api/opinion-events/:id/responses',
    { schema: { tags, summary: '登记回应措施', params: idParams, body: opinionResponseBody, response: { 200: opinionEventDetail } } },
    (req) => service.addOpinionResponse(req.ctx, req.params.id, req.body),
  );
  app.post(
    '/api/opinion-events/:id/escalate',
    { schema: { tags, summary: '上报上级单位', params: idParams, body: escalateBody, response: { 200: opinionEventDetail } } },
    (req) => service.escalateOpinionEvent(req.ctx, req.params.id, req.body.reason),
  );

  // ---- emergency plans (应急预案)
  app.get(
    '/api/response-plans',
    { schema: { tags, summary: '应急预案列表', querystring: responsePlanListQuery, response: { 200: paged(responsePlan) } } },
    (req) => service.listResponsePlans(req.ctx, req.query),
  );
  app.post(
    '/api/response-plans',
    { schema: { tags, summary: '新建应急预案', body: createResponsePlanBody, response: { 200: responsePlanDetail } } },
    (req) => service.createResponsePlan(req.ctx, req.body),
  );
  app.get(
    '/api/response-plans/:id',
    { schema: { tags, summary: '应急预案详情（版本、演练）', params: idParams, response: { 200: responsePlanDetail } } },
    (req) => service.getResponsePlan(req.ctx, req.params.id),
  );
  app.post(
    '/api/response-plans/:id/versions',
    {
      schema: {
        tags,
        summary: '修订应急预案（新版本）',
        params: idParams,
        body: createPlanVersionBody,
        response: { 200: responsePlanDetail },
      },
    },
    (req) => service.addResponsePlanVersion(req.ctx, req.params.id, req.body),
  );
  app.post(
    '/api/response-plans/:id/drills',
    { schema: { tags, summary: '登记演练', params: idParams, body: createDrillBody, response: { 200: responsePlanDetail } } },
    (req) => service.addResponseDrill(req.ctx, req.params.id, req.body),
  );

  // ---- bulletins (通报)
  app.get(
    '/api/bulletins',
    { schema: { tags, summary: '已发通报', querystring: bulletinListQuery, response: { 200: paged(bulletin) } } },
    (req) => service.listBulletins(req.ctx, req.query),
  );
  app.get(
    '/api/bulletins/inbox',
    { schema: { tags, summary: '我收到的通报', querystring: bulletinInboxQuery, response: { 200: paged(bulletin) } } },
    (req) => service.bulletinInbox(req.ctx, req.query),
  );
  app.post('/api/bulletins', { schema: { tags, summary: '发送通报', body: sendBulletinBody, response: { 200: bulletinDetail } } }, (req) =>
    service.sendBulletin(req.ctx, req.body),
  );
  app.get('/api/bulletins/:id', { schema: { tags, summary: '通报详情', params: idParams, response: { 200: bulletinDetail } } }, (req) =>
    service.getBulletin(req.ctx, req.params.id),
  );
  app.post(
    '/api/bulletins/:id/read',
    { schema: { tags, summary: '标记已阅（本人及本单位）', params: idParams, response: { 200: readResult } } },
    (req) => service.markBulletinRead(req.ctx, req.params.id),
  );
  app.get(
    '/api/bulletins/:id/receipts',
    { schema: { tags, summary: '阅读回执（按单位、人员）', params: idParams, response: { 200: bulletinReceipts } } },
    (req) => service.bulletinReceipts(req.ctx, req.params.id),
  );
};
