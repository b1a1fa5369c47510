/**
 * Ledger export files in an S3-compatible bucket: the same loopback S3 API server as the attachments' test
 * (s3rver) and the real AWS SDK client. A job builds locally, uploads its files under `<prefix>ledger/<job>/`
 * before it is done and leaves nothing on disk; the download streams the object (from any host: another data
 * directory reads the same bytes); expiry deletes the objects; a bucket that refuses or cannot be reached fails
 * the job with nothing half-stored.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteObjectCommand, GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson, buildRoot, buildUnit, type Client, type Harness, login, startHarness } from '../../../test/harness.js';
import { bytesOf, type LoopbackS3, startLoopbackS3 } from '../../../test/s3.js';
import type { S3Config } from '../../config.js';
import { exportStoreOf } from '../../core/attachments/store.js';
import type { Ctx } from '../../core/context.js';
import { localDate } from '../../core/periods.js';
import { cleanupExpiredExports, processQueuedExports } from './jobs.js';
import { ledgerExports } from './schema.js';

const BUCKET = 'dutyledger-ledger-test';
const DAY = 86_400_000;
const mimes = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  zip: 'application/zip',
};
let loop: LoopbackS3;
let keys: LoopbackS3['keys'];
let s3: S3Config;
let client: S3Client;
let h: Harness;
let clerk: Client;
let unitId: string;
const period = { kind: 'custom', from: localDate(new Date(Date.now() - 30 * DAY)), to: localDate(new Date()) };

/** Files (not folders) left anywhere under `dir`. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

async function newJob(formats: string[]): Promise<string> {
  const res = await clerk.post('/api/ledger/exports', { unitId, period, formats });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.id;
}

beforeAll(async () => {
  loop = await startLoopbackS3(BUCKET);
  ({ s3, client, keys } = loop);
  h = await startHarness({ s3 });
  const root = await buildRoot(h, 'S3台账县委');
  unitId = (await buildUnit(h, root.id, 'S3台账镇', '乡镇')).id;
  clerk = await login(h, (await buildPerson(h, { unitId, roles: ['clerk'] })).username);
});
afterAll(async () => {
  await h?.close();
  await loop?.close();
});

describe('ledger export files in an S3-compatible bucket', () => {
  let jobId: string;
  let names: Record<string, string>;
  beforeAll(async () => {
    jobId = await newJob(['docx', 'xlsx', 'zip']);
    expect(await processQueuedExports(h.ctx)).toBe(1);
    const job = await clerk.get(`/api/ledger/exports/${jobId}`);
    expect(job.body.state, JSON.stringify(job.body)).toBe('done');
    names = Object.fromEntries(job.body.files.map((f: { format: string; name: string }) => [f.format, f.name]));
  });

  it('the job is done with its three files in the bucket under prefix/ledger/<job>/, none left on local disk', async () => {
    expect(await keys(`app/ledger/${jobId}/`)).toEqual([names.docx, names.xlsx, names.zip].map((n) => `app/ledger/${jobId}/${n}`).sort());
    expect(filesUnder(join(h.dataDir, 'ledger'))).toEqual([]);
    expect(filesUnder(join(h.dataDir, 'tmp'))).toEqual([]);
  });

  it('the download streams the object: same bytes, Content-Length, headers and file name as on disk', async () => {
    for (const format of ['docx', 'xlsx', 'zip'] as const) {
      const obj = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: `app/ledger/${jobId}/${names[format]}` }));
      const expected = await bytesOf(obj.Body as NodeJS.ReadableStream);
      const res = await h.app.inject({ url: `/api/ledger/exports/${jobId}/files/${format}`, headers: { cookie: clerk.cookie } });
      expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
      expect(res.rawPayload.equals(expected)).toBe(true);
      expect(res.headers['content-length']).toBe(String(expected.length));
      expect(res.headers['cache-control']).toBe('private, no-store');
      expect(res.headers['content-type']).toBe(mimes[format]);
      expect(String(res.headers['content-disposition'])).toContain(encodeURIComponent(names[format]!));
    }
  });

  it('another host (another data directory, the same bucket) reads the same file', async () => {
    const other = mkdtempSync(join(tmpdir(), 'dl-other-host-'));
    try {
      const mine = await exportStoreOf(h.config).open(jobId, names.xlsx!);
      const theirs = await exportStoreOf({ dataDir: other, s3 }).open(jobId, names.xlsx!);
      expect(theirs?.size).toBe(mine?.size);
      expect((await bytesOf(theirs!.stream)).equals(await bytesOf(mine!.stream))).toBe(true);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('a missing object answers 404 with the error shape, not 500', async () => {
    const id = await newJob(['xlsx']);
    await processQueuedExports(h.ctx);
    const [row] = await h.database.db.select().from(ledgerExports).where(eq(ledgerExports.id, id));
    await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: `app/ledger/${id}/${row!.files[0]!.name}` }));
    const res = await clerk.get(`/api/ledger/exports/${id}/files/xlsx`);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'NOT_FOUND', message: '文件不存在，请重新导出' });
  });

  it('expiry deletes the objects of expired jobs (and only theirs) and marks them expired', async () => {
    const id = await newJob(['docx', 'xlsx']);
    await processQueuedExports(h.ctx);
    expect(await keys(`app/ledger/${id}/`)).toHaveLength(2);
    // expire the first job and this one; the other jobs of the bucket are due too, the attachments' prefix is not touched
    await h.database.db
      .update(ledgerExports)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(ledgerExports.id, id));
    const kept = await newJob(['xlsx']);
    await processQueuedExports(h.ctx);
    expect(await cleanupExpiredExports(h.ctx)).toBe(1);
    expect(await keys(`app/ledger/${id}/`)).toEqual([]);
    expect(await keys(`app/ledger/${kept}/`)).toHaveLength(1);
    expect((await clerk.get(`/api/ledger/exports/${id}`)).body).toMatchObject({ state: 'expired', files: [] });
    expect((await clerk.get(`/api/ledger/exports/${id}/files/xlsx`)).status).toBe(409);
    expect(await cleanupExpiredExports(h.ctx, new Date(Date.now() + 8 * DAY))).toBeGreaterThan(0);
    expect(await keys('app/ledger/')).toEqual([]);
  });

  it.each([
    ['a missing bucket', () => ({ ...s3, bucket: 'no-such-bucket' })],
    ['an S3 server that does not answer', () => ({ ...s3, endpoint: 'http://127.0.0.1:1' })],
  ])('an upload failure (%s) fails the job with a Chinese message, stores nothing, leaves no local files', async (_, broken) => {
    const id = await newJob(['docx', 'xlsx', 'zip']);
    const ctx: Ctx = { ...h.ctx, config: { ...h.config, s3: broken() } };
    expect(await processQueuedExports(ctx)).toBe(1);
    const job = await clerk.get(`/api/ledger/exports/${id}`);
    expect(job.body).toMatchObject({ state: 'failed', files: [], error: '台账文件保存失败（文件存储不可用），请稍后重试或联系管理员' });
    expect(job.body.progress).toBeLessThan(100);
    expect(await keys(`app/ledger/${id}/`)).toEqual([]);
    expect(filesUnder(join(h.dataDir, 'tmp'))).toEqual([]);
    expect(filesUnder(join(h.dataDir, 'ledger'))).toEqual([]);
    expect((await clerk.get(`/api/ledger/exports/${id}/files/docx`)).status).toBe(409);
  });

  it('an upload that fails midway (the first file is in the bucket, the next ones are refused) leaves none of them', async () => {
    // A pass-through proxy in front of the S3 server that lets the first ledger PUT through and answers 503 to
    // every later one (the SDK's retries included); GET, DELETE and everything else pass.
    const port = Number(new URL(s3.endpoint!).port);
    const puts: string[] = [];
    const proxy = createServer((req, res) => {
      if (req.method === 'PUT' && req.url?.includes('/ledger/')) {
        puts.push(req.url);
        if (puts.length > 1) {
          req.resume();
          res.writeHead(503, { 'content-type': 'application/xml' });
          res.end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>refused by the test</Message></Error>');
          return;
        }
      }
      const up = request({ host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      req.pipe(up);
    });
    await new Promise<void>((ok) => proxy.listen(0, '127.0.0.1', ok));
    try {
      const endpoint = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
      const id = await newJob(['docx', 'xlsx', 'zip']);
      const ctx: Ctx = { ...h.ctx, config: { ...h.config, s3: { ...s3, endpoint } } };
      expect(await processQueuedExports(ctx)).toBe(1);
      // the first file did reach the bucket, the second was refused
      expect(puts.length).toBeGreaterThan(1);
      expect(new Set(puts.map((u) => u.split('/').pop())).size).toBe(2);
      const job = await clerk.get(`/api/ledger/exports/${id}`);
      expect(job.body).toMatchObject({ state: 'failed', files: [], error: '台账文件保存失败（文件存储不可用），请稍后重试或联系管理员' });
      expect(await keys(`app/ledger/${id}/`)).toEqual([]);
      expect(filesUnder(join(h.dataDir, 'tmp'))).toEqual([]);
    } finally {
      await new Promise((ok) => proxy.close(ok));
    }
  });
});
