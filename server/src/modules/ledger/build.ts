/**
 * Assembling the ledger into files: one pass over the chapters writes the Excel workbook row by row
 * (exceljs streaming WorkbookWriter: rows are flushed as they are committed) and collects the Word
 * document's content; the ZIP (archiver, streamed to disk) holds both files and the attachments, in a
 * folder per chapter.
 *
 * Memory: the xlsx and the zip are streamed; the `docx` library builds its document in memory, so its
 * content is kept lean (one small table row per record: number, date, the record's fields in one cell,
 * attachment names) — for a county's year that is a few MB.
 */
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { LedgerFormat } from '@dutyledger/contracts';
import archiver from 'archiver';
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  HeadingLevel,
  Packer,
  PageBreak,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import ExcelJS from 'exceljs';
import { sanitizeFileName } from '../../core/attachments/service.js';
import { fileStoreOf, readLater } from '../../core/attachments/store.js';
import type { Ctx } from '../../core/context.js';
import { escapeCell } from '../../core/export.js';
import { daysBetween, localDate } from '../../core/periods.js';
import { type LedgerAttachmentRef, type LedgerChapter, type LedgerRecord, type LedgerScope, ledgerChapters } from './chapters/index.js';
import type { LedgerFileRow } from './schema.js';

/** GB/T 9704 page: A4, margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (in twips, 1 mm = 56.7). */
export const PAGE = { width: 11906, height: 16838, top: 2098, bottom: 1984, left: 1587, right: 1474 } as const;
export const FONTS = { title: '方正小标宋简体', body: '仿宋_GB2312', heading1: '黑体', heading2: '楷体_GB2312' } as const;
/** half-points: 二号 22pt, 三号 16pt, 五号 10.5pt (tables) */
const SIZE = { title: 44, body: 32, table: 21 } as const;

export const BACKFILL_MARK = '补录';
/**
 * The Word document holds at most this many records per chapter (the `docx` library builds the whole
 * document in memory: ~0.1 MB and ~5 ms per table row on the bench machine); the rest are counted and
 * left to the Excel workbook, which streams every record. The chapter says so in print.
 */
export const DOCX_MAX_ROWS_PER_CHAPTER = 3000;

export interface BuildInput {
  unitName: string;
  periodLabel: string;
  scope: LedgerScope;
  formats: LedgerFormat[];
  madeAt: Date;
  backfillDays: number;
  /** directory to write into (created) */
  dir: string;
  chapters?: LedgerChapter[];
  /** records per chapter in the Word document (DOCX_MAX_ROWS_PER_CHAPTER by default) */
  docxMaxRows?: number;
}

const cn = [
  '一',
  '二',
  '三',
  '四',
  '五',
  '六',
  '七',
  '八',
  '九',
  '十',
  '十一',
  '十二',
  '十三',
  '十四',
  '十五',
  '十六',
  '十七',
  '十八',
  '十九',
  '二十',
];
export const chapterNumber = (i: number) => cn[i] ?? String(i + 1);

/** 补录 note of a record, or '' when it was entered in time (or has no entry date). */
export function backfillNote(r: Pick<LedgerRecord, 'happenedAt' | 'enteredAt'>, backfillDays: number): string {
  if (!r.happenedAt || !r.enteredAt) return '';
  if (daysBetween(r.happenedAt, r.enteredAt) <= backfillDays) return '';
  return `${BACKFILL_MARK}：发生于${localDate(r.happenedAt)}，录入于${localDate(r.enteredAt)}`;
}

const cellText = (v: string | number | null) => (v === null || v === undefined ? '' : String(v));
export const fileBaseName = (unitName: string, periodLabel: string) => sanitizeFileName(`${unitName}${periodLabel}意识形态工作责任制台账`);

// ---- docx pieces

const run = (text: string, font: string, size: number, bold = false) =>
  new TextRun({ text, font: { eastAsia: font, ascii: font, hAnsi: font }, size, bold });
