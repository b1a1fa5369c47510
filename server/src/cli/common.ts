/** What the CLI commands share: errors with exit codes, opening the database, the PGlite data-dir lock. */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.js';
import { type Database, openDatabase } from '../db/client.js';

/** A failure the operator can act on: printed without a stack trace, exits with `code`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly code = 1,
  ) {
    super(message);
  }
}

export const USAGE = `DutyLedger (责任制台账) command line

Usage: dutyledger <command> [options]

Commands:
  start [--port N]                  migrate, seed the demo county into an empty database, serve the app
  migrate                           apply database migrations
  seed-demo                         load the demo county 示范县 (refused when any unit exists)
  create-admin --username U --name N [--unit-name NAME] [--role sysAdmin|secAdmin|auditor]
                                    create an administrator at the root unit (creates the root when
                                    there is none); prints a temporary password
  backup FILE                       write database and attachment files to FILE (gzip'd JSON lines)
  restore FILE                      restore FILE into a migrated, empty database
  verify-audit                      verify the hash chain of the audit log

Environment:
  DATABASE_URL      PostgreSQL connection string (default: embedded PGlite)
  DUTYLEDGER_DATA   data directory: PGlite database and attachment files (default ./data)
  PORT, HOST        listen address of \`start\` (default 127.0.0.1:8080)
`;

/** A PGlite data directory is opened by one process at a time; the lock file says which. */
function lockPath(config: Config): string {
  return join(config.dataDir, 'dutyledger.pid');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function acquireLock(config: Config): () => void {
  const path = lockPath(config);
  mkdirSync(config.dataDir, { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, String(process.pid), { flag: 'wx' });
      return () => {
        try {
          if (readFileSync(path, 'utf8').trim() === String(process.pid)) rmSync(path, { force: true });
        } catch {}
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(readFileSync(path, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
        throw new CliError(
          `数据目录 ${config.dataDir} 正被进程 ${pid} 使用（服务正在运行？请先停止它）\n` +
            `the data directory is in use by process ${pid} (is the server running? stop it first)`,
        );
      }
      rmSync(path, { force: true }); // stale: its process is gone
    }
  }
  throw new CliError(`cannot lock ${path}`);
}

/**
 * Opens the configured database. On PGlite (no DATABASE_URL) the data directory is locked first: two
 * processes on one PGlite directory would corrupt it.
 */
export async function openForCli(config: Config): Promise<Database> {
  const release = config.databaseUrl ? () => {} : acquireLock(config);
  try {
    const database = await openDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      replicaUrl: config.replicaUrl,
      pgPoolSize: config.pgPoolSize,
    });
    return {
      ...database,
      close: async () => {
        try {
          await database.close();
        } finally {
          release();
        }
      },
    };
  } catch (err) {
    release();
    throw err;
  }
}

/** Where the database is, for messages (the password of a URL is masked). */
export function describeDatabase(config: Config): string {
  if (!config.databaseUrl) return `PGlite ${join(config.dataDir, 'pg')}`;
  try {
    const u = new URL(config.databaseUrl);
    if (u.password) u.password = '***';
    return `PostgreSQL ${u.toString()}`;
  } catch {
    return 'PostgreSQL';
  }
}

/** Display width of a string in a terminal: CJK and full-width characters take two columns. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    w +=
      (c >= 0x1100 && c <= 0x115f) ||
      (c >= 0x2e80 && c <= 0xa4cf) ||
      (c >= 0xac00 && c <= 0xd7a3) ||
      (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0xfe30 && c <= 0xfe4f) ||
      (c >= 0xff00 && c <= 0xff60) ||
      (c >= 0xffe0 && c <= 0xffe6)
        ? 2
        : 1;
  }
  return w;
}

/** A plain text table (header, rule, rows), aligned for CJK text. */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c + ' '.repeat(widths[i]! - displayWidth(c)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
