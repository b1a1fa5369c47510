/**
 * A real S3 API server on loopback for the tests (s3rver: an S3 implementation in Node that keeps objects on
 * disk; MinIO is not in Debian's packages here), the app's `S3Config` pointing at it and an AWS SDK client to
 * look into the bucket. Used by the attachments' and the ledger exports' S3 tests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import type { S3Config } from '../src/config.js';

/** The whole of a stream (an object's body, a stored file). */
export async function bytesOf(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

export interface LoopbackS3 {
  /** the app's configuration: bucket `bucket`, prefix `app/`, path-style, s3rver's fixed credentials */
  s3: S3Config;
  client: S3Client;
  /** every key under `prefix`, sorted (all pages) */
  keys(prefix: string): Promise<string[]>;
  close(): Promise<void>;
}

export async function startLoopbackS3(bucket: string): Promise<LoopbackS3> {
  const dir = mkdtempSync(join(tmpdir(), 'dl-s3-'));
  const server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory: dir,
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  const { port } = await server.run();
  const s3: S3Config = {
    bucket,
    prefix: 'app/',
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    forcePathStyle: true,
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
  };
  const client = new S3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  return {
    s3,
    client,
    async keys(prefix) {
      const out: string[] = [];
      let token: string | undefined;
      do {
        const res = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
        out.push(...(res.Contents ?? []).map((o) => o.Key!));
        token = res.IsTruncated ? res.NextContinuationToken : undefined;
      } while (token);
      return out.sort();
    },
    async close() {
      client.destroy();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
