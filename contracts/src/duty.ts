/** Duty module: annual plans, their items, and the tasks assigned from them (fan-out to units). */
import { z } from 'zod';
import { pageQuery } from './common.js';
import { unitTypes } from './org.js';
import { attachment } from './system.js';

/** Task states (stored keys) and their UI labels; the transitions live in server/src/modules/duty/tasks.ts. */
export const taskStates = ['todo', 'inProgress', 'submitted', 'done', 'returned'] as const;
export type TaskState = (typeof taskStates)[number];
export const taskStateLabels: Record<TaskState, string> = {
  todo: '待办',
  inProgress: '进行中',
  submitted: '已提交',
  done: '已办结',
  returned: '退回',
};
export const taskActions = ['start', 'submit', 'confirm', 'return'] as const;
export type TaskAction = (typeof taskActions)[number];

const dateTime = z.iso.datetime({ offset: true, message: '请输入正确的时间' });

export const planItem = z.object({
  id: z.uuid(),
  planId: z.uuid(),
  section: z.string(),
  title: z.string(),
  sort: z.number().int(),
});
export type PlanItem = z.infer<typeof planItem>;

export const plan = z.object({
  id: z.uuid(),
  unitId: z.uuid(),
  unitName: z.string(),
  year: z.number().int(),
  title: z.string(),
  createdBy: z.uuid().nullable(),
  createdAt: z.string(),
});
export type Plan = z.infer<typeof plan>;
export const planDetail = plan.extend({ items: z.array(planItem) });
export type PlanDetail = z.infer<typeof planDetail>;

const year = z.coerce.number().int().min(2000, '年度不正确').max(2100, '年度不正确');
export const createPlanBody = z.object({
  unitId: z.uuid({ message: '请选择单位' }),
  year,
  title: z.string().trim().min(1, '请输入方案标题').max(200, '方案标题不能超过200个字符'),
});
export const planListQuery = z.object({ unitId: z.uuid().optional(), year: year.optional() });
export const createPlanItemBody = z.object({
  section: z.string().trim().max(100, '章节不能超过100个字符').default(''),
  title: z.string().trim().min(1, '请输入工作要点').max(500, '工作要点不能超过500个字符'),
  sort: z.number().int().min(0).max(100000).optional(),
});

export const assignTarget = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('units'), unitIds: z.array(z.uuid()).min(1, '请选择单位').max(2000) }),
  z.object({
    kind: z.literal('descendants'),
    rootUnitId: z.uuid({ message: '请选择上级单位' }),
    unitType: z.enum(unitTypes).optional(),
    directChildrenOnly: z.boolean().optional(),
  }),
]);
export type AssignTarget = z.infer<typeof assignTarget>;
export const assignPlanItemBody = z.object({
  target: assignTarget,
  title: z.string().trim().min(1, '请输入任务标题').max(500, '任务标题不能超过500个字符').optional(),
  description: z.string().max(5000, '说明不能超过5000个字符').optional(),
  deadline: dateTime,
  requiredEvidence: z.string().max(2000, '佐证要求不能超过2000个字符').optional(),
});

/** what the caller may do to a task now: its state and the caller's side decide */
export const taskCallerActions = [...taskActions, 'urge', 'setAssignee'] as const;
export type TaskCallerAction = (typeof taskCallerActions)[number];

export const task = z.object({
  id: z.uuid(),
  unitId: z.uuid(),
  unitName: z.string(),
  planItemId: z.uuid().nullable(),
  assignerUnitId: z.uuid(),
  assignerUnitName: z.string(),
  assignerPersonId: z.uuid().nullable(),
  assigneePersonId: z.uuid().nullable(),
  assigneePersonName: z.string().nullable(),
  title: z.string(),
  description: z.string(),
  deadline: z.string(),
  requiredEvidence: z.string(),
  state: z.enum(taskStates),
  stateLabel: z.string(),
  progress: z.string().nullable(),
  returnReason: z.string().nullable(),
  version: z.number().int(),
  /** computed: deadline passed and not 已办结 */
  overdue: z.boolean(),
  /** set when another module made the task (a meeting resolution, a self-check problem, …) */
  source: z.object({ type: z.string(), id: z.string(), label: z.string() }).nullable(),
  /** the actions the caller may take now (the UI shows exactly these buttons) */
  actions: z.array(z.enum(taskCallerActions)),
  createdAt: z.string(),
  submittedAt: z.string().nullable(),
  doneAt: z.string().nullable(),
});
export type Task = z.infer<typeof task>;
export const taskDetail = task.extend({ attachments: z.array(attachment) });
export type TaskDetail = z.infer<typeof taskDetail>;
export const assignResult = z.object({ created: z.number().int(), tasks: z.array(task) });

export const taskListQuery = pageQuery.extend({
  state: z.enum(taskStates).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  planId: z.uuid().optional(),
  unitId: z.uuid().optional(),
  deadlineFrom: dateTime.optional(),
  deadlineTo: dateTime.optional(),
  mine: z.enum(['true', 'false']).optional(),
});
export type TaskListQuery = z.infer<typeof taskListQuery>;

export const submitTaskBody = z.object({
  progress: z.string().trim().min(1, '请填写进展情况').max(5000, '进展情况不能超过5000个字符'),
  attachmentIds: z.array(z.uuid()).max(50).optional(),
});
export const returnTaskBody = z.object({
  reason: z.string().trim().min(1, '请填写退回理由').max(2000, '退回理由不能超过2000个字符'),
});
/** 承办人: the person of the assignee unit who handles the task (null: the unit as a whole) */
export const setAssigneeBody = z.object({ personId: z.uuid({ message: '请选择承办人' }).nullable() });
export const urgeResult = z.object({ ok: z.literal(true), notified: z.number().int() });
