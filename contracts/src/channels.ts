/**
 * Channels module (阵地): the registry of a unit's own channels with their review chains, publication
 * review (谁发布谁审核), event filing (活动报备, 一会一报) and periodic self-checks (自查摸排).
 */
import { z } from 'zod';
import { pageQuery } from './common.js';
import { attachment } from './system.js';

const dateTime = z.iso.datetime({ offset: true, message: '请输入正确的时间' });
const text = (label: string, max: number) => z.string().trim().min(1, `请输入${label}`).max(max, `${label}不能超过${max}个字符`);

// ---- dictionaries (global, editable by a top unit's admin): channel types, review checklist, event kinds,
// self-check template items

export const channelDictKinds = ['channelType', 'reviewCheck', 'eventKind', 'selfCheckItem'] as const;
export type ChannelDictKind = (typeof channelDictKinds)[number];
export const channelDictKindLabels: Record<ChannelDictKind, string> = {
  channelType: '阵地类型',
  reviewCheck: '审核要点',
  eventKind: '活动类型',
  selfCheckItem: '自查项目',
};
export const channelDictParams = z.object({ kind: z.enum(channelDictKinds, { message: '字典类型不正确' }) });
export const channelDictItemParams = channelDictParams.extend({ id: z.uuid({ message: '编号格式不正确' }) });

export const channelDictItem = z.object({
  id: z.uuid(),
  kind: z.enum(channelDictKinds),
  name: z.string(),
  sort: z.number().int(),
  active: z.boolean(),
  /** event kinds: the filing must arrive this many days ahead (default 7) */
  leadDays: z.number().int(),
  /** event kinds: the parent unit approves too */
  requiresParent: z.boolean(),
});
export type ChannelDictItem = z.infer<typeof channelDictItem>;
const sort = z.number().int().min(0).max(100000);
const leadDays = z.number().int('提前天数须为整数').min(0, '提前天数不能小于0').max(90, '提前天数不能超过90');
export const createChannelDictBody = z.object({
  name: text('名称', 100),
  sort: sort.optional(),
  active: z.boolean().optional(),
  leadDays: leadDays.optional(),
  requiresParent: z.boolean().optional(),
});
export const updateChannelDictBody = createChannelDictBody.partial();

// ---- channels

export const channelStatuses = ['running', 'paused', 'closed'] as const;
export type ChannelStatus = (typeof channelStatuses)[number];
export const channelStatusLabels: Record<ChannelStatus, string> = { running: '运行', paused: '暂停', closed: '关停' };
export const reviewLevelLabels = ['初审', '复审', '终审'] as const;

