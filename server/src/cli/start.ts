/** `start`: the whole application in one process (web app built on first start, demo county on an empty database). */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { count, eq } from 'drizzle-orm';
import { buildApp } from '../app.js';
import type { Config } from '../config.js';
import { verifyPassword } from '../core/auth/password.js';
import { systemActor } from '../core/context.js';
import { startScheduler, stopScheduler } from '../core/scheduler.js';
import { people, units } from '../core/schema.js';
import { checkReplica, type Db, runMigrations } from '../db/client.js';
import { startLedgerWorker, stopLedgerWorker } from '../modules/ledger/service.js';
import { DEMO_PASSWORD, type DemoLogin, demoLogins, seedDemo } from '../seed/demo.js';
import { ensureReferenceData } from '../seed/reference.js';
import { CliError, describeDatabase, openForCli } from './common.js';
import { formatDemoLogins } from './logins.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const defaultWebDist = resolve(repoRoot, 'web', 'dist');

/** Builds the web app when its index.html is missing; on failure the API is still served. */
function ensureWebBuilt(config: Config): void {
  if (existsSync(join(config.webDist, 'index.html'))) return;
  if (resolve(config.webDist) !== defaultWebDist) {
    console.warn(`[start] ${config.webDist}/index.html not found (DUTYLEDGER_WEB_DIST): serving the API only`);
    return;
  }
  console.log('[start] 首次启动：正在构建网页端 building the web app (npm run -w web build) …');
  const result = spawnSync('npm', ['run', '-w', 'web', 'build'], { cwd: repoRoot, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0 || !existsSync(join(config.webDist, 'index.html'))) {
    console.error(
      '[start] 网页端构建失败，仅提供 API 服务；修复后运行 `npm run build` 再重启\n' +
        `[start] the web build failed (${result.error?.message ?? `exit code ${result.status}`}): serving the API only; fix it, run \`npm run build\` and restart`,
    );
  }
}

/** The demo accounts to show: just seeded, or seeded earlier and the admin still has the demo password. */
async function demoAccountsToShow(db: Db, seeded: DemoLogin[] | null): Promise<DemoLogin[] | null> {
  if (seeded) return seeded;
  const [admin] = await db
    .select({ hash: people.passwordHash, must: people.mustChangePassword })
    .from(people)
    .where(eq(people.username, 'admin'));
  if (!admin || admin.must || !(await verifyPassword(admin.hash, DEMO_PASSWORD))) return null;
  return demoLogins();
}

export async function startCommand(config: Config): Promise<void> {
  ensureWebBuilt(config);
  const database = await openForCli(config);
  let app: Awaited<ReturnType<typeof buildApp>>['app'] | undefined;
  let seeded: DemoLogin[] | null = null;
  try {
    await runMigrations(database);
    if (config.replicaUrl && !config.databaseUrl) console.warn('[start] DUTYLEDGER_REPLICA_URL is ignored without DATABASE_URL');
    const replicaWarning = await checkReplica(database);
    if (replicaWarning) console.warn(`[start] ${replicaWarning}`);
    const ctx = { db: database.db, actor: systemActor, config };
    const [n] = await database.db.select({ n: count() }).from(units);
    if ((n?.n ?? 0) === 0) {
      console.log('[start] 数据库为空：正在导入演示数据 empty database: seeding the demo county 示范县 …');
      seeded = await seedDemo(ctx);
    }
    await ensureReferenceData(ctx);
    const built = await buildApp(database, config, { logger: { level: process.env.DUTYLEDGER_LOG_LEVEL ?? 'info' } });
    app = built.app;
    await app.listen({ port: config.port, host: config.host });
    if (config.runScheduler) startScheduler(database, config);
    // ledger exports run in this process even with the scheduler off (their worker is not a cron job)
    startLedgerWorker(database, config);
  } catch (err) {
    await app?.close().catch(() => {});
    await database.close().catch(() => {});
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new CliError(`端口 ${config.port} 已被占用 port ${config.port} is already in use (set PORT or --port)`);
    throw err;
  }

  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}/`;
  const show = await demoAccountsToShow(database.db, seeded);
  console.log(`\nDutyLedger 责任制台账 已启动 is running: ${url}`);
  console.log(`  API 文档 API docs: ${url}api/docs`);
  console.log(`  数据库 database: ${describeDatabase(config)}`);
  if (database.replica) console.log('  只读副本 read replica: DUTYLEDGER_REPLICA_URL (dashboard, ledger exports)');
  if (show)
    console.log(
      `\n${formatDemoLogins(show)}\n\n演示账号请勿用于生产环境 demo accounts: not for production; use \`create-admin\` for a real installation.\n`,
    );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n[start] ${signal}: 正在停止 shutting down …`);
    const timer = setTimeout(() => {
      console.error('[start] shutdown took too long, exiting');
      process.exit(1);
    }, 10_000);
    timer.unref();
    try {
      stopScheduler();
      await stopLedgerWorker();
      await app!.close();
      await database.close();
      process.exit(0);
    } catch (err) {
      console.error('[start] error while shutting down:', err);
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}
