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

export async function openPostgres(url: string, max = 10): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max });
  // an idle client's error (server restart) must not crash the process
  pool.on('error', (err) => console.error('[db] idle client error:', err.message));
  const db = drizzlePg({ client: pool, schema }) as unknown as Db;
  return { db, engine: 'postgres', close: () => pool.end() };
}

export async function openDatabase(opts: { databaseUrl?: string; dataDir?: string }): Promise<Database> {
  return opts.databaseUrl ? openPostgres(opts.databaseUrl) : openPglite(opts.dataDir);
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
