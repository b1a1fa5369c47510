import { auditEntry, auditQuery, auditVerify, loginLogEntry, loginLogQuery, paged } from '@dutyledger/contracts';
import { allRows, assertExportable, buildXlsx, type ExportColumn, sendXlsx, shanghaiTime } from '../export.js';
import type { RoutePlugin } from '../route.js';
import { listAuditEntries, listLoginLog, verifyAuditChain } from './service.js';

type AuditRow = Awaited<ReturnType<typeof listAuditEntries>>['items'][number];
const auditColumns: ExportColumn<AuditRow>[] = [
  { header: '序号', value: (e) => e.seq, width: 8 },
  { header: '时间', value: (e) => shanghaiTime(e.at), width: 20 },
  { header: '操作人', value: (e) => e.actorName, width: 12 },
  { header: '单位', value: (e) => e.unitName, width: 20 },
  { header: '操作', value: (e) => e.action, width: 14 },
  { header: '对象', value: (e) => e.entity, width: 10 },
  { header: '对象编号', value: (e) => e.entityId, width: 38 },
  { header: '变更前', value: (e) => (e.before == null ? '' : JSON.stringify(e.before)), width: 50 },
  { header: '变更后', value: (e) => (e.after == null ? '' : JSON.stringify(e.after)), width: 50 },
  { header: '哈希', value: (e) => e.hash, width: 66 },
];
type LoginRow = Awaited<ReturnType<typeof listLoginLog>>['items'][number];
const loginColumns: ExportColumn<LoginRow>[] = [
  { header: '时间', value: (r) => shanghaiTime(r.at), width: 20 },
  { header: '用户名', value: (r) => r.username, width: 18 },
  { header: '结果', value: (r) => (r.success ? '成功' : '失败'), width: 8 },
  { header: '原因', value: (r) => r.reason, width: 20 },
  { header: 'IP', value: (r) => r.ip, width: 16 },
  { header: '浏览器', value: (r) => r.userAgent, width: 40 },
];

export const systemRoutes: RoutePlugin = (app) => {
  const tags = ['system'];
  app.get('/api/health', { config: { public: true }, schema: { tags, summary: '健康检查' } }, async () => ({ status: 'ok' }));
  app.get(
    '/api/audit',
    { schema: { tags, summary: '审计日志（仅安全审计员）', querystring: auditQuery, response: { 200: paged(auditEntry) } } },
    (req) => listAuditEntries(req.ctx, req.query),
  );
  app.get(
    '/api/audit/export',
    { schema: { tags, summary: '导出审计日志（Excel）', querystring: auditQuery.omit({ page: true, pageSize: true }) } },
    async (req, reply) => {
      const list = await listAuditEntries(req.ctx, { ...req.query, ...allRows });
      assertExportable(list.total);
      return sendXlsx(reply, '审计日志.xlsx', await buildXlsx('审计日志', auditColumns, list.items));
    },
  );
  app.get('/api/audit/verify', { schema: { tags, summary: '校验审计日志链', response: { 200: auditVerify } } }, (req) =>
    verifyAuditChain(req.ctx),
  );
  app.get(
    '/api/login-log',
    { schema: { tags, summary: '登录日志（仅安全审计员）', querystring: loginLogQuery, response: { 200: paged(loginLogEntry) } } },
    (req) => listLoginLog(req.ctx, req.query),
  );
  app.get(
    '/api/login-log/export',
    { schema: { tags, summary: '导出登录日志（Excel）', querystring: loginLogQuery.omit({ page: true, pageSize: true }) } },
    async (req, reply) => {
      const list = await listLoginLog(req.ctx, { ...req.query, ...allRows });
      assertExportable(list.total);
      return sendXlsx(reply, '登录日志.xlsx', await buildXlsx('登录日志', loginColumns, list.items));
    },
  );
};
