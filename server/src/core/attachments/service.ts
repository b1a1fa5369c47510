/**
 * Attachments: files stored once by content (SHA-256) in the file store (store.ts: `<dataDir>/files/aa/bb/<sha>`
 * or an S3-compatible bucket), a row per
 * upload (its unit, name, type), and a generic link table so that any record can carry evidence.
 *
 * An upload is streamed to `<dataDir>/tmp` while hashed, checked for size and for its real type (by
 * content, against an allow-list by extension; zip containers also for zip bombs, see zip.ts), then moved into place; the row and its audit entry
 * commit together. A refused upload leaves nothing behind: no row, no file.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Attachment, AttachmentLink } from '@dutyledger/contracts';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { fileTypeFromFile } from 'file-type';
import { regionOf } from '../../db/distribution.js';
import { writeAudit } from '../audit.js';
import { type Ctx, inTx } from '../context.js';
import { AppError, invalid, notFound } from '../errors.js';
import { attachmentLinks, attachments } from '../schema.js';
import { inScope, requireActor, requireRecordAction, requireRecordInScope, requireUnitPermission } from '../scope.js';
import { DiskStore, fileStoreOf } from './store.js';
import { assertSafeZip, ZipRefused } from './zip.js';

type AttachmentRow = typeof attachments.$inferSelect;

/** Where the content with this hash lives in the disk store (tests look at it). */
export function attachmentFilePath(dataDir: string, sha256: string): string {
  return new DiskStore(join(dataDir, 'files')).pathOf(sha256);
}

/**
 * The allow-list: extension → what `file-type` must find in the content (null: it must find nothing and
 * the content must be UTF-8 text) and the type we serve the file with.
 */
const OOXML = 'application/vnd.openxmlformats-officedocument';
const allowed: Record<string, { detected: string | null; mime: string }> = {
  pdf: { detected: 'application/pdf', mime: 'application/pdf' },
  docx: { detected: `${OOXML}.wordprocessingml.document`, mime: `${OOXML}.wordprocessingml.document` },
  xlsx: { detected: `${OOXML}.spreadsheetml.sheet`, mime: `${OOXML}.spreadsheetml.sheet` },
  pptx: { detected: `${OOXML}.presentationml.presentation`, mime: `${OOXML}.presentationml.presentation` },
  doc: { detected: 'application/x-cfb', mime: 'application/msword' },
  xls: { detected: 'application/x-cfb', mime: 'application/vnd.ms-excel' },
  ppt: { detected: 'application/x-cfb', mime: 'application/vnd.ms-powerpoint' },
  // OFD (GB/T 33190) is a zip container
  ofd: { detected: 'application/zip', mime: 'application/ofd' },
  jpg: { detected: 'image/jpeg', mime: 'image/jpeg' },
  jpeg: { detected: 'image/jpeg', mime: 'image/jpeg' },
  png: { detected: 'image/png', mime: 'image/png' },
  txt: { detected: null, mime: 'text/plain; charset=utf-8' },
};

/** Zip containers: checked for zip bombs (entry count, declared and real expansion, ratio) before they are kept. */
const zipContainers = new Set(['docx', 'xlsx', 'pptx', 'ofd']);

export const allowedExtensions = Object.keys(allowed);

const MAX_NAME = 200;

/** The name a file is kept under: basename only, no path separators or control characters, ≤ 200 chars. */
export function sanitizeFileName(raw: string | undefined): string {
  let name = (raw ?? '').normalize('NFC');
  name = name.split(/[/\\]/).pop() ?? '';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  name = name.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, '').trim();
  name = name.replace(/^\.+/, '');
  if (!name) name = '未命名文件';
  if (name.length > MAX_NAME) {
    const dot = name.lastIndexOf('.');
    const ext = dot > 0 && name.length - dot <= 10 ? name.slice(dot) : '';
    name = name.slice(0, MAX_NAME - ext.length) + ext;
  }
  return name;
}

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/** Whether a file is UTF-8 text: decodes strictly and holds no NUL byte. */
async function isUtf8Text(path: string): Promise<boolean> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const chunk of createReadStream(path)) {
      if ((chunk as Buffer).includes(0)) return false;
      decoder.decode(chunk as Buffer, { stream: true });
    }
    decoder.decode();
    return true;
  } catch {
    return false;
  }
}

