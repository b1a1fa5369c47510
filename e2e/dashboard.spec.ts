/**
 * The dashboard in real Chromium: the county secretary lands on 工作台, sees the county's figures and its
 * townships, drills into 青山镇党委, exports the town's ledger for the year (progress, then the docx), comes
 * back through the breadcrumb, and follows a figure to its records.
 * The desktop screenshot is the README's (UPDATE_SCREENSHOT=1 copies it to docs/screenshot.png).
 */
import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifacts, DEMO_PASSWORD, findPerson, launchBrowser, type RunningServer, repoRoot, startServer, submitLogin } from './support.js';

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

async function newPage(viewport = { width: 1366, height: 900 }): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN' });
  return context.newPage();
}

/** The county secretary: a leader of the county committee (the demo's usernames are generated). */
async function secretary(page: Page): Promise<string> {
  await submitLogin(page, server.url, 'admin', DEMO_PASSWORD);
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  return (await findPerson(page, server.url, 'leader', '中共示范县委员会', '县委书记')).username;
}

describe('dashboard in Chromium', () => {
  let username = '';

  it('finds the county secretary', async () => {
    const page = await newPage();
    username = await secretary(page);
    await page.context().close();
  });

  it('lands on the dashboard, drills into a township and back, follows a figure to its records', async () => {
    const page = await newPage();
    await submitLogin(page, server.url, username, DEMO_PASSWORD);
    await page.waitForURL(/\/dashboard/);
    await expect.poll(() => page.getByTestId('dashboard-unit').textContent(), { timeout: 15_000 }).toContain('中共示范县委员会');
    await expect.poll(() => page.getByTestId('figure-overdueTasks').textContent()).toMatch(/逾期任务\d+/);
    const table = page.getByTestId('dashboard-children');
    await expect.poll(() => table.locator('tr', { hasText: '青山镇党委' }).count()).toBe(1);
    await expect.poll(() => page.locator('[data-testid=chart-trend] canvas').count()).toBeGreaterThan(0);
    await page.waitForTimeout(800); // let the charts' entry animation finish for the screenshot
    const file = join(artifacts, 'dashboard.png');
    await page.screenshot({ path: file, fullPage: true });
    if (process.env.UPDATE_SCREENSHOT === '1') {
      mkdirSync(join(repoRoot, 'docs'), { recursive: true });
      copyFileSync(file, join(repoRoot, 'docs', 'screenshot.png'));
    }

    await table.getByRole('link', { name: '青山镇党委' }).click();
    await expect.poll(() => page.getByTestId('dashboard-unit').textContent()).toContain('青山镇党委');
    await expect.poll(() => page.locator('.ant-breadcrumb li').count()).toBeGreaterThanOrEqual(2);
    await expect.poll(() => table.locator('tr', { hasText: '上坪村党支部' }).count()).toBe(1);

    // the town's ledger for the year, from its dashboard: progress to the end, then the Word file
    await page.getByTestId('dashboard-ledger').click();
    await page.waitForURL(/\/ledger\?unitId=/);
    await expect.poll(() => page.getByTestId('ledger-unit').textContent(), { timeout: 10_000 }).toContain('青山镇党委');
    await page.getByTestId('ledger-start').click();
    await page.locator('[data-testid="ledger-current"] [data-testid="ledger-progress"][data-state="done"]').waitFor({ timeout: 90_000 });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('[data-testid="ledger-current"] [data-testid="ledger-download-docx"]').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^青山镇党委\d{4}年度.*台账\.docx$/);
    const docx = join(artifacts, 'dashboard-ledger.docx');
    await download.saveAs(docx);
    expect(statSync(docx).size).toBeGreaterThan(5_000);
    await page.goBack();
    await expect.poll(() => page.getByTestId('dashboard-unit').textContent()).toContain('青山镇党委');
    await page.locator('.ant-breadcrumb').getByRole('link', { name: '中共示范县委员会' }).click();
    await expect.poll(() => page.getByTestId('dashboard-unit').textContent()).toContain('中共示范县委员会');

    await page.getByTestId('figure-openTasks').click();
    await page.waitForURL(/\/tasks\?unitId=/);
    await expect.poll(() => page.locator('.ant-table-row').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await page.context().close();
  });

  it('fits a 390-px phone screen', async () => {
    const page = await newPage({ width: 390, height: 844 });
    await submitLogin(page, server.url, username, DEMO_PASSWORD);
    await page.waitForURL(/\/dashboard/);
    await expect.poll(() => page.getByTestId('dashboard-unit').isVisible(), { timeout: 15_000 }).toBe(true);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    await page.screenshot({ path: join(artifacts, 'dashboard-phone.png'), fullPage: true });
    await page.context().close();
  });
});
