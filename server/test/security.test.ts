/**
 * The security suite (issue 7): attacks against the real app through the harness, nothing mocked.
 * Items already asserted by module tests are only referenced here; this file adds what was missing.
 *
 * Uploads
 *   - exe renamed .pdf, pdf named .docx, disguised docx/xlsx/ofd/png ........ core/attachments/attachments.test.ts
 *   - HTML renamed .pdf / .docx, declared Content-Type that lies ........... here
 *   - oversize file → 413, nothing stored ................................... attachments.test.ts
 *   - zip bombs in docx/xlsx (ratio, lying sizes, entry count, total) ....... here (check added in attachments/zip.ts)
 *   - path traversal, absolute paths, backslashes, NUL in the file name ..... here, through HTTP (names are SANITIZED to a
 *     safe basename, not refused; the upload is refused only when what remains is not an allowed, matching type;
 *     sanitizeFileName unit cases in attachments.test.ts). Every refusal: no row, no file, empty tmp.
 * Rich text (the only rich-text field is a publication's body, sanitized by channels/sanitize.ts)
 *   - basic <script>/onerror/javascript: ....................................... channels/publications.test.ts
 *   - the XSS corpus through POST /api/publications and PATCH /api/publications/:id, read back by GET and list ... here
 *   - a publication's published link: http(s) only (javascript:/data: were accepted) ........ here (fixed in contracts)
 * Excel export
 *   - escapeCell unit cases, people export, audit and login log ................ test/export.test.ts
 *   - EVERY GET …/export route of the route table plus the ledger xlsx, on the demo county with formula payloads
 *     (= + - @ tab CR) in every free-text column, and a login log with a hostile user agent and username ... here
 * Sessions
 *   - new session id at every login, HttpOnly SameSite=Strict cookie .......... core/auth/auth.test.ts
 *   - a planted pre-login cookie is not a session, nor adopted at login ........ here
 *   - CSRF: missing or wrong token ............................................. auth.test.ts
 *   - CSRF: foreign / null Origin, cross-site fetch, login CSRF ................ here (Origin check added in core/http.ts)
 *   - idle timeout with a short configured idle period ......................... here (default 30 min: auth.test.ts)
 *   - lockout after N failures (configured N) ................................. here (default 5: auth.test.ts)
 *   - logout invalidates the session server-side ............................... auth.test.ts; here also writes + row gone
 *   - admin reset forces a change at next login ................................ auth.test.ts (unitAdmin); here by sysAdmin
 *   - auditor cannot change data ............................................... here
 *   - nobody but the auditor reads the audit/login log ......................... core/core.scope.ts (sysAdmin, secAdmin,
 *     unitAdmin of a town); here also the county's unit admin and leader, on every audit route
 * Security headers on the API and the served web index (CSP, nosniff, frame-ancestors/XFO, Referrer-Policy) ... here
 *   (CSP of the built app in Chromium: e2e/foundation.spec.ts)
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { count, eq, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import type { InjectOptions } from 'fastify';
import { Parser } from 'htmlparser2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipartBody, samplePdf, upload } from '../src/core/attachments/attachments.scope.js';
import { assertSafeZip, ZipRefused } from '../src/core/attachments/zip.js';
import { attachments, people, sessions, units } from '../src/core/schema.js';
import { rowsOf } from '../src/db/client.js';
import { processQueuedExports } from '../src/modules/ledger/jobs.js';
import { DEMO_PASSWORD, seedDemo } from '../src/seed/demo.js';
import { buildPerson, buildRoot, buildUnit, type Client, cookieFrom, type Harness, login, PASSWORD, startHarness } from './harness.js';

let h: Harness;
let webDist: string;
const u = { R: '', T: '' };
const c = {} as Record<'clerk' | 'rev' | 'adminT' | 'leaderR' | 'adminR' | 'sysAdmin' | 'secAdmin' | 'auditor', Client>;
const ids = {} as Record<'clerk' | 'rev', string>;

beforeAll(async () => {
  webDist = mkdtempSync(join(tmpdir(), 'dl-web-'));
  writeFileSync(
    join(webDist, 'index.html'),
    '<!doctype html><html><head><title>台账</title></head><body><div id="root"></div></body></html>',
  );
  h = await startHarness({ webDist });
  // the demo county first (it refuses a database with units), then a small county of our own
  await seedDemo(h.ctx);
  u.R = (await buildRoot(h, '安全县委')).id;
  u.T = (await buildUnit(h, u.R, '安全镇党委', '乡镇')).id;
  const mk = async (unitId: string, roles: Parameters<typeof buildPerson>[1]['roles']) => buildPerson(h, { unitId, roles });
  const clerk = await mk(u.T, ['clerk']);
  const rev = await mk(u.T, ['leader']);
  ids.clerk = clerk.id;
  ids.rev = rev.id;
  c.clerk = await login(h, clerk.username);
  c.rev = await login(h, rev.username);
  c.adminT = await login(h, (await mk(u.T, ['unitAdmin'])).username);
  c.leaderR = await login(h, (await mk(u.R, ['leader'])).username);
  c.adminR = await login(h, (await mk(u.R, ['unitAdmin'])).username);
  c.sysAdmin = await login(h, (await mk(u.R, ['sysAdmin'])).username);
  c.secAdmin = await login(h, (await mk(u.R, ['secAdmin'])).username);
  c.auditor = await login(h, (await mk(u.R, ['auditor'])).username);
}, 300_000);
afterAll(async () => {
  await h?.close();
  rmSync(webDist, { recursive: true, force: true });
});

// ---------------------------------------------------------------- uploads

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name));
}
async function attachmentRows() {
  const [{ n }] = (await h.database.db.select({ n: count() }).from(attachments)) as [{ n: number }];
  return n;
}
/** Everything under the data dir except the database (PGlite keeps it elsewhere in tests) */
const snapshot = async () => ({ rows: await attachmentRows(), files: filesUnder(h.dataDir).sort() });
async function expectNothingStored(before: Awaited<ReturnType<typeof snapshot>>) {
  expect(await attachmentRows()).toBe(before.rows);
  expect(filesUnder(h.dataDir).sort()).toEqual(before.files);
}

