/**
 * Publication review end to end in real Chromium: a 青山镇 clerk submits an article to a 2-level channel
 * (初审 by the deputy secretary, 复审 by the secretary), the first reviewer returns it, the clerk edits and
 * resubmits, both levels approve (checklist confirmed), and the clerk marks it published with its link.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
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
async function loginAs(page: Page, username: string) {
  await submitLogin(page, server.url, username, DEMO_PASSWORD);
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}
async function shot<T>(page: Page, name: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (e) {
    await page.screenshot({ path: join(artifacts, `failure-channels-${name}.png`) }).catch(() => undefined);
    throw e;
  }
}

/** POST as the signed-in user of `page` (session cookie + CSRF header from /api/auth/me). */
async function postAs(page: Page, url: string, data: unknown) {
  const me = (await (await page.request.get(`${server.url}/api/auth/me`)).json()) as { csrfToken: string };
  const res = await page.request.post(`${server.url}${url}`, { data: data as object, headers: { 'x-csrf-token': me.csrfToken } });
  if (!res.ok()) throw new Error(`${url}: ${res.status()} ${await res.text()}`);
  return res.json();
}

async function openItem(page: Page, title: string, box: 'mine' | 'inbox') {
  await page.goto(`${server.url}/publications?box=${box}`);
  const row = page.locator('.ant-table-row', { hasText: title });
  await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
  await row.click();
  await expect.poll(() => page.getByTestId('publication-title-view').textContent(), { timeout: 10_000 }).toContain(title);
}
const stateText = (page: Page) => page.locator('.ant-drawer').getByTestId('publication-state').first().textContent();

async function review(page: Page, action: 'approve' | 'return', comment: string) {
  await page.getByTestId(`publication-${action}`).click();
  if (action === 'approve') {
    const boxes = page.locator('.ant-modal').locator('.ant-checkbox-wrapper');
    await expect.poll(() => boxes.count(), { timeout: 10_000 }).toBe(5);
    for (let i = 0; i < 5; i++) await boxes.nth(i).click();
  }
  await page.getByTestId('review-comment').fill(comment);
  await page.getByTestId('review-ok').click();
}

describe('channels: publication review in Chromium', () => {
  const title = 'E2E青山镇开展理论宣讲进村组活动';
  const people = {} as Record<'admin' | 'clerk' | 'first' | 'second', PersonRow>;

  it('finds the demo accounts and registers a 2-level channel', async () => {
    const page = await newPage();
    await loginAs(page, 'admin');
    people.admin = await findPerson(page, server.url, 'unitAdmin', '青山镇党委');
    people.clerk = await findPerson(page, server.url, 'clerk', '青山镇党委');
    people.first = await findPerson(page, server.url, 'leader', '青山镇党委', '党委副书记');
    people.second = await findPerson(page, server.url, 'leader', '青山镇党委', '党委书记');
    await page.context().close();

    const adminPage = await newPage();
    await loginAs(adminPage, people.admin.username);
    const types = (await (await adminPage.request.get(`${server.url}/api/channel-dicts/channelType`)).json()) as {
      id: string;
      name: string;
    }[];
    const units = (await (await adminPage.request.get(`${server.url}/api/units`)).json()) as { id: string; name: string }[];
    const town = units.find((u) => u.name === '青山镇党委')!;
    await postAs(adminPage, '/api/channels', {
      unitId: town.id,
      supervisorUnitId: town.id,
      typeId: types.find((t) => t.name === '门户网站')!.id,
      name: 'E2E青山镇门户网站',
      address: 'https://qingshan.example.gov.cn',
      reviewChain: [[people.first.id], [people.second.id]],
    });
    await adminPage.context().close();
  });

  it('the clerk writes and submits an article', async () => {
    const page = await newPage();
    await loginAs(page, people.clerk.username);
    await page.goto(`${server.url}/publications`);
    await shot(page, 'create', async () => {
      await page.getByTestId('publication-create').click();
      await pickSelect(page, 'publication-channel', 'E2E青山镇门户网站');
      await page.getByTestId('publication-title').fill(title);
      await page.getByTestId('publication-body').fill('青山镇组织宣讲队深入村组。\n群众反响良好。');
      await page.getByTestId('publication-save').click();
      await expect.poll(() => page.getByTestId('publication-title-view').textContent(), { timeout: 10_000 }).toContain(title);
      expect(await stateText(page)).toContain('草稿');
    });
    await shot(page, 'submit', async () => {
      await page.getByTestId('publication-submit').click();
      await page.getByTestId('publication-submit-confirm').click();
      await expect.poll(() => stateText(page), { timeout: 10_000 }).toContain('待初审');
    });
    await page.context().close();
  });

  it('the first reviewer returns it with a reason', async () => {
    const page = await newPage();
    await loginAs(page, people.first.username);
    await shot(page, 'return', async () => {
      await openItem(page, title, 'inbox');
      await review(page, 'return', '请补充活动参与人数');
      await expect.poll(() => stateText(page), { timeout: 10_000 }).toContain('退回');
    });
    await page.context().close();
  });

  it('the clerk edits and resubmits', async () => {
    const page = await newPage();
    await loginAs(page, people.clerk.username);
    await shot(page, 'resubmit', async () => {
      await openItem(page, title, 'mine');
      await expect.poll(() => page.locator('.ant-drawer').textContent()).toContain('请补充活动参与人数');
      await page.getByTestId('publication-edit').click();
      await page.getByTestId('publication-body').fill('青山镇组织宣讲队深入12个村组，约600名群众参加。');
      await page.getByTestId('publication-save').click();
      await expect.poll(() => page.getByTestId('publication-body-view').textContent(), { timeout: 10_000 }).toContain('600名');
      await page.getByTestId('publication-submit').click();
      await page.getByTestId('publication-submit-confirm').click();
      await expect.poll(() => stateText(page), { timeout: 10_000 }).toContain('待初审');
    });
    await page.context().close();
  });

  it('both levels approve with the checklist confirmed', async () => {
    for (const [who, next] of [
      ['first', '待复审'],
      ['second', '待发布'],
    ] as const) {
      const page = await newPage();
      await loginAs(page, people[who].username);
      await shot(page, `approve-${who}`, async () => {
        await openItem(page, title, 'inbox');
        await review(page, 'approve', '同意');
        await expect.poll(() => stateText(page), { timeout: 10_000 }).toContain(next);
      });
      await page.context().close();
    }
  });

  it('the clerk marks it published with its link, and the history shows every step', async () => {
    const page = await newPage();
    await loginAs(page, people.clerk.username);
    await shot(page, 'publish', async () => {
      await openItem(page, title, 'mine');
      await page.getByTestId('publication-publish').click();
      await page.getByTestId('publish-url').fill('https://qingshan.example.gov.cn/xwdt/e2e.html');
      await page.getByTestId('publish-ok').click();
      await expect.poll(() => stateText(page), { timeout: 10_000 }).toContain('已发布');
      expect(await page.getByTestId('publication-url').getAttribute('href')).toBe('https://qingshan.example.gov.cn/xwdt/e2e.html');
      const history = (await page.getByTestId('publication-history').textContent()) ?? '';
      for (const step of ['提交审核', '退回', '审核通过', '发布']) expect(history).toContain(step);
    });
    await page.screenshot({ path: join(artifacts, 'publication-published.png') });
    await page.context().close();
  });
});
