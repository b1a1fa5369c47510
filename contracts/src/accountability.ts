/** Accountability module (问责): records of measures taken when duties were not carried out, with the subject's response. */
import { z } from 'zod';
import { pageQuery } from './common.js';
import { attachment } from './system.js';

export const accountabilityMeasures = ['reminder', 'criticism', 'writtenReview', 'circulated', 'organizational', 'disciplinary'] as const;
export type AccountabilityMeasure = (typeof accountabilityMeasures)[number];
export const accountabilityMeasureLabels: Record<AccountabilityMeasure, string> = {
  reminder: '提醒',
  criticism: '批评教育',
  writtenReview: '责令书面检查',
  circulated: '通报批评',
  organizational: '组织处理',
  disciplinary: '纪律处分',
};
export const accountabilitySubjectTypes = ['person', 'unit'] as const;
/** what the record answers: an overdue task, an unrectified finding or item, a missing report, or free text */
export const accountabilityCauseTypes = ['task', 'rectifyItem', 'finding', 'report', 'other'] as const;
export type AccountabilityCauseType = (typeof accountabilityCauseTypes)[number];
export const accountabilityCauseLabels: Record<AccountabilityCauseType, string> = {
  task: '逾期任务',
  rectifyItem: '未整改事项',
  finding: '未整改问题',
  report: '未按时报送',
  other: '其他',
};

const date = z.iso.date({ message: '请输入正确的日期' });

export const accountabilityRecord = z.object({
  id: z.uuid(),
  subjectType: z.enum(accountabilitySubjectTypes),
  subjectPersonId: z.uuid().nullable(),
  subjectPersonName: z.string().nullable(),
  subjectUnitId: z.uuid(),
  subjectUnitName: z.string(),
  cause: z.object({ type: z.enum(accountabilityCauseTypes), id: z.string().nullable(), label: z.string() }),
  measure: z.enum(accountabilityMeasures),
  measureLabel: z.string(),
  decidingUnitId: z.uuid(),
  decidingUnitName: z.string(),
  decidedByPersonId: z.uuid().nullable(),
  decidedByName: z.string().nullable(),
  decidedOn: z.string(),
  description: z.string(),
  response: z.string().nullable(),
  respondedAt: z.string().nullable(),
  respondedByName: z.string().nullable(),
  /** the caller is the subject (or answers for the subject unit) and may respond */
  canRespond: z.boolean(),
  createdAt: z.string(),
});
export type AccountabilityRecord = z.infer<typeof accountabilityRecord>;
export const accountabilityDetail = accountabilityRecord.extend({ attachments: z.array(attachment) });
export type AccountabilityDetail = z.infer<typeof accountabilityDetail>;

export const createAccountabilityBody = z
  .object({
    subjectType: z.enum(accountabilitySubjectTypes, { message: '请选择问责对象类型' }),
    subjectPersonId: z.uuid({ message: '请选择问责对象' }).nullable().optional(),
    subjectUnitId: z.uuid({ message: '请选择问责对象所在单位' }),
    cause: z.object({
      type: z.enum(accountabilityCauseTypes, { message: '请选择问责事由' }),
      id: z.string().trim().max(100).nullable().optional(),
      label: z.string().trim().min(1, '请填写问责事由').max(500, '问责事由不能超过500个字符'),
    }),
    measure: z.enum(accountabilityMeasures, { message: '请选择问责方式' }),
    decidingUnitId: z.uuid({ message: '请选择决定单位' }),
    decidedOn: date,
    description: z.string().max(5000, '情况说明不能超过5000个字符').default(''),
    attachmentIds: z.array(z.uuid()).max(50).optional(),
  })
  .refine((b) => b.subjectType === 'unit' || !!b.subjectPersonId, { message: '请选择问责对象', path: ['subjectPersonId'] });
export type CreateAccountabilityBody = z.infer<typeof createAccountabilityBody>;

export const respondAccountabilityBody = z.object({
  response: z.string().trim().min(1, '请填写说明或申诉内容').max(5000, '说明不能超过5000个字符'),
  attachmentIds: z.array(z.uuid()).max(50).optional(),
});
export type RespondAccountabilityBody = z.infer<typeof respondAccountabilityBody>;

export const accountabilityListQuery = pageQuery.extend({
  measure: z.enum(accountabilityMeasures).optional(),
  /** the subject unit and its subtree */
  unitId: z.uuid().optional(),
  /** only the records about me (or my unit, for those who answer for it) */
  mine: z.enum(['true', 'false']).optional(),
});
export type AccountabilityListQuery = z.infer<typeof accountabilityListQuery>;
