import type { RoleKey } from '@dutyledger/contracts';
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';

export interface ActorPost {
  id: string;
  unitId: string;
  scopeRootId: string;
  /** materialized path of the scope root, for subtree checks in SQL */
  scopeRootPath: string;
  roles: RoleKey[];
}

/** Who is acting: a signed-in person and the post they act in now (the unit switcher picks it). */
export interface Actor {
  personId: string;
  username: string;
  displayName: string;
  post: ActorPost | null;
}

/** What every domain function receives: the database (or the open transaction), the actor, settings. */
export interface Ctx {
  db: Db;
  actor: Actor | null;
  config: Config;
  ip?: string;
  /** set inside `inTx`: runs `fn` once the outermost transaction has committed (never on rollback) */
  afterCommit?: (fn: () => void) => void;
  /**
   * set inside `inTx`: audit appends of the transaction, written as its last statements (see `writeAudit`), so
   * that the audit chain's lock is held from then to the commit only, not through the rest of the work
   */
  auditQueue?: ((db: Db) => Promise<void>)[];
}

/**
 * Runs `fn` in one transaction; everything written inside, the audit entry included, commits or rolls back
 * together. Side effects outside the database (webhook pushes) go through `ctx.afterCommit`, which runs
 * them after the outermost transaction has committed.
 */
export async function inTx<T>(ctx: Ctx, fn: (tx: Ctx) => Promise<T>): Promise<T> {
  if (ctx.afterCommit) {
    // a savepoint: audit entries queued inside it go if it rolls back
    const queue = ctx.auditQueue;
    const mark = queue?.length ?? 0;
    try {
      return await ctx.db.transaction((tx) => fn({ ...ctx, db: tx as unknown as Db }));
    } catch (err) {
      queue?.splice(mark);
      throw err;
    }
  }
  const pending: (() => void)[] = [];
  const afterCommit = (cb: () => void) => void pending.push(cb);
  const auditQueue: ((db: Db) => Promise<void>)[] = [];
  const result = await ctx.db.transaction(async (tx) => {
    const out = await fn({ ...ctx, db: tx as unknown as Db, afterCommit, auditQueue });
    for (const append of auditQueue.splice(0)) await append(tx as unknown as Db);
    return out;
  });
  for (const cb of pending) {
    try {
      cb();
    } catch (err) {
      console.error('[afterCommit]', err);
    }
  }
  return result;
}

/** The actor for work the system does itself (scheduler, CLI). */
export const systemActor: Actor = { personId: '', username: 'system', displayName: '系统', post: null };
