/**
 * Download of a window's submissions as one ZIP: one Word document (.docx, `docx` library) per submission
 * that has been submitted at least once (已报送, 退回, 已采纳; drafts stay the unit's own), its section
 * attachments beside it, and 报送情况.xlsx with the board. Streamed with archiver.
 */
import type { Readable } from 'node:stream';
import archiver from 'archiver';
import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, TextRun } from 'docx';
import { fileStoreOf, readLater } from '../../core/attachments/store.js';
import type { Ctx } from '../../core/context.js';
import { buildXlsx, shanghaiTime } from '../../core/export.js';
import { allBoardRows } from './board.js';
import { getSubmission } from './submissions.js';

const FONT = '仿宋_GB2312';
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters from file names is the point
const safeName = (s: string) => s.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_').slice(0, 80);

function paragraphs(text: string): Paragraph[] {
  const lines = text.split('\n');
  return lines.map(
    (line) =>
      new Paragraph({
        children: [new TextRun({ text: line, font: FONT, size: 32 })],
        indent: { firstLine: 640 },
        spacing: { line: 560 },
      }),
  );
}

export async function submissionDocx(ctx: Ctx, id: string): Promise<Buffer> {
  const s = await getSubmission(ctx, id);
  const children: Paragraph[] = [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      heading: HeadingLevel.TITLE,
      children: [new TextRun({ text: `${s.unitName}${s.windowTitle}`, font: '方正小标宋简体', size: 44 })],
      spacing: { after: 400 },
    }),
    ...paragraphs(
      [
        `报告期间：${s.period.label}`,
        `状态：${s.stateLabel}${s.late ? `（逾期${s.lateDays}天报送）` : ''}`,
        `报送时间：${shanghaiTime(s.submittedAt)}`,
        s.returnReason && s.state === 'returned' ? `退回理由：${s.returnReason}` : '',
      ]
        .filter(Boolean)
        .join('\n'),
    ),
  ];
  for (const sec of s.sections) {
    children.push(
      new Paragraph({ children: [new TextRun({ text: sec.title, font: '黑体', size: 32 })], spacing: { before: 240, after: 120 } }),
    );
    children.push(...paragraphs(sec.text || '（未填写）'));
    if (sec.attachments.length) children.push(...paragraphs(`附件：${sec.attachments.map((a) => a.name).join('、')}`));
  }
  const doc = new Document({
    sections: [{ properties: { page: { margin: { top: 2098, bottom: 1984, left: 1588, right: 1474 } } }, children }],
  });
  return Packer.toBuffer(doc);
}

/** The ZIP of a window (board access is checked by allBoardRows: 404/403). */
export async function windowZip(ctx: Ctx, windowId: string): Promise<{ filename: string; stream: archiver.Archiver }> {
  const { window: opened, rows } = await allBoardRows(ctx, windowId);
  const archive = archiver('zip', { zlib: { level: 6 } });
  const files: { name: string; data: Buffer | Readable }[] = [];
  const xlsx = await buildXlsx(
    '报送情况',
    [
      { header: '单位', value: (r: (typeof rows)[number]) => r.unitName, width: 24 },
      { header: '状态', value: (r) => r.stateLabel, width: 10 },
      { header: '首次报送时间', value: (r) => shanghaiTime(r.firstSubmittedAt), width: 20 },
      { header: '是否逾期', value: (r) => (r.late ? `逾期${r.lateDays}天` : ''), width: 12 },
      { header: '退回理由', value: (r) => r.returnReason ?? '', width: 30 },
    ],
    rows,
  );
  files.push({ name: '报送情况.xlsx', data: xlsx });
  for (const row of rows) {
    if (!row.id || row.state === 'draft' || row.state === 'notSubmitted') continue;
    const base = safeName(row.unitName);
    files.push({ name: `${base}/${base}-${safeName(opened.title)}.docx`, data: await submissionDocx(ctx, row.id) });
    const detail = await getSubmission(ctx, row.id);
    for (const sec of detail.sections) {
      for (const att of sec.attachments) {
        const store = fileStoreOf(ctx.config);
        if (await store.has(att.sha256))
          files.push({ name: `${base}/附件/${safeName(sec.title)}-${safeName(att.name)}`, data: readLater(store, att.sha256) });
      }
    }
  }
  for (const f of files) {
    archive.append(f.data, { name: f.name });
  }
  void archive.finalize();
  return { filename: `${safeName(opened.title)}.zip`, stream: archive };
}
