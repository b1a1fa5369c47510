/**
 * Demo records of the outputs module: 青山镇's and the county propaganda department's articles at every
 * level, an award, a 文明创建 title, volunteer activities, a model figure and a training. Acts as the units'
 * clerks through the domain functions; dates relative to today.
 */

import type { CreateOutputBody } from '@dutyledger/contracts';
import { eq } from 'drizzle-orm';
import { actorIn } from '../../core/actors.js';
import type { Ctx } from '../../core/context.js';
import { units } from '../../core/schema.js';
import { DEPARTMENTS, ROOT, TOWNS } from '../../seed/demo-data.js';
import { createOutput } from './outputs.js';

const dateIn = (n: number) => new Date(Date.now() + 8 * 3600_000 + n * 86_400_000).toISOString().slice(0, 10);

export async function seedDemoOutputs(ctx: Ctx): Promise<void> {
  const unitId = async (name: string) => (await ctx.db.select({ id: units.id }).from(units).where(eq(units.name, name)))[0]!.id;
  const qingshan = TOWNS[0]!;
  const town = { ...ctx, actor: await actorIn(ctx.db, qingshan.name, 'clerk') };
  const townId = await unitId(qingshan.name);
  const records: Omit<CreateOutputBody, 'unitId'>[] = [
    {
      kind: 'article',
      title: '青山镇：理论宣讲走进田间地头',
      occurredOn: dateIn(-75),
      level: 'province',
      outlet: '省级党报',
      link: 'https://example.cn/news/1',
    },
    { kind: 'article', title: '青山镇新时代文明实践站打造“百姓课堂”', occurredOn: dateIn(-40), level: 'city', outlet: '市融媒体中心' },
    { kind: 'article', title: '青山镇开展移风易俗主题宣传活动', occurredOn: dateIn(-12), level: 'county', outlet: '县融媒体中心' },
    { kind: 'award', title: '全市基层理论宣讲优秀集体', occurredOn: dateIn(-60), level: 'city', outlet: '市委宣传部' },
    { kind: 'civilization', title: '县级文明村镇', occurredOn: dateIn(-150), level: 'county', outlet: '县精神文明建设委员会' },
    { kind: 'volunteer', title: '关爱留守儿童志愿服务', occurredOn: dateIn(-30), participants: 15, hours: 45 },
    { kind: 'volunteer', title: '人居环境整治志愿服务', occurredOn: dateIn(-9), participants: 28, hours: 84 },
    { kind: 'modelFigure', title: '“青山好人”：孝老爱亲模范', occurredOn: dateIn(-50), level: 'county', description: '照顾瘫痪婆婆二十年' },
    { kind: 'training', title: '村级通讯员新闻写作培训', occurredOn: dateIn(-20), participants: 24, outlet: '青山镇党委' },
  ];
  for (const r of records) await createOutput(town, { ...r, unitId: townId });

  const propagandaName = DEPARTMENTS.propaganda;
  const dept = { ...ctx, actor: await actorIn(ctx.db, propagandaName, 'clerk') };
  // the department's clerk acts for the county committee (scope root 县委): its outputs are the committee's
  const deptId = await unitId(ROOT.name);
  await createOutput(dept, {
    unitId: deptId,
    kind: 'article',
    title: '示范县探索基层意识形态工作新路径',
    occurredOn: dateIn(-35),
    level: 'central',
    outlet: '中央主要媒体',
  });
  await createOutput(dept, {
    unitId: deptId,
    kind: 'training',
    title: '全县新闻发言人培训班',
    occurredOn: dateIn(-25),
    participants: 46,
    outlet: '县委宣传部',
  });
}
