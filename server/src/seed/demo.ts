/**
 * `seed-demo`: builds the invented county 示范县 (≈60 units, ≈150 people) through the org service, so
 * that every unit and account has its audit entry. One transaction: either the whole county or nothing.
 *
 * The county is first planned (a pure, deterministic function: `planDemo`), then written (`seedDemo`),
 * so that `demoLogins()` can name the demo accounts again on a later start without the database.
 * Names and place names live in demo-data.ts.
 */
import { type RoleKey, roles as roleDefs, type UnitType } from '@dutyledger/contracts';
import { count } from 'drizzle-orm';
import { hashPassword } from '../core/auth/password.js';
import { type Actor, type Ctx, inTx, systemActor } from '../core/context.js';
import { units } from '../core/schema.js';
import { addPost } from '../modules/org/people.js';
import { createPersonUnchecked, createRootUnit } from '../modules/org/service.js';
import { createUnit } from '../modules/org/units.js';
import { BUREAUS, DEMO_PASSWORD, DEPARTMENTS, type DemoName, inventedNames, ROOT, SCHOOLS, TOWNS, titlesFor } from './demo-data.js';
import { seedDemoRecords } from './records.js';
import { ensureReferenceData } from './reference.js';

export { DEMO_PASSWORD } from './demo-data.js';

/** An account worth showing on the start screen. */
export interface DemoLogin {
  username: string;
  displayName: string;
  /** role labels, Chinese (系统管理员, 经办 …) */
  role: string;
  /** unit name, with the scope root when it differs */
  unit: string;
  note: string;
}

export interface PlannedUnit {
  key: number;
  parentKey: number | null;
  name: string;
  type: UnitType;
  sortOrder: number;
}

export interface PlannedPost {
  unitKey: number;
  scopeRootKey: number;
  title: string;
  roles: RoleKey[];
  /** a second post, granted after the account exists (as an administrator would): it sorts after the first */
  added?: boolean;
}

export interface PlannedPerson {
  username: string;
  displayName: string;
  posts: PlannedPost[];
}

export interface DemoPlan {
  units: PlannedUnit[];
  people: PlannedPerson[];
  logins: DemoLogin[];
}

export class DemoSeedRefused extends Error {}

