/**
 * The scope matrix: every /api route of the app must have a case here or in a module's `*.scope.ts`,
 * stating who owns the target and which outsiders are refused. The matrix test fails for a route
 * without a case, so a new route cannot ship without its scope test.
 *
 * The fixture: county root R; towns A and B (siblings); village A1 under A. Each of A, A1 and B has a
 * unit admin and a clerk; R has the three system roles and a unit admin (for global dictionaries).
 */
import type { Permission, RoleKey } from '@dutyledger/contracts';
import { buildPerson, buildRoot, buildUnit, type Client, type Harness, login } from './harness.js';

export const actorKeys = [
  'adminA',
  'clerkA',
  'adminA1',
  'clerkA1',
  'adminB',
  'clerkB',
  'sysAdmin',
  'secAdmin',
  'auditor',
  'auditorA1',
  'adminR',
  'leaderA',
  'inspectorA',
  'assessorA',
] as const;
export type ActorKey = (typeof actorKeys)[number];

export interface Fixture {
  h: Harness;
  units: { R: string; A: string; A1: string; B: string };
  people: Record<ActorKey, { id: string; username: string }>;
  as: Record<ActorKey, Client>;
  /** a fresh unit under `parent` (for cases that change it) */
  freshUnit(parent: 'R' | 'A' | 'A1' | 'B'): Promise<string>;
  /** a fresh person with one clerk post in `unit` */
  freshPerson(unit: 'A' | 'A1' | 'B', roles?: RoleKey[]): Promise<{ id: string; username: string }>;
}

export interface ScopeCase {
  /** who may do it (the request succeeds with `okStatus`, default 200) */
  owner: ActorKey;
  okStatus?: number;
  /**
   * The permission the route needs: the one its service checks before it lets the caller act (for a route that
   * reads the record first and then writes, the write one). One permission per route: where a service checks
   * several, the others only shape the answer (404 for a record the caller cannot read, attachments shown).
   * The generated role part places each role of `roleKeys` in the target unit and expects it let through iff
   * the permission table gives the role this permission. `null`: no permission decides, a relation alone does
   * (one's own inbox, the author's draft, the named reviewers): every role in the unit is refused; `relation` says why.
   */
  permission: Permission | null;
  relation?: string;
  /**
   * Roles for which a relation or a domain rule overturns the table's answer in the target unit, and why: the
   * generated part expects the opposite (refused where the table grants the permission, let through where not).
   */
  roleExcept?: Partial<Record<RoleKey, string>>;
  /** outsiders and the status each must get (403 unit-level action, 404 record) */
  denied: Partial<Record<ActorKey, 401 | 403 | 404>>;
  /**
   * How the generated part of the matrix (scope-matrix.test.ts) treats this case: it places the owner's roles
   * in the sibling, the child and the parent of the target unit (the owner's own unit unless `target` says
   * otherwise) and expects sibling and child refused, and a subtree-wide role in the parent let through.
   */
  around?: {
    /** the unit whose record or action it is, when not the owner's own (an owner acting from above) */
    target?: FixtureUnit;
    /** why the generated part does not apply: a dictionary every unit reads, a list filtered to the reach … */
    skip?: string;
    /** positions where a relation or a domain rule decides instead of the unit tree, and why */
    except?: Partial<Record<'sibling' | 'child' | 'parent', string>>;
  };
  /** builds a fresh request; called once per actor, so a mutating case gets a fresh target each time */
  request(fx: Fixture): Promise<{ url: string; body?: unknown }>;
}

/** Routes that act on the caller's own account only: no unit is involved. Say why. */
export interface SelfCase {
  self: string;
}

export type ScopeCases = Record<string, ScopeCase | SelfCase>;

export type FixtureUnit = 'R' | 'A' | 'A1' | 'B';

/** Where each fixture actor sits and which roles its one post has. */
export const actorSpecs: Record<ActorKey, { unit: FixtureUnit; roles: RoleKey[] }> = {
  adminA: { unit: 'A', roles: ['unitAdmin'] },
  clerkA: { unit: 'A', roles: ['clerk'] },
  adminA1: { unit: 'A1', roles: ['unitAdmin'] },
  clerkA1: { unit: 'A1', roles: ['clerk'] },
  adminB: { unit: 'B', roles: ['unitAdmin'] },
  clerkB: { unit: 'B', roles: ['clerk'] },
  sysAdmin: { unit: 'R', roles: ['sysAdmin'] },
  secAdmin: { unit: 'R', roles: ['secAdmin'] },
  auditor: { unit: 'R', roles: ['auditor'] },
  auditorA1: { unit: 'A1', roles: ['auditor'] },
  // the unit admin of the top unit: edits global dictionaries (meeting kinds)
  adminR: { unit: 'R', roles: ['unitAdmin'] },
  // a leader of A (subtree): approvals that belong to leaders (event filings)
  leaderA: { unit: 'A', roles: ['leader'] },
  // inspection and discipline (巡察/纪检) of A: signs rectification items off, records accountability
  inspectorA: { unit: 'A', roles: ['inspector'] },
  assessorA: { unit: 'A', roles: ['assessor'] },
};

export async function buildFixture(h: Harness): Promise<Fixture> {
  const R = (await buildRoot(h, '矩阵县委')).id;
  const A = (await buildUnit(h, R, 'A镇党委', '乡镇')).id;
  const A1 = (await buildUnit(h, A, 'A1村党支部', '村')).id;
  const B = (await buildUnit(h, R, 'B镇党委', '乡镇')).id;
  const unitsById = { R, A, A1, B };
  const people = {} as Fixture['people'];
  const as = {} as Fixture['as'];
  for (const key of actorKeys) {
    const spec = actorSpecs[key];
    people[key] = await buildPerson(h, { unitId: unitsById[spec.unit], roles: spec.roles, username: `m_${key}` });
    as[key] = await login(h, people[key].username);
  }
  let n = 0;
  return {
    h,
    units: unitsById,
    people,
    as,
    freshUnit: async (parent) => (await buildUnit(h, unitsById[parent], `临时单位${++n}`, '其他')).id,
    freshPerson: (unit, roles = ['clerk']) => buildPerson(h, { unitId: unitsById[unit], roles }),
  };
}
