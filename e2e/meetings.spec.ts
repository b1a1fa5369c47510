/**
 * The meetings module end to end in real Chromium: a clerk of the county committee (县委) records a meeting
 * with an attendee and a resolution, then turns the resolution into a task in one click; the meeting shows
 * the task with its state and the task links back to the meeting.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addToMultiSelect,
  artifacts,
  DEMO_PASSWORD,
  findPerson,
  launchBrowser,
  type PersonRow,
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

const findUser = (page: Page, role: string, unitName: string) => findPerson(page, server.url, role, unitName);

/** Two days ago at 09:30 in Asia/Shanghai, as the picker shows it. */
function twoDaysAgo(): string {
  const d = new Date(Date.now() - 2 * 86_400_000 + 8 * 3_600_000);
  return `${d.toISOString().slice(0, 10)} 09:30`;
}

describe('meetings: a resolution becomes a task, in Chromium', () => {
  const topic = 'E2E专题研究意识形态工作';
  const resolution = 'E2E开展网络意识形态专项检查';
  let clerk: PersonRow;
  let leader: PersonRow;

  it('finds the demo accounts', async () => {
    const page = await newPage();
    await loginAs(page, 'admin', DEMO_PASSWORD);
    clerk = await findUser(page, 'clerk', '中共示范县委员会');
    leader = await findUser(page, 'leader', '中共示范县委员会');
    await page.context().close();
  });

  it('the 县委 clerk records a meeting with an attendee and a resolution and turns the resolution into a task', async () => {
    const page = await newPage();
    await loginAs(page, clerk.username, DEMO_PASSWORD);
    await page.goto(`${server.url}/meetings`);
    await shot(page, 'meeting-create', async () => {
      await page.getByTestId('meeting-create').click();
      await pickSelect(page, 'meeting-kind', '专题研究意识形态工作');
      await page.getByTestId('meeting-held-at').click();
      await page.keyboard.type(twoDaysAgo());
      await page.keyboard.press('Enter');
      await page.getByTestId('meeting-topic').fill(topic);
      await addToMultiSelect(page, 'meeting-attendees', leader.displayName, { search: true });
      await page.getByTestId('meeting-add-resolution').click();
      await page.getByTestId('meeting-resolution').fill(resolution);
      await page.getByTestId('meeting-save').click();
      // saved: the detail drawer opens on the new record
      await expect.poll(() => page.getByTestId('meeting-detail').textContent(), { timeout: 10_000 }).toContain(topic);
      await expect.poll(() => page.getByTestId('meeting-attendees-view').textContent()).toContain(leader.displayName);
    });
    await shot(page, 'resolution-task', async () => {
      await page.getByTestId('resolution-to-task').click();
      await page.getByTestId('to-task-deadline').click();
      await page.keyboard.type('2099-12-31');
      await page.keyboard.press('Enter');
      await page.getByTestId('to-task-ok').click();
      // linked: the meeting shows the task and its state, and no second 转为任务
      await expect.poll(() => page.getByTestId('resolution-task').textContent(), { timeout: 10_000 }).toContain('待办');
      expect(await page.getByTestId('resolution-to-task').count()).toBe(0);
    });
    await shot(page, 'task-source', async () => {
      await page.getByTestId('resolution-task').getByRole('link').click();
      await page.waitForURL((url) => url.pathname === '/tasks');
      await expect.poll(() => page.getByTestId('task-source-link').textContent(), { timeout: 10_000 }).toContain(resolution);
      await page.getByTestId('task-source-link').click();
      await page.waitForURL((url) => url.pathname === '/meetings');
      await expect.poll(() => page.getByTestId('meeting-detail').textContent(), { timeout: 10_000 }).toContain(topic);
    });
    await page.context().close();
  });

  it('the meetings list fits a 390-px phone screen', async () => {
    const page = await newPage({ width: 390, height: 844 });
    await loginAs(page, clerk.username, DEMO_PASSWORD);
    await page.goto(`${server.url}/meetings`);
    await expect.poll(() => page.locator('.ant-table-row', { hasText: topic }).count(), { timeout: 10_000 }).toBe(1);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    await page.context().close();
  });

  it('the clerk writes a study note, the 县委 leader reads it (调阅), the clerk sees who read it', async () => {
    const title = 'E2E学习心得';
    const author = await newPage();
    await loginAs(author, clerk.username, DEMO_PASSWORD);
    await author.goto(`${server.url}/study-notes`);
    await shot(author, 'note-create', async () => {
      await author.getByTestId('note-create').click();
      await author.getByTestId('note-title').fill(title);
      await author.getByTestId('note-body').fill('学习了意识形态工作责任制的有关要求。');
      await author.getByTestId('note-save').click();
      await expect.poll(() => author.getByTestId('note-detail').textContent(), { timeout: 10_000 }).toContain(title);
    });

    const reviewer = await newPage();
    await loginAs(reviewer, leader.username, DEMO_PASSWORD);
    await reviewer.goto(`${server.url}/study-review?read=false`);
    await shot(reviewer, 'note-read', async () => {
      const row = reviewer.locator('.ant-table-row', { hasText: title });
      await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
      await row.click();
      await reviewer.getByTestId('note-read').click();
      await reviewer.getByTestId('note-read-comment').fill('体会深刻');
      await reviewer.getByTestId('note-read-ok').click();
      await expect.poll(() => reviewer.getByTestId('note-read-record').textContent(), { timeout: 10_000 }).toContain('体会深刻');
    });
    await reviewer.context().close();

    await shot(author, 'note-seen', async () => {
      await author.reload();
      await author.locator('.ant-table-row', { hasText: title }).click();
      await expect.poll(() => author.getByTestId('note-read-record').textContent(), { timeout: 10_000 }).toContain(leader.displayName);
      expect(await author.getByTestId('note-edit').count()).toBe(0);
    });
    await author.context().close();
  });
});
