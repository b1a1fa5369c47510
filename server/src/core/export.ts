/**
 * Excel export of lists: one helper every module uses, so that every export escapes formula injection
 * and looks alike (bold frozen header, column widths, a sheet name in Chinese).
 */
import ExcelJS from 'exceljs';
import type { FastifyReply } from 'fastify';
import { contentDisposition } from './attachments/service.js';
import { AppError } from './errors.js';

/** The most rows one synchronous export writes; larger ledgers go through background jobs (ledger module). */
export const EXPORT_MAX_ROWS = 50_000;

export interface ExportColumn<T> {
  header: string;
  width?: number;
  value: (row: T) => string | number | boolean | Date | null | undefined;
}

/**
 * A cell that a spreadsheet would read as a formula (= + - @, or a leading tab/CR that some programs strip)
 * gets a leading apostrophe-equivalent: a single quote, so it stays text.
 */
export function escapeCell(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export async function buildXlsx<T>(sheetName: string, columns: ExportColumn<T>[], rows: Iterable<T>): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'DutyLedger 责任制台账';
  const sheet = workbook.addWorksheet(sheetName.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  // headers too: some are data (the compliance matrix has a column per rule, named by its users)
  sheet.columns = columns.map((c, i) => ({ header: String(escapeCell(c.header)), key: `c${i}`, width: c.width ?? 18 }));
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) sheet.addRow(columns.map((c) => escapeCell(c.value(row) ?? '')));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/**
 * Sends an .xlsx download; `filename` may be Chinese (RFC 5987) and may come from data (an assessment's name):
 * quotes, backslashes and control characters never reach the header.
 */
export function sendXlsx(reply: FastifyReply, filename: string, data: Buffer): FastifyReply {
  return reply
    .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    .header('content-disposition', contentDisposition(filename.replace(/[/\\]/g, '_')))
    .send(data);
}

/** Refuses an export larger than EXPORT_MAX_ROWS with a message that says what to do. */
export function assertExportable(total: number): void {
  if (total > EXPORT_MAX_ROWS) {
    throw new AppError('VALIDATION', `共${total}条记录，超过单次导出上限${EXPORT_MAX_ROWS}条，请缩小筛选范围后再导出`);
  }
}

/** Query for an export: the list's filters, without paging. */
export const allRows = { page: 1, pageSize: EXPORT_MAX_ROWS + 1 } as const;

/** A time as users read it: Asia/Shanghai, `2026-11-23 09:30:00`. */
export function shanghaiTime(value: string | Date | null | undefined): string {
  if (!value) return '';
  return new Date(value).toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai', hour12: false });
}
