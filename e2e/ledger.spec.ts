/**
 * The ledger (台账) end to end in real Chromium: 青山镇党委's leader exports the town's ledger for this
 * year as Word and Excel, watches the progress finish, and downloads the .docx.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifacts, DEMO_PASSWORD, findPerson, launchBrowser, type RunningServer, startServer, submitLogin } from './support.js';

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
  const context = await browser.newContext({ viewport, locale: 'zh-CN', acceptDownloads: true });
  return context.newPage();
}

async function loginAs(page: Page, username: string, password: string) {
  await submitLogin(page, server.url, username, password);
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

const findUser = async (page: Page, role: string, unitName: string) => (await findPerson(page, server.url, role, unitName)).username;

describe('ledger: a town exports its ledger in Chromium', () => {
  let townLeader = '';

  it('finds the demo account', async () => {
    const page = await newPage();
    await loginAs(page, 'admin', DEMO_PASSWORD);
    townLeader = await findUser(page, 'leader', '青山镇党委');
    await page.context().close();
  });

  it("the town's leader exports the year's ledger, waits for the progress, downloads the docx", async () => {
    const page = await newPage();
    await loginAs(page, townLeader, DEMO_PASSWORD);
    await page.goto(`${server.url}/ledger`);
    await shot(page, 'ledger-export', async () => {
      await page.getByTestId('ledger-form').waitFor();
      // defaults: the leader's own unit, this year, Word and Excel
      await expect.poll(() => page.getByTestId('ledger-unit').textContent()).toContain('青山镇党委');
      await page.getByTestId('ledger-start').click();
      const done = page.locator('[data-testid="ledger-current"] [data-testid="ledger-progress"][data-state="done"]');
      await done.waitFor({ timeout: 60_000 });
      await page.screenshot({ path: join(artifacts, 'ledger.png'), fullPage: true });
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.locator('[data-testid="ledger-current"] [data-testid="ledger-download-docx"]').click(),
      ]);
      const name = download.suggestedFilename();
      expect(name).toMatch(/^青山镇党委\d{4}年度意识形态工作责任制台账\.docx$/);
      const path = join(artifacts, 'ledger-download.docx');
      await download.saveAs(path);
      expect(statSync(path).size).toBeGreaterThan(5_000);
      expect(readFileSync(path).subarray(0, 2).toString()).toBe('PK');
    });
  });
});
