/**
 * Rules and compliance (制度要求 / 落实情况) and monthly study plans (学习计划): the rules are data, the
 * compliance engine computes each applicable rule's state per unit and period from the records.
 */
import { z } from 'zod';
import { pageQuery } from './common.js';
import { unitTypes } from './org.js';
import { attachment } from './system.js';

// ---- study plans

const monthKey = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '请选择正确的月份（格式：2026-01）');

export const studyPlan = z.object({
  id: z.uuid(),
  unitId: z.uuid(),
  unitName: z.string(),
  /** YYYY-MM, the month the plan is for */
  month: z.string(),
  title: z.string(),
  content: z.string(),
  createdBy: z.uuid().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** computed: entered more than 30 days after the first day of its month (补录) */
  backfilled: z.boolean(),
});
export type StudyPlan = z.infer<typeof studyPlan>;
export const studyPlanDetail = studyPlan.extend({ attachments: z.array(attachment) });
export type StudyPlanDetail = z.infer<typeof studyPlanDetail>;

const planTitle = z.string().trim().min(1, '请输入学习计划标题').max(200, '标题不能超过200个字符');
const planContent = z.string().max(50000, '学习内容不能超过50000个字符');

export const createStudyPlanBody = z.object({
  unitId: z.uuid({ message: '请选择单位' }),
  month: monthKey,
  title: planTitle,
  content: planContent.default(''),
  attachmentIds: z.array(z.uuid()).max(50).optional(),
});
export type CreateStudyPlanBody = z.infer<typeof createStudyPlanBody>;

/** The month of a plan is fixed once made (one plan per unit and month); title and content are corrected. */
export const updateStudyPlanBody = z.object({
  title: planTitle.optional(),
  content: planContent.optional(),
  attachmentIds: z.array(z.uuid()).max(50).optional(),
});
export type UpdateStudyPlanBody = z.infer<typeof updateStudyPlanBody>;

export const studyPlanListQuery = pageQuery.extend({
  unitId: z.uuid({ message: '单位编号格式不正确' }).optional(),
  year: z.coerce.number({ message: '年份不正确' }).int('年份不正确').min(2000, '年份不正确').max(2100, '年份不正确').optional(),
  month: monthKey.optional(),
});
export type StudyPlanListQuery = z.infer<typeof studyPlanListQuery>;

// ---- rules

export const rulePeriods = ['month', 'quarter', 'halfYear', 'year'] as const;
export type RulePeriod = (typeof rulePeriods)[number];
export const ruleSources = ['meeting', 'studyPlan'] as const;
export type RuleSource = (typeof ruleSources)[number];

export const complianceRule = z.object({
  id: z.uuid(),
  /** stable code of a default rule (seeded), null for rules made by users */
  code: z.string().nullable(),
  name: z.string(),
  basis: z.string(),
  unitTypes: z.array(z.string()),
  source: z.enum(ruleSources),
  kindIds: z.array(z.uuid()),
  kindNames: z.array(z.string()),
  /** any of these tags; empty: no tag filter */
  tags: z.array(z.string()),
  minCount: z.number().int(),
  period: z.enum(rulePeriods),
  /** the count must be reached by the end of day N of the period (Shanghai); null: by the period's end */
  dueDay: z.number().int().nullable(),
  active: z.boolean(),
  sort: z.number().int(),
  updatedAt: z.string(),
});
export type ComplianceRule = z.infer<typeof complianceRule>;

const ruleFields = {
  name: z.string().trim().min(1, '请输入制度名称').max(200, '制度名称不能超过200个字符'),
  basis: z.string().trim().max(2000, '依据不能超过2000个字符'),
  unitTypes: z.array(z.enum(unitTypes, { message: '单位类型不正确' })).min(1, '请选择适用的单位类型'),
  source: z.enum(ruleSources, { message: '请选择计数的记录类型' }),
  kindIds: z.array(z.uuid({ message: '会议类型不正确' })).max(20, '会议类型最多20个'),
  tags: z.array(z.string().trim().min(1, '标签不能为空').max(20, '标签不能超过20个字符')).max(10, '标签最多10个'),
  minCount: z.number({ message: '请输入次数' }).int('次数须为整数').min(1, '次数至少为1').max(100, '次数不能超过100'),
  period: z.enum(rulePeriods, { message: '请选择周期' }),
  dueDay: z.number({ message: '请输入期限天数' }).int('天数须为整数').min(1, '期限天数至少为1').max(366, '期限天数不能超过366').nullable(),
  active: z.boolean({ message: '请选择是否启用' }),
  sort: z.number({ message: '请输入排序号' }).int('排序号须为整数').min(0, '排序号不能小于0').max(100000, '排序号不能超过100000'),
};

