import {
  idParams,
  notification,
  notificationList,
  notificationQuery,
  okResponse,
  readAllResult,
  webhook,
  webhookBody,
} from '@dutyledger/contracts';
import { z } from 'zod';
import type { RoutePlugin } from '../route.js';
import { createWebhook, deleteWebhook, listNotifications, listWebhooks, markAllRead, markRead } from './service.js';

export const notificationRoutes: RoutePlugin = (app) => {
  const tags = ['notifications'];

  // ---- the caller's own inbox
  app.get(
    '/api/notifications',
    { schema: { tags, summary: '我的通知（unread=true 只看未读）', querystring: notificationQuery, response: { 200: notificationList } } },
    (req) => listNotifications(req.ctx, req.query),
  );
  app.post(
    '/api/notifications/:id/read',
    { schema: { tags, summary: '标记为已读', params: idParams, response: { 200: notification } } },
    (req) => markRead(req.ctx, req.params.id),
  );
  app.post('/api/notifications/read-all', { schema: { tags, summary: '全部标记为已读', response: { 200: readAllResult } } }, (req) =>
    markAllRead(req.ctx),
  );

  // ---- group robots of a unit
  app.get(
    '/api/units/:id/webhooks',
    { schema: { tags, summary: '单位的群机器人', params: idParams, response: { 200: z.array(webhook) } } },
    (req) => listWebhooks(req.ctx, req.params.id),
  );
  app.post(
    '/api/units/:id/webhooks',
    { schema: { tags, summary: '新增群机器人（钉钉/企业微信）', params: idParams, body: webhookBody, response: { 200: webhook } } },
    (req) => createWebhook(req.ctx, req.params.id, req.body),
  );
  app.delete('/api/webhooks/:id', { schema: { tags, summary: '删除群机器人', params: idParams, response: { 200: okResponse } } }, (req) =>
    deleteWebhook(req.ctx, req.params.id),
  );
};
