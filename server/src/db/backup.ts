/**
 * Backup and restore of the whole database and its attachment files, alike on PGlite and PostgreSQL.
 *
 * Format: gzip'd JSON lines.
 *   1. header   {"format":"dutyledger-backup","version":1,"createdAt","engine","tables":[…],"columns":{t:[…]},"migrations":n}
 *   2. rows     {"table":"t","rows":[…]}            row_to_json of each row, chunks of ≤ CHUNK_ROWS, tables in
 *                                                   foreign-key order, rows in primary-key order
 *   3. files    {"file":sha256,"size","offset","data":base64}   attachment files, in pieces of ≤ 1 MiB
 *   4. trailer  {"end":true,"rows":{t:n},"files":n}  a file without it is truncated and refused
 *
 * The backup reads in one REPEATABLE READ transaction (a consistent snapshot: the audit chain matches the
 * data). Row text goes from PostgreSQL to the file untouched (no JSON round trip through JS numbers), and
 * back: a chunk line is handed to PostgreSQL as is and expanded with json_populate_recordset.
 * Restore runs in one transaction and refuses a target that is not migrated or not empty.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { type SQL, sql } from 'drizzle-orm';
import { attachmentFilePath } from '../core/attachments/service.js';
import { DiskStore, type FileStore, type StoredFile } from '../core/attachments/store.js';
import { type Db, type Engine, rowsOf as rowsOfQuery } from './client.js';

export const BACKUP_FORMAT = 'dutyledger-backup';
export const BACKUP_VERSION = 1;
const CHUNK_ROWS = 500;
const FILE_PIECE = 1024 * 1024;

export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  version: number;
  createdAt: string;
  engine: Engine;
  /** in restore order (parents before children) */
  tables: string[];
  columns: Record<string, string[]>;
  /** number of applied drizzle migrations of the source */
  migrations: number;
}

export interface BackupOptions {
  /** the data directory: attachment files in `<dataDir>/files` unless `store` says otherwise; restore's scratch files in `<dataDir>/tmp` */
  dataDir: string;
  /** where attachment content lives (the configured store, e.g. S3); default: `<dataDir>/files` */
  store?: FileStore;
  engine?: Engine;
  warn?: (message: string) => void;
  /** rows per line (tests use a small number to exercise chunking) */
  chunkRows?: number;
}

export interface BackupSummary {
  rows: Record<string, number>;
  files: number;
  missingFiles: string[];
}

/** The target was not fit for a restore (not migrated, not empty, older schema); nothing was changed. */
export class RestoreRefused extends Error {}
/** The backup file is not a DutyLedger backup, or is damaged or truncated; nothing was changed. */
export class BackupFormatError extends Error {}

type Row = Record<string, unknown>;
const rowsOf = (db: Db, q: SQL) => rowsOfQuery<Row>(db, q);
const ident = (name: string) => sql.raw(`"${name.replace(/"/g, '""')}"`);
const qualified = (table: string) => sql.raw(`"public"."${table.replace(/"/g, '""')}"`);

/** The attachment store's layout is the attachments module's: one definition. */
export const attachmentPath = attachmentFilePath;

// ---------------------------------------------------------------------------------------------
// Schema introspection

interface TableInfo {
  name: string;
  columns: string[];
  primaryKey: string[];
  /** has a foreign key to itself (units.parent_id): its rows must go in with one statement */
  selfReferencing: boolean;
  /** columns fed by a sequence (serial, identity) */
  serialColumns: string[];
}

