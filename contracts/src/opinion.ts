/**
 * Opinion module: analysis reports (分析研判), public-opinion events (舆情事件), emergency plans (应急预案)
 * and bulletins (通报).
 *
 * Boundary (REQUIREMENTS.md): an opinion event is a topic concerning the unit and the unit's response. No
 * schema here has a field for who posted something online, their account, nickname or profile.
 */
import { z } from 'zod';
import { pageQuery } from './common.js';
import { unitTypes } from './org.js';
import { attachment } from './system.js';

const dateTime = z.iso.datetime({ offset: true, message: '请输入正确的时间' });
const text = (label: string, max: number) => z.string().trim().min(1, `请输入${label}`).max(max, `${label}不能超过${max}个字符`);
const optionalText = (label: string, max: number) => z.string().trim().max(max, `${label}不能超过${max}个字符`);

// ---- analysis reports (分析研判)

export const analysisStates = ['draft', 'submitted', 'read', 'returned'] as const;
export type AnalysisState = (typeof analysisStates)[number];
export const analysisStateLabels: Record<AnalysisState, string> = {
  draft: '草稿',
  submitted: '已报送',
  read: '已阅',
  returned: '退回',
};
export const analysisActions = ['submit', 'markRead', 'return'] as const;
export type AnalysisAction = (typeof analysisActions)[number];
export const analysisPeriodKinds = ['quarter', 'halfYear'] as const;
export type AnalysisPeriodKind = (typeof analysisPeriodKinds)[number];
export const analysisPeriodKindLabels: Record<AnalysisPeriodKind, string> = { quarter: '季度', halfYear: '半年' };

export const analysisMeasure = z.object({
  id: z.uuid(),
  sort: z.number().int(),
  text: z.string(),
  /** the task made of this measure (linked both ways: the task's source is this measure) */
  taskId: z.uuid().nullable(),
});
export type AnalysisMeasure = z.infer<typeof analysisMeasure>;

export const analysisComment = z.object({
  id: z.uuid(),
  unitId: z.uuid(),
  unitName: z.string(),
  body: z.string(),
  createdBy: z.uuid().nullable(),
  createdByName: z.string().nullable(),
  createdAt: z.string(),
});

export const analysisReport = z.object({
  id: z.uuid(),
  unitId: z.uuid(),
  unitName: z.string(),
  /** the parent unit it is reported to (null for a top unit) */
  toUnitId: z.uuid().nullable(),
  toUnitName: z.string().nullable(),
  periodKind: z.enum(analysisPeriodKinds),
  periodKey: z.string(),
  periodLabel: z.string(),
  title: z.string(),
  situation: z.string(),
  risks: z.string(),
  state: z.enum(analysisStates),
  stateLabel: z.string(),
  returnReason: z.string().nullable(),
  version: z.number().int(),
  createdBy: z.uuid().nullable(),
  createdAt: z.string(),
  submittedAt: z.string().nullable(),
  readAt: z.string().nullable(),
});
export type AnalysisReport = z.infer<typeof analysisReport>;
export const analysisReportDetail = analysisReport.extend({
  /** the unit's opinion events first seen in the period, readable by the caller (one entry, many uses) */
  periodEvents: z.array(
    z.object({ id: z.uuid(), title: z.string(), levelLabel: z.string(), stateLabel: z.string(), firstSeenAt: z.string() }),
  ),
  measures: z.array(analysisMeasure),
  comments: z.array(analysisComment),
  attachments: z.array(attachment),
});
export type AnalysisReportDetail = z.infer<typeof analysisReportDetail>;

