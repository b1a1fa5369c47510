import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { type InspectionKind, inspectionKindLabels } from '@dutyledger/contracts';
import { count, eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorCtx, buildPerson, buildRoot, buildUnit, type Client, type Harness, login, startHarness } from '../../../test/harness.js';
import { uploadAttachment } from '../../core/attachments/service.js';
import { localDate } from '../../core/periods.js';
import { createAccountability } from '../accountability/service.js';
import { addGroupMember, createLinkedTask } from '../duty/service.js';
import { createMeeting, createStudyPlan, listMeetingKinds } from '../meetings/service.js';
import { createOpinionEvent, ensureOpinionPlatforms, listOpinionPlatforms } from '../opinion/service.js';
import { createOutput } from '../outputs/service.js';
import { addFinding, addRectifyItem, createInspection } from '../rectify/service.js';
import { backfillNote, buildLedgerFiles } from './build.js';
import {
  claimNextExport,
  cleanupExpiredExports,
  ledgerDir,
  processQueuedExports,
  startLedgerWorker,
  stopLedgerWorker,
  transitionExport,
} from './jobs.js';
import { ledgerExports } from './schema.js';

const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY);

let h: Harness;
let A: string;
let A1: string;
let B: string;
let clerkA: Client;
let adminA: Client;
let adminB: Client;
let period: { kind: 'custom'; from: string; to: string };

const TITLE = 'A镇党委意识形态工作责任制台账';
const ON_TIME = '专题研究意识形态工作';
const LATE = '补录的理论学习中心组学习';
const INJECTION = '=HYPERLINK("http://example.invalid","点我")';
const TASK = '+制定网络阵地管理办法';
const STUDY_PLAN = '本月理论学习中心组学习计划';
const PUBLICATION = '关于开展主题宣传活动的报道';
const OPINION_TOPIC = '某小区物业纠纷话题';
const OPINION_SUMMARY = '概要不进台账';
const RECTIFY_MEASURE = '建立稿件三审三校台账';
const CAUSE = '问责事由不进台账';
const OUTPUT = '县融媒体刊发乡村振兴宣讲稿';

/** the ledger's chapters in order, as numbered sheet names (the docx headings are the same) */
const CHAPTERS = [
  '组织与职责',
  '责任体系',
  '工作方案',
  '任务落实',
  '会议学习',
  '学习计划',
  '阵地稿件审核',
  '活动报备',
  '阵地自查',
  '分析研判',
  '舆情事件',
  '通报',
  '报告报送',
  '整改落实',
  '问责情况',
  '工作成果',
];
const num = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二', '十三', '十四', '十五', '十六', '十七'];
const sheet = (title: string) => `${num[CHAPTERS.indexOf(title)]}、${title}`;

async function runAll() {
  return processQueuedExports(h.ctx);
}

async function download(client: Client, id: string, format: string): Promise<Buffer> {
  const res = await h.app.inject({ method: 'GET', url: `/api/ledger/exports/${id}/files/${format}`, headers: { cookie: client.cookie } });
  expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
  return res.rawPayload;
}

async function exportCount() {
  return ((await h.database.db.select({ n: count() }).from(ledgerExports)) as [{ n: number }])[0].n;
}

