import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson, buildRoot, buildUnit, type Client, type Harness, login, startHarness } from '../../../test/harness.js';
import { attachments, auditEntries } from '../schema.js';
import { multipartBody, samplePdf, upload } from './attachments.scope.js';
import { attachmentFilePath, contentDisposition, sanitizeFileName } from './service.js';

let h: Harness;
let town: { id: string };
let village: { id: string };
let sibling: { id: string };
let clerk: Client; // clerk of the town
let villageClerk: Client;
let siblingClerk: Client;

beforeAll(async () => {
  h = await startHarness();
  const root = await buildRoot(h);
  town = await buildUnit(h, root.id, '甲镇党委', '乡镇');
  village = await buildUnit(h, town.id, '一村党支部', '村');
  sibling = await buildUnit(h, root.id, '乙镇党委', '乡镇');
  clerk = await login(h, (await buildPerson(h, { unitId: town.id, roles: ['clerk'] })).username);
  villageClerk = await login(h, (await buildPerson(h, { unitId: village.id, roles: ['clerk'] })).username);
  siblingClerk = await login(h, (await buildPerson(h, { unitId: sibling.id, roles: ['clerk'] })).username);
});
afterAll(() => h.close());

/** Every file under a directory (recursively). */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name));
}

async function rowCount() {
  const [{ n }] = (await h.database.db.select({ n: count() }).from(attachments)) as [{ n: number }];
  return n;
}

async function expectNothingStored(before: { rows: number; files: number }) {
  expect(await rowCount()).toBe(before.rows);
  expect(filesUnder(join(h.dataDir, 'files')).length).toBe(before.files);
  expect(filesUnder(join(h.dataDir, 'tmp'))).toEqual([]);
}

