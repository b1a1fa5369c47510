/** Meetings module (first slice): the meeting-kind dictionary and meeting records. */
import { z } from 'zod';
import { pageQuery } from './common.js';
import { attachment } from './system.js';

const dateTime = z.iso.datetime({ offset: true, message: '请输入正确的时间' });

export const meetingKind = z.object({
  id: z.uuid(),
  name: z.string(),
  sort: z.number().int(),
  active: z.boolean(),
});
export type MeetingKind = z.infer<typeof meetingKind>;

const kindName = z.string().trim().min(1, '请输入会议类型名称').max(100, '会议类型名称不能超过100个字符');
const sort = z.number().int().min(0).max(100000);
export const createMeetingKindBody = z.object({ name: kindName, sort: sort.optional(), active: z.boolean().optional() });
export const updateMeetingKindBody = z.object({ name: kindName.optional(), sort: sort.optional(), active: z.boolean().optional() });

export const resolution = z.object({ text: z.string().trim().min(1, '请输入决议内容').max(2000, '决议内容不能超过2000个字符') });
/** A resolution as stored and read: `taskId` is set once it became a task (never taken from a request body). */
export type Resolution = z.infer<typeof resolution> & { taskId?: string };

const tags = z.array(z.string().trim().min(1, '标签不能为空').max(20, '标签不能超过20个字符')).max(10, '标签最多10个');
const absentee = z.object({
  personId: z.uuid({ message: '请选择人员' }),
  reason: z.string().trim().min(1, '请填写缺席原因').max(500, '缺席原因不能超过500个字符'),
});

export const meeting = z.object({
  id: z.uuid(),
  unitId: z.uuid(),
  unitName: z.string(),
  kindId: z.uuid(),
  kindName: z.string(),
  heldAt: z.string(),
  topic: z.string(),
  tags: z.array(z.string()),
  hostPersonId: z.uuid().nullable(),
  hostName: z.string().nullable(),
  minutes: z.string(),
  resolutions: z.array(z.object({ text: z.string(), taskId: z.uuid().optional() })),
  createdBy: z.uuid().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** computed, never stored: entered more than 30 days after it was held (补录) */
  backfilled: z.boolean(),
});
export type Meeting = z.infer<typeof meeting>;

export const meetingAttendee = z.object({ personId: z.uuid(), displayName: z.string() });
export const meetingAbsentee = meetingAttendee.extend({ reason: z.string() });
export const meetingDetail = meeting.extend({
  attendees: z.array(meetingAttendee),
  absentees: z.array(meetingAbsentee),
  attachments: z.array(attachment),
});
export type MeetingDetail = z.infer<typeof meetingDetail>;

export const createMeetingBody = z.object({
  unitId: z.uuid({ message: '请选择单位' }),
  kindId: z.uuid({ message: '请选择会议类型' }),
  heldAt: dateTime,
  topic: z.string().trim().min(1, '请输入会议主题').max(500, '会议主题不能超过500个字符'),
  tags: tags.default([]),
  hostPersonId: z.uuid().nullable().optional(),
  minutes: z.string().max(50000, '会议记录不能超过50000个字符').default(''),
  resolutions: z.array(resolution).max(100).default([]),
  attendeeIds: z.array(z.uuid()).max(1000).default([]),
  absentees: z.array(absentee).max(1000).default([]),
  attachmentIds: z.array(z.uuid()).max(50).optional(),
});
export type CreateMeetingBody = z.infer<typeof createMeetingBody>;

/** Every field optional; attendees and absentees, when given, replace the lists; attachments are added. */
export const updateMeetingBody = z.object({
  kindId: z.uuid({ message: '请选择会议类型' }).optional(),
  heldAt: dateTime.optional(),
  topic: z.string().trim().min(1, '请输入会议主题').max(500, '会议主题不能超过500个字符').optional(),
  tags: tags.optional(),
  hostPersonId: z.uuid().nullable().optional(),
  minutes: z.string().max(50000, '会议记录不能超过50000个字符').optional(),
  resolutions: z.array(resolution).max(100).optional(),
  attendeeIds: z.array(z.uuid()).max(1000).optional(),
  absentees: z.array(absentee).max(1000).optional(),
  attachmentIds: z.array(z.uuid()).max(50).optional(),
});
export type UpdateMeetingBody = z.infer<typeof updateMeetingBody>;

/** `from` inclusive, `to` exclusive, so that a period's [start, end) can be passed as is. */
export const meetingListQuery = pageQuery.extend({
  unitId: z.uuid().optional(),
  kindId: z.uuid().optional(),
  tag: z.string().trim().min(1).max(20).optional(),
  from: dateTime.optional(),
  to: dateTime.optional(),
  /** only records entered more than 30 days after the meeting (补录) */
  backfilled: z.enum(['true', 'false']).optional(),
});
export type MeetingListQuery = z.infer<typeof meetingListQuery>;
