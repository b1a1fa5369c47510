/** Attachment references of a page of records (one query per page), for the ledger's 附件 column and the ZIP. */
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Ctx } from '../../core/context.js';
import { attachmentLinks, attachments } from '../../core/schema.js';
import type { LedgerAttachmentRef } from './chapters/types.js';

export async function attachmentRefs(ctx: Ctx, entity: string, ids: string[]): Promise<Map<string, LedgerAttachmentRef[]>> {
  const out = new Map<string, LedgerAttachmentRef[]>();
  if (ids.length === 0) return out;
  const rows = await ctx.db
    .select({ entityId: attachmentLinks.entityId, id: attachments.id, name: attachments.name, sha256: attachments.sha256 })
    .from(attachmentLinks)
    .innerJoin(attachments, eq(attachments.id, attachmentLinks.attachmentId))
    .where(and(eq(attachmentLinks.entity, entity), inArray(attachmentLinks.entityId, ids)))
    .orderBy(asc(attachmentLinks.createdAt), asc(attachments.id));
  for (const r of rows) {
    const list = out.get(r.entityId) ?? [];
    list.push({ id: r.id, name: r.name, sha256: r.sha256 });
    out.set(r.entityId, list);
  }
  return out;
}
