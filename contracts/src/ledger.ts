/** The ledger (台账): export jobs that assemble a unit's records of a period as Word, Excel and ZIP. */
import { z } from 'zod';
import { id, isoDateTime } from './common.js';

export const ledgerFormats = ['docx', 'xlsx', 'zip'] as const;
export type LedgerFormat = (typeof ledgerFormats)[number];

export const ledgerPeriodKinds = ['year', 'halfYear', 'custom'] as const;
export type LedgerPeriodKind = (typeof ledgerPeriodKinds)[number];

/** queued → running → done | failed; done | failed → expired (files removed after 7 days) */
export const ledgerExportStates = ['queued', 'running', 'done', 'failed', 'expired'] as const;
export type LedgerExportState = (typeof ledgerExportStates)[number];

const dateOnly = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: '日期格式应为 YYYY-MM-DD' });

export const ledgerPeriod = z
  .object({
    kind: z.enum(ledgerPeriodKinds, { message: '请选择期间类型' }),
    year: z
      .number({ message: '请填写年份' })
      .int({ message: '年份应为整数' })
      .min(2000, { message: '年份不能早于2000年' })
      .max(2100, { message: '年份不能晚于2100年' })
      .optional(),
    /** half-year: 1 上半年, 2 下半年 */
    half: z.number().int().min(1, { message: '半年应为1或2' }).max(2, { message: '半年应为1或2' }).optional(),
    /** custom range, Shanghai calendar dates, both inclusive */
    from: dateOnly.optional(),
    to: dateOnly.optional(),
  })
  .superRefine((p, c) => {
    if ((p.kind === 'year' || p.kind === 'halfYear') && p.year === undefined)
      c.addIssue({ code: 'custom', path: ['year'], message: '请填写年份' });
    if (p.kind === 'halfYear' && p.half === undefined) c.addIssue({ code: 'custom', path: ['half'], message: '请选择上半年或下半年' });
    if (p.kind === 'custom') {
      if (!p.from) c.addIssue({ code: 'custom', path: ['from'], message: '请填写开始日期' });
      if (!p.to) c.addIssue({ code: 'custom', path: ['to'], message: '请填写结束日期' });
      if (p.from && p.to && p.from > p.to) c.addIssue({ code: 'custom', path: ['to'], message: '结束日期不能早于开始日期' });
    }
  });
export type LedgerPeriod = z.infer<typeof ledgerPeriod>;

export const createLedgerExportBody = z.object({
  unitId: id,
  period: ledgerPeriod,
  formats: z
    .array(z.enum(ledgerFormats, { message: '导出格式只能是 docx、xlsx 或 zip' }))
    .min(1, { message: '请至少选择一种导出格式' })
    .max(3),
  /** include the records of the unit's subordinate units (needs a subtree-wide role) */
  includeSubtree: z.boolean().default(false),
});
export type CreateLedgerExportBody = z.infer<typeof createLedgerExportBody>;

export const ledgerExportFile = z.object({ format: z.enum(ledgerFormats), name: z.string(), size: z.number().int() });

export const ledgerExport = z.object({
  id,
  unitId: id,
  unitName: z.string(),
  includeSubtree: z.boolean(),
  periodLabel: z.string(),
  from: isoDateTime,
  to: isoDateTime,
  formats: z.array(z.enum(ledgerFormats)),
  state: z.enum(ledgerExportStates),
  progress: z.number().int(),
  files: z.array(ledgerExportFile),
  error: z.string().nullable(),
  requestedBy: id.nullable(),
  createdAt: isoDateTime,
  finishedAt: isoDateTime.nullable(),
  expiresAt: isoDateTime.nullable(),
});
export type LedgerExport = z.infer<typeof ledgerExport>;

export const ledgerExportListQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});

export const ledgerDownloadParams = z.object({ id, format: z.enum(ledgerFormats, { message: '导出格式只能是 docx、xlsx 或 zip' }) });

export const ledgerChapterInfo = z.object({ key: z.string(), title: z.string() });
