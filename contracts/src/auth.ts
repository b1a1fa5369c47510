import { z } from 'zod';
import { roleKeys } from './roles.js';

export const loginBody = z.object({
  username: z.string().trim().min(1, '请输入用户名').max(64, '用户名过长'),
  password: z.string().min(1, '请输入密码').max(256, '密码过长'),
});

/** Password policy: at least 10 characters and 3 of 4 classes (upper, lower, digit, symbol). */
export const PASSWORD_MIN_LENGTH = 10;
export function passwordClasses(pw: string): number {
  return [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(pw)).length;
}
export const newPassword = z
  .string()
  .max(128, '密码不能超过128个字符')
  .refine((pw) => pw.length >= PASSWORD_MIN_LENGTH, `密码至少${PASSWORD_MIN_LENGTH}个字符`)
  .refine((pw) => passwordClasses(pw) >= 3, '密码须包含大写字母、小写字母、数字、符号中的至少三类');

export const changePasswordBody = z.object({
  currentPassword: z.string().min(1, '请输入当前密码').max(256),
  newPassword,
});

export const postSummary = z.object({
  id: z.uuid(),
  unitId: z.uuid(),
  unitName: z.string(),
  scopeRootId: z.uuid(),
  scopeRootName: z.string(),
  title: z.string(),
  roles: z.array(z.enum(roleKeys)),
});
export type PostSummary = z.infer<typeof postSummary>;

export const me = z.object({
  id: z.uuid(),
  username: z.string(),
  displayName: z.string(),
  mustChangePassword: z.boolean(),
  csrfToken: z.string(),
  currentPostId: z.uuid().nullable(),
  posts: z.array(postSummary),
  permissions: z.array(z.string()),
});
export type Me = z.infer<typeof me>;

export const switchPostBody = z.object({ postId: z.uuid({ message: '职务编号格式不正确' }) });
