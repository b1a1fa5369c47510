/**
 * Where attachment content lives, by its SHA-256: on disk under `<dataDir>/files/aa/bb/<sha>` (the default), or
 * in an S3-compatible bucket (MinIO, Ceph, a cloud's object storage) under `<prefix>aa/bb/<sha>` when
 * `DUTYLEDGER_S3_BUCKET` is set — what several app processes on several hosts need to share. Content is
 * immutable and addressed by its hash, so a put of content already there is skipped and nothing is ever
 * overwritten or deleted. Uploads, downloads, the ledger's and report windows' ZIPs, backup and restore all go
 * through this one interface. The ledger's finished export files go through `ExportStore` (below): the same two
 * places, under their own `ledger/` prefix, and removed when they expire.
 */
import { createReadStream, existsSync, mkdirSync } from 'node:fs';
import { rename, rm, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Config, S3Config } from '../../config.js';

export interface StoredFile {
  stream: Readable;
  size: number;
}

export interface FileStore {
  /** for messages: where the files are */
  readonly where: string;
  has(sha256: string): Promise<boolean>;
  /** Keeps the complete local file `path` (whose content hashes to `sha256`) and removes the local file. */
  putFile(sha256: string, path: string): Promise<void>;
  /** The content, or null when it is missing. */
  open(sha256: string): Promise<StoredFile | null>;
}

/** aa/bb/<sha>: at most 256 × 256 folders (or key prefixes), a few hundred files in each for a province. */
export const fileKey = (sha256: string) => `${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;

const isSha = (s: string) => /^[0-9a-f]{64}$/.test(s);

export class DiskStore implements FileStore {
  readonly where: string;
  constructor(private readonly root: string) {
    this.where = root;
  }

  /** The file of this hash (backup tests and the attachments tests look at it). */
  pathOf(sha256: string): string {
    return join(this.root, ...fileKey(sha256).split('/'));
  }

  async has(sha256: string) {
    return isSha(sha256) && existsSync(this.pathOf(sha256));
  }

  async putFile(sha256: string, path: string) {
    const target = this.pathOf(sha256);
    if (existsSync(target)) {
      await unlink(path).catch(() => {});
      return;
    }
    mkdirSync(dirname(target), { recursive: true });
    await rename(path, target);
  }

  async open(sha256: string): Promise<StoredFile | null> {
    if (!isSha(sha256)) return null;
    const path = this.pathOf(sha256);
    const st = await stat(path).catch(() => null);
    if (!st?.isFile()) return null;
    return { stream: createReadStream(path), size: st.size };
  }
}

const notFound = (err: unknown) => {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NotFound' || e?.name === 'NoSuchKey' || e?.$metadata?.httpStatusCode === 404;
};

type S3Handle = { s3: S3Client; sdk: typeof import('@aws-sdk/client-s3') };

/** The SDK is loaded on first use only: a server on disk never loads it. */
function connectS3(cfg: S3Config): Promise<S3Handle> {
  return import('@aws-sdk/client-s3').then((sdk) => ({
    sdk,
    s3: new sdk.S3Client({
      region: cfg.region,
      endpoint: cfg.endpoint,
      // MinIO and most self-hosted stores serve buckets as paths, not as host names
      forcePathStyle: cfg.forcePathStyle,
      // the SDK's default since 2025 sends streamed bodies aws-chunked with a CRC trailer, which many
      // S3-compatible stores (older MinIO, Ceph RGW, s3rver) keep as part of the object: checksums only where
      // the operation requires one (our own SHA-256 names and checks the content anyway)
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      credentials:
        cfg.accessKeyId && cfg.secretAccessKey ? { accessKeyId: cfg.accessKeyId, secretAccessKey: cfg.secretAccessKey } : undefined,
    }),
  }));
}

export class S3Store implements FileStore {
  readonly where: string;
  private client: Promise<S3Handle> | undefined;

  constructor(private readonly cfg: S3Config) {
    this.where = `s3://${cfg.bucket}/${cfg.prefix}`;
  }

  private connect() {
    this.client ??= connectS3(this.cfg);
    return this.client;
  }

  private key(sha256: string) {
    return `${this.cfg.prefix}${fileKey(sha256)}`;
  }

  async has(sha256: string) {
    if (!isSha(sha256)) return false;
    const { s3, sdk } = await this.connect();
    try {
      await s3.send(new sdk.HeadObjectCommand({ Bucket: this.cfg.bucket, Key: this.key(sha256) }));
      return true;
    } catch (err) {
      if (notFound(err)) return false;
      throw err;
    }
  }

  async putFile(sha256: string, path: string) {
    try {
      if (!(await this.has(sha256))) {
        const { s3, sdk } = await this.connect();
        const { size } = await stat(path);
        await s3.send(
          new sdk.PutObjectCommand({
            Bucket: this.cfg.bucket,
            Key: this.key(sha256),
            Body: createReadStream(path),
            ContentLength: size,
          }),
        );
      }
    } finally {
      await unlink(path).catch(() => {});
    }
  }

  async open(sha256: string): Promise<StoredFile | null> {
    if (!isSha(sha256)) return null;
    const { s3, sdk } = await this.connect();
    try {
      const res = await s3.send(new sdk.GetObjectCommand({ Bucket: this.cfg.bucket, Key: this.key(sha256) }));
      return { stream: res.Body as Readable, size: Number(res.ContentLength ?? 0) };
    } catch (err) {
      if (notFound(err)) return null;
      throw err;
    }
  }
}

