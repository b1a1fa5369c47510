import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Me, PostSummary, RoleKey } from '@dutyledger/contracts';
import { and, asc, eq, ne, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../../db/client.js';
import { writeAudit } from '../audit.js';
import { type Actor, type Ctx, inTx } from '../context.js';
import { AppError, invalid } from '../errors.js';
import { loginLog, people, posts, sessions, units } from '../schema.js';
import { permissionsOf } from '../scope.js';
import { assertPasswordPolicy, dummyVerify, hashPassword, verifyPassword } from './password.js';

export const SESSION_COOKIE = 'dl_session';
const LAST_SEEN_RESOLUTION_MS = 30_000;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export interface ClientInfo {
  ip?: string;
  userAgent?: string;
}

export interface SessionRecord {
  idHash: string;
  csrfToken: string;
  actor: Actor;
  mustChangePassword: boolean;
}

async function logLogin(
  db: Db,
  row: { username: string; personId?: string | null; success: boolean; reason?: string },
  client: ClientInfo,
) {
  await db.insert(loginLog).values({
    username: row.username.slice(0, 64),
    personId: row.personId ?? null,
    success: row.success,
    reason: row.reason ?? null,
    ip: client.ip ?? null,
    userAgent: client.userAgent?.slice(0, 300) ?? null,
  });
}

/**
 * Checks the password and opens a new server-side session (a new id at every login: no fixation).
 * Failed attempts count toward the lockout; every attempt goes to the login log.
 */
export async function login(ctx: Ctx, input: { username: string; password: string }, client: ClientInfo): Promise<{ token: string }> {
  const { db, config } = ctx;
  const [person] = await db.select().from(people).where(eq(people.username, input.username)).limit(1);
  const badCredentials = new AppError('UNAUTHENTICATED', '用户名或密码错误');
  if (!person) {
    await dummyVerify(input.password);
    await logLogin(db, { username: input.username, success: false, reason: '用户不存在' }, client);
    throw badCredentials;
  }
  const now = new Date();
  if (person.lockedUntil && person.lockedUntil > now) {
    await logLogin(db, { username: input.username, personId: person.id, success: false, reason: '账户锁定中' }, client);
    throw new AppError('ACCOUNT_LOCKED', `登录失败次数过多，账户已锁定，请${config.lockoutMinutes}分钟后再试`);
  }
  const passwordOk = await verifyPassword(person.passwordHash, input.password);
  if (!passwordOk || !person.active) {
    const reason = person.active ? '密码错误' : '账户已停用';
    if (!passwordOk) {
      // count atomically: concurrent failures must not undercount
      const [row] = await db
        .update(people)
        .set({ failedLogins: sql`${people.failedLogins} + 1` })
        .where(eq(people.id, person.id))
        .returning({ failedLogins: people.failedLogins });
      if (row && row.failedLogins >= config.lockoutThreshold) {
        await db
          .update(people)
          .set({ failedLogins: 0, lockedUntil: new Date(now.getTime() + config.lockoutMinutes * 60_000) })
          .where(eq(people.id, person.id));
        await logLogin(db, { username: input.username, personId: person.id, success: false, reason: `${reason}，已锁定` }, client);
        throw new AppError('ACCOUNT_LOCKED', `连续${config.lockoutThreshold}次登录失败，账户已锁定${config.lockoutMinutes}分钟`);
      }
    }
    await logLogin(db, { username: input.username, personId: person.id, success: false, reason }, client);
    throw badCredentials;
  }
  const token = randomBytes(32).toString('base64url');
  const [firstPost] = await db
    .select({ id: posts.id })
    .from(posts)
    .where(eq(posts.personId, person.id))
    .orderBy(asc(posts.createdAt), asc(posts.id))
    .limit(1);
  await db.transaction(async (tx) => {
    await tx.update(people).set({ failedLogins: 0, lockedUntil: null }).where(eq(people.id, person.id));
    await tx.insert(sessions).values({
      idHash: sha256(token),
      personId: person.id,
      currentPostId: firstPost?.id ?? null,
      csrfToken: randomBytes(24).toString('base64url'),
      ip: client.ip ?? null,
      userAgent: client.userAgent?.slice(0, 300) ?? null,
    });
    await logLogin(tx as unknown as Db, { username: input.username, personId: person.id, success: true }, client);
  });
  return { token };
}

export async function logout(db: Db, token: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.idHash, sha256(token)));
}

/**
 * The queries every authenticated request runs, built once per database handle and sent as named prepared
 * statements: neither drizzle nor PostgreSQL parses them again, and one plan fits every caller (lookups by key).
 * bench/reads.ts: GET /api/auth/me 1,121 → 3,550 req/s together with helmet built once (BENCHMARKS.md "Read path").
 * Not for queries over a caller's subtree: a kept generic plan for a county's subtree is wrong for a province's.
 */
const preparedQueries = new WeakMap<Db, Map<unknown, unknown>>();
function prepared<T>(db: Db, build: (db: Db) => T): T {
  const byBuilder = preparedQueries.get(db) ?? new Map<unknown, unknown>();
  preparedQueries.set(db, byBuilder);
  if (!byBuilder.has(build)) byBuilder.set(build, build(db));
  return byBuilder.get(build) as T;
}