export const createRuleBody = z.object({
  ...ruleFields,
  basis: ruleFields.basis.default(''),
  kindIds: ruleFields.kindIds.default([]),
  tags: ruleFields.tags.default([]),
  dueDay: ruleFields.dueDay.default(null),
  active: ruleFields.active.default(true),
  sort: ruleFields.sort.default(0),
});
export type CreateRuleBody = z.infer<typeof createRuleBody>;
export const updateRuleBody = z.object(ruleFields).partial();
export type UpdateRuleBody = z.infer<typeof updateRuleBody>;

export const ruleListQuery = z.object({
  /** only the active rules that apply to this unit's type */
  unitId: z.uuid({ message: '单位编号格式不正确' }).optional(),
});

// ---- compliance

export const complianceStates = ['done', 'notDue', 'overdue'] as const;
export type ComplianceState = (typeof complianceStates)[number];

export const complianceRecord = z.object({
  id: z.uuid(),
  source: z.enum(ruleSources),
  title: z.string(),
  /** when it happened (meeting held / first day of the plan's month) */
  at: z.string(),
  createdAt: z.string(),
  backfilled: z.boolean(),
});
export type ComplianceRecord = z.infer<typeof complianceRecord>;

export const complianceCell = z.object({
  unitId: z.uuid(),
  ruleId: z.uuid(),
  periodKey: z.string(),
  periodLabel: z.string(),
  periodStart: z.string(),
  periodEnd: z.string(),
  /** the moment the count is due (exclusive): period start + due day, or the period's end */
  dueAt: z.string(),
  state: z.enum(complianceStates),
  count: z.number().int(),
  minCount: z.number().int(),
  /** the records that count, oldest first */
  records: z.array(complianceRecord),
  /** some record that counts was entered more than 30 days after it happened */
  backfilled: z.boolean(),
});
export type ComplianceCell = z.infer<typeof complianceCell>;

export const complianceUnit = z.object({
  id: z.uuid(),
  name: z.string(),
  type: z.string(),
  depth: z.number().int(),
  parentId: z.uuid().nullable(),
});

export const complianceMatrix = z.object({
  rootUnitId: z.uuid(),
  year: z.number().int(),
  month: z.number().int().nullable(),
  units: z.array(complianceUnit),
  rules: z.array(complianceRule),
  cells: z.array(complianceCell),
  summary: z.object({ done: z.number().int(), notDue: z.number().int(), overdue: z.number().int(), rate: z.number().nullable() }),
});
export type ComplianceMatrix = z.infer<typeof complianceMatrix>;

export const matrixQuery = z.object({
  rootUnitId: z.uuid({ message: '请选择单位' }),
  year: z.coerce.number({ message: '年份不正确' }).int('年份不正确').min(2000, '年份不正确').max(2100, '年份不正确'),
  /** each rule's period containing this month; absent: the current month in the current year, December otherwise */
  month: z.coerce.number({ message: '月份不正确' }).int('月份不正确').min(1, '月份不正确').max(12, '月份不正确').optional(),
});
export type MatrixQuery = z.infer<typeof matrixQuery>;

export const calendarQuery = z.object({
  unitId: z.uuid({ message: '请选择单位' }),
  year: z.coerce.number({ message: '年份不正确' }).int('年份不正确').min(2000, '年份不正确').max(2100, '年份不正确'),
});
export type CalendarQuery = z.infer<typeof calendarQuery>;

/** A unit's year: every period of every rule that applies to it. */
export const complianceCalendar = z.object({
  unit: complianceUnit,
  year: z.number().int(),
  rules: z.array(complianceRule),
  cells: z.array(complianceCell),
});
export type ComplianceCalendar = z.infer<typeof complianceCalendar>;
