/**
 * Report templates: ordered sections with guidance, optional required attachments and prefill sources.
 * Global and versioned copy-on-edit: an edit inserts the family's next version and makes it current, so a
 * window keeps the version it was opened with. Only a unit administrator of a top unit edits them.
 */
import type { ReportKind, ReportTemplate, TemplateSection, UpdateTemplateBody } from '@dutyledger/contracts';
import { and, asc, count, eq } from 'drizzle-orm';
import { writeAudit } from '../../core/audit.js';
import { type Ctx, inTx } from '../../core/context.js';
import { forbidden, invalid, notFound } from '../../core/errors.js';
import { units } from '../../core/schema.js';
import { hasPermission, reachOf, requireActor } from '../../core/scope.js';
import { prefillSourceKeys, prefillSourceList } from './prefill.js';
import { reportTemplates } from './schema.js';

type TemplateRow = typeof reportTemplates.$inferSelect;

const section = (key: string, title: string, guidance: string, prefill: string[] = [], requiredAttachment = false): TemplateSection => ({
  key,
  title,
  guidance,
  prefill,
  requiredAttachment,
});

/** The templates every installation starts with ([002][004]). */
export const defaultTemplates: { family: string; name: string; kind: ReportKind; sections: TemplateSection[] }[] = [
  {
    family: 'halfYear',
    name: '意识形态工作半年报告',
    kind: 'halfYear',
    sections: [
      section('overview', '一、总体情况', '简要概述本期落实意识形态工作责任制的总体情况和主要成效。'),
      section(
        'meetings',
        '二、专题研究和理论学习',
        '党委（党组）专题研究意识形态工作情况（每半年至少一次），理论学习中心组学习、“三会一课”等学习情况。系统已按本单位会议记录预填，请核对补充。',
        ['meetings'],
      ),
      section('tasks', '三、重点工作任务落实', '年度工作要点和上级交办任务的完成情况，逾期任务的原因和措施。系统已按本单位任务台账预填。', [
        'tasks',
      ]),
      section('positions', '四、阵地管理和舆论引导', '本单位网站、微信公众号、宣传栏等阵地的管理情况，正面宣传和舆论引导工作情况。'),
      section('problems', '五、存在的问题', '实事求是查找工作中存在的问题和不足。'),
      section('next', '六、下一步工作打算', '针对存在问题提出下半年（下一年度）的工作措施。'),
    ],
  },
  {
    family: 'selfInspection',
    name: '意识形态工作自查报告',
    kind: 'selfInspection',
    sections: [
      section('principal', '一、落实主体责任', '党委（党组）落实意识形态工作主体责任，第一责任人、直接责任人和“一岗双责”落实情况。'),
      section('leadership', '二、加强组织领导', '意识形态工作领导小组运转，专题研究意识形态工作等情况。系统已按本单位会议记录预填。', [
        'meetings',
      ]),
      section('decisions', '三、贯彻决策部署', '贯彻中央和上级党委关于意识形态工作决策部署的情况。系统已按本单位任务台账预填。', ['tasks']),
      section('analysis', '四、分析研判', '定期分析研判意识形态领域情况的开展情况。'),
      section('positions', '五、阵地管理', '意识形态阵地（网站、新媒体、讲座论坛、宣传栏等）管理情况。'),
      section('network', '六、网络意识形态安全', '本单位网站、新媒体账号的审核发布制度和网络安全责任落实情况。'),
      section('publicity', '七、舆论宣传', '开展思想舆论宣传、正面宣传和舆论引导的情况。'),
      section('accountability', '八、责任追究', '意识形态工作责任追究制度的落实情况。'),
      section('rectification', '九、存在问题和整改措施', '自查发现的问题及整改措施、整改时限。'),
    ],
  },
  {
    family: 'special',
    name: '专题报告',
    kind: 'special',
    sections: [section('body', '报告正文', '按通知要求填写报告内容。'), section('attachments', '相关材料', '可上传相关佐证材料。')],
  },
];

export function toTemplate(r: TemplateRow): ReportTemplate {
  return {
    id: r.id,
    family: r.family,
    name: r.name,
    kind: r.kind as ReportKind,
    version: r.version,
    current: r.current,
    sections: r.sections,
    createdAt: r.createdAt.toISOString(),
  };
}

