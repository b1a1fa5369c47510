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

/** PGlite with its data directory on disk (or in memory when `dataDir` is undefined). */
export async function openPglite(dataDir: string | undefined): Promise<Database> {
  let pgDir: string | undefined;
  if (dataDir) {
    pgDir = join(dataDir, 'pg');
    mkdirSync(pgDir, { recursive: true });
  }
  const client = await PGlite.create(pgDir ?? 'memory://', { extensions: { pg_trgm } });
  const db = drizzlePglite({ client, schema }) as unknown as Db;
  return { db, engine: 'pglite', close: () => client.close() };
}

function pgPool(config: pg.PoolConfig): pg.Pool {
  const pool = new pg.Pool(config);
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
export async function openDatabase(opts: { databaseUrl?: string; dataDir?: string; replicaUrl?: string }): Promise<Database> {
  return opts.databaseUrl ? openPostgres(opts.databaseUrl, 10, opts.replicaUrl) : openPglite(opts.dataDir);
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
