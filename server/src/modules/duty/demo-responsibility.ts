/**
 * Demo data of the responsibility part of the duty module, on a database already holding the demo county
 * (server/src/seed/demo-data.ts): the county committee's leading group (with one past member) and
 * assignments, five towns with their roles filled and three left with vacancies, the education bureau and
 * its sections, and the towns' responsibility letters: this year five signed (with a scan), two drafts, one
 * not started; last year all signed but one left unsigned (late). Everything goes through the domain functions, acting as an in-memory unit
 * administrator of the county (no person behind it).
 */
import { Readable } from 'node:stream';
import type { GroupRole } from '@dutyledger/contracts';
import { and, eq, isNull } from 'drizzle-orm';
import { uploadAttachment } from '../../core/attachments/service.js';
import { type Ctx, systemActor } from '../../core/context.js';
import { people, posts, units } from '../../core/schema.js';
import { BUREAUS, DEPARTMENTS, ROOT, SCHOOLS, TOWNS } from '../../seed/demo-data.js';
import { createAssignment } from './assignments.js';
import { addGroupMember, endGroupMember, setGroupOffice, today } from './groups.js';
import { createLetter, transitionLetter } from './letters.js';

/** A minimal PDF standing in for a scanned, signed letter. */
const scanPdf = (title: string) =>
  Buffer.from(
    `%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Title (${title}) >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n`,
    'latin1',
  );

