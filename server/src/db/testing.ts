/**
 * Test databases: a fresh, migrated database per test file, on the engine chosen by
 * DUTYLEDGER_TEST_ENGINE (`pglite`, the default, in memory; or `pg`: a new database on the PostgreSQL
 * server at DUTYLEDGER_TEST_PG_URL, dropped afterwards).
 *
 * The migrations run once per test run, not once per file: `test/global-setup.ts` builds a migrated template
 * (`createTestTemplate`) and names it in DUTYLEDGER_TEST_TEMPLATE; each database starts as a copy of it (PGlite:
 * from the template's `dumpDataDir()` file; PostgreSQL: `CREATE DATABASE … TEMPLATE`). Without the variable (a
 * test run without the global setup) each database is migrated on its own, as before.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { type Database, openPglite, openPostgres, runMigrations } from './client.js';

export const TEMPLATE_ENV = 'DUTYLEDGER_TEST_TEMPLATE';

export const testEngine = (process.env.DUTYLEDGER_TEST_ENGINE ?? 'pglite') === 'pg' ? 'postgres' : 'pglite';
export const testPgUrl = process.env.DUTYLEDGER_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function adminQuery(sqlText: string): Promise<void> {
  const client = new pg.Client({ connectionString: testPgUrl });
  await client.connect();
  try {
    await client.query(sqlText);
  } finally {
    await client.end();
  }
}

/** An empty database without migrations (for restore tests), on the test engine; on PostgreSQL optionally a copy of `template`. */
export async function createEmptyTestDatabase(template?: string): Promise<Database & { url?: string }> {
  if (testEngine === 'pglite') return openPglite(undefined);
  const name = `dl_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(template ? `CREATE DATABASE ${name} TEMPLATE ${template}` : `CREATE DATABASE ${name}`);
  const database = await openPostgres(withDatabase(testPgUrl, name), 5);
  return {
    ...database,
    url: withDatabase(testPgUrl, name),
    close: async () => {
      await database.close();
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

export async function createTestDatabase(): Promise<Database & { url?: string }> {
  const template = process.env[TEMPLATE_ENV];
  if (!template) {
    const database = await createEmptyTestDatabase();
    await runMigrations(database);
    return database;
  }
  if (testEngine === 'pglite') return openPglite(undefined, { loadDataDir: new Blob([readFileSync(template)]) });
  return createEmptyTestDatabase(template);
}

/**
 * The migrated template of a test run, on the test engine: a PGlite data directory dumped to a file, or a
 * PostgreSQL database that nobody stays connected to (the condition for `CREATE DATABASE … TEMPLATE`). `ref` is
 * what DUTYLEDGER_TEST_TEMPLATE holds: the dump's path, or the template database's name.
 */
export async function createTestTemplate(): Promise<{ ref: string; drop(): Promise<void> }> {
  if (testEngine === 'pglite') {
    const database = await openPglite(undefined);
    try {
      await runMigrations(database);
      const client = (database.db as unknown as { $client: PGlite }).$client;
      const dump = await client.dumpDataDir('none');
      const dir = mkdtempSync(join(tmpdir(), 'dl-test-template-'));
      const file = join(dir, 'pgdata.tar');
      writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
      return { ref: file, drop: async () => rmSync(dir, { recursive: true, force: true }) };
    } finally {
      await database.close();
    }
  }
  const name = `dl_tpl_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const database = await openPostgres(withDatabase(testPgUrl, name), 1);
  try {
    await runMigrations(database);
  } finally {
    await database.close();
  }
  return { ref: name, drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