/**
 * A stream of stored content that is opened when it is first read, not when it is made: an archive that
 * queues thousands of attachments (the ledger's ZIP, a report window's) holds one open file or one S3 response
 * at a time, not all of them (too many open files; an S3 client waiting for a free socket while the archive
 * waits for it). Fails with an error when the content is missing by then.
 */
export function readLater(store: FileStore, sha256: string): Readable {
  let src: Readable | undefined;
  let opening = false;
  const out: Readable = new Readable({
    read() {
      if (src) {
        src.resume();
        return;
      }
      if (opening) return;
      opening = true;
      store.open(sha256).then(
        (file) => {
          if (!file) return out.destroy(new Error(`附件文件已丢失：${sha256}`));
          src = file.stream;
          src.on('data', (chunk: Buffer) => {
            if (!out.push(chunk)) src!.pause();
          });
          src.on('end', () => out.push(null));
          src.on('error', (err) => out.destroy(err));
        },
        (err) => out.destroy(err),
      );
    },
    destroy(err, cb) {
      src?.destroy();
      cb(err);
    },
  });
  return out;
}

const stores = new Map<string, FileStore>();

/** The store the configuration names (one instance per place, so that one S3 client is reused). */
export function fileStoreOf(config: Pick<Config, 'dataDir' | 's3'>): FileStore {
  const s3 = config.s3;
  const id = s3 ? `s3|${s3.endpoint ?? ''}|${s3.bucket}|${s3.prefix}|${s3.accessKeyId ?? ''}` : `disk|${config.dataDir}`;
  let store = stores.get(id);
  if (!store) {
    store = s3 ? new S3Store(s3) : new DiskStore(join(config.dataDir, 'files'));
    stores.set(id, store);
  }
  return store;
}

// ---- generated export files (the ledger's Word / Excel / ZIP)

/**
 * Where finished export files live, by job and file name: on disk under `<dataDir>/ledger/<job>/<name>` (the
 * default), or in the bucket under `<prefix>ledger/<job>/<name>` when `DUTYLEDGER_S3_BUCKET` is set, so that a
 * file built on one host downloads from any host. Unlike attachments these are temporary: the expiry cleanup
 * removes them (the only deletes this app sends to the bucket, all under `<prefix>ledger/`).
 */
export interface ExportStore {
  /** for messages: where the files are */
  readonly where: string;
  /** The local directory a job builds its files in (created by the builder). */
  workDir(job: string): string;
  /** true when the work directory is where the files stay (disk); false when it is scratch, removed after `put`. */
  readonly keepsWorkDir: boolean;
  /** Keeps the complete local file `path` (built in `workDir(job)`) as the job's file `name`. */
  put(job: string, name: string, path: string): Promise<void>;
  /** The file, or null when it is missing. */
  open(job: string, name: string): Promise<StoredFile | null>;
  /** Removes the job's files `names` and its local work directory; missing ones are no error. */
  remove(job: string, names: readonly string[]): Promise<void>;
}

