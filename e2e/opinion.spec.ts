/**
 * The opinion module end to end in real Chromium: a village clerk records a public-opinion event (a topic,
 * never a poster), starts the assessment and escalates it to the township; the township comments; the
 * village handles it, records a response, confirms it responded and closes it.
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
    await page.screenshot({ path: join(artifacts, `failure-opinion-${name}.png`) }).catch(() => undefined);
    throw e;
  }
}

const findUser = async (page: Page, role: string, unitName: string) => (await findPerson(page, server.url, role, unitName)).username;

const stateText = (page: Page) => page.getByTestId('event-state').textContent();

describe('opinion: an event recorded, escalated, responded to and closed', () => {
  const title = 'E2E村道施工噪音引发网民关注';
  let villageClerk = '';
  let townClerk = '';
  let eventUrl = '';

  it('finds the demo accounts', async () => {
    const page = await newPage();
    await loginAs(page, 'admin');
    villageClerk = await findUser(page, 'clerk', '上坪村党支部');
    townClerk = await findUser(page, 'clerk', '青山镇党委');
    await page.context().close();
  });

  it('the village clerk records the event, starts the assessment and escalates it', async () => {
    const page = await newPage();
    await loginAs(page, villageClerk);
    await page.goto(`${server.url}/opinion/events`);
    await shot(page, 'create', async () => {
      await page.getByTestId('event-create').click();
      await page.getByTestId('event-title').fill(title);
      await page.getByTestId('event-summary').fill('有网帖反映村道夜间施工噪音扰民');
      await pickSelect(page, 'event-platform-0', /^微博$/);
      await page.getByTestId('event-save').click();
      await expect.poll(() => page.getByTestId('event-detail').isVisible(), { timeout: 10_000 }).toBe(true);
      await expect.poll(() => stateText(page)).toBe('发现');
    });
    eventUrl = new URL(page.url()).pathname;
    expect(eventUrl).toMatch(/^\/opinion\/events\/[0-9a-f-]{36}$/);
    await shot(page, 'assess', async () => {
      await page.getByTestId('event-assess').click();
      await confirmPopconfirm(page);
      await expect.poll(() => stateText(page), { timeout: 10_000 }).toBe('研判');
    });
    await shot(page, 'escalate', async () => {
      await page.getByTestId('event-escalate').click();
      await page.getByTestId('event-escalate-reason').fill('涉及镇级道路工程，需镇协调施工单位');
      await page.getByTestId('event-escalate-reason-ok').click();
      await expect.poll(() => page.getByTestId('event-escalation').textContent(), { timeout: 10_000 }).toContain('已上报青山镇党委');
    });
    await page.context().close();
  });

  it('the township sees the escalated event and comments', async () => {
    const page = await newPage();
    await loginAs(page, townClerk);
    await page.goto(`${server.url}/opinion/events?q=${encodeURIComponent(title)}`);
    const row = page.locator('.ant-table-row', { hasText: title });
    await shot(page, 'town-list', async () => {
      await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
      await row.getByTestId('event-view').click();
      await expect.poll(() => page.getByTestId('event-detail').isVisible(), { timeout: 10_000 }).toBe(true);
    });
    // the township comments; it has no buttons to act on the village's event
    expect(await page.getByTestId('event-escalate').count()).toBe(0);
    await shot(page, 'comment', async () => {
      await page.getByTestId('event-comment').click();
      await page.getByTestId('event-entry-body').fill('请当天发布情况说明，镇里协调复工时间。');
      await page.getByTestId('event-entry-body-ok').click();
      await expect.poll(() => page.getByTestId('event-entry-comment').count(), { timeout: 10_000 }).toBe(1);
    });
    await page.context().close();
  });

  it('the village handles it, responds and closes it', async () => {
    const page = await newPage();
    await loginAs(page, villageClerk);
    await page.goto(`${server.url}${eventUrl}`);
    await expect.poll(() => page.getByTestId('event-detail').isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await page.getByTestId('event-entry-comment').textContent()).toContain('情况说明');
    await shot(page, 'handle', async () => {
      await page.getByTestId('event-handle').click();
      await confirmPopconfirm(page);
      await expect.poll(() => stateText(page), { timeout: 10_000 }).toBe('处置中');
    });
    await shot(page, 'response', async () => {
      await page.getByTestId('event-add-response').click();
      await page.getByTestId('response-content').fill('在村务公开栏和微信群发布施工安排及夜间停工说明');
      await page.getByTestId('response-ok').click();
      await expect.poll(() => page.getByTestId('event-response').count(), { timeout: 10_000 }).toBe(1);
    });
    await shot(page, 'respond', async () => {
      await page.getByTestId('event-respond').click();
      await confirmPopconfirm(page);
      await expect.poll(() => stateText(page), { timeout: 10_000 }).toBe('已回应');
    });
    await shot(page, 'close', async () => {
      await page.getByTestId('event-close').click();
      await page.getByTestId('event-conclusion').fill('施工单位已调整作业时间，情况说明和结果均已公布。');
      await page.getByTestId('event-conclusion-ok').click();
      await expect.poll(() => stateText(page), { timeout: 10_000 }).toBe('办结');
    });
    await page.screenshot({ path: join(artifacts, 'opinion-event-closed.png') });
    await page.context().close();
  });

  it('the events page and its drawer fit a 390-px phone screen', async () => {
    const page = await newPage({ width: 390, height: 844 });
    await loginAs(page, villageClerk);
    await page.goto(`${server.url}/opinion/events`);
    const row = page.locator('.ant-table-row', { hasText: title });
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    await page.goto(`${server.url}${eventUrl}`);
    await expect.poll(() => page.getByTestId('event-detail').isVisible(), { timeout: 10_000 }).toBe(true);
    await page.screenshot({ path: join(artifacts, 'opinion-event-phone.png') });
    await page.context().close();
  });
});

describe('opinion: bulletins, analysis and plans pages', () => {
  const bulletinTitle = 'E2E关于做好舆情应对工作的通报';
  let townLeader = '';
  let villageClerk = '';

  it('finds the demo accounts', async () => {
    const page = await newPage();
    await loginAs(page, 'admin');
    townLeader = await findUser(page, 'leader', '青山镇党委');
    villageClerk = await findUser(page, 'clerk', '上坪村党支部');
    await page.context().close();
  });

  it('the township sends a bulletin to its units; a village opens it; the township sees the receipt', async () => {
    const page = await newPage();
    await loginAs(page, townLeader);
    await page.goto(`${server.url}/opinion/bulletins`);
    await shot(page, 'bulletin-send', async () => {
      await page.getByTestId('bulletin-compose').click();
      await page.getByTestId('bulletin-title').fill(bulletinTitle);
      await page.getByTestId('bulletin-body').fill('各村（社区）要落实网上快回应、网下快处置、结果快公布的要求。');
      await page.getByTestId('bulletin-send').click();
      await confirmPopconfirm(page);
      await expect.poll(() => page.getByTestId('bulletin-receipts').isVisible(), { timeout: 10_000 }).toBe(true);
    });
    const bulletinUrl = new URL(page.url()).pathname;

    const village = await newPage();
    await loginAs(village, villageClerk);
    await village.goto(`${server.url}/opinion/bulletins?unread=true`);
    const row = village.locator('.ant-table-row', { hasText: bulletinTitle });
    await shot(village, 'bulletin-inbox', async () => {
      await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
      await row.click();
      await expect.poll(() => village.getByTestId('bulletin-detail').textContent(), { timeout: 10_000 }).toContain('已读');
    });
    await village.context().close();

    await shot(page, 'bulletin-receipts', async () => {
      await page.goto(`${server.url}${bulletinUrl}`);
      await expect.poll(() => page.getByTestId('bulletin-receipts').textContent(), { timeout: 10_000 }).toMatch(/已读 1 \/ 共 \d+ 个单位/);
    });
    // the other pages render for the township
    for (const [path, testId] of [
      ['/opinion/analysis', 'analysis-create'],
      ['/opinion/plans', 'plan-create'],
      ['/opinion/events', 'event-create'],
    ]) {
      await shot(page, `page-${testId}`, async () => {
        await page.goto(`${server.url}${path}`);
        await expect.poll(() => page.getByTestId(testId).isVisible(), { timeout: 10_000 }).toBe(true);
      });
    }
    await page.getByRole('tab', { name: '未办结看板' }).click();
    await expect.poll(() => page.getByTestId('event-board').isVisible(), { timeout: 10_000 }).toBe(true);
    await page.context().close();
  });

  it('a village writes an analysis report and reports it to the township', async () => {
    const page = await newPage();
    await loginAs(page, villageClerk);
    await page.goto(`${server.url}/opinion/analysis`);
    await shot(page, 'analysis-create', async () => {
      await page.getByTestId('analysis-create').click();
      await page.getByTestId('analysis-situation').fill('本季度总体平稳。');
      await page.getByTestId('analysis-risks').fill('个别话题在微信群发酵。');
      await page.getByTestId('analysis-save').click();
      await expect.poll(() => page.getByTestId('analysis-detail').isVisible(), { timeout: 10_000 }).toBe(true);
      await page.getByTestId('analysis-submit').click();
      await confirmPopconfirm(page);
      await expect.poll(() => page.getByTestId('analysis-detail').textContent(), { timeout: 10_000 }).toContain('已报送');
    });
    await page.context().close();
  });
});