/** The tables of the `public` schema in foreign-key order (parents first, ties by name). */
export async function listTables(db: Db): Promise<TableInfo[]> {
  const tables = (
    await rowsOf(
      db,
      sql`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
    )
  ).map((r) => String(r.name));
  const columns = await rowsOf(
    db,
    sql`SELECT table_name AS t, column_name AS c, column_default AS d, is_identity AS ident FROM information_schema.columns
        WHERE table_schema = 'public' AND is_generated = 'NEVER' ORDER BY table_name, ordinal_position`,
  );
  const keys = await rowsOf(
    db,
    sql`SELECT c.relname AS t, a.attname AS c FROM pg_index i
        JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
        WHERE n.nspname = 'public' AND i.indisprimary
        ORDER BY c.relname, array_position(i.indkey::int2[], a.attnum)`,
  );
  const fks = await rowsOf(
    db,
    sql`SELECT cl.relname AS child, pl.relname AS parent FROM pg_constraint k
        JOIN pg_class cl ON cl.oid = k.conrelid JOIN pg_namespace cn ON cn.oid = cl.relnamespace
        JOIN pg_class pl ON pl.oid = k.confrelid JOIN pg_namespace pn ON pn.oid = pl.relnamespace
        WHERE k.contype = 'f' AND cn.nspname = 'public' AND pn.nspname = 'public'`,
  );

  const info = new Map<string, TableInfo>(
    tables.map((name) => [name, { name, columns: [], primaryKey: [], selfReferencing: false, serialColumns: [] }]),
  );
  for (const r of columns) {
    const t = info.get(String(r.t));
    if (!t) continue; // a view's columns
    t.columns.push(String(r.c));
    if ((typeof r.d === 'string' && r.d.startsWith('nextval(')) || r.ident === 'YES') t.serialColumns.push(String(r.c));
  }
  for (const r of keys) info.get(String(r.t))?.primaryKey.push(String(r.c));

  // topological sort (Kahn), self-references aside
  const parents = new Map<string, Set<string>>(tables.map((t) => [t, new Set()]));
  for (const fk of fks) {
    const child = String(fk.child);
    const parent = String(fk.parent);
    if (!info.has(child) || !info.has(parent)) continue;
    if (child === parent) info.get(child)!.selfReferencing = true;
    else parents.get(child)!.add(parent);
  }
  const ordered: TableInfo[] = [];
  const done = new Set<string>();
  while (done.size < tables.length) {
    const ready = tables.filter((t) => !done.has(t) && [...parents.get(t)!].every((p) => done.has(p))).sort();
    if (ready.length === 0) {
      const rest = tables.filter((t) => !done.has(t)).sort();
      throw new Error(`foreign keys form a cycle between tables: ${rest.join(', ')}`);
    }
    for (const t of ready) {
      done.add(t);
      ordered.push(info.get(t)!);
    }
  }
  return ordered;
}

async function migrationCount(db: Db): Promise<number> {
  const [row] = await rowsOf(db, sql`SELECT to_regclass('drizzle.__drizzle_migrations') IS NOT NULL AS present`);
  if (!row?.present) return 0;
  const [n] = await rowsOf(db, sql`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`);
  return Number(n?.n ?? 0);
}

async function detectEngine(db: Db): Promise<Engine> {
  const [row] = await rowsOf(db, sql`SELECT version() AS v`);
  return /emscripten|emcc|wasm/i.test(String(row?.v ?? '')) ? 'pglite' : 'postgres';
}

// ---------------------------------------------------------------------------------------------
// Backup

/** Writes a backup of every table and attachment file to `file` (written to a temporary name, then renamed). */
export async function backup(db: Db, file: string, opts: BackupOptions): Promise<BackupSummary> {
  const warn = opts.warn ?? ((m: string) => console.warn(m));
  const store = opts.store ?? new DiskStore(join(opts.dataDir, 'files'));
  const engine = opts.engine ?? (await detectEngine(db));
  const summary: BackupSummary = { rows: {}, files: 0, missingFiles: [] };
  const tmp = `${file}.partial-${process.pid}`;
  mkdirSync(dirname(file), { recursive: true });
  try {
    await db.transaction(
      async (tx) => {
        const tdb = tx as unknown as Db;
        const tables = await listTables(tdb);
        const header: BackupHeader = {
          format: BACKUP_FORMAT,
          version: BACKUP_VERSION,
          createdAt: new Date().toISOString(),
          engine,
          tables: tables.map((t) => t.name),
          columns: Object.fromEntries(tables.map((t) => [t.name, t.columns])),
          migrations: await migrationCount(tdb),
        };
        async function* lines(): AsyncGenerator<string> {
          yield `${JSON.stringify(header)}\n`;
          for (const t of tables) {
            summary.rows[t.name] = 0;
            const order = t.primaryKey.length ? t.primaryKey.map((c) => `t."${c.replace(/"/g, '""')}"`).join(', ') : 'row_to_json(t)::text';
            await tdb.execute(
              sql`DECLARE dl_backup NO SCROLL CURSOR FOR SELECT row_to_json(t)::text AS r FROM ${qualified(t.name)} t ORDER BY ${sql.raw(order)}`,
            );
            for (;;) {
              const rows = await rowsOf(tdb, sql.raw(`FETCH ${Math.max(1, Math.floor(opts.chunkRows ?? CHUNK_ROWS))} FROM dl_backup`));
              if (rows.length === 0) break;
              summary.rows[t.name]! += rows.length;
              yield `{"table":${JSON.stringify(t.name)},"rows":[${rows.map((r) => r.r as string).join(',')}]}\n`;
            }
            await tdb.execute(sql`CLOSE dl_backup`);
          }
          const attachments = tables.find((t) => t.name === 'attachments' && t.columns.includes('sha256'));
          if (attachments) {
            const shas = await rowsOf(tdb, sql`SELECT DISTINCT sha256 AS sha FROM attachments ORDER BY 1`);
            for (const { sha } of shas) {
              const file = await store.open(String(sha));
              if (!file) {
                summary.missingFiles.push(String(sha));
                warn(`[backup] attachment file missing, skipped: ${sha} in ${store.where}`);
                continue;
              }
              yield* fileLines(String(sha), file);
              summary.files++;
            }
          }
          yield `${JSON.stringify({ end: true, rows: summary.rows, files: summary.files })}\n`;
        }
        await pipeline(lines(), createGzip(), createWriteStream(tmp));
      },
      { isolationLevel: 'repeatable read', accessMode: 'read only' },
    );
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  return summary;
}

