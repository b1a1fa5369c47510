/**
 * Generator of a province-size tree straight into the database (bulk SQL, not the API): a province
 * committee → cities → counties → townships → villages, ≈30,000 units with the default shape, plus tasks and
 * meetings spread over the last year, optionally ≈10 people per unit (ProvinceOptions), and an open half-year report window targeting every unit (half of them
 * submitted). Used by the dashboard benchmark (and the load test of the hardening issue). Deterministic in
 * shape; ids are random.
 */
import { sql } from 'drizzle-orm';
import { hashPassword } from '../server/src/core/auth/password.js';
import { type Ctx, systemActor } from '../server/src/core/context.js';
import { type Db, rowsOf } from '../server/src/db/client.js';
import { createPersonUnchecked } from '../server/src/modules/org/service.js';
import { ensureReferenceData } from '../server/src/seed/reference.js';

export interface ProvinceShape {
  cities: number;
  counties: number;
  towns: number;
  villages: number;
  tasksPerUnit: number;
  meetingsPerUnit: number;
}

export const defaultShape: ProvinceShape = { cities: 14, counties: 10, towns: 20, villages: 10, tasksPerUnit: 3, meetingsPerUnit: 2 };

/** Additions for the load test; the defaults keep what the dashboard benchmark has always generated. */
export interface ProvinceOptions {
  /**
   * People per unit (0 by default): one post each in their own unit (scope root = the unit), the first one the
   * unit's 书记 (leader), the others 干事 (clerk). All share one precomputed password hash (`password`).
   */
  peoplePerUnit?: number;
  /** when the generated report window closes (default: in 5 days) */
  windowClosesAt?: Date;
  /** whether half of the targets have already submitted (default true); false: nobody has started */
  halfSubmitted?: boolean;
}

export function unitCount(s: ProvinceShape): number {
  const c = s.cities;
  const k = c * s.counties;
  const t = k * s.towns;
  return 1 + c + k + t + t * s.villages;
}