/** Whether the content of `path` is what its extension says (and the extension is allowed). */
async function contentMatches(path: string, ext: string): Promise<boolean> {
  const rule = allowed[ext];
  if (!rule) return false;
  const found = await fileTypeFromFile(path);
  if (rule.detected === null) return !found && (await isUtf8Text(path));
  return found?.mime === rule.detected;
}

const removeQuietly = (path: string) => unlink(path).catch(() => {});

function toAttachment(row: AttachmentRow): Attachment {
  return {
    id: row.id,
    unitId: row.unitId,
    name: row.name,
    mime: row.mime,
    size: row.size,
    sha256: row.sha256,
    createdAt: row.createdAt.toISOString(),
  };
}

export interface UploadInput {
  unitId: string;
  fileName: string | undefined;
  /** the file's bytes; `truncated()` tells after the stream ended whether the size limit cut it */
  stream: Readable;
  truncated: () => boolean;
}

/** Stores one uploaded file. The caller must have `attachment.write` on the unit (403 otherwise). */
export async function uploadAttachment(ctx: Ctx, input: UploadInput): Promise<Attachment> {
  await requireUnitPermission(ctx.db, ctx.actor, 'attachment.write', input.unitId);
  const name = sanitizeFileName(input.fileName);
  const ext = extensionOf(name);

  const tmpDir = join(ctx.config.dataDir, 'tmp');
  mkdirSync(tmpDir, { recursive: true });
  const tmp = join(tmpDir, `${randomUUID()}.part`);
  const hash = createHash('sha256');
  let size = 0;
  const hasher = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  try {
    await pipeline(input.stream, hasher, createWriteStream(tmp, { flags: 'wx' }));
    if (input.truncated()) {
      const mb = Math.floor(ctx.config.uploadMaxBytes / (1024 * 1024));
      throw new AppError('PAYLOAD_TOO_LARGE', `文件超过${mb}MB限制`);
    }
    if (!allowed[ext] || !(await contentMatches(tmp, ext))) {
      throw new AppError('UNSUPPORTED_FILE', '文件类型不允许或与扩展名不符', { file: `允许的类型：${allowedExtensions.join('、')}` });
    }
    if (zipContainers.has(ext)) {
      await assertSafeZip(tmp).catch((e) => {
        if (e instanceof ZipRefused) throw new AppError('UNSUPPORTED_FILE', '文档结构异常或解压后过大（疑似压缩炸弹），已拒绝上传');
        throw e;
      });
    }
  } catch (e) {
    await removeQuietly(tmp);
    throw e;
  }

  const sha256 = hash.digest('hex');
  try {
    await fileStoreOf(ctx.config).putFile(sha256, tmp);
  } catch (e) {
    await removeQuietly(tmp);
    throw e;
  }
  // the file is in place before the row commits; a failed transaction leaves at most an unreferenced
  // content file (harmless: it is only reachable through a row with its hash)
  return inTx(ctx, async (tx) => {
    const [row] = await tx.db
      .insert(attachments)
      .values({
        regionId: regionOf(input.unitId),
        unitId: input.unitId,
        sha256,
        size,
        mime: allowed[ext]!.mime,
        name,
        uploadedBy: ctx.actor?.personId || null,
      })
      .returning();
    await writeAudit(tx, { action: 'create', entity: 'attachment', entityId: row!.id, unitId: row!.unitId, after: row });
    return toAttachment(row!);
  });
}

async function loadAttachment(ctx: Ctx, id: string): Promise<AttachmentRow> {
  const [row] = await ctx.db.select().from(attachments).where(eq(attachments.id, id)).limit(1);
  if (!row) throw notFound();
  return row;
}

/** Metadata of an attachment: 404 outside the caller's read scope. */
export async function getAttachment(ctx: Ctx, id: string): Promise<Attachment> {
  const row = await loadAttachment(ctx, id);
  await requireRecordInScope(ctx.db, ctx.actor, 'attachment.read', row.unitId);
  return toAttachment(row);
}

