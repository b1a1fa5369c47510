/**
 * Shared by the modules' ledger reads (each module's `ledger-reads.ts`): the unit and period a ledger is built for,
 * the SQL condition "this unit column lies in it", and keyset paging of a read.
 */
import { eq, like, type SQL, sql } from 'drizzle-orm';
import { units } from './schema.js';
import { subtreePattern } from './scope.js';

/** The unit (and, with includeSubtree, its subtree) and the period [from, to) a ledger is built for. */
export interface LedgerReadScope {
  unitId: string;
  unitPath: string;
  includeSubtree: boolean;
  from: Date;
  to: Date;
}

/** SQL: the unit in `column` is the ledger's unit, or lies in its subtree. */
export function unitsOf(column: Parameters<typeof eq>[0], s: LedgerReadScope): SQL {
  if (!s.includeSubtree) return eq(column, s.unitId);
  return sql`${column} IN (SELECT ${units.id} FROM ${units} WHERE ${like(units.path, subtreePattern(s.unitPath))})`;
}

/** Pages of a keyset read: `fetch(after)` returns up to pageSize rows after the given last row. */
export async function* keysetPages<R>(fetch: (after: R | null) => Promise<R[]>, pageSize: number): AsyncGenerator<R[]> {
  let after: R | null = null;
  for (;;) {
    const rows = await fetch(after);
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < pageSize) return;
    after = rows[rows.length - 1]!;
  }
}