/** Writes the tree and its records; returns the root's id and a leader of the root (password `password`). */
export async function generateProvince(
  ctx: Ctx,
  shape: ProvinceShape,
  password: string,
  options: ProvinceOptions = {},
): Promise<{ rootId: string; rootPath: string; leader: string; units: number; people: number }> {
  const { peoplePerUnit = 0, windowClosesAt, halfSubmitted = true } = options;
  const db: Db = ctx.db;
  await ensureReferenceData({ ...ctx, actor: systemActor });
  const [root] = await rowsOf<{ id: string; path: string }>(
    db,
    sql`
      WITH r AS (SELECT gen_random_uuid() AS id)
      INSERT INTO units (id, parent_id, name, type, path, depth, sort_order)
      SELECT id, NULL, '示范省委', '党委', '/' || id || '/', 0, 0 FROM r
      RETURNING id, path`,
  );
  if (!root) throw new Error('no root');
  const levels: [number, string, string][] = [
    [shape.cities, '市委', '党委'],
    [shape.counties, '县委', '党委'],
    [shape.towns, '镇党委', '乡镇'],
    [shape.villages, '村党支部', '村'],
  ];
  for (const [depth, [n, suffix, type]] of levels.entries()) {
    await db.execute(sql`
      INSERT INTO units (id, parent_id, name, type, path, depth, sort_order)
      SELECT g.id, p.id, p.name || '·' || g.n || ${suffix}, ${type}, p.path || g.id || '/', ${depth + 1}, g.n
      FROM units p, LATERAL (SELECT gen_random_uuid() AS id, n FROM generate_series(1, ${n}) n) g
      WHERE p.depth = ${depth} AND p.path LIKE ${`${root.path}%`}`);
  }
  // tasks from each unit's parent, deadlines spread over the year: about a third done, some overdue
  await db.execute(sql`
    INSERT INTO tasks (region_id, unit_id, assigner_unit_id, title, deadline, state, done_at, created_at)
    SELECT dl_region(u.id), u.id, u.parent_id, '生成任务' || n,
      now() + (((((hashtext(u.id::text) + n * 97) % 300) + 300) % 300 - 200) || ' days')::interval,
      CASE WHEN (hashtext(u.id::text) + n) % 3 = 0 THEN 'done' WHEN (hashtext(u.id::text) + n) % 3 = 1 THEN 'inProgress' ELSE 'todo' END,
      CASE WHEN (hashtext(u.id::text) + n) % 3 = 0 THEN now() - (((hashtext(u.id::text) + n) % 330 + 330) % 330 || ' days')::interval END,
      now() - interval '365 days'
    FROM units u, generate_series(1, ${shape.tasksPerUnit}) n
    WHERE u.parent_id IS NOT NULL AND u.path LIKE ${`${root.path}%`}`);
  await db.execute(sql`
    INSERT INTO meetings (region_id, unit_id, kind_id, held_at, topic, tags, created_at)
    SELECT dl_region(u.id), u.id, k.id, now() - ((((hashtext(u.id::text) + n * 131) % 360 + 360) % 360) || ' days')::interval,
      '生成会议' || n, ARRAY['意识形态'], now()
    FROM units u, generate_series(1, ${shape.meetingsPerUnit}) n, (SELECT id FROM meeting_kinds ORDER BY sort LIMIT 1) k
    WHERE u.path LIKE ${`${root.path}%`}`);
  // the half-year work report window of the province, open to every unit; half of them have submitted
  await db.execute(sql`
    WITH w AS (
      INSERT INTO report_windows (unit_id, kind, title, period_kind, period_year, period_index, period_key, template_id,
        target, opens_at, closes_at)
      SELECT ${root.id}, 'halfYear', '生成半年工作报告', 'halfYear', 2026, 2, '2026-H2', t.id,
        '{"kind":"subtree"}'::jsonb, now() - interval '20 days',
        ${windowClosesAt ? sql`${windowClosesAt.toISOString()}::timestamptz` : sql`now() + interval '5 days'`}
      FROM (SELECT id FROM report_templates ORDER BY created_at LIMIT 1) t
      RETURNING id
    ), tg AS (
      INSERT INTO report_window_targets (region_id, window_id, unit_id)
      SELECT split_part(u.path, '/', 3)::uuid, w.id, u.id FROM w, units u WHERE u.parent_id IS NOT NULL AND u.path LIKE ${`${root.path}%`}
      RETURNING region_id, window_id, unit_id
    )
    INSERT INTO report_submissions (region_id, window_id, unit_id, state, first_submitted_at, submitted_at)
    SELECT region_id, window_id, unit_id, 'submitted', now() - interval '2 days', now() - interval '2 days'
    FROM tg WHERE ${halfSubmitted} AND hashtext(unit_id::text) % 2 = 0`);
  if (peoplePerUnit > 0) {
    // ≈10 people per unit in one statement each for people and posts, one hash for all (argon2 is slow on purpose)
    const passwordHash = await hashPassword(password);
    await db.execute(sql`
      INSERT INTO people (id, username, display_name, password_hash, must_change_password)
      SELECT gen_random_uuid(), 'p' || replace(u.id::text, '-', '') || '_' || n,
        CASE WHEN n = 1 THEN '书记' ELSE '干事' || n END || '·' || u.sort_order, ${passwordHash}, false
      FROM units u, generate_series(1, ${peoplePerUnit}) n
      WHERE u.path LIKE ${`${root.path}%`}`);
    await db.execute(sql`
      INSERT INTO posts (person_id, unit_id, scope_root_id, title, roles)
      SELECT p.id, u.id, u.id, CASE WHEN n = 1 THEN '书记' ELSE '干事' END,
        CASE WHEN n = 1 THEN ARRAY['leader'] ELSE ARRAY['clerk'] END
      FROM units u CROSS JOIN generate_series(1, ${peoplePerUnit}) n
        JOIN people p ON p.username = 'p' || replace(u.id::text, '-', '') || '_' || n
      WHERE u.path LIKE ${`${root.path}%`}`);
  }
  await db.execute(sql`ANALYZE`);
  const leader = `province_leader_${Date.now()}`;
  await createPersonUnchecked(ctx, {
    username: leader,
    displayName: '省委书记',
    passwordHash: await hashPassword(password),
    mustChangePassword: false,
    posts: [{ unitId: root.id, scopeRootId: root.id, title: '书记', roles: ['leader'] }],
  });
  return { rootId: root.id, rootPath: root.path, leader, units: unitCount(shape), people: unitCount(shape) * peoplePerUnit + 1 };
}