const bodyPara = (text: string, opts: { center?: boolean; indent?: boolean } = {}) =>
  new Paragraph({
    alignment: opts.center ? AlignmentType.CENTER : AlignmentType.LEFT,
    indent: opts.indent ? { firstLine: 640 } : undefined,
    spacing: { line: 560, lineRule: 'exact' },
    children: [run(text, FONTS.body, SIZE.body)],
  });
/** A table cell: one paragraph, lines joined by breaks, no per-run font (the document default applies). */
const cellPara = (text: string, header = false) =>
  new Paragraph({
    alignment: header ? AlignmentType.CENTER : undefined,
    children: text.split('\n').map((line, i) => new TextRun({ text: line, size: SIZE.table, bold: header, break: i > 0 ? 1 : undefined })),
  });
const cell = (text: string, header = false) => new TableCell({ children: [cellPara(text, header)] });
const border = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
const tableBorders = { top: border, bottom: border, left: border, right: border, insideHorizontal: border, insideVertical: border };
/** column widths in twips (text width 8845 = 11906 − 1587 − 1474) */
const COLUMN_WIDTHS = [620, 1330, 5125, 1770];
const headerRow = (dateHeader: string) =>
  new TableRow({ tableHeader: true, children: ['序号', dateHeader, '内容', '附件'].map((h) => cell(h, true)) });

interface ChapterOut {
  chapter: LedgerChapter;
  count: number;
  backfilled: number;
  rows: TableRow[];
  attachments: Map<string, LedgerAttachmentRef>;
}

/** Builds the requested files into `input.dir`; `onChapter(done, total)` after each chapter. */
export async function buildLedgerFiles(
  ctx: Ctx,
  input: BuildInput,
  onChapter: (done: number, total: number) => Promise<void> = async () => {},
): Promise<LedgerFileRow[]> {
  const chapters = input.chapters ?? ledgerChapters;
  await mkdir(input.dir, { recursive: true });
  const base = fileBaseName(input.unitName, input.periodLabel);
  const wantZip = input.formats.includes('zip');
  const wantDocx = wantZip || input.formats.includes('docx');
  const wantXlsx = wantZip || input.formats.includes('xlsx');
  const madeOn = localDate(input.madeAt);
  const docxName = `${base}.docx`;
  const xlsxName = `${base}.xlsx`;
  const zipName = `${base}.zip`;

  // ---- xlsx: the cover sheet first, then a sheet per chapter, each row committed (flushed) as it is written
  const wb = wantXlsx
    ? new ExcelJS.stream.xlsx.WorkbookWriter({ filename: join(input.dir, xlsxName), useStyles: true, useSharedStrings: false })
    : null;
  if (wb) {
    wb.creator = 'DutyLedger 责任制台账';
    const cover = wb.addWorksheet('封面及目录');
    cover.columns = [{ width: 16 }, { width: 40 }];
    const lines: [string, string][] = [
      ['台账名称', `${input.unitName}意识形态工作责任制台账`],
      ['单位', input.unitName],
      ['期间', input.periodLabel],
      ['编制日期', madeOn],
      ['', ''],
      ['目录', ''],
      ...chapters.map((c, i): [string, string] => [`${chapterNumber(i)}、`, c.title]),
    ];
    for (const l of lines) cover.addRow(l.map(escapeCell)).commit();
    cover.commit();
  }

  const outs: ChapterOut[] = [];
  for (const [i, chapter] of chapters.entries()) {
    const out: ChapterOut = { chapter, count: 0, backfilled: 0, rows: [], attachments: new Map() };
    const sheet = wb?.addWorksheet(`${chapterNumber(i)}、${chapter.title}`.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
    if (sheet) {
      sheet.columns = [
        { width: 6 },
        { width: 12 },
        ...chapter.columns.map((c) => ({ width: c.width ?? 18 })),
        { width: 30 },
        { width: 36 },
      ];
      const header = sheet.addRow(['序号', chapter.dateHeader, ...chapter.columns.map((c) => c.header), '附件', '备注']);
      header.font = { bold: true };
      header.commit();
    }
    for await (const page of chapter.pages(ctx, input.scope)) {
      for (const rec of page) {
        out.count++;
        const date = rec.happenedAt ? localDate(rec.happenedAt) : '';
        const note = backfillNote(rec, input.backfillDays);
        if (note) out.backfilled++;
        const files = rec.attachments.map((a) => a.name).join('；');
        for (const a of rec.attachments) out.attachments.set(a.id, a);
        sheet?.addRow([out.count, date, ...rec.cells.map((v) => escapeCell(cellText(v))), escapeCell(files), note]).commit();
        if (wantDocx && out.rows.length < (input.docxMaxRows ?? DOCX_MAX_ROWS_PER_CHAPTER)) {
          const content = chapter.columns
            .map((c, k) => [c.header, cellText(rec.cells[k] ?? null)] as const)
            .filter(([, v]) => v !== '')
            .map(([h, v]) => `${h}：${v}`);
          if (note) content.push(`【${note}】`);
          out.rows.push(
            new TableRow({
              children: [
                cell(String(out.count)),
                cell(note ? `${date}\n（${BACKFILL_MARK}）` : date),
                cell(content.join('\n')),
                cell(rec.attachments.map((a) => a.name).join('\n')),
              ],
            }),
          );
        }
      }
    }
    sheet?.commit();
    outs.push(out);
    await onChapter(i + 1, chapters.length);
  }
  if (wb) await wb.commit();

  if (wantDocx) {
    const doc = ledgerDocument(input, madeOn, outs);
    const buf = await Packer.toBuffer(doc);
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(input.dir, docxName), buf);
  }

  if (wantZip) await writeZip(ctx, join(input.dir, zipName), [docxName, xlsxName], input.dir, outs);

  const files: LedgerFileRow[] = [];
  const names: Record<LedgerFormat, string> = { docx: docxName, xlsx: xlsxName, zip: zipName };
  for (const format of ['docx', 'xlsx', 'zip'] as const) {
    const path = join(input.dir, names[format]);
    if (input.formats.includes(format)) files.push({ format, name: names[format], path: names[format], size: (await stat(path)).size });
    else if (existsSync(path)) await rm(path); // built only to go into the zip
  }
  return files;
}