beforeAll(async () => {
  h = await startHarness();
  const R = (await buildRoot(h, '台账测试县委')).id;
  A = (await buildUnit(h, R, 'A镇党委', '乡镇')).id;
  A1 = (await buildUnit(h, A, 'A1村党支部', '村')).id;
  B = (await buildUnit(h, R, 'B镇党委', '乡镇')).id;
  const pClerkA = await buildPerson(h, { unitId: A, roles: ['clerk'], displayName: '张经办' });
  const pAdminA = await buildPerson(h, { unitId: A, roles: ['unitAdmin'], displayName: '李书记' });
  const pClerkA1 = await buildPerson(h, { unitId: A1, roles: ['clerk'], displayName: '王村干' });
  const pAdminB = await buildPerson(h, { unitId: B, roles: ['unitAdmin'] });
  clerkA = await login(h, pClerkA.username);
  adminA = await login(h, pAdminA.username);
  adminB = await login(h, pAdminB.username);

  const asClerkA = await actorCtx(h, pClerkA.id);
  const kindId = (await listMeetingKinds(asClerkA))[0]!.id;
  const att = await uploadAttachment(asClerkA, {
    unitId: A,
    fileName: '会议纪要.txt',
    stream: Readable.from([Buffer.from('会议纪要：研究意识形态工作。')]),
    truncated: () => false,
  });
  await createMeeting(asClerkA, {
    unitId: A,
    kindId,
    heldAt: daysAgo(10).toISOString(),
    topic: ON_TIME,
    tags: [],
    attendeeIds: [pClerkA.id, pAdminA.id],
    absentees: [],
    resolutions: [{ text: '制定年度工作要点' }],
    minutes: '',
    attachmentIds: [att.id],
  });
  // held 60 days ago, entered today: 补录
  await createMeeting(asClerkA, {
    unitId: A,
    kindId,
    heldAt: daysAgo(60).toISOString(),
    topic: LATE,
    tags: [],
    resolutions: [],
    minutes: '',
    attendeeIds: [],
    absentees: [],
  });
  await createMeeting(asClerkA, {
    unitId: A,
    kindId,
    heldAt: daysAgo(5).toISOString(),
    topic: INJECTION,
    tags: [],
    resolutions: [],
    minutes: '',
    attendeeIds: [],
    absentees: [],
  });
  // outside the period
  await createMeeting(asClerkA, {
    unitId: A,
    kindId,
    heldAt: daysAgo(200).toISOString(),
    topic: '期间之外的会议',
    tags: [],
    resolutions: [],
    minutes: '',
    attendeeIds: [],
    absentees: [],
  });
  // a village meeting: only in a ledger that includes the subtree
  await createMeeting(await actorCtx(h, pClerkA1.id), {
    unitId: A1,
    kindId,
    heldAt: daysAgo(3).toISOString(),
    topic: '村支部主题党日',
    tags: [],
    resolutions: [],
    minutes: '',
    attendeeIds: [],
    absentees: [],
  });
  await createLinkedTask(await actorCtx(h, pAdminA.id), {
    assignerUnitId: A,
    assigneeUnitId: A,
    title: TASK,
    deadline: new Date(Date.now() + 20 * DAY).toISOString(),
    source: { type: 'test', id: 'x', label: '测试来源' },
  });
  const asAdminA = await actorCtx(h, pAdminA.id);
  await createStudyPlan(asAdminA, { unitId: A, month: localDate(new Date()).slice(0, 7), title: STUDY_PLAN, content: '学习党的创新理论' });
  await addGroupMember(asAdminA, A, { personId: pAdminA.id, role: 'head' });
  const typeId = (await adminA.get('/api/channel-dicts/channelType')).body[0].id;
  const channel = await adminA.post('/api/channels', {
    unitId: A,
    supervisorUnitId: R,
    typeId,
    name: 'A镇公众号',
    reviewChain: [[pAdminA.id]],
  });
  expect(channel.status, JSON.stringify(channel.body)).toBe(200);
  const pub = await clerkA.post('/api/publications', { channelId: channel.body.id, title: PUBLICATION, body: '<p>正文</p>' });
  expect(pub.status, JSON.stringify(pub.body)).toBe(200);
  expect((await clerkA.post(`/api/publications/${pub.body.id}/submit`, {})).status).toBe(200);
  // a draft never submitted is not a record of the ledger
  const draft = await clerkA.post('/api/publications', { channelId: channel.body.id, title: '未提交的草稿稿件', body: '<p>草稿</p>' });
  expect(draft.status).toBe(200);
  await ensureOpinionPlatforms(h.ctx);
  const platformId = (await listOpinionPlatforms(asClerkA))[0]!.id;
  // first seen 40 days ago, entered today: 补录
  await createOpinionEvent(asClerkA, {
    unitId: A,
    title: OPINION_TOPIC,
    summary: OPINION_SUMMARY,
    sources: [{ platformId, url: 'https://example.invalid/post/1' }],
    firstSeenAt: daysAgo(40).toISOString(),
    level: 'general',
    relatedUnitIds: [],
  });
  const asInspector = await actorCtx(h, (await buildPerson(h, { unitId: R, roles: ['inspector'] })).id);
  const insp = await createInspection(asInspector, {
    kind: Object.keys(inspectionKindLabels)[0] as InspectionKind,
    title: '意识形态工作专项检查',
    inspectingUnitId: R,
    inspectingBody: '',
    inspectedUnitId: A,
    startedOn: localDate(daysAgo(20)),
    description: '',
  });
  const finding = await addFinding(asInspector, insp.id, { category: '', description: '稿件审核记录不全' });
  await addRectifyItem(asInspector, finding.id, {
    unitId: A,
    measure: RECTIFY_MEASURE,
    deadline: new Date(Date.now() + 10 * DAY).toISOString(),
    requiredEvidence: '',
  });
  await createAccountability(asInspector, {
    subjectType: 'person',
    subjectPersonId: pClerkA.id,
    subjectUnitId: A,
    cause: { type: 'other', label: CAUSE },
    measure: 'criticism',
    decidingUnitId: R,
    decidedOn: localDate(daysAgo(5)),
    description: '',
  });
  // about the village: counted only in a ledger with the subtree
  await createAccountability(asInspector, {
    subjectType: 'unit',
    subjectUnitId: A1,
    cause: { type: 'other', label: CAUSE },
    measure: 'reminder',
    decidingUnitId: R,
    decidedOn: localDate(daysAgo(4)),
    description: '',
  });
  await createOutput(asAdminA, {
    unitId: A,
    kind: 'article',
    title: OUTPUT,
    occurredOn: localDate(daysAgo(2)),
    level: 'county',
    outlet: '县融媒体中心',
  });
  period = { kind: 'custom', from: localDate(daysAgo(100)), to: localDate(new Date(Date.now() + 30 * DAY)) };
});
afterAll(() => h.close());

