/**
 * The three duty lists (责任清单) practice uses, GENERATED from what the system already holds — never typed:
 * - 党委主体责任清单 (`principal`): the unit's committee, its responsible people, the standard items, the
 *   unit's open tasks;
 * - 一岗双责清单 (`dual`): one sheet per leading member with a 一岗双责 assignment: what is in their charge,
 *   the standard items, the open tasks of the units in their charge and those assigned to them by name;
 * - 职能部门责任清单 (`department`): one sheet per child unit of type 部门/科室: its head, the member in charge
 *   of it, the standard items, its open tasks.
 *
 * The standard items come from an editable dictionary (`duty_list_items`), seeded on first use from the
 * wording of the seed documents; it is global and edited by a unit admin of a top unit.
 */
import {
  type DutyList,
  type DutyListItem,
  type DutyListKind,
  type DutyListRule,
  type DutyListSheet,
  dutyListKindLabels,
  type Task,
} from '@dutyledger/contracts';
import { and, asc, eq, inArray, ne, or, type SQL } from 'drizzle-orm';
import { writeAudit } from '../../core/audit.js';
import { type Actor, type Ctx, inTx } from '../../core/context.js';
import { forbidden, notFound } from '../../core/errors.js';
import type { ExportColumn } from '../../core/export.js';
import { localDate } from '../../core/periods.js';
import { units } from '../../core/schema.js';
import { hasPermission, requireActor } from '../../core/scope.js';
import { rulesForUnitType } from '../meetings/service.js';
import { assignmentsOn, DEPARTMENT } from './assignments.js';
import { membersOn, requireDutyRead, today } from './groups.js';
import { dutyListItems } from './responsibility-schema.js';
import { tasks } from './schema.js';
import { baseQuery, taskReadable, toTask } from './tasks.js';

// ---- the template dictionary

/** Standard items per list kind, in the seeds' words ([000]–[004]); editable after seeding. */
export const defaultDutyListItems: { listKind: DutyListKind; category: string; content: string }[] = [
  {
    listKind: 'principal',
    category: '组织领导',
    content: '把意识形态工作作为党的建设和政权建设的重要内容，纳入重要议事日程，纳入党建工作责任制，纳入领导班子、领导干部目标管理',
  },
  {
    listKind: 'principal',
    category: '组织领导',
    content: '意识形态工作与经济建设、政治建设、文化建设、社会建设、生态文明建设和党的建设紧密结合，一同部署、一同落实、一同检查、一同考核',
  },
  { listKind: 'principal', category: '组织领导', content: '建立健全意识形态工作领导小组，明确领导小组办公室，层层落实责任分工' },
  { listKind: 'principal', category: '专题研究', content: '党委（党组）每半年至少一次专题研究意识形态工作，有针对性地解决问题' },
  {
    listKind: 'principal',
    category: '理论学习',
    content: '将意识形态工作纳入党委（党组）理论学习中心组学习的重要内容，每年专题学习不少于两次',
  },
  {
    listKind: 'principal',
    category: '分析研判',
    content: '定期分析研判意识形态领域情况并形成书面报告，及时向上级党委报告，重要动向在党员干部中内部通报',
  },
  {
    listKind: 'principal',
    category: '阵地管理',
    content: '按照“谁主管谁负责、谁发布谁审核”的原则，管好网站、微信公众号、工作群、宣传栏等阵地和各类发布出口，定期开展自查摸排',
  },
  {
    listKind: 'principal',
    category: '舆论引导',
    content: '积极稳妥做好重大突发事件和敏感热点问题的舆论引导，做到网上快回应、网下快处置、结果快公布',
  },
  { listKind: 'principal', category: '工作报告', content: '每半年向上级党委报告一次本地区本单位意识形态工作情况' },
  {
    listKind: 'principal',
    category: '考核检查',
    content: '把意识形态工作责任制落实情况纳入领导班子和领导干部年度考核、民主生活会对照检查和述职报告的重要内容',
  },
  {
    listKind: 'dual',
    category: '一岗双责',
    content: '按照“一岗双责”要求，根据工作分工，抓好分管部门和联系点的意识形态工作，对职责范围内的意识形态工作负领导责任',
  },
  { listKind: 'dual', category: '分析研判', content: '加强分管领域的分析研判，及时处理矛盾，切实抓好分管领域、职责范围的意识形态工作' },
  { listKind: 'dual', category: '阵地管理', content: '指导分管部门（联系点）管好本领域的宣传阵地和发布出口' },
  { listKind: 'dual', category: '述职检查', content: '将履行意识形态工作责任情况作为述职报告和民主生活会对照检查的重要内容' },
  {
    listKind: 'department',
    category: '协同配合',
    content: '加强同宣传部门的沟通联系，各司其职、各负其责，共同履职，为意识形态工作开展创造良好条件',
  },
  { listKind: 'department', category: '阵地管理', content: '管好本部门网站、微信公众号、工作群等阵地，落实“谁主管谁负责、谁发布谁审核”' },
  { listKind: 'department', category: '工作报告', content: '每半年向党组织汇报一次本部门意识形态工作情况，开展一次自查' },
  { listKind: 'department', category: '分析研判', content: '对本领域出现的倾向性、苗头性问题及时跟踪、分析、报告，有针对性地引导' },
];

