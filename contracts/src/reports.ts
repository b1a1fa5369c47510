/** Reports module (报送): report templates, report windows, and each target unit's submission. */
import { z } from 'zod';
import { pageQuery } from './common.js';
import { unitTypes } from './org.js';
import { attachment } from './system.js';

const dateTime = z.iso.datetime({ offset: true, message: '请输入正确的时间' });

/** Kinds of report window. */
export const reportKinds = ['halfYear', 'selfInspection', 'special', 'other'] as const;
export type ReportKind = (typeof reportKinds)[number];
export const reportKindLabels: Record<ReportKind, string> = {
  halfYear: '半年工作报告',
  selfInspection: '自查报告',
  special: '专题报告',
  other: '其他报告',
};

/**
 * Submission states. `notSubmitted` (未填报) is not stored: it is a target unit without a submission row.
 * The transitions live in server/src/modules/reports/submissions.ts.
 */
export const submissionStates = ['notSubmitted', 'draft', 'submitted', 'returned', 'accepted'] as const;
export type SubmissionState = (typeof submissionStates)[number];
export const submissionStateLabels: Record<SubmissionState, string> = {
  notSubmitted: '未填报',
  draft: '草稿',
  submitted: '已报送',
  returned: '退回',
  accepted: '已采纳',
};
export const submissionActions = ['create', 'submit', 'return', 'accept'] as const;
export type SubmissionAction = (typeof submissionActions)[number];
/** what the caller may do now (the UI shows exactly these buttons) */
export const submissionCallerActions = [...submissionActions, 'edit'] as const;
export type SubmissionCallerAction = (typeof submissionCallerActions)[number];

/** Window phase, computed from opens/closes at and now. */
export const windowPhases = ['upcoming', 'open', 'closed'] as const;
export type WindowPhase = (typeof windowPhases)[number];
export const windowPhaseLabels: Record<WindowPhase, string> = { upcoming: '未开始', open: '填报中', closed: '已截止' };

export const periodKindsForReports = ['month', 'quarter', 'halfYear', 'year'] as const;

// ---- templates

export const templateSection = z.object({
  key: z.string(),
  title: z.string(),
  guidance: z.string(),
  /** the section cannot be submitted without at least one attachment */
  requiredAttachment: z.boolean(),
  /** prefill sources (keys of the server's prefill registry) whose text goes into this section */
  prefill: z.array(z.string()),
});
export type TemplateSection = z.infer<typeof templateSection>;

export const reportTemplate = z.object({
  id: z.uuid(),
  /** stable key of the template family across versions */
  family: z.string(),
  name: z.string(),
  kind: z.enum(reportKinds),
  version: z.number().int(),
  current: z.boolean(),
  sections: z.array(templateSection),
  createdAt: z.string(),
});
export type ReportTemplate = z.infer<typeof reportTemplate>;

const sectionInput = z.object({
  key: z
    .string()
    .trim()
    .min(1, '请输入栏目编码')
    .max(40, '栏目编码不能超过40个字符')
    .regex(/^[A-Za-z0-9_-]+$/, '栏目编码只能包含字母、数字、下划线和连字符'),
  title: z.string().trim().min(1, '请输入栏目标题').max(100, '栏目标题不能超过100个字符'),
  guidance: z.string().max(2000, '填报说明不能超过2000个字符').default(''),
  requiredAttachment: z.boolean().default(false),
  prefill: z.array(z.string().max(40)).max(10).default([]),
});
/** Editing a template makes a new version (copy-on-edit): windows opened earlier keep theirs. */
export const updateTemplateBody = z.object({
  name: z.string().trim().min(1, '请输入模板名称').max(100, '模板名称不能超过100个字符'),
  sections: z.array(sectionInput).min(1, '至少需要一个栏目').max(30, '栏目不能超过30个'),
});
export type UpdateTemplateBody = z.infer<typeof updateTemplateBody>;

// ---- windows

export const windowTarget = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('units'),
    unitIds: z
      .array(z.uuid({ message: '单位编号格式不正确' }))
      .min(1, '请选择报送单位')
      .max(2000),
  }),
  z.object({
    kind: z.literal('descendants'),
    rootUnitId: z.uuid({ message: '请选择上级单位' }),
    unitType: z.enum(unitTypes).optional(),
    directChildrenOnly: z.boolean().optional(),
  }),
]);
export type WindowTarget = z.infer<typeof windowTarget>;

export const reportPeriod = z.object({
  kind: z.enum(periodKindsForReports),
  year: z.number().int(),
  index: z.number().int(),
  key: z.string(),
  label: z.string(),
});

export const reportWindow = z.object({
  id: z.uuid(),
  unitId: z.uuid(),
  unitName: z.string(),
  kind: z.enum(reportKinds),
  kindLabel: z.string(),
  title: z.string(),
  period: reportPeriod,
  templateId: z.uuid(),
  templateName: z.string(),
  templateVersion: z.number().int(),
  opensAt: z.string(),
  closesAt: z.string(),
  phase: z.enum(windowPhases),
  phaseLabel: z.string(),
  targetCount: z.number().int(),
  /** targets whose submission is 已报送 or 已采纳 */
  submittedCount: z.number().int(),
  acceptedCount: z.number().int(),
  /** the caller may open the board, return and accept */
  canManage: z.boolean(),
  createdAt: z.string(),
});
export type ReportWindow = z.infer<typeof reportWindow>;
export const reportWindowDetail = reportWindow.extend({
  sections: z.array(templateSection),
  note: z.string(),
});
export type ReportWindowDetail = z.infer<typeof reportWindowDetail>;