/** A zip (stored, no compression) of the given entries: enough for file-type to see docx, xlsx or plain zip. */
function zip(entries: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(entries)) {
    const data = Buffer.from(text);
    const fname = Buffer.from(name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(fname.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(fname.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, fname, data);
    centrals.push(central, fname);
    offset += 30 + fname.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(centrals.length / 2, 8);
  end.writeUInt16LE(centrals.length / 2, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const snapshot = async () => ({ rows: await rowCount(), files: filesUnder(join(h.dataDir, 'files')).length });

describe('attachments', () => {
  it('stores a pdf by content and downloads identical bytes with a safe Content-Disposition', async () => {
    const res = await upload(clerk, town.id, '工作方案（2026）.pdf', samplePdf);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ unitId: town.id, name: '工作方案（2026）.pdf', mime: 'application/pdf', size: samplePdf.length });
    const path = attachmentFilePath(h.dataDir, res.body.sha256);
    expect(path).toContain(join('files', res.body.sha256.slice(0, 2), res.body.sha256.slice(2, 4)));
    expect(readFileSync(path).equals(samplePdf)).toBe(true);
    expect(filesUnder(join(h.dataDir, 'tmp'))).toEqual([]);

    const meta = await clerk.get(`/api/attachments/${res.body.id}`);
    expect(meta.status).toBe(200);
    expect(meta.body.sha256).toBe(res.body.sha256);

    const dl = await h.app.inject({ method: 'GET', url: `/api/attachments/${res.body.id}/download`, headers: { cookie: clerk.cookie } });
    expect(dl.statusCode).toBe(200);
    expect(dl.rawPayload.equals(samplePdf)).toBe(true);
    expect(dl.headers['content-type']).toBe('application/pdf');
    expect(dl.headers['x-content-type-options']).toBe('nosniff');
    expect(dl.headers['content-disposition']).toBe(contentDisposition('工作方案（2026）.pdf'));
    expect(dl.headers['content-disposition']).toContain(
      `filename*=UTF-8''${encodeURIComponent('工作方案（2026）.pdf').replace(/[()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`,
    );

    // the upload is in the audit log
    const [entry] = await h.database.db.select().from(auditEntries).where(eq(auditEntries.entityId, res.body.id));
    expect(entry).toMatchObject({ action: 'create', entity: 'attachment', unitId: town.id });
  });

  it('keeps one file for the same content uploaded twice', async () => {
    const content = Buffer.from('同一内容，上传两次。\n');
    const a = await upload(clerk, town.id, 'a.txt', content);
    const b = await upload(clerk, town.id, 'b.txt', content);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(a.body.id).not.toBe(b.body.id);
    expect(a.body.sha256).toBe(b.body.sha256);
    expect(filesUnder(join(h.dataDir, 'files')).filter((f) => f.endsWith(a.body.sha256)).length).toBe(1);
    expect(filesUnder(join(h.dataDir, 'tmp'))).toEqual([]);
  });

  it('accepts UTF-8 text as .txt and refuses binary or non-UTF-8 content under .txt', async () => {
    const ok = await upload(clerk, town.id, '会议记录.txt', Buffer.from('会议记录：学习贯彻。\r\n第二行\n'));
    expect(ok.status).toBe(200);
    expect(ok.body.mime).toBe('text/plain; charset=utf-8');
    const before = await snapshot();
    const gbk = await upload(clerk, town.id, 'gbk.txt', Buffer.from([0xc4, 0xe3, 0xba, 0xc3, 0xff, 0xfe]));
    expect(gbk.status).toBe(400);
    const nul = await upload(clerk, town.id, 'nul.txt', Buffer.from('abc\u0000def'));
    expect(nul.status).toBe(400);
    await expectNothingStored(before);
  });

  it('checks office and OFD containers by content: docx, xlsx, ofd (zip), doc (CFB), png, jpg', async () => {
    const ct = (part: string, type: string) =>
      `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="${part}" ContentType="application/vnd.openxmlformats-officedocument.${type}.main+xml"/></Types>`;
    const docx = zip({
      '[Content_Types].xml': ct('/word/document.xml', 'wordprocessingml.document'),
      'word/document.xml': '<w:document/>',
    });
    const xlsx = zip({ '[Content_Types].xml': ct('/xl/workbook.xml', 'spreadsheetml.sheet'), 'xl/workbook.xml': '<workbook/>' });
    const ofd = zip({ 'OFD.xml': '<ofd:OFD/>', 'Doc_0/Document.xml': '<ofd:Document/>' });
    const cfb = Buffer.alloc(1024);
    Buffer.from('d0cf11e0a1b11ae1', 'hex').copy(cfb);
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
    const jpg = Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex');
    const cases: [string, Buffer, number, string?][] = [
      ['述职报告.docx', docx, 200, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
      ['台账.xlsx', xlsx, 200, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      ['公文.ofd', ofd, 200, 'application/ofd'],
      ['旧文档.doc', cfb, 200, 'application/msword'],
      ['照片.png', png, 200, 'image/png'],
      ['照片.JPG', jpg, 200, 'image/jpeg'],
      ['伪装.docx', xlsx, 400],
      ['伪装.xlsx', ofd, 400],
      ['伪装.png', jpg, 400],
      ['伪装.ofd', docx, 400],
    ];
    for (const [name, content, status, mime] of cases) {
      const res = await upload(clerk, town.id, name, content);
      expect(res.status, `${name}: ${JSON.stringify(res.body)}`).toBe(status);
      if (mime) expect(res.body.mime).toBe(mime);
    }
    expect(filesUnder(join(h.dataDir, 'tmp'))).toEqual([]);
  });

  it('refuses an executable renamed to .pdf (400) and stores nothing', async () => {
    const exe = Buffer.alloc(512);
    exe.write('MZ', 0, 'latin1');
    exe.writeUInt32LE(0x80, 0x3c);
    exe.write('PE\u0000\u0000', 0x80, 'latin1');
    const before = await snapshot();
    const res = await upload(clerk, town.id, '通知.pdf', exe);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'UNSUPPORTED_FILE', message: '文件类型不允许或与扩展名不符' });
    await expectNothingStored(before);
    // and a pdf under a name outside the allow-list
    const other = await upload(clerk, town.id, 'tool.exe', samplePdf);
    expect(other.status).toBe(400);
    // and a pdf named .docx
    const mismatch = await upload(clerk, town.id, 'report.docx', samplePdf);
    expect(mismatch.status).toBe(400);
    await expectNothingStored(before);
  });

  it('refuses a file over the limit with 413 and a message computed from the limit, storing nothing', async () => {
    const before = await snapshot();
    const big = Buffer.concat([samplePdf, Buffer.alloc(21 * 1024 * 1024, 0x20)]);
    const res = await upload(clerk, town.id, 'big.pdf', big);
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: '文件超过20MB限制' });
    await expectNothingStored(before);
  });

  it('keeps only a safe basename of the original name', async () => {
    const res = await upload(clerk, town.id, '../../etc/passwd.txt', Buffer.from('root:x:0:0\n'));
    expect(res.status).toBe(200);
    expect(res.body.name).toBe('passwd.txt');
    expect(sanitizeFileName('..\\..\\windows\\system.ini.txt')).toBe('system.ini.txt');
    expect(sanitizeFileName('a\u0000b\u001fc\u202e.txt')).toBe('abc.txt');
    expect(sanitizeFileName('..')).toBe('未命名文件');
    const long = sanitizeFileName(`${'长'.repeat(300)}.pdf`);
    expect(long.length).toBe(200);
    expect(long.endsWith('.pdf')).toBe(true);
  });

  it('refuses requests without a unit or file (400)', async () => {
    const noUnit = multipartBody({}, { filename: 'a.pdf', content: samplePdf });
    const r1 = await clerk.request('POST', '/api/attachments', noUnit.payload, { 'content-type': noUnit.contentType });
    expect(r1.status).toBe(400);
    expect(r1.body.fields.unitId).toBeTruthy();
    const noFile = multipartBody({ unitId: town.id });
    const r2 = await clerk.request('POST', '/api/attachments', noFile.payload, { 'content-type': noFile.contentType });
    expect(r2.status).toBe(400);
    const json = await clerk.post('/api/attachments', { unitId: town.id });
    expect(json.status).toBe(400);
  });

  it('scope: sibling 404 on metadata and download, 403 on upload to a unit not theirs; a child clerk cannot read the parent’s file', async () => {
    const res = await upload(clerk, town.id, '党委文件.pdf', samplePdf);
    const id = res.body.id;
    for (const outsider of [siblingClerk, villageClerk]) {
      const meta = await outsider.get(`/api/attachments/${id}`);
      expect(meta.status).toBe(404);
      expect(meta.body.code).toBe('NOT_FOUND');
      expect(JSON.stringify(meta.body)).not.toContain('党委文件');
      expect((await outsider.get(`/api/attachments/${id}/download`)).status).toBe(404);
      expect((await outsider.post(`/api/attachments/${id}/links`, { entity: 'task', entityId: 'x' })).status).toBe(404);
    }
    const before = await snapshot();
    const denied = await upload(siblingClerk, town.id, 'x.pdf', samplePdf);
    expect(denied.status).toBe(403);
    const deniedChild = await upload(villageClerk, town.id, 'x.pdf', samplePdf);
    expect(deniedChild.status).toBe(403);
    await expectNothingStored(before);
    // a missing id answers the same 404
    expect((await clerk.get('/api/attachments/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('links attachments to a record idempotently and lists only those in the caller’s read scope', async () => {
    const mine = (await upload(clerk, town.id, '佐证材料.pdf', samplePdf)).body;
    const theirs = (await upload(siblingClerk, sibling.id, '乙镇材料.txt', Buffer.from('乙镇\n'))).body;
    const link1 = await clerk.post(`/api/attachments/${mine.id}/links`, { entity: 'task', entityId: 'T-1' });
    expect(link1.status).toBe(200);
    const link2 = await clerk.post(`/api/attachments/${mine.id}/links`, { entity: 'task', entityId: 'T-1' });
    expect(link2.status).toBe(200);
    expect(link2.body.id).toBe(link1.body.id);
    const audits = await h.database.db.select().from(auditEntries).where(eq(auditEntries.entityId, mine.id));
    expect(audits.filter((a) => a.action === 'link')).toHaveLength(1);
    expect((await siblingClerk.post(`/api/attachments/${theirs.id}/links`, { entity: 'task', entityId: 'T-1' })).status).toBe(200);

    const seenByClerk = await clerk.get('/api/attachment-links?entity=task&entityId=T-1');
    expect(seenByClerk.status).toBe(200);
    expect(seenByClerk.body.map((a: { id: string }) => a.id)).toEqual([mine.id]);
    const seenBySibling = await siblingClerk.get('/api/attachment-links?entity=task&entityId=T-1');
    expect(seenBySibling.body.map((a: { id: string }) => a.id)).toEqual([theirs.id]);
    expect((await villageClerk.get('/api/attachment-links?entity=task&entityId=T-1')).body).toEqual([]);
  });
});
