/**
 * Demo data of the channels module, on a database that already holds the demo county (seed/demo-data.ts):
 * the county's WeChat account (3 review levels) and 青山镇's website (2) and bulletin board (1), items in
 * every stage (published, returned, waiting, a withdrawn one), event filings (one held and summarized, one
 * waiting for the county, a late one) and this quarter's self-check of 青山镇 with a problem made a task.
 * Everything goes through the domain functions, acting as the demo people who would do it.
 */
import type { RoleKey } from '@dutyledger/contracts';
import { and, eq } from 'drizzle-orm';
import type { Actor, Ctx } from '../../core/context.js';
import { people, posts, units } from '../../core/schema.js';
import { createChannel } from './channels.js';
import { ensureChannelTypes, listChannelDict } from './dicts.js';
import { createEventFiling, transitionEventFiling } from './filings.js';
import { createPublication, transitionPublication } from './publications.js';
import { openSelfCheckRound, saveSelfCheckResult, selfCheckProblemToTask } from './selfcheck.js';

const DAY = 86_400_000;

async function unitId(ctx: Ctx, name: string): Promise<string> {
  const [u] = await ctx.db.select({ id: units.id }).from(units).where(eq(units.name, name)).limit(1);
  if (!u) throw new Error(`demo unit ${name} not found`);
  return u.id;
}

/** The context of the first person holding a post titled `title` in the unit named `unitName`. */
async function as(ctx: Ctx, unitName: string, title: string): Promise<Ctx> {
  const [row] = await ctx.db
    .select({ post: posts, person: people })
    .from(posts)
    .innerJoin(people, eq(people.id, posts.personId))
    .innerJoin(units, eq(units.id, posts.unitId))
    .where(and(eq(units.name, unitName), eq(posts.title, title)))
    .limit(1);
  if (!row) throw new Error(`demo person ${unitName}/${title} not found`);
  const [root] = await ctx.db.select({ path: units.path }).from(units).where(eq(units.id, row.post.scopeRootId));
  const actor: Actor = {
    personId: row.person.id,
    username: row.person.username,
    displayName: row.person.displayName,
    post: {
      id: row.post.id,
      unitId: row.post.unitId,
      scopeRootId: row.post.scopeRootId,
      scopeRootPath: root!.path,
      roles: row.post.roles as RoleKey[],
    },
  };
  return { ...ctx, actor };
}

