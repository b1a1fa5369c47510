import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { type ExtractTablesWithRelations, type SQL, sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import * as schema from './schema.js';

export type Schema = typeof schema;
/** A database handle or an open transaction: services take either. */
export type Db = PgDatabase<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
export type Engine = 'pglite' | 'postgres';

export interface Database {
  db: Db;
  /**
   * A read-only PostgreSQL streaming replica (DUTYLEDGER_REPLICA_URL) for reads that may lag the primary by a
   * moment: the dashboard and the ledger exports. Unset (always on PGlite): those read `db`, see `readDb`.
   */
  replica?: Db;
  engine: Engine;
  close(): Promise<void>;
}

export const migrationsFolder = new URL('../../drizzle', import.meta.url).pathname;

/**
 * PGlite with its data directory on disk (or in memory when `dataDir` is undefined); `loadDataDir`: start from a
 * `dumpDataDir()` of another database instead of an empty one (the tests' migrated template).
 */
export async function openPglite(dataDir: string | undefined, opts: { loadDataDir?: Blob } = {}): Promise<Database> {
  let pgDir: string | undefined;
  if (dataDir) {
    pgDir = join(dataDir, 'pg');
    mkdirSync(pgDir, { recursive: true });
  }
  const client = await PGlite.create(pgDir ?? 'memory://', { extensions: { pg_trgm }, loadDataDir: opts.loadDataDir });
  const db = drizzlePglite({ client, schema }) as unknown as Db;
  return { db, engine: 'pglite', close: () => client.close() };
}

/**
 * Planner settings of every session the app opens. random_page_cost 1.1 instead of PostgreSQL's default 4 (which
 * assumes spinning disks): the records and indexes of a unit's subtree are in memory or on SSD, and with 4 the
 * planner reads all 90,000 tasks of a province to count the 660 of one county instead of probing the unit index
 * (bench/dashboard.ts: a county of the province 283 → 96 ms p95, BENCHMARKS.md). A server-wide setting, if the DBA has
 * one, is overridden for our sessions only.
 */
const SESSION_OPTIONS = '-c random_page_cost=1.1';

function pgPool(config: pg.PoolConfig): pg.Pool {
  const pool = new pg.Pool({ ...config, options: [SESSION_OPTIONS, config.options].filter(Boolean).join(' ') });
  // an idle client's error (server restart) must not crash the process
  pool.on('error', (err) => console.error('[db] idle client error:', err.message));
  return pool;
}

/** PostgreSQL; with `replicaUrl`, a second pool on the replica whose sessions are read-only. */
export async function openPostgres(url: string, max = 10, replicaUrl?: string): Promise<Database> {
  const pool = pgPool({ connectionString: url, max });
  const db = drizzlePg({ client: pool, schema }) as unknown as Db;
  if (!replicaUrl) return { db, engine: 'postgres', close: () => pool.end() };
  // read-only even when the URL names a primary by mistake: a write through this handle fails instead of forking the data
  const replicaPool = pgPool({ connectionString: replicaUrl, max, options: '-c default_transaction_read_only=on' });
  const replica = drizzlePg({ client: replicaPool, schema }) as unknown as Db;
  return {
    db,
    replica,
    engine: 'postgres',
    close: async () => {
      await Promise.all([pool.end(), replicaPool.end()]);
    },
  };
}

/** The configured database; a replica only with PostgreSQL (`replicaUrl` is ignored on PGlite). */
export async function openDatabase(opts: {
  databaseUrl?: string;
  dataDir?: string;
  replicaUrl?: string;
  pgPoolSize?: number;
}): Promise<Database> {
  return opts.databaseUrl ? openPostgres(opts.databaseUrl, opts.pgPoolSize ?? 10, opts.replicaUrl) : openPglite(opts.dataDir);
}

/** The handle for lag-tolerant reads (dashboard, ledger exports): the replica, or the primary when there is none. */
export function readDb(database: Database): Db {
  return database.replica ?? database.db;
}

/** A warning about the replica when it is not a server in recovery (or cannot be reached); null when all is well. */
export async function checkReplica(database: Database): Promise<string | null> {
  if (!database.replica) return null;
  try {
    const [row] = await rowsOf<{ inRecovery: boolean }>(database.replica, sql`SELECT pg_is_in_recovery() AS "inRecovery"`);
    if (row?.inRecovery) return null;
    return 'DUTYLEDGER_REPLICA_URL names a server that is not in recovery (not a streaming replica): the dashboard and ledger exports read it anyway';
  } catch (err) {
    return `DUTYLEDGER_REPLICA_URL cannot be queried (${(err as Error).message}): the dashboard and ledger exports will fail until it can`;
  }
}

/**
 * Waits until the replica has replayed everything the primary had written when called (a server that is not
 * in recovery has nothing to replay). True at once without a replica; false when `timeoutMs` ran out first.
 */
export async function waitForReplica(database: Database, timeoutMs: number): Promise<boolean> {
  if (!database.replica) return true;
  const [primary] = await rowsOf<{ lsn: string }>(database.db, sql`SELECT pg_current_wal_lsn()::text AS lsn`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await rowsOf<{ caughtUp: boolean | null }>(
      database.replica,
      sql`SELECT NOT pg_is_in_recovery() OR pg_last_wal_replay_lsn() >= ${primary!.lsn}::pg_lsn AS "caughtUp"`,
    );
    if (row?.caughtUp) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function runMigrations(database: Database): Promise<void> {
  if (database.engine === 'pglite') {
    await migratePglite(database.db as never, { migrationsFolder });
  } else {
    await migratePg(database.db as never, { migrationsFolder });
  }
}

/** Rows of a raw SQL query; both drivers answer `execute` with `{ rows }` (node-postgres QueryResult, PGlite Results). */
export async function rowsOf<T = Record<string, unknown>>(db: Db, query: SQL): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

/**
 * Runs `fn` while this session holds the PostgreSQL session-level advisory lock on `key`
 * (`pg_try_advisory_lock(hashtext(key))`); resolves `{ locked: false }` without running `fn` when another
 * session holds it. On node-postgres the lock is taken on one connection checked out of the pool and held
 * for the whole of `fn` (which keeps using `db`, i.e. other pool connections), then unlocked; a connection
 * whose unlock failed is destroyed, since ending the session releases its locks. PGlite has a single session,
 * where the lock is reentrant and so excludes nothing: there, exclusion within the process is the caller's.
 * Needs session pooling if a connection pooler sits in front of PostgreSQL (see docs/deploy.md).
 */
export async function withAdvisoryTryLock<T>(
  db: Db,
  key: string,
  fn: () => Promise<T>,
): Promise<{ locked: true; value: T } | { locked: false }> {
  const client = (db as unknown as { $client?: unknown }).$client;
  if (client instanceof pg.Pool) {
    const conn = await client.connect();
    let locked: boolean;
    try {
      const { rows } = await conn.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [key]);
      locked = rows[0]?.ok === true;
    } catch (err) {
      conn.release(true);
      throw err;
    }
    if (!locked) {
      conn.release();
      return { locked: false };
    }
    // the connection sits idle while `fn` runs: a server restart would otherwise be an unhandled 'error' event
    // (the pool listens only on idle clients). The session, and so the lock, is gone then; `fn` carries on.
    const onError = (err: Error) => console.error(`[db] connection holding the lock ${key} failed:`, err.message);
    conn.on('error', onError);
    try {
      return { locked: true, value: await fn() };
    } finally {
      let unlocked = false;
      try {
        const { rows } = await conn.query<{ ok: boolean }>('SELECT pg_advisory_unlock(hashtext($1)) AS ok', [key]);
        unlocked = rows[0]?.ok === true;
      } catch (err) {
        console.error(`[db] advisory unlock of ${key} failed, closing its connection:`, (err as Error).message);
      }
      conn.off('error', onError);
      conn.release(!unlocked);
    }
  }
  if (client instanceof PGlite) {
    const [row] = await rowsOf<{ ok: boolean }>(db, sql`SELECT pg_try_advisory_lock(hashtext(${key})) AS ok`);
    if (!row?.ok) return { locked: false };
    try {
      return { locked: true, value: await fn() };
    } finally {
      await db.execute(sql`SELECT pg_advisory_unlock(hashtext(${key}))`);
    }
  }
  throw new Error('withAdvisoryTryLock needs a database handle (a pool or PGlite), not a transaction or a single client');
}
