/**
 * An `Actor` for a person without a session: the demo seed and tests act as real people through the same
 * domain functions the routes call. Sessions build theirs in auth/service.ts.
 */
import type { RoleKey } from '@dutyledger/contracts';
import { and, asc, eq, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import type { Actor } from './context.js';
import { people, posts, units } from './schema.js';

/** The person acting in `postId`, or in their first post when none is given. */
export async function actorOf(db: Db, personId: string, postId?: string): Promise<Actor> {
  const conds: SQL[] = [eq(posts.personId, personId)];
  if (postId) conds.push(eq(posts.id, postId));
  const [row] = await db
    .select({ post: posts, person: people, rootPath: units.path })
    .from(posts)
    .innerJoin(people, eq(people.id, posts.personId))
    .innerJoin(units, eq(units.id, posts.scopeRootId))
    .where(and(...conds))
    .orderBy(asc(posts.createdAt), asc(posts.id))
    .limit(1);
  if (!row) throw new Error(`person ${personId} has no such post`);
  return {
    personId,
    username: row.person.username,
    displayName: row.person.displayName,
    post: {
      id: row.post.id,
      unitId: row.post.unitId,
      scopeRootId: row.post.scopeRootId,
      scopeRootPath: row.rootPath,
      roles: row.post.roles as RoleKey[],
    },
  };
}

/** The first active person with a post in unit `unitName` holding `role` (the demo seed's way to pick an actor). */
export async function actorIn(db: Db, unitName: string, role: RoleKey): Promise<Actor> {
  const rows = await db
    .select({ personId: posts.personId, postId: posts.id, roles: posts.roles })
    .from(posts)
    .innerJoin(units, eq(units.id, posts.unitId))
    .innerJoin(people, eq(people.id, posts.personId))
    .where(and(eq(units.name, unitName), eq(people.active, true)))
    .orderBy(asc(people.username));
  const hit = rows.find((r) => (r.roles as RoleKey[]).includes(role));
  if (!hit) throw new Error(`no ${role} in ${unitName}`);
  return actorOf(db, hit.personId, hit.postId);
}
