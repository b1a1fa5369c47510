/**
 * Tasks: the state machine (the one `transitions` table), reads and lists in scope, 督办 (urge) and the
 * reminder job.
 *
 * Who may act: the assignee side is whoever has `task.work` in the task's unit (start, submit); the
 * assigner side is whoever has `task.assign` in the assigner unit (confirm, return, urge). A task is
 * readable by `task.read` in either unit; unreadable tasks answer 404, readable ones acted on by the
 * wrong side 403.
 */
import {
  roleKeys,
  roles,
  type Task,
  type TaskAction,
  type TaskCallerAction,
  type TaskDetail,
  type TaskListQuery,
  type TaskState,
  taskStateLabels,
} from '@dutyledger/contracts';
import { and, arrayOverlaps, asc, count, eq, gte, inArray, isNull, lt, lte, ne, or, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { linkAttachment, listAttachmentsOf, registerAttachmentEntity } from '../../core/attachments/service.js';
import { writeAudit } from '../../core/audit.js';
import { type Ctx, inTx } from '../../core/context.js';
import { AppError, forbidden, invalid, notFound } from '../../core/errors.js';
import { notify } from '../../core/notifications/service.js';
import { localDate } from '../../core/periods.js';
import { claimOnce, registerJob } from '../../core/scheduler.js';
import { people, posts, units } from '../../core/schema.js';
import { canInUnit, inScope, inScopeOfAny, requireActor } from '../../core/scope.js';
import { containsPattern } from '../../core/search.js';
import { planItems, tasks } from './schema.js';

// ---- the state machine: the one place that says which action moves a task from where to where, by whom

type Side = 'assignee' | 'assigner';
export const transitions: Record<TaskAction, { label: string; from: readonly TaskState[]; to: TaskState; side: Side }> = {
  start: { label: '开始办理', from: ['todo', 'returned'], to: 'inProgress', side: 'assignee' },
  submit: { label: '提交', from: ['inProgress'], to: 'submitted', side: 'assignee' },
  confirm: { label: '确认办结', from: ['submitted'], to: 'done', side: 'assigner' },
  return: { label: '退回', from: ['submitted'], to: 'returned', side: 'assigner' },
};

const labelsOf = (states: readonly TaskState[]) => states.map((s) => `「${taskStateLabels[s]}」`).join('、');

export function illegalTransition(action: TaskAction, state: TaskState): AppError {
  const t = transitions[action];
  return new AppError(
    'ILLEGAL_TRANSITION',
    `任务当前状态为「${taskStateLabels[state]}」，不能${t.label}（仅${labelsOf(t.from)}状态可以${t.label}）`,
  );
}

// ---- rows → API

type TaskRow = typeof tasks.$inferSelect;
const assignerUnits = alias(units, 'assigner_units');
const assigneePeople = alias(people, 'assignee_people');

/** Rows with the caller's sides, computed in SQL (no query per row): which actions they may take follows. */
export const baseQuery = (ctx: Ctx) =>
  ctx.db
    .select({
      task: tasks,
      unitName: units.name,
      assignerUnitName: assignerUnits.name,
      assigneePersonName: assigneePeople.displayName,
      canWork: sql<boolean>`${inScope(ctx.actor, 'task.work', tasks.unitId)}`,
      canAssign: sql<boolean>`${inScope(ctx.actor, 'task.assign', tasks.assignerUnitId)}`,
    })
    .from(tasks)
    .innerJoin(units, eq(units.id, tasks.unitId))
    .innerJoin(assignerUnits, eq(assignerUnits.id, tasks.assignerUnitId))
    .leftJoin(assigneePeople, eq(assigneePeople.id, tasks.assigneePersonId));

export function isOverdue(t: Pick<TaskRow, 'deadline' | 'state'>, now = new Date()): boolean {
  return t.state !== 'done' && t.deadline.getTime() < now.getTime();
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);
/** 督办 makes sense while the assignee side holds the task (not once submitted or done). */
const urgeable: readonly TaskState[] = ['todo', 'inProgress', 'returned'];

/** The actions a caller on these sides may take on a task in `state`: the `transitions` table, plus 督办 while open. */
export function callerActions(state: TaskState, sides: Record<Side, boolean>): TaskCallerAction[] {
  const out: TaskCallerAction[] = [];
  for (const [action, tr] of Object.entries(transitions) as [TaskAction, (typeof transitions)[TaskAction]][]) {
    if (tr.from.includes(state) && sides[tr.side]) out.push(action);
  }
  if (urgeable.includes(state) && sides.assigner) out.push('urge');
  if (state !== 'done' && (sides.assignee || sides.assigner)) out.push('setAssignee');
  return out;
}

export function toTask(r: {
  task: TaskRow;
  unitName: string;
  assignerUnitName: string;
  assigneePersonName: string | null;
  canWork: boolean;
  canAssign: boolean;
}): Task {
  const t = r.task;
  const state = t.state as TaskState;
  return {
    id: t.id,
    unitId: t.unitId,
    unitName: r.unitName,
    planItemId: t.planItemId,
    assignerUnitId: t.assignerUnitId,
    assignerUnitName: r.assignerUnitName,
    assignerPersonId: t.assignerPersonId,
    assigneePersonId: t.assigneePersonId,
    assigneePersonName: r.assigneePersonName,
    title: t.title,
    description: t.description,
    deadline: t.deadline.toISOString(),
    requiredEvidence: t.requiredEvidence,
    state,
    stateLabel: taskStateLabels[state],
    progress: t.progress,
    returnReason: t.returnReason,
    version: t.version,
    overdue: isOverdue(t),
    source: t.sourceType && t.sourceId ? { type: t.sourceType, id: t.sourceId, label: t.sourceLabel ?? '' } : null,
    actions: callerActions(state, { assignee: !!r.canWork, assigner: !!r.canAssign }),
    createdAt: t.createdAt.toISOString(),
    submittedAt: iso(t.submittedAt),
    doneAt: iso(t.doneAt),
  };
}

/** SQL: the task is readable by the actor (task.read in the assignee unit or in the assigner unit). */
export const taskReadable = (ctx: Ctx): SQL => inScopeOfAny(ctx.actor, 'task.read', [tasks.unitId, tasks.assignerUnitId]);

async function canReadTask(ctx: Ctx, t: TaskRow): Promise<boolean> {
  return (await canInUnit(ctx.db, ctx.actor, 'task.read', t.unitId)) || (await canInUnit(ctx.db, ctx.actor, 'task.read', t.assignerUnitId));
}

/** 404 when unreadable, 403 when readable but `side` is not the actor's. */
async function requireSide(ctx: Ctx, t: TaskRow, side: Side): Promise<void> {
  requireActor(ctx.actor);
  if (!(await canReadTask(ctx, t))) throw notFound('任务不存在或无权查看');
  const ok =
    side === 'assignee'
      ? await canInUnit(ctx.db, ctx.actor, 'task.work', t.unitId)
      : await canInUnit(ctx.db, ctx.actor, 'task.assign', t.assignerUnitId);
  if (!ok) throw forbidden(side === 'assignee' ? '只有承办单位可以办理此任务' : '只有交办单位可以执行此操作');
}

// ---- reads

export async function getTask(ctx: Ctx, id: string): Promise<TaskDetail> {
  requireActor(ctx.actor);
  const [row] = await baseQuery(ctx)
    .where(and(eq(tasks.id, id), taskReadable(ctx)))
    .limit(1);
  if (!row) throw notFound('任务不存在或无权查看');
  return { ...toTask(row), attachments: await listAttachmentsOf(ctx, TASK_ENTITY, id) };
}

export async function listTasks(ctx: Ctx, q: TaskListQuery & { page: number; pageSize: number }) {
  const actor = requireActor(ctx.actor);
  const conds: (SQL | undefined)[] = [taskReadable(ctx)];
  if (q.state) conds.push(eq(tasks.state, q.state));
  if (q.overdue === 'true') conds.push(and(ne(tasks.state, 'done'), lt(tasks.deadline, sql`now()`)));
  if (q.overdue === 'false') conds.push(or(eq(tasks.state, 'done'), gte(tasks.deadline, sql`now()`)));
  if (q.planId)
    conds.push(inArray(tasks.planItemId, ctx.db.select({ id: planItems.id }).from(planItems).where(eq(planItems.planId, q.planId))));
  // the assignee unit and its subtree (a township's filter shows its villages' tasks too)
  if (q.unitId)
    conds.push(sql`${tasks.unitId} IN (SELECT u.id FROM ${units} u, ${units} f WHERE f.id = ${q.unitId} AND u.path LIKE f.path || '%')`);
  if (q.deadlineFrom) conds.push(gte(tasks.deadline, new Date(q.deadlineFrom)));
  if (q.deadlineTo) conds.push(lte(tasks.deadline, new Date(q.deadlineTo)));
  if (q.q) conds.push(sql`${tasks.title} ILIKE ${containsPattern(q.q)}`);
  if (q.mine === 'true') {
    // my tasks: assigned to me by name, or to the unit I act for when nobody in particular is named
    const unitId = actor.post?.scopeRootId ?? null;
    conds.push(
      or(
        eq(tasks.assigneePersonId, actor.personId),
        unitId ? and(isNull(tasks.assigneePersonId), eq(tasks.unitId, unitId), inScope(ctx.actor, 'task.work', tasks.unitId)) : sql`false`,
      ),
    );
  }
  const where = and(...conds);
  const [{ total }] = (await ctx.db.select({ total: count() }).from(tasks).where(where)) as [{ total: number }];
  const rows = await baseQuery(ctx)
    .where(where)
    .orderBy(asc(tasks.deadline), asc(tasks.id))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  return { items: rows.map(toTask), total, page: q.page, pageSize: q.pageSize };
}

// ---- who is told

const workRoles = roleKeys.filter((r) => roles[r].permissions.includes('task.work'));

/** The people who work on the assignee unit's tasks: the named assignee, else the unit's workers. */
async function assigneeRecipients(ctx: Ctx, t: TaskRow): Promise<string[]> {
  if (t.assigneePersonId) return [t.assigneePersonId];
  const rows = await ctx.db
    .selectDistinct({ id: posts.personId })
    .from(posts)
    .innerJoin(people, eq(people.id, posts.personId))
    .where(and(eq(posts.scopeRootId, t.unitId), eq(people.active, true), arrayOverlaps(posts.roles, workRoles)));
  return rows.map((r) => r.id);
}
/** Tells the assignee side of a task (the named person, else the unit's workers). */
export async function notifyAssignees(ctx: Ctx, t: TaskRow, title: string, body: string): Promise<void> {
  await notify(ctx, { personIds: await assigneeRecipients(ctx, t), unitId: t.unitId, title, body, link: taskLink(t.id) });
}
const assignerRecipients = (t: TaskRow) => (t.assignerPersonId ? [t.assignerPersonId] : []);
const taskLink = (id: string) => `/duty/tasks/${id}`;

// ---- transitions

async function lockTask(ctx: Ctx, id: string): Promise<TaskRow> {
  const [row] = await ctx.db.select().from(tasks).where(eq(tasks.id, id)).for('update');
  if (!row) throw notFound('任务不存在或无权查看');
  return row;
}

/** Tasks just written, read back as the caller sees them (with their actions). */
export async function reloadTasks(ctx: Ctx, ids: string[]): Promise<Task[]> {
  if (ids.length === 0) return [];
  const rows = await baseQuery(ctx).where(inArray(tasks.id, ids)).orderBy(asc(units.path), asc(tasks.id));
  return rows.map(toTask);
}

async function reload(ctx: Ctx, id: string): Promise<Task> {
  const [task] = await reloadTasks(ctx, [id]);
  return task!;
}

/**
 * Applies `action` to task `id`: locks the row, checks side and current state under the lock, updates,
 * audits `transition:<from>-><to>` and notifies the other side — all in one transaction.
 */
export async function transitionTask(
  ctx: Ctx,
  id: string,
  action: TaskAction,
  input: { progress?: string; attachmentIds?: string[]; reason?: string } = {},
): Promise<Task> {
  requireActor(ctx.actor);
  const t = transitions[action];
  return inTx(ctx, async (tx) => {
    const before = await lockTask(tx, id);
    await requireSide(tx, before, t.side);
    const from = before.state as TaskState;
    if (!t.from.includes(from)) throw illegalTransition(action, from);
    const now = new Date();
    const patch: Partial<TaskRow> = { state: t.to, version: before.version + 1 };
    if (action === 'submit') Object.assign(patch, { progress: input.progress ?? '', submittedAt: now });
    if (action === 'confirm') Object.assign(patch, { doneAt: now });
    if (action === 'return') Object.assign(patch, { returnReason: input.reason ?? '' });
    const [after] = await tx.db.update(tasks).set(patch).where(eq(tasks.id, id)).returning();
    for (const attachmentId of input.attachmentIds ?? []) await linkAttachment(tx, attachmentId, TASK_ENTITY, id);
    await writeAudit(tx, {
      action: `transition:${from}->${t.to}`,
      entity: 'task',
      entityId: id,
      unitId: before.unitId,
      before,
      after,
    });
    const toAssigner = t.side === 'assignee';
    const recipients = toAssigner ? assignerRecipients(after!) : await assigneeRecipients(tx, after!);
    await notify(tx, {
      personIds: recipients.filter((p) => p !== tx.actor?.personId),
      unitId: toAssigner ? after!.assignerUnitId : after!.unitId,
      title: `任务${t.label}：${after!.title}`,
      body: action === 'return' ? `退回理由：${input.reason}` : `任务状态由「${taskStateLabels[from]}」变为「${taskStateLabels[t.to]}」`,
      link: taskLink(id),
    });
    return reload(tx, id);
  });
}

// ---- 承办人

/**
 * Names the person of the assignee unit who handles the task (承办人), or clears it (the unit as a whole).
 * Either side may do it while the task is open; the person must hold an active post in the task's unit.
 * They are told, and "my tasks" shows it to them.
 */
export async function setTaskAssignee(ctx: Ctx, id: string, personId: string | null): Promise<Task> {
  requireActor(ctx.actor);
  return inTx(ctx, async (tx) => {
    const before = await lockTask(tx, id);
    if (!(await canReadTask(tx, before))) throw notFound('任务不存在或无权查看');
    const may =
      (await canInUnit(tx.db, tx.actor, 'task.work', before.unitId)) ||
      (await canInUnit(tx.db, tx.actor, 'task.assign', before.assignerUnitId));
    if (!may) throw forbidden('只有承办单位或交办单位可以指定承办人');
    if (before.state === 'done') throw new AppError('ILLEGAL_TRANSITION', '任务已办结，不能更改承办人');
    if (personId) {
      const [held] = await tx.db
        .select({ id: posts.id })
        .from(posts)
        .innerJoin(people, eq(people.id, posts.personId))
        .where(and(eq(posts.personId, personId), eq(posts.unitId, before.unitId), eq(people.active, true)))
        .limit(1);
      if (!held) throw invalid({ personId: '承办人须为承办单位的在职人员' }, '承办人须为承办单位的在职人员');
    }
    const [after] = await tx.db
      .update(tasks)
      .set({ assigneePersonId: personId, version: sql`${tasks.version} + 1` })
      .where(eq(tasks.id, id))
      .returning();
    await writeAudit(tx, {
      action: 'setAssignee',
      entity: 'task',
      entityId: id,
      unitId: before.unitId,
      before: { assigneePersonId: before.assigneePersonId },
      after: { assigneePersonId: personId },
    });
    if (personId && after) await notifyAssignees(tx, after, `您被指定为承办人：${after.title}`, `截止时间 ${localDate(after.deadline)}`);
    return reload(tx, id);
  });
}

// ---- 督办

/** The assigner side chases an open task; the assignee unit's workers are told (once per task and day). */
export async function urgeTask(ctx: Ctx, id: string): Promise<{ ok: true; notified: number }> {
  requireActor(ctx.actor);
  return inTx(ctx, async (tx) => {
    const t = await lockTask(tx, id);
    await requireSide(tx, t, 'assigner');
    if (!urgeable.includes(t.state as TaskState))
      throw new AppError('ILLEGAL_TRANSITION', `任务当前状态为「${taskStateLabels[t.state as TaskState]}」，无需督办`);
    const { created } = await notify(tx, {
      personIds: await assigneeRecipients(tx, t),
      unitId: t.unitId,
      title: `督办：${t.title}`,
      body: `${t.title}，截止时间 ${localDate(t.deadline)}，请抓紧办理。`,
      link: taskLink(id),
      dedupeKey: `task-urge:${id}:${localDate(new Date())}`,
    });
    if (created > 0) await writeAudit(tx, { action: 'urge', entity: 'task', entityId: id, unitId: t.unitId, after: { notified: created } });
    return { ok: true as const, notified: created };
  });
}

// ---- attachments: only the assignee side may attach evidence to a task. The entity is 'duty.task' (not
// 'task', which the attachments scope case uses as an unguarded placeholder entity with a non-uuid id).

export const TASK_ENTITY = 'duty.task';
registerAttachmentEntity(TASK_ENTITY, async (ctx, entityId) => {
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(entityId);
  const [row] = isUuid ? await ctx.db.select().from(tasks).where(eq(tasks.id, entityId)).limit(1) : [];
  if (!row) throw notFound('任务不存在或无权查看');
  await requireSide(ctx, row, 'assignee');
});

// ---- reminders (scheduler)

const DAY = 86_400_000;
type ReminderKind = 'd3' | 'd1' | 'overdue';
const reminderText: Record<ReminderKind, string> = { d3: '距截止还有3天', d1: '距截止还有1天', overdue: '已逾期' };

/** Which reminder is due for a task now, if any: 3 and 1 calendar days (Asia/Shanghai) before, and once overdue. */
export function reminderDue(deadline: Date, now: Date): ReminderKind | null {
  if (deadline.getTime() < now.getTime()) return 'overdue';
  const days = Math.round((Date.parse(localDate(deadline)) - Date.parse(localDate(now))) / DAY);
  return days === 3 ? 'd3' : days === 1 ? 'd1' : null;
}

/**
 * Sends the reminders due at `now`, each exactly once (claimOnce key per task, kind and deadline, claimed in
 * the transaction that writes the notification). Overdue reminders go out for tasks that became overdue
 * within the last two days, so a first run does not flood old tasks. Returns how many reminders were sent.
 */
export async function sendTaskReminders(ctx: Ctx, now = new Date()): Promise<number> {
  const open = await ctx.db
    .select()
    .from(tasks)
    .where(
      and(
        ne(tasks.state, 'done'),
        gte(tasks.deadline, new Date(now.getTime() - 2 * DAY)),
        lte(tasks.deadline, new Date(now.getTime() + 5 * DAY)),
      ),
    );
  let sent = 0;
  for (const t of open) {
    const kind = reminderDue(t.deadline, now);
    if (!kind) continue;
    const key = `duty.reminders:${t.id}:${kind}:${t.deadline.toISOString()}`;
    await inTx(ctx, async (tx) => {
      if (!(await claimOnce(tx, key, 'duty.reminders'))) return;
      const assignee = await assigneeRecipients(tx, t);
      await notify(tx, {
        personIds: kind === 'overdue' ? [...assignee, ...assignerRecipients(t)] : assignee,
        unitId: t.unitId,
        title: `任务提醒（${reminderText[kind]}）：${t.title}`,
        body: `截止时间 ${localDate(t.deadline)}`,
        link: taskLink(t.id),
        dedupeKey: key,
      });
      sent++;
    });
  }
  return sent;
}

registerJob({
  name: 'duty.reminders',
  cron: '0 0 8 * * *', // daily, 08:00 Asia/Shanghai
  run: async (ctx) => {
    await sendTaskReminders(ctx);
  },
});
