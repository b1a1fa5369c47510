/**
 * Demo records of the rectify module for 示范县: the county's 巡察 of 青山镇 (findings with items signed
 * off, submitted, open and overdue, one re-check due) and a 督查 of 柳河镇 still under way. Acts as the
 * county's discipline inspector and the towns' and villages' clerks, through the domain functions.
 */
import { eq } from 'drizzle-orm';
import { actorIn } from '../../core/actors.js';
import type { Ctx } from '../../core/context.js';
import { units } from '../../core/schema.js';
import { DEPARTMENTS, ROOT, TOWNS } from '../../seed/demo-data.js';
import { addFinding, addRectifyItem, createInspection } from './inspections.js';
import { transitionRectifyItem } from './items.js';
import { rectifyItems } from './schema.js';

const DAY = 86_400_000;
const inDays = (n: number) => new Date(Date.now() + n * DAY).toISOString();
const dateIn = (n: number) => new Date(Date.now() + 8 * 3600_000 + n * DAY).toISOString().slice(0, 10);

export async function seedDemoRectify(ctx: Ctx): Promise<void> {
  const unitId = async (name: string) => (await ctx.db.select({ id: units.id }).from(units).where(eq(units.name, name)))[0]!.id;
  const as = async (unitName: string, role: 'clerk' | 'inspector'): Promise<Ctx> => ({
    ...ctx,
    actor: await actorIn(ctx.db, unitName, role),
  });
  const inspector = await as(DEPARTMENTS.discipline, 'inspector');
  const rootId = await unitId(ROOT.name);
  const qingshan = TOWNS[0]!;
  const liuhe = TOWNS[1]!;

  // ---- 县委巡察 of 青山镇, feedback about three months ago
  const patrol = await createInspection(inspector, {
    kind: 'patrol',
    title: '县委第二巡察组对青山镇党委开展常规巡察',
    inspectingUnitId: rootId,
    inspectingBody: '县委第二巡察组',
    inspectedUnitId: await unitId(qingshan.name),
    startedOn: dateIn(-130),
    endedOn: dateIn(-100),
    feedbackOn: dateIn(-90),
    description: '巡察反馈意见涉及意识形态工作责任制落实情况，共3个方面问题。',
  });
  const f1 = await addFinding(inspector, patrol.id, {
    category: '理论学习',
    description: '党委理论学习中心组学习意识形态内容不系统，学习记录不完整',
  });
  const f2 = await addFinding(inspector, patrol.id, {
    category: '阵地管理',
    description: '村级宣传栏、微信工作群管理制度未建立，内容更新不及时',
  });
  const f3 = await addFinding(inspector, patrol.id, { category: '责任落实', description: '意识形态工作专题研究次数不足，未形成会议纪要' });
  const town = await unitId(qingshan.name);
  const village = await unitId(qingshan.children[1]!.name);
  const townClerk = await as(qingshan.name, 'clerk');
  const villageClerk = await as(qingshan.children[1]!.name, 'clerk');

  const i1 = await addRectifyItem(inspector, f1.id, {
    unitId: town,
    measure: '制定年度中心组学习计划，每季度至少安排一次意识形态专题学习',
    deadline: inDays(-40),
    requiredEvidence: '学习计划、学习记录',
  });
  await transitionRectifyItem(townClerk, i1.id, 'submit', { progress: '已印发年度学习计划，完成两次专题学习，记录附后。' });
  await transitionRectifyItem(inspector, i1.id, 'signOff', { note: '整改到位，同意销号' });
  // this one was signed off long enough ago that its 防反弹 re-check is due
  await ctx.db
    .update(rectifyItems)
    .set({ recheckDueAt: new Date(Date.now() - 2 * DAY) })
    .where(eq(rectifyItems.id, i1.id));

  const i2 = await addRectifyItem(inspector, f2.id, {
    unitId: village,
    measure: '建立宣传栏、工作群管理制度，明确管理员，每月更新内容',
    deadline: inDays(15),
    requiredEvidence: '管理制度、更新照片',
  });
  await transitionRectifyItem(villageClerk, i2.id, 'submit', { progress: '已建立管理制度并明确专人负责，照片见附件。' });

  const i3 = await addRectifyItem(inspector, f2.id, {
    unitId: town,
    measure: '对全镇村级宣传阵地开展一次自查摸排',
    deadline: inDays(-10),
    requiredEvidence: '自查报告',
  });
  await transitionRectifyItem(townClerk, i3.id, 'submit', { progress: '已完成部分村自查。' });
  await transitionRectifyItem(inspector, i3.id, 'return', { reason: '自查范围不全，请覆盖全部村（社区）' });

  await addRectifyItem(inspector, f3.id, {
    unitId: town,
    measure: '每半年至少召开一次党委会议专题研究意识形态工作，形成会议纪要',
    deadline: inDays(45),
    requiredEvidence: '会议纪要',
  });

  // ---- 督查 of 柳河镇, just fed back
  const check = await createInspection(inspector, {
    kind: 'supervision',
    title: '意识形态工作责任制落实情况专项督查（柳河镇）',
    inspectingUnitId: rootId,
    inspectingBody: '县委督查室',
    inspectedUnitId: await unitId(liuhe.name),
    startedOn: dateIn(-20),
    endedOn: dateIn(-15),
    feedbackOn: dateIn(-10),
    description: '',
  });
  const g1 = await addFinding(inspector, check.id, { category: '分析研判', description: '意识形态领域情况分析研判报告未按时报送' });
  await addRectifyItem(inspector, g1.id, {
    unitId: await unitId(liuhe.name),
    measure: '补报上半年分析研判报告，建立定期研判制度',
    deadline: inDays(20),
    requiredEvidence: '研判报告',
  });
  await addRectifyItem(inspector, g1.id, {
    unitId: await unitId(liuhe.children[1]!.name),
    measure: '村党支部每季度向镇党委报送一次情况分析',
    deadline: inDays(-3),
    requiredEvidence: '',
  });
}
