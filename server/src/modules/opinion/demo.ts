/**
 * Demo data of the opinion module, on a database that already holds the demo county (seed/demo-data.ts):
 * the platform dictionary, an emergency plan of 青山镇 with a drill, opinion events of its villages (one
 * closed, one escalated and being handled, one just found, one left in 研判 for two weeks), analysis
 * reports (one read with a measure made a task, one submitted, one draft) and a bulletin partly read.
 * Everything goes through the domain functions, acting as the units' own clerks and secretaries.
 */
import type { RoleKey } from '@dutyledger/contracts';
import { and, arrayContains, eq } from 'drizzle-orm';
import type { Actor, Ctx } from '../../core/context.js';
import { people, posts, units } from '../../core/schema.js';
import { createAnalysisReport, measureToTask, transitionAnalysis } from './analysis.js';
import { markBulletinRead, sendBulletin } from './bulletins.js';
import { addOpinionEntry, addOpinionResponse, createOpinionEvent, escalateOpinionEvent, transitionOpinionEvent } from './events.js';
import { addResponseDrill, createResponsePlan } from './plans.js';
import { ensureOpinionPlatforms, listOpinionPlatforms } from './platforms.js';

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();
const ahead = (days: number) => new Date(Date.now() + days * DAY).toISOString();

async function unitId(ctx: Ctx, name: string): Promise<string> {
  const [u] = await ctx.db.select({ id: units.id }).from(units).where(eq(units.name, name)).limit(1);
  if (!u) throw new Error(`demo unit ${name} not found`);
  return u.id;
}

/** A context acting as the person holding `role` for the unit `name` (its post's scope root is that unit). */
async function actingAs(ctx: Ctx, name: string, role: RoleKey): Promise<Ctx & { actor: Actor }> {
  const id = await unitId(ctx, name);
  const [row] = await ctx.db
    .select({ post: posts, person: people, path: units.path })
    .from(posts)
    .innerJoin(people, eq(people.id, posts.personId))
    .innerJoin(units, eq(units.id, posts.scopeRootId))
    .where(and(eq(posts.scopeRootId, id), arrayContains(posts.roles, [role])))
    .limit(1);
  if (!row) throw new Error(`demo: nobody is ${role} of ${name}`);
  const actor: Actor = {
    personId: row.person.id,
    username: row.person.username,
    displayName: row.person.displayName,
    post: { id: row.post.id, unitId: row.post.unitId, scopeRootId: id, scopeRootPath: row.path, roles: row.post.roles as RoleKey[] },
  };
  return { ...ctx, actor };
}

