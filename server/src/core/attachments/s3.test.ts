/**
 * Attachments in an S3-compatible bucket: a real S3 API server on loopback (s3rver, an S3 implementation in
 * Node that keeps objects on disk; MinIO is not in Debian's packages here) and the real AWS SDK client. Upload,
 * download, refusal, the report window's ZIP-style lazy reads of many objects, backup → restore into another
 * prefix.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson, buildRoot, buildUnit, type Client, type Harness, login, startHarness } from '../../../test/harness.js';
import { bytesOf, type LoopbackS3, startLoopbackS3 } from '../../../test/s3.js';
import type { S3Config } from '../../config.js';
import { backup, restore } from '../../db/backup.js';
import { createTestDatabase } from '../../db/testing.js';
import { samplePdf, upload } from './attachments.scope.js';
import { attachmentFilePath } from './service.js';
import { fileKey, fileStoreOf, readLater, S3Store } from './store.js';

const BUCKET = 'dutyledger-test';
let loop: LoopbackS3;
let keys: LoopbackS3['keys'];
let s3: S3Config;
let client: S3Client;
let h: Harness;
let clerk: Client;
let unitId: string;

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  loop = await startLoopbackS3(BUCKET);
  ({ s3, client, keys } = loop);
  h = await startHarness({ s3 });
  const root = await buildRoot(h, 'S3县委');
  unitId = (await buildUnit(h, root.id, 'S3镇', '乡镇')).id;
  clerk = await login(h, (await buildPerson(h, { unitId, roles: ['clerk'] })).username);
});
afterAll(async () => {
  await h?.close();
  await loop?.close();
});

describe('attachments in an S3-compatible bucket', () => {
  it('an upload goes to the bucket under prefix/aa/bb/sha, not to the data directory, and downloads intact', async () => {
    const body = Buffer.concat([samplePdf, randomBytes(64)]);
    const res = await upload(clerk, unitId, '存储测试.pdf', body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.sha256).toBe(sha(body));
    expect(await keys('app/')).toContain(`app/${fileKey(sha(body))}`);
    expect(existsSync(attachmentFilePath(h.dataDir, sha(body)))).toBe(false);
    const down = await h.app.inject({ url: `/api/attachments/${res.body.id}/download`, headers: { cookie: clerk.cookie } });
    expect(down.statusCode).toBe(200);
    expect(down.rawPayload.equals(body)).toBe(true);
  });

  it('a refused upload stores nothing in the bucket; the same content twice is one object', async () => {
    const before = await keys('app/');
    const bad = await upload(clerk, unitId, '伪装.pdf', Buffer.from('MZ\x90\x00 not a pdf', 'latin1'));
    expect(bad.status).toBe(400);
    expect(await keys('app/')).toEqual(before);
    const body = Buffer.concat([samplePdf, randomBytes(16)]);
    expect((await upload(clerk, unitId, '一.pdf', body)).status).toBe(200);
    expect((await upload(clerk, unitId, '二.pdf', body)).status).toBe(200);
    expect((await keys('app/')).length).toBe(before.length + 1);
  });

  it('a missing object answers 404 on download, not 500', async () => {
    const body = Buffer.concat([samplePdf, randomBytes(16)]);
    const res = await upload(clerk, unitId, '将丢失.pdf', body);
    await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: `app/${fileKey(sha(body))}` }));
    const down = await clerk.request('GET', `/api/attachments/${res.body.id}/download`);
    expect(down.status).toBe(404);
  });

  it('lazy reads: 80 queued streams (more than the client has sockets) are read one after another, each intact', async () => {
    const store = new S3Store({ ...s3, prefix: 'lazy/' });
    const bodies = Array.from({ length: 80 }, (_, i) => Buffer.from(`第${i}份附件 ${randomBytes(8).toString('hex')}`));
    await Promise.all(bodies.map((b) => client.send(new PutObjectCommand({ Bucket: BUCKET, Key: `lazy/${fileKey(sha(b))}`, Body: b }))));
    const streams = bodies.map((b) => readLater(store, sha(b)));
    for (const [i, s] of streams.entries()) expect((await bytesOf(s)).equals(bodies[i]!)).toBe(true);
    await expect(bytesOf(readLater(store, 'f'.repeat(64)))).rejects.toThrow(/丢失/);
  });

  it('backup reads the bucket; restore writes another prefix; a 2.5 MB file crosses backup pieces intact', async () => {
    const big = Buffer.concat([samplePdf, randomBytes(2.5 * 1024 * 1024)]);
    expect((await upload(clerk, unitId, '大文件.pdf', big)).status).toBe(200);
    const work = mkdtempSync(join(tmpdir(), 'dl-s3-backup-'));
    const target = await createTestDatabase();
    try {
      const file = join(work, 'b.jsonl.gz');
      const summary = await backup(h.database.db, file, { dataDir: h.dataDir, store: fileStoreOf(h.config), warn: () => {} });
      // every attachment row's content, but the one deleted in the test above
      expect(summary.missingFiles).toHaveLength(1);
      const restored = { ...s3, prefix: 'restored/' };
      const result = await restore(target.db, file, {
        dataDir: join(work, 'data'),
        store: fileStoreOf({ dataDir: work, s3: restored }),
        warn: () => {},
      });
      expect(result.files).toBe(summary.files);
      expect((await keys('restored/')).length).toBe(summary.files);
      const back = await new S3Store(restored).open(sha(big));
      expect(back?.size).toBe(big.length);
      expect((await bytesOf(back!.stream)).equals(big)).toBe(true);
      // restore's scratch files are gone
      expect(existsSync(join(work, 'data', 'tmp')) ? readdirSync(join(work, 'data', 'tmp')) : []).toEqual([]);
    } finally {
      await target.close();
      rmSync(work, { recursive: true, force: true });
    }
  });
});
