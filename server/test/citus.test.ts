/**
 * Citus readiness of the migrated schema, checked with Citus's own rules against the placement table
 * (server/src/db/distribution.ts):
 *   - every table is placed (distributed by region, or reference);
 *   - a distributed table has the distribution column, and its primary key and every unique constraint or
 *     unique index include it (Citus cannot enforce uniqueness across shards otherwise);
 *   - a foreign key between two distributed tables includes the distribution column on both sides, matched to
 *     each other (co-located rows only);
 *   - a reference table has no foreign key to a distributed table (Citus refuses it);
 *   - a coordinator-local table refers at most to reference and local tables, and no distributed or reference
 *     table refers to it.
 *
 * The schema meets them since migrations 0015–0021 (2026-12-03): the test asserts that no violation is found, so
 * a new table must be born Citus-ready (placed, keyed, its keys and foreign keys on region_id).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, rowsOf } from '../src/db/client.js';
import { DISTRIBUTION_COLUMN, type Placement, placement } from '../src/db/distribution.js';
import { createTestDatabase } from '../src/db/testing.js';

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

interface Catalog {
  tables: string[];
  columns: Map<string, Set<string>>;
  uniques: { table: string; name: string; primary: boolean; columns: string[]; expression: boolean }[];
  fks: { table: string; name: string; columns: string[]; refTable: string; refColumns: string[] }[];
}

async function readCatalog(db: Database['db']): Promise<Catalog> {
  const tables = (
    await rowsOf<{ t: string }>(
      db,
      sql`SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE '\\_\\_%' ORDER BY 1`,
    )
  ).map((r) => r.t);
  const columns = new Map<string, Set<string>>();
  for (const r of await rowsOf<{ t: string; c: string }>(
    db,
    sql`SELECT table_name AS t, column_name AS c FROM information_schema.columns WHERE table_schema = 'public'`,
  )) {
    if (!columns.has(r.t)) columns.set(r.t, new Set());
    columns.get(r.t)!.add(r.c);
  }
  const uniques = (
    await rowsOf<{ t: string; name: string; primary: boolean; cols: string[] | string; expr: boolean }>(
      db,
      sql`SELECT c.relname AS t, i.relname AS name, ix.indisprimary AS primary,
            ARRAY(SELECT a.attname::text FROM unnest(ix.indkey) WITH ORDINALITY k(attnum, n)
                  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum ORDER BY k.n) AS cols,
            (0 = ANY (ix.indkey::int2[]) OR ix.indexprs IS NOT NULL) AS expr
          FROM pg_index ix JOIN pg_class c ON c.oid = ix.indrelid JOIN pg_class i ON i.oid = ix.indexrelid
          JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'public' AND ix.indisunique ORDER BY 1, 2`,
    )
  ).map((r) => ({ table: r.t, name: r.name, primary: r.primary, columns: pgArray(r.cols), expression: r.expr }));
  const fks = (
    await rowsOf<{ t: string; name: string; cols: string[] | string; rt: string; rcols: string[] | string }>(
      db,
      sql`SELECT c.relname AS t, con.conname AS name, rc.relname AS rt,
            ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(attnum, n)
                  JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.n) AS cols,
            ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(attnum, n)
                  JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum ORDER BY k.n) AS rcols
          FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_class rc ON rc.oid = con.confrelid
          JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'public' AND con.contype = 'f' ORDER BY 1, 2`,
    )
  ).map((r) => ({ table: r.t, name: r.name, columns: pgArray(r.cols), refTable: r.rt, refColumns: pgArray(r.rcols) }));
  return { tables, columns, uniques, fks };
}

/** text[] arrives as an array from pg and as '{a,b}' from some drivers. */
function pgArray(v: string[] | string): string[] {
  if (Array.isArray(v)) return v;
  return v
    .replace(/^\{|\}$/g, '')
    .split(',')
    .filter(Boolean);
}

