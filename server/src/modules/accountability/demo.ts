/**
 * Demo records of the accountability module: two measures decided by the county's discipline inspection
 * (县纪委监委), one answered by its subject. Acts as the inspector and the subject, through the domain functions.
 */
import { eq } from 'drizzle-orm';
import { actorIn } from '../../core/actors.js';
import type { Ctx } from '../../core/context.js';
import { units } from '../../core/schema.js';
import { DEPARTMENTS, ROOT, TOWNS } from '../../seed/demo-data.js';
import { createAccountability, respondAccountability } from './records.js';

const dateIn = (n: number) => new Date(Date.now() + 8 * 3600_000 + n * 86_400_000).toISOString().slice(0, 10);

export async function seedDemoAccountability(ctx: Ctx): Promise<void> {
  const unitId = async (name: string) => (await ctx.db.select({ id: units.id }).from(units).where(eq(units.name, name)))[0]!.id;
  const inspector = { ...ctx, actor: await actorIn(ctx.db, DEPARTMENTS.discipline, 'inspector') };
  const rootId = await unitId(ROOT.name);
  const liuhe = TOWNS[1]!;
  const villageName = liuhe.children[1]!.name;
  const villageClerk = { ...ctx, actor: await actorIn(ctx.db, villageName, 'clerk') };

  const reminder = await createAccountability(inspector, {
    subjectType: 'person',
    subjectPersonId: villageClerk.actor.personId,
    subjectUnitId: await unitId(villageName),
    cause: { type: 'report', id: null, label: '未按时报送季度意识形态领域情况分析' },
    measure: 'reminder',
    decidingUnitId: rootId,
    decidedOn: dateIn(-6),
    description: '经督查核实，该村未按时报送季度情况分析，予以提醒。',
  });
  await respondAccountability(villageClerk, reminder.id, {
    response: '因村“两委”换届交接延误报送，已于本周补报，今后按时报送。',
  });

  await createAccountability(inspector, {
    subjectType: 'unit',
    subjectUnitId: await unitId(liuhe.name),
    cause: { type: 'finding', id: null, label: '专项督查发现分析研判报告未按时报送' },
    measure: 'criticism',
    decidingUnitId: rootId,
    decidedOn: dateIn(-4),
    description: '对镇党委进行批评教育，责令限期整改。',
  });
}
