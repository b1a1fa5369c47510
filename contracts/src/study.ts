/**
 * Study (学习): meeting resolutions turned into tasks, and personal study notes (学习笔记/心得) that a leader
 * of the unit may mark as read (调阅). No scoring, counting or ranking of individuals.
 */
import { z } from 'zod';
import { pageQuery } from './common.js';
import { task } from './duty.js';
import { attachment } from './system.js';

const dateTime = z.iso.datetime({ offset: true, message: '请输入正确的时间' });

// ---- resolution → task

export const resolutionTaskParams = z.object({
  id: z.uuid({ message: '编号格式不正确' }),
  index: z.coerce.number({ message: '决议序号不正确' }).int('决议序号不正确').min(0, '决议序号不正确').max(99, '决议序号不正确'),
});
export const resolutionTaskBody = z.object({
  assigneeUnitId: z.uuid({ message: '请选择承办单位' }),
  deadline: dateTime,
  title: z.string().trim().min(1, '请输入任务名称').max(200, '任务名称不能超过200个字符').optional(),
  description: z.string().trim().max(5000, '任务说明不能超过5000个字符').optional(),
});
export type ResolutionTaskBody = z.infer<typeof resolutionTaskBody>;
export const resolutionTaskResult = z.object({ meetingId: z.uuid(), index: z.number().int(), task });
export type ResolutionTaskResult = z.infer<typeof resolutionTaskResult>;

// ---- study notes

const title = z.string().trim().min(1, '请输入标题').max(200, '标题不能超过200个字符');
const body = z.string().trim().min(1, '请输入笔记内容').max(50000, '笔记内容不能超过50000个字符');

export const studyNoteRead = z.object({
  id: z.uuid(),
  readerId: z.uuid(),
  readerName: z.string(),
  readAt: z.string(),
  comment: z.string(),
});
export type StudyNoteRead = z.infer<typeof studyNoteRead>;

export const studyNote = z.object({
  id: z.uuid(),
  unitId: z.uuid(),
  unitName: z.string(),
  authorId: z.uuid(),
  authorName: z.string(),
  title: z.string(),
  body: z.string(),
  meetingId: z.uuid().nullable(),
  meetingTopic: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** whether any reviewer has read it (调阅); the note is then no longer editable */
  read: z.boolean(),
});
export type StudyNote = z.infer<typeof studyNote>;
export const studyNoteDetail = studyNote.extend({ reads: z.array(studyNoteRead), attachments: z.array(attachment) });
export type StudyNoteDetail = z.infer<typeof studyNoteDetail>;

export const createStudyNoteBody = z.object({
  title,
  body,
  meetingId: z.uuid({ message: '请选择学习会议' }).nullable().optional(),
  attachmentIds: z.array(z.uuid()).max(20, '附件最多20个').optional(),
});
export type CreateStudyNoteBody = z.infer<typeof createStudyNoteBody>;
/** Every field optional; attachments are added. */
export const updateStudyNoteBody = z.object({
  title: title.optional(),
  body: body.optional(),
  meetingId: z.uuid({ message: '请选择学习会议' }).nullable().optional(),
  attachmentIds: z.array(z.uuid()).max(20, '附件最多20个').optional(),
});
export type UpdateStudyNoteBody = z.infer<typeof updateStudyNoteBody>;

export const readStudyNoteBody = z.object({
  comment: z.string().trim().max(2000, '调阅意见不能超过2000个字符').default(''),
});

/** The author's own notes. */
export const myStudyNoteQuery = pageQuery;
/** A reviewer's list of the notes of units in reach. */
export const studyNoteListQuery = pageQuery.extend({
  unitId: z.uuid().optional(),
  read: z.enum(['true', 'false']).optional(),
  from: dateTime.optional(),
  to: dateTime.optional(),
});
export type StudyNoteListQuery = z.infer<typeof studyNoteListQuery>;

/** Study meetings the actor attended, for linking a note. */
export const attendedMeeting = z.object({ id: z.uuid(), topic: z.string(), kindName: z.string(), heldAt: z.string() });
export type AttendedMeeting = z.infer<typeof attendedMeeting>;