/** An attachment's metadata and a stream of its content: 404 outside scope or when the file is missing. */
export async function openAttachment(ctx: Ctx, id: string): Promise<{ attachment: Attachment; stream: Readable }> {
  const row = await loadAttachment(ctx, id);
  await requireRecordInScope(ctx.db, ctx.actor, 'attachment.read', row.unitId);
  const file = await fileStoreOf(ctx.config).open(row.sha256);
  if (!file) throw notFound('附件文件已丢失，请联系管理员');
  return { attachment: toAttachment(row), stream: file.stream };
}

/** `Content-Disposition` for a download: an ASCII fallback plus the RFC 5987 UTF-8 name. */
export function contentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

// ---- links

/**
 * A module that owns an entity may register a guard that decides whether the actor may attach files to
 * one of its records (throwing 404/403 like the scope helpers). Links to entities without a guard only
 * need `attachment.write` on the attachment's unit.
 */
type LinkGuard = (ctx: Ctx, entityId: string) => Promise<void>;
const linkGuards = new Map<string, LinkGuard>();
export function registerAttachmentEntity(entity: string, guard: LinkGuard): void {
  linkGuards.set(entity, guard);
}

type LinkRow = typeof attachmentLinks.$inferSelect;
const toLink = (r: LinkRow): AttachmentLink => ({
  id: r.id,
  attachmentId: r.attachmentId,
  entity: r.entity,
  entityId: r.entityId,
  createdAt: r.createdAt.toISOString(),
});

/** Links an attachment to a record (idempotent: linking twice keeps one link, audited once). */
export async function linkAttachment(ctx: Ctx, attachmentId: string, entity: string, entityId: string): Promise<AttachmentLink> {
  const att = await loadAttachment(ctx, attachmentId);
  await requireRecordAction(ctx.db, ctx.actor, { read: 'attachment.read', write: 'attachment.write' }, att.unitId);
  if (!entity.trim() || !entityId.trim()) throw invalid({ entity: '请指定要关联的记录' });
  await linkGuards.get(entity)?.(ctx, entityId);
  return inTx(ctx, async (tx) => {
    const [inserted] = await tx.db
      .insert(attachmentLinks)
      .values({ regionId: att.regionId, attachmentId, entity, entityId })
      .onConflictDoNothing()
      .returning();
    if (inserted) {
      await writeAudit(tx, { action: 'link', entity: 'attachment', entityId: attachmentId, unitId: att.unitId, after: inserted });
      return toLink(inserted);
    }
    const [existing] = await tx.db
      .select()
      .from(attachmentLinks)
      .where(
        and(eq(attachmentLinks.attachmentId, attachmentId), eq(attachmentLinks.entity, entity), eq(attachmentLinks.entityId, entityId)),
      )
      .limit(1);
    return toLink(existing!);
  });
}

/** The attachments linked to a record that the caller may read (others are left out, silently). */
export async function listAttachmentsOf(ctx: Ctx, entity: string, entityId: string): Promise<Attachment[]> {
  return (await listAttachmentsOfEach(ctx, entity, [entityId])).get(entityId) ?? [];
}

/**
 * The readable attachments of several records of one entity kind, in one query (a report's sections: one
 * round trip instead of one per section). Every id asked for is in the map, with [] when it has none.
 */
export async function listAttachmentsOfEach(ctx: Ctx, entity: string, entityIds: string[]): Promise<Map<string, Attachment[]>> {
  requireActor(ctx.actor);
  const out = new Map(entityIds.map((id) => [id, [] as Attachment[]]));
  if (entityIds.length === 0) return out;
  const rows = await ctx.db
    .select({ entityId: attachmentLinks.entityId, att: attachments })
    .from(attachmentLinks)
    .innerJoin(attachments, eq(attachments.id, attachmentLinks.attachmentId))
    .where(
      and(
        eq(attachmentLinks.entity, entity),
        entityIds.length === 1 ? eq(attachmentLinks.entityId, entityIds[0]!) : inArray(attachmentLinks.entityId, entityIds),
        inScope(ctx.actor, 'attachment.read', attachments.unitId),
      ),
    )
    .orderBy(asc(attachmentLinks.createdAt), asc(attachments.name));
  for (const r of rows) out.get(r.entityId)?.push(toAttachment(r.att));
  return out;
}
