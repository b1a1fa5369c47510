import {
  type Channel,
  channel,
  channelDetail,
  channelDictItem,
  channelDictItemParams,
  channelDictParams,
  channelListQuery,
  channelStat,
  channelStatsQuery,
  createChannelBody,
  createChannelDictBody,
  createEventFilingBody,
  createPublicationBody,
  createSelfCheckRoundBody,
  decideEventFilingBody,
  type EventFiling,
  eventFiling,
  eventFilingDetail,
  eventFilingListQuery,
  idParams,
  type Publication,
  paged,
  publication,
  publicationDetail,
  publicationListQuery,
  publishPublicationBody,
  rejectEventFilingBody,
  returnPublicationBody,
  reviewPublicationBody,
  saveSelfCheckResultBody,
  selfCheckProblemParams,
  selfCheckProblemTaskBody,
  selfCheckResult,
  selfCheckRound,
  selfCheckRoundDetail,
  selfCheckRoundListQuery,
  summarizeEventFilingBody,
  updateChannelBody,
  updateChannelDictBody,
  updateEventFilingBody,
  updatePublicationBody,
  withdrawPublicationBody,
} from '@dutyledger/contracts';
import { z } from 'zod';
import { allRows, assertExportable, buildXlsx, type ExportColumn, sendXlsx, shanghaiTime } from '../../core/export.js';
import type { RoutePlugin } from '../../core/route.js';
import * as service from './service.js';

const channelExportColumns: ExportColumn<Channel>[] = [
  { header: '阵地名称', value: (c) => c.name, width: 24 },
  { header: '类型', value: (c) => c.typeName, width: 14 },
  { header: '主办单位', value: (c) => c.unitName, width: 20 },
  { header: '主管单位', value: (c) => c.supervisorUnitName, width: 20 },
  { header: '网址/账号', value: (c) => c.address, width: 30 },
  { header: '责任人', value: (c) => c.responsibleName, width: 10 },
  { header: '审核级数', value: (c) => c.reviewLevels, width: 8 },
  { header: '状态', value: (c) => c.statusLabel, width: 8 },
];
const publicationExportColumns: ExportColumn<Publication>[] = [
  { header: '标题', value: (p) => p.title, width: 40 },
  { header: '阵地', value: (p) => p.channelName, width: 20 },
  { header: '单位', value: (p) => p.unitName, width: 20 },
  { header: '作者', value: (p) => p.authorName, width: 10 },
  { header: '状态', value: (p) => p.stateLabel, width: 8 },
  { header: '审核级数', value: (p) => p.levels, width: 8 },
  { header: '发布链接', value: (p) => p.publishedUrl, width: 36 },
  { header: '发布时间', value: (p) => shanghaiTime(p.publishedAt), width: 20 },
  { header: '退回理由', value: (p) => p.returnReason, width: 30 },
  { header: '撤回原因', value: (p) => p.withdrawReason, width: 30 },
  { header: '更新时间', value: (p) => shanghaiTime(p.updatedAt), width: 20 },
];
const filingExportColumns: ExportColumn<EventFiling>[] = [
  { header: '主题', value: (f) => f.topic, width: 36 },
  { header: '类型', value: (f) => f.kindName, width: 10 },
  { header: '主办单位', value: (f) => f.unitName, width: 20 },
  {
    header: '主讲人',
    value: (f) => f.speakers.map((s) => (s.affiliation ? `${s.name}（${s.affiliation}）` : s.name)).join('、'),
    width: 30,
  },
  { header: '地点', value: (f) => f.venue, width: 20 },
  { header: '开始时间', value: (f) => shanghaiTime(f.startsAt), width: 20 },
  { header: '预计人数', value: (f) => f.expectedAudience, width: 10 },
  { header: '状态', value: (f) => f.stateLabel, width: 12 },
  { header: '报备时间', value: (f) => shanghaiTime(f.submittedAt), width: 20 },
  { header: '逾期报备', value: (f) => (f.late && f.submittedAt ? '是' : '否'), width: 10 },
  { header: '活动总结', value: (f) => f.summary, width: 40 },
];

