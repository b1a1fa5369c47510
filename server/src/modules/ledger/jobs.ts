/**
 * Ledger export jobs: the state machine (the one `transitions` table), creating a job (scope-checked),
 * reading and listing jobs, downloading their files, the in-process worker and the cleanup job.
 *
 *   queued ──start──▶ running ──finish──▶ done ──expire──▶ expired
 *                        └────fail────▶ failed ──expire──▶ expired
 *   (queued ──fail──▶ failed: a job that cannot start, e.g. its unit vanished)
 *
 * Scope: creating, reading and downloading need `ledger.export` in the job's unit (403 to create outside the
 * reach; 404 to read or download a job of a unit outside it). A ledger that includes the subtree needs a
 * subtree-wide role. The worker builds the files as the system, over the unit the requester was allowed.
 *
 * With a read replica (DUTYLEDGER_REPLICA_URL) the worker reads the records from it, once it has replayed what
 * the primary held when the job started; the job's own row (claim, progress, state) and its audit entries
 * are written on the primary.
 *
 * Files: a job builds in a local work directory, then keeps each finished file in the export store
 * (`exportStoreOf`: `<dataDir>/ledger/<job id>` on disk, or the S3 bucket under `<prefix>ledger/<job id>/` when
 * one is configured, so that any host serves the download) before it is marked done; a file that cannot be
 * stored fails the job. The cleanup job removes the files of expired jobs from the same store.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { CreateLedgerExportBody, LedgerExport, LedgerExportState, LedgerFormat, LedgerPeriod } from '@dutyledger/contracts';
import dayjs from 'dayjs';
import { and, asc, count, desc, eq, inArray, lt } from 'drizzle-orm';
import type { Config } from '../../config.js';
import { exportStoreOf } from '../../core/attachments/store.js';
import { writeAudit } from '../../core/audit.js';
import { type Ctx, inTx, systemActor } from '../../core/context.js';
import { AppError, invalid, notFound } from '../../core/errors.js';
import { periodOf, TIME_ZONE } from '../../core/periods.js';
import { registerJob } from '../../core/scheduler.js';
import { units } from '../../core/schema.js';
import { inScope, reachOf, requireActor, requireRecordInScope, requireUnitPermission } from '../../core/scope.js';
import { type Database, waitForReplica } from '../../db/client.js';
import { regionOf } from '../../db/distribution.js';
import { ledgerUnitInfo } from '../org/service.js';
import { buildLedgerFiles } from './build.js';
import { type LedgerFileRow, ledgerExports } from './schema.js';

/** Files are kept this long after a job finishes, then removed by the cleanup job. */
export const KEEP_DAYS = 7;
/** A custom range may span at most this many days. */
export const MAX_CUSTOM_DAYS = 366 * 3;
/** A job still `running` this long after it started was cut off (process restart): it is failed. */
export const STALE_RUNNING_MS = 60 * 60_000;
/** How long a job waits for the replica to catch up with the primary before it reads it anyway. */
export const REPLICA_WAIT_MS = 30_000;

export const stateLabels: Record<LedgerExportState, string> = {
  queued: '排队中',
  running: '生成中',
  done: '已完成',
  failed: '失败',
  expired: '已过期',
};

export type ExportAction = 'start' | 'finish' | 'fail' | 'expire';
export const transitions: Record<ExportAction, { label: string; from: readonly LedgerExportState[]; to: LedgerExportState }> = {
  start: { label: '开始生成', from: ['queued'], to: 'running' },
  finish: { label: '完成', from: ['running'], to: 'done' },
  fail: { label: '标记失败', from: ['queued', 'running'], to: 'failed' },
  expire: { label: '过期清理', from: ['done', 'failed'], to: 'expired' },
};

type Row = typeof ledgerExports.$inferSelect;

/** The local directory a job builds in: its files' home on disk, a scratch directory when they go to a bucket. */
export const ledgerDir = (config: Config, id: string) => exportStoreOf(config).workDir(id);

