import { attachment, attachmentLink, attachmentLinkQuery, idParams, id as idSchema, linkAttachmentBody } from '@dutyledger/contracts';
import { z } from 'zod';
import { invalid } from '../errors.js';
import type { RoutePlugin } from '../route.js';
import { contentDisposition, getAttachment, linkAttachment, listAttachmentsOf, openAttachment, uploadAttachment } from './service.js';

export const attachmentRoutes: RoutePlugin = (app) => {
  const tags = ['attachments'];

  // multipart: `unitId` first, then one `file` (the size limit is the multipart plugin's, see app.ts)
  app.post(
    '/api/attachments',
    {
      schema: {
        tags,
        summary: '上传附件（multipart：先 unitId，后 file）',
        consumes: ['multipart/form-data'],
        response: { 200: attachment },
      },
    },
    async (req) => {
      const file = await req.file({ throwFileSizeLimit: false });
      if (!file) throw invalid({ file: '请选择要上传的文件' });
      const raw = file.fields.unitId;
      const unitId = raw && !Array.isArray(raw) && raw.type === 'field' ? String(raw.value) : undefined;
      const parsed = idSchema.safeParse(unitId);
      if (!parsed.success) {
        file.file.resume();
        throw invalid({ unitId: unitId ? '单位编号格式不正确' : '请选择所属单位（unitId 须在 file 之前提交）' });
      }
      if (file.fieldname !== 'file') {
        file.file.resume();
        throw invalid({ file: '文件字段名应为 file' });
      }
      try {
        return await uploadAttachment(req.ctx, {
          unitId: parsed.data,
          fileName: file.filename,
          stream: file.file,
          truncated: () => file.file.truncated,
        });
      } catch (e) {
        // refused before the stream was read (403): drain it so the request completes
        if (!file.file.readableEnded) file.file.resume();
        throw e;
      }
    },
  );

  app.get('/api/attachments/:id', { schema: { tags, summary: '附件信息', params: idParams, response: { 200: attachment } } }, (req) =>
    getAttachment(req.ctx, req.params.id),
  );

  app.get('/api/attachments/:id/download', { schema: { tags, summary: '下载附件', params: idParams } }, async (req, reply) => {
    const { attachment: att, stream } = await openAttachment(req.ctx, req.params.id);
    return reply
      .header('Content-Type', att.mime)
      .header('Content-Length', String(att.size))
      .header('Content-Disposition', contentDisposition(att.name))
      .header('X-Content-Type-Options', 'nosniff')
      .header('Cache-Control', 'private, no-store')
      .send(stream);
  });

  app.post(
    '/api/attachments/:id/links',
    {
      schema: {
        tags,
        summary: '将附件关联到记录（重复关联不重复记录）',
        params: idParams,
        body: linkAttachmentBody,
        response: { 200: attachmentLink },
      },
    },
    (req) => linkAttachment(req.ctx, req.params.id, req.body.entity, req.body.entityId),
  );

  app.get(
    '/api/attachment-links',
    {
      schema: {
        tags,
        summary: '某条记录的附件（仅本人可见范围内）',
        querystring: attachmentLinkQuery,
        response: { 200: z.array(attachment) },
      },
    },
    (req) => listAttachmentsOf(req.ctx, req.query.entity, req.query.entityId),
  );
};
