/** Rectify module (巡视巡察整改): inspections, their findings (问题) and rectification items with sign-off and re-check. */
import { z } from 'zod';
import { pageQuery } from './common.js';
import { attachment } from './system.js';

export const inspectionKinds = ['tour', 'patrol', 'supervision', 'special'] as const;
export type InspectionKind = (typeof inspectionKinds)[number];
export const inspectionKindLabels: Record<InspectionKind, string> = {
  tour: '巡视',
  patrol: '巡察',
  supervision: '督查',
  special: '专项检查',
};

/** Item states (stored keys) and labels; the transitions live in server/src/modules/rectify/items.ts. */
export const rectifyItemStates = ['open', 'submitted', 'signedOff'] as const;
export type RectifyItemState = (typeof rectifyItemStates)[number];
export const rectifyItemStateLabels: Record<RectifyItemState, string> = {
  open: '整改中',
  submitted: '已提交',
  signedOff: '已销号',
};
export const rectifyItemActions = ['submit', 'signOff', 'return', 'recheckPass', 'reopen'] as const;
export type RectifyItemAction = (typeof rectifyItemActions)[number];
export const rectifyItemActionLabels: Record<RectifyItemAction, string> = {
  submit: '提交整改情况',
  signOff: '销号',
  return: '退回',
  recheckPass: '复查通过',
  reopen: '复查重新整改',
};

const dateTime = z.iso.datetime({ offset: true, message: '请输入正确的时间' });
const date = z.iso.date({ message: '请输入正确的日期' });

export const inspection = z.object({
  id: z.uuid(),
  kind: z.enum(inspectionKinds),
  kindLabel: z.string(),
  title: z.string(),
  /** the unit that runs the inspection and signs items off */
  inspectingUnitId: z.uuid(),
  inspectingUnitName: z.string(),
  /** the inspecting body as named in its feedback, e.g. 县委第二巡察组 */
  inspectingBody: z.string(),
  inspectedUnitId: z.uuid(),
  inspectedUnitName: z.string(),
  startedOn: z.string(),
  endedOn: z.string().nullable(),
  feedbackOn: z.string().nullable(),
  description: z.string(),
  createdAt: z.string(),
  /** computed over its items */
  itemCount: z.number().int(),
  signedOffCount: z.number().int(),
  overdueCount: z.number().int(),
  /** whether the caller may manage it (add findings and items, edit) */
  canManage: z.boolean(),
});
export type Inspection = z.infer<typeof inspection>;

export const rectifyItem = z.object({
  id: z.uuid(),
  findingId: z.uuid(),
  findingText: z.string(),
  inspectionId: z.uuid(),
  inspectionTitle: z.string(),
  unitId: z.uuid(),
  unitName: z.string(),
  ownerPersonId: z.uuid().nullable(),
  ownerPersonName: z.string().nullable(),
  measure: z.string(),
  deadline: z.string(),
  requiredEvidence: z.string(),
  state: z.enum(rectifyItemStates),
  stateLabel: z.string(),
  progress: z.string().nullable(),
  returnReason: z.string().nullable(),
  reopenReason: z.string().nullable(),
  /** computed: deadline passed and not 已销号 */
  overdue: z.boolean(),
  submittedAt: z.string().nullable(),
  signedOffAt: z.string().nullable(),
  /** when the 防反弹 re-check of a signed-off item is due */
  recheckDueAt: z.string().nullable(),
  version: z.number().int(),
  actions: z.array(z.enum(rectifyItemActions)),
  createdAt: z.string(),
});
export type RectifyItem = z.infer<typeof rectifyItem>;

export const recheck = z.object({
  id: z.uuid(),
  dueAt: z.string(),
  state: z.enum(['pending', 'passed', 'reopened']),
  note: z.string().nullable(),
  checkedByName: z.string().nullable(),
  checkedAt: z.string().nullable(),
});
export type Recheck = z.infer<typeof recheck>;
export const rectifyItemDetail = rectifyItem.extend({ attachments: z.array(attachment), rechecks: z.array(recheck) });
export type RectifyItemDetail = z.infer<typeof rectifyItemDetail>;

export const finding = z.object({
  id: z.uuid(),
  inspectionId: z.uuid(),
  seq: z.number().int(),
  category: z.string(),
  description: z.string(),
  items: z.array(rectifyItem),
});
export type Finding = z.infer<typeof finding>;
export const inspectionDetail = inspection.extend({ findings: z.array(finding), attachments: z.array(attachment) });
export type InspectionDetail = z.infer<typeof inspectionDetail>;