/** A job id or a file name as one path segment (no folder, no `..`). */
const safeSegment = (s: string) => s !== '' && s !== '.' && s !== '..' && !/[/\\\0]/.test(s);

export class DiskExportStore implements ExportStore {
  readonly where: string;
  readonly keepsWorkDir = true;
  constructor(private readonly root: string) {
    this.where = root;
  }

  workDir(job: string) {
    return join(this.root, job);
  }

  async put(job: string, name: string, path: string) {
    const target = join(this.workDir(job), name);
    if (target === path) return; // built in place
    mkdirSync(dirname(target), { recursive: true });
    await rename(path, target);
  }

  async open(job: string, name: string): Promise<StoredFile | null> {
    if (!safeSegment(job) || !safeSegment(name)) return null;
    const path = join(this.workDir(job), name);
    const st = await stat(path).catch(() => null);
    if (!st?.isFile()) return null;
    return { stream: createReadStream(path), size: st.size };
  }

  async remove(job: string) {
    if (!safeSegment(job)) return;
    await rm(this.workDir(job), { recursive: true, force: true });
  }
}

export class S3ExportStore implements ExportStore {
  readonly where: string;
  readonly keepsWorkDir = false;
  private client: Promise<S3Handle> | undefined;

  /** `tmpRoot`: the local directory jobs build in before their files are uploaded (`<dataDir>/tmp/ledger`). */
  constructor(
    private readonly cfg: S3Config,
    private readonly tmpRoot: string,
  ) {
    this.where = `s3://${cfg.bucket}/${cfg.prefix}ledger/`;
  }

  private connect() {
    this.client ??= connectS3(this.cfg);
    return this.client;
  }

  /** `<prefix>ledger/<job>/<name>`: apart from the attachments' `aa/bb/<sha>`, the one prefix deletes touch. */
  key(job: string, name: string) {
    return `${this.cfg.prefix}ledger/${job}/${name}`;
  }

  workDir(job: string) {
    return join(this.tmpRoot, job);
  }

  /** Uploads the file and removes the local copy (also when the upload fails). */
  async put(job: string, name: string, path: string) {
    try {
      const { s3, sdk } = await this.connect();
      const { size } = await stat(path);
      await s3.send(
        new sdk.PutObjectCommand({ Bucket: this.cfg.bucket, Key: this.key(job, name), Body: createReadStream(path), ContentLength: size }),
      );
    } finally {
      await unlink(path).catch(() => {});
    }
  }

  async open(job: string, name: string): Promise<StoredFile | null> {
    if (!safeSegment(job) || !safeSegment(name)) return null;
    const { s3, sdk } = await this.connect();
    try {
      const res = await s3.send(new sdk.GetObjectCommand({ Bucket: this.cfg.bucket, Key: this.key(job, name) }));
      return { stream: res.Body as Readable, size: Number(res.ContentLength ?? 0) };
    } catch (err) {
      if (notFound(err)) return null;
      throw err;
    }
  }

  /** One DeleteObject per file (no listing: the bucket policy needs DeleteObject on `<prefix>ledger/*` only). */
  async remove(job: string, names: readonly string[]) {
    if (!safeSegment(job)) return;
    const { s3, sdk } = await this.connect();
    for (const name of names.filter(safeSegment)) {
      try {
        await s3.send(new sdk.DeleteObjectCommand({ Bucket: this.cfg.bucket, Key: this.key(job, name) }));
      } catch (err) {
        if (!notFound(err)) throw err;
      }
    }
    await rm(this.workDir(job), { recursive: true, force: true });
  }
}

const exportStores = new Map<string, ExportStore>();

/** The export store the configuration names (one instance per place, like `fileStoreOf`). */
export function exportStoreOf(config: Pick<Config, 'dataDir' | 's3'>): ExportStore {
  const s3 = config.s3;
  const id = s3 ? `s3|${s3.endpoint ?? ''}|${s3.bucket}|${s3.prefix}|${s3.accessKeyId ?? ''}|${config.dataDir}` : `disk|${config.dataDir}`;
  let store = exportStores.get(id);
  if (!store) {
    store = s3 ? new S3ExportStore(s3, join(config.dataDir, 'tmp', 'ledger')) : new DiskExportStore(join(config.dataDir, 'ledger'));
    exportStores.set(id, store);
  }
  return store;
}