describe('ledger export files', () => {
  let jobId: string;
  beforeAll(async () => {
    const res = await clerkA.post('/api/ledger/exports', { unitId: A, period, formats: ['zip', 'docx', 'xlsx'] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ state: 'queued', progress: 0, formats: ['docx', 'xlsx', 'zip'], unitName: 'A镇党委' });
    jobId = res.body.id;
    expect(await runAll()).toBe(1);
  });

  it('finishes with progress 100, three files and an expiry 7 days later', async () => {
    const res = await clerkA.get(`/api/ledger/exports/${jobId}`);
    expect(res.body.state).toBe('done');
    expect(res.body.progress).toBe(100);
    expect(res.body.files.map((f: { format: string }) => f.format)).toEqual(['docx', 'xlsx', 'zip']);
    expect(res.body.files[0].name).toBe(`A镇党委${period.from}至${period.to}意识形态工作责任制台账.docx`);
    const days = (Date.parse(res.body.expiresAt) - Date.parse(res.body.finishedAt)) / DAY;
    expect(days).toBe(7);
  });

  it('the docx opens: title, headings, records, 补录 with both dates, GB/T 9704 margins', async () => {
    const zip = await JSZip.loadAsync(await download(clerkA, jobId, 'docx'));
    const xml = await zip.file('word/document.xml')!.async('string');
    const text = xml.replace(/<[^>]+>/g, '');
    expect(text).toContain(TITLE);
    for (const title of CHAPTERS) expect(text).toContain(sheet(title));
    expect(text).toContain(STUDY_PLAN);
    expect(text).toContain(OPINION_TOPIC);
    expect(text).not.toContain(OPINION_SUMMARY);
    expect(text).toContain(RECTIFY_MEASURE);
    expect(text).toContain(OUTPUT);
    expect(text).not.toContain('未提交的草稿稿件');
    expect(text).not.toContain(CAUSE);
    expect(text).toContain(ON_TIME);
    expect(text).toContain('会议纪要.txt');
    expect(text).toContain(TASK);
    expect(text).toContain(`补录：发生于${localDate(daysAgo(60))}，录入于${localDate(new Date())}`);
    expect(text).not.toContain('期间之外的会议');
    expect(text).not.toContain('村支部主题党日');
    const mar = xml.match(/<w:pgMar [^>]+>/)![0];
    const attr = (n: string) => Number(mar.match(new RegExp(`w:${n}="(\\d+)"`))![1]);
    expect(Math.abs(attr('top') - 2098)).toBeLessThan(10);
    expect(Math.abs(attr('bottom') - 1984)).toBeLessThan(10);
    expect(Math.abs(attr('left') - 1587)).toBeLessThan(10);
    expect(Math.abs(attr('right') - 1474)).toBeLessThan(10);
    expect(xml).toMatch(/<w:pgSz w:w="11906" w:h="16838"/);
    // title 二号 (44 half-points) in 小标宋; page numbers in the footer
    expect(xml).toMatch(/方正小标宋简体[\s\S]*?<w:sz w:val="44"\/>/);
    const footers = Object.keys(zip.files).filter((f) => /word\/footer\d*\.xml/.test(f));
    const footer = await zip.file(footers[0]!)!.async('string');
    expect(footer).toContain('PAGE');
  });

  it('the xlsx has a sheet per chapter, frozen headers, the expected rows, 补录 and escaped formulas', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await download(clerkA, jobId, 'xlsx')) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((s) => s.name)).toEqual(['封面及目录', ...CHAPTERS.map(sheet)]);
    expect(wb.getWorksheet(sheet('学习计划'))!.actualRowCount).toBe(1 + 1);
    const duty = wb.getWorksheet(sheet('责任体系'))!;
    expect(duty.actualRowCount).toBe(1 + 1);
    expect((duty.getRow(2).values as unknown[]).map(String)).toEqual(expect.arrayContaining(['领导小组', '李书记', '组长']));
    const pubs = wb.getWorksheet(sheet('阵地稿件审核'))!;
    expect(pubs.actualRowCount).toBe(1 + 1);
    const pubRow = (pubs.getRow(2).values as unknown[]).map(String);
    expect(pubRow).toEqual(expect.arrayContaining([PUBLICATION, '待初审']));
    expect(pubRow.join('|')).toContain('提交审核（张经办）');
    expect(wb.getWorksheet(sheet('活动报备'))!.actualRowCount).toBe(1);
    expect(wb.getWorksheet(sheet('阵地自查'))!.actualRowCount).toBe(1);
    const opinion = wb.getWorksheet(sheet('舆情事件'))!;
    expect(opinion.actualRowCount).toBe(1 + 1);
    const topic = (opinion.getRow(2).values as unknown[]).map(String).join('|');
    expect(topic).toContain(OPINION_TOPIC);
    expect(topic).toContain(`补录：发生于${localDate(daysAgo(40))}`);
    // topics only: neither the summary nor where it was posted
    expect(topic).not.toContain(OPINION_SUMMARY);
    expect(topic).not.toContain('example.invalid');
    expect(wb.getWorksheet(sheet('分析研判'))!.actualRowCount).toBe(1);
    expect(wb.getWorksheet(sheet('通报'))!.actualRowCount).toBe(1);
    expect(wb.getWorksheet(sheet('报告报送'))!.actualRowCount).toBe(1);
    const rectify = wb.getWorksheet(sheet('整改落实'))!;
    expect(rectify.actualRowCount).toBe(1 + 1);
    expect((rectify.getRow(2).values as unknown[]).map(String)).toEqual(expect.arrayContaining([RECTIFY_MEASURE, '整改中']));
    // accountability: one row per measure and a total, counts only — no name, no cause
    const acc = wb.getWorksheet(sheet('问责情况'))!;
    expect(acc.actualRowCount).toBe(1 + 6 + 1);
    const accRows = [2, 3, 4, 5, 6, 7, 8].map((r) => (acc.getRow(r).values as unknown[]).map(String));
    expect(accRows.find((r) => r.includes('批评教育'))).toContain('1');
    expect(accRows.find((r) => r.includes('合计'))).toContain('1');
    expect(accRows.flat().join('|')).not.toMatch(/张经办|问责事由不进台账/);
    const outputs = wb.getWorksheet(sheet('工作成果'))!;
    expect(outputs.actualRowCount).toBe(1 + 1);
    expect((outputs.getRow(2).values as unknown[]).map(String)).toEqual(expect.arrayContaining([OUTPUT, '稿件刊发', '县级']));
    const meetings = wb.getWorksheet(sheet('会议学习'))!;
    expect(meetings.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(meetings.actualRowCount).toBe(1 + 3);
    expect(meetings.getRow(1).getCell(1).value).toBe('序号');
    const rows = [2, 3, 4].map((r) => (meetings.getRow(r).values as unknown[]).map((v) => String(v ?? '')));
    const late = rows.find((r) => r.includes(LATE))!;
    expect(late.join('|')).toContain(`补录：发生于${localDate(daysAgo(60))}`);
    const onTime = rows.find((r) => r.includes(ON_TIME))!;
    expect(onTime.join('|')).not.toContain('补录');
    expect(onTime).toContain('会议纪要.txt');
    // formula injection: the cell holds text beginning with a quote, never a formula
    const inj = rows.find((r) => r.some((c) => c.includes('HYPERLINK')))!;
    expect(inj).toContain(`'${INJECTION}`);
    for (let r = 1; r <= meetings.rowCount; r++) meetings.getRow(r).eachCell((c) => expect(c.type).not.toBe(ExcelJS.ValueType.Formula));
    const tasks = wb.getWorksheet(sheet('任务落实'))!;
    expect(tasks.actualRowCount).toBe(2);
    expect((tasks.getRow(2).values as unknown[]).map(String)).toContain(`'${TASK}`);
    expect(wb.getWorksheet(sheet('组织与职责'))!.actualRowCount).toBe(1 + 2); // the two people with posts in A
  });

  it('the zip holds both files and the attachments in a folder per chapter', async () => {
    const zip = await JSZip.loadAsync(await download(clerkA, jobId, 'zip'));
    const names = Object.keys(zip.files);
    expect(names).toContain(`A镇党委${period.from}至${period.to}意识形态工作责任制台账.docx`);
    expect(names).toContain(`A镇党委${period.from}至${period.to}意识形态工作责任制台账.xlsx`);
    expect(names).toContain(`附件/${String(CHAPTERS.indexOf('会议学习') + 1).padStart(2, '0')}-会议学习/会议纪要.txt`);
    expect(
      await zip.file(`附件/${String(CHAPTERS.indexOf('会议学习') + 1).padStart(2, '0')}-会议学习/会议纪要.txt`)!.async('string'),
    ).toContain('研究意识形态工作');
  });

  it('a ledger with the subtree includes the village, for a subtree-wide role only', async () => {
    const refused = await clerkA.post('/api/ledger/exports', { unitId: A, period, formats: ['xlsx'], includeSubtree: true });
    expect(refused.status).toBe(400);
    expect(refused.body.fields.includeSubtree).toMatch(/本单位/);
    const res = await adminA.post('/api/ledger/exports', { unitId: A, period, formats: ['xlsx'], includeSubtree: true });
    expect(res.status).toBe(200);
    await runAll();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await download(adminA, res.body.id, 'xlsx')) as unknown as ArrayBuffer);
    const meetings = wb.getWorksheet(sheet('会议学习'))!;
    expect(meetings.actualRowCount).toBe(1 + 4);
    const acc = wb.getWorksheet(sheet('问责情况'))!;
    const total = [2, 3, 4, 5, 6, 7, 8].map((r) => (acc.getRow(r).values as unknown[]).map(String)).find((r) => r.includes('合计'));
    expect(total).toContain('2');
    expect(wb.getWorksheet(sheet('组织与职责'))!.actualRowCount).toBe(1 + 3);
  });

  it('a chapter longer than the Word limit lists the first records and says where the rest are', async () => {
    const { ledgerUnitInfo } = await import('../org/service.js');
    const unit = (await ledgerUnitInfo(h.ctx, A))!;
    const dir = join(h.dataDir, 'cap-test');
    await buildLedgerFiles(h.ctx, {
      unitName: unit.name,
      periodLabel: '测试期间',
      scope: { unitId: A, unitPath: unit.path, includeSubtree: false, from: daysAgo(100), to: new Date(Date.now() + 30 * DAY) },
      formats: ['docx'],
      madeAt: new Date(),
      backfillDays: 30,
      dir,
      docxMaxRows: 1,
    });
    const zip = await JSZip.loadAsync(readFileSync(join(dir, 'A镇党委测试期间意识形态工作责任制台账.docx')));
    const text = (await zip.file('word/document.xml')!.async('string')).replace(/<[^>]+>/g, '');
    expect(text).toContain('Word 版列出前1条，全部3条见 Excel 台账');
  });

  it('backfill threshold is the configured number of days', () => {
    const r = { happenedAt: daysAgo(60), enteredAt: new Date() };
    expect(backfillNote(r, 30)).toMatch(/^补录/);
    expect(backfillNote(r, 60)).toBe('');
    expect(backfillNote({ happenedAt: daysAgo(60), enteredAt: null }, 30)).toBe('');
    expect(h.config.backfillDays).toBe(30);
  });
});

