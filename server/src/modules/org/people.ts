/** People (user accounts) and their posts. A person is visible where one of their posts is in reach. */
import { type Permission, type Person, type Post, type RoleKey, roles as roleDefs } from '@dutyledger/contracts';
import { and, asc, count, eq, ilike, inArray, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { writeAudit } from '../../core/audit.js';
import { hashPassword, temporaryPassword } from '../../core/auth/password.js';
import { type Ctx, inTx } from '../../core/context.js';
import { AppError, conflict, forbidden, invalid, notFound } from '../../core/errors.js';
import { people, posts, sessions, units } from '../../core/schema.js';
import { canInUnit, hasPermission, inScope, requireActor, requireUnitPermission } from '../../core/scope.js';
import { containsPattern } from '../../core/search.js';
import type { Db } from '../../db/client.js';
import { isAncestorOrSelf } from './units.js';

type PersonRow = typeof people.$inferSelect;

export interface PostInput {
  unitId: string;
  scopeRootId?: string;
  title: string;
  roles: RoleKey[];
}

/** What the audit log keeps of a person: never the password hash. */
function auditView(p: PersonRow) {
  const { passwordHash: _omit, ...rest } = p;
  return rest;
}

async function postsOf(db: Db, personIds: string[]): Promise<Post[]> {
  if (personIds.length === 0) return [];
  const root = alias(units, 'scope_root');
  const rows = await db
    .select({
      id: posts.id,
      personId: posts.personId,
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
    .where(inArray(posts.personId, personIds))
    .orderBy(asc(posts.createdAt), asc(posts.id));
  return rows.map((r) => ({ ...r, roles: r.roles as RoleKey[] }));
}

function toPerson(p: PersonRow, personPosts: Post[]): Person {
  return {
    id: p.id,
    username: p.username,
    displayName: p.displayName,
    phone: p.phone,
    active: p.active,
    mustChangePassword: p.mustChangePassword,
    lockedUntil: p.lockedUntil && p.lockedUntil > new Date() ? p.lockedUntil.toISOString() : null,
    createdAt: p.createdAt.toISOString(),
    posts: personPosts.filter((x) => x.personId === p.id),
  };
}

/** A person's reach for the actor: 'none' (invisible), 'some' of their posts in reach, or 'all'. */
async function personReach(db: Db, ctx: Ctx, personId: string, perm: Permission): Promise<'none' | 'some' | 'all'> {
  const [row] = await db
    .select({ total: count(), inReach: sql<number>`count(*) FILTER (WHERE ${inScope(ctx.actor, perm, posts.unitId)})::int` })
    .from(posts)
    .where(eq(posts.personId, personId));
  if (!row || row.total === 0 || row.inReach === 0) return 'none';
  return row.inReach === row.total ? 'all' : 'some';
}

/** 404 when the person is not visible; 403 when visible but `perm` does not cover all of their posts. */
async function requirePersonAction(ctx: Ctx, personId: string, perm: Permission): Promise<PersonRow> {
  requireActor(ctx.actor);
  if ((await personReach(ctx.db, ctx, personId, 'person.read')) === 'none') throw notFound();
  if ((await personReach(ctx.db, ctx, personId, perm)) !== 'all') throw forbidden();
  const [row] = await ctx.db.select().from(people).where(eq(people.id, personId)).limit(1);
  if (!row) throw notFound();
  return row;
}

export async function getPerson(ctx: Ctx, id: string): Promise<Person> {
  requireActor(ctx.actor);
  if ((await personReach(ctx.db, ctx, id, 'person.read')) === 'none') throw notFound();
  const [row] = await ctx.db.select().from(people).where(eq(people.id, id));
  if (!row) throw notFound();
  return toPerson(row, await postsOf(ctx.db, [id]));
}

export interface PersonQuery {
  page: number;
  pageSize: number;
  q?: string;
  unitId?: string;
  role?: RoleKey;
  active?: 'true' | 'false';
}

export async function listPeople(ctx: Ctx, query: PersonQuery) {
  requireActor(ctx.actor);
  const postConds = [inScope(ctx.actor, 'person.read', posts.unitId)];
  if (query.unitId) postConds.push(eq(posts.unitId, query.unitId));
  if (query.role) postConds.push(sql`${query.role} = ANY(${posts.roles})`);
  const conds = [sql`EXISTS (SELECT 1 FROM ${posts} WHERE ${posts.personId} = ${people.id} AND ${and(...postConds)})`];
  if (query.active) conds.push(eq(people.active, query.active === 'true'));
  if (query.q) {
    const pattern = containsPattern(query.q);
    conds.push(or(ilike(people.displayName, pattern), ilike(people.username, pattern))!);
  }
  const where = and(...conds);
  const [{ total }] = (await ctx.db.select({ total: count() }).from(people).where(where)) as [{ total: number }];
  const rows = await ctx.db
    .select()
    .from(people)
    .where(where)
    .orderBy(asc(people.displayName), asc(people.id))
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize);
  const personPosts = await postsOf(
    ctx.db,
    rows.map((r) => r.id),
  );
  return { items: rows.map((r) => toPerson(r, personPosts)), total, page: query.page, pageSize: query.pageSize };
}

/**
 * Checks a post before it is granted: the actor may manage posts in the unit and in the scope root;
 * the scope root is the unit or one of its ancestors; system roles (三员分立) only by a security admin,
 * one system role per person and never together with business roles.
 */
async function checkPost(
  ctx: Ctx,
  input: PostInput,
  otherPostsRoles: RoleKey[][],
  field = 'post',
  perm: 'post.manage' | 'person.manage' = 'post.manage',
): Promise<Required<PostInput>> {
  const key = (k: string) => (field ? `${field}.${k}` : k);
  const scopeRootId = input.scopeRootId ?? input.unitId;
  await requireUnitPermission(ctx.db, ctx.actor, perm, input.unitId);
  if (!(await canInUnit(ctx.db, ctx.actor, perm, scopeRootId))) throw new AppError('FORBIDDEN', '管辖范围超出了您的权限');
  if (!(await isAncestorOrSelf(ctx.db, scopeRootId, input.unitId)))
    throw invalid({ [key('scopeRootId')]: '管辖范围须为所在单位或其上级单位' });
  const [unit] = await ctx.db.select({ active: units.active }).from(units).where(eq(units.id, input.unitId));
  if (!unit?.active) throw invalid({ [key('unitId')]: '所在单位已停用' });
  const roles = [...new Set(input.roles)];
  const system = roles.filter((r) => roleDefs[r].system);
  if (system.length > 0) {
    if (!hasPermission(ctx.actor, 'role.grantSystem'))
      throw new AppError('FORBIDDEN', '只有安全管理员可以授予系统管理员、安全管理员、安全审计员角色');
  }
  const all = [...otherPostsRoles.flat(), ...roles];
  const systemHeld = new Set(all.filter((r) => roleDefs[r].system));
  if (systemHeld.size > 1 || (systemHeld.size === 1 && all.some((r) => !roleDefs[r].system))) {
    throw invalid({ [key('roles')]: '三员分立：同一人员不能兼任不同的系统角色，也不能同时担任业务角色' });
  }
  return { unitId: input.unitId, scopeRootId, title: input.title, roles };
}

export async function createPerson(
  ctx: Ctx,
  input: { username: string; displayName: string; phone?: string; post: PostInput },
): Promise<{ person: Person; temporaryPassword: string }> {
  await requireUnitPermission(ctx.db, ctx.actor, 'person.manage', input.post.unitId);
  // an account is created with its first post (business roles only, unless a security admin creates it);
  // changing posts afterwards is post.manage (security admin, unit admin): 三员分立
  const post = await checkPost(ctx, input.post, [], 'post', 'person.manage');
  const [dup] = await ctx.db.select({ id: people.id }).from(people).where(eq(people.username, input.username)).limit(1);
  if (dup) throw new AppError('CONFLICT', '用户名已存在', { username: '用户名已存在' });
  const password = temporaryPassword();
  const passwordHash = await hashPassword(password);
  return inTx(ctx, async (tx) => {
    const [row] = await tx.db
      .insert(people)
      .values({
        username: input.username,
        displayName: input.displayName,
        phone: input.phone ?? null,
        passwordHash,
        mustChangePassword: true,
      })
      .returning();
    const [postRow] = await tx.db
      .insert(posts)
      .values({ personId: row!.id, ...post })
      .returning();
    await writeAudit(tx, {
      action: 'create',
      entity: 'person',
      entityId: row!.id,
      unitId: post.unitId,
      after: { ...auditView(row!), post: postRow },
    });
    return { person: toPerson(row!, await postsOf(tx.db, [row!.id])), temporaryPassword: password };
  });
}

export async function updatePerson(ctx: Ctx, id: string, patch: { displayName?: string; phone?: string | null }): Promise<Person> {
  await requirePersonAction(ctx, id, 'person.manage');
  return inTx(ctx, async (tx) => {
    const [before] = await tx.db.select().from(people).where(eq(people.id, id)).for('update');
    const [after] = await tx.db
      .update(people)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(people.id, id))
      .returning();
    await writeAudit(tx, { action: 'update', entity: 'person', entityId: id, before: auditView(before!), after: auditView(after!) });
    return toPerson(after!, await postsOf(tx.db, [id]));
  });
}

/** Resets to a temporary password the person must change at next login; their sessions end. */
export async function resetPassword(ctx: Ctx, id: string): Promise<{ person: Person; temporaryPassword: string }> {
  await requirePersonAction(ctx, id, 'person.manage');
  const password = temporaryPassword();
  const passwordHash = await hashPassword(password);
  return inTx(ctx, async (tx) => {
    const [after] = await tx.db
      .update(people)
      .set({ passwordHash, mustChangePassword: true, failedLogins: 0, lockedUntil: null, updatedAt: new Date() })
      .where(eq(people.id, id))
      .returning();
    await tx.db.delete(sessions).where(eq(sessions.personId, id));
    await writeAudit(tx, { action: 'password.reset', entity: 'person', entityId: id, after: { mustChangePassword: true } });
    return { person: toPerson(after!, await postsOf(tx.db, [id])), temporaryPassword: password };
  });
}

export async function setPersonActive(ctx: Ctx, id: string, active: boolean): Promise<Person> {
  await requirePersonAction(ctx, id, 'person.manage');
  if (!active && id === ctx.actor!.personId) throw conflict('不能停用自己的账户');
  return inTx(ctx, async (tx) => {
    const [before] = await tx.db.select().from(people).where(eq(people.id, id)).for('update');
    const [after] = await tx.db.update(people).set({ active, updatedAt: new Date() }).where(eq(people.id, id)).returning();
    if (!active) await tx.db.delete(sessions).where(eq(sessions.personId, id));
    await writeAudit(tx, {
      action: active ? 'activate' : 'deactivate',
      entity: 'person',
      entityId: id,
      before: auditView(before!),
      after: auditView(after!),
    });
    return toPerson(after!, await postsOf(tx.db, [id]));
  });
}

export async function unlockPerson(ctx: Ctx, id: string): Promise<Person> {
  await requirePersonAction(ctx, id, 'person.unlock');
  return inTx(ctx, async (tx) => {
    const [after] = await tx.db.update(people).set({ failedLogins: 0, lockedUntil: null }).where(eq(people.id, id)).returning();
    await writeAudit(tx, { action: 'unlock', entity: 'person', entityId: id, after: { lockedUntil: null } });
    return toPerson(after!, await postsOf(tx.db, [id]));
  });
}

function refuseSelf(ctx: Ctx, personId: string) {
  if (personId === ctx.actor!.personId) throw new AppError('FORBIDDEN', '不能修改自己的职务和角色');
}

async function rolesOfOtherPosts(db: Db, personId: string, exceptPostId?: string): Promise<RoleKey[][]> {
  const rows = await db.select({ id: posts.id, roles: posts.roles }).from(posts).where(eq(posts.personId, personId));
  return rows.filter((r) => r.id !== exceptPostId).map((r) => r.roles as RoleKey[]);
}

export async function addPost(ctx: Ctx, personId: string, input: PostInput): Promise<Person> {
  requireActor(ctx.actor);
  if ((await personReach(ctx.db, ctx, personId, 'person.read')) === 'none') throw notFound();
  refuseSelf(ctx, personId);
  const post = await checkPost(ctx, input, await rolesOfOtherPosts(ctx.db, personId), '');
  return inTx(ctx, async (tx) => {
    const [row] = await tx.db
      .insert(posts)
      .values({ personId, ...post })
      .returning();
    await writeAudit(tx, { action: 'create', entity: 'post', entityId: row!.id, unitId: post.unitId, after: row });
    return getPerson(tx, personId);
  });
}

async function loadPostForChange(ctx: Ctx, postId: string) {
  requireActor(ctx.actor);
  const [row] = await ctx.db.select().from(posts).where(eq(posts.id, postId)).limit(1);
  if (!row || !(await canInUnit(ctx.db, ctx.actor, 'person.read', row.unitId))) throw notFound();
  refuseSelf(ctx, row.personId);
  await requireUnitPermission(ctx.db, ctx.actor, 'post.manage', row.unitId);
  return row;
}

export async function updatePost(ctx: Ctx, postId: string, patch: Partial<PostInput>): Promise<Person> {
  const before = await loadPostForChange(ctx, postId);
  const merged: PostInput = {
    unitId: patch.unitId ?? before.unitId,
    scopeRootId: patch.scopeRootId ?? (patch.unitId ? undefined : before.scopeRootId),
    title: patch.title ?? before.title,
    roles: patch.roles ?? (before.roles as RoleKey[]),
  };
  const post = await checkPost(ctx, merged, await rolesOfOtherPosts(ctx.db, before.personId, postId), '');
  return inTx(ctx, async (tx) => {
    const [after] = await tx.db.update(posts).set(post).where(eq(posts.id, postId)).returning();
    await writeAudit(tx, { action: 'update', entity: 'post', entityId: postId, unitId: post.unitId, before, after });
    return getPerson(tx, before.personId);
  });
}

export async function removePost(ctx: Ctx, postId: string): Promise<Person> {
  const before = await loadPostForChange(ctx, postId);
  return inTx(ctx, async (tx) => {
    const [{ n }] = (await tx.db.select({ n: count() }).from(posts).where(eq(posts.personId, before.personId))) as [{ n: number }];
    if (n <= 1) throw conflict('每位人员至少保留一个职务；如不再使用请停用账户');
    await tx.db.update(sessions).set({ currentPostId: null }).where(eq(sessions.currentPostId, postId));
    await tx.db.delete(posts).where(eq(posts.id, postId));
    await writeAudit(tx, { action: 'delete', entity: 'post', entityId: postId, unitId: before.unitId, before });
    return getPerson(tx, before.personId);
  });
}

/** For the CLI: an account with a post, without scope checks (the caller is the operator). */
export async function createPersonUnchecked(
  ctx: Ctx,
  input: {
    username: string;
    displayName: string;
    passwordHash: string;
    mustChangePassword: boolean;
    phone?: string;
    posts: Required<PostInput>[];
  },
): Promise<string> {
  return inTx(ctx, async (tx) => {
    const [row] = await tx.db
      .insert(people)
      .values({
        username: input.username,
        displayName: input.displayName,
        phone: input.phone ?? null,
        passwordHash: input.passwordHash,
        mustChangePassword: input.mustChangePassword,
      })
      .returning();
    if (input.posts.length) await tx.db.insert(posts).values(input.posts.map((p) => ({ personId: row!.id, ...p })));
    await writeAudit(tx, {
      action: 'create',
      entity: 'person',
      entityId: row!.id,
      unitId: input.posts[0]?.unitId ?? null,
      after: auditView(row!),
    });
    return row!.id;
  });
}
