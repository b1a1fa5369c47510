/** CLI commands on the data: migrate, seed-demo, backup, restore, verify-audit. */

import { resolve } from 'node:path';
import type { Config } from '../config.js';
import { fileStoreOf } from '../core/attachments/store.js';
import { verifyAudit } from '../core/audit.js';
import { systemActor } from '../core/context.js';
import { BackupFormatError, backup, RestoreRefused, restore } from '../db/backup.js';
import { type Database, runMigrations } from '../db/client.js';
import { DemoSeedRefused, seedDemo } from '../seed/demo.js';
import { CliError, describeDatabase, openForCli } from './common.js';
import { formatDemoLogins } from './logins.js';

async function withDatabase<T>(config: Config, fn: (database: Database) => Promise<T>): Promise<T> {
  const database = await openForCli(config);
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

export async function migrateCommand(config: Config): Promise<void> {
  await withDatabase(config, async (database) => {
    await runMigrations(database);
    console.log(`数据库已是最新版本 migrations applied: ${describeDatabase(config)}`);
  });
}

export async function seedDemoCommand(config: Config): Promise<void> {
  await withDatabase(config, async (database) => {
    await runMigrations(database);
    const started = Date.now();
    try {
      const logins = await seedDemo({ db: database.db, actor: systemActor, config });
      console.log(`演示数据已导入 demo county 示范县 seeded in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
      console.log(formatDemoLogins(logins));
    } catch (err) {
      if (err instanceof DemoSeedRefused) throw new CliError(err.message);
      throw err;
    }
  });
}

export async function backupCommand(config: Config, file: string): Promise<void> {
  const target = resolve(file);
  await withDatabase(config, async (database) => {
    const started = Date.now();
    const summary = await backup(database.db, target, {
      dataDir: config.dataDir,
      store: fileStoreOf(config),
      engine: database.engine,
      warn: (m) => console.warn(m),
    });
    const rows = Object.values(summary.rows).reduce((a, b) => a + b, 0);
    console.log(
      `备份完成 backup written: ${target}\n` +
        `  ${Object.keys(summary.rows).length} tables, ${rows} rows, ${summary.files} attachment files` +
        (summary.missingFiles.length ? `, ${summary.missingFiles.length} missing files skipped` : '') +
        ` (${((Date.now() - started) / 1000).toFixed(1)} s)`,
    );
  });
}

export async function restoreCommand(config: Config, file: string): Promise<void> {
  const source = resolve(file);
  await withDatabase(config, async (database) => {
    const started = Date.now();
    try {
      const summary = await restore(database.db, source, {
        dataDir: config.dataDir,
        store: fileStoreOf(config),
        engine: database.engine,
        warn: (m) => console.warn(m),
      });
      const rows = Object.values(summary.rows).reduce((a, b) => a + b, 0);
      console.log(
        `恢复完成 restored ${source} (backup of ${summary.header.createdAt}, ${summary.header.engine}) into ${describeDatabase(config)}\n` +
          `  ${rows} rows, ${summary.files} attachment files (${((Date.now() - started) / 1000).toFixed(1)} s)`,
      );
    } catch (err) {
      if (err instanceof RestoreRefused || err instanceof BackupFormatError)
        throw new CliError(`恢复被拒绝 restore refused: ${err.message}`);
      throw err;
    }
    const check = await verifyAudit(database.db);
    if (!check.ok) throw new CliError(`恢复后审计日志校验失败 audit chain broken at seq ${check.brokenAt}: ${check.reason}`);
    console.log(`  审计日志校验通过 audit chain OK (${check.checked} entries)`);
  });
}

export async function verifyAuditCommand(config: Config): Promise<void> {
  await withDatabase(config, async (database) => {
    const result = await verifyAudit(database.db);
    if (!result.ok) {
      throw new CliError(
        `审计日志被篡改 audit chain BROKEN at seq ${result.brokenAt}: ${result.reason}\n(${result.checked} entries before it verified)`,
      );
    }
    console.log(`OK: 审计日志完整 audit chain verified, ${result.checked} entries`);
  });
}