describe('scope and validation', () => {
  it('a sibling may not export, read or download a unit ledger; nothing is written', async () => {
    const before = await exportCount();
    const res = await adminB.post('/api/ledger/exports', { unitId: A, period, formats: ['docx'] });
    expect(res.status).toBe(403);
    expect(await exportCount()).toBe(before);
    const mine = await clerkA.post('/api/ledger/exports', { unitId: A, period, formats: ['docx'] });
    await runAll();
    expect((await adminB.get(`/api/ledger/exports/${mine.body.id}`)).status).toBe(404);
    expect((await adminB.get(`/api/ledger/exports/${mine.body.id}/files/docx`)).status).toBe(404);
    expect((await clerkA.get(`/api/ledger/exports/${mine.body.id}/files/docx`)).status).toBe(200);
    // a format not built
    expect((await clerkA.get(`/api/ledger/exports/${mine.body.id}/files/zip`)).status).toBe(404);
  });

  it('lists only my own exports', async () => {
    const mine = await clerkA.get('/api/ledger/exports');
    expect(mine.body.total).toBeGreaterThan(0);
    expect(mine.body.items.every((e: { unitId: string }) => e.unitId === A)).toBe(true);
    const other = await adminB.get('/api/ledger/exports');
    expect(other.body.total).toBe(0);
  });

  it('bad input: 400 with Chinese field messages', async () => {
    const bad = await clerkA.post('/api/ledger/exports', {
      unitId: A,
      period: { kind: 'custom', from: '2026-05-01', to: '2026-04-01' },
      formats: [],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.fields['period.to']).toBe('结束日期不能早于开始日期');
    expect(bad.body.fields.formats).toBe('请至少选择一种导出格式');
    const half = await clerkA.post('/api/ledger/exports', { unitId: A, period: { kind: 'halfYear', year: 2026 }, formats: ['xlsx'] });
    expect(half.body.fields['period.half']).toBe('请选择上半年或下半年');
    const long = await clerkA.post('/api/ledger/exports', {
      unitId: A,
      period: { kind: 'custom', from: '2020-01-01', to: '2026-01-01' },
      formats: ['xlsx'],
    });
    expect(long.status).toBe(400);
    expect(long.body.fields['period.to']).toMatch(/不能超过/);
  });
});

describe('export job state machine', () => {
  async function queued(): Promise<string> {
    const res = await clerkA.post('/api/ledger/exports', { unitId: A, period: { kind: 'year', year: 2025 }, formats: ['xlsx'] });
    return res.body.id;
  }
  const stateOf = async (id: string) => (await h.database.db.select().from(ledgerExports).where(eq(ledgerExports.id, id)))[0]!.state;

  it('legal: queued → running → done → expired, and running → failed → expired, queued → failed', async () => {
    const id = await queued();
    // the distribution key: the region of the export's unit (A, a child of the top unit, is its own region)
    expect((await h.database.db.select().from(ledgerExports).where(eq(ledgerExports.id, id)))[0]!.regionId).toBe(A);
    await transitionExport(h.ctx, id, 'start');
    expect(await stateOf(id)).toBe('running');
    await transitionExport(h.ctx, id, 'finish');
    expect(await stateOf(id)).toBe('done');
    await transitionExport(h.ctx, id, 'expire');
    expect(await stateOf(id)).toBe('expired');
    const id2 = await queued();
    await transitionExport(h.ctx, id2, 'start');
    await transitionExport(h.ctx, id2, 'fail');
    expect(await stateOf(id2)).toBe('failed');
    await transitionExport(h.ctx, id2, 'expire');
    expect(await stateOf(id2)).toBe('expired');
    const id3 = await queued();
    await transitionExport(h.ctx, id3, 'fail');
    expect(await stateOf(id3)).toBe('failed');
  });

  it('illegal transitions answer 409 and leave the state unchanged', async () => {
    const id = await queued();
    const illegal: [string, 'finish' | 'expire' | 'start' | 'fail'][] = [
      ['queued', 'finish'],
      ['queued', 'expire'],
    ];
    for (const [state, action] of illegal) {
      await expect(transitionExport(h.ctx, id, action)).rejects.toMatchObject({ code: 'ILLEGAL_TRANSITION', status: 409 });
      expect(await stateOf(id)).toBe(state);
    }
    await transitionExport(h.ctx, id, 'start');
    for (const action of ['start', 'expire'] as const) {
      await expect(transitionExport(h.ctx, id, action)).rejects.toMatchObject({ code: 'ILLEGAL_TRANSITION' });
      expect(await stateOf(id)).toBe('running');
    }
    // a download of an unfinished job: 409
    const res = await clerkA.get(`/api/ledger/exports/${id}/files/xlsx`);
    expect(res.status).toBe(409);
    await transitionExport(h.ctx, id, 'finish');
    for (const action of ['start', 'finish', 'fail'] as const) {
      await expect(transitionExport(h.ctx, id, action)).rejects.toMatchObject({ code: 'ILLEGAL_TRANSITION' });
      expect(await stateOf(id)).toBe('done');
    }
    await transitionExport(h.ctx, id, 'expire');
    for (const action of ['start', 'finish', 'fail', 'expire'] as const) {
      await expect(transitionExport(h.ctx, id, action)).rejects.toMatchObject({ code: 'ILLEGAL_TRANSITION' });
      expect(await stateOf(id)).toBe('expired');
    }
  });

  it('two workers starting the same job: one wins, the other gets 409', async () => {
    const id = await queued();
    const results = await Promise.allSettled([transitionExport(h.ctx, id, 'start'), transitionExport(h.ctx, id, 'start')]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toMatchObject({ code: 'ILLEGAL_TRANSITION' });
    expect(await stateOf(id)).toBe('running');
    await transitionExport(h.ctx, id, 'fail');
  });

  it('claiming: each queued job is claimed once', async () => {
    await runAll();
    const id = await queued();
    const claims = await Promise.all([claimNextExport(h.ctx), claimNextExport(h.ctx)]);
    expect(claims.filter((c) => c === id)).toHaveLength(1);
    expect(claims.filter((c) => c === null)).toHaveLength(1);
    await transitionExport(h.ctx, id, 'fail');
  });

  it('cleanup removes expired files and marks the job expired; its download then answers 409', async () => {
    const res = await clerkA.post('/api/ledger/exports', { unitId: A, period, formats: ['xlsx'] });
    await runAll();
    const id = res.body.id;
    expect(existsSync(join(ledgerDir(h.config, id)))).toBe(true);
    expect(await cleanupExpiredExports(h.ctx)).toBe(0); // not yet due
    expect(await cleanupExpiredExports(h.ctx, new Date(Date.now() + 8 * DAY))).toBeGreaterThan(0);
    expect(existsSync(join(ledgerDir(h.config, id)))).toBe(false);
    const job = await clerkA.get(`/api/ledger/exports/${id}`);
    expect(job.body).toMatchObject({ state: 'expired', files: [] });
    expect((await clerkA.get(`/api/ledger/exports/${id}/files/xlsx`)).status).toBe(409);
  });

  it('the in-process worker picks up a new job right away and finishes it', async () => {
    startLedgerWorker(h.database, h.config, 60_000);
    try {
      const res = await clerkA.post('/api/ledger/exports', { unitId: A, period, formats: ['xlsx'] });
      let state = res.body.state;
      for (let i = 0; i < 300 && (state === 'queued' || state === 'running'); i++) {
        await new Promise((r) => setTimeout(r, 100));
        state = (await clerkA.get(`/api/ledger/exports/${res.body.id}`)).body.state;
      }
      expect(state).toBe('done');
    } finally {
      await stopLedgerWorker();
    }
  });
});
