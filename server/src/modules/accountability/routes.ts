import {
  accountabilityDetail,
  accountabilityListQuery,
  accountabilityRecord,
  createAccountabilityBody,
  idParams,
  paged,
  respondAccountabilityBody,
} from '@dutyledger/contracts';
import type { RoutePlugin } from '../../core/route.js';
import * as service from './service.js';

export const accountabilityRoutes: RoutePlugin = (app) => {
  const tags = ['accountability'];
  // No PATCH, no DELETE: a decision on record is evidence; the subject answers it with a response.
  app.get(
    '/api/accountability',
    {
      schema: {
        tags,
        summary: '问责记录列表（问责对象本人、决定单位及其上级的纪检/领导可见）',
        querystring: accountabilityListQuery,
        response: { 200: paged(accountabilityRecord) },
      },
    },
    (req) => service.listAccountability(req.ctx, req.query),
  );
  app.post(
    '/api/accountability',
    { schema: { tags, summary: '登记问责', body: createAccountabilityBody, response: { 200: accountabilityDetail } } },
    (req) => service.createAccountability(req.ctx, req.body),
  );
  app.get(
    '/api/accountability/:id',
    { schema: { tags, summary: '问责记录详情', params: idParams, response: { 200: accountabilityDetail } } },
    (req) => service.getAccountability(req.ctx, req.params.id),
  );
  app.post(
    '/api/accountability/:id/response',
    {
      schema: {
        tags,
        summary: '问责对象提交说明或申诉',
        params: idParams,
        body: respondAccountabilityBody,
        response: { 200: accountabilityDetail },
      },
    },
    (req) => service.respondAccountability(req.ctx, req.params.id, req.body),
  );
};
