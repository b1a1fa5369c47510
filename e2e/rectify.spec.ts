/**
 * The rectify module end to end in real Chromium: the county's discipline inspector records a 巡察 of 青山镇党委
 * with a finding and a rectification item owned by the township; the township's clerk submits the rectification
 * on a phone-width screen; the inspector signs it off (销号) and the board shows it done.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  artifacts,
  confirmPopconfirm,
  DEMO_PASSWORD,
  findPerson,
  launchBrowser,
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
    await page.screenshot({ path: join(artifacts, `failure-rectify-${name}.png`) }).catch(() => undefined);
    throw e;
  }
}

const findUser = async (page: Page, role: string, unitName: string) => (await findPerson(page, server.url, role, unitName)).username;

const day = (offset: number) => new Date(Date.now() + 8 * 3600_000 + offset * 86_400_000).toISOString().slice(0, 10);

describe('rectify: inspection, item, submission and sign-off in Chromium', () => {
  const measure = 'E2E建立理论学习台账并每月更新';
  let inspector = '';
  let clerk = '';

  it('finds the demo people', async () => {
    const page = await newPage();
    await loginAs(page, 'admin');
    inspector = await findUser(page, 'inspector', '县纪委监委');
    clerk = await findUser(page, 'clerk', '青山镇党委');
    await page.context().close();
  });

  it('the inspector records the inspection, a finding and an item', async () => {
    const page = await newPage();
    await shot(page, 'create', async () => {
      await loginAs(page, inspector);
      await page.goto(`${server.url}/rectify`);
      await page.getByTestId('inspection-new').click();
      await page.getByTestId('inspection-title').fill('E2E县委巡察青山镇');
      await pickTreeSelect(page, 'inspection-inspecting', '中共示范县委员会');
      // the first dropdown must be gone before the second opens (both list 青山镇党委)
      await page
        .locator('.ant-select-dropdown:visible')
        .waitFor({ state: 'detached' })
        .catch(() => undefined);
      await page.waitForTimeout(300);
      await pickTreeSelect(page, 'inspection-inspected', '青山镇党委');
      const range = page.locator('.ant-drawer .ant-picker-range input');
      await range.first().click();
      await range.first().fill(day(-30));
      await range.first().press('Enter');
      await range.nth(1).fill(day(-10));
      await range.nth(1).press('Enter');
      await page.getByTestId('inspection-save').click();
      await page.getByTestId('inspection-drawer').waitFor();
      await page.getByTestId('finding-text').fill('E2E理论学习记录不完整');
      await page.getByTestId('finding-add').click();
      await page.getByTestId('item-new').click();
      await page.getByTestId('item-measure').fill(measure);
      const deadline = page.getByTestId('item-deadline');
      await deadline.click();
      await page.keyboard.type(day(20));
      // Enter commits the typed date, and antd's form takes it as a submit; click 确定 when it did not
      await page.keyboard.press('Enter');
      await page
        .locator('td', { hasText: measure })
        .first()
        .waitFor({ timeout: 5000 })
        .catch(() => page.getByTestId('item-add').click());
      await page.getByText(measure).first().waitFor();
      await page.screenshot({ path: join(artifacts, 'rectify-inspection.png') });
    });
    await page.context().close();
  });

  it('the township clerk submits the rectification on a phone', async () => {
    const page = await newPage({ width: 390, height: 844 });
    await shot(page, 'submit', async () => {
      await loginAs(page, clerk);
      await page.goto(`${server.url}/rectify?tab=items&mine=true`);
      const row = page.locator('tr', { hasText: measure });
      await row.getByTestId('rectify-submit').click();
      await page.getByTestId('rectify-modal-text').fill('已建立学习台账，本月已更新');
      await page.getByTestId('rectify-modal-ok').click();
      await page.locator('tr', { hasText: measure }).getByText('已提交').waitFor();
      await page.screenshot({ path: join(artifacts, 'rectify-phone-submitted.png') });
    });
    await page.context().close();
  });

  it('the inspector signs it off; the board counts it', async () => {
    const page = await newPage();
    await shot(page, 'signoff', async () => {
      await loginAs(page, inspector);
      await page.goto(`${server.url}/rectify?tab=items`);
      const row = page.locator('tr', { hasText: measure });
      await row.getByTestId('rectify-signoff').click();
      await confirmPopconfirm(page);
      await page.locator('tr', { hasText: measure }).getByText('已销号').waitFor();
      await page.getByTestId('rectify-tab-board').click();
      const board = page.getByTestId('rectify-board');
      await board.locator('tr', { hasText: 'E2E县委巡察青山镇' }).waitFor();
      await page.screenshot({ path: join(artifacts, 'rectify-board.png') });
    });
    await page.context().close();
  });
});