export async function seedDemoChannels(ctx: Ctx): Promise<void> {
  await ensureChannelTypes(ctx);
  const county = await unitId(ctx, '中共示范县委员会');
  const town = await unitId(ctx, '青山镇党委');
  const village = await unitId(ctx, '上坪村党支部');

  const countyAdmin = await as(ctx, '县委组织部', '组织部信息管理员');
  const propagandaClerk = await as(ctx, '县委宣传部', '宣传干事');
  const propagandaDeputy = await as(ctx, '县委宣传部', '常务副部长');
  const countySecretary = await as(ctx, '中共示范县委员会', '县委书记');
  const townAdmin = await as(ctx, '青山镇党委', '党政办信息管理员');
  const townClerk = await as(ctx, '青山镇党委', '党政办干部');
  const townDeputy = await as(ctx, '青山镇党委', '党委副书记');
  const townSecretary = await as(ctx, '青山镇党委', '党委书记');
  const villageClerk = await as(ctx, '上坪村党支部', '党务工作者');
  const villageSecretary = await as(ctx, '上坪村党支部', '党支部书记');

  const types = await listChannelDict(countyAdmin, 'channelType');
  const typeId = (name: string) => types.find((t) => t.name === name)!.id;
  const checks = await listChannelDict(townClerk, 'reviewCheck');
  const checklist = checks.filter((c) => c.active).map((c) => ({ itemId: c.id, ok: true }));
  const kinds = await listChannelDict(townClerk, 'eventKind');
  const kindId = (name: string) => kinds.find((k) => k.name === name)!.id;

  // ---- channels
  const countyWeChat = await createChannel(countyAdmin, {
    unitId: county,
    supervisorUnitId: county,
    typeId: typeId('微信公众号'),
    name: '示范县发布',
    address: 'gh_shifanxianfabu',
    responsiblePersonId: propagandaDeputy.actor!.personId,
    status: 'running',
    reviewChain: [[propagandaClerk.actor!.personId], [propagandaDeputy.actor!.personId], [countySecretary.actor!.personId]],
  });
  const townSite = await createChannel(townAdmin, {
    unitId: town,
    supervisorUnitId: county,
    typeId: typeId('门户网站'),
    name: '青山镇人民政府网站',
    address: 'https://qingshan.shifan.example.gov.cn',
    responsiblePersonId: townDeputy.actor!.personId,
    status: 'running',
    reviewChain: [[townDeputy.actor!.personId], [townSecretary.actor!.personId]],
  });
  const townBoard = await createChannel(townAdmin, {
    unitId: town,
    supervisorUnitId: town,
    typeId: typeId('宣传栏/公开栏'),
    name: '青山镇政务公开栏',
    address: '镇政府大院东侧',
    responsiblePersonId: townClerk.actor!.personId,
    status: 'running',
    reviewChain: [[townDeputy.actor!.personId]],
  });
  await createChannel(townAdmin, {
    unitId: town,
    supervisorUnitId: town,
    typeId: typeId('微博'),
    name: '青山镇旧微博账号',
    address: '@青山镇（已停用）',
    responsiblePersonId: townClerk.actor!.personId,
    status: 'closed',
    reviewChain: [[townDeputy.actor!.personId]],
  });

  // ---- publications
  const article = async (author: Ctx, channelId: string, title: string, body: string) =>
    (await createPublication(author, { channelId, title, body, plannedAt: new Date(Date.now() + 2 * DAY).toISOString() })).id;
  const approveAll = async (id: string, reviewers: Ctx[]) => {
    for (const [i, r] of reviewers.entries()) await transitionPublication(r, id, 'approve', { comment: '同意', checklist, level: i + 1 });
  };

  const p1 = await article(
    townClerk,
    townSite.id,
    '青山镇召开党委理论学习中心组专题学习会',
    '<p>近日，青山镇召开党委理论学习中心组专题学习会，围绕意识形态工作责任制落实开展专题学习研讨。</p>',
  );
  await transitionPublication(townClerk, p1, 'submit');
  await approveAll(p1, [townDeputy, townSecretary]);
  await transitionPublication(townClerk, p1, 'publish', { url: 'https://qingshan.shifan.example.gov.cn/xwdt/2026/001.html' });

  const p2 = await article(townClerk, townSite.id, '青山镇开展“文明新风进万家”志愿服务活动', '<p>活动覆盖全镇4个村（社区）……</p>');
  await transitionPublication(townClerk, p2, 'submit');
  await transitionPublication(townDeputy, p2, 'return', { comment: '参与人数与活动台账不一致，请核实后再报', checklist, level: 1 });

  const p3 = await article(townClerk, townSite.id, '青山镇2026年第三季度意识形态工作情况通报', '<p>一、总体情况……</p>');
  await transitionPublication(townClerk, p3, 'submit');
  await transitionPublication(townDeputy, p3, 'approve', { comment: '同意，请书记终审', checklist, level: 1 });

  const p4 = await article(townClerk, townBoard.id, '关于开展阵地自查摸排的公告', '<p>根据县委宣传部安排……</p>');
  await transitionPublication(townClerk, p4, 'submit');

  await article(townClerk, townBoard.id, '青山镇新时代文明实践站活动预告（草稿）', '<p>待补充活动安排</p>');

  const countyWriter = await as(ctx, '县委宣传部', '网信办干事');
  const p5 = await article(
    countyWriter,
    countyWeChat.id,
    '示范县举办意识形态工作专题培训班',
    '<p>全县各乡镇、县直各单位分管负责同志参加培训。</p>',
  );
  await transitionPublication(countyWriter, p5, 'submit');
  await approveAll(p5, [propagandaClerk, propagandaDeputy, countySecretary]);
  await transitionPublication(countyWriter, p5, 'publish', { url: 'https://mp.weixin.qq.com/s/shifan-demo-0001' });

  const p6 = await article(countyWriter, countyWeChat.id, '示范县2026年“新时代文明实践月”活动安排', '<p>活动安排如下……</p>');
  await transitionPublication(countyWriter, p6, 'submit');
  await approveAll(p6, [propagandaClerk, propagandaDeputy, countySecretary]);
  await transitionPublication(countyWriter, p6, 'publish', { url: 'https://mp.weixin.qq.com/s/shifan-demo-0002' });
  await transitionPublication(propagandaDeputy, p6, 'withdraw', { reason: '活动日期有误，撤回更正后重新发布' });

  const p7 = await article(countyWriter, countyWeChat.id, '示范县开展网络文明宣传周活动', '<p>……</p>');
  await transitionPublication(countyWriter, p7, 'submit');
  await transitionPublication(propagandaClerk, p7, 'approve', { comment: '初审通过', checklist, level: 1 });

  // ---- event filings
  const held = await createEventFiling(townClerk, {
    unitId: town,
    kindId: kindId('讲座'),
    topic: '党的创新理论宣讲进村组',
    speakers: [{ name: '周明远', affiliation: '县委党校' }],
    venue: '青山镇新时代文明实践所',
    startsAt: new Date(Date.now() - 10 * DAY).toISOString(),
    expectedAudience: 80,
  });
  await transitionEventFiling(townClerk, held.id, 'submit');
  await transitionEventFiling(townSecretary, held.id, 'approve', { comment: '同意' });
  await transitionEventFiling(townClerk, held.id, 'summarize', { summary: '宣讲如期举行，村组干部和群众代表约80人参加，现场交流12人次。' });

  const forum = await createEventFiling(villageClerk, {
    unitId: village,
    kindId: kindId('报告会'),
    topic: '乡村振兴主题报告会',
    speakers: [
      { name: '陈立新', affiliation: '县农业农村局' },
      { name: '王秀兰', affiliation: '上坪村合作社' },
    ],
    venue: '上坪村村民活动中心',
    startsAt: new Date(Date.now() + 20 * DAY).toISOString(),
    expectedAudience: 150,
  });
  await transitionEventFiling(villageClerk, forum.id, 'submit');
  await transitionEventFiling(villageSecretary, forum.id, 'approve', { comment: '同意，报镇党委审批' });

  const late = await createEventFiling(townClerk, {
    unitId: town,
    kindId: kindId('展览'),
    topic: '青山镇村史文化图片展',
    speakers: [],
    venue: '青山镇文化站',
    startsAt: new Date(Date.now() + 3 * DAY).toISOString(),
    expectedAudience: 300,
  });
  await transitionEventFiling(townClerk, late.id, 'submit');

  // ---- self-check of this quarter
  const round = await openSelfCheckRound(townAdmin, { unitId: town });
  await saveSelfCheckResult(townClerk, round.id, {
    channelId: townSite.id,
    answers: round.items.map((item) => ({ item, ok: true, note: '' })),
    problems: [],
  });
  const saved = await saveSelfCheckResult(townClerk, round.id, {
    channelId: townBoard.id,
    answers: round.items.map((item, i) => ({ item, ok: i !== 2, note: i === 2 ? '公开栏部分内容超过一年未更新' : '' })),
    problems: ['公开栏部分内容超过一年未更新'],
  });
  const result = saved.channels.find((c) => c.channelId === townBoard.id)!.result!;
  await selfCheckProblemToTask(townClerk, result.id, 0, { deadline: new Date(Date.now() + 15 * DAY).toISOString() });
}