/** One attachment as lines of at most FILE_PIECE bytes each (one line, empty, for an empty file). */
async function* fileLines(sha: string, file: StoredFile): AsyncGenerator<string> {
  const { size } = file;
  const line = (offset: number, data: Buffer) => `${JSON.stringify({ file: sha, size, offset, data: data.toString('base64') })}\n`;
  let offset = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for await (const chunk of file.stream as AsyncIterable<Buffer>) {
    pending.push(chunk);
    pendingBytes += chunk.length;
    while (pendingBytes >= FILE_PIECE) {
      const all = Buffer.concat(pending);
      yield line(offset, all.subarray(0, FILE_PIECE));
      offset += FILE_PIECE;
      pending = [all.subarray(FILE_PIECE)];
      pendingBytes = all.length - FILE_PIECE;
    }
  }
  if (pendingBytes > 0 || offset === 0) yield line(offset, Buffer.concat(pending));
  offset += pendingBytes;
  if (offset !== size) throw new Error(`附件 ${sha} 读取不完整（${offset}/${size} 字节）`);
}

// ---------------------------------------------------------------------------------------------
// Restore

/** Lines of a gzip'd file, streamed (memory stays flat); read and gunzip errors reach the consumer. */
async function* readLines(file: string): AsyncGenerator<string> {
  const input = createReadStream(file);
  const gunzip = createGunzip();
  input.on('error', (err) => gunzip.destroy(err));
  input.pipe(gunzip);
  gunzip.setEncoding('utf8');
  let rest = '';
  try {
    for await (const chunk of gunzip as AsyncIterable<string>) {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop()!;
      for (const line of parts) if (line) yield line;
    }
    if (rest) yield rest;
  } finally {
    // a consumer that stops early (the header reader) must not leave the file open
    input.destroy();
    gunzip.destroy();
  }
}

// biome-ignore lint/suspicious/noExplicitAny: a line of the file, checked field by field by the caller
function parseJson(line: string, what: string): any {
  try {
    return JSON.parse(line);
  } catch {
    throw new BackupFormatError(`备份文件已损坏：${what}不是有效的 JSON (damaged backup file)`);
  }
}

export async function readBackupHeader(file: string): Promise<BackupHeader> {
  for await (const line of readLines(file)) return checkHeader(parseJson(line, '文件头'));
  throw new BackupFormatError('备份文件为空 (empty backup file)');
}

// biome-ignore lint/suspicious/noExplicitAny: the parsed header, checked here
function checkHeader(h: any): BackupHeader {
  if (h?.format !== BACKUP_FORMAT) throw new BackupFormatError('不是 DutyLedger 备份文件 (not a DutyLedger backup)');
  if (h.version !== BACKUP_VERSION) throw new BackupFormatError(`不支持的备份格式版本 ${h.version} (unsupported backup version)`);
  if (!Array.isArray(h.tables) || typeof h.columns !== 'object') throw new BackupFormatError('备份文件头不完整 (incomplete header)');
  return h as BackupHeader;
}