type ItemRow = typeof dutyListItems.$inferSelect;
const toItem = (r: ItemRow): DutyListItem => ({
  id: r.id,
  listKind: r.listKind as DutyListKind,
  category: r.category,
  content: r.content,
  sort: r.sort,
  active: r.active,
});

/**
 * Seeds the dictionary when it is empty (not a migration: a migrated database stays empty for restores).
 * Idempotent and race-safe (unique kind + content, ON CONFLICT DO NOTHING); an edited dictionary is kept.
 */
export async function ensureDutyListItems(ctx: Ctx): Promise<void> {
  const [any] = await ctx.db.select({ id: dutyListItems.id }).from(dutyListItems).limit(1);
  if (any) return;
  await ctx.db
    .insert(dutyListItems)
    .values(defaultDutyListItems.map((d, i) => ({ ...d, sort: (i + 1) * 10 })))
    .onConflictDoNothing();
}

export async function listDutyListItems(ctx: Ctx, q: { listKind?: DutyListKind } = {}): Promise<DutyListItem[]> {
  if (!hasPermission(requireActor(ctx.actor), 'duty.read')) throw forbidden();
  const rows = await ctx.db
    .select()
    .from(dutyListItems)
    .where(q.listKind ? eq(dutyListItems.listKind, q.listKind) : undefined)
    .orderBy(asc(dutyListItems.listKind), asc(dutyListItems.sort), asc(dutyListItems.content));
  return rows.map(toItem);
}

/**
 * 403 unless the actor acts as a unit admin (`duty.manage` through the unitAdmin role) of a top unit: the
 * dictionary is shared by the whole tree, so a leader's `duty.manage` or a lower unit's admin is not enough.
 */
async function requireTemplateManager(ctx: Ctx): Promise<Actor> {
  const actor = requireActor(ctx.actor);
  const message = '只有顶级单位的管理员可以维护责任清单模板';
  if (!hasPermission(actor, 'duty.manage') || !actor.post?.roles.includes('unitAdmin')) throw forbidden(message);
  const [root] = await ctx.db.select({ parentId: units.parentId }).from(units).where(eq(units.id, actor.post.scopeRootId)).limit(1);
  if (!root || root.parentId !== null) throw forbidden(message);
  return actor;
}

export async function createDutyListItem(
  ctx: Ctx,
  input: { listKind: DutyListKind; category: string; content: string; sort?: number },
): Promise<DutyListItem> {
  const actor = await requireTemplateManager(ctx);
  return inTx(ctx, async (tx) => {
    const [row] = await tx.db.insert(dutyListItems).values(input).returning();
    await writeAudit(tx, { action: 'create', entity: 'dutyListItem', entityId: row!.id, unitId: actor.post!.scopeRootId, after: row });
    return toItem(row!);
  });
}

