/**
 * The responsibility pages end to end in real Chromium: the county's unit administrator adds a member to the
 * leading group (the vacancy warning shows what is still missing), issues 平川镇党委's responsibility letter,
 * attaches the signed scan and marks it signed; the duty list prints.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  artifacts,
  confirmPopconfirm,
  DEMO_PASSWORD,
  findPerson,
  launchBrowser,
  pickSelect,
  type RunningServer,
  startServer,
  submitLogin,
} from './support.js';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function newPage(viewport = { width: 1366, height: 850 }): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN' });
  return context.newPage();
}

async function loginAs(page: Page, username: string) {
  await submitLogin(page, server.url, username, DEMO_PASSWORD);
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

async function shot<T>(page: Page, name: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (e) {
    await page.screenshot({ path: join(artifacts, `failure-${name}.png`) }).catch(() => undefined);
    throw e;
  }
}

const minimalPdf = Buffer.from(
  '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n',
  'latin1',
);

describe('responsibility in Chromium', () => {
  let admin = '';

  it('finds the county unit administrator', async () => {
    const page = await newPage();
    await loginAs(page, 'admin');
    admin = (await findPerson(page, server.url, 'unitAdmin', '县委组织部')).username;
    expect(admin).toBeTruthy();
    await page.context().close();
  });

  it('adds a leading group member; the vacancy warning names what is still missing', async () => {
    const page = await newPage();
    await loginAs(page, admin);
    // a bureau the demo left without a leading group (the county and the towns have theirs)
    const units = (await (await page.request.get(`${server.url}/api/units`)).json()) as { id: string; name: string }[];
    const bureau = units.find((u) => u.name === '县民政局党组')!;
    await page.goto(`${server.url}/leading-groups?unit=${bureau.id}`);
    await shot(page, 'groups', async () => {
      await expect.poll(() => page.getByTestId('groups-vacancies').textContent(), { timeout: 15_000 }).toContain('领导小组组长空缺');
      await page.getByTestId('member-add').click();
      await pickSelect(page, 'member-role', /^组长$/);
      await pickSelect(page, 'member-person', '党组书记', { search: true });
      await expect.poll(() => page.getByTestId('member-person').textContent()).toContain('党组书记');
      await page.getByTestId('member-ok').click();
      await expect.poll(() => page.getByTestId('groups-members').textContent(), { timeout: 10_000 }).toContain('组长');
      await expect.poll(() => page.getByTestId('groups-vacancies').textContent()).not.toContain('领导小组组长空缺');
    });
    await shot(page, 'assignment', async () => {
      await page.getByTestId('assignment-add').click();
      await pickSelect(page, 'assignment-person', '办公室干部', { search: true });
      await page.getByTestId('assignment-areas').click();
      await page.keyboard.type('网络意识形态');
      await page.keyboard.press('Enter');
      await page.getByTestId('assignment-ok').click();
      await expect
        .poll(() => page.getByTestId('groups-assignments').textContent(), { timeout: 10_000 })
        .toContain('分管领域：网络意识形态');
    });
    await page.context().close();
  });

  it('issues a letter to a town, attaches the scan and marks it signed', async () => {
    const page = await newPage();
    await loginAs(page, admin);
    await page.goto(`${server.url}/duty-letters?unitType=${encodeURIComponent('乡镇')}`);
    // the town the demo has not started a letter for yet
    const row = page.locator('.ant-table-row', { hasText: '平川镇党委' });
    await shot(page, 'letter-create', async () => {
      await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
      await row.getByTestId('board-start').click();
      await pickSelect(page, 'letter-upper-signer', '县委书记', { search: true });
      await pickSelect(page, 'letter-signer', '党委书记', { search: true });
      await page.getByTestId('letter-create').click();
      await expect.poll(() => page.getByTestId('letter-status').textContent(), { timeout: 10_000 }).toBe('未签订');
    });
    await shot(page, 'letter-sign', async () => {
      await page
        .locator('.ant-drawer input[type=file]')
        .setInputFiles({ name: '责任状扫描件.pdf', mimeType: 'application/pdf', buffer: minimalPdf });
      await expect.poll(() => page.locator('.ant-drawer').textContent(), { timeout: 10_000 }).toContain('责任状扫描件.pdf');
      await page.getByTestId('letter-sign').click();
      await confirmPopconfirm(page);
      await expect.poll(() => page.getByTestId('letter-status').textContent(), { timeout: 10_000 }).toBe('已签订');
    });
    await page.keyboard.press('Escape');
    await expect.poll(() => row.textContent(), { timeout: 10_000 }).toContain('已签订');
    await page.context().close();
  });

  it('shows the duty list ready to print, also on a phone', async () => {
    const page = await newPage({ width: 390, height: 844 });
    await loginAs(page, admin);
    await page.goto(`${server.url}/duty-lists`);
    await expect.poll(() => page.getByTestId('duty-list').textContent(), { timeout: 15_000 }).toContain('党委主体责任清单');
    expect(await page.getByTestId('duty-list').textContent()).toContain('纳入重要议事日程');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    await page.screenshot({ path: join(artifacts, 'duty-list-phone.png') });
    await page.context().close();
  });
});
