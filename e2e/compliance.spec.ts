/**
 * Rules and compliance end to end in real Chromium: a meeting recorded by 县委 turns the half-year rule green
 * on the compliance page; the cell opens the record behind it; the matrix fits a phone screen.
 */
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

const COUNTY = '中共示范县委员会';
const RULE = '党委(党组)每半年至少专题研究一次意识形态工作';
const TOPIC = 'E2E专题研究意识形态工作';

async function newPage(viewport = { width: 1366, height: 850 }): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN' });
  return context.newPage();
}

async function loginAs(page: Page, username: string) {
  await submitLogin(page, server.url, username, DEMO_PASSWORD);
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

const findUser = async (page: Page, role: string, unitName: string) => (await findPerson(page, server.url, role, unitName)).username;

/** The county's half-year cell in the matrix (the column of RULE, the row of the county). */
async function countyCell(page: Page) {
  const header = page.locator('[data-testid=matrix-table] thead th');
  await expect.poll(async () => (await header.allTextContents()).some((h) => h.includes(RULE)), { timeout: 15_000 }).toBe(true);
  const col = (await header.allTextContents()).findIndex((h) => h.includes(RULE));
  const row = page.locator('[data-testid=matrix-table] tbody tr', { hasText: COUNTY }).first();
  return row.locator('td').nth(col);
}

describe('compliance in Chromium', () => {
  let leader = '';
  let clerk = '';

  it('finds the demo accounts', async () => {
    const page = await newPage();
    await loginAs(page, 'admin');
    leader = await findUser(page, 'leader', COUNTY);
    clerk = await findUser(page, 'clerk', COUNTY);
    await page.context().close();
  });

  it('a meeting recorded by 县委 turns the half-year rule green', async () => {
    const page = await newPage();
    await loginAs(page, leader);
    await page.goto(`${server.url}/compliance`);
    const before = await countyCell(page);
    // 未到期 on a bare demo county; a demo that already holds such a meeting this half-year starts green
    await expect.poll(() => before.textContent(), { timeout: 15_000 }).toMatch(/未到期|已完成/);

    // the county clerk records the meeting (the meeting pages belong to another slice: through the API)
    const clerkPage = await newPage();
    await loginAs(clerkPage, clerk);
    const me = await (await clerkPage.request.get(`${server.url}/api/auth/me`)).json();
    const kinds = (await (await clerkPage.request.get(`${server.url}/api/meeting-kinds`)).json()) as { id: string; name: string }[];
    const res = await clerkPage.request.post(`${server.url}/api/meetings`, {
      headers: { 'x-csrf-token': me.csrfToken },
      data: {
        unitId: me.posts.find((p: { id: string }) => p.id === me.currentPostId).unitId,
        kindId: kinds.find((k) => k.name === '党委(党组)会议专题研究意识形态工作')!.id,
        heldAt: new Date(Date.now() - 3600_000).toISOString(),
        topic: TOPIC,
      },
    });
    expect(res.status()).toBe(200);
    await clerkPage.context().close();

    await page.reload();
    const after = await countyCell(page);
    await expect.poll(() => after.textContent(), { timeout: 15_000 }).toContain('已完成');
    await after.locator('[data-testid=cell-done]').click();
    await expect.poll(() => page.getByTestId('cell-drawer').textContent(), { timeout: 10_000 }).toContain(TOPIC);
    await page.screenshot({ path: join(artifacts, 'compliance-matrix.png') });
    await page.context().close();
  });

  it('the matrix fits a 390-px phone screen (the table scrolls inside its card)', async () => {
    const page = await newPage({ width: 390, height: 844 });
    await loginAs(page, leader);
    await page.goto(`${server.url}/compliance`);
    await expect.poll(() => page.locator('[data-testid=matrix-table] tbody tr').count(), { timeout: 15_000 }).toBeGreaterThan(5);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    await page.screenshot({ path: join(artifacts, 'compliance-phone.png') });
    await page.context().close();
  });
});