const measureText = text('措施建议', 2000);
export const createAnalysisReportBody = z.object({
  unitId: z.uuid({ message: '请选择单位' }),
  periodKind: z.enum(analysisPeriodKinds, { message: '请选择周期' }),
  year: z.number().int().min(2000, '年度不正确').max(2100, '年度不正确'),
  /** quarter 1–4 or half 1–2 */
  index: z.number().int().min(1, '期次不正确').max(4, '期次不正确'),
  title: optionalText('标题', 200).optional(),
  situation: optionalText('形势', 20000).default(''),
  risks: optionalText('风险隐患', 20000).default(''),
  measures: z.array(measureText).max(50, '措施建议最多50条').default([]),
  attachmentIds: z.array(z.uuid()).max(50).optional(),
});
export type CreateAnalysisReportBody = z.infer<typeof createAnalysisReportBody>;
/** Editable in 草稿 and 退回; `measures`, when given, replaces the list (measures already made tasks are kept). */
export const updateAnalysisReportBody = z.object({
  title: optionalText('标题', 200).optional(),
  situation: optionalText('形势', 20000).optional(),
  risks: optionalText('风险隐患', 20000).optional(),
  measures: z.array(measureText).max(50, '措施建议最多50条').optional(),
  attachmentIds: z.array(z.uuid()).max(50).optional(),
});
export type UpdateAnalysisReportBody = z.infer<typeof updateAnalysisReportBody>;
export const analysisListQuery = pageQuery.extend({
  unitId: z.uuid().optional(),
  state: z.enum(analysisStates).optional(),
  periodKind: z.enum(analysisPeriodKinds).optional(),
  /** 'true': reports submitted to units in my reach (my review inbox) */
  toMe: z.enum(['true', 'false']).optional(),
});
export type AnalysisListQuery = z.infer<typeof analysisListQuery>;
export const returnAnalysisBody = z.object({ reason: text('退回理由', 2000) });
export const commentBody = z.object({ body: text('意见', 5000) });
export const measureTaskBody = z.object({
  deadline: dateTime,
  /** default: the reporting unit */
  assigneeUnitId: z.uuid().optional(),
  title: optionalText('任务标题', 500).optional(),
});

// ---- public-opinion events (舆情事件)

export const opinionLevels = ['general', 'serious', 'major', 'critical'] as const;
export type OpinionLevel = (typeof opinionLevels)[number];
export const opinionLevelLabels: Record<OpinionLevel, string> = {
  general: '一般',
  serious: '较大',
  major: '重大',
  critical: '特别重大',
};
export const opinionStates = ['found', 'assessing', 'handling', 'responded', 'closed'] as const;
export type OpinionState = (typeof opinionStates)[number];
export const opinionStateLabels: Record<OpinionState, string> = {
  found: '发现',
  assessing: '研判',
  handling: '处置中',
  responded: '已回应',
  closed: '办结',
};
export const opinionActions = ['assess', 'handle', 'respond', 'close'] as const;
export type OpinionAction = (typeof opinionActions)[number];
export const responseKinds = ['statement', 'resolve', 'concern', 'result'] as const;
export type ResponseKind = (typeof responseKinds)[number];
export const responseKindLabels: Record<ResponseKind, string> = {
  statement: '发布说明',
  resolve: '解决问题',
  concern: '回应关切',
  result: '公布结果',
};
export const entryKinds = ['note', 'action', 'comment', 'state', 'escalation', 'response'] as const;
export type EntryKind = (typeof entryKinds)[number];
export const entryKindLabels: Record<EntryKind, string> = {
  note: '情况',
  action: '处置',
  comment: '上级意见',
  state: '状态变更',
  escalation: '上报',
  response: '回应',
};

export const opinionPlatform = z.object({ id: z.uuid(), name: z.string(), sort: z.number().int(), active: z.boolean() });
export type OpinionPlatform = z.infer<typeof opinionPlatform>;