/** Every violation of Citus's rules, one line each, sorted. */
function citusViolations(cat: Catalog, place: Record<string, Placement> = placement): string[] {
  const out: string[] = [];
  const key = DISTRIBUTION_COLUMN;
  const isDistributed = (t: string) => place[t] === 'distributed';
  for (const t of cat.tables) {
    if (isDistributed(t) && !cat.columns.get(t)?.has(key)) out.push(`${t}: no ${key} column`);
  }
  for (const u of cat.uniques) {
    if (!isDistributed(u.table)) continue;
    if (u.expression || !u.columns.includes(key))
      out.push(
        `${u.table}: ${u.primary ? 'primary key' : `unique index ${u.name}`} (${u.columns.join(', ')}${u.expression ? ', expression' : ''}) lacks ${key}`,
      );
  }
  for (const f of cat.fks) {
    const from = place[f.table];
    const to = place[f.refTable];
    if (from === 'reference' && to === 'distributed')
      out.push(`${f.table} (${f.columns.join(', ')}) -> ${f.refTable}: reference table refers to a distributed table`);
    if (to === 'local' && from !== 'local')
      out.push(`${f.table} (${f.columns.join(', ')}) -> ${f.refTable}: ${from} table refers to a local table`);
    if (from === 'local' && to === 'distributed')
      out.push(`${f.table} (${f.columns.join(', ')}) -> ${f.refTable}: local table refers to a distributed table`);
    if (from === 'distributed' && to === 'distributed') {
      const i = f.columns.indexOf(key);
      if (i < 0 || f.refColumns[i] !== key)
        out.push(`${f.table} (${f.columns.join(', ')}) -> ${f.refTable}: foreign key between distributed tables not on ${key}`);
    }
  }
  return out.sort();
}

describe('Citus readiness of the schema', () => {
  it('every table is placed, and every placed table exists', async () => {
    const cat = await readCatalog(database.db);
    expect(
      cat.tables.filter((t) => !placement[t]),
      'add these tables to server/src/db/distribution.ts',
    ).toEqual([]);
    expect(
      Object.keys(placement).filter((t) => !cat.tables.includes(t)),
      'tables placed but not in the schema',
    ).toEqual([]);
  });

  it('the rules find what they should on a schema made for it (the checker itself)', () => {
    const cat: Catalog = {
      tables: ['units', 'tasks', 'meeting_kinds', 'sessions'],
      columns: new Map([
        ['units', new Set(['id', 'region_id'])],
        ['tasks', new Set(['id', 'unit_id', 'region_id'])],
        ['meeting_kinds', new Set(['id'])],
        ['sessions', new Set(['id_hash', 'task_id'])],
      ]),
      uniques: [
        { table: 'units', name: 'units_pkey', primary: true, columns: ['id', 'region_id'], expression: false },
        { table: 'tasks', name: 'tasks_pkey', primary: true, columns: ['id'], expression: false },
        { table: 'meeting_kinds', name: 'mk_pkey', primary: true, columns: ['id'], expression: false },
        { table: 'sessions', name: 'sessions_pkey', primary: true, columns: ['id_hash'], expression: false },
      ],
      fks: [
        { table: 'tasks', name: 'ok', columns: ['unit_id', 'region_id'], refTable: 'units', refColumns: ['id', 'region_id'] },
        { table: 'tasks', name: 'bad', columns: ['unit_id'], refTable: 'units', refColumns: ['id'] },
        { table: 'meeting_kinds', name: 'ref', columns: ['unit_id'], refTable: 'units', refColumns: ['id'] },
        { table: 'sessions', name: 'loc', columns: ['task_id'], refTable: 'tasks', refColumns: ['id'] },
        { table: 'tasks', name: 'toloc', columns: ['session_id'], refTable: 'sessions', refColumns: ['id_hash'] },
        { table: 'meeting_kinds', name: 'reftoloc', columns: ['session_id'], refTable: 'sessions', refColumns: ['id_hash'] },
      ],
    };
    expect(citusViolations(cat, { units: 'distributed', tasks: 'distributed', meeting_kinds: 'reference', sessions: 'local' })).toEqual([
      'meeting_kinds (session_id) -> sessions: reference table refers to a local table',
      'meeting_kinds (unit_id) -> units: reference table refers to a distributed table',
      'sessions (task_id) -> tasks: local table refers to a distributed table',
      'tasks (session_id) -> sessions: distributed table refers to a local table',
      'tasks (unit_id) -> units: foreign key between distributed tables not on region_id',
      'tasks: primary key (id) lacks region_id',
    ]);
  });

  it('the migrated schema breaks none of the rules', async () => {
    expect(citusViolations(await readCatalog(database.db)), 'make these tables Citus-ready (docs/deploy.md, Citus)').toEqual([]);
  });
});
