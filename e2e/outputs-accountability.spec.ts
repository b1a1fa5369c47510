/**
 * Work outputs and accountability end to end in real Chromium: a township clerk records an article placed at
 * provincial level and finds it under its kind; the county's discipline inspector records a 提醒 about that
 * clerk; the clerk sees it under 问责 and answers it with a written response; a colleague in the same
 * township does not see it.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  artifacts,
  confirmPopconfirm,
  DEMO_PASSWORD,
  findPeople,
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
    await page.screenshot({ path: join(artifacts, `failure-oa-${name}.png`) }).catch(() => undefined);
    throw e;
  }
}

const findUsers = (page: Page, role: string, unitName: string) => findPeople(page, server.url, role, unitName);

describe('outputs and accountability in Chromium', () => {
  let clerk: PersonRow;
  let colleague: PersonRow;
  let inspector = '';
  const article = 'E2E青山镇理论宣讲稿件';
  const cause = 'E2E未按时报送半年工作总结';

  it('finds the demo people', async () => {
    const page = await newPage();
    await loginAs(page, 'admin');
    [clerk] = (await findUsers(page, 'clerk', '青山镇党委')) as [PersonRow];
    [colleague] = (await findUsers(page, 'leader', '青山镇党委')).filter((p) => p.posts.length === 1) as [PersonRow];
    inspector = (await findUsers(page, 'inspector', '县纪委监委'))[0]!.username;
    expect(clerk && colleague && inspector).toBeTruthy();
    await page.context().close();
  });

  it('a township clerk records an article on a phone and finds it under its kind', async () => {
    const page = await newPage({ width: 390, height: 844 });
    await shot(page, 'output', async () => {
      await loginAs(page, clerk.username);
      await page.goto(`${server.url}/outputs`);
      await page.getByTestId('output-new').click();
      await page.getByTestId('output-title').fill(article);
      await page.getByTestId('output-date').click();
      await page.keyboard.type(new Date(Date.now() - 86_400_000).toISOString().slice(0, 10));
      await page.keyboard.press('Enter');
      await pickSelect(page, 'output-level', '省级');
      await page.getByTestId('output-outlet').fill('省级党报');
      await page.getByTestId('output-save').click();
      await page.getByTestId('output-kind-article').click();
      await page.locator('tr', { hasText: article }).waitFor();
      await page.screenshot({ path: join(artifacts, 'outputs-phone.png') });
    });
    await page.context().close();
  });

  it('the inspector records a 提醒 about the clerk; the clerk responds; a colleague does not see it', async () => {
    const page = await newPage();
    await shot(page, 'accountability', async () => {
      await loginAs(page, inspector);
      const res = await page.request.post(`${server.url}/api/accountability`, {
        headers: { 'x-csrf-token': (await (await page.request.get(`${server.url}/api/auth/me`)).json()).csrfToken },
        data: {
          subjectType: 'person',
          subjectPersonId: clerk.id,
          subjectUnitId: await unitIdOf(page, '青山镇党委'),
          cause: { type: 'report', label: cause },
          measure: 'reminder',
          decidingUnitId: await unitIdOf(page, '中共示范县委员会'),
          decidedOn: new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10),
        },
      });
      expect(res.status(), await res.text()).toBe(200);
      await page.goto(`${server.url}/accountability`);
      await page.locator('tr', { hasText: cause }).waitFor();
    });
    await page.context().close();

    const mine = await newPage({ width: 390, height: 844 });
    await shot(mine, 'respond', async () => {
      await loginAs(mine, clerk.username);
      await mine.goto(`${server.url}/accountability`);
      await mine.locator('tr', { hasText: cause }).click();
      await mine.getByTestId('accountability-response').fill('因材料审核延误，已于次日补报。');
      await mine.getByTestId('accountability-respond').click();
      await confirmPopconfirm(mine);
      // the response is on record: its time shows, the form is gone
      await mine.getByTestId('accountability-drawer').getByText('提交时间').waitFor();
      expect(await mine.getByTestId('accountability-response').count()).toBe(0);
      await mine.screenshot({ path: join(artifacts, 'accountability-phone.png') });
    });
    await mine.context().close();

    const other = await newPage();
    await loginAs(other, colleague.username);
    await other.goto(`${server.url}/accountability`);
    await other.getByText('暂无问责记录').waitFor();
    expect(await other.locator('tr', { hasText: cause }).count()).toBe(0);
    await other.context().close();
  });
});

async function unitIdOf(page: Page, name: string): Promise<string> {
  const res = await page.request.get(`${server.url}/api/units`);
  const units = (await res.json()) as { id: string; name: string }[];
  return units.find((u) => u.name === name)!.id;
}
