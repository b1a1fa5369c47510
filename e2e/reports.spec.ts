/**
 * The reports module end to end in real Chromium (issue 5's path): the county opens a half-year report window
 * for its towns; 青山镇's clerk fills the pre-filled draft and submits it; the county returns it with a reason;
 * the town edits and resubmits; the county accepts it.
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
  pickTreeSelect,
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
    await page.screenshot({ path: join(artifacts, `failure-reports-${name}.png`) }).catch(() => undefined);
    throw e;
  }
}

const findUser = async (page: Page, role: string, unitName: string) => (await findPerson(page, server.url, role, unitName)).username;

describe('reports: a half-year report window in Chromium', () => {
  const title = 'E2E半年意识形态工作报告';
  const town = '青山镇党委';
  let county = '';
  let clerk = '';
  let boardUrl = '';

  it('finds the demo accounts', async () => {
    const page = await newPage();
    await loginAs(page, 'admin');
    county = await findUser(page, 'unitAdmin', '县委组织部');
    clerk = await findUser(page, 'clerk', town);
    await page.context().close();
  });

  it('the county opens a half-year report window for its towns', async () => {
    const page = await newPage();
    await loginAs(page, county);
    await page.goto(`${server.url}/reports`);
    await shot(page, 'open', async () => {
      await page.getByTestId('window-open').click();
      await pickTreeSelect(page, 'window-unit', '中共示范县委员会');
      await page.getByTestId('window-title').fill(title);
      await expect
        .poll(() => page.locator('.ant-drawer .ant-select-selection-item', { hasText: '半年报告' }).count(), { timeout: 10_000 })
        .toBeGreaterThan(0);
      await pickTreeSelect(page, 'window-root', '中共示范县委员会');
      await pickSelect(page, 'window-unit-type', /^乡镇$/);
      await page.getByTestId('window-closes').click();
      await page.keyboard.type('2099-12-31');
      await page.keyboard.press('Enter');
      await page.getByTestId('window-submit').click();
      await page.waitForURL((url) => url.pathname.startsWith('/reports/windows/'), { timeout: 15_000 });
    });
    boardUrl = page.url();
    const row = page.locator('.ant-table-row', { hasText: town });
    await expect.poll(() => row.textContent(), { timeout: 10_000 }).toContain('未填报');
    await page.context().close();
  });

  it('the town clerk starts the pre-filled draft, completes it and submits', async () => {
    const page = await newPage({ width: 412, height: 900 }); // a village or town clerk on a phone
    await loginAs(page, clerk);
    await page.goto(`${server.url}/my-reports?q=${encodeURIComponent(title)}`);
    const row = page.locator('.ant-table-row', { hasText: title });
    await shot(page, 'start', async () => {
      await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
      await row.getByTestId('submission-start').click();
      await expect
        .poll(() => page.getByTestId('section-text-meetings').inputValue(), { timeout: 10_000 })
        .toContain('系统根据本单位台账预填');
    });
    await shot(page, 'submit', async () => {
      await page.getByTestId('section-text-overview').fill('上半年青山镇党委认真落实意识形态工作责任制。');
      await page.getByTestId('submission-submit').click();
      await confirmPopconfirm(page);
      await expect.poll(() => page.getByTestId('submission-detail').textContent(), { timeout: 10_000 }).toContain('已报送');
    });
    await page.context().close();
  });

  it('the county returns it with a reason', async () => {
    const page = await newPage();
    await loginAs(page, county);
    await page.goto(boardUrl);
    const row = page.locator('.ant-table-row', { hasText: town });
    await shot(page, 'return', async () => {
      await expect.poll(() => row.textContent(), { timeout: 10_000 }).toContain('已报送');
      await row.getByTestId('submission-return').click();
      await page.getByTestId('submission-return-reason').fill('请补充阵地管理和舆论引导情况。');
      await page.getByTestId('submission-return-ok').click();
      await expect.poll(() => row.textContent(), { timeout: 10_000 }).toContain('退回');
    });
    await page.context().close();
  });

  it('the town edits and resubmits', async () => {
    const page = await newPage({ width: 412, height: 900 });
    await loginAs(page, clerk);
    await page.goto(`${server.url}/my-reports?q=${encodeURIComponent(title)}`);
    const row = page.locator('.ant-table-row', { hasText: title });
    await shot(page, 'resubmit', async () => {
      await expect.poll(() => row.textContent(), { timeout: 10_000 }).toContain('退回');
      await row.getByTestId('submission-open').click();
      await expect.poll(() => page.getByTestId('submission-return-alert').textContent(), { timeout: 10_000 }).toContain('阵地管理');
      await page.getByTestId('section-text-positions').fill('镇政府网站、公众号严格落实三审三校制度。');
      await page.getByTestId('submission-submit').click();
      await confirmPopconfirm(page);
      await expect.poll(() => page.getByTestId('submission-detail').textContent(), { timeout: 10_000 }).toContain('已报送');
    });
    await page.context().close();
  });

  it('the county accepts it', async () => {
    const page = await newPage();
    await loginAs(page, county);
    await page.goto(boardUrl);
    const row = page.locator('.ant-table-row', { hasText: town });
    await shot(page, 'accept', async () => {
      await expect.poll(() => row.textContent(), { timeout: 10_000 }).toContain('已报送');
      await row.getByTestId('submission-accept').click();
      await confirmPopconfirm(page);
      await expect.poll(() => row.textContent(), { timeout: 10_000 }).toContain('已采纳');
    });
    await page.screenshot({ path: join(artifacts, 'reports-board.png') });
    await page.context().close();
  });
});