function ledgerDocument(input: BuildInput, madeOn: string, outs: ChapterOut[]): Document {
  const title = `${input.unitName}意识形态工作责任制台账`;
  const cover = [
    new Paragraph({ spacing: { before: 2400 } }),
    new Paragraph({ alignment: AlignmentType.CENTER, heading: HeadingLevel.TITLE, children: [run(title, FONTS.title, SIZE.title)] }),
    new Paragraph({ spacing: { before: 1200 } }),
    bodyPara(`单位：${input.unitName}`, { center: true }),
    bodyPara(`期间：${input.periodLabel}`, { center: true }),
    bodyPara(`编制日期：${madeOn}`, { center: true }),
    new Paragraph({ children: [new PageBreak()] }),
    new Paragraph({ alignment: AlignmentType.CENTER, children: [run('目  录', FONTS.heading1, SIZE.body)] }),
    ...outs.map((o, i) =>
      bodyPara(`${chapterNumber(i)}、${o.chapter.title}（共${o.count}条${o.backfilled ? `，其中补录${o.backfilled}条` : ''}）`, {
        indent: true,
      }),
    ),
  ];
  const body = outs.flatMap((o, i) => [
    new Paragraph({ children: [new PageBreak()] }),
    new Paragraph({
      heading: HeadingLevel.HEADING_1,
      children: [run(`${chapterNumber(i)}、${o.chapter.title}`, FONTS.heading1, SIZE.body)],
    }),
    new Paragraph({
      heading: HeadingLevel.HEADING_2,
      children: [
        run(
          `（一）本期共${o.count}条记录${o.backfilled ? `，其中补录${o.backfilled}条（录入晚于发生${input.backfillDays}日以上）` : ''}`,
          FONTS.heading2,
          SIZE.body,
        ),
      ],
    }),
    ...(o.count > o.rows.length
      ? [
          bodyPara(`本章记录较多，Word 版列出前${o.rows.length}条，全部${o.count}条见 Excel 台账（导出时勾选 Excel 格式）。`, {
            indent: true,
          }),
        ]
      : []),
    o.count === 0
      ? bodyPara('本期无记录。', { indent: true })
      : new Table({
          width: { size: 100, type: WidthType.PERCENTAGE },
          columnWidths: COLUMN_WIDTHS,
          borders: tableBorders,
          rows: [headerRow(o.chapter.dateHeader), ...o.rows],
        }),
  ]);
  return new Document({
    creator: 'DutyLedger 责任制台账',
    title,
    styles: {
      default: {
        document: { run: { font: { eastAsia: FONTS.body, ascii: FONTS.body, hAnsi: FONTS.body }, size: SIZE.body } },
        // black, not Word's built-in blue headings: 一级 黑体, 二级 楷体, title 小标宋, all without bold
        title: {
          run: { font: { eastAsia: FONTS.title, ascii: FONTS.title, hAnsi: FONTS.title }, size: SIZE.title, color: '000000', bold: false },
        },
        heading1: {
          run: {
            font: { eastAsia: FONTS.heading1, ascii: FONTS.heading1, hAnsi: FONTS.heading1 },
            size: SIZE.body,
            color: '000000',
            bold: false,
          },
          paragraph: { spacing: { before: 240, after: 120 } },
        },
        heading2: {
          run: {
            font: { eastAsia: FONTS.heading2, ascii: FONTS.heading2, hAnsi: FONTS.heading2 },
            size: SIZE.body,
            color: '000000',
            bold: false,
            italics: false,
          },
          paragraph: { spacing: { after: 120 } },
        },
      },
    },
    sections: [
      {
        properties: {
          page: {
            size: { width: PAGE.width, height: PAGE.height },
            margin: { top: PAGE.top, bottom: PAGE.bottom, left: PAGE.left, right: PAGE.right },
          },
        },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [
                  new TextRun({
                    children: ['— ', PageNumber.CURRENT, ' —'],
                    font: { eastAsia: '宋体', ascii: '宋体', hAnsi: '宋体' },
                    size: 28,
                  }),
                ],
              }),
            ],
          }),
        },
        children: [...cover, ...body],
      },
    ],
  });
}