/** The table name of a rows line, read without parsing the rows (their numbers stay exact). */
function tableOfLine(line: string): string | null {
  const m = /^\{"table":("(?:[^"\\]|\\.)*"),"rows":/.exec(line);
  return m ? (JSON.parse(m[1]!) as string) : null;
}

export interface RestoreSummary {
  rows: Record<string, number>;
  files: number;
  header: BackupHeader;
}

/**
 * Restores `file` into `db`, which must be migrated (at least as far as the backup's source) and empty.
 * One transaction: on any error nothing is restored. Attachment files go to `<dataDir>/files`.
 */
export async function restore(db: Db, file: string, opts: BackupOptions): Promise<RestoreSummary> {
  if (!existsSync(file)) throw new BackupFormatError(`备份文件不存在：${file}`);
  const warn = opts.warn ?? ((m: string) => console.warn(m));
  const store = opts.store ?? new DiskStore(join(opts.dataDir, 'files'));
  const header = await readBackupHeader(file);
  const rows: Record<string, number> = {};
  let files = 0;
  const partial = new Map<string, { path: string; hash: ReturnType<typeof createHash>; written: number }>();
  try {
    await db.transaction(async (tx) => {
      const tdb = tx as unknown as Db;
      const tables = await listTables(tdb);
      const byName = new Map(tables.map((t) => [t.name, t]));
      const applied = await migrationCount(tdb);
      if (applied === 0 || tables.length === 0)
        throw new RestoreRefused('目标数据库尚未初始化，请先运行 migrate (target database is not migrated: run `migrate` first)');
      if (applied < header.migrations) {
        throw new RestoreRefused(
          `目标数据库的版本（${applied} 个迁移）低于备份来源（${header.migrations} 个），请先升级并运行 migrate (target is older than the backup's source)`,
        );
      }
      for (const t of header.tables) {
        const target = byName.get(t);
        if (!target) throw new RestoreRefused(`目标数据库没有表 ${t} (target has no table ${t})`);
        const missing = (header.columns[t] ?? []).filter((c) => !target.columns.includes(c));
        if (missing.length) throw new RestoreRefused(`目标数据库的表 ${t} 缺少列 ${missing.join(', ')} (target table lacks columns)`);
      }
      // nobody writes into the target while it is checked and filled
      await tdb.execute(
        sql`LOCK TABLE ${sql.join(
          tables.map((t) => qualified(t.name)),
          sql`, `,
        )} IN SHARE ROW EXCLUSIVE MODE`,
      );
      const nonEmpty: string[] = [];
      for (const t of tables) {
        const [r] = await rowsOf(tdb, sql`SELECT EXISTS (SELECT 1 FROM ${qualified(t.name)}) AS any`);
        if (r?.any) nonEmpty.push(t.name);
      }
      if (nonEmpty.length)
        throw new RestoreRefused(`目标数据库不是空的（${nonEmpty.join(', ')} 已有数据），拒绝恢复 (target database is not empty)`);

      // a self-referencing table is staged and then inserted with one statement: row order cannot break its foreign key
      let staged: { table: string; stage: string } | null = null;
      const flushStage = async () => {
        if (!staged) return;
        const cols = sql.raw((header.columns[staged.table] ?? []).map((c) => `"${c.replace(/"/g, '""')}"`).join(', '));
        await tdb.execute(
          sql`INSERT INTO ${qualified(staged.table)} (${cols}) OVERRIDING SYSTEM VALUE SELECT ${cols} FROM ${ident(staged.stage)}`,
        );
        await tdb.execute(sql`DROP TABLE ${ident(staged.stage)}`);
        staged = null;
      };
      let trailer: { end: true; rows: Record<string, number>; files: number } | null = null;
      let lineNo = 0;

      for await (const line of readLines(file)) {
        lineNo++;
        if (lineNo === 1) continue; // the header
        if (trailer) throw new BackupFormatError('备份文件结尾之后还有内容 (data after the end marker)');
        const table = tableOfLine(line);
        if (table !== null) {
          if (!header.tables.includes(table)) throw new BackupFormatError(`备份文件中出现未声明的表 ${table}`);
          if (staged && staged.table !== table) await flushStage();
          const cols = sql.raw((header.columns[table] ?? []).map((c) => `"${c.replace(/"/g, '""')}"`).join(', '));
          let into = qualified(table);
          if (byName.get(table)!.selfReferencing) {
            if (!staged) {
              staged = { table, stage: `dl_restore_${table}` };
              await tdb.execute(sql`CREATE TEMP TABLE ${ident(staged.stage)} (LIKE ${qualified(table)}) ON COMMIT DROP`);
            }
            into = ident(staged.stage);
          }
          const res = (await tdb.execute(
            sql`INSERT INTO ${into} (${cols}) OVERRIDING SYSTEM VALUE SELECT ${cols} FROM json_populate_recordset(NULL::${into}, (${line}::json) -> 'rows')`,
          )) as unknown as { rowCount?: number | null; affectedRows?: number };
          rows[table] = (rows[table] ?? 0) + Number(res.rowCount ?? res.affectedRows ?? 0);
          continue;
        }
        await flushStage();
        const obj = parseJson(line, `第 ${lineNo} 行`);
        if (obj?.end === true) {
          trailer = obj;
        } else if (typeof obj?.file === 'string' && /^[0-9a-f]{64}$/.test(obj.file)) {
          files += await restoreFilePiece(store, join(opts.dataDir, 'tmp'), obj, partial, warn);
        } else {
          throw new BackupFormatError(`备份文件第 ${lineNo} 行无法识别 (unrecognized line ${lineNo})`);
        }
      }
      await flushStage();
      if (!trailer) throw new BackupFormatError('备份文件不完整（缺少结尾标记），可能在写入时中断 (truncated backup: no end marker)');
      for (const [t, n] of Object.entries(trailer.rows)) {
        if ((rows[t] ?? 0) !== n)
          throw new BackupFormatError(`表 ${t} 恢复了 ${rows[t] ?? 0} 行，备份中记录为 ${n} 行 (row count mismatch)`);
      }
      if (partial.size) throw new BackupFormatError(`附件 ${[...partial.keys()][0]} 的数据不完整 (incomplete attachment)`);

      // sequences continue after the restored rows
      for (const t of tables) {
        for (const c of t.serialColumns) {
          await tdb.execute(
            sql`SELECT setval(pg_get_serial_sequence(${`"public"."${t.name.replace(/"/g, '""')}"`}, ${c}), COALESCE(max(${ident(c)}), 0) + 1, false) FROM ${qualified(t.name)}`,
          );
        }
      }
    });
  } finally {
    for (const p of partial.values()) rmSync(p.path, { force: true });
  }
  return { rows, files, header };
}

