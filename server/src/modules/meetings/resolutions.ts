/**
 * A meeting resolution (决议) becomes a task in one call: the task is created by the duty module's
 * `createLinkedTask` (source `meeting.resolution`, id `<meetingId>:<index>`), and the resolution stores the
 * task id, in the same transaction. Linked both ways: the meeting shows the task, the task its source.
 * A resolution already turned into a task answers 409; the meeting row is locked while this happens, so
 * two clerks clicking at once make one task, not two.
 */
import type { Resolution, ResolutionTaskBody, ResolutionTaskResult } from '@dutyledger/contracts';
import { eq } from 'drizzle-orm';
import { writeAudit } from '../../core/audit.js';
import { type Ctx, inTx } from '../../core/context.js';
import { AppError, invalid, notFound } from '../../core/errors.js';
import { requireActor, requireRecordAction } from '../../core/scope.js';
import { createLinkedTask } from '../duty/service.js';
import { meetings } from './schema.js';

export const RESOLUTION_SOURCE = 'meeting.resolution';

/** The source id a resolution's task carries, and back. */
export const resolutionSourceId = (meetingId: string, index: number) => `${meetingId}:${index}`;
export function parseResolutionSourceId(sourceId: string): { meetingId: string; index: number } | null {
  const m = /^([0-9a-f-]{36}):(\d+)$/i.exec(sourceId);
  return m ? { meetingId: m[1]!, index: Number(m[2]) } : null;
}

const short = (text: string, n = 40) => (text.length > n ? `${text.slice(0, n)}…` : text);

/**
 * Resolutions replaced by an update keep the task ids of those already turned into tasks: such a resolution
 * stays at its position with its text (the task was made from it); others may be edited, removed or added.
 */
export function mergeResolutions(current: Resolution[], next: { text: string }[]): Resolution[] {
  const fields: Record<string, string> = {};
  current.forEach((r, i) => {
    if (r.taskId && next[i]?.text !== r.text) fields[`resolutions.${i}.text`] = '已转为任务的决议不能修改或删除';
  });
  if (Object.keys(fields).length) throw invalid(fields);
  return next.map((r, i) => (current[i]?.taskId ? { text: r.text, taskId: current[i]!.taskId } : { text: r.text }));
}

export async function createResolutionTask(
  ctx: Ctx,
  meetingId: string,
  index: number,
  input: ResolutionTaskBody,
): Promise<ResolutionTaskResult> {
  requireActor(ctx.actor);
  return inTx(ctx, async (tx) => {
    const [meeting] = await tx.db.select().from(meetings).where(eq(meetings.id, meetingId)).for('update');
    if (!meeting) throw notFound('会议记录不存在或无权查看');
    await requireRecordAction(tx.db, tx.actor, { read: 'meeting.read', write: 'meeting.write' }, meeting.unitId);
    const resolution = meeting.resolutions[index];
    if (!resolution) throw notFound('该决议不存在');
    if (resolution.taskId) throw new AppError('ILLEGAL_TRANSITION', '该决议已转为任务，不能重复交办');
    const task = await createLinkedTask(tx, {
      assignerUnitId: meeting.unitId,
      assigneeUnitId: input.assigneeUnitId,
      title: input.title ?? short(resolution.text, 60),
      description: input.description ?? `会议“${meeting.topic}”决议：${resolution.text}`,
      deadline: input.deadline,
      source: { type: RESOLUTION_SOURCE, id: resolutionSourceId(meetingId, index), label: `会议决议：${short(resolution.text)}` },
    });
    const resolutions = meeting.resolutions.map((r, i) => (i === index ? { ...r, taskId: task.id } : r));
    await tx.db.update(meetings).set({ resolutions, updatedAt: new Date() }).where(eq(meetings.id, meetingId));
    await writeAudit(tx, {
      action: 'resolutionTask',
      entity: 'meeting',
      entityId: meetingId,
      unitId: meeting.unitId,
      before: { resolutions: meeting.resolutions },
      after: { resolutions, taskId: task.id, index },
    });
    return { meetingId, index, task };
  });
}