/** Where the topic appeared: a platform and, optionally, the public item's link. Never who posted it. */
export const opinionSource = z.object({
  platformId: z.uuid({ message: '请选择平台' }),
  url: z
    .string()
    .trim()
    .max(1000, '链接不能超过1000个字符')
    .refine((v) => v === '' || /^https?:\/\//i.test(v), '链接须以 http:// 或 https:// 开头')
    .default(''),
});
export const opinionSourceOut = z.object({ platformId: z.uuid(), platformName: z.string(), url: z.string() });

export const opinionEvent = z.object({
  id: z.uuid(),
  unitId: z.uuid(),
  unitName: z.string(),
  title: z.string(),
  summary: z.string(),
  sources: z.array(opinionSourceOut),
  firstSeenAt: z.string(),
  level: z.enum(opinionLevels),
  levelLabel: z.string(),
  state: z.enum(opinionStates),
  stateLabel: z.string(),
  relatedUnitIds: z.array(z.uuid()),
  responsePlanId: z.uuid().nullable(),
  responsePlanTitle: z.string().nullable(),
  escalatedToUnitId: z.uuid().nullable(),
  escalatedToUnitName: z.string().nullable(),
  escalatedAt: z.string().nullable(),
  conclusion: z.string().nullable(),
  /** the clerk who recorded the event (a user of the system, never a poster) */
  createdBy: z.uuid().nullable(),
  createdAt: z.string(),
  closedAt: z.string().nullable(),
  version: z.number().int(),
  /** computed: whole days since first seen */
  ageDays: z.number().int(),
});
export type OpinionEvent = z.infer<typeof opinionEvent>;

export const opinionEntry = z.object({
  id: z.uuid(),
  kind: z.enum(entryKinds),
  kindLabel: z.string(),
  unitId: z.uuid(),
  unitName: z.string(),
  body: z.string(),
  createdBy: z.uuid().nullable(),
  createdByName: z.string().nullable(),
  createdAt: z.string(),
});
export type OpinionEntry = z.infer<typeof opinionEntry>;
export const opinionResponse = z.object({
  id: z.uuid(),
  kind: z.enum(responseKinds),
  kindLabel: z.string(),
  content: z.string(),
  url: z.string(),
  happenedAt: z.string(),
  createdBy: z.uuid().nullable(),
  createdAt: z.string(),
});
export type OpinionResponse = z.infer<typeof opinionResponse>;
export const relatedUnit = z.object({ id: z.uuid(), name: z.string() });
export const opinionEventDetail = opinionEvent.extend({
  relatedUnits: z.array(relatedUnit),
  entries: z.array(opinionEntry),
  responses: z.array(opinionResponse),
  attachments: z.array(attachment),
  /** what the caller may do: the owning unit acts; the unit escalated to comments */
  can: z.object({ act: z.boolean(), comment: z.boolean() }),
});
export type OpinionEventDetail = z.infer<typeof opinionEventDetail>;

const sources = z.array(opinionSource).max(20, '来源最多20条');
export const createOpinionEventBody = z.object({
  unitId: z.uuid({ message: '请选择单位' }),
  title: text('事件标题', 200),
  summary: optionalText('事件概要', 5000).default(''),
  sources: sources.min(1, '请至少填写一个出现平台'),
  firstSeenAt: dateTime,
  level: z.enum(opinionLevels, { message: '请选择等级' }),
  relatedUnitIds: z.array(z.uuid()).max(50).default([]),
  responsePlanId: z.uuid().nullable().optional(),
  attachmentIds: z.array(z.uuid()).max(50).optional(),
});
export type CreateOpinionEventBody = z.infer<typeof createOpinionEventBody>;
export const updateOpinionEventBody = z.object({
  title: text('事件标题', 200).optional(),
  summary: optionalText('事件概要', 5000).optional(),
  sources: sources.min(1, '请至少填写一个出现平台').optional(),
  level: z.enum(opinionLevels, { message: '请选择等级' }).optional(),
  relatedUnitIds: z.array(z.uuid()).max(50).optional(),
  responsePlanId: z.uuid().nullable().optional(),
  attachmentIds: z.array(z.uuid()).max(50).optional(),
});
export type UpdateOpinionEventBody = z.infer<typeof updateOpinionEventBody>;
export const opinionListQuery = pageQuery.extend({
  unitId: z.uuid().optional(),
  state: z.enum(opinionStates).optional(),
  level: z.enum(opinionLevels).optional(),
  open: z.enum(['true', 'false']).optional(),
});
export type OpinionListQuery = z.infer<typeof opinionListQuery>;
export const opinionTransitionBody = z.object({ note: optionalText('说明', 5000).optional() });
export const closeOpinionBody = z.object({ conclusion: text('办结情况', 5000) });
export const opinionEntryBody = z.object({
  kind: z.enum(['note', 'action', 'comment'], { message: '请选择记录类型' }).default('note'),
  body: text('内容', 5000),
});
export const opinionResponseBody = z.object({
  kind: z.enum(responseKinds, { message: '请选择回应方式' }),
  content: text('回应内容', 5000),
  url: opinionSource.shape.url,
  happenedAt: dateTime,
  attachmentIds: z.array(z.uuid()).max(50).optional(),
});
export const escalateBody = z.object({ reason: text('上报理由', 2000) });

export const boardQuery = z.object({ rootUnitId: z.uuid().optional() });
export const ageBuckets = ['d1', 'd3', 'd7', 'older'] as const;
export type AgeBucket = (typeof ageBuckets)[number];
export const ageBucketLabels: Record<AgeBucket, string> = {
  d1: '1天内',
  d3: '1–3天',
  d7: '3–7天',
  older: '7天以上',
};
export const opinionBoard = z.object({
  total: z.number().int(),
  /** count per level and age bucket */
  cells: z.array(z.object({ level: z.enum(opinionLevels), age: z.enum(ageBuckets), count: z.number().int() })),
  events: z.array(opinionEvent),
});
export type OpinionBoard = z.infer<typeof opinionBoard>;

// ---- emergency plans (应急预案)

export const responsePlanVersion = z.object({
  id: z.uuid(),
  version: z.number().int(),
  body: z.string(),
  levels: z.array(z.enum(opinionLevels)),
  notifyPeople: z.array(z.object({ id: z.uuid(), displayName: z.string() })),
  note: z.string(),
  createdBy: z.uuid().nullable(),
  createdAt: z.string(),
  attachments: z.array(attachment),
});
export const responseDrill = z.object({
  id: z.uuid(),
  heldAt: z.string(),
  scenario: z.string(),
  summary: z.string(),
  createdBy: z.uuid().nullable(),
  createdAt: z.string(),
  attachments: z.array(attachment),
});
export const responsePlan = z.object({
  id: z.uuid(),
  unitId: z.uuid(),
  unitName: z.string(),
  title: z.string(),
  currentVersion: z.number().int(),
  levels: z.array(z.enum(opinionLevels)),
  drillCount: z.number().int(),
  lastDrillAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ResponsePlan = z.infer<typeof responsePlan>;
export const responsePlanDetail = responsePlan.extend({
  versions: z.array(responsePlanVersion),
  drills: z.array(responseDrill),
});
export type ResponsePlanDetail = z.infer<typeof responsePlanDetail>;
const planVersionFields = {
  body: optionalText('预案正文', 50000).default(''),
  levels: z.array(z.enum(opinionLevels)).min(1, '请选择适用等级'),
  notifyPersonIds: z.array(z.uuid()).max(200).default([]),
  attachmentIds: z.array(z.uuid()).max(50).optional(),
};
export const createResponsePlanBody = z.object({
  unitId: z.uuid({ message: '请选择单位' }),
  title: text('预案名称', 200),
  ...planVersionFields,
});
export type CreateResponsePlanBody = z.infer<typeof createResponsePlanBody>;
export const createPlanVersionBody = z.object({ ...planVersionFields, note: optionalText('修订说明', 2000).default('') });
export type CreatePlanVersionBody = z.infer<typeof createPlanVersionBody>;
export const createDrillBody = z.object({
  heldAt: dateTime,
  scenario: text('演练情景', 2000),
  summary: optionalText('演练总结', 20000).default(''),
  attachmentIds: z.array(z.uuid()).max(50).optional(),
});
export type CreateDrillBody = z.infer<typeof createDrillBody>;
export const responsePlanListQuery = pageQuery.extend({ unitId: z.uuid().optional() });

// ---- bulletins (通报)

export const bulletinTarget = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('units'), unitIds: z.array(z.uuid()).min(1, '请选择单位').max(2000) }),
  /** every unit below the sender (optionally only those of some types) */
  z.object({ kind: z.literal('subtree'), unitTypes: z.array(z.enum(unitTypes)).max(20).optional() }),
]);
export type BulletinTarget = z.infer<typeof bulletinTarget>;
export const bulletin = z.object({
  id: z.uuid(),
  unitId: z.uuid(),
  unitName: z.string(),
  title: z.string(),
  body: z.string(),
  remindAfterDays: z.number().int(),
  sentBy: z.uuid().nullable(),
  sentAt: z.string(),
  recipientCount: z.number().int(),
  readCount: z.number().int(),
  /** for an inbox row: whether my unit / I have read it */
  unitReadAt: z.string().nullable().optional(),
  myReadAt: z.string().nullable().optional(),
});
export type Bulletin = z.infer<typeof bulletin>;
export const bulletinDetail = bulletin.extend({ attachments: z.array(attachment), canReceipts: z.boolean() });
export type BulletinDetail = z.infer<typeof bulletinDetail>;
export const sendBulletinBody = z.object({
  unitId: z.uuid({ message: '请选择发文单位' }),
  title: text('通报标题', 200),
  body: text('通报正文', 50000),
  target: bulletinTarget,
  remindAfterDays: z.number().int().min(1, '提醒天数至少为1天').max(60, '提醒天数不能超过60天').default(3),
  attachmentIds: z.array(z.uuid()).max(50).optional(),
});
export type SendBulletinBody = z.infer<typeof sendBulletinBody>;
export const bulletinListQuery = pageQuery.extend({ unitId: z.uuid().optional() });
export const bulletinInboxQuery = pageQuery.extend({ unread: z.enum(['true', 'false']).optional() });
export const bulletinReceipts = z.object({
  total: z.number().int(),
  read: z.number().int(),
  units: z.array(
    z.object({
      unitId: z.uuid(),
      unitName: z.string(),
      readAt: z.string().nullable(),
      readers: z.array(z.object({ personId: z.uuid(), displayName: z.string(), readAt: z.string() })),
    }),
  ),
});
export type BulletinReceipts = z.infer<typeof bulletinReceipts>;
export const readResult = z.object({ ok: z.literal(true), firstForPerson: z.boolean(), firstForUnit: z.boolean() });