interface ZipEntry {
  name: string;
  data: Buffer;
  /** 0 stored, 8 deflated */
  method?: 0 | 8;
  /** what the headers claim the entry expands to (default: the truth) */
  declaredSize?: number;
}
/** A zip written by hand, so that its headers can lie. */
function zip(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const method = e.method ?? 0;
    const packed = method === 8 ? deflateRawSync(e.data) : e.data;
    const size = e.declaredSize ?? e.data.length;
    const fname = Buffer.from(e.name);
    const crc = crc32(e.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(fname.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(fname.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, fname, packed);
    centrals.push(central, fname);
    offset += 30 + fname.length + packed.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  const n = Math.min(entries.length, 0xffff);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(n, 8);
  end.writeUInt16LE(n, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}
const contentTypes = (part: string, type: string): ZipEntry => ({
  name: '[Content_Types].xml',
  data: Buffer.from(
    `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="${part}" ContentType="application/vnd.openxmlformats-officedocument.${type}.main+xml"/></Types>`,
  ),
});
const docxWith = (...rest: ZipEntry[]) => zip([contentTypes('/word/document.xml', 'wordprocessingml.document'), ...rest]);
const xlsxWith = (...rest: ZipEntry[]) => zip([contentTypes('/xl/workbook.xml', 'spreadsheetml.sheet'), ...rest]);
const zeros = (mb: number) => Buffer.alloc(mb * 1024 * 1024);

describe('uploads', () => {
  it('refuses HTML and script content renamed .pdf or .docx, whatever Content-Type the client declares', async () => {
    const before = await snapshot();
    const html = Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>');
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>');
    for (const [name, content, type] of [
      ['通知.pdf', html, 'application/pdf'],
      ['报告.docx', html, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
      ['图片.png', svg, 'image/png'],
      ['表格.xlsx', Buffer.from('#!/bin/sh\nrm -rf /\n'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      ['页面.html', html, 'text/html'],
      ['图形.svg', svg, 'image/svg+xml'],
    ] as const) {
      const body = multipartBody({ unitId: u.T }, { filename: name, content, type });
      const res = await c.clerk.request('POST', '/api/attachments', body.payload, { 'content-type': body.contentType });
      expect(res.status, `${name}: ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.body.code).toBe('UNSUPPORTED_FILE');
    }
    // the type a client declares is never used: a real pdf declared as text/html is stored and served as a pdf
    const body = multipartBody({ unitId: u.T }, { filename: '真文件.pdf', content: samplePdf, type: 'text/html' });
    const ok = await c.clerk.request('POST', '/api/attachments', body.payload, { 'content-type': body.contentType });
    expect(ok.status).toBe(200);
    expect(ok.body.mime).toBe('application/pdf');
    expect(await attachmentRows()).toBe(before.rows + 1);
  });

  it('accepts a normal deflated docx (the zip-bomb check passes real documents)', async () => {
    const xml = Buffer.from(
      `<w:document><w:body>${'<w:p><w:r><w:t>学习贯彻会议精神</w:t></w:r></w:p>'.repeat(2000)}</w:body></w:document>`,
    );
    const res = await upload(c.clerk, u.T, '述职报告.docx', docxWith({ name: 'word/document.xml', data: xml, method: 8 }));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  });

  it.each([
    [
      'an entry with a huge compression ratio (64 MB of zeros in a docx)',
      () => docxWith({ name: 'word/document.xml', data: zeros(64), method: 8 }),
      '炸弹.docx',
    ],
    [
      'an entry that expands far beyond the size it declares (xlsx)',
      () => xlsxWith({ name: 'xl/worksheets/sheet1.xml', data: zeros(32), method: 8, declaredSize: 1000 }),
      '炸弹.xlsx',
    ],
    [
      'many entries, each a ratio bomb under the 1 MB floor but together 100 MB',
      () => xlsxWith(...Array.from({ length: 100 }, (_, i) => ({ name: `xl/media/z${i}.bin`, data: zeros(1), method: 8 as const }))),
      '多项.xlsx',
    ],
    [
      'more than 10 000 entries',
      () => docxWith(...Array.from({ length: 10_001 }, (_, i) => ({ name: `word/p${i}.xml`, data: Buffer.alloc(0) }))),
      '条目.docx',
    ],
    [
      'a stored entry whose declared size is not its real size',
      () => docxWith({ name: 'word/document.xml', data: Buffer.from('<w:document/>'), declaredSize: 4_000_000_000 }),
      '声明.docx',
    ],
  ])('refuses a zip bomb: %s — 400, nothing stored', async (_name, build, fileName) => {
    const before = await snapshot();
    const res = await upload(c.clerk, u.T, fileName, build());
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body).toMatchObject({ code: 'UNSUPPORTED_FILE' });
    expect(res.body.message).toContain('压缩炸弹');
    await expectNothingStored(before);
  });

  it('the zip check refuses a total over its limit, encryption, and unknown compression methods', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dl-zip-'));
    try {
      const write = (name: string, data: Buffer) => {
        writeFileSync(join(dir, name), data);
        return join(dir, name);
      };
      const three = write('three.zip', zip([1, 2, 3].map((i) => ({ name: `p${i}.txt`, data: randomBytes(1000) }))));
      await expect(assertSafeZip(three)).resolves.toBeUndefined();
      const limits = { maxEntries: 100, maxTotalBytes: 2500, maxRatio: 100, ratioFloorBytes: 1024 * 1024 };
      await expect(assertSafeZip(three, limits)).rejects.toBeInstanceOf(ZipRefused);
      const encrypted = zip([{ name: 'a.txt', data: Buffer.from('x') }]);
      encrypted.writeUInt16LE(1, encrypted.length - 22 - 46 - 5 + 8); // central directory flags: encrypted
      await expect(assertSafeZip(write('enc.zip', encrypted))).rejects.toBeInstanceOf(ZipRefused);
      const bzip = zip([{ name: 'a.txt', data: Buffer.from('x') }]);
      bzip.writeUInt16LE(12, bzip.length - 22 - 46 - 5 + 10);
      await expect(assertSafeZip(write('bzip.zip', bzip))).rejects.toBeInstanceOf(ZipRefused);
      await expect(assertSafeZip(write('junk.zip', randomBytes(5000)))).rejects.toBeInstanceOf(ZipRefused);
      const cut = zip([{ name: 'a.txt', data: randomBytes(100), method: 8 }]);
      cut.writeUInt32LE(0xfffffff0, cut.length - 22 - 46 - 5 + 42); // local header offset outside the file
      await expect(assertSafeZip(write('cut.zip', cut))).rejects.toBeInstanceOf(ZipRefused);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reduces traversal, absolute and NUL-bearing names to a safe basename; nothing lands outside files/', async () => {
    const docx = docxWith({ name: 'word/document.xml', data: Buffer.from('<w:document/>') });
    const cases: [string, Buffer, number, string?][] = [
      ['../../etc/passwd', Buffer.from('root:x:0:0\n'), 400], // no extension left: refused
      ['../../../../tmp/evil.txt', Buffer.from('x\n'), 200, 'evil.txt'],
      ['..\\..\\x.docx', docx, 200, 'x.docx'],
      ['/etc/cron.d/job.txt', Buffer.from('* * * * * root sh\n'), 200, 'job.txt'],
      ['C:\\Windows\\System32\\drivers\\etc\\hosts.txt', Buffer.from('127.0.0.1 x\n'), 200, 'hosts.txt'],
      ['report.txt\u0000.pdf', samplePdf, 200, 'report.txt.pdf'],
      ['\u0000', Buffer.from('x\n'), 400], // nothing left of the name: no extension, refused
      ['....//....//x.txt', Buffer.from('x\n'), 200, 'x.txt'],
      ['%2e%2e%2fenc.txt', Buffer.from('x\n'), 200, '%2e%2e%2fenc.txt'], // kept literally: it is never decoded into a path
    ];
    const outside = join(h.dataDir, '..');
    const outsideBefore = readdirSync(outside).sort();
    for (const [name, content, status, kept] of cases) {
      const before = await snapshot();
      const res = await upload(c.clerk, u.T, name, content);
      expect(res.status, `${JSON.stringify(name)}: ${JSON.stringify(res.body)}`).toBe(status);
      if (status === 200) {
        expect(res.body.name).toBe(kept);
      } else {
        await expectNothingStored(before);
      }
    }
    // stored content lives only under files/aa/bb/<sha256>; tmp is empty; nothing new beside the data dir
    for (const f of filesUnder(join(h.dataDir, 'files')))
      expect(f.slice(h.dataDir.length)).toMatch(/^\/files\/[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{64}$/);
    expect(filesUnder(join(h.dataDir, 'tmp'))).toEqual([]);
    expect(readdirSync(outside).sort()).toEqual(outsideBefore.filter((n) => existsSync(join(outside, n))).sort());
  });
});

// ---------------------------------------------------------------- rich text

const xssCorpus = [
  '<script>alert(1)</script>',
  '<SCRIPT SRC=//evil.example/x.js></SCRIPT>',
  '<ScRiPt>alert(1)</sCrIpT>',
  '<script',
  '<img src=x onerror=alert(1)>',
  '<IMG SRC="javascript:alert(1)">',
  '<img src="jav&#x09;ascript:alert(1)">',
  '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
  '<img """><script>alert(1)</script>">',
  '<a href="javascript:alert(1)">x</a>',
  '<a href="JaVaScRiPt:alert(1)">x</a>',
  '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
  '<a href="&#x6A;avascript&colon;alert(1)">x</a>',
  '<a href=" javascript:alert(1)">x</a>',
  '<a href="java\nscript:alert(1)">x</a>',
  '<a href="vbscript:msgbox(1)">x</a>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
  '<a href="//evil.example">x</a>',
  '<svg onload=alert(1)>',
  '<svg><script>alert(1)</script></svg>',
  '<svg><animate onbegin=alert(1) attributeName=x dur=1s>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '<object data="javascript:alert(1)"></object>',
  '<embed src="data:text/html,<script>alert(1)</script>">',
  '<p style="background:url(javascript:alert(1))">x</p>',
  '<div style="width: expression(alert(1))">x</div>',
  '<style>body{background:url("javascript:alert(1)")}</style>',
  '<link rel=stylesheet href=//evil.example/x.css>',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<base href="//evil.example/">',
  '<form action="javascript:alert(1)"><button>x</button></form>',
  '<input autofocus onfocus=alert(1)>',
  '<details open ontoggle=alert(1)>',
  '<body onload=alert(1)>',
  '<p onclick="alert(1)" ONMOUSEOVER=alert(2)>x</p>',
  '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
  '<video><source onerror="alert(1)"></video>',
  '<img src=x onerror="&#97;&#108;&#101;&#114;&#116;(1)">',
  '<<script>alert(1)//<</script>',
  '<p>未闭合<b onmouseover=alert(1)>加粗',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  '<template><script>alert(1)</script></template>',
  '<x onclick=alert(1)>自定义标签</x>',
  '<a href="http://ok.example" target="_blank">正常链接</a>',
];
const evilTags = new Set([
  'script',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'svg',
  'math',
  'style',
  'link',
  'meta',
  'base',
  'form',
  'input',
  'button',
  'textarea',
  'select',
  'details',
  'body',
  'html',
  'video',
  'audio',
  'source',
  'template',
  'noscript',
]);
/** Parses HTML as a browser would and lists everything executable left in it. */
function executableIn(html: string): string[] {
  const found: string[] = [];
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        if (evilTags.has(name)) found.push(`<${name}>`);
        for (const [attr, value] of Object.entries(attribs)) {
          if (
            /^on/i.test(attr) ||
            attr === 'style' ||
            attr === 'srcdoc' ||
            attr === 'background' ||
            attr === 'action' ||
            attr === 'formaction'
          )
            found.push(`${name}[${attr}]`);
          if (['href', 'src', 'xlink:href', 'data', 'action', 'poster', 'srcset'].includes(attr)) {
            // browsers ignore ASCII whitespace and control characters inside the scheme; a relative URL is harmless
            // biome-ignore lint/suspicious/noControlCharactersInRegex: that is the point
            const v = value.replace(/[\u0000-\u0020]/g, '').toLowerCase();
            const scheme = /^([a-z][a-z0-9+.-]*):/.exec(v)?.[1];
            if ((scheme && !['http', 'https', 'mailto'].includes(scheme)) || /^[/\\]{2}/.test(v)) found.push(`${name}[${attr}=${value}]`);
          }
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  return found;
}

describe('rich text', () => {
  let channelId: string;
  beforeAll(async () => {
    const typeId = (await c.clerk.get('/api/channel-dicts/channelType')).body[0].id;
    const res = await c.adminT.post('/api/channels', {
      unitId: u.T,
      supervisorUnitId: u.R,
      typeId,
      name: '安全测试公众号',
      reviewChain: [[ids.rev]],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    channelId = res.body.id;
  });

  it('the checker itself finds what it should', () => {
    expect(executableIn('<p>ok <a href="https://x.example">a</a></p>')).toEqual([]);
    expect(executableIn('<a href="&#106;avascript:1">x</a><svg onload=1>')).toHaveLength(3);
  });

  it('keeps nothing executable from the corpus, created or patched, read back by detail and list', async () => {
    const reader = (id: string) => [c.clerk.get(`/api/publications/${id}`), c.rev.get(`/api/publications/${id}`)];
    for (const [i, payload] of xssCorpus.entries()) {
      const body = `<p>第${i}段<strong>加粗</strong></p>${payload}<p>结尾</p>`;
      const created = await c.clerk.post('/api/publications', { channelId, title: `净化${i}`, body });
      expect(created.status, `${payload}: ${JSON.stringify(created.body)}`).toBe(200);
      const id = created.body.id as string;
      expect(executableIn(created.body.body), payload).toEqual([]);
      expect(created.body.body).toContain('<strong>加粗</strong>');
      const patched = await c.clerk.patch(`/api/publications/${id}`, { body: `${payload}${payload}` });
      expect(patched.status).toBe(200);
      expect(executableIn(patched.body.body), payload).toEqual([]);
      for (const res of await Promise.all(reader(id))) {
        if (res.status !== 200) continue; // the reviewer sees drafts only once submitted
        expect(executableIn(res.body.body), payload).toEqual([]);
      }
    }
    // submitted: the reviewer reads it too; and the list answers carry no bodies with script
    const one = await c.clerk.post('/api/publications', { channelId, title: '送审', body: xssCorpus.join('') });
    expect((await c.clerk.post(`/api/publications/${one.body.id}/submit`, {})).status).toBe(200);
    const seen = await c.rev.get(`/api/publications/${one.body.id}`);
    expect(seen.status).toBe(200);
    expect(executableIn(seen.body.body)).toEqual([]);
    const list = await c.clerk.get(`/api/publications?box=mine&channelId=${channelId}&pageSize=200`);
    expect(list.status).toBe(200);
    expect(list.body.items.length).toBe(xssCorpus.length + 1);
    for (const item of list.body.items) if (typeof item.body === 'string') expect(executableIn(item.body)).toEqual([]);
    expect(JSON.stringify(list.body)).not.toMatch(/<script|onerror=|javascript:/i);
  });

  it('accepts only an http(s) link when a publication is published (it is shown to every reader as a link)', async () => {
    const checklist = (await c.clerk.get('/api/channel-dicts/reviewCheck')).body.map((x: { id: string }) => ({ itemId: x.id, ok: true }));
    const item = await c.clerk.post('/api/publications', { channelId, title: '发布链接', body: '<p>正文</p>' });
    expect((await c.clerk.post(`/api/publications/${item.body.id}/submit`, {})).status).toBe(200);
    expect((await c.rev.post(`/api/publications/${item.body.id}/approve`, { comment: '同意', checklist })).status).toBe(200);
    for (const url of [
      'javascript:alert(1)',
      ' JavaScript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:x',
      '//evil.example',
      'https://',
    ]) {
      const res = await c.clerk.post(`/api/publications/${item.body.id}/publish`, { url });
      expect(res.status, url).toBe(400);
      expect(res.body.fields.url).toBeTruthy();
    }
    const ok = await c.clerk.post(`/api/publications/${item.body.id}/publish`, { url: 'https://example.gov.cn/xwdt/1.html' });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.publishedUrl).toBe('https://example.gov.cn/xwdt/1.html');
  });
});

// ---------------------------------------------------------------- sessions

const inject = (opts: InjectOptions) => h.app.inject(opts);

describe('sessions', () => {
  it('a cookie planted before login is not a session, and login does not adopt it', async () => {
    const planted = `dl_session=${randomBytes(32).toString('base64url')}`;
    expect((await inject({ url: '/api/auth/me', headers: { cookie: planted } })).statusCode).toBe(401);
    const p = await buildPerson(h, { unitId: u.T, roles: ['clerk'] });
    const res = await inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: p.username, password: PASSWORD },
      headers: { cookie: planted },
    });
    expect(res.statusCode).toBe(200);
    const issued = cookieFrom(res.headers['set-cookie']);
    expect(issued).not.toBe(planted);
    expect((await inject({ url: '/api/auth/me', headers: { cookie: planted } })).statusCode).toBe(401);
    expect((await inject({ url: '/api/auth/me', headers: { cookie: issued } })).statusCode).toBe(200);
  });

  it('refuses a state-changing request from another origin even with the right token (CSRF), and login CSRF', async () => {
    const p = await buildPerson(h, { unitId: u.T, roles: ['unitAdmin'] });
    const a = await login(h, p.username);
    const units0 = (await h.database.db.select({ n: count() }).from(units))[0]!.n;
    const write = (headers: Record<string, string>) =>
      a.request('POST', '/api/units', { parentId: u.T, name: `跨站${Math.random()}`, type: '村' }, headers);
    for (const headers of [
      { origin: 'https://evil.example' },
      { origin: 'http://localhost.evil.example' },
      { origin: 'null' },
      { origin: 'file://' },
      { 'sec-fetch-site': 'cross-site' },
      { 'x-csrf-token': '' },
    ] as Record<string, string>[]) {
      const res = await write(headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(res.body.code).toBe('CSRF');
    }
    expect((await h.database.db.select({ n: count() }).from(units))[0]!.n).toBe(units0);
    // a foreign page cannot log the victim into the attacker's account either
    const csrfLogin = await inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: p.username, password: PASSWORD },
      headers: { origin: 'https://evil.example' },
    });
    expect(csrfLogin.statusCode).toBe(403);
    expect(csrfLogin.headers['set-cookie']).toBeUndefined();
    // our own pages (same origin, same-origin fetch) and clients without Origin still work
    expect((await write({ origin: 'http://localhost' })).status).toBe(200);
    // behind a proxy that rewrote Host, the forwarded host is our own
    expect(
      (await write({ origin: 'https://ledger.example.gov.cn', host: '127.0.0.1:8080', 'x-forwarded-host': 'ledger.example.gov.cn' }))
        .status,
    ).toBe(200);
    expect(
      (await write({ origin: 'https://evil.example', host: '127.0.0.1:8080', 'x-forwarded-host': 'ledger.example.gov.cn' })).status,
    ).toBe(403);
    expect((await write({ 'sec-fetch-site': 'same-origin' })).status).toBe(200);
    expect((await write({})).status).toBe(200);
    // reads stay reachable from anywhere the cookie goes (SameSite=Strict keeps it home anyway)
    expect((await a.request('GET', '/api/auth/me', undefined, { origin: 'https://evil.example' })).status).toBe(200);
  });

  it('logout ends the session on the server: the old cookie is refused for reads and writes', async () => {
    const p = await buildPerson(h, { unitId: u.T, roles: ['clerk'] });
    const a = await login(h, p.username);
    expect((await a.post('/api/auth/logout')).status).toBe(200);
    expect(await h.database.db.select().from(sessions).where(eq(sessions.personId, p.id))).toHaveLength(0);
    expect((await a.get('/api/auth/me')).status).toBe(401);
    expect((await a.post('/api/publications', { channelId: randomBytes(16).toString('hex'), title: 'x' })).status).toBe(401);
    expect((await a.post('/api/auth/switch-post', { postId: p.id })).status).toBe(401);
  });

  it('a reset by the system administrator forces a change at the next login', async () => {
    const p = await buildPerson(h, { unitId: u.T, roles: ['clerk'] });
    const before = await login(h, p.username);
    // accounts are the system administrator's (and unit admins'); the security administrator only unlocks
    expect((await c.secAdmin.post(`/api/people/${p.id}/reset-password`)).status).toBe(403);
    const reset = await c.sysAdmin.post(`/api/people/${p.id}/reset-password`);
    expect(reset.status, JSON.stringify(reset.body)).toBe(200);
    expect((await before.get('/api/auth/me')).status).toBe(401);
    await expect(login(h, p.username)).rejects.toThrow(/401/);
    const again = await login(h, p.username, reset.body.temporaryPassword);
    expect((await again.get('/api/auth/me')).body.mustChangePassword).toBe(true);
    for (const url of ['/api/units', '/api/tasks', '/api/publications']) {
      const res = await again.get(url);
      expect(res.status, url).toBe(403);
      expect(res.body.code).toBe('PASSWORD_CHANGE_REQUIRED');
    }
    const write = await again.post('/api/units', { parentId: u.T, name: 'x', type: '村' });
    expect(write.body.code).toBe('PASSWORD_CHANGE_REQUIRED');
  });

  it('the auditor cannot change any data', async () => {
    const [person] = await h.database.db.select().from(people).where(eq(people.id, ids.clerk));
    // an action in a unit answers 403; a write to a record the auditor may not even read answers 404 (conventions)
    const writes: [string, string, unknown, (403 | 404)[]?][] = [
      ['POST', '/api/units', { parentId: u.R, name: '审计员建的单位', type: '其他' }],
      ['PATCH', `/api/units/${u.T}`, { name: '改名' }, [403, 404]],
      [
        'POST',
        '/api/people',
        { username: 'by.auditor', displayName: '审计员建的人', post: { unitId: u.R, title: 'x', roles: ['sysAdmin'] } },
      ],
      ['POST', `/api/people/${ids.clerk}/reset-password`, {}, [403, 404]],
      ['POST', `/api/people/${ids.clerk}/posts`, { unitId: u.R, title: '审计', roles: ['auditor'] }, [403, 404]],
      ['POST', '/api/meeting-kinds', { name: '审计员的会议类型' }],
      [
        'POST',
        '/api/channels',
        {
          unitId: u.T,
          supervisorUnitId: u.R,
          typeId: (await c.clerk.get('/api/channel-dicts/channelType')).body[0].id,
          name: '审计员的阵地',
          reviewChain: [[ids.rev]],
        },
      ],
    ];
    for (const [method, url, body, allowed = [403]] of writes) {
      const res = await c.auditor.request(method, url, body);
      expect(allowed, `${method} ${url}: ${res.status} ${JSON.stringify(res.body)}`).toContain(res.status);
    }
    // and the auditor's own permissions hold nothing but reading
    const perms = (await c.auditor.get('/api/auth/me')).body.permissions as string[];
    expect(perms.length).toBeGreaterThan(0);
    expect(perms.filter((p) => !/\.(read|view)$|^audit\./.test(p))).toEqual([]);
    // the upload route too, and nothing changed
    const before = await snapshot();
    expect((await upload(c.auditor, u.R, 'a.pdf', samplePdf)).status).toBe(403);
    await expectNothingStored(before);
    const [after] = await h.database.db.select().from(people).where(eq(people.id, ids.clerk));
    expect(after!.passwordHash).toBe(person!.passwordHash);
    expect((await h.database.db.select().from(units).where(eq(units.id, u.T)))[0]!.name).toBe('安全镇党委');
  });

  it('nobody but the auditor reads the audit and login logs (三员分立)', async () => {
    const routes = ['/api/audit', '/api/audit/verify', '/api/audit/export', '/api/login-log', '/api/login-log/export'];
    const demo = async (username: string) => login(h, username, DEMO_PASSWORD);
    const others: [string, Client][] = [
      ['sysAdmin', c.sysAdmin],
      ['secAdmin', c.secAdmin],
      ['unitAdmin of the county', c.adminR],
      ['leader of the county', c.leaderR],
      ['demo admin', await demo('admin')],
      ['demo secadmin', await demo('secadmin')],
      ['demo county secretary', await demo('han.wenlan01')],
      ['demo county unit admin', await demo('han.yuanfang01')],
      ['demo inspector', await demo('xie.haijun01')],
    ];
    for (const url of routes) {
      expect((await c.auditor.get(url)).status, url).toBe(200);
      for (const [who, client] of others) expect((await client.get(url)).status, `${who} ${url}`).toBe(403);
    }
  });
});

describe('sessions with a short configured idle period and lockout threshold', () => {
  let h2: Harness;
  let unitId: string;
  beforeAll(async () => {
    h2 = await startHarness({ sessionIdleMinutes: 2, lockoutThreshold: 3, lockoutMinutes: 10 });
    unitId = (await buildRoot(h2, '短会话县委')).id;
  }, 120_000);
  afterAll(() => h2?.close());
  const age = (personId: string, seconds: number) =>
    h2.database.db
      .update(sessions)
      .set({ lastSeenAt: new Date(Date.now() - seconds * 1000) })
      .where(eq(sessions.personId, personId));

  it('expires a session idle longer than the configured 2 minutes, not before', async () => {
    const p = await buildPerson(h2, { unitId, roles: ['clerk'] });
    const a = await login(h2, p.username);
    await age(p.id, 100);
    expect((await a.get('/api/auth/me')).status).toBe(200);
    await age(p.id, 125);
    const res = await a.get('/api/auth/me');
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('SESSION_EXPIRED');
    expect(await h2.database.db.select().from(sessions).where(eq(sessions.personId, p.id))).toHaveLength(0);
    // the expired cookie stays dead
    expect((await a.get('/api/auth/me')).status).toBe(401);
  });

  it('locks after the configured 3 failures; the right password is refused while locked', async () => {
    const p = await buildPerson(h2, { unitId, roles: ['clerk'] });
    const attempt = (password: string, i: number) =>
      h2.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: p.username, password }, remoteAddress: `10.7.0.${i}` });
    expect((await attempt('Wrong#pass2026', 1)).statusCode).toBe(401);
    expect((await attempt('Wrong#pass2026', 2)).statusCode).toBe(401);
    const third = await attempt('Wrong#pass2026', 3);
    expect(third.statusCode).toBe(403);
    expect(third.json()).toMatchObject({ code: 'ACCOUNT_LOCKED' });
    expect(third.json().message).toContain('10分钟');
    const right = await attempt(PASSWORD, 4);
    expect(right.statusCode).toBe(403);
    expect(right.headers['set-cookie']).toBeUndefined();
    const [row] = await h2.database.db.select().from(people).where(eq(people.id, p.id));
    expect(row!.lockedUntil!.getTime()).toBeGreaterThan(Date.now() + 9 * 60_000);
  });
});

// ---------------------------------------------------------------- headers

describe('security headers', () => {
  const expectHeaders = (headers: Record<string, unknown>, where: string) => {
    const csp = String(headers['content-security-policy']);
    expect(csp, where).toContain("default-src 'self'");
    expect(csp, where).toMatch(/script-src 'self'(;|$)/); // no unsafe-inline / unsafe-eval for scripts
    expect(csp, where).toContain("object-src 'none'");
    expect(csp, where).toContain("frame-ancestors 'none'");
    expect(csp, where).toContain("base-uri 'self'");
    expect(headers['x-content-type-options'], where).toBe('nosniff');
    expect(String(headers['x-frame-options']), where).toMatch(/^(DENY|SAMEORIGIN)$/);
    expect(headers['referrer-policy'], where).toBe('no-referrer');
    expect(headers['x-powered-by'], where).toBeUndefined();
  };

  it('on API answers: public, authenticated, errors and downloads', async () => {
    expectHeaders((await inject({ url: '/api/health' })).headers, 'health');
    expectHeaders((await c.clerk.get('/api/auth/me')).headers, 'me');
    expectHeaders((await inject({ url: '/api/auth/me' })).headers, '401');
    expectHeaders((await c.clerk.get('/api/no-such-route')).headers, '404');
    const att = await upload(c.clerk, u.T, '头.pdf', Buffer.concat([samplePdf, randomBytes(4)]));
    const dl = await inject({ url: `/api/attachments/${att.body.id}/download`, headers: { cookie: c.clerk.cookie } });
    expect(dl.statusCode).toBe(200);
    expectHeaders(dl.headers, 'download');
    expect(String(dl.headers['content-disposition'])).toMatch(/^attachment;/);
  });

  it('on the served web index and the SPA fallback', async () => {
    for (const url of ['/', '/index.html', '/tasks', '/some/deep/link']) {
      const res = await inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type'], url).toContain('text/html');
      expectHeaders(res.headers, url);
    }
  });
});

// ---------------------------------------------------------------- Excel export

/** Payloads with every character a spreadsheet reads as the start of a formula. */
const formulas = [
  '=HYPERLINK("http://x.example","y")',
  '+HYPERLINK("http://x.example")+',
  "-2+3+cmd|' /C calc'!A0",
  '@SUM(1+1)*',
  '\t=1+1',
  '\r=1+1',
];
/** Free-text columns (names, titles, notes …) of every table; enum-like columns are left alone. */
const freeText = [
  'name',
  'title',
  'display_name',
  'body',
  'description',
  'summary',
  'note',
  'topic',
  'reason',
  'measure',
  'comment',
  'venue',
  'situation',
  'self_note',
  'scenario',
  'risks',
  'response',
  'outlet',
  'minutes',
  'content',
  'conclusion',
  'inspecting_body',
  'address',
  'source_label',
  'cause_label',
  'label',
  'progress',
  'decision_comment',
  'return_reason',
  'text',
  'required_evidence',
  'self_evidence',
  'phone',
];
const untouched = new Set(['audit_entries', 'login_log', 'sessions', 'ledger_exports']);

async function poisonFreeText(): Promise<number> {
  const cols = await rowsOf<{ table_name: string; column_name: string }>(
    h.database.db,
    sql`SELECT table_name, column_name FROM information_schema.columns
        WHERE table_schema = 'public' AND data_type IN ('text', 'character varying') ORDER BY table_name, column_name`,
  );
  let n = 0;
  for (const col of cols.filter((x) => freeText.includes(x.column_name) && !untouched.has(x.table_name))) {
    const t = sql.identifier(col.table_name);
    const f = sql.identifier(col.column_name);
    const payload = formulas[n % formulas.length]!;
    try {
      await h.database.db.execute(sql`UPDATE ${t} SET ${f} = ${payload} || ${f} WHERE ${f} IS NOT NULL AND ${f} <> ''`);
      n++;
    } catch {
      // a length or check constraint: leave that column as it is
    }
  }
  return n;
}

const dangerous = /^[=+\-@\t\r]/;
/** Every cell of every sheet: none is a formula, none is text starting a formula; counts the escaped ones. */
function inspectWorkbook(wb: ExcelJS.Workbook, where: string): { cells: number; escaped: number } {
  let cells = 0;
  let escaped = 0;
  for (const sheet of wb.worksheets) {
    sheet.eachRow((row) => {
      row.eachCell((cell) => {
        cells++;
        expect(cell.type, `${where} ${sheet.name}!${cell.address}`).not.toBe(ExcelJS.ValueType.Formula);
        const v = cell.value;
        const texts =
          typeof v === 'string'
            ? [v]
            : v && typeof v === 'object' && 'richText' in v
              ? [v.richText.map((r) => r.text).join('')]
              : v && typeof v === 'object' && 'text' in v
                ? [String(v.text)]
                : [];
        for (const s of texts) {
          expect(s, `${where} ${sheet.name}!${cell.address}`).not.toMatch(dangerous);
          if (/^'[=+\-@\t\r\n]/.test(s)) escaped++;
        }
      });
    });
  }
  return { cells, escaped };
}

describe('Excel export', () => {
  const results: Record<string, { cells: number; escaped: number }> = {};
  let root: string;
  let exporters: Client[];

  beforeAll(async () => {
    const [r] = await h.database.db.select().from(units).where(eq(units.name, '中共示范县委员会'));
    root = r!.id;
    // a hostile user agent and username end up in the login log
    await inject({ method: 'POST', url: '/api/auth/login', payload: { username: '=cmd|calc', password: 'x' }, remoteAddress: '10.66.0.1' });
    await inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'han.wenlan01', password: DEMO_PASSWORD },
      headers: { 'user-agent': '=HYPERLINK("http://x.example","ua")' },
      remoteAddress: '10.66.0.2',
    });
    expect(await poisonFreeText()).toBeGreaterThan(20);
    exporters = await Promise.all(
      ['han.wenlan01', 'han.yuanfang01', 'zhang.zhihua01', 'xie.haijun01', 'ma.fangzhen01', 'admin'].map((n) => login(h, n, DEMO_PASSWORD)),
    );
    // a write by a person whose name is now a formula: the audit log lists that name
    const writer = await login(h, 'ma.fangzhen01', DEMO_PASSWORD);
    expect((await writer.post('/api/auth/switch-post', { postId: (await writer.get('/api/auth/me')).body.posts[0].id })).status).toBe(200);
    await writer.post('/api/tasks', { unitId: root, title: '=HYPERLINK("http://x.example","task")', deadline: '2030-01-01' });
  }, 120_000);

  async function download(url: string, clients: Client[]): Promise<ExcelJS.Workbook> {
    let last = '';
    for (const client of clients) {
      const res = await inject({ url, headers: { cookie: client.cookie } });
      if (res.statusCode === 403 || res.statusCode === 404) {
        last = `${res.statusCode} ${res.body}`;
        continue;
      }
      expect(res.statusCode, `${url}: ${res.body.slice(0, 300)}`).toBe(200);
      // names built from data (an assessment's name) cannot break out of the header's quoted string
      expect(String(res.headers['content-disposition']), url).toMatch(
        /^attachment; filename="[\x20-\x7e]*"; filename\*=UTF-8''[A-Za-z0-9%!._~-]+$/,
      );
      expect(String(res.headers['content-disposition']).split('"').length, url).toBe(3);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      return wb;
    }
    throw new Error(`nobody may export ${url}: ${last}`);
  }

  it('escapes formulas in every …/export route of the route table', async () => {
    const year = new Date().getFullYear();
    const cycles = await exporters[0]!.get('/api/assessment/cycles?pageSize=200');
    const cycleIds = (cycles.body.items ?? []).map((x: { id: string }) => x.id) as string[];
    expect(cycleIds.length).toBeGreaterThan(0);
    const urlsFor: Record<string, string[]> = {
      '/api/assessment/cycles/:id/export': cycleIds.map((id) => `/api/assessment/cycles/${id}/export`),
      '/api/responsibility/units/:id/duty-lists/export': ['principal', 'dual', 'department'].map(
        (k) => `/api/responsibility/units/${root}/duty-lists/export?kind=${k}`,
      ),
      '/api/duty-letters/board/export': [`/api/duty-letters/board/export?rootUnitId=${root}&year=${year}`],
      '/api/compliance/matrix/export': [`/api/compliance/matrix/export?rootUnitId=${root}&year=${year}`],
    };
    const exportRoutes = h.routeTable.filter((r) => r.method === 'GET' && r.url.endsWith('/export')).map((r) => r.url);
    expect(exportRoutes.length).toBeGreaterThanOrEqual(17);
    for (const route of exportRoutes) {
      const isLog = route.startsWith('/api/audit') || route.startsWith('/api/login-log');
      for (const url of urlsFor[route] ?? [route]) {
        const wb = await download(url, isLog ? [c.auditor] : exporters);
        const r = inspectWorkbook(wb, url);
        const prev = results[route] ?? { cells: 0, escaped: 0 };
        results[route] = { cells: prev.cells + r.cells, escaped: prev.escaped + r.escaped };
      }
    }
    // every export listed at least one poisoned text, escaped: the check above really saw payloads
    const blind = Object.entries(results)
      .filter(([, r]) => r.escaped === 0)
      .map(([route]) => route);
    expect(blind).toEqual([]);
  }, 300_000);

  it('escapes formulas in the ledger workbook (background export)', async () => {
    const secretary = exporters[0]!;
    const job = await secretary.post('/api/ledger/exports', {
      unitId: root,
      period: { kind: 'year', year: new Date().getFullYear() },
      formats: ['xlsx'],
      includeSubtree: true,
    });
    expect(job.status, JSON.stringify(job.body)).toBe(200);
    await processQueuedExports(h.ctx);
    const state = (await secretary.get(`/api/ledger/exports/${job.body.id}`)).body;
    expect(state.state, JSON.stringify(state)).toBe('done');
    const wb = await download(`/api/ledger/exports/${job.body.id}/files/xlsx`, [secretary]);
    const r = inspectWorkbook(wb, 'ledger');
    expect(r.escaped).toBeGreaterThan(0);
  }, 300_000);
});
