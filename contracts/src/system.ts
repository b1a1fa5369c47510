import { z } from 'zod';
import { paged, pageQuery } from './common.js';

export const auditEntry = z.object({
  seq: z.number().int(),
  at: z.string(),
  actorId: z.uuid().nullable(),
  actorName: z.string().nullable(),
  unitId: z.uuid().nullable(),
  unitName: z.string().nullable(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  hash: z.string(),
});
export const auditQuery = pageQuery.extend({
  action: z.string().max(50).optional(),
  entity: z.string().max(50).optional(),
  from: z.string().max(40).optional(),
  to: z.string().max(40).optional(),
});
export const auditVerify = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  brokenAt: z.number().int().nullable(),
  reason: z.string().nullable(),
});
export const loginLogEntry = z.object({
  id: z.uuid(),
  at: z.string(),
  username: z.string(),
  personId: z.uuid().nullable(),
  success: z.boolean(),
  reason: z.string().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
});
export const loginLogQuery = pageQuery.extend({ success: z.enum(['true', 'false']).optional() });

export const notification = z.object({
  id: z.uuid(),
  title: z.string(),
  body: z.string(),
  link: z.string().nullable(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
export const notificationQuery = pageQuery.extend({ unread: z.enum(['true', 'false']).optional() });
export const webhookKinds = ['dingtalk', 'wecom'] as const;
export const webhook = z.object({
  id: z.uuid(),
  unitId: z.uuid(),
  kind: z.enum(webhookKinds),
  url: z.string(),
  enabled: z.boolean(),
});
export const webhookBody = z.object({
  kind: z.enum(webhookKinds, { message: '请选择机器人类型' }),
  url: z.url({ message: '网址格式不正确', protocol: /^https?$/ }).max(500),
  enabled: z.boolean().default(true),
});

export const attachment = z.object({
  id: z.uuid(),
  unitId: z.uuid(),
  name: z.string(),
  mime: z.string(),
  size: z.number().int(),
  sha256: z.string(),
  createdAt: z.string(),
});
export const linkAttachmentBody = z.object({
  entity: z.string().min(1).max(50),
  entityId: z.string().min(1).max(100),
});

// ---- notifications, webhooks, attachments: responses of the core routes
export const notificationList = paged(notification).extend({ unreadCount: z.number().int() });
export const readAllResult = z.object({ ok: z.literal(true), updated: z.number().int() });
export const attachmentLink = z.object({
  id: z.uuid(),
  attachmentId: z.uuid(),
  entity: z.string(),
  entityId: z.string(),
  createdAt: z.string(),
});
export const attachmentLinkQuery = linkAttachmentBody;
export type Attachment = z.infer<typeof attachment>;
export type AttachmentLink = z.infer<typeof attachmentLink>;
export type InboxNotification = z.infer<typeof notification>;
export type Webhook = z.infer<typeof webhook>;