export const channelRoutes: RoutePlugin = (app) => {
  const tags = ['channels'];

  // ---- dictionaries (global): 阵地类型, 审核要点, 活动类型, 自查项目
  app.get(
    '/api/channel-dicts/:kind',
    { schema: { tags, summary: '阵地模块字典', params: channelDictParams, response: { 200: z.array(channelDictItem) } } },
    (req) => service.listChannelDict(req.ctx, req.params.kind),
  );
  app.post(
    '/api/channel-dicts/:kind',
    {
      schema: {
        tags,
        summary: '新增字典项（顶级单位管理员）',
        params: channelDictParams,
        body: createChannelDictBody,
        response: { 200: channelDictItem },
      },
    },
    (req) => service.createChannelDictItem(req.ctx, req.params.kind, req.body),
  );
  app.patch(
    '/api/channel-dicts/:kind/:id',
    {
      schema: {
        tags,
        summary: '修改字典项（顶级单位管理员）',
        params: channelDictItemParams,
        body: updateChannelDictBody,
        response: { 200: channelDictItem },
      },
    },
    (req) => service.updateChannelDictItem(req.ctx, req.params.kind, req.params.id, req.body),
  );

  // ---- channels. No DELETE: a channel is closed (status 关停), its history stays.
  app.get(
    '/api/channels',
    { schema: { tags, summary: '阵地列表', querystring: channelListQuery, response: { 200: paged(channel) } } },
    (req) => service.listChannels(req.ctx, req.query),
  );
  app.get(
    '/api/channels/export',
    { schema: { tags, summary: '导出阵地清单（Excel）', querystring: channelListQuery.omit({ page: true, pageSize: true }) } },
    async (req, reply) => {
      const list = await service.listChannels(req.ctx, { ...req.query, ...allRows });
      assertExportable(list.total);
      return sendXlsx(reply, '阵地清单.xlsx', await buildXlsx('阵地', channelExportColumns, list.items));
    },
  );
  app.get(
    '/api/channels/stats',
    { schema: { tags, summary: '各阵地审核统计', querystring: channelStatsQuery, response: { 200: z.array(channelStat) } } },
    (req) => service.channelStats(req.ctx, req.query),
  );
  app.get(
    '/api/channels/:id',
    { schema: { tags, summary: '阵地详情（含审核流程）', params: idParams, response: { 200: channelDetail } } },
    (req) => service.getChannel(req.ctx, req.params.id),
  );
  app.post('/api/channels', { schema: { tags, summary: '登记阵地', body: createChannelBody, response: { 200: channelDetail } } }, (req) =>
    service.createChannel(req.ctx, req.body),
  );
  app.patch(
    '/api/channels/:id',
    { schema: { tags, summary: '修改阵地', params: idParams, body: updateChannelBody, response: { 200: channelDetail } } },
    (req) => service.updateChannel(req.ctx, req.params.id, req.body),
  );

  // ---- publications and their review
  app.get(
    '/api/publications',
    {
      schema: {
        tags,
        summary: '稿件列表（我的稿件 / 待我审核 / 全部）',
        querystring: publicationListQuery,
        response: { 200: paged(publication) },
      },
    },
    (req) => service.listPublications(req.ctx, req.query),
  );
  app.get(
    '/api/publications/export',
    { schema: { tags, summary: '导出稿件列表（Excel）', querystring: publicationListQuery.omit({ page: true, pageSize: true }) } },
    async (req, reply) => {
      const list = await service.listPublications(req.ctx, { ...req.query, ...allRows });
      assertExportable(list.total);
      return sendXlsx(reply, '稿件审核台账.xlsx', await buildXlsx('稿件', publicationExportColumns, list.items));
    },
  );
  app.get(
    '/api/publications/:id',
    { schema: { tags, summary: '稿件详情（含审核记录）', params: idParams, response: { 200: publicationDetail } } },
    (req) => service.getPublication(req.ctx, req.params.id),
  );
  app.post(
    '/api/publications',
    { schema: { tags, summary: '新建稿件（草稿）', body: createPublicationBody, response: { 200: publicationDetail } } },
    (req) => service.createPublication(req.ctx, req.body),
  );
  app.patch(
    '/api/publications/:id',
    {
      schema: {
        tags,
        summary: '修改稿件（草稿或退回）',
        params: idParams,
        body: updatePublicationBody,
        response: { 200: publicationDetail },
      },
    },
    (req) => service.updatePublication(req.ctx, req.params.id, req.body),
  );
  app.post(
    '/api/publications/:id/submit',
    { schema: { tags, summary: '提交审核', params: idParams, response: { 200: publicationDetail } } },
    (req) => service.transitionPublication(req.ctx, req.params.id, 'submit'),
  );
  app.post(
    '/api/publications/:id/approve',
    { schema: { tags, summary: '审核通过（本级）', params: idParams, body: reviewPublicationBody, response: { 200: publicationDetail } } },
    (req) => service.transitionPublication(req.ctx, req.params.id, 'approve', req.body),
  );
  app.post(
    '/api/publications/:id/return',
    { schema: { tags, summary: '退回', params: idParams, body: returnPublicationBody, response: { 200: publicationDetail } } },
    (req) => service.transitionPublication(req.ctx, req.params.id, 'return', req.body),
  );
  app.post(
    '/api/publications/:id/publish',
    {
      schema: {
        tags,
        summary: '标记已发布（链接、时间）',
        params: idParams,
        body: publishPublicationBody,
        response: { 200: publicationDetail },
      },
    },
    (req) => service.transitionPublication(req.ctx, req.params.id, 'publish', req.body),
  );
  app.post(
    '/api/publications/:id/withdraw',
    {
      schema: {
        tags,
        summary: '紧急撤回已发布稿件',
        params: idParams,
        body: withdrawPublicationBody,
        response: { 200: publicationDetail },
      },
    },
    (req) => service.transitionPublication(req.ctx, req.params.id, 'withdraw', req.body),
  );

  // ---- event filings
  app.get(
    '/api/event-filings',
    { schema: { tags, summary: '活动报备列表（含日历）', querystring: eventFilingListQuery, response: { 200: paged(eventFiling) } } },
    (req) => service.listEventFilings(req.ctx, req.query),
  );
  app.get(
    '/api/event-filings/export',
    { schema: { tags, summary: '导出活动报备（Excel）', querystring: eventFilingListQuery.omit({ page: true, pageSize: true }) } },
    async (req, reply) => {
      const list = await service.listEventFilings(req.ctx, { ...req.query, ...allRows });
      assertExportable(list.total);
      return sendXlsx(reply, '活动报备台账.xlsx', await buildXlsx('活动报备', filingExportColumns, list.items));
    },
  );
  app.get(
    '/api/event-filings/:id',
    { schema: { tags, summary: '活动报备详情', params: idParams, response: { 200: eventFilingDetail } } },
    (req) => service.getEventFiling(req.ctx, req.params.id),
  );
  app.post(
    '/api/event-filings',
    { schema: { tags, summary: '新建活动报备（草稿）', body: createEventFilingBody, response: { 200: eventFilingDetail } } },
    (req) => service.createEventFiling(req.ctx, req.body),
  );
  app.patch(
    '/api/event-filings/:id',
    { schema: { tags, summary: '修改活动报备', params: idParams, body: updateEventFilingBody, response: { 200: eventFilingDetail } } },
    (req) => service.updateEventFiling(req.ctx, req.params.id, req.body),
  );
  app.post(
    '/api/event-filings/:id/submit',
    { schema: { tags, summary: '提交报备', params: idParams, response: { 200: eventFilingDetail } } },
    (req) => service.transitionEventFiling(req.ctx, req.params.id, 'submit'),
  );
  app.post(
    '/api/event-filings/:id/approve',
    { schema: { tags, summary: '本单位领导同意', params: idParams, body: decideEventFilingBody, response: { 200: eventFilingDetail } } },
    (req) => service.transitionEventFiling(req.ctx, req.params.id, 'approve', req.body),
  );
  app.post(
    '/api/event-filings/:id/approve-parent',
    { schema: { tags, summary: '上级单位同意', params: idParams, body: decideEventFilingBody, response: { 200: eventFilingDetail } } },
    (req) => service.transitionEventFiling(req.ctx, req.params.id, 'approveParent', req.body),
  );
  app.post(
    '/api/event-filings/:id/reject',
    { schema: { tags, summary: '不同意', params: idParams, body: rejectEventFilingBody, response: { 200: eventFilingDetail } } },
    (req) => service.transitionEventFiling(req.ctx, req.params.id, 'reject', req.body),
  );
  app.post(
    '/api/event-filings/:id/summary',
    { schema: { tags, summary: '活动总结', params: idParams, body: summarizeEventFilingBody, response: { 200: eventFilingDetail } } },
    (req) => service.transitionEventFiling(req.ctx, req.params.id, 'summarize', req.body),
  );

  // ---- self-check rounds
  app.get(
    '/api/self-check-rounds',
    { schema: { tags, summary: '阵地自查列表', querystring: selfCheckRoundListQuery, response: { 200: paged(selfCheckRound) } } },
    (req) => service.listSelfCheckRounds(req.ctx, req.query),
  );
  app.get(
    '/api/self-check-rounds/:id',
    { schema: { tags, summary: '阵地自查详情', params: idParams, response: { 200: selfCheckRoundDetail } } },
    (req) => service.getSelfCheckRound(req.ctx, req.params.id),
  );
  app.post(
    '/api/self-check-rounds',
    { schema: { tags, summary: '发起本季度阵地自查', body: createSelfCheckRoundBody, response: { 200: selfCheckRoundDetail } } },
    (req) => service.openSelfCheckRound(req.ctx, req.body),
  );
  app.post(
    '/api/self-check-rounds/:id/results',
    {
      schema: {
        tags,
        summary: '填报阵地自查结果',
        params: idParams,
        body: saveSelfCheckResultBody,
        response: { 200: selfCheckRoundDetail },
      },
    },
    (req) => service.saveSelfCheckResult(req.ctx, req.params.id, req.body),
  );
  app.post(
    '/api/self-check-results/:id/problems/:index/task',
    {
      schema: {
        tags,
        summary: '自查问题转为整改任务',
        params: selfCheckProblemParams,
        body: selfCheckProblemTaskBody,
        response: { 200: selfCheckResult },
      },
    },
    (req) => service.selfCheckProblemToTask(req.ctx, req.params.id, req.params.index, req.body),
  );
};
