import {
  addGroupMemberBody,
  createAssignmentBody,
  createDutyListItemBody,
  createLetterBody,
  dutyAssignment,
  dutyLetterDetail,
  dutyList,
  dutyListItem,
  dutyListItemQuery,
  dutyListKindLabels,
  dutyListQuery,
  endRecordBody,
  groupMember,
  idParams,
  letterBoardQuery,
  letterBoardRow,
  paged,
  responsibilityHistory,
  responsibilityQuery,
  setOfficeBody,
  signLetterBody,
  unitPerson,
  unitResponsibility,
  unitVacancies,
  updateDutyListItemBody,
  updateLetterBody,
  vacancyQuery,
} from '@dutyledger/contracts';
import { z } from 'zod';
import { allRows, assertExportable, buildXlsx, sendXlsx } from '../../core/export.js';
import type { RoutePlugin } from '../../core/route.js';
import { dutyListExportColumns, dutyListLines } from './dutyLists.js';
import { letterBoardExportColumns } from './letters.js';
import * as service from './service.js';

const office = z.object({ unitId: z.uuid().nullable(), unitName: z.string().nullable(), text: z.string() });

/** Routes of the responsibility part of the duty module (leading groups, assignments, duty lists, letters). */
export const responsibilityRoutes: RoutePlugin = (app) => {
  const tags = ['responsibility'];

  // ---- a unit's leading group and assignments
  app.get(
    '/api/responsibility/units/:id',
    {
      schema: {
        tags,
        summary: '单位领导小组与责任分工（某日）及空缺提示',
        params: idParams,
        querystring: responsibilityQuery,
        response: { 200: unitResponsibility },
      },
    },
    (req) => service.getUnitResponsibility(req.ctx, req.params.id, req.query.date),
  );
  app.get(
    '/api/responsibility/units/:id/history',
    { schema: { tags, summary: '领导小组成员和责任分工的历史', params: idParams, response: { 200: responsibilityHistory } } },
    (req) => service.getResponsibilityHistory(req.ctx, req.params.id),
  );
  app.get(
    '/api/responsibility/units/:id/people',
    { schema: { tags, summary: '本单位及下级单位人员（供选择）', params: idParams, response: { 200: z.array(unitPerson) } } },
    (req) => service.listUnitPeople(req.ctx, req.params.id),
  );
  app.patch(
    '/api/responsibility/units/:id/office',
    { schema: { tags, summary: '设置领导小组办公室', params: idParams, body: setOfficeBody, response: { 200: office } } },
    (req) => service.setGroupOffice(req.ctx, req.params.id, req.body),
  );
  app.post(
    '/api/responsibility/units/:id/members',
    {
      schema: {
        tags,
        summary: '增加领导小组成员（或调整职务）',
        params: idParams,
        body: addGroupMemberBody,
        response: { 200: groupMember },
      },
    },
    (req) => service.addGroupMember(req.ctx, req.params.id, req.body),
  );
  app.post(
    '/api/responsibility/members/:id/end',
    { schema: { tags, summary: '成员卸任（保留历史）', params: idParams, body: endRecordBody, response: { 200: groupMember } } },
    (req) => service.endGroupMember(req.ctx, req.params.id, req.body),
  );
  app.post(
    '/api/responsibility/units/:id/assignments',
    { schema: { tags, summary: '明确责任分工', params: idParams, body: createAssignmentBody, response: { 200: dutyAssignment } } },
    (req) => service.createAssignment(req.ctx, req.params.id, req.body),
  );
  app.post(
    '/api/responsibility/assignments/:id/end',
    { schema: { tags, summary: '终止责任分工（保留历史）', params: idParams, body: endRecordBody, response: { 200: dutyAssignment } } },
    (req) => service.endAssignment(req.ctx, req.params.id, req.body),
  );
  app.get(
    '/api/responsibility/vacancies',
    { schema: { tags, summary: '下级单位责任空缺提示', querystring: vacancyQuery, response: { 200: z.array(unitVacancies) } } },
    (req) => service.dutyVacancies(req.ctx, req.query.rootUnitId),
  );

  // ---- duty lists (generated) and their template dictionary
  app.get(
    '/api/responsibility/units/:id/duty-lists',
    { schema: { tags, summary: '生成责任清单', params: idParams, querystring: dutyListQuery, response: { 200: dutyList } } },
    (req) => service.getDutyList(req.ctx, req.params.id, req.query.kind, req.query.date),
  );
  app.get(
    '/api/responsibility/units/:id/duty-lists/export',
    { schema: { tags, summary: '导出责任清单（Excel）', params: idParams, querystring: dutyListQuery } },
    async (req, reply) => {
      const list = await service.getDutyList(req.ctx, req.params.id, req.query.kind, req.query.date);
      const lines = dutyListLines(list);
      assertExportable(lines.length);
      const data = await buildXlsx(dutyListKindLabels[list.kind], dutyListExportColumns, lines);
      return sendXlsx(reply, `${list.title}.xlsx`, data);
    },
  );
  app.get(
    '/api/duty-list-items',
    { schema: { tags, summary: '责任清单模板条目', querystring: dutyListItemQuery, response: { 200: z.array(dutyListItem) } } },
    (req) => service.listDutyListItems(req.ctx, req.query),
  );
  app.post(
    '/api/duty-list-items',
    { schema: { tags, summary: '新增责任清单模板条目（顶级单位管理员）', body: createDutyListItemBody, response: { 200: dutyListItem } } },
    (req) => service.createDutyListItem(req.ctx, req.body),
  );
  app.patch(
    '/api/duty-list-items/:id',
    {
      schema: {
        tags,
        summary: '修改责任清单模板条目（顶级单位管理员）',
        params: idParams,
        body: updateDutyListItemBody,
        response: { 200: dutyListItem },
      },
    },
    (req) => service.updateDutyListItem(req.ctx, req.params.id, req.body),
  );

  // ---- responsibility letters
  app.get(
    '/api/duty-letters/board',
    { schema: { tags, summary: '责任状签订情况', querystring: letterBoardQuery, response: { 200: paged(letterBoardRow) } } },
    (req) => service.letterBoard(req.ctx, req.query),
  );
  app.get(
    '/api/duty-letters/board/export',
    { schema: { tags, summary: '导出责任状签订情况（Excel）', querystring: letterBoardQuery.omit({ page: true, pageSize: true }) } },
    async (req, reply) => {
      const list = await service.letterBoard(req.ctx, { ...req.query, ...allRows });
      assertExportable(list.total);
      const data = await buildXlsx('责任状签订情况', letterBoardExportColumns, list.items);
      return sendXlsx(reply, `${req.query.year}年度责任状签订情况.xlsx`, data);
    },
  );
  app.post(
    '/api/duty-letters',
    { schema: { tags, summary: '发起责任状', body: createLetterBody, response: { 200: dutyLetterDetail } } },
    (req) => service.createLetter(req.ctx, req.body),
  );
  app.get(
    '/api/duty-letters/:id',
    { schema: { tags, summary: '责任状详情', params: idParams, response: { 200: dutyLetterDetail } } },
    (req) => service.getLetter(req.ctx, req.params.id),
  );
  app.patch(
    '/api/duty-letters/:id',
    { schema: { tags, summary: '修改责任状（未签订）', params: idParams, body: updateLetterBody, response: { 200: dutyLetterDetail } } },
    (req) => service.updateLetter(req.ctx, req.params.id, req.body),
  );
  app.post(
    '/api/duty-letters/:id/sign',
    {
      schema: { tags, summary: '签订责任状（须上传扫描件）', params: idParams, body: signLetterBody, response: { 200: dutyLetterDetail } },
    },
    (req) => service.transitionLetter(req.ctx, req.params.id, 'sign', req.body),
  );
};
