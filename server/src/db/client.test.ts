import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subtreePattern, underPath } from '../core/scope.js';
import { type Database, PreparingClient, rowsOf } from './client.js';
import { createTestDatabase, testEngine, testPgUrl } from './testing.js';

describe.runIf(testEngine === 'postgres')('PreparingClient (PostgreSQL)', () => {
  const open = async (maxNamedStatements?: number) => {
    const client = new PreparingClient({ connectionString: testPgUrl, maxNamedStatements });
    await client.connect();
    return client;
  };
  const prepared = async (client: PreparingClient) =>
    (await client.query('SELECT name, statement FROM pg_prepared_statements ORDER BY statement')).rows as {
      name: string;
      statement: string;
    }[];

  it('sends a parameterized statement as a named prepared statement, one per text and connection', async () => {
    const client = await open();
    try {
      expect((await client.query('SELECT $1::int + 1 AS n', [1])).rows).toEqual([{ n: 2 }]);
      expect((await client.query({ text: 'SELECT $1::int + 1 AS n' }, [41])).rows).toEqual([{ n: 42 }]);
      const rows = await prepared(client);
      expect(rows).toHaveLength(1);
      expect(rows[0]!.statement).toBe('SELECT $1::int + 1 AS n');
      expect(rows[0]!.name).toMatch(/^dl_[\w-]{27}$/);
    } finally {
      await client.end();
    }
  });

  it('leaves statements without parameters unnamed: a text of several statements still runs', async () => {
    const client = await open();
    try {
      await client.query('CREATE TEMP TABLE t (n int); INSERT INTO t VALUES (1), (2)');
      expect((await client.query('SELECT count(*)::int AS n FROM t')).rows).toEqual([{ n: 2 }]);
      expect(await prepared(client)).toEqual([]);
    } finally {
      await client.end();
    }
  });

  it('names at most maxNamedStatements texts per connection; later texts run unnamed, the named ones stay named', async () => {
    const client = await open(2);
    try {
      for (const k of [1, 2, 3, 4]) expect((await client.query(`SELECT $1::int * ${k} AS n`, [10])).rows).toEqual([{ n: 10 * k }]);
      expect((await client.query('SELECT $1::int * 1 AS n', [5])).rows).toEqual([{ n: 5 }]);
      expect((await prepared(client)).map((r) => r.statement)).toEqual(['SELECT $1::int * 1 AS n', 'SELECT $1::int * 2 AS n']);
    } finally {
      await client.end();
    }
  });

  it('a named statement that fails leaves the connection and the statement usable', async () => {
    const client = await open();
    try {
      await expect(client.query('SELECT 1 / $1::int AS n', [0])).rejects.toThrow(/division by zero/);
      expect((await client.query('SELECT 1 / $1::int AS n', [1])).rows).toEqual([{ n: 1 }]);
      await client.query('BEGIN');
      await expect(client.query('SELECT 1 / $1::int AS n', [0])).rejects.toThrow(/division by zero/);
      await client.query('ROLLBACK');
      expect((await client.query('SELECT 1 / $1::int AS n', [1])).rows).toEqual([{ n: 1 }]);
    } finally {
      await client.end();
    }
  });
});

describe('underPath: the subtree as a range on the path index', () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database?.close());

  const root = '/5c8e0f42-6d1a-4c7e-9a53-2b1f7d9e0a11/';
  const child = `${root}0d3b6a9e-71c2-4f85-b0e4-8a2c5d6f1e37/`;
  const paths = [
    root,
    child,
    `${child}f1e2d3c4-b5a6-4978-8899-aabbccddeeff/`,
    '/5c8e0f42-6d1a-4c7e-9a53-2b1f7d9e0a12/', // a sibling differing in the last character
    '/5c8e0f42-6d1a-4c7e-9a53-2b1f7d9e0a11', // the root's path without its slash
    '/5c8e0f42-6d1a-4c7e-9a53-2b1f7d9e0a110/', // the root's id followed by more characters
    '/5c8e0f42-6d1a-4c7e-9a53-2b1f7d9e0a11-/',
    '/',
  ];
  const values = sql.join(
    paths.map((p) => sql`(${p})`),
    sql`, `,
  );
  const select = async (where: (p: ReturnType<typeof sql>) => ReturnType<typeof sql>) =>
    (await rowsOf<{ p: string }>(database.db, sql`SELECT p FROM (VALUES ${values}) AS v(p) WHERE ${where(sql`p`)} ORDER BY p`)).map(
      (r) => r.p,
    );

  it('selects the unit at the path and everything below it, nothing else', async () => {
    expect(await select((p) => underPath(p, root))).toEqual([root, child, `${child}f1e2d3c4-b5a6-4978-8899-aabbccddeeff/`]);
    expect(await select((p) => underPath(p, child))).toEqual([child, `${child}f1e2d3c4-b5a6-4978-8899-aabbccddeeff/`]);
  });

  it('selects the same rows as LIKE on the subtree pattern, for every path as the root', async () => {
    for (const r of paths.filter((p) => p.endsWith('/'))) {
      expect(await select((p) => underPath(p, r)), r).toEqual(await select((p) => sql`${p} LIKE ${subtreePattern(r)}`));
    }
  });

  it('refuses a path that is not a unit path', () => {
    expect(() => underPath(sql`p`, '/no-slash')).toThrow(/not a unit path/);
  });
});