export async function seedDemoResponsibility(ctx: Ctx): Promise<void> {
  const [root] = await ctx.db
    .select()
    .from(units)
    .where(and(eq(units.name, ROOT.name), isNull(units.parentId)))
    .limit(1);
  if (!root) throw new Error(`demo county not found: ${ROOT.name}`);
  const admin: Ctx = {
    ...ctx,
    actor: {
      ...systemActor,
      post: {
        id: '00000000-0000-0000-0000-000000000000',
        unitId: root.id,
        scopeRootId: root.id,
        scopeRootPath: root.path,
        roles: ['unitAdmin'],
      },
    },
  };

  const unitId = async (name: string, parentId: string = root.id): Promise<string> => {
    const [u] = await ctx.db
      .select({ id: units.id })
      .from(units)
      .where(and(eq(units.name, name), eq(units.parentId, parentId)))
      .limit(1);
    if (!u) throw new Error(`demo unit not found: ${name}`);
    return u.id;
  };
  /** The people holding a post titled `title` in the unit, in creation order. */
  const holders = async (uid: string, title: string): Promise<string[]> => {
    const rows = await ctx.db
      .select({ id: people.id })
      .from(posts)
      .innerJoin(people, eq(people.id, posts.personId))
      .where(and(eq(posts.unitId, uid), eq(posts.title, title)))
      .orderBy(posts.createdAt, people.username);
    return rows.map((r) => r.id);
  };
  const one = async (uid: string, title: string): Promise<string> => {
    const [id] = await holders(uid, title);
    if (!id) throw new Error(`demo person not found: ${title}`);
    return id;
  };
  const now = today();
  const notAfterToday = (d: string) => (d > now ? now : d);
  const year = Number(now.slice(0, 4));
  const jan = notAfterToday(`${year}-01-05`);

  // ---- the county committee
  const propaganda = await unitId(DEPARTMENTS.propaganda);
  const organization = await unitId(DEPARTMENTS.organization);
  const discipline = await unitId(DEPARTMENTS.discipline);
  const secretary = await one(root.id, '县委书记');
  const [deputy1, deputy2] = await holders(root.id, '县委副书记');
  const propagandaHead = await one(propaganda, '部长');
  const organizationHead = await one(organization, '部长');
  const disciplineHead = await one(discipline, '书记');
  // one query at a time: the seed runs in a transaction, which is one connection (pg warns on concurrent queries)
  const towns: { name: string; id: string }[] = [];
  for (const t of TOWNS) towns.push({ name: t.name, id: await unitId(t.name) });

  await setGroupOffice(admin, root.id, { officeUnitId: propaganda });
  const member = (uid: string, personId: string, role: GroupRole, fromDate = jan) =>
    addGroupMember(admin, uid, { personId, role, fromDate });
  // history: last year's group had the second deputy secretary as a member; they left in March
  const past = await member(root.id, deputy2!, 'member', `${year - 1}-01-10`);
  await endGroupMember(admin, past.id, { toDate: `${year}-03-01` });
  await member(root.id, secretary, 'head', `${year - 1}-01-10`);
  await member(root.id, propagandaHead, 'deputyHead');
  await member(root.id, deputy1!, 'deputyHead');
  await member(root.id, organizationHead, 'member');
  await member(root.id, disciplineHead, 'member');

  const assign = (uid: string, body: Parameters<typeof createAssignment>[2]) => createAssignment(admin, uid, body);
  const base = { areas: [], chargeUnitIds: [], contactPoints: [], note: '', fromDate: jan };
  await assign(root.id, { ...base, kind: 'principal', bodyName: ROOT.name });
  await assign(root.id, { ...base, kind: 'first', personId: secretary });
  await assign(root.id, { ...base, kind: 'direct', personId: propagandaHead, note: '县委常委、宣传部部长' });
  await assign(root.id, {
    ...base,
    kind: 'dual',
    personId: deputy1!,
    areas: ['政法', '网络安全和信息化'],
    chargeUnitIds: [towns[0]!.id, towns[1]!.id, towns[2]!.id, towns[3]!.id],
    contactPoints: ['青山镇上坪村'],
  });
  await assign(root.id, {
    ...base,
    kind: 'dual',
    personId: propagandaHead,
    areas: ['宣传思想文化', '精神文明建设'],
    chargeUnitIds: [propaganda, towns[4]!.id, towns[5]!.id],
    contactPoints: ['东湖乡荷塘村'],
  });
  await assign(root.id, { ...base, kind: 'dual', personId: disciplineHead, areas: ['党风廉政建设'], chargeUnitIds: [discipline] });
  // the organization head's charge is not written down yet: the page warns of it
  await assign(root.id, { ...base, kind: 'dual', personId: organizationHead });

  // ---- towns: five with their roles filled, three left with vacancies (warnings)
  for (const town of towns.slice(0, 5)) {
    const head = await one(town.id, '党委书记');
    const [deputy] = await holders(town.id, '党委副书记');
    await setGroupOffice(admin, town.id, { officeText: '党政办' });
    await member(town.id, head, 'head');
    if (deputy) await member(town.id, deputy, 'deputyHead');
    await assign(town.id, { ...base, kind: 'principal', bodyName: `中共${town.name.replace(/党委$/, '')}委员会` });
    await assign(town.id, { ...base, kind: 'first', personId: head });
    if (deputy) {
      await assign(town.id, { ...base, kind: 'direct', personId: deputy });
      await assign(town.id, {
        ...base,
        kind: 'dual',
        personId: deputy,
        areas: ['宣传思想文化', '网络意识形态'],
        contactPoints: ['镇文化站'],
      });
    }
  }
  const lateTown = towns[5]!;
  await assign(lateTown.id, { ...base, kind: 'first', personId: await one(lateTown.id, '党委书记') });

  // ---- the education bureau and its sections (职能部门责任清单)
  const education = await unitId(SCHOOLS.parent);
  const bureauHead = await one(education, '党组书记');
  await setGroupOffice(admin, education, { officeUnitId: await unitId('办公室', education) });
  await member(education, bureauHead, 'head');
  await assign(education, { ...base, kind: 'principal', bodyName: '中共示范县教育局党组' });
  await assign(education, { ...base, kind: 'first', personId: bureauHead });
  const sections = BUREAUS.find((b) => b.name === SCHOOLS.parent)!.sections;
  const sectionIds: string[] = [];
  for (const s of sections) sectionIds.push(await unitId(s, education));
  await assign(education, { ...base, kind: 'direct', personId: bureauHead, note: '党组书记兼任（待明确分管领导）' });
  await assign(education, { ...base, kind: 'dual', personId: bureauHead, areas: ['思想政治教育'], chargeUnitIds: sectionIds });
  for (const [i, sid] of sectionIds.entries()) {
    await assign(sid, { ...base, kind: 'first', personId: await one(sid, sections[i] === '办公室' ? '办公室主任' : '股长') });
  }

  const scanOf = (unitId: string, name: string) =>
    uploadAttachment(admin, {
      unitId,
      fileName: `${name}.pdf`,
      stream: Readable.from([scanPdf(`${unitId}-${name.slice(0, 4)}`)]),
      truncated: () => false,
    });

  // ---- last year's letters: all signed but one, which was never signed (late)
  for (const [i, town] of towns.entries()) {
    const signer = await one(town.id, '党委书记');
    const letter = await createLetter(admin, { unitId: town.id, year: year - 1, upperSignerPersonId: secretary, signerPersonId: signer });
    if (i === 6) continue;
    const scan = await scanOf(town.id, `${year - 1}年度意识形态工作责任状（${town.name}）`);
    await transitionLetter(admin, letter.id, 'sign', {
      signedDate: `${year - 1}-02-${String(10 + i).padStart(2, '0')}`,
      attachmentIds: [scan.id],
    });
  }

  // ---- this year's letters: the county secretary signs with each town's secretary
  for (const [i, town] of towns.entries()) {
    if (i === 7) break; // the last town: 未发起
    const signer = await one(town.id, '党委书记');
    const letter = await createLetter(admin, { unitId: town.id, year, upperSignerPersonId: secretary, signerPersonId: signer });
    if (i >= 5) continue; // two drafts: 未签订
    const scan = await scanOf(town.id, `${year}年度意识形态工作责任状（${town.name}）`);
    await transitionLetter(admin, letter.id, 'sign', {
      signedDate: notAfterToday(`${year}-02-${String(10 + i).padStart(2, '0')}`),
      attachmentIds: [scan.id],
    });
  }
}