/** The whole demo county, deterministic: the same plan on every call. */
export function planDemo(): DemoPlan {
  const unitList: PlannedUnit[] = [];
  const unit = (parentKey: number | null, name: string, type: UnitType, sortOrder: number): PlannedUnit => {
    const u = { key: unitList.length, parentKey, name, type, sortOrder };
    unitList.push(u);
    return u;
  };
  let order = 0;
  const root = unit(null, ROOT.name, ROOT.type, 0);
  const propaganda = unit(root.key, DEPARTMENTS.propaganda, '部门/科室', order++);
  const organization = unit(root.key, DEPARTMENTS.organization, '部门/科室', order++);
  const discipline = unit(root.key, DEPARTMENTS.discipline, '部门/科室', order++);
  const towns = TOWNS.map((t) => {
    const town = unit(root.key, t.name, t.type, order++);
    return { unit: town, children: t.children.map((c, i) => unit(town.key, c.name, c.type, i)) };
  });
  const bureaus = BUREAUS.map((b) => {
    const bureau = unit(root.key, b.name, '党组', order++);
    return { unit: bureau, children: b.sections.map((s, i) => unit(bureau.key, s, '部门/科室', i)) };
  });
  const education = bureaus.find((b) => b.unit.name === SCHOOLS.parent)!;
  for (const [i, name] of SCHOOLS.names.entries()) education.children.push(unit(education.unit.key, name, '学校', 10 + i));

  // ---- people: invented names, usernames `pinyin.pinyin01`
  const names = inventedNames();
  const taken = new Map<string, number>();
  const peopleList: PlannedPerson[] = [];
  const post = (u: PlannedUnit, title: string, roles: RoleKey[], scopeRoot: PlannedUnit = u): PlannedPost => ({
    unitKey: u.key,
    scopeRootKey: scopeRoot.key,
    title,
    roles,
  });
  const person = (posts: PlannedPost[], fixedUsername?: string): PlannedPerson => {
    const n = names.next().value as DemoName;
    const k = (taken.get(n.base) ?? 0) + 1;
    taken.set(n.base, k);
    const p = { username: fixedUsername ?? `${n.base}${String(k).padStart(2, '0')}`, displayName: n.displayName, posts };
    peopleList.push(p);
    return p;
  };
  const featured: { person: PlannedPerson; note: string }[] = [];
  const feature = (p: PlannedPerson, note: string) => featured.push({ person: p, note });

  // the three separated system roles (三员分立), at the root
  feature(person([post(root, '系统管理员', ['sysAdmin'])], 'admin'), '系统管理员：管理单位和账户');
  feature(person([post(root, '安全管理员', ['secAdmin'])], 'secadmin'), '安全管理员：授予角色、解锁账户');
  feature(person([post(root, '安全审计员', ['auditor'])], 'auditor'), '安全审计员：查看审计日志');

  // a secretary and a clerk in every unit; the committee's departments act for the whole county
  const countyWide = new Set([propaganda.key, organization.key, discipline.key]);
  const qingshan = towns[0]!;
  const firstSecretaryVillage = qingshan.children[qingshan.children.length - 1]!;
  const leaders = new Map<number, PlannedPerson>();
  const clerks = new Map<number, PlannedPerson>();
  for (const u of unitList) {
    const titles = titlesFor(u.type, u.name);
    const leaderRoles: RoleKey[] = u.key === discipline.key ? ['leader', 'inspector'] : ['leader'];
    const posts = [post(u, titles.leader, leaderRoles, countyWide.has(u.key) ? root : u)];
    // one person with two posts: the township secretary is also 第一书记 of one of its villages
    if (u.key === qingshan.unit.key) posts.push({ ...post(firstSecretaryVillage, '第一书记', ['leader']), added: true });
    leaders.set(u.key, person(posts));
    // DESIGN.md: the 宣传部 clerk runs the system for the county (scope root 县委)
    clerks.set(u.key, person([post(u, titles.clerk, ['clerk'], u.key === propaganda.key ? root : u)]));
  }

  // more staff of the committee and its departments
  person([post(root, '县委副书记', ['leader'])]);
  person([post(root, '县委副书记', ['leader'])]);
  person([post(propaganda, '常务副部长', ['leader'], root)]);
  person([post(propaganda, '网信办干事', ['clerk'], root)]);
  const countyAdmin = person([post(organization, '组织部信息管理员', ['unitAdmin'], root)]);
  const assessors = [0, 1, 2].map(() => person([post(organization, '考核办干部', ['assessor'], root)]));
  const inspectors = ['第一纪检监察室干部', '第二纪检监察室干部', '县委巡察办干部'].map((title) =>
    person([post(discipline, title, ['inspector'], root)]),
  );
  // deputy secretaries of every township, unit administrators of some townships and bureaus
  for (const t of towns) person([post(t.unit, '党委副书记', ['leader'])]);
  for (const t of towns.slice(0, 4)) person([post(t.unit, '党政办信息管理员', ['unitAdmin'])]);
  for (const b of bureaus.slice(0, 2)) person([post(b.unit, '信息管理员', ['unitAdmin'])]);

  feature(leaders.get(root.key)!, '县委书记：看全县');
  feature(clerks.get(propaganda.key)!, '宣传部经办：代县委办理');
  feature(countyAdmin, '组织部：全县单位管理员');
  feature(assessors[0]!, '组织部考核：范围全县');
  feature(inspectors[0]!, '纪委监委：范围全县');
  feature(leaders.get(qingshan.unit.key)!, `兼任${firstSecretaryVillage.name}第一书记（可切换单位）`);
  feature(leaders.get(qingshan.children[0]!.key)!, '社区书记');
  feature(clerks.get(qingshan.children[0]!.key)!, '社区经办');
  feature(clerks.get(education.unit.key)!, '局党组经办');
  feature(clerks.get(education.children[2]!.key)!, '学校经办');

  const logins = featured.map(({ person: p, note }) => {
    const first = p.posts[0]!;
    const u = unitList[first.unitKey]!;
    const scope = first.scopeRootKey !== first.unitKey ? `（范围：${unitList[first.scopeRootKey]!.name}）` : '';
    return {
      username: p.username,
      displayName: p.displayName,
      role: first.roles.map((r) => roleDefs[r].label).join('、'),
      unit: `${u.name}${scope}`,
      note,
    };
  });
  return { units: unitList, people: peopleList, logins };
}

