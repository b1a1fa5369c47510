/**
 * Demo data of the study part of the meetings module, on a database already holding the demo county
 * (server/src/seed/demo-data.ts): a few meetings with resolutions (one turned into a task, one entered late:
 * 补录), study notes linked to a study session, one of them read (调阅) with a comment.
 * Everything goes through the domain functions, acting as the county's real (demo) people.
 */
import type { RoleKey } from '@dutyledger/contracts';
import { and, arrayContains, asc, eq, inArray } from 'drizzle-orm';
import type { Actor, Ctx } from '../../core/context.js';
import { people, posts, units } from '../../core/schema.js';
import { createMeeting } from './meetings.js';
import { createResolutionTask } from './resolutions.js';
import { meetingKinds } from './schema.js';
// via service.js: the integrator may move the kind seeding elsewhere and keep this export
import { ensureMeetingKinds } from './service.js';
import { createStudyNote, readStudyNote } from './studyNotes.js';

const DAY = 86_400_000;
const daysAgo = (n: number, hour = 9) => {
  const d = new Date(Date.now() - n * DAY);
  d.setUTCHours(hour - 8, 30, 0, 0); // hour in Asia/Shanghai
  return d.toISOString();
};
const inDays = (n: number) => new Date(Date.now() + n * DAY).toISOString();

/** People holding a post with `role` in the unit named `unitName`, as actors in that post (oldest first). */
async function actorsIn(ctx: Ctx, unitName: string, role: RoleKey): Promise<(Actor & { title: string })[]> {
  const rows = await ctx.db
    .select({ post: posts, person: people, rootPath: units.path })
    .from(posts)
    .innerJoin(people, eq(people.id, posts.personId))
    .innerJoin(units, eq(units.id, posts.scopeRootId))
    .where(
      and(
        inArray(posts.unitId, ctx.db.select({ id: units.id }).from(units).where(eq(units.name, unitName))),
        arrayContains(posts.roles, [role]),
      ),
    )
    .orderBy(asc(posts.createdAt), asc(people.username));
  return rows.map((r) => ({
    personId: r.person.id,
    username: r.person.username,
    displayName: r.person.displayName,
    title: r.post.title,
    post: {
      id: r.post.id,
      unitId: r.post.unitId,
      scopeRootId: r.post.scopeRootId,
      scopeRootPath: r.rootPath,
      roles: r.post.roles as RoleKey[],
    },
  }));
}

export async function seedDemoStudy(ctx: Ctx): Promise<void> {
  await ensureMeetingKinds(ctx);
  const kinds = new Map((await ctx.db.select().from(meetingKinds)).map((k) => [k.name, k.id]));
  const kind = (name: string) => kinds.get(name)!;
  const as = (actor: Actor): Ctx => ({ ...ctx, actor });

  const county = '中共示范县委员会';
  const countyLeaders = await actorsIn(ctx, county, 'leader');
  const secretary = countyLeaders.find((a) => a.title === '县委书记');
  const deputies = countyLeaders.filter((a) => a !== secretary);
  const [countyClerk] = await actorsIn(ctx, '县委宣传部', 'clerk');
  const [townLeader] = await actorsIn(ctx, '青山镇党委', 'leader');
  const [townClerk] = await actorsIn(ctx, '青山镇党委', 'clerk');
  if (!secretary || !countyClerk || !townLeader || !townClerk) throw new Error('seedDemoStudy: the demo county is missing');
  const [rootUnit] = await ctx.db.select({ id: units.id }).from(units).where(eq(units.name, county));
  const [town] = await ctx.db.select({ id: units.id }).from(units).where(eq(units.name, '青山镇党委'));

  // 1. the committee's topical meeting on ideological work; its first resolution becomes a task for 青山镇
  const topical = await createMeeting(as(countyClerk), {
    unitId: rootUnit!.id,
    kindId: kind('党委(党组)会议专题研究意识形态工作'),
    heldAt: daysAgo(20),
    topic: '县委常委会专题研究意识形态工作',
    tags: ['意识形态', '网络意识形态'],
    hostPersonId: secretary.personId,
    minutes: '传达学习上级关于意识形态工作的部署要求，听取县委宣传部关于上半年意识形态工作情况的汇报，研究部署下一阶段工作。',
    resolutions: [
      { text: '各乡镇开展一次意识形态阵地管理自查，形成自查报告' },
      { text: '县委宣传部牵头修订网络意识形态工作责任制实施细则' },
    ],
    attendeeIds: countyLeaders.map((a) => a.personId),
    absentees: [],
  });
  await createResolutionTask(as(secretary), topical.id, 0, {
    assigneeUnitId: town!.id,
    deadline: inDays(20),
    title: '开展意识形态阵地管理自查',
  });

  // 2. a study session of the theory-study centre group, entered late (补录)
  const study = await createMeeting(as(countyClerk), {
    unitId: rootUnit!.id,
    kindId: kind('理论学习中心组学习'),
    heldAt: daysAgo(45, 15),
    topic: '县委理论学习中心组专题学习：党的创新理论',
    tags: ['意识形态', '理论学习'],
    hostPersonId: secretary.personId,
    minutes: '集体学习党的创新理论，三位同志作交流发言。',
    resolutions: [{ text: '各党支部结合“三会一课”开展专题学习' }],
    attendeeIds: countyLeaders.map((a) => a.personId),
    absentees: [],
  });

  // 3. a township's meeting with a resolution still pending
  await createMeeting(as(townClerk), {
    unitId: town!.id,
    kindId: kind('舆情分析研判会'),
    heldAt: daysAgo(6, 10),
    topic: '青山镇第三季度舆情分析研判',
    tags: ['网络意识形态'],
    hostPersonId: townLeader.personId,
    minutes: '分析本季度涉及本镇工作的网络舆情话题及回应情况，研究改进政务信息公开工作。',
    resolutions: [{ text: '完善政务公开栏目更新机制，每月更新一次' }],
    attendeeIds: [townLeader.personId, townClerk.personId],
    absentees: [],
  });

  // 4. study notes: two county leaders on the study session (one read by the secretary), a township clerk's
  const writers = deputies.slice(0, 2);
  for (const [i, writer] of writers.entries()) {
    const note = await createStudyNote(as(writer), {
      title: i === 0 ? '学习党的创新理论的几点体会' : '中心组专题学习心得',
      body: '通过本次中心组专题学习，进一步认识到做好意识形态工作的重要性，要把学习成果转化为推动工作的实际成效。',
      meetingId: study.id,
    });
    if (i === 0) await readStudyNote(as(secretary), note.id, { comment: '体会深刻，请结合分管工作抓好落实。' });
  }
  await createStudyNote(as(townClerk), {
    title: '主题党日学习笔记',
    body: '学习了基层党组织建设有关要求，记录要点如下：……',
  });
}
