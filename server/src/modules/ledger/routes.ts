import {
  createLedgerExportBody,
  idParams,
  ledgerChapterInfo,
  ledgerDownloadParams,
  ledgerExport,
  ledgerExportListQuery,
  paged,
} from '@dutyledger/contracts';
import { z } from 'zod';
import { contentDisposition } from '../../core/attachments/service.js';
import { forbidden } from '../../core/errors.js';
import type { RoutePlugin } from '../../core/route.js';
import { hasPermission, requireActor } from '../../core/scope.js';
import * as service from './service.js';

export const ledgerRoutes: RoutePlugin = (app) => {
  const tags = ['ledger'];

  app.get('/api/ledger/chapters', { schema: { tags, summary: '台账章节', response: { 200: z.array(ledgerChapterInfo) } } }, (req) => {
    requireActor(req.ctx.actor);
    if (!hasPermission(req.ctx.actor, 'ledger.export')) throw forbidden();
    return service.ledgerChapters.map((c) => ({ key: c.key, title: c.title }));
  });
  app.post(
    '/api/ledger/exports',
    { schema: { tags, summary: '导出台账（后台生成 Word / Excel / ZIP）', body: createLedgerExportBody, response: { 200: ledgerExport } } },
    (req) => service.createLedgerExport(req.ctx, req.body),
  );
  app.get(
    '/api/ledger/exports',
    { schema: { tags, summary: '我的台账导出记录', querystring: ledgerExportListQuery, response: { 200: paged(ledgerExport) } } },
    (req) => service.listMyLedgerExports(req.ctx, req.query),
  );
  app.get(
    '/api/ledger/exports/:id',
    { schema: { tags, summary: '台账导出任务（状态与进度）', params: idParams, response: { 200: ledgerExport } } },
    (req) => service.getLedgerExport(req.ctx, req.params.id),
  );
  app.get(
    '/api/ledger/exports/:id/files/:format',
    { schema: { tags, summary: '下载台账文件', params: ledgerDownloadParams } },
    async (req, reply) => {
      const file = await service.openLedgerFile(req.ctx, req.params.id, req.params.format);
      return reply
        .header('Content-Type', file.mime)
        .header('Content-Length', String(file.size))
        .header('Content-Disposition', contentDisposition(file.name))
        .header('Cache-Control', 'private, no-store')
        .send(file.stream);
    },
  );
};
