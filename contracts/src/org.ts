import { z } from 'zod';
import { pageQuery } from './common.js';
import { roleKeys } from './roles.js';

export const unitTypes = ['党委', '党组', '党工委', '党总支', '党支部', '部门/科室', '乡镇', '村', '社区', '学校', '其他'] as const;
export type UnitType = (typeof unitTypes)[number];

export const unit = z.object({
  id: z.uuid(),
  parentId: z.uuid().nullable(),
  name: z.string(),
  type: z.enum(unitTypes),
  depth: z.number().int(),
  active: z.boolean(),
  sortOrder: z.number().int(),
  childCount: z.number().int(),
});
export type Unit = z.infer<typeof unit>;
/** a unit with the ancestors the caller may see, from the top down */
export const unitDetail = unit.extend({ ancestors: z.array(z.object({ id: z.uuid(), name: z.string() })) });
export type UnitDetail = z.infer<typeof unitDetail>;

const unitName = z.string().trim().min(1, '请输入单位名称').max(100, '单位名称不能超过100个字符');
export const createUnitBody = z.object({
  parentId: z.uuid({ message: '请选择上级单位' }),
  name: unitName,
  type: z.enum(unitTypes, { message: '请选择单位类型' }),
  sortOrder: z.number().int().min(0).max(100000).optional(),
});
export const updateUnitBody = z.object({
  name: unitName.optional(),
  type: z.enum(unitTypes, { message: '请选择单位类型' }).optional(),
  sortOrder: z.number().int().min(0).max(100000).optional(),
});
export const moveUnitBody = z.object({ parentId: z.uuid({ message: '请选择新的上级单位' }) });
export const unitListQuery = z.object({
  q: z.string().trim().max(100).optional(),
  type: z.enum(unitTypes).optional(),
  includeInactive: z.enum(['true', 'false']).optional(),
});

export const post = z.object({
  id: z.uuid(),
  personId: z.uuid(),
  unitId: z.uuid(),
  unitName: z.string(),
  scopeRootId: z.uuid(),
  scopeRootName: z.string(),
  title: z.string(),
  roles: z.array(z.enum(roleKeys)),
});
export type Post = z.infer<typeof post>;

export const person = z.object({
  id: z.uuid(),
  username: z.string(),
  displayName: z.string(),
  phone: z.string().nullable(),
  active: z.boolean(),
  mustChangePassword: z.boolean(),
  lockedUntil: z.string().nullable(),
  createdAt: z.string(),
  posts: z.array(post),
});
export type Person = z.infer<typeof person>;

export const postInput = z.object({
  unitId: z.uuid({ message: '请选择所在单位' }),
  scopeRootId: z.uuid({ message: '请选择管辖范围' }).optional(),
  title: z.string().trim().min(1, '请输入职务名称').max(50, '职务名称不能超过50个字符'),
  roles: z
    .array(z.enum(roleKeys, { message: '角色不存在' }))
    .min(1, '至少选择一个角色')
    .max(8),
});
export const createPersonBody = z.object({
  username: z
    .string()
    .trim()
    .min(3, '用户名至少3个字符')
    .max(32, '用户名不能超过32个字符')
    .regex(/^[a-zA-Z0-9_.-]+$/, '用户名只能包含字母、数字、下划线、点和横线'),
  displayName: z.string().trim().min(1, '请输入姓名').max(50, '姓名不能超过50个字符'),
  phone: z
    .string()
    .trim()
    .regex(/^[0-9+\- ]{5,20}$/, '电话号码格式不正确')
    .optional(),
  post: postInput,
});
export const updatePersonBody = z.object({
  displayName: z.string().trim().min(1, '请输入姓名').max(50, '姓名不能超过50个字符').optional(),
  phone: z
    .string()
    .trim()
    .regex(/^[0-9+\- ]{5,20}$/, '电话号码格式不正确')
    .nullable()
    .optional(),
});
export const personListQuery = pageQuery.extend({
  unitId: z.uuid().optional(),
  role: z.enum(roleKeys).optional(),
  active: z.enum(['true', 'false']).optional(),
});
/** Returned once, when an admin creates an account or resets a password. */
export const temporaryPassword = z.object({ person, temporaryPassword: z.string() });
