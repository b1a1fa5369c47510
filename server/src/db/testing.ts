/**
 * Test databases: a fresh, migrated database per test file, on the engine chosen by
 * DUTYLEDGER_TEST_ENGINE (`pglite`, the default, in memory; or `pg`: a new database on the PostgreSQL
 * server at DUTYLEDGER_TEST_PG_URL, dropped afterwards).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Database, openPglite, openPostgres, runMigrations } from './client.js';

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

/** An empty database without migrations (for restore tests), on the test engine. */
export async function createEmptyTestDatabase(): Promise<Database & { url?: string }> {
  if (testEngine === 'pglite') return openPglite(undefined);
  const name = `dl_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
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
  const database = await createEmptyTestDatabase();
  await runMigrations(database);
  return database;
}