/** A finished file that could not be kept in the export store (the bucket refused or was unreachable). */
class StoreFailed extends Error {}

function toExport(r: Row, unitName: string): LedgerExport {
  return {
    id: r.id,
    unitId: r.unitId,
    unitName,
    includeSubtree: r.includeSubtree,
    periodLabel: r.periodLabel,
    from: r.periodFrom.toISOString(),
    to: r.periodTo.toISOString(),
    formats: r.formats,
    state: r.state as LedgerExportState,
    progress: r.progress,
    files: r.files.map((f) => ({ format: f.format, name: f.name, size: f.size })),
    error: r.error,
    requestedBy: r.requestedBy,
    createdAt: r.createdAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
    expiresAt: r.expiresAt?.toISOString() ?? null,
  };
}

/** [from, to) and a label of a requested period (Shanghai calendar). */
export function resolvePeriod(p: LedgerPeriod): { from: Date; to: Date; label: string } {
  if (p.kind === 'year') {
    const y = periodOf('year', p.year!);
    return { from: y.start, to: y.end, label: `${y.label}度` };
  }
  if (p.kind === 'halfYear') {
    const h = periodOf('halfYear', p.year!, p.half!);
    return { from: h.start, to: h.end, label: h.label };
  }
  const from = dayjs.tz(`${p.from} 00:00`, TIME_ZONE);
  const to = dayjs.tz(`${p.to} 00:00`, TIME_ZONE).add(1, 'day');
  if (!from.isValid() || !to.isValid()) throw invalid({ 'period.from': '日期不正确' });
  if (to.diff(from, 'day') > MAX_CUSTOM_DAYS) throw invalid({ 'period.to': `自定义期间不能超过${MAX_CUSTOM_DAYS}天` });
  return { from: from.toDate(), to: to.toDate(), label: `${p.from}至${p.to}` };
}

// ---- the worker: a module-level handle, set by startLedgerWorker (the `start` command); tests drive it directly

let worker: { ctx: Ctx; database: Database; timer: NodeJS.Timeout; running: Promise<number> | null; again: boolean } | null = null;

/**
 * Runs queued jobs until none is left (one at a time in this process; SKIP LOCKED lets several processes share).
 * With `database`, the records are read from its replica when it has one (`ctx.db` otherwise).
 */
export async function processQueuedExports(ctx: Ctx, database?: Database): Promise<number> {
  await failStaleExports(ctx);
  let n = 0;
  for (;;) {
    const id = await claimNextExport(ctx);
    if (!id) return n;
    await runExport(ctx, id, database);
    n++;
  }
}

let lastCleanup = 0;

function kickWorker(): void {
  if (!worker) return;
  if (worker.running) {
    // a job created while the worker is finishing its last pass: run once more afterwards
    worker.again = true;
    return;
  }
  const w = worker;
  w.again = false;
  // the cleanup also runs here (hourly), so that files expire even where the scheduler is off
  let cleanup: Promise<number> = Promise.resolve(0);
  if (Date.now() - lastCleanup > 3_600_000) {
    lastCleanup = Date.now();
    cleanup = cleanupExpiredExports(w.ctx);
  }
  w.running = cleanup
    .then(() => processQueuedExports(w.ctx, w.database))
    .catch((err) => {
      console.error('[ledger] export worker failed:', err);
      return 0;
    })
    .finally(() => {
      w.running = null;
      if (w.again && worker === w) kickWorker();
    });
}

/** Starts the in-process export worker: polls every `intervalMs` and runs at once when a job is created. */
export function startLedgerWorker(database: Database, config: Config, intervalMs = 5000): void {
  stopLedgerWorker();
  const ctx: Ctx = { db: database.db, actor: systemActor, config };
  worker = { ctx, database, timer: setInterval(kickWorker, intervalMs), running: null, again: false };
  worker.timer.unref();
  kickWorker();
}

/** Stops polling; resolves when a job being built has finished. */
export async function stopLedgerWorker(): Promise<void> {
  if (!worker) return;
  const w = worker;
  worker = null;
  clearInterval(w.timer);
  await w.running;
}