/** Appends one piece of an attachment file; the file goes into the store when complete and its hash checks. */
async function restoreFilePiece(
  store: FileStore,
  tmpDir: string,
  piece: { file: string; size: number; offset: number; data: string },
  partial: Map<string, { path: string; hash: ReturnType<typeof createHash>; written: number }>,
  warn: (m: string) => void,
): Promise<number> {
  let p = partial.get(piece.file);
  if (!p) {
    if (piece.offset !== 0) throw new BackupFormatError(`附件 ${piece.file} 的数据不完整`);
    mkdirSync(tmpDir, { recursive: true });
    p = { path: join(tmpDir, `${piece.file}.restore-${process.pid}`), hash: createHash('sha256'), written: 0 };
    rmSync(p.path, { force: true });
    partial.set(piece.file, p);
  }
  if (piece.offset !== p.written) throw new BackupFormatError(`附件 ${piece.file} 的数据顺序错误`);
  const data = Buffer.from(piece.data, 'base64');
  const handle = await open(p.path, 'a');
  try {
    await handle.write(data);
  } finally {
    await handle.close();
  }
  p.hash.update(data);
  p.written += data.length;
  if (p.written < piece.size) return 0;
  partial.delete(piece.file);
  if (p.hash.digest('hex') !== piece.file) {
    rmSync(p.path, { force: true });
    warn(`[restore] attachment ${piece.file} does not match its hash, skipped`);
    return 0;
  }
  // content-addressed: content already in the store under this hash is the same content
  await store.putFile(piece.file, p.path);
  return 1;
}
