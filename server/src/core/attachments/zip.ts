/**
 * Zip-bomb check for the zip containers we accept (docx, xlsx, pptx, ofd): reads the central directory
 * (entry count, declared sizes, compression ratio) and then inflates every entry into a counter, so
 * that an entry that expands beyond what it declares is caught too. Nothing is kept in memory but
 * the upload itself (≤ the upload limit) and one inflate window.
 *
 * Written against the zip format (APPNOTE 4.3.6) with node:zlib rather than a zip library: the
 * libraries in the tree either inflate whole entries into memory (jszip) or do not expose the local
 * header offsets needed to check the real expansion (fflate's listing).
 */
import { readFile } from 'node:fs/promises';
import { createInflateRaw } from 'node:zlib';

export interface ZipLimits {
  /** most entries in one container */
  maxEntries: number;
  /** most bytes all entries may expand to, together */
  maxTotalBytes: number;
  /** highest uncompressed : compressed ratio, checked for entries (and totals) larger than `ratioFloorBytes` */
  maxRatio: number;
  ratioFloorBytes: number;
}

/** Generous for real office documents (a 20 MB xlsx of text expands to ~200 MB at most), fatal for bombs. */
export const defaultZipLimits: ZipLimits = {
  maxEntries: 10_000,
  maxTotalBytes: 256 * 1024 * 1024,
  maxRatio: 100,
  ratioFloorBytes: 1024 * 1024,
};

export class ZipRefused extends Error {}

interface Entry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX32 = 0xffffffff;

function need(cond: boolean, why: string): asserts cond {
  if (!cond) throw new ZipRefused(why);
}

function u64(buf: Buffer, at: number): number {
  const v = buf.readBigUInt64LE(at);
  need(v <= BigInt(Number.MAX_SAFE_INTEGER), 'zip64 size out of range');
  return Number(v);
}

/** The central directory's entries (bounds-checked; a malformed directory is refused). */
export function readCentralDirectory(buf: Buffer, maxEntries: number): Entry[] {
  // the end record sits in the last 22 + 65535 (comment) bytes
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  need(eocd >= 0, 'no end of central directory');
  let cdSize = buf.readUInt32LE(eocd + 12);
  let cdOffset = buf.readUInt32LE(eocd + 16);
  if ((cdSize === MAX32 || cdOffset === MAX32) && eocd >= 20 && buf.readUInt32LE(eocd - 20) === ZIP64_LOCATOR) {
    const at = u64(buf, eocd - 20 + 8);
    need(at + 56 <= buf.length && buf.readUInt32LE(at) === ZIP64_EOCD, 'bad zip64 end record');
    cdSize = u64(buf, at + 40);
    cdOffset = u64(buf, at + 48);
  }
  need(cdOffset + cdSize <= buf.length, 'central directory out of bounds');

  const entries: Entry[] = [];
  let p = cdOffset;
  const end = cdOffset + cdSize;
  while (p < end) {
    need(p + 46 <= end && buf.readUInt32LE(p) === CENTRAL, 'bad central directory entry');
    need(entries.length < maxEntries, `more than ${maxEntries} entries`);
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    let compressedSize = buf.readUInt32LE(p + 20);
    let size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    let localOffset = buf.readUInt32LE(p + 42);
    need(p + 46 + nameLen + extraLen + commentLen <= end, 'central directory entry out of bounds');
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    if (size === MAX32 || compressedSize === MAX32 || localOffset === MAX32) {
      // zip64 extended information: the 64-bit values of the fields that are 0xFFFFFFFF, in this order
      let x = p + 46 + nameLen;
      const xEnd = x + extraLen;
      let found = false;
      while (x + 4 <= xEnd) {
        const id = buf.readUInt16LE(x);
        const len = buf.readUInt16LE(x + 2);
        need(x + 4 + len <= xEnd, 'bad extra field');
        if (id === 0x0001) {
          let q = x + 4;
          const take = () => {
            need(q + 8 <= x + 4 + len, 'short zip64 field');
            const v = u64(buf, q);
            q += 8;
            return v;
          };
          if (size === MAX32) size = take();
          if (compressedSize === MAX32) compressedSize = take();
          if (localOffset === MAX32) localOffset = take();
          found = true;
          break;
        }
        x += 4 + len;
      }
      need(found, 'zip64 sizes without zip64 field');
    }
    entries.push({ name, method, flags, compressedSize, size, localOffset });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/** Inflates `data` counting the output; stops (false) as soon as it exceeds `limit` bytes. */
function inflatesWithin(data: Buffer, limit: number): Promise<{ ok: boolean; bytes: number }> {
  return new Promise((resolve) => {
    const inflate = createInflateRaw();
    let bytes = 0;
    let done = false;
    const finish = (ok: boolean) => {
      if (done) return;
      done = true;
      inflate.destroy();
      resolve({ ok, bytes });
    };
    inflate.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > limit) finish(false);
    });
    inflate.on('end', () => finish(true));
    inflate.on('error', () => finish(false));
    inflate.end(data);
  });
}

/**
 * Throws ZipRefused when the zip at `path` is malformed, has too many entries, declares or really
 * expands to more than the limits allow, or uses encryption or a compression other than store/deflate.
 */
export async function assertSafeZip(path: string, limits: ZipLimits = defaultZipLimits): Promise<void> {
  const buf = await readFile(path);
  need(buf.length >= 22, 'too short');
  const entries = readCentralDirectory(buf, limits.maxEntries);
  const ratioOk = (size: number, compressed: number) => size <= limits.ratioFloorBytes || size <= limits.maxRatio * Math.max(compressed, 1);

  let declared = 0;
  let compressedTotal = 0;
  for (const e of entries) {
    need((e.flags & 0x1) === 0, `encrypted entry ${e.name}`);
    need(e.method === 0 || e.method === 8, `compression method ${e.method} in ${e.name}`);
    need(e.method !== 0 || e.size === e.compressedSize, `stored entry ${e.name} with mismatched sizes`);
    need(ratioOk(e.size, e.compressedSize), `entry ${e.name} ratio too high`);
    declared += e.size;
    compressedTotal += e.compressedSize;
    need(declared <= limits.maxTotalBytes, 'declared total too large');
  }
  need(ratioOk(declared, compressedTotal), 'total ratio too high');

  // the real expansion: every deflated entry must inflate to no more than it declared
  let actual = 0;
  for (const e of entries) {
    const p = e.localOffset;
    need(p + 30 <= buf.length && buf.readUInt32LE(p) === LOCAL, `bad local header of ${e.name}`);
    const start = p + 30 + buf.readUInt16LE(p + 26) + buf.readUInt16LE(p + 28);
    need(start + e.compressedSize <= buf.length, `entry ${e.name} out of bounds`);
    if (e.method === 0) {
      actual += e.size;
      continue;
    }
    const { ok, bytes } = await inflatesWithin(buf.subarray(start, start + e.compressedSize), e.size);
    need(ok && bytes === e.size, `entry ${e.name} does not inflate to its declared size`);
    actual += bytes;
    need(actual <= limits.maxTotalBytes, 'total too large');
  }
}
