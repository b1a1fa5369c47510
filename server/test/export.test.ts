import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeCell } from '../src/core/export.js';
import { buildPerson, buildRoot, buildUnit, type Client, type Harness, login, startHarness } from './harness.js';

let h: Harness;
let adminA: Client;
let adminB: Client;
let auditor: Client;

beforeAll(async () => {
  h = await startHarness();
  const R = (await buildRoot(h)).id;
  const A = (await buildUnit(h, R, '甲镇党委', '乡镇')).id;
  const B = (await buildUnit(h, R, '乙镇党委', '乡镇')).id;
  adminA = await login(h, (await buildPerson(h, { unitId: A, roles: ['unitAdmin'], displayName: '甲镇管理员' })).username);
  adminB = await login(h, (await buildPerson(h, { unitId: B, roles: ['unitAdmin'], displayName: '乙镇管理员' })).username);
  auditor = await login(h, (await buildPerson(h, { unitId: R, roles: ['auditor'] })).username);
  await buildPerson(h, { unitId: A, roles: ['clerk'], displayName: '=HYPERLINK("http://evil.example","点我")' });
  await buildPerson(h, { unitId: A, roles: ['clerk'], displayName: '@SUM(1+1)' });
});
afterAll(() => h.close());

async function sheetOf(client: Client, url: string) {
  const res = await h.app.inject({ url, headers: { cookie: client.cookie } });
  expect(res.statusCode, res.body).toBe(200);
  expect(res.headers['content-type']).toContain('spreadsheetml');
  expect(String(res.headers['content-disposition'])).toContain("filename*=UTF-8''");
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  return wb.worksheets[0]!;
}

const column = (sheet: ExcelJS.Worksheet, n: number) =>
  sheet
    .getColumn(n)
    .values.slice(2)
    .map((v) => String(v));

describe('Excel export', () => {
  it('escapes cells that a spreadsheet would read as formulas', () => {
    for (const v of ['=1+1', '+1', '-1', '@x', '\t=1', '\r=1']) expect(escapeCell(v)).toBe(`'${v}`);
    expect(escapeCell('正常文本')).toBe('正常文本');
    expect(escapeCell(42)).toBe(42);
  });

  it('exports the filtered people of the caller’s scope only, with a frozen header and escaped cells', async () => {
    const sheet = await sheetOf(adminA, '/api/people/export');
    expect(sheet.getRow(1).getCell(1).value).toBe('姓名');
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const names = column(sheet, 1);
    expect(names).toEqual(expect.arrayContaining(['甲镇管理员', `'=HYPERLINK("http://evil.example","点我")`, "'@SUM(1+1)"]));
    expect(names).not.toContain('乙镇管理员');
    expect(names.some((n) => n.startsWith('=') || n.startsWith('@'))).toBe(false);
    const other = column(await sheetOf(adminB, '/api/people/export'), 1);
    expect(other).toEqual(['乙镇管理员']);
    const filtered = column(await sheetOf(adminA, `/api/people/export?q=${encodeURIComponent('管理员')}`), 1);
    expect(filtered).toEqual(['甲镇管理员']);
  });

  it('exports the audit log and login log for the auditor', async () => {
    const audit = await sheetOf(auditor, '/api/audit/export');
    expect(audit.rowCount).toBeGreaterThan(5);
    expect(audit.getRow(1).getCell(2).value).toBe('时间');
    expect(String(audit.getRow(2).getCell(2).value)).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    const logins = await sheetOf(auditor, '/api/login-log/export?success=true');
    expect(column(logins, 3).every((v) => v === '成功')).toBe(true);
  });
});
