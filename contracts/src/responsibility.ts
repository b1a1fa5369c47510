/**
 * Responsibility (issue 3 §1): leading groups (领导小组), duty assignments (主体责任 / 第一责任人 / 直接责任人 /
 * 一岗双责), the three generated duty lists (责任清单) and yearly responsibility letters (责任状).
 */
import { z } from 'zod';
import { pageQuery } from './common.js';
import { task } from './duty.js';
import { unitTypes } from './org.js';
import { attachment } from './system.js';

/** A calendar date, YYYY-MM-DD (Asia/Shanghai). */
export const localDateString = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '请输入正确的日期（YYYY-MM-DD）')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, '请输入正确的日期（YYYY-MM-DD）');

// ---- leading group (意识形态工作领导小组)

export const groupRoles = ['head', 'deputyHead', 'member'] as const;
export type GroupRole = (typeof groupRoles)[number];
export const groupRoleLabels: Record<GroupRole, string> = { head: '组长', deputyHead: '副组长', member: '成员' };

/** A membership: valid on dates d with fromDate ≤ d < toDate (toDate null: still a member). */
export const groupMember = z.object({
  id: z.uuid(),
  unitId: z.uuid(),
  personId: z.uuid(),
  displayName: z.string(),
  role: z.enum(groupRoles),
  roleLabel: z.string(),
  /** what the person is in the unit (their post titles there), for display */
  postTitles: z.array(z.string()),
  fromDate: z.string(),
  toDate: z.string().nullable(),
});
export type GroupMember = z.infer<typeof groupMember>;

export const addGroupMemberBody = z.object({
  personId: z.uuid({ message: '请选择人员' }),
  role: z.enum(groupRoles, { message: '请选择组内职务' }),
  fromDate: localDateString.optional(),
});
export const endRecordBody = z.object({ toDate: localDateString.optional() });
export const setOfficeBody = z.object({
  officeUnitId: z.uuid({ message: '请选择办公室所在单位' }).nullable().optional(),
  officeText: z.string().trim().max(200, '办公室说明不能超过200个字符').optional(),
});

// ---- duty assignments

export const dutyKinds = ['principal', 'first', 'direct', 'dual'] as const;
export type DutyKind = (typeof dutyKinds)[number];
export const dutyKindLabels: Record<DutyKind, string> = {
  principal: '主体责任',
  first: '第一责任人',
  direct: '直接责任人',
  dual: '一岗双责',
};

export const chargeUnit = z.object({ id: z.uuid(), name: z.string(), type: z.enum(unitTypes) });
export const dutyAssignment = z.object({
  id: z.uuid(),
  unitId: z.uuid(),
  kind: z.enum(dutyKinds),
  kindLabel: z.string(),
  /** principal: null (the committee is `bodyName`); other kinds: the person */
  personId: z.uuid().nullable(),
  displayName: z.string().nullable(),
  /** principal: the committee that bears it (e.g. 中共示范县委员会) */
  bodyName: z.string(),
  /** dual: areas of work in the member's charge (分管领域), free text */
  areas: z.array(z.string()),
  /** dual: departments and subordinate units in the member's charge (units of the subtree) */
  chargeUnits: z.array(chargeUnit),
  /** dual: contact points (联系点), free text */
  contactPoints: z.array(z.string()),
  note: z.string(),
  fromDate: z.string(),
  toDate: z.string().nullable(),
});
export type DutyAssignment = z.infer<typeof dutyAssignment>;

const textList = (label: string) =>
  z
    .array(z.string().trim().min(1, `${label}不能为空`).max(100, `${label}不能超过100个字符`))
    .max(50, `${label}最多50项`)
    .default([]);
export const createAssignmentBody = z.object({
  kind: z.enum(dutyKinds, { message: '请选择责任类型' }),
  personId: z.uuid({ message: '请选择人员' }).optional(),
  bodyName: z.string().trim().max(200, '责任主体名称不能超过200个字符').optional(),
  areas: textList('分管领域'),
  chargeUnitIds: z
    .array(z.uuid({ message: '请选择单位' }))
    .max(200, '分管单位最多200个')
    .default([]),
  contactPoints: textList('联系点'),
  note: z.string().trim().max(1000, '备注不能超过1000个字符').default(''),
  fromDate: localDateString.optional(),
});
export type CreateAssignmentBody = z.infer<typeof createAssignmentBody>;

