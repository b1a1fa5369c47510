import { eq } from 'drizzle-orm';
import type { ScopeCases } from '../../../test/scope.js';
import { notifications } from '../schema.js';
import { notify } from './service.js';

/** Scope cases of the notification routes: an inbox is its owner's alone; robots are configured per unit. */
export const scopeCases: ScopeCases = {
  'GET /api/notifications': { self: 'the caller’s own inbox' },
  'POST /api/notifications/read-all': { self: 'marks the caller’s own inbox read' },
  'POST /api/notifications/:id/read': {
    permission: null,
    relation: "an inbox is its owner's alone: no permission reaches somebody else's notification",
    owner: 'clerkA',
    // nobody else, not even the unit's admin or a system role, may touch somebody's inbox
    denied: { clerkB: 404, adminA: 404, sysAdmin: 404, auditor: 404 },
    request: async (fx) => {
      const key = `scope-${Math.random()}`;
      await notify(fx.h.ctx, { personIds: [fx.people.clerkA.id], title: '范围测试', body: '正文', dedupeKey: key });
      const [row] = await fx.h.database.db
        .select()
        .from(notifications)
        .where(eq(notifications.dedupeKey, `${key}:${fx.people.clerkA.id}`));
      return { url: `/api/notifications/${row!.id}/read` };
    },
  },
  'GET /api/units/:id/webhooks': {
    permission: 'notification.configure',
    owner: 'adminA',
    denied: { adminB: 403, adminA1: 403, clerkA: 403, clerkB: 403, auditor: 403 },
    request: async (fx) => ({ url: `/api/units/${fx.units.A}/webhooks` }),
  },
  'POST /api/units/:id/webhooks': {
    permission: 'notification.configure',
    owner: 'adminA',
    denied: { adminB: 403, adminA1: 403, clerkA: 403, secAdmin: 403, auditor: 403 },
    request: async (fx) => ({
      url: `/api/units/${fx.units.A}/webhooks`,
      body: { kind: 'dingtalk', url: 'http://127.0.0.1:9/robot/send?access_token=scope', enabled: false },
    }),
  },
  'DELETE /api/webhooks/:id': {
    permission: 'notification.configure',
    owner: 'adminA',
    denied: { adminB: 404, clerkB: 404, adminA1: 404, clerkA: 403, auditor: 404 },
    request: async (fx) => {
      const res = await fx.as.adminA.post(`/api/units/${fx.units.A}/webhooks`, {
        kind: 'wecom',
        url: 'http://127.0.0.1:9/cgi-bin/webhook/send?key=scope',
        enabled: false,
      });
      return { url: `/api/webhooks/${res.body.id}` };
    },
  },
};