async function writeZip(ctx: Ctx, zipPath: string, files: string[], dir: string, outs: ChapterOut[]): Promise<void> {
  const out = createWriteStream(zipPath);
  const zip = archiver('zip', { zlib: { level: 6 } });
  const done = new Promise<void>((resolve, reject) => {
    out.on('close', () => resolve());
    out.on('error', reject);
    zip.on('error', reject);
  });
  zip.pipe(out);
  for (const f of files) zip.file(join(dir, f), { name: f });
  const listing: string[] = [];
  for (const [i, o] of outs.entries()) {
    const folder = `附件/${String(i + 1).padStart(2, '0')}-${o.chapter.title}`;
    const used = new Set<string>();
    for (const a of o.attachments.values()) {
      let name = sanitizeFileName(a.name);
      for (let n = 2; used.has(name); n++) name = `${n}-${sanitizeFileName(a.name)}`;
      used.add(name);
      const store = fileStoreOf(ctx.config);
      if (await store.has(a.sha256)) {
        zip.append(readLater(store, a.sha256), { name: `${folder}/${name}` });
        listing.push(`${folder}/${name}`);
      } else listing.push(`${folder}/${name}（文件缺失）`);
    }
  }
  zip.append(`${listing.join('\r\n')}\r\n`, { name: '附件清单.txt' });
  await zip.finalize();
  await done;
}
