import {
  attendedMeeting,
  createStudyNoteBody,
  idParams,
  type Meeting,
  meetingListQuery,
  myStudyNoteQuery,
  paged,
  readStudyNoteBody,
  resolutionTaskBody,
  resolutionTaskParams,
  resolutionTaskResult,
  studyNote,
  studyNoteDetail,
  studyNoteListQuery,
  updateStudyNoteBody,
} from '@dutyledger/contracts';
import { z } from 'zod';
import { forbidden } from '../../core/errors.js';
import { allRows, assertExportable, buildXlsx, type ExportColumn, sendXlsx, shanghaiTime } from '../../core/export.js';
import type { RoutePlugin } from '../../core/route.js';
import { hasPermission } from '../../core/scope.js';
import * as service from './service.js';

const meetingExportColumns: ExportColumn<Meeting>[] = [
  { header: '召开时间', value: (m) => shanghaiTime(m.heldAt), width: 20 },
  { header: '单位', value: (m) => m.unitName, width: 20 },
  { header: '会议类型', value: (m) => m.kindName, width: 28 },
  { header: '主题', value: (m) => m.topic, width: 40 },
  { header: '标签', value: (m) => m.tags.join('、'), width: 24 },
  { header: '主持人', value: (m) => m.hostName, width: 12 },
  {
    header: '决议',
    value: (m) => m.resolutions.map((r, i) => `${i + 1}. ${r.text}${r.taskId ? '（已转任务）' : ''}`).join('\n'),
    width: 50,
  },
  { header: '登记时间', value: (m) => shanghaiTime(m.createdAt), width: 20 },
  { header: '补录', value: (m) => (m.backfilled ? '是' : '否'), width: 8 },
];

/** Meeting export, resolution → task, and study notes (学习笔记, 调阅). */
export const studyRoutes: RoutePlugin = (app) => {
  const tags = ['study'];

  app.get(
    '/api/meetings/export',
    {
      schema: { tags: ['meetings'], summary: '导出会议记录（Excel）', querystring: meetingListQuery.omit({ page: true, pageSize: true }) },
    },
    async (req, reply) => {
      if (!hasPermission(req.ctx.actor, 'meeting.read')) throw forbidden();
      const list = await service.listMeetings(req.ctx, { ...req.query, ...allRows });
      assertExportable(list.total);
      return sendXlsx(reply, '会议记录.xlsx', await buildXlsx('会议记录', meetingExportColumns, list.items));
    },
  );
  app.post(
    '/api/meetings/:id/resolutions/:index/task',
    {
      schema: {
        tags: ['meetings'],
        summary: '会议决议转为任务',
        params: resolutionTaskParams,
        body: resolutionTaskBody,
        response: { 200: resolutionTaskResult },
      },
    },
    (req) => service.createResolutionTask(req.ctx, req.params.id, req.params.index, req.body),
  );

  // ---- study notes: the author's own, and a reviewer's (调阅)
  app.get(
    '/api/study-notes/mine',
    { schema: { tags, summary: '我的学习笔记', querystring: myStudyNoteQuery, response: { 200: paged(studyNote) } } },
    (req) => service.listMyStudyNotes(req.ctx, req.query),
  );
  app.get(
    '/api/study-notes/attended-meetings',
    { schema: { tags, summary: '本人参加的会议（供学习笔记关联）', response: { 200: z.array(attendedMeeting) } } },
    (req) => service.listAttendedMeetings(req.ctx),
  );
  app.get(
    '/api/study-notes',
    { schema: { tags, summary: '笔记调阅：本单位及下级的学习笔记', querystring: studyNoteListQuery, response: { 200: paged(studyNote) } } },
    (req) => service.listStudyNotesForReview(req.ctx, req.query),
  );
  app.get(
    '/api/study-notes/:id',
    { schema: { tags, summary: '学习笔记详情', params: idParams, response: { 200: studyNoteDetail } } },
    (req) => service.getStudyNote(req.ctx, req.params.id),
  );
  app.post(
    '/api/study-notes',
    { schema: { tags, summary: '撰写学习笔记', body: createStudyNoteBody, response: { 200: studyNoteDetail } } },
    (req) => service.createStudyNote(req.ctx, req.body),
  );
  app.patch(
    '/api/study-notes/:id',
    {
      schema: { tags, summary: '修改学习笔记（调阅前）', params: idParams, body: updateStudyNoteBody, response: { 200: studyNoteDetail } },
    },
    (req) => service.updateStudyNote(req.ctx, req.params.id, req.body),
  );
  app.post(
    '/api/study-notes/:id/reads',
    { schema: { tags, summary: '调阅学习笔记', params: idParams, body: readStudyNoteBody, response: { 200: studyNoteDetail } } },
    (req) => service.readStudyNote(req.ctx, req.params.id, req.body),
  );
};