export const channelReviewer = z.object({ level: z.number().int(), personId: z.uuid(), displayName: z.string() });
export const channel = z.object({
  id: z.uuid(),
  /** 主办单位: the unit that runs the channel and owns the record */
  unitId: z.uuid(),
  unitName: z.string(),
  /** 主管单位: the unit itself or one of its ancestors */
  supervisorUnitId: z.uuid(),
  supervisorUnitName: z.string(),
  typeId: z.uuid(),
  typeName: z.string(),
  name: z.string(),
  /** URL or account name of the unit's own channel */
  address: z.string(),
  responsiblePersonId: z.uuid().nullable(),
  responsibleName: z.string().nullable(),
  status: z.enum(channelStatuses),
  statusLabel: z.string(),
  reviewLevels: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Channel = z.infer<typeof channel>;
export const channelDetail = channel.extend({ reviewers: z.array(channelReviewer) });
export type ChannelDetail = z.infer<typeof channelDetail>;

const reviewerIds = z
  .array(z.uuid({ message: '请选择审核人' }))
  .min(1, '每一级至少指定一名审核人')
  .max(20, '每一级最多20名审核人');
export const reviewChain = z.array(reviewerIds).min(1, '审核流程至少一级').max(3, '审核流程最多三级（初审、复审、终审）');
export const createChannelBody = z.object({
  unitId: z.uuid({ message: '请选择主办单位' }),
  supervisorUnitId: z.uuid({ message: '请选择主管单位' }),
  typeId: z.uuid({ message: '请选择阵地类型' }),
  name: text('阵地名称', 200),
  address: z.string().trim().max(500, '网址或账号不能超过500个字符').default(''),
  responsiblePersonId: z.uuid({ message: '请选择责任人' }).nullable().optional(),
  status: z.enum(channelStatuses, { message: '请选择状态' }).default('running'),
  /** reviewers per level: [初审 ids], [复审 ids], [终审 ids] — its length is the number of levels */
  reviewChain,
});
export type CreateChannelBody = z.infer<typeof createChannelBody>;
export const updateChannelBody = z.object({
  supervisorUnitId: z.uuid({ message: '请选择主管单位' }).optional(),
  typeId: z.uuid({ message: '请选择阵地类型' }).optional(),
  name: text('阵地名称', 200).optional(),
  address: z.string().trim().max(500, '网址或账号不能超过500个字符').optional(),
  responsiblePersonId: z.uuid({ message: '请选择责任人' }).nullable().optional(),
  status: z.enum(channelStatuses, { message: '请选择状态' }).optional(),
  reviewChain: reviewChain.optional(),
});
export type UpdateChannelBody = z.infer<typeof updateChannelBody>;
export const channelListQuery = pageQuery.extend({
  unitId: z.uuid().optional(),
  typeId: z.uuid().optional(),
  status: z.enum(channelStatuses).optional(),
});
export type ChannelListQuery = z.infer<typeof channelListQuery>;

export const channelStat = z.object({
  channelId: z.uuid(),
  channelName: z.string(),
  unitName: z.string(),
  submitted: z.number().int(),
  returned: z.number().int(),
  published: z.number().int(),
  /** median hours from the last submission to the final approval, null when nothing was approved yet */
  medianReviewHours: z.number().nullable(),
});
export type ChannelStat = z.infer<typeof channelStat>;
export const channelStatsQuery = z.object({ unitId: z.uuid().optional() });

// ---- publications (稿件) and their review

export const publicationStates = ['draft', 'review1', 'review2', 'review3', 'toPublish', 'published', 'returned', 'withdrawn'] as const;
export type PublicationState = (typeof publicationStates)[number];
export const publicationStateLabels: Record<PublicationState, string> = {
  draft: '草稿',
  review1: '待初审',
  review2: '待复审',
  review3: '待终审',
  toPublish: '待发布',
  published: '已发布',
  returned: '退回',
  withdrawn: '撤回',
};
export const publicationActions = ['submit', 'approve', 'return', 'publish', 'withdraw'] as const;
export type PublicationAction = (typeof publicationActions)[number];

export const checklistEntry = z.object({
  itemId: z.uuid({ message: '审核要点不正确' }),
  name: z.string().optional(),
  ok: z.boolean({ message: '请勾选审核要点' }),
});
export type ChecklistEntry = z.infer<typeof checklistEntry>;

export const publicationStep = z.object({
  id: z.uuid(),
  action: z.enum(publicationActions),
  fromState: z.enum(publicationStates),
  toState: z.enum(publicationStates),
  level: z.number().int().nullable(),
  actorId: z.uuid().nullable(),
  actorName: z.string(),
  comment: z.string(),
  checklist: z.array(z.object({ itemId: z.string(), name: z.string(), ok: z.boolean() })),
  createdAt: z.string(),
});
export type PublicationStep = z.infer<typeof publicationStep>;

export const publication = z.object({
  id: z.uuid(),
  channelId: z.uuid(),
  channelName: z.string(),
  unitId: z.uuid(),
  unitName: z.string(),
  authorId: z.uuid(),
  authorName: z.string(),
  title: z.string(),
  plannedAt: z.string().nullable(),
  state: z.enum(publicationStates),
  stateLabel: z.string(),
  /** the number of review levels, fixed when the item is submitted */
  levels: z.number().int(),
  publishedUrl: z.string().nullable(),
  publishedAt: z.string().nullable(),
  returnReason: z.string().nullable(),
  withdrawReason: z.string().nullable(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Publication = z.infer<typeof publication>;
export const publicationDetail = publication.extend({
  /** sanitized rich text (HTML) */
  body: z.string(),
  steps: z.array(publicationStep),
  attachments: z.array(attachment),
  /** whether the caller may review the current step */
  canReview: z.boolean(),
});
export type PublicationDetail = z.infer<typeof publicationDetail>;

const body = z.string().max(200_000, '正文过长');
export const createPublicationBody = z.object({
  channelId: z.uuid({ message: '请选择阵地' }),
  title: text('标题', 300),
  body: body.default(''),
  plannedAt: dateTime.nullable().optional(),
  attachmentIds: z.array(z.uuid()).max(50).optional(),
});
export type CreatePublicationBody = z.infer<typeof createPublicationBody>;
export const updatePublicationBody = z.object({
  title: text('标题', 300).optional(),
  body: body.optional(),
  plannedAt: dateTime.nullable().optional(),
  attachmentIds: z.array(z.uuid()).max(50).optional(),
});
export type UpdatePublicationBody = z.infer<typeof updatePublicationBody>;
/** the level the reviewer saw (1–3): a step already taken by someone else is then a 409, not a 403 */
const reviewLevel = z.number().int().min(1, '审核级别不正确').max(3, '审核级别不正确').optional();
export const reviewPublicationBody = z.object({
  comment: z.string().trim().max(2000, '审核意见不能超过2000个字符').default(''),
  checklist: z.array(checklistEntry).max(50).default([]),
  level: reviewLevel,
});
export const returnPublicationBody = z.object({
  comment: text('退回理由', 2000),
  checklist: z.array(checklistEntry).max(50).default([]),
  level: reviewLevel,
});
export const publishPublicationBody = z.object({
  // shown as a link to every reader: http(s) only, never javascript: or data:
  url: z
    .string()
    .trim()
    .min(1, '请输入发布链接')
    .max(1000, '发布链接不能超过1000个字符')
    .refine((v) => /^https?:\/\/[^\s/]/i.test(v), '发布链接须以 http:// 或 https:// 开头'),
  publishedAt: dateTime.optional(),
});
export const withdrawPublicationBody = z.object({ reason: text('撤回原因', 2000) });
export const publicationListQuery = pageQuery.extend({
  /** mine: my submissions; inbox: waiting for my review; all: everything readable */
  box: z.enum(['mine', 'inbox', 'all']).default('all'),
  channelId: z.uuid().optional(),
  state: z.enum(publicationStates).optional(),
});
export type PublicationListQuery = z.infer<typeof publicationListQuery>;

// ---- event filing (活动报备)

export const eventFilingStates = ['draft', 'pending', 'pendingParent', 'approved', 'rejected', 'done'] as const;
export type EventFilingState = (typeof eventFilingStates)[number];
export const eventFilingStateLabels: Record<EventFilingState, string> = {
  draft: '草稿',
  pending: '待本单位审批',
  pendingParent: '待上级审批',
  approved: '已同意',
  rejected: '不同意',
  done: '已总结',
};
export const eventFilingActions = ['submit', 'approve', 'approveParent', 'reject', 'summarize'] as const;
export type EventFilingAction = (typeof eventFilingActions)[number];

/** A speaker: name and affiliation only — nothing about their views. */
export const speaker = z.object({
  name: text('主讲人姓名', 50),
  affiliation: z.string().trim().max(200, '工作单位不能超过200个字符').default(''),
});
export const eventFiling = z.object({
  id: z.uuid(),
  unitId: z.uuid(),
  unitName: z.string(),
  kindId: z.uuid(),
  kindName: z.string(),
  topic: z.string(),
  speakers: z.array(z.object({ name: z.string(), affiliation: z.string() })),
  venue: z.string(),
  startsAt: z.string(),
  endsAt: z.string().nullable(),
  expectedAudience: z.number().int(),
  leadDays: z.number().int(),
  requiresParent: z.boolean(),
  state: z.enum(eventFilingStates),
  stateLabel: z.string(),
  submittedAt: z.string().nullable(),
  /** computed: submitted less than `leadDays` days before the event */
  late: z.boolean(),
  decisionComment: z.string().nullable(),
  summary: z.string().nullable(),
  createdBy: z.uuid().nullable(),
  createdAt: z.string(),
});
export type EventFiling = z.infer<typeof eventFiling>;
export const eventFilingDetail = eventFiling.extend({ attachments: z.array(attachment) });
export type EventFilingDetail = z.infer<typeof eventFilingDetail>;
export const createEventFilingBody = z.object({
  unitId: z.uuid({ message: '请选择主办单位' }),
  kindId: z.uuid({ message: '请选择活动类型' }),
  topic: text('主题', 300),
  speakers: z.array(speaker).max(30, '主讲人最多30位').default([]),
  venue: text('地点', 300),
  startsAt: dateTime,
  endsAt: dateTime.nullable().optional(),
  expectedAudience: z.number().int('人数须为整数').min(0, '人数不能小于0').max(1_000_000).default(0),
  /** outline and other materials */
  attachmentIds: z.array(z.uuid()).max(20).optional(),
});
export type CreateEventFilingBody = z.infer<typeof createEventFilingBody>;
export const updateEventFilingBody = createEventFilingBody.omit({ unitId: true }).partial();
export type UpdateEventFilingBody = z.infer<typeof updateEventFilingBody>;
export const decideEventFilingBody = z.object({ comment: z.string().trim().max(2000, '意见不能超过2000个字符').default('') });
export const rejectEventFilingBody = z.object({ comment: text('不同意的理由', 2000) });
export const summarizeEventFilingBody = z.object({
  summary: text('活动总结', 5000),
  attachmentIds: z.array(z.uuid()).max(20).optional(),
});
export const eventFilingListQuery = pageQuery.extend({
  unitId: z.uuid().optional(),
  state: z.enum(eventFilingStates).optional(),
  late: z.enum(['true', 'false']).optional(),
  /** events starting at or after `from` and before `to` (the calendar) */
  from: dateTime.optional(),
  to: dateTime.optional(),
});
export type EventFilingListQuery = z.infer<typeof eventFilingListQuery>;

// ---- self-check (自查摸排)

export const selfCheckRound = z.object({
  id: z.uuid(),
  unitId: z.uuid(),
  unitName: z.string(),
  periodKey: z.string(),
  label: z.string(),
  items: z.array(z.string()),
  dueAt: z.string(),
  channelCount: z.number().int(),
  checkedCount: z.number().int(),
  createdAt: z.string(),
});
export type SelfCheckRound = z.infer<typeof selfCheckRound>;
export const selfCheckProblem = z.object({ text: z.string(), taskId: z.uuid().nullable() });
export const selfCheckResult = z.object({
  id: z.uuid(),
  roundId: z.uuid(),
  channelId: z.uuid(),
  channelName: z.string(),
  answers: z.array(z.object({ item: z.string(), ok: z.boolean(), note: z.string() })),
  problems: z.array(selfCheckProblem),
  checkedBy: z.uuid().nullable(),
  checkedAt: z.string(),
});
export type SelfCheckResult = z.infer<typeof selfCheckResult>;
export const selfCheckRoundDetail = selfCheckRound.extend({
  channels: z.array(z.object({ channelId: z.uuid(), channelName: z.string(), result: selfCheckResult.nullable() })),
});
export type SelfCheckRoundDetail = z.infer<typeof selfCheckRoundDetail>;
export const createSelfCheckRoundBody = z.object({
  unitId: z.uuid({ message: '请选择单位' }),
  /** defaults to the current quarter */
  year: z.number().int().min(2000).max(2100).optional(),
  quarter: z.number().int().min(1, '季度须为1-4').max(4, '季度须为1-4').optional(),
});
export const saveSelfCheckResultBody = z.object({
  channelId: z.uuid({ message: '请选择阵地' }),
  answers: z
    .array(
      z.object({
        item: text('自查项目', 200),
        ok: z.boolean(),
        note: z.string().trim().max(1000, '说明不能超过1000个字符').default(''),
      }),
    )
    .max(50),
  problems: z.array(text('问题描述', 1000)).max(30, '问题最多30条').default([]),
});
export type SaveSelfCheckResultBody = z.infer<typeof saveSelfCheckResultBody>;
export const selfCheckProblemParams = z.object({
  id: z.uuid({ message: '编号格式不正确' }),
  index: z.coerce.number().int().min(0, '问题序号不正确').max(29, '问题序号不正确'),
});
export const selfCheckProblemTaskBody = z.object({
  deadline: dateTime,
  title: z.string().trim().min(1, '请输入任务标题').max(500, '任务标题不能超过500个字符').optional(),
});
export const selfCheckRoundListQuery = pageQuery.extend({ unitId: z.uuid().optional() });