export const openWindowBody = z
  .object({
    unitId: z.uuid({ message: '请选择发起单位' }),
    kind: z.enum(reportKinds, { message: '请选择报告类型' }),
    title: z.string().trim().min(1, '请输入报送标题').max(200, '报送标题不能超过200个字符'),
    periodKind: z.enum(periodKindsForReports, { message: '请选择报告期间类型' }),
    periodYear: z.number({ message: '请输入年度' }).int('年度不正确').min(2000, '年度不正确').max(2100, '年度不正确'),
    periodIndex: z.number({ message: '请选择期间' }).int('期间不正确').min(1, '期间不正确').max(12, '期间不正确'),
    templateId: z.uuid({ message: '请选择报告模板' }),
    target: windowTarget,
    opensAt: dateTime.optional(),
    /** default for 自查报告: 06-10 (first half-year) or 12-10 (second) of the period's year, 24:00 local */
    closesAt: dateTime.optional(),
    note: z.string().max(2000, '说明不能超过2000个字符').optional(),
  })
  .refine((b) => !b.opensAt || !b.closesAt || Date.parse(b.opensAt) < Date.parse(b.closesAt), {
    message: '截止时间须晚于开始时间',
    path: ['closesAt'],
  });
export type OpenWindowBody = z.infer<typeof openWindowBody>;

export const windowListQuery = pageQuery.extend({
  kind: z.enum(reportKinds).optional(),
  phase: z.enum(windowPhases).optional(),
  year: z.coerce.number().int().min(2000, '年度不正确').max(2100, '年度不正确').optional(),
  /** windows opened by this unit */
  unitId: z.uuid().optional(),
});
export type WindowListQuery = z.infer<typeof windowListQuery>;

// ---- submissions

export const recordLink = z.object({ type: z.string(), id: z.string(), label: z.string() });
export type RecordLink = z.infer<typeof recordLink>;

export const submissionSection = z.object({
  key: z.string(),
  title: z.string(),
  guidance: z.string(),
  requiredAttachment: z.boolean(),
  text: z.string(),
  /** the records the prefilled text was drawn from */
  links: z.array(recordLink),
  attachments: z.array(attachment),
});
export type SubmissionSection = z.infer<typeof submissionSection>;

/** One target unit of a window: its submission, or 未填报. */
export const submissionRow = z.object({
  /** null while 未填报 */
  id: z.uuid().nullable(),
  windowId: z.uuid(),
  windowTitle: z.string(),
  windowKind: z.enum(reportKinds),
  unitId: z.uuid(),
  unitName: z.string(),
  state: z.enum(submissionStates),
  stateLabel: z.string(),
  closesAt: z.string(),
  /** first time it was 已报送 */
  firstSubmittedAt: z.string().nullable(),
  submittedAt: z.string().nullable(),
  acceptedAt: z.string().nullable(),
  returnReason: z.string().nullable(),
  /** computed: first submitted after closes at, or not submitted and closes at has passed */
  late: z.boolean(),
  /** whole days (rounded up) past closes at: of the first submission, or until now when not yet submitted */
  lateDays: z.number().int(),
  version: z.number().int(),
  actions: z.array(z.enum(submissionCallerActions)),
});
export type SubmissionRow = z.infer<typeof submissionRow>;
export const submissionDetail = submissionRow.extend({
  period: reportPeriod,
  sections: z.array(submissionSection),
});
export type SubmissionDetail = z.infer<typeof submissionDetail>;

export const submissionListQuery = pageQuery.extend({
  windowId: z.uuid().optional(),
  state: z.enum(submissionStates).optional(),
  late: z.enum(['true', 'false']).optional(),
});
export type SubmissionListQuery = z.infer<typeof submissionListQuery>;

export const createSubmissionBody = z.object({ unitId: z.uuid({ message: '请选择填报单位' }) });
export const saveSubmissionBody = z.object({
  version: z.number().int().optional(),
  sections: z
    .array(
      z.object({
        key: z.string().min(1).max(40),
        text: z.string().max(20000, '栏目内容不能超过20000个字符'),
        attachmentIds: z
          .array(z.uuid({ message: '附件编号格式不正确' }))
          .max(50, '附件不能超过50个')
          .optional(),
      }),
    )
    .max(30),
});
export type SaveSubmissionBody = z.infer<typeof saveSubmissionBody>;
export const returnSubmissionBody = z.object({
  reason: z.string().trim().min(1, '请填写退回理由').max(2000, '退回理由不能超过2000个字符'),
});

export const boardSummary = z.object({
  targets: z.number().int(),
  notSubmitted: z.number().int(),
  draft: z.number().int(),
  submitted: z.number().int(),
  returned: z.number().int(),
  accepted: z.number().int(),
  late: z.number().int(),
});
/** 报送情况 of a window: the summary over all its targets, and one page of them (missing and late first). */
export const windowBoardQuery = pageQuery.extend({
  /** q: part of the unit name */
  state: z.enum(submissionStates).optional(),
  late: z.enum(['true', 'false']).optional(),
});
export type WindowBoardQuery = z.infer<typeof windowBoardQuery>;
export const windowBoard = z.object({
  window: reportWindow,
  summary: boardSummary,
  items: z.array(submissionRow),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type WindowBoard = z.infer<typeof windowBoard>;