/** Fills the default templates when there are none (idempotent; never re-fills templates someone edited). */
export async function ensureReportTemplates(ctx: Ctx): Promise<void> {
  const [{ n }] = (await ctx.db.select({ n: count() }).from(reportTemplates)) as [{ n: number }];
  if (Number(n) > 0) return;
  await inTx(ctx, async (tx) => {
    for (const t of defaultTemplates) {
      await tx.db
        .insert(reportTemplates)
        .values({ family: t.family, version: 1, current: true, name: t.name, kind: t.kind, sections: t.sections })
        .onConflictDoNothing();
    }
  });
}

/** The current version of every template family (any signed-in business role may read them). */
function requireReader(ctx: Ctx): void {
  requireActor(ctx.actor);
  if (!hasPermission(ctx.actor, 'report.read')) throw forbidden();
}

export async function listTemplates(ctx: Ctx): Promise<ReportTemplate[]> {
  requireReader(ctx);
  const rows = await ctx.db.select().from(reportTemplates).where(eq(reportTemplates.current, true)).orderBy(asc(reportTemplates.family));
  return rows.map(toTemplate);
}

/** The prefill sources a template section may name (for template editing). */
export async function listPrefillSources(ctx: Ctx): Promise<{ key: string; label: string }[]> {
  requireReader(ctx);
  return prefillSourceList();
}

export async function getTemplate(ctx: Ctx, id: string): Promise<ReportTemplate> {
  requireReader(ctx);
  const [row] = await ctx.db.select().from(reportTemplates).where(eq(reportTemplates.id, id)).limit(1);
  if (!row) throw notFound('报告模板不存在');
  return toTemplate(row);
}

/** 403 unless the actor holds reportTemplate.manage with a top unit (no parent) as scope root. */
async function requireTemplateManager(ctx: Ctx): Promise<void> {
  requireActor(ctx.actor);
  const reach = reachOf(ctx.actor, 'reportTemplate.manage');
  if (!reach) throw forbidden('只有最上级单位的管理员可以修改报告模板');
  const [root] = await ctx.db.select({ parentId: units.parentId }).from(units).where(eq(units.id, reach.rootId)).limit(1);
  if (!root || root.parentId !== null) throw forbidden('只有最上级单位的管理员可以修改报告模板');
}

/** Copy-on-edit: a new version of the template's family becomes current; windows keep theirs. */
export async function updateTemplate(ctx: Ctx, id: string, input: UpdateTemplateBody): Promise<ReportTemplate> {
  await requireTemplateManager(ctx);
  const keys = input.sections.map((s) => s.key);
  const dup = keys.find((k, i) => keys.indexOf(k) !== i);
  if (dup) throw invalid({ sections: `栏目编码重复：${dup}` }, `栏目编码重复：${dup}`);
  const unknown = input.sections.flatMap((s) => s.prefill).find((p) => !prefillSourceKeys().includes(p));
  if (unknown) throw invalid({ sections: `未知的预填来源：${unknown}` }, `未知的预填来源：${unknown}`);
  return inTx(ctx, async (tx) => {
    const [base] = await tx.db.select().from(reportTemplates).where(eq(reportTemplates.id, id)).for('update');
    if (!base) throw notFound('报告模板不存在');
    const [current] = await tx.db
      .select()
      .from(reportTemplates)
      .where(and(eq(reportTemplates.family, base.family), eq(reportTemplates.current, true)))
      .for('update');
    const versions = await tx.db
      .select({ v: reportTemplates.version })
      .from(reportTemplates)
      .where(eq(reportTemplates.family, base.family));
    const next = Math.max(...versions.map((v) => v.v)) + 1;
    if (current) await tx.db.update(reportTemplates).set({ current: false }).where(eq(reportTemplates.id, current.id));
    const [row] = await tx.db
      .insert(reportTemplates)
      .values({
        family: base.family,
        version: next,
        current: true,
        name: input.name,
        kind: base.kind,
        sections: input.sections.map((s) => ({
          key: s.key,
          title: s.title,
          guidance: s.guidance,
          requiredAttachment: s.requiredAttachment,
          prefill: s.prefill,
        })),
        createdBy: tx.actor?.personId || null,
      })
      .returning();
    await writeAudit(tx, { action: 'newVersion', entity: 'reportTemplate', entityId: row!.id, before: current ?? base, after: row });
    return toTemplate(row!);
  });
}