export async function seedDemoOpinion(ctx: Ctx): Promise<void> {
  await ensureOpinionPlatforms(ctx);
  const town = '青山镇党委';
  const townLeader = await actingAs(ctx, town, 'leader');
  const townClerk = await actingAs(ctx, town, 'clerk');
  const shangping = await actingAs(ctx, '上坪村党支部', 'clerk');
  const fenglin = await actingAs(ctx, '枫林村党支部', 'clerk');
  const shimen = await actingAs(ctx, '石门村党支部', 'clerk');
  const community = await actingAs(ctx, '青山社区党支部', 'clerk');
  const platforms = await listOpinionPlatforms(townClerk);
  const platform = (name: string) => platforms.find((p) => p.name === name)!.id;

  // ---- emergency plan of the town, with a drill
  const plan = await createResponsePlan(townClerk, {
    unitId: townClerk.actor.post!.scopeRootId,
    title: '青山镇网络舆情应急处置预案',
    body: '一、组织领导：成立舆情应急处置工作组，镇党委书记任组长。\n二、分级响应：较大及以上舆情1小时内报告，2小时内发布情况说明。\n三、处置流程：监测发现、研判定级、处置回应、结果公布、总结评估。',
    levels: ['serious', 'major', 'critical'],
    notifyPersonIds: [townLeader.actor.personId],
  });
  await addResponseDrill(townClerk, plan.id, {
    heldAt: ago(60),
    scenario: '关于集镇自来水停水的不实信息在微信群传播的桌面推演',
    summary: '从发现到发布情况说明用时90分钟，信息报送流程顺畅；需加强与水厂的联动。',
  });

  // ---- opinion events: topics and responses only, never who posted
  const closed = await createOpinionEvent(fenglin, {
    unitId: fenglin.actor.post!.scopeRootId,
    title: '枫林村低保评议公示引发关注',
    summary: '有网帖质疑村低保评议程序是否公开，引发部分群众关注。',
    sources: [{ platformId: platform('贴吧'), url: 'https://tieba.example.com/p/1001' }],
    firstSeenAt: ago(40),
    level: 'general',
    relatedUnitIds: [],
  });
  await transitionOpinionEvent(fenglin, closed.id, 'assess', { note: '核实评议程序，会议记录齐全' });
  await transitionOpinionEvent(fenglin, closed.id, 'handle');
  await addOpinionResponse(fenglin, closed.id, {
    kind: 'statement',
    content: '在村务公开栏和村民微信群公布评议程序和结果',
    url: '',
    happenedAt: ago(38),
  });
  await addOpinionResponse(fenglin, closed.id, { kind: 'result', content: '公布复核结果，群众无异议', url: '', happenedAt: ago(35) });
  await transitionOpinionEvent(fenglin, closed.id, 'respond');
  await transitionOpinionEvent(fenglin, closed.id, 'close', { conclusion: '评议程序合规，结果已公开，关注度已回落。' });

  const escalated = await createOpinionEvent(shangping, {
    unitId: shangping.actor.post!.scopeRootId,
    title: '上坪村道路硬化工程进度引发网民关注',
    summary: '短视频反映村道硬化工程停工，群众出行不便。',
    sources: [
      { platformId: platform('抖音'), url: 'https://douyin.example.com/video/2002' },
      { platformId: platform('微信'), url: '' },
    ],
    firstSeenAt: ago(5),
    level: 'serious',
    relatedUnitIds: [townClerk.actor.post!.scopeRootId],
    responsePlanId: plan.id,
  });
  await transitionOpinionEvent(shangping, escalated.id, 'assess');
  await addOpinionEntry(shangping, escalated.id, { kind: 'note', body: '经核实，因雨季施工暂停，预计下月复工。' });
  await escalateOpinionEvent(shangping, escalated.id, '涉及镇级工程项目，需镇协调施工单位');
  await addOpinionEntry(townLeader, escalated.id, { kind: 'comment', body: '请村里当天发布情况说明，镇建设办协调施工单位明确复工时间。' });
  await transitionOpinionEvent(shangping, escalated.id, 'handle');
  await addOpinionResponse(shangping, escalated.id, {
    kind: 'statement',
    content: '在村务公开栏和微信群发布施工暂停原因及复工计划',
    url: '',
    happenedAt: ago(4),
  });

  await createOpinionEvent(community, {
    unitId: community.actor.post!.scopeRootId,
    title: '社区广场舞噪音话题',
    summary: '本地论坛出现关于社区广场夜间噪音的讨论。',
    sources: [{ platformId: platform('新闻网站'), url: 'https://news.example.com/a/3003' }],
    firstSeenAt: ago(1),
    level: 'general',
    relatedUnitIds: [],
  });
  const stale = await createOpinionEvent(shimen, {
    unitId: shimen.actor.post!.scopeRootId,
    title: '石门村集体林地流转话题',
    summary: '线下有群众议论林地流转收益分配。',
    sources: [{ platformId: platform('线下'), url: '' }],
    firstSeenAt: ago(14),
    level: 'general',
    relatedUnitIds: [],
  });
  await transitionOpinionEvent(shimen, stale.id, 'assess');

  // ---- analysis reports
  const report = await createAnalysisReport(shangping, {
    unitId: shangping.actor.post!.scopeRootId,
    periodKind: 'halfYear',
    year: 2026,
    index: 1,
    situation: '上半年全村意识形态领域总体平稳，群众关注点集中在道路建设和低保评议。',
    risks: '村务信息公开不够及时，个别话题在微信群发酵。',
    measures: ['每月更新村务公开栏并同步到村民微信群', '对村级微信群管理员开展一次培训'],
  });
  await transitionAnalysis(shangping, report.id, 'submit');
  await transitionAnalysis(townLeader, report.id, 'markRead');
  await measureToTask(townLeader, report.measures[1]!.id, { deadline: ahead(20) });

  const submitted = await createAnalysisReport(fenglin, {
    unitId: fenglin.actor.post!.scopeRootId,
    periodKind: 'quarter',
    year: 2026,
    index: 3,
    situation: '三季度总体平稳。',
    risks: '低保评议话题已回落，仍需做好公示。',
    measures: ['评议结果公示期延长至7天'],
  });
  await transitionAnalysis(fenglin, submitted.id, 'submit');
  await createAnalysisReport(shimen, {
    unitId: shimen.actor.post!.scopeRootId,
    periodKind: 'quarter',
    year: 2026,
    index: 3,
    situation: '',
    risks: '',
    measures: [],
  });

  // ---- a bulletin of the town to its units, read by two of them
  const bulletin = await sendBulletin(townLeader, {
    unitId: townLeader.actor.post!.scopeRootId,
    title: '关于做好近期网络舆情应对工作的通报',
    body: '近期我镇发生两起涉及村务的网络舆情，各村（社区）要落实"网上快回应、网下快处置、结果快公布"的要求，及时公开村务信息。',
    target: { kind: 'subtree' },
    remindAfterDays: 3,
  });
  await markBulletinRead(shangping, bulletin.id);
  await markBulletinRead(fenglin, bulletin.id);
}
