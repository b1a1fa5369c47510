/** Outputs module (工作成果): articles placed, awards, 文明创建, volunteer activities, model figures, trainings. */
import { z } from 'zod';
import { pageQuery } from './common.js';
import { attachment } from './system.js';

export const outputKinds = ['article', 'award', 'civilization', 'volunteer', 'modelFigure', 'training'] as const;
export type OutputKind = (typeof outputKinds)[number];
export const outputKindLabels: Record<OutputKind, string> = {
  article: '稿件刊发',
  award: '获奖情况',
  civilization: '文明创建',
  volunteer: '志愿服务',
  modelFigure: '先进典型',
  training: '队伍培训',
};
export const outputLevels = ['central', 'province', 'city', 'county'] as const;
export type OutputLevel = (typeof outputLevels)[number];
export const outputLevelLabels: Record<OutputLevel, string> = { central: '中央级', province: '省级', city: '市级', county: '县级' };

const date = z.iso.date({ message: '请输入正确的日期' });

export const workOutput = z.object({
  id: z.uuid(),
  unitId: z.uuid(),
  unitName: z.string(),
  kind: z.enum(outputKinds),
  kindLabel: z.string(),
  /** article title, award name, title conferred, activity, the model figure's name and deed, training name */
  title: z.string(),
  occurredOn: z.string(),
  level: z.enum(outputLevels).nullable(),
  levelLabel: z.string().nullable(),
  /** article: the outlet (媒体); award / 文明创建: the conferring body; training: the organizer */
  outlet: z.string(),
  link: z.string(),
  /** volunteer activity / training: how many took part */
  participants: z.number().int().nullable(),
  /** volunteer activity: service hours in total */
  hours: z.number().nullable(),
  description: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type WorkOutput = z.infer<typeof workOutput>;
export const workOutputDetail = workOutput.extend({ attachments: z.array(attachment) });
export type WorkOutputDetail = z.infer<typeof workOutputDetail>;

const fields = {
  title: z.string().trim().min(1, '请输入名称').max(300, '名称不能超过300个字符'),
  occurredOn: date,
  level: z.enum(outputLevels, { message: '请选择级别' }).nullable().optional(),
  outlet: z.string().trim().max(200, '不能超过200个字符').optional(),
  link: z
    .string()
    .trim()
    .max(1000, '链接不能超过1000个字符')
    .refine((v) => v === '' || /^https?:\/\//i.test(v), '链接须以 http:// 或 https:// 开头')
    .optional(),
  participants: z.number({ message: '请输入人数' }).int('人数须为整数').min(0, '人数不能为负').max(1_000_000).nullable().optional(),
  hours: z.number({ message: '请输入时长' }).min(0, '时长不能为负').max(10_000_000).nullable().optional(),
  description: z.string().max(5000, '说明不能超过5000个字符').optional(),
  attachmentIds: z.array(z.uuid()).max(50).optional(),
};
export const createOutputBody = z.object({
  unitId: z.uuid({ message: '请选择单位' }),
  kind: z.enum(outputKinds, { message: '请选择成果类型' }),
  ...fields,
});
export type CreateOutputBody = z.infer<typeof createOutputBody>;
export const updateOutputBody = z.object(fields).partial();
export type UpdateOutputBody = z.infer<typeof updateOutputBody>;

export const outputListQuery = pageQuery.extend({
  kind: z.enum(outputKinds).optional(),
  level: z.enum(outputLevels).optional(),
  /** the unit and its subtree */
  unitId: z.uuid().optional(),
  from: date.optional(),
  /** inclusive */
  to: date.optional(),
});
export type OutputListQuery = z.infer<typeof outputListQuery>;
