import { createHash, getHashes } from 'node:crypto';
import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../db/client.js';
import { NO_REGION } from '../db/distribution.js';
import type { Ctx } from './context.js';
import { auditEntries, units } from './schema.js';

export type HashAlgo = 'sha256' | 'sm3';
const GENESIS = '0'.repeat(64);
const CHAIN_LOCK = 7_202_611; // first key of the advisory lock that serializes appends to one chain

export function assertHashAvailable(algo: HashAlgo): void {
  if (!getHashes().includes(algo)) throw new Error(`audit hash ${algo} is not offered by this Node.js build`);
}

/** JSON with object keys sorted, so that the hash does not depend on key order (jsonb reorders keys). */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    return `{${Object.keys(obj)
      .filter((k) => obj[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Turns a record into plain JSON (dates → ISO strings) as it will read back from jsonb. */
export function toJson(value: unknown): unknown {
  return value === undefined || value === null ? null : JSON.parse(JSON.stringify(value));
}

interface HashedFields {
  at: Date;
  actorId: string | null;
  actorName: string | null;
  unitId: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
  prevHash: string;
}

export function entryHash(algo: HashAlgo, e: HashedFields): string {
  const payload = canonicalJson([
    e.prevHash,
    e.at.toISOString(),
    e.actorId,
    e.actorName,
    e.unitId,
    e.action,
    e.entity,
    e.entityId,
    e.before,
    e.after,
    e.ip,
  ]);
  return createHash(algo).update(payload, 'utf8').digest('hex');
}

export interface AuditInput {
  /** verb: create, update, delete, move, deactivate, login, transition:<from>-><to> … */
  action: string;
  entity: string;
  entityId?: string | null;
  unitId?: string | null;
  before?: unknown;
  after?: unknown;
}

/**
 * Appends one entry to the chain. Call it inside the transaction of the change it records (see `inTx`):
 * the entry and the change commit together or not at all. Inside `inTx` the append is queued and written as
 * the transaction's last statements (in call order): the chain is one sequence for the whole installation,
 * serialized by an advisory lock held to the commit, so it is taken as late as possible (the load run at the
 * deadline found writers waiting for it through the rest of each other's transactions).
 */
export async function writeAudit(ctx: Ctx, input: AuditInput): Promise<void> {
  if (ctx.auditQueue) {
    const { actor, ip, config } = ctx;
    ctx.auditQueue.push((db) => appendAudit({ db, actor, ip, config }, input));
    return;
  }
  await appendAudit(ctx, input);
}

/**
 * The chain of an entry: the region (the top unit's child) whose subtree holds its unit; '' for the top unit
 * and for entries without a unit. One chain per region lets the regions' writes append in parallel (one chain
 * for the installation serialized every audited write of a province: the load run at the deadline).
 *
 * Returns the chain with its lock taken (the two-key form: a space of its own, apart from the one-key locks
 * elsewhere). The lookup and the lock are one statement, so an audited write makes one round trip fewer; the
 * chain's last entry is read by the next statement, after the lock is held.
 */
async function lockChainOf(db: Db, unitId: string | null | undefined): Promise<string> {
  if (unitId) {
    const [row] = await rowsOf<{ chain: string }>(
      db,
      sql`SELECT c.chain, pg_advisory_xact_lock(${CHAIN_LOCK}, hashtext(c.chain))::text AS locked
        FROM (SELECT split_part(${units.path}, '/', 3) AS chain FROM ${units} WHERE ${units.id} = ${unitId}) c`,
    );
    if (row) return row.chain;
  }
  await db.execute(sql`SELECT pg_advisory_xact_lock(${CHAIN_LOCK}, hashtext(''))`);
  return '';
}

async function appendAudit(ctx: Pick<Ctx, 'db' | 'actor' | 'ip' | 'config'>, input: AuditInput): Promise<void> {
  const algo = ctx.config.auditHash;
  const chain = await lockChainOf(ctx.db, input.unitId);
  const last = await ctx.db
    .select({ hash: auditEntries.hash })
    .from(auditEntries)
    .where(eq(auditEntries.chain, chain))
    .orderBy(sql`${auditEntries.seq} DESC`)
    .limit(1);
  const fields: HashedFields = {
    at: new Date(),
    actorId: ctx.actor?.personId || null,
    actorName: ctx.actor ? ctx.actor.displayName : null,
    unitId: input.unitId ?? null,
    action: input.action,
    entity: input.entity,
    entityId: input.entityId ?? null,
    before: toJson(input.before),
    after: toJson(input.after),
    ip: ctx.ip ?? null,
    prevHash: last[0]?.hash ?? GENESIS,
  };
  await ctx.db.insert(auditEntries).values({ ...fields, regionId: chain || NO_REGION, algo, chain, hash: entryHash(algo, fields) });
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  brokenAt: number | null;
  reason: string | null;
}

/**
 * Walks every chain in order (entries of one chain by seq, each linking to the previous entry of its chain)
 * and reports the first entry, by seq, whose link or content does not verify. `checked`: the entries verified,
 * every chain up to its first broken entry.
 */
export async function verifyAudit(db: Db, batch = 2000): Promise<VerifyResult> {
  const chains = (await rowsOf<{ chain: string }>(db, sql`SELECT DISTINCT ${auditEntries.chain} AS chain FROM ${auditEntries}`)).map(
    (r) => r.chain,
  );
  let checked = 0;
  let broken: { seq: number; reason: string } | null = null;
  for (const chain of chains) {
    let prevHash = GENESIS;
    let lastSeq = 0;
    walk: for (;;) {
      const rows = await db
        .select()
        .from(auditEntries)
        .where(and(eq(auditEntries.chain, chain), gt(auditEntries.seq, lastSeq)))
        .orderBy(asc(auditEntries.seq))
        .limit(batch);
      if (rows.length === 0) break;
      for (const row of rows) {
        let reason: string | null = null;
        if (row.prevHash !== prevHash) reason = '与前一条记录的链接断开（前一条被删除或修改）';
        else if (entryHash(row.algo as HashAlgo, { ...row, before: row.before, after: row.after }) !== row.hash)
          reason = '记录内容与其哈希不符（记录被修改）';
        if (reason) {
          if (!broken || row.seq < broken.seq) broken = { seq: row.seq, reason };
          break walk;
        }
        prevHash = row.hash;
        lastSeq = row.seq;
        checked++;
      }
    }
  }
  return broken ? { ok: false, checked, brokenAt: broken.seq, reason: broken.reason } : { ok: true, checked, brokenAt: null, reason: null };
}