export async function updateDutyListItem(
  ctx: Ctx,
  id: string,
  input: { category?: string; content?: string; sort?: number; active?: boolean },
): Promise<DutyListItem> {
  const actor = await requireTemplateManager(ctx);
  return inTx(ctx, async (tx) => {
    const [before] = await tx.db.select().from(dutyListItems).where(eq(dutyListItems.id, id)).for('update');
    if (!before) throw notFound('责任清单条目不存在');
    if (Object.values(input).every((x) => x === undefined)) return toItem(before);
    const [after] = await tx.db.update(dutyListItems).set(input).where(eq(dutyListItems.id, id)).returning();
    await writeAudit(tx, { action: 'update', entity: 'dutyListItem', entityId: id, unitId: actor.post!.scopeRootId, before, after });
    return toItem(after!);
  });
}

// ---- open tasks (the duty tasks, read with the task module's own scope rule and mapping)

/** Open (not 已办结) tasks of `unitIds` or assigned to `personId`, readable by the actor, by deadline. */
export async function openTasksOf(ctx: Ctx, unitIds: string[], personId?: string): Promise<Task[]> {
  const who: SQL[] = [];
  if (unitIds.length) who.push(inArray(tasks.unitId, unitIds));
  if (personId) who.push(eq(tasks.assigneePersonId, personId));
  if (who.length === 0) return [];
  const rows = await baseQuery(ctx)
    .where(and(ne(tasks.state, 'done'), or(...who), taskReadable(ctx)))
    .orderBy(asc(tasks.deadline), asc(tasks.id))
    .limit(200);
  return rows.map(toTask);
}

// ---- the lists

const periodWords = { month: '每月', quarter: '每季度', halfYear: '每半年', year: '每年' } as const;

/**
 * The rules (制度要求) that fall to a list's subject: the active rules of its unit type, from the meetings
 * module's service, as a requirement sentence (每半年不少于1次…). Their state per period is on the
 * compliance pages; the list states the duty.
 */
async function rulesFor(ctx: Ctx, unitId: string): Promise<DutyListRule[]> {
  const [unit] = await ctx.db.select({ type: units.type }).from(units).where(eq(units.id, unitId)).limit(1);
  if (!unit) return [];
  const rules = await rulesForUnitType(ctx, unit.type);
  return rules.map((r) => {
    const what =
      r.source === 'studyPlan'
        ? '制定学习计划'
        : `召开${r.kindNames.join('或') || '会议'}${r.tags.length ? `（${r.tags.join('、')}）` : ''}`;
    return {
      id: r.id,
      name: r.name,
      requirement: `${periodWords[r.period]}${what}不少于${r.minCount}次${r.dueDay ? `，于第${r.dueDay}日前完成` : ''}${r.basis ? `（依据：${r.basis}）` : ''}`,
      state: null,
    };
  });
}

async function templateItems(ctx: Ctx, kind: DutyListKind): Promise<{ category: string; content: string }[]> {
  const rows = await ctx.db
    .select({ category: dutyListItems.category, content: dutyListItems.content })
    .from(dutyListItems)
    .where(and(eq(dutyListItems.listKind, kind), eq(dutyListItems.active, true)))
    .orderBy(asc(dutyListItems.sort), asc(dutyListItems.content));
  return rows;
}

