import { randomBytes } from 'node:crypto';
import type { Client } from '../../../test/harness.js';
import type { ScopeCases } from '../../../test/scope.js';

/** A multipart/form-data body built by hand: text fields first, then at most one file. */
export function multipartBody(fields: Record<string, string>, file?: { field?: string; filename: string; content: Buffer; type?: string }) {
  const boundary = `----dl${randomBytes(12).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.field ?? 'file'}"; filename="${file.filename}"\r\n` +
          `Content-Type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`,
      ),
      file.content,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

export const samplePdf = Buffer.from(
  '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n',
  'latin1',
);

/** Uploads through the real route as `client`. */
export function upload(client: Client, unitId: string, filename: string, content: Buffer) {
  const { payload, contentType } = multipartBody({ unitId }, { filename, content });
  return client.request('POST', '/api/attachments', payload, { 'content-type': contentType });
}

async function attachmentOfA(client: Client, unitId: string): Promise<string> {
  const res = await upload(client, unitId, '范围测试.pdf', Buffer.concat([samplePdf, randomBytes(8)]));
  if (res.status !== 200) throw new Error(`upload failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

/** Scope cases of the attachment routes: A's files are refused to B (sibling) and A1 (child). */
export const scopeCases: ScopeCases = {
  'POST /api/attachments': {
    self: 'multipart upload; 403 outside the unit is tested in attachments.test.ts (the matrix client sends JSON only)',
  },
  'GET /api/attachment-links': { self: 'a list, filtered to the attachments the caller may read (tested in attachments.test.ts)' },
  'GET /api/attachments/:id': {
    permission: 'attachment.read',
    owner: 'clerkA',
    denied: { clerkB: 404, adminB: 404, clerkA1: 404, adminA1: 404, sysAdmin: 404, auditor: 404 },
    request: async (fx) => ({ url: `/api/attachments/${await attachmentOfA(fx.as.clerkA, fx.units.A)}` }),
  },
  'GET /api/attachments/:id/download': {
    permission: 'attachment.read',
    owner: 'adminA',
    denied: { clerkB: 404, adminB: 404, clerkA1: 404, adminA1: 404, secAdmin: 404 },
    request: async (fx) => ({ url: `/api/attachments/${await attachmentOfA(fx.as.clerkA, fx.units.A)}/download` }),
  },
  'POST /api/attachments/:id/links': {
    permission: 'attachment.write',
    owner: 'clerkA',
    denied: { clerkB: 404, adminB: 404, clerkA1: 404, adminA1: 404, sysAdmin: 404 },
    request: async (fx) => ({
      url: `/api/attachments/${await attachmentOfA(fx.as.clerkA, fx.units.A)}/links`,
      body: { entity: 'task', entityId: 'scope-case' },
    }),
  },
};
