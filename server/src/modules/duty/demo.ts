/**
 * Demo records of the duty module for 示范县: the county's annual plan, items fanned out to the townships
 * and villages, tasks in every state (some done on time, some overdue, one returned), and 青山镇's own plan.
 * Dates are relative to today, so the demo looks alive whenever it is seeded. Acts as the demo people
 * through the same domain functions the routes call.
 */
import { eq } from 'drizzle-orm';
import { actorIn } from '../../core/actors.js';
import type { Ctx } from '../../core/context.js';
import { units } from '../../core/schema.js';
import { DEPARTMENTS, ROOT, TOWNS } from '../../seed/demo-data.js';
import { addPlanItem, assignPlanItem, createPlan } from './plans.js';
import { tasks } from './schema.js';
import { transitionTask } from './tasks.js';

const DAY = 86_400_000;
const inDays = (n: number) => new Date(Date.now() + n * DAY).toISOString();

export async function seedDemoDuty(ctx: Ctx): Promise<void> {
  const as = async (unitName: string, role: 'unitAdmin' | 'clerk' | 'leader'): Promise<Ctx> => ({
    ...ctx,
    actor: await actorIn(ctx.db, unitName, role),
  });
  const unitId = async (name: string) => (await ctx.db.select({ id: units.id }).from(units).where(eq(units.name, name)))[0]!.id;
  const rootId = await unitId(ROOT.name);
  const year = Number(new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 4));

  // the county's plan, made by the county-wide unit administrator (组织部)
  const county = await as(DEPARTMENTS.organization, 'unitAdmin');
  const plan = await createPlan(county, { unitId: rootId, year, title: `${year}年全县意识形态工作要点` });
  const items = [
    ['一、强化理论武装', '各乡镇党委理论学习中心组开展意识形态专题学习不少于2次'],
    ['二、落实主体责任', '各乡镇党委专题研究意识形态工作并报送会议纪要'],
    ['三、加强阵地管理', '开展宣传栏、电子屏、工作群等阵地自查摸排'],
    ['四、做好分析研判', '村（社区）党支部报送意识形态领域情况分析'],
  ];
  const itemIds: string[] = [];
  for (const [i, [section, title]] of items.entries())
    itemIds.push((await addPlanItem(county, plan.id, { section: section!, title: title!, sort: i })).id);

  const towns = await assignPlanItem(county, itemIds[1]!, {
    target: { kind: 'descendants', rootUnitId: rootId, unitType: '乡镇', directChildrenOnly: true },
    deadline: inDays(20),
    requiredEvidence: '会议纪要',
  });
  const study = await assignPlanItem(county, itemIds[0]!, {
    target: { kind: 'descendants', rootUnitId: rootId, unitType: '乡镇', directChildrenOnly: true },
    deadline: inDays(12),
    requiredEvidence: '学习记录、签到表',
  });
  await assignPlanItem(county, itemIds[3]!, {
    target: { kind: 'descendants', rootUnitId: rootId, unitType: '村' },
    deadline: inDays(30),
  });

  // the townships at work: several finished and confirmed, some submitted, one returned, some not started
  const countyLeader = await as(ROOT.name, 'leader');
  for (const [i, task] of towns.tasks.entries()) {
    const town = await as(task.unitName, 'clerk');
    if (i % 4 === 3) continue; // still 待办
    await transitionTask(town, task.id, 'start');
    if (i % 4 === 2) continue; // 进行中
    await transitionTask(town, task.id, 'submit', { progress: `${task.unitName}已召开党委会议专题研究意识形态工作，纪要附后。` });
    if (i === 1) await transitionTask(countyLeader, task.id, 'return', { reason: '请补充会议纪要扫描件' });
    else if (i % 4 === 0) await transitionTask(county, task.id, 'confirm');
  }
  for (const [i, task] of study.tasks.entries()) {
    if (i % 2 === 0) continue;
    const town = await as(task.unitName, 'clerk');
    await transitionTask(town, task.id, 'start');
  }
  // two of the study tasks ran past their deadline: overdue is computed from the deadline, so move it back
  const late = study.tasks.filter((_, i) => i % 3 === 0).slice(0, 2);
  for (const t of late)
    await ctx.db
      .update(tasks)
      .set({ deadline: new Date(Date.now() - 5 * DAY) })
      .where(eq(tasks.id, t.id));

  // 青山镇's own plan, fanned out to its villages and community
  const qingshan = TOWNS[0]!.name;
  const townAdmin = await as(qingshan, 'unitAdmin');
  const townPlan = await createPlan(townAdmin, { unitId: await unitId(qingshan), year, title: `${year}年青山镇意识形态工作安排` });
  const townItem = await addPlanItem(townAdmin, townPlan.id, { section: '一、基层阵地', title: '更新村务公开栏政策宣传内容' });
  const villages = await assignPlanItem(townAdmin, townItem.id, {
    target: { kind: 'descendants', rootUnitId: await unitId(qingshan), directChildrenOnly: true },
    deadline: inDays(7),
    requiredEvidence: '公开栏照片',
  });
  const first = villages.tasks[0];
  if (first) {
    const clerk = await as(first.unitName, 'clerk');
    await transitionTask(clerk, first.id, 'start');
    await transitionTask(clerk, first.id, 'submit', { progress: '已更新公开栏，照片见附件。' });
  }
}
