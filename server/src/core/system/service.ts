/** The auditor's views: the audit log and the login log. Nobody else reads them (三员分立). */
import { and, count, desc, eq, gte, ilike, isNull, lte, or, type SQL } from 'drizzle-orm';
import { verifyAudit } from '../audit.js';
import type { Ctx } from '../context.js';
import { AppError, forbidden } from '../errors.js';
import { auditEntries, loginLog, units } from '../schema.js';
import { hasPermission, inScope, requireActor } from '../scope.js';
import { containsPattern } from '../search.js';

function requireAuditor(ctx: Ctx) {
  requireActor(ctx.actor);
  if (!hasPermission(ctx.actor, 'audit.read')) throw forbidden('只有安全审计员可以查看审计日志');
}

function parseDate(value: string | undefined, field: string): Date | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw new AppError('VALIDATION', undefined, { [field]: '日期格式不正确' });
  return d;
}

export async function listAuditEntries(
  ctx: Ctx,
  q: { page: number; pageSize: number; q?: string; action?: string; entity?: string; from?: string; to?: string },
) {
  requireAuditor(ctx);
  // entries about units outside the auditor's subtree stay hidden; entries without a unit (logins, accounts) are shown
  const conds: (SQL | undefined)[] = [];
  const from = parseDate(q.from, 'from');
  const to = parseDate(q.to, 'to');
  if (q.action) conds.push(eq(auditEntries.action, q.action));
  if (q.entity) conds.push(eq(auditEntries.entity, q.entity));
  if (from) conds.push(gte(auditEntries.at, from));
  if (to) conds.push(lte(auditEntries.at, to));
  if (q.q) conds.push(ilike(auditEntries.actorName, containsPattern(q.q)));
  const scope = inScope(ctx.actor, 'audit.read', auditEntries.unitId);
  const where = and(...conds, or(isNull(auditEntries.unitId), scope));
  const [{ total }] = (await ctx.db.select({ total: count() }).from(auditEntries).where(where)) as [{ total: number }];
  const rows = await ctx.db
    .select({ entry: auditEntries, unitName: units.name })
    .from(auditEntries)
    .leftJoin(units, eq(units.id, auditEntries.unitId))
    .where(where)
    .orderBy(desc(auditEntries.seq))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  return {
    items: rows.map(({ entry, unitName }) => ({
      seq: entry.seq,
      at: entry.at.toISOString(),
      actorId: entry.actorId,
      actorName: entry.actorName,
      unitId: entry.unitId,
      unitName,
      action: entry.action,
      entity: entry.entity,
      entityId: entry.entityId,
      before: entry.before,
      after: entry.after,
      hash: entry.hash,
    })),
    total,
    page: q.page,
    pageSize: q.pageSize,
  };
}

export async function verifyAuditChain(ctx: Ctx) {
  requireAuditor(ctx);
  return verifyAudit(ctx.db);
}

export async function listLoginLog(ctx: Ctx, q: { page: number; pageSize: number; q?: string; success?: 'true' | 'false' }) {
  requireAuditor(ctx);
  const conds: (SQL | undefined)[] = [];
  if (q.q) conds.push(ilike(loginLog.username, containsPattern(q.q)));
  if (q.success) conds.push(eq(loginLog.success, q.success === 'true'));
  const where = and(...conds);
  const [{ total }] = (await ctx.db.select({ total: count() }).from(loginLog).where(where)) as [{ total: number }];
  const rows = await ctx.db
    .select()
    .from(loginLog)
    .where(where)
    .orderBy(desc(loginLog.at))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  return { items: rows.map((r) => ({ ...r, at: r.at.toISOString() })), total, page: q.page, pageSize: q.pageSize };
}