// ---- vacancies (computed)

export const vacancyKinds = ['noPrincipal', 'noFirst', 'noDirect', 'noHead', 'noOffice', 'dualWithoutCharge', 'memberWithoutDuty'] as const;
export type VacancyKind = (typeof vacancyKinds)[number];
export const vacancyLabels: Record<VacancyKind, string> = {
  noPrincipal: '未明确主体责任',
  noFirst: '第一责任人空缺',
  noDirect: '直接责任人空缺',
  noHead: '领导小组组长空缺',
  noOffice: '未明确领导小组办公室',
  dualWithoutCharge: '班子成员未明确分管范围',
  memberWithoutDuty: '领导小组成员未明确一岗双责分工',
};
export const vacancy = z.object({ kind: z.enum(vacancyKinds), label: z.string(), personId: z.uuid().nullable(), detail: z.string() });
export type Vacancy = z.infer<typeof vacancy>;
export const unitVacancies = z.object({
  unitId: z.uuid(),
  unitName: z.string(),
  unitType: z.enum(unitTypes),
  depth: z.number().int(),
  vacancies: z.array(vacancy),
});
export type UnitVacancies = z.infer<typeof unitVacancies>;
export const vacancyQuery = z.object({ rootUnitId: z.uuid({ message: '请选择单位' }) });

// ---- the unit's responsibility (one page)

export const unitResponsibility = z.object({
  unitId: z.uuid(),
  unitName: z.string(),
  unitType: z.enum(unitTypes),
  /** the date the view is of (YYYY-MM-DD) */
  date: z.string(),
  office: z.object({ unitId: z.uuid().nullable(), unitName: z.string().nullable(), text: z.string() }),
  members: z.array(groupMember),
  assignments: z.array(dutyAssignment),
  vacancies: z.array(vacancy),
});
export type UnitResponsibility = z.infer<typeof unitResponsibility>;
export const responsibilityQuery = z.object({ date: localDateString.optional() });
export const responsibilityHistory = z.object({ members: z.array(groupMember), assignments: z.array(dutyAssignment) });
export type ResponsibilityHistory = z.infer<typeof responsibilityHistory>;

export const unitPerson = z.object({ personId: z.uuid(), displayName: z.string(), postTitle: z.string(), unitName: z.string() });
export type UnitPerson = z.infer<typeof unitPerson>;

// ---- duty lists (generated)

export const dutyListKinds = ['principal', 'dual', 'department'] as const;
export type DutyListKind = (typeof dutyListKinds)[number];
export const dutyListKindLabels: Record<DutyListKind, string> = {
  principal: '党委主体责任清单',
  dual: '一岗双责清单',
  department: '职能部门责任清单',
};

/** A standard duty item of the editable template dictionary (seeded on first use). */
export const dutyListItem = z.object({
  id: z.uuid(),
  listKind: z.enum(dutyListKinds),
  category: z.string(),
  content: z.string(),
  sort: z.number().int(),
  active: z.boolean(),
});
export type DutyListItem = z.infer<typeof dutyListItem>;
const itemText = z.string().trim().min(1, '请输入责任内容').max(1000, '责任内容不能超过1000个字符');
const itemCategory = z.string().trim().max(50, '类别不能超过50个字符');
export const createDutyListItemBody = z.object({
  listKind: z.enum(dutyListKinds, { message: '请选择清单类型' }),
  category: itemCategory.default(''),
  content: itemText,
  sort: z.number().int().min(0).max(100000).optional(),
});
export const updateDutyListItemBody = z.object({
  category: itemCategory.optional(),
  content: itemText.optional(),
  sort: z.number().int().min(0).max(100000).optional(),
  active: z.boolean().optional(),
});
export const dutyListItemQuery = z.object({ listKind: z.enum(dutyListKinds).optional() });

/** A rule (制度要求) that falls to the subject of a list; filled in by the compliance work. */
export const dutyListRule = z.object({ id: z.string(), name: z.string(), requirement: z.string(), state: z.string().nullable() });
export type DutyListRule = z.infer<typeof dutyListRule>;