export const createInspectionBody = z.object({
  kind: z.enum(inspectionKinds, { message: '请选择检查类型' }),
  title: z.string().trim().min(1, '请输入名称').max(200, '名称不能超过200个字符'),
  inspectingUnitId: z.uuid({ message: '请选择检查单位' }),
  inspectingBody: z.string().trim().max(200, '检查组织不能超过200个字符').default(''),
  inspectedUnitId: z.uuid({ message: '请选择被检查单位' }),
  startedOn: date,
  endedOn: date.nullable().optional(),
  feedbackOn: date.nullable().optional(),
  description: z.string().max(5000, '说明不能超过5000个字符').default(''),
  attachmentIds: z.array(z.uuid()).max(50).optional(),
});
export type CreateInspectionBody = z.infer<typeof createInspectionBody>;
export const updateInspectionBody = z.object({
  title: z.string().trim().min(1, '请输入名称').max(200, '名称不能超过200个字符').optional(),
  inspectingBody: z.string().trim().max(200, '检查组织不能超过200个字符').optional(),
  startedOn: date.optional(),
  endedOn: date.nullable().optional(),
  feedbackOn: date.nullable().optional(),
  description: z.string().max(5000, '说明不能超过5000个字符').optional(),
  attachmentIds: z.array(z.uuid()).max(50).optional(),
});
export type UpdateInspectionBody = z.infer<typeof updateInspectionBody>;
export const inspectionListQuery = pageQuery.extend({
  kind: z.enum(inspectionKinds).optional(),
  /** the inspected unit and its subtree */
  unitId: z.uuid().optional(),
});
export type InspectionListQuery = z.infer<typeof inspectionListQuery>;

export const createFindingBody = z.object({
  category: z.string().trim().max(100, '问题类别不能超过100个字符').default(''),
  description: z.string().trim().min(1, '请输入问题描述').max(5000, '问题描述不能超过5000个字符'),
});
export type CreateFindingBody = z.infer<typeof createFindingBody>;

export const createRectifyItemBody = z.object({
  unitId: z.uuid({ message: '请选择责任单位' }),
  ownerPersonId: z.uuid({ message: '请选择责任人' }).nullable().optional(),
  measure: z.string().trim().min(1, '请输入整改措施').max(5000, '整改措施不能超过5000个字符'),
  deadline: dateTime,
  requiredEvidence: z.string().max(2000, '佐证要求不能超过2000个字符').default(''),
});
export type CreateRectifyItemBody = z.infer<typeof createRectifyItemBody>;
/** corrections by the inspecting side while the item is not signed off (e.g. an agreed new deadline) */
export const updateRectifyItemBody = z.object({
  ownerPersonId: z.uuid({ message: '请选择责任人' }).nullable().optional(),
  measure: z.string().trim().min(1, '请输入整改措施').max(5000, '整改措施不能超过5000个字符').optional(),
  deadline: dateTime.optional(),
  requiredEvidence: z.string().max(2000, '佐证要求不能超过2000个字符').optional(),
});
export type UpdateRectifyItemBody = z.infer<typeof updateRectifyItemBody>;

export const rectifyItemListQuery = pageQuery.extend({
  state: z.enum(rectifyItemStates).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  inspectionId: z.uuid().optional(),
  /** the owner unit and its subtree */
  unitId: z.uuid().optional(),
  /** items the caller's unit owns (their work) */
  mine: z.enum(['true', 'false']).optional(),
});
export type RectifyItemListQuery = z.infer<typeof rectifyItemListQuery>;

export const submitRectifyItemBody = z.object({
  progress: z.string().trim().min(1, '请填写整改情况').max(5000, '整改情况不能超过5000个字符'),
  attachmentIds: z.array(z.uuid()).max(50).optional(),
});
export const returnRectifyItemBody = z.object({
  reason: z.string().trim().min(1, '请填写退回理由').max(2000, '退回理由不能超过2000个字符'),
});
export const signOffRectifyItemBody = z.object({ note: z.string().max(2000, '销号意见不能超过2000个字符').optional() });
export const recheckRectifyItemBody = z
  .object({
    result: z.enum(['passed', 'reopened'], { message: '请选择复查结果' }),
    note: z.string().trim().max(2000, '复查意见不能超过2000个字符').default(''),
  })
  .refine((b) => b.result === 'passed' || b.note.length > 0, { message: '重新整改须填写理由', path: ['note'] });

export const rectifyBoardQuery = z.object({ rootUnitId: z.uuid({ message: '请选择单位' }).optional() });
const counts = {
  total: z.number().int(),
  open: z.number().int(),
  submitted: z.number().int(),
  signedOff: z.number().int(),
  overdue: z.number().int(),
};
export const rectifyBoard = z.object({
  inspections: z.array(z.object({ inspectionId: z.uuid(), title: z.string(), inspectedUnitName: z.string(), ...counts })),
  units: z.array(z.object({ unitId: z.uuid(), unitName: z.string(), ...counts })),
  totals: z.object(counts),
  recheckDue: z.number().int(),
});
export type RectifyBoard = z.infer<typeof rectifyBoard>;