/** Generates list `kind` of the unit as of `date` (default today). 404 outside the actor's `duty.read` reach. */
export async function getDutyList(ctx: Ctx, unitId: string, kind: DutyListKind, date = today()): Promise<DutyList> {
  const unit = await requireDutyRead(ctx, unitId);
  const items = await templateItems(ctx, kind);
  const assignments = await assignmentsOn(ctx, [unitId], date);
  const sheets: DutyListSheet[] = [];
  const rules = await rulesFor(ctx, unitId);

  if (kind === 'principal') {
    const principal = assignments.find((a) => a.kind === 'principal');
    const members = await membersOn(ctx, unitId, date);
    const responsible = [
      ...assignments.filter((a) => a.kind !== 'principal').map((a) => ({ role: a.kindLabel, name: a.displayName ?? '' })),
      ...members.map((m) => ({ role: `领导小组${m.roleLabel}`, name: m.displayName })),
    ];
    sheets.push({
      subject: principal?.bodyName || unit.name,
      subjectUnitId: unit.id,
      subjectPersonId: null,
      responsible,
      charge: [],
      items,
      openTasks: await openTasksOf(ctx, [unitId]),
      rules,
    });
  }

  if (kind === 'dual') {
    for (const a of assignments.filter((x) => x.kind === 'dual')) {
      const charge: string[] = [];
      if (a.areas.length) charge.push(`分管领域：${a.areas.join('、')}`);
      if (a.chargeUnits.length) charge.push(`分管部门和单位：${a.chargeUnits.map((u) => u.name).join('、')}`);
      if (a.contactPoints.length) charge.push(`联系点：${a.contactPoints.join('、')}`);
      sheets.push({
        subject: a.displayName ?? '',
        subjectUnitId: unit.id,
        subjectPersonId: a.personId,
        responsible: [{ role: '一岗双责', name: a.displayName ?? '' }],
        charge,
        items,
        openTasks: await openTasksOf(
          ctx,
          a.chargeUnits.map((u) => u.id),
          a.personId ?? undefined,
        ),
        rules,
      });
    }
  }

  if (kind === 'department') {
    const departments = await ctx.db
      .select({ id: units.id, name: units.name })
      .from(units)
      .where(and(eq(units.parentId, unitId), eq(units.type, DEPARTMENT), eq(units.active, true)))
      .orderBy(asc(units.sortOrder), asc(units.name));
    const heads = await assignmentsOn(
      ctx,
      departments.map((d) => d.id),
      date,
      'first',
    );
    for (const d of departments) {
      const inCharge = assignments.filter((a) => a.kind === 'dual' && a.chargeUnits.some((u) => u.id === d.id));
      sheets.push({
        subject: d.name,
        subjectUnitId: d.id,
        subjectPersonId: null,
        responsible: [
          ...heads.filter((h) => h.unitId === d.id).map((h) => ({ role: '部门负责人', name: h.displayName ?? '' })),
          ...inCharge.map((a) => ({ role: '分管领导', name: a.displayName ?? '' })),
        ],
        charge: [],
        items,
        openTasks: await openTasksOf(ctx, [d.id]),
        rules: await rulesFor(ctx, d.id),
      });
    }
  }

  return { kind, title: `${unit.name}${dutyListKindLabels[kind]}`, unitId, unitName: unit.name, date, sheets };
}

// ---- Excel export: one row per line of the printed list

export interface DutyListLine {
  subject: string;
  section: string;
  category: string;
  content: string;
}

export function dutyListLines(list: DutyList): DutyListLine[] {
  const out: DutyListLine[] = [];
  for (const s of list.sheets) {
    for (const r of s.responsible) out.push({ subject: s.subject, section: '责任人', category: r.role, content: r.name });
    for (const c of s.charge) out.push({ subject: s.subject, section: '分管范围', category: '', content: c });
    for (const i of s.items) out.push({ subject: s.subject, section: '责任内容', category: i.category, content: i.content });
    for (const t of s.openTasks) {
      out.push({
        subject: s.subject,
        section: '待办任务',
        category: t.unitName,
        content: `${t.title}（${t.stateLabel}${t.overdue ? '，已逾期' : ''}，截止${localDate(t.deadline)}）`,
      });
    }
    for (const r of s.rules) out.push({ subject: s.subject, section: '制度要求', category: r.name, content: r.requirement });
  }
  return out;
}

export const dutyListExportColumns: ExportColumn<DutyListLine>[] = [
  { header: '责任主体', width: 24, value: (r) => r.subject },
  { header: '项目', width: 12, value: (r) => r.section },
  { header: '类别', width: 16, value: (r) => r.category },
  { header: '内容', width: 80, value: (r) => r.content },
];