// ---- state changes

async function transition(ctx: Ctx, id: string, action: ExportAction, patch: Partial<Row> = {}): Promise<Row> {
  return inTx(ctx, async (tx) => {
    const [row] = await tx.db.select().from(ledgerExports).where(eq(ledgerExports.id, id)).for('update');
    if (!row) throw notFound('导出任务不存在');
    const t = transitions[action];
    const state = row.state as LedgerExportState;
    if (!t.from.includes(state)) {
      throw new AppError(
        'ILLEGAL_TRANSITION',
        `导出任务当前状态为「${stateLabels[state]}」，不能${t.label}（仅${t.from.map((s) => `「${stateLabels[s]}」`).join('、')}状态可以）`,
      );
    }
    const [after] = await tx.db
      .update(ledgerExports)
      .set({ ...patch, state: t.to })
      .where(eq(ledgerExports.id, id))
      .returning();
    await writeAudit(tx, {
      action: `ledgerExport.${action}`,
      entity: 'ledgerExport',
      entityId: id,
      unitId: row.unitId,
      before: { state: row.state, progress: row.progress },
      after: { state: after!.state, progress: after!.progress, files: after!.files, error: after!.error },
    });
    return after!;
  });
}

/** Exported for tests of the state machine. */
export const transitionExport = transition;

/** The oldest queued job, moved to running; null when none is queued (or all are taken by another process). */
export async function claimNextExport(ctx: Ctx): Promise<string | null> {
  const sys: Ctx = { ...ctx, actor: systemActor };
  return inTx(sys, async (tx) => {
    const [row] = await tx.db
      .select({ id: ledgerExports.id })
      .from(ledgerExports)
      .where(eq(ledgerExports.state, 'queued'))
      .orderBy(asc(ledgerExports.createdAt), asc(ledgerExports.id))
      .limit(1)
      .for('update', { skipLocked: true });
    if (!row) return null;
    await transition(tx, row.id, 'start', { startedAt: new Date(), progress: 1 });
    return row.id;
  });
}

/** Progress of a running job (bookkeeping, not audited; ignored once the job left `running`). */
async function setProgress(ctx: Ctx, id: string, progress: number): Promise<void> {
  await ctx.db
    .update(ledgerExports)
    .set({ progress: Math.max(1, Math.min(99, Math.round(progress))) })
    .where(and(eq(ledgerExports.id, id), eq(ledgerExports.state, 'running')));
}

/** Where a job reads its records: the replica of `database` once it has caught up, else the job's own handle. */
async function readCtxOf(sys: Ctx, id: string, database: Database | undefined): Promise<Ctx> {
  if (!database?.replica) return sys;
  if (!(await waitForReplica(database, REPLICA_WAIT_MS))) {
    console.warn(`[ledger] export ${id}: the replica is more than ${REPLICA_WAIT_MS / 1000}s behind the primary, reading it anyway`);
  }
  return { ...sys, db: database.replica };
}

/**
 * Builds the files of a running job; finishes or fails it. Reads the records from the replica of `database`
 * when it has one; the job's row is read and written through `ctx` (the primary).
 */
