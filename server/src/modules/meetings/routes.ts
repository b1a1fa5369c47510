import {
  createMeetingBody,
  createMeetingKindBody,
  idParams,
  meeting,
  meetingDetail,
  meetingKind,
  meetingListQuery,
  paged,
  updateMeetingBody,
  updateMeetingKindBody,
} from '@dutyledger/contracts';
import { z } from 'zod';
import type { RoutePlugin } from '../../core/route.js';
import * as service from './service.js';

export const meetingRoutes: RoutePlugin = (app) => {
  const tags = ['meetings'];

  // ---- the meeting-kind dictionary (global)
  app.get('/api/meeting-kinds', { schema: { tags, summary: '会议类型列表', response: { 200: z.array(meetingKind) } } }, (req) =>
    service.listMeetingKinds(req.ctx),
  );
  app.post(
    '/api/meeting-kinds',
    { schema: { tags, summary: '新增会议类型（顶级单位管理员）', body: createMeetingKindBody, response: { 200: meetingKind } } },
    (req) => service.createMeetingKind(req.ctx, req.body),
  );
  app.patch(
    '/api/meeting-kinds/:id',
    {
      schema: {
        tags,
        summary: '修改会议类型（顶级单位管理员）',
        params: idParams,
        body: updateMeetingKindBody,
        response: { 200: meetingKind },
      },
    },
    (req) => service.updateMeetingKind(req.ctx, req.params.id, req.body),
  );

  // ---- meeting records. No DELETE on purpose: records are evidence; a wrong record is corrected (PATCH,
  // audited with before and after), not removed.
  app.get(
    '/api/meetings',
    { schema: { tags, summary: '会议记录列表', querystring: meetingListQuery, response: { 200: paged(meeting) } } },
    (req) => service.listMeetings(req.ctx, req.query),
  );
  app.get(
    '/api/meetings/:id',
    { schema: { tags, summary: '会议记录详情（含参会、缺席人员和材料）', params: idParams, response: { 200: meetingDetail } } },
    (req) => service.getMeeting(req.ctx, req.params.id),
  );
  app.post('/api/meetings', { schema: { tags, summary: '登记会议', body: createMeetingBody, response: { 200: meetingDetail } } }, (req) =>
    service.createMeeting(req.ctx, req.body),
  );
  app.patch(
    '/api/meetings/:id',
    { schema: { tags, summary: '修改会议记录', params: idParams, body: updateMeetingBody, response: { 200: meetingDetail } } },
    (req) => service.updateMeeting(req.ctx, req.params.id, req.body),
  );
};