/** One sheet of a list: the unit (principal), one member (dual), one department (department). */
export const dutyListSheet = z.object({
  /** who bears it: the committee, the member, the department */
  subject: z.string(),
  subjectUnitId: z.uuid().nullable(),
  subjectPersonId: z.uuid().nullable(),
  /** the responsible people, from the assignments */
  responsible: z.array(z.object({ role: z.string(), name: z.string() })),
  /** what is in their charge (dual: areas, units, contact points) */
  charge: z.array(z.string()),
  items: z.array(z.object({ category: z.string(), content: z.string() })),
  openTasks: z.array(task),
  rules: z.array(dutyListRule),
});
export type DutyListSheet = z.infer<typeof dutyListSheet>;
export const dutyList = z.object({
  kind: z.enum(dutyListKinds),
  title: z.string(),
  unitId: z.uuid(),
  unitName: z.string(),
  date: z.string(),
  sheets: z.array(dutyListSheet),
});
export type DutyList = z.infer<typeof dutyList>;
export const dutyListQuery = z.object({ kind: z.enum(dutyListKinds, { message: '请选择清单类型' }), date: localDateString.optional() });

// ---- responsibility letters (责任状)

export const letterStatuses = ['draft', 'signed'] as const;
export type LetterStatus = (typeof letterStatuses)[number];
export const letterStatusLabels: Record<LetterStatus, string> = { draft: '未签订', signed: '已签订' };
export const letterActions = ['sign'] as const;
export type LetterAction = (typeof letterActions)[number];

const year = z.coerce.number().int().min(2000, '年度不正确').max(2100, '年度不正确');
export const dutyLetter = z.object({
  id: z.uuid(),
  unitId: z.uuid(),
  unitName: z.string(),
  upperUnitId: z.uuid(),
  upperUnitName: z.string(),
  year: z.number().int(),
  title: z.string(),
  upperSignerPersonId: z.uuid(),
  upperSignerName: z.string(),
  signerPersonId: z.uuid(),
  signerName: z.string(),
  status: z.enum(letterStatuses),
  statusLabel: z.string(),
  signedDate: z.string().nullable(),
  version: z.number().int(),
  createdAt: z.string(),
});
export type DutyLetter = z.infer<typeof dutyLetter>;
export const dutyLetterDetail = dutyLetter.extend({ attachments: z.array(attachment) });
export type DutyLetterDetail = z.infer<typeof dutyLetterDetail>;

export const createLetterBody = z.object({
  unitId: z.uuid({ message: '请选择签订单位' }),
  year,
  title: z.string().trim().min(1, '请输入标题').max(200, '标题不能超过200个字符').optional(),
  upperSignerPersonId: z.uuid({ message: '请选择上级签订人' }),
  /** default: the unit's current 第一责任人 */
  signerPersonId: z.uuid({ message: '请选择本单位签订人' }).optional(),
});
export const updateLetterBody = z.object({
  title: z.string().trim().min(1, '请输入标题').max(200, '标题不能超过200个字符').optional(),
  upperSignerPersonId: z.uuid({ message: '请选择上级签订人' }).optional(),
  signerPersonId: z.uuid({ message: '请选择本单位签订人' }).optional(),
  attachmentIds: z.array(z.uuid()).max(20).optional(),
});
export const signLetterBody = z.object({
  signedDate: localDateString,
  /** the signed scan; required unless one is already attached */
  attachmentIds: z.array(z.uuid()).max(20).default([]),
});

export const boardStatuses = ['notStarted', 'draft', 'signed'] as const;
export type BoardStatus = (typeof boardStatuses)[number];
export const boardStatusLabels: Record<BoardStatus, string> = { notStarted: '未发起', draft: '未签订', signed: '已签订' };
export const letterBoardQuery = pageQuery.extend({
  rootUnitId: z.uuid({ message: '请选择单位' }),
  year,
  status: z.enum(boardStatuses).optional(),
  unitType: z.enum(unitTypes).optional(),
});
export type LetterBoardQuery = z.infer<typeof letterBoardQuery>;
export const letterBoardRow = z.object({
  unitId: z.uuid(),
  unitName: z.string(),
  unitType: z.enum(unitTypes),
  parentName: z.string().nullable(),
  status: z.enum(boardStatuses),
  statusLabel: z.string(),
  letter: dutyLetter.nullable(),
});
export type LetterBoardRow = z.infer<typeof letterBoardRow>;
