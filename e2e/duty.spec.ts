/**
 * The duty module end to end in real Chromium (issue 3's path): the county's unit administrator makes a work
 * plan for 青山镇党委 with an item and fans it out to the township's villages; a village clerk starts the task
 * and submits progress with an attachment; the township's leader (the assigner side) confirms it. The task
 * calendar shows it on its deadline.
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

describe('duty: plans and tasks in Chromium', () => {
  const itemTitle = 'E2E开展意识形态专题学习';
  let planner = '';
  let clerk = '';
  let townLeader = '';

  it('finds the demo accounts', async () => {
    const page = await newPage();
    await loginAs(page, 'admin', DEMO_PASSWORD);
    planner = await findUser(page, 'unitAdmin', '县委组织部'); // county-wide unit administrator
    clerk = await findUser(page, 'clerk', '上坪村党支部');
    townLeader = await findUser(page, 'leader', '青山镇党委');
    await page.context().close();
  });

  it('the county admin creates a plan of 青山镇 and an item and fans it out to its villages', async () => {
    const page = await newPage();
    await loginAs(page, planner, DEMO_PASSWORD);
    await page.goto(`${server.url}/plans`);
    await shot(page, 'plan-create', async () => {
      await page.getByTestId('plan-create').click();
      await pickTreeSelect(page, 'plan-unit', '青山镇党委');
      await page.getByTestId('plan-title').fill('E2E年度意识形态工作方案');
      await page.getByTestId('plan-create-ok').click();
      await page.getByTestId('plan-item-add').click();
      await page.getByTestId('plan-item-title').fill(itemTitle);
      await page.getByTestId('plan-item-ok').click();
      await page.getByTestId('plan-item-assign').click();
    });
    await shot(page, 'plan-assign', async () => {
      await pickTreeSelect(page, 'assign-root', '青山镇党委');
      await pickSelect(page, 'assign-unit-type', /^村$/);
      await page.getByTestId('assign-deadline').click();
      await page.keyboard.type('2099-12-31');
      await page.keyboard.press('Enter');
      await page.getByTestId('assign-submit').click();
      await expect.poll(() => page.locator('.ant-message').textContent(), { timeout: 10_000 }).toMatch(/共生成 3 项任务/);
    });
    await page.context().close();
  });

  it('a village clerk starts the task and submits progress with an attachment', async () => {
    const page = await newPage();
    await loginAs(page, clerk, DEMO_PASSWORD);
    await page.goto(`${server.url}/tasks?q=${encodeURIComponent(itemTitle)}`);
    const row = page.locator('.ant-table-row', { hasText: itemTitle });
    await shot(page, 'task-start', async () => {
      await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
      await row.getByTestId('task-start').click();
      await expect.poll(() => row.textContent(), { timeout: 10_000 }).toContain('进行中');
    });
    await shot(page, 'task-submit', async () => {
      await row.getByTestId('task-submit').click();
      await page.getByTestId('task-progress').fill('已组织全体党员开展专题学习。');
      await page.locator('.ant-modal input[type=file]').setInputFiles({
        name: '学习签到表.pdf',
        mimeType: 'application/pdf',
        buffer: Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n', 'latin1'),
      });
      await expect.poll(() => page.locator('.ant-modal .ant-upload-list-item-done').count(), { timeout: 10_000 }).toBe(1);
      await page.getByTestId('task-modal-ok').click();
      await expect.poll(() => row.textContent(), { timeout: 10_000 }).toContain('已提交');
    });
    // the detail drawer shows the progress
    await row.getByTestId('task-view').click();
    await expect.poll(() => page.getByTestId('task-progress-text').textContent()).toContain('专题学习');
    await expect.poll(() => page.getByTestId('task-detail').textContent()).toContain('学习签到表.pdf');
    await page.context().close();
  });

  it('the township leader confirms it; the calendar shows it on its deadline', async () => {
    const page = await newPage();
    await loginAs(page, townLeader, DEMO_PASSWORD);
    await page.goto(`${server.url}/tasks?q=${encodeURIComponent(itemTitle)}&state=submitted`);
    const row = page.locator('.ant-table-row', { hasText: '上坪村党支部' });
    await shot(page, 'task-confirm', async () => {
      await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
      await row.getByTestId('task-confirm').click();
      await confirmPopconfirm(page);
      await expect.poll(() => page.locator('.ant-table-row', { hasText: '上坪村党支部' }).count(), { timeout: 10_000 }).toBe(0);
    });
    await page.goto(`${server.url}/tasks?q=${encodeURIComponent(itemTitle)}&state=done`);
    await expect
      .poll(() => page.locator('.ant-table-row', { hasText: '上坪村党支部' }).textContent(), { timeout: 10_000 })
      .toContain('已办结');
    await shot(page, 'task-calendar', async () => {
      await page.goto(`${server.url}/tasks`);
      await page.getByTestId('tasks-view-calendar').click();
      await expect.poll(() => page.getByTestId('task-calendar').isVisible()).toBe(true);
      await expect.poll(() => page.locator('[data-testid=task-calendar] .ant-spin-blur').count(), { timeout: 10_000 }).toBe(0);
    });
    await page.screenshot({ path: join(artifacts, 'tasks-calendar.png') });
    await page.context().close();
  });

  it('the task list and its drawer fit a 390-px phone screen', async () => {
    const page = await newPage({ width: 390, height: 844 });
    await loginAs(page, clerk, DEMO_PASSWORD);
    await page.goto(`${server.url}/tasks`);
    const row = page.locator('.ant-table-row', { hasText: itemTitle });
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    await row.getByTestId('task-view').click();
    await expect.poll(() => page.getByTestId('task-detail').isVisible()).toBe(true);
    const width = await page.locator('.ant-drawer-content-wrapper').evaluate((el) => el.getBoundingClientRect().width);
    expect(width).toBeGreaterThanOrEqual(389);
    await page.screenshot({ path: join(artifacts, 'tasks-phone.png') });
    await page.context().close();
  });
});