/** The featured demo accounts (password DEMO_PASSWORD), as seedDemo creates them. */
export function demoLogins(): DemoLogin[] {
  return planDemo().logins;
}

/** An in-memory actor with one role at the root (no person behind it): the seed acts as the tree's administrator. */
function rootActor(rootId: string, role: RoleKey): Actor {
  return {
    ...systemActor,
    post: { id: '00000000-0000-0000-0000-000000000000', unitId: rootId, scopeRootId: rootId, scopeRootPath: `/${rootId}/`, roles: [role] },
  };
}

/** Seeds the demo county into an empty database; refuses when any unit exists. Returns the featured logins. */
export async function seedDemo(ctx: Ctx): Promise<DemoLogin[]> {
  const plan = planDemo();
  const passwordHash = await hashPassword(DEMO_PASSWORD); // once: argon2 per person would take minutes
  const added: { personId: string; post: PlannedPost }[] = [];
  const ids: string[] = [];
  await inTx(ctx, async (tx) => {
    const [existing] = await tx.db.select({ n: count() }).from(units);
    if ((existing?.n ?? 0) > 0) throw new DemoSeedRefused('数据库中已有单位，演示数据只能导入空数据库 (the database already has units)');

    const [rootPlan, ...rest] = plan.units;
    const root = await createRootUnit(tx, { name: rootPlan!.name, type: rootPlan!.type });
    ids[rootPlan!.key] = root.id;
    // the tree's creator: an in-memory system administrator of the root (no person behind it)
    const unitCtx: Ctx = { ...tx, actor: rootActor(root.id, 'sysAdmin') };
    for (const u of rest) {
      const created = await createUnit(unitCtx, { parentId: ids[u.parentKey!]!, name: u.name, type: u.type, sortOrder: u.sortOrder });
      ids[u.key] = created.id;
    }
    for (const p of plan.people) {
      const personId = await createPersonUnchecked(tx, {
        username: p.username,
        displayName: p.displayName,
        passwordHash,
        mustChangePassword: false,
        posts: p.posts
          .filter((x) => !x.added)
          .map((x) => ({ unitId: ids[x.unitKey]!, scopeRootId: ids[x.scopeRootKey]!, title: x.title, roles: x.roles })),
      });
      for (const x of p.posts) if (x.added) added.push({ personId, post: x });
    }
  });
  // in a later transaction, so that its created_at (now() of the transaction) comes after the first post's:
  // the first post is the one a login starts in. Granted by an in-memory unit administrator of the root.
  const grantor: Ctx = { ...ctx, actor: rootActor(ids[0]!, 'unitAdmin') };
  for (const { personId, post } of added) {
    await addPost(grantor, personId, {
      unitId: ids[post.unitKey]!,
      scopeRootId: ids[post.scopeRootKey]!,
      title: post.title,
      roles: post.roles,
    });
  }
  await ensureReferenceData(ctx);
  await seedDemoRecords(ctx);
  return plan.logins;
}