function sessionLookup(db: Db) {
  const root = alias(units, 'scope_root');
  return db
    .select({
      session: sessions,
      person: {
        id: people.id,
        username: people.username,
        displayName: people.displayName,
        active: people.active,
        must: people.mustChangePassword,
      },
      post: { id: posts.id, unitId: posts.unitId, scopeRootId: posts.scopeRootId, roles: posts.roles },
      rootPath: root.path,
    })
    .from(sessions)
    .innerJoin(people, eq(people.id, sessions.personId))
    .leftJoin(posts, eq(posts.id, sessions.currentPostId))
    .leftJoin(root, eq(root.id, posts.scopeRootId))
    .where(eq(sessions.idHash, sql.placeholder('idHash')))
    .limit(1)
    .prepare('dl_session_lookup');
}

/**
 * Resolves a session cookie to the actor. Expired (idle) sessions are deleted and answer SESSION_EXPIRED.
 */
export async function resolveSession(db: Db, token: string, idleMinutes: number): Promise<SessionRecord> {
  const idHash = sha256(token);
  const [row] = await prepared(db, sessionLookup).execute({ idHash });
  if (!row) throw new AppError('UNAUTHENTICATED');
  const now = Date.now();
  if (now - row.session.lastSeenAt.getTime() > idleMinutes * 60_000 || !row.person.active) {
    await db.delete(sessions).where(eq(sessions.idHash, idHash));
    throw new AppError('SESSION_EXPIRED');
  }
  if (now - row.session.lastSeenAt.getTime() > LAST_SEEN_RESOLUTION_MS) {
    await db
      .update(sessions)
      .set({ lastSeenAt: new Date(now) })
      .where(eq(sessions.idHash, idHash));
  }
  const actor: Actor = {
    personId: row.person.id,
    username: row.person.username,
    displayName: row.person.displayName,
    post:
      row.post?.id && row.rootPath
        ? {
            id: row.post.id,
            unitId: row.post.unitId,
            scopeRootId: row.post.scopeRootId,
            scopeRootPath: row.rootPath,
            roles: row.post.roles as RoleKey[],
          }
        : null,
  };
  return { idHash, csrfToken: row.session.csrfToken, actor, mustChangePassword: row.person.must };
}

export function csrfMatches(expected: string, given: string | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

function postSummaryLookup(db: Db) {
  const root = alias(units, 'scope_root');
  return db
    .select({
      id: posts.id,
      unitId: posts.unitId,
      unitName: units.name,
      scopeRootId: posts.scopeRootId,
      scopeRootName: root.name,
      title: posts.title,
      roles: posts.roles,
    })
    .from(posts)
    .innerJoin(units, eq(units.id, posts.unitId))
    .innerJoin(root, eq(root.id, posts.scopeRootId))
    .where(eq(posts.personId, sql.placeholder('personId')))
    .orderBy(asc(posts.createdAt), asc(posts.id))
    .prepare('dl_post_summaries');
}

export async function postSummaries(db: Db, personId: string): Promise<PostSummary[]> {
  const rows = await prepared(db, postSummaryLookup).execute({ personId });
  return rows.map((r) => ({ ...r, roles: r.roles as RoleKey[] }));
}

export async function describeMe(db: Db, session: SessionRecord): Promise<Me> {
  const { actor } = session;
  return {
    id: actor.personId,
    username: actor.username,
    displayName: actor.displayName,
    mustChangePassword: session.mustChangePassword,
    csrfToken: session.csrfToken,
    currentPostId: actor.post?.id ?? null,
    posts: await postSummaries(db, actor.personId),
    permissions: permissionsOf(actor),
  };
}

export async function switchPost(db: Db, session: SessionRecord, postId: string): Promise<void> {
  const [post] = await db
    .select({ id: posts.id })
    .from(posts)
    .where(and(eq(posts.id, postId), eq(posts.personId, session.actor.personId)))
    .limit(1);
  if (!post) throw invalid({ postId: '该职务不存在' });
  await db.update(sessions).set({ currentPostId: postId }).where(eq(sessions.idHash, session.idHash));
}

/** Changes one's own password; other sessions of the person are closed. */
export async function changePassword(
  ctx: Ctx,
  session: SessionRecord,
  input: { currentPassword: string; newPassword: string },
): Promise<void> {
  assertPasswordPolicy(input.newPassword);
  const personId = session.actor.personId;
  const [person] = await ctx.db.select().from(people).where(eq(people.id, personId)).limit(1);
  if (!person || !(await verifyPassword(person.passwordHash, input.currentPassword))) {
    throw invalid({ currentPassword: '当前密码不正确' });
  }
  if (input.currentPassword === input.newPassword) throw invalid({ newPassword: '新密码不能与当前密码相同' });
  const passwordHash = await hashPassword(input.newPassword);
  await inTx(ctx, async (tx) => {
    await tx.db
      .update(people)
      .set({ passwordHash, mustChangePassword: false, passwordChangedAt: new Date(), updatedAt: new Date() })
      .where(eq(people.id, personId));
    await tx.db.delete(sessions).where(and(eq(sessions.personId, personId), ne(sessions.idHash, session.idHash)));
    await writeAudit(tx, { action: 'password.change', entity: 'person', entityId: personId, after: { mustChangePassword: false } });
  });
}