export async function runExport(ctx: Ctx, id: string, database?: Database): Promise<void> {
  const sys: Ctx = { ...ctx, actor: systemActor };
  const [row] = await sys.db.select().from(ledgerExports).where(eq(ledgerExports.id, id));
  if (row?.state !== 'running') throw new AppError('ILLEGAL_TRANSITION', '导出任务不在生成中');
  const store = exportStoreOf(sys.config);
  const dir = store.workDir(id);
  let files: LedgerFileRow[] = [];
  try {
    const read = await readCtxOf(sys, id, database);
    const unit = await ledgerUnitInfo(read, row.unitId);
    if (!unit) throw new Error('单位不存在');
    files = await buildLedgerFiles(
      read,
      {
        unitName: unit.name,
        periodLabel: row.periodLabel,
        scope: { unitId: unit.id, unitPath: unit.path, includeSubtree: row.includeSubtree, from: row.periodFrom, to: row.periodTo },
        formats: row.formats,
        madeAt: new Date(),
        backfillDays: sys.config.backfillDays,
        dir,
      },
      (done, total) => setProgress(sys, id, (done / total) * 90),
    );
    for (const f of files) {
      await store.put(id, f.path, join(dir, f.path)).catch((err) => {
        throw new StoreFailed(`storing ${f.path} in ${store.where} failed`, { cause: err });
      });
    }
    if (!store.keepsWorkDir) await rm(dir, { recursive: true, force: true });
    const now = new Date();
    await transition(sys, id, 'finish', {
      progress: 100,
      files,
      finishedAt: now,
      expiresAt: new Date(now.getTime() + KEEP_DAYS * 86_400_000),
    });
  } catch (err) {
    console.error(`[ledger] export ${id} failed:`, err);
    // files already stored are removed with the work directory (a failed job keeps none)
    await store
      .remove(
        id,
        files.map((f) => f.path),
      )
      .catch((e) => console.error(`[ledger] could not remove the files of export ${id}:`, e));
    await rm(dir, { recursive: true, force: true }).catch(() => {});
    const now = new Date();
    await transition(sys, id, 'fail', {
      error:
        err instanceof StoreFailed ? '台账文件保存失败（文件存储不可用），请稍后重试或联系管理员' : '台账生成失败，请稍后重试或联系管理员',
      finishedAt: now,
      expiresAt: new Date(now.getTime() + KEEP_DAYS * 86_400_000),
    }).catch((e) => console.error(`[ledger] could not mark export ${id} failed:`, e));
  }
}

/** Jobs cut off while running (the process stopped) are failed, so that the requester can start again. */
async function failStaleExports(ctx: Ctx): Promise<void> {
  const sys: Ctx = { ...ctx, actor: systemActor };
  const stale = await sys.db
    .select({ id: ledgerExports.id })
    .from(ledgerExports)
    .where(and(eq(ledgerExports.state, 'running'), lt(ledgerExports.startedAt, new Date(Date.now() - STALE_RUNNING_MS))));
  for (const { id } of stale) {
    const now = new Date();
    await transition(sys, id, 'fail', {
      error: '生成中断（服务重启），请重新导出',
      finishedAt: now,
      expiresAt: new Date(now.getTime() + KEEP_DAYS * 86_400_000),
    }).catch(() => {});
  }
}

/** Deletes the files of jobs past their expiry and marks them expired. Returns how many. */
export async function cleanupExpiredExports(ctx: Ctx, now = new Date()): Promise<number> {
  const sys: Ctx = { ...ctx, actor: systemActor };
  const due = await sys.db
    .select({ id: ledgerExports.id, files: ledgerExports.files })
    .from(ledgerExports)
    .where(and(inArray(ledgerExports.state, ['done', 'failed']), lt(ledgerExports.expiresAt, now)));
  const store = exportStoreOf(sys.config);
  let n = 0;
  for (const { id, files } of due) {
    try {
      await transition(sys, id, 'expire', { files: [] });
      await store.remove(
        id,
        files.map((f) => f.path),
      );
      n++;
    } catch (err) {
      if (!(err instanceof AppError)) throw err; // taken by a concurrent cleanup
    }
  }
  return n;
}

registerJob({ name: 'ledger.cleanup', cron: '0 20 3 * * *', run: async (ctx) => void (await cleanupExpiredExports(ctx)) });

// ---- requests

