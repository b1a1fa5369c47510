import { auditEntry, auditQuery, auditVerify, loginLogEntry, loginLogQuery, paged } from '@dutyledger/contracts';
import type { RoutePlugin } from '../route.js';
import { listAuditEntries, listLoginLog, verifyAuditChain } from './service.js';

export const systemRoutes: RoutePlugin = (app) => {
  const tags = ['system'];
  app.get('/api/health', { config: { public: true }, schema: { tags, summary: '健康检查' } }, async () => ({ status: 'ok' }));
  app.get(
    '/api/audit',
    { schema: { tags, summary: '审计日志（仅安全审计员）', querystring: auditQuery, response: { 200: paged(auditEntry) } } },
    (req) => listAuditEntries(req.ctx, req.query),
  );
  app.get('/api/audit/verify', { schema: { tags, summary: '校验审计日志链', response: { 200: auditVerify } } }, (req) =>
    verifyAuditChain(req.ctx),
  );
  app.get(
    '/api/login-log',
    { schema: { tags, summary: '登录日志（仅安全审计员）', querystring: loginLogQuery, response: { 200: paged(loginLogEntry) } } },
    (req) => listLoginLog(req.ctx, req.query),
  );
};
