import {
  createPersonBody,
  createUnitBody,
  idParams,
  moveUnitBody,
  type Person,
  paged,
  person,
  personListQuery,
  postInput,
  type RoleKey,
  roles,
  temporaryPassword,
  unit,
  unitDetail,
  unitListQuery,
  updatePersonBody,
  updateUnitBody,
} from '@dutyledger/contracts';
import { z } from 'zod';
import { allRows, assertExportable, buildXlsx, type ExportColumn, sendXlsx, shanghaiTime } from '../../core/export.js';
import type { RoutePlugin } from '../../core/route.js';
import * as peopleService from './people.js';
import * as unitService from './units.js';

const roleLabels = (keys: readonly RoleKey[]) => keys.map((k) => roles[k].label).join('、');
const peopleExportColumns: ExportColumn<Person>[] = [
  { header: '姓名', value: (p) => p.displayName, width: 12 },
  { header: '用户名', value: (p) => p.username, width: 18 },
  { header: '电话', value: (p) => p.phone, width: 16 },
  { header: '职务', value: (p) => p.posts.map((x) => `${x.unitName} ${x.title}（${roleLabels(x.roles)}）`).join('；'), width: 60 },
  { header: '状态', value: (p) => (!p.active ? '停用' : p.lockedUntil ? '已锁定' : '启用'), width: 8 },
  { header: '创建时间', value: (p) => shanghaiTime(p.createdAt), width: 20 },
];

export const orgRoutes: RoutePlugin = (app) => {
  const tags = ['org'];

  // ---- units
  app.get(
    '/api/units',
    { schema: { tags, summary: '本人范围内的单位', querystring: unitListQuery, response: { 200: z.array(unit) } } },
    (req) => unitService.listUnits(req.ctx, req.query),
  );
  app.get('/api/units/:id', { schema: { tags, summary: '单位详情', params: idParams, response: { 200: unitDetail } } }, (req) =>
    unitService.getUnit(req.ctx, req.params.id),
  );
  app.post('/api/units', { schema: { tags, summary: '新建单位', body: createUnitBody, response: { 200: unit } } }, (req) =>
    unitService.createUnit(req.ctx, req.body),
  );
  app.patch(
    '/api/units/:id',
    { schema: { tags, summary: '修改单位', params: idParams, body: updateUnitBody, response: { 200: unit } } },
    (req) => unitService.updateUnit(req.ctx, req.params.id, req.body),
  );
  app.post(
    '/api/units/:id/move',
    { schema: { tags, summary: '移动单位', params: idParams, body: moveUnitBody, response: { 200: unit } } },
    (req) => unitService.moveUnit(req.ctx, req.params.id, req.body.parentId),
  );
  app.post('/api/units/:id/deactivate', { schema: { tags, summary: '停用单位', params: idParams, response: { 200: unit } } }, (req) =>
    unitService.setUnitActive(req.ctx, req.params.id, false),
  );
  app.post('/api/units/:id/activate', { schema: { tags, summary: '启用单位', params: idParams, response: { 200: unit } } }, (req) =>
    unitService.setUnitActive(req.ctx, req.params.id, true),
  );

  // ---- people and posts
  app.get('/api/people', { schema: { tags, summary: '人员列表', querystring: personListQuery, response: { 200: paged(person) } } }, (req) =>
    peopleService.listPeople(req.ctx, req.query),
  );
  app.get(
    '/api/people/export',
    { schema: { tags, summary: '导出人员列表（Excel）', querystring: personListQuery.omit({ page: true, pageSize: true }) } },
    async (req, reply) => {
      const list = await peopleService.listPeople(req.ctx, { ...req.query, ...allRows });
      assertExportable(list.total);
      const data = await buildXlsx('人员', peopleExportColumns, list.items);
      return sendXlsx(reply, '人员名单.xlsx', data);
    },
  );
  app.get('/api/people/:id', { schema: { tags, summary: '人员详情', params: idParams, response: { 200: person } } }, (req) =>
    peopleService.getPerson(req.ctx, req.params.id),
  );
  app.post(
    '/api/people',
    { schema: { tags, summary: '新建人员（返回初始密码）', body: createPersonBody, response: { 200: temporaryPassword } } },
    (req) => peopleService.createPerson(req.ctx, req.body),
  );
  app.patch(
    '/api/people/:id',
    { schema: { tags, summary: '修改人员信息', params: idParams, body: updatePersonBody, response: { 200: person } } },
    (req) => peopleService.updatePerson(req.ctx, req.params.id, req.body),
  );
  app.post(
    '/api/people/:id/reset-password',
    { schema: { tags, summary: '重置密码（返回临时密码）', params: idParams, response: { 200: temporaryPassword } } },
    (req) => peopleService.resetPassword(req.ctx, req.params.id),
  );
  app.post('/api/people/:id/deactivate', { schema: { tags, summary: '停用账户', params: idParams, response: { 200: person } } }, (req) =>
    peopleService.setPersonActive(req.ctx, req.params.id, false),
  );
  app.post('/api/people/:id/activate', { schema: { tags, summary: '启用账户', params: idParams, response: { 200: person } } }, (req) =>
    peopleService.setPersonActive(req.ctx, req.params.id, true),
  );
  app.post('/api/people/:id/unlock', { schema: { tags, summary: '解除锁定', params: idParams, response: { 200: person } } }, (req) =>
    peopleService.unlockPerson(req.ctx, req.params.id),
  );
  app.post(
    '/api/people/:id/posts',
    { schema: { tags, summary: '增加职务', params: idParams, body: postInput, response: { 200: person } } },
    (req) => peopleService.addPost(req.ctx, req.params.id, req.body),
  );
  app.patch(
    '/api/posts/:id',
    { schema: { tags, summary: '修改职务与角色', params: idParams, body: postInput.partial(), response: { 200: person } } },
    (req) => peopleService.updatePost(req.ctx, req.params.id, req.body),
  );
  app.delete('/api/posts/:id', { schema: { tags, summary: '删除职务', params: idParams, response: { 200: person } } }, (req) =>
    peopleService.removePost(req.ctx, req.params.id),
  );
};