export async function createLedgerExport(ctx: Ctx, input: CreateLedgerExportBody): Promise<LedgerExport> {
  const actor = requireActor(ctx.actor);
  await requireUnitPermission(ctx.db, ctx.actor, 'ledger.export', input.unitId);
  if (input.includeSubtree && !reachOf(ctx.actor, 'ledger.export')?.subtree) {
    throw invalid({ includeSubtree: '您的角色只能导出本单位的台账，不能包含下级单位' });
  }
  const period = resolvePeriod(input.period);
  const formats = ledgerFormatsOrdered(input.formats);
  const row = await inTx(ctx, async (tx) => {
    const [created] = await tx.db
      .insert(ledgerExports)
      .values({
        regionId: regionOf(input.unitId),
        unitId: input.unitId,
        includeSubtree: input.includeSubtree,
        periodLabel: period.label,
        periodFrom: period.from,
        periodTo: period.to,
        formats,
        requestedBy: actor.personId || null,
      })
      .returning();
    await writeAudit(tx, { action: 'create', entity: 'ledgerExport', entityId: created!.id, unitId: created!.unitId, after: created });
    tx.afterCommit?.(kickWorker);
    return created!;
  });
  return getLedgerExport(ctx, row.id);
}

const ledgerFormatsOrdered = (formats: LedgerFormat[]): LedgerFormat[] =>
  (['docx', 'xlsx', 'zip'] as const).filter((f) => formats.includes(f));

async function loadInScope(ctx: Ctx, id: string): Promise<{ row: Row; unitName: string }> {
  requireActor(ctx.actor);
  const [found] = await ctx.db
    .select({ row: ledgerExports, unitName: units.name })
    .from(ledgerExports)
    .innerJoin(units, eq(units.id, ledgerExports.unitId))
    .where(eq(ledgerExports.id, id))
    .limit(1);
  if (!found) throw notFound('导出任务不存在或无权查看');
  await requireRecordInScope(ctx.db, ctx.actor, 'ledger.export', found.row.unitId);
  return found;
}

export async function getLedgerExport(ctx: Ctx, id: string): Promise<LedgerExport> {
  const { row, unitName } = await loadInScope(ctx, id);
  return toExport(row, unitName);
}

/** The caller's own export jobs (of units they still reach), newest first. */
export async function listMyLedgerExports(ctx: Ctx, q: { page: number; pageSize: number }) {
  const actor = requireActor(ctx.actor);
  const where = and(eq(ledgerExports.requestedBy, actor.personId), inScope(ctx.actor, 'ledger.export', ledgerExports.unitId));
  const [{ total }] = (await ctx.db.select({ total: count() }).from(ledgerExports).where(where)) as [{ total: number }];
  const rows = await ctx.db
    .select({ row: ledgerExports, unitName: units.name })
    .from(ledgerExports)
    .innerJoin(units, eq(units.id, ledgerExports.unitId))
    .where(where)
    .orderBy(desc(ledgerExports.createdAt), desc(ledgerExports.id))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  return { items: rows.map((r) => toExport(r.row, r.unitName)), total, page: q.page, pageSize: q.pageSize };
}

const mimes: Record<LedgerFormat, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  zip: 'application/zip',
};

/** A finished job's file as a stream; the download is audited (who took which ledger). */
export async function openLedgerFile(
  ctx: Ctx,
  id: string,
  format: LedgerFormat,
): Promise<{ name: string; mime: string; size: number; stream: Readable }> {
  const { row } = await loadInScope(ctx, id);
  const state = row.state as LedgerExportState;
  if (state === 'expired') throw new AppError('ILLEGAL_TRANSITION', `文件已超过${KEEP_DAYS}天保存期被清理，请重新导出`);
  if (state !== 'done') throw new AppError('ILLEGAL_TRANSITION', `导出任务${stateLabels[state]}，暂无文件可下载`);
  const file = row.files.find((f) => f.format === format);
  if (!file) throw notFound('该导出任务未生成此格式的文件');
  const stored = await exportStoreOf(ctx.config).open(id, file.path);
  if (!stored) throw notFound('文件不存在，请重新导出');
  try {
    await inTx(ctx, (tx) =>
      writeAudit(tx, { action: 'download', entity: 'ledgerExport', entityId: id, unitId: row.unitId, after: { format, name: file.name } }),
    );
  } catch (err) {
    stored.stream.destroy();
    throw err;
  }
  return { name: file.name, mime: mimes[format], size: stored.size, stream: stored.stream };
}
