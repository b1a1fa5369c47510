/**
 * The foundation's end-to-end path in real Chromium: the admin creates a unit and a person, the person
 * logs in and must change the initial password, then logs out. Also: phone width, CSP, screenshots.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addToMultiSelect,
  artifacts,
  DEMO_PASSWORD,
  launchBrowser,
  pickSelect,
  pickTreeSelect,
  type RunningServer,
  startServer,
  submitLogin,
} from './support.js';

let server: RunningServer;
let browser: Browser;
const cspViolations: string[] = [];

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
  const page = await context.newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) cspViolations.push(msg.text());
  });
  return page;
}

async function loginAs(page: Page, username: string, password: string) {
  await submitLogin(page, server.url, username, password);
}

async function logout(page: Page) {
  await page.getByTestId('user-menu').click();
  await page.getByTestId('logout').click();
  await page.waitForURL(/\/login/);
}

describe('foundation in Chromium', () => {
  const unitName = 'E2E新建村党支部';
  const username = 'e2e.tester';
  let tempPassword = '';

  it('the admin logs in and creates a unit under a town', async () => {
    const page = await newPage();
    await loginAs(page, 'admin', DEMO_PASSWORD);
    await page.waitForURL(/\/org/);
    const tree = page.getByTestId('org-tree');
    await tree.getByText('青山镇党委', { exact: true }).first().click();
    await expect.poll(() => page.getByTestId('unit-detail-name').textContent()).toBe('青山镇党委');
    await page.getByTestId('unit-create').click();
    await page.getByTestId('unit-name').fill(unitName);
    await pickSelect(page, 'unit-type', /^村$/);
    await page.getByTestId('unit-submit').click();
    await expect.poll(async () => (await tree.getByText(unitName).count()) > 0, { timeout: 10_000 }).toBe(true);
    await page.context().close();
  });

  it('the admin creates a person in that unit and gets a temporary password', async () => {
    const page = await newPage();
    await loginAs(page, 'admin', DEMO_PASSWORD);
    await page.waitForURL(/\/org/);
    await page.goto(`${server.url}/people`);
    await page.getByTestId('person-create').click();
    await page.getByTestId('person-username').fill(username);
    await page.getByTestId('person-displayName').fill('测试员小王');
    await pickTreeSelect(page, 'person-unit', unitName);
    await page.getByTestId('person-title').fill('组织委员');
    // the form proposes 经办 (clerk); add 领导 (leader) as well
    await expect.poll(() => page.getByTestId('person-roles').locator('.ant-select-selection-item', { hasText: '经办' }).count()).toBe(1);
    await addToMultiSelect(page, 'person-roles', /^领导$/);
    await expect.poll(() => page.getByTestId('person-roles').locator('.ant-select-selection-item').count()).toBe(2);
    await page.getByTestId('person-submit').click();
    tempPassword =
      (await page
        .getByTestId('temp-password')
        .textContent({ timeout: 10_000 })
        .catch(async (e) => {
          await page.screenshot({ path: join(artifacts, 'failure-person-create.png') });
          throw e;
        })) ?? '';
    expect(tempPassword).toMatch(/^.{12}$/);
    await page.getByTestId('temp-password-close').click();
    await logout(page);
    await page.context().close();
  });

  it('the new person must change the initial password, then works, then logs out', async () => {
    const page = await newPage();
    await loginAs(page, username, tempPassword);
    await page.waitForURL(/\/password/);
    await page.getByTestId('pw-current').fill(tempPassword);
    await page.getByTestId('pw-new').fill('Xinmima#2026');
    await page.getByTestId('pw-confirm').fill('Xinmima#2026');
    await page.getByTestId('pw-submit').click();
    await page.waitForURL((url) => !url.pathname.startsWith('/password') && !url.pathname.startsWith('/login'));
    await expect.poll(() => page.getByTestId('user-menu').textContent()).toContain('测试员小王');
    await logout(page);
    // the old password no longer works, the new one does
    await loginAs(page, username, tempPassword);
    await expect
      .poll(() => page.locator('.ant-message, .ant-alert, .ant-form-item-explain').first().textContent())
      .toMatch(/用户名或密码错误/);
    await loginAs(page, username, 'Xinmima#2026');
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    await page.context().close();
  });

  it('screenshots the org page (desktop)', async () => {
    const page = await newPage({ width: 1366, height: 800 });
    await loginAs(page, 'admin', DEMO_PASSWORD);
    await page.waitForURL(/\/org/);
    await page.getByTestId('org-tree').getByText('青山镇党委', { exact: true }).first().click();
    await page.waitForTimeout(500);
    const file = join(artifacts, 'org.png');
    await page.screenshot({ path: file });
    await page.context().close();
  });

  it('works on a 390-px phone screen without horizontal scrolling', async () => {
    const page = await newPage({ width: 390, height: 844 });
    await loginAs(page, 'admin', DEMO_PASSWORD);
    await page.waitForURL(/\/org/);
    await page.waitForTimeout(300);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    await page.getByTestId('menu-toggle').click();
    await page.screenshot({ path: join(artifacts, 'org-phone.png') });
    await page.context().close();
  });

  it('the auditor sees the audit log and a verified chain; the built app raises no CSP violation', async () => {
    const page = await newPage();
    await loginAs(page, 'auditor', DEMO_PASSWORD);
    await page.waitForURL(/\/audit/);
    await page.getByTestId('audit-verify').click();
    await expect.poll(() => page.getByTestId('audit-verify-result').textContent()).toMatch(/通过|完整|正常/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('list-export').click()]);
    expect(download.suggestedFilename()).toBe('审计日志.xlsx');
    expect(statSync(await download.path()).size).toBeGreaterThan(1000);
    await page.context().close();
    expect(cspViolations).toEqual([]);
  });

  it('logs in and walks the main pages of the built app without any Content Security Policy violation', async () => {
    const violations: string[] = [];
    async function walk(username: string, paths: string[]) {
      const context = await browser.newContext({ viewport: { width: 1366, height: 850 }, locale: 'zh-CN' });
      // registered before any page script runs, on every document of the context
      await context.addInitScript(() => {
        const w = window as unknown as { __csp: string[] };
        w.__csp = [];
        document.addEventListener('securitypolicyviolation', (e) => {
          w.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`);
        });
      });
      const page = await context.newPage();
      page.on('console', (msg) => {
        if (msg.type() === 'error' && /Content.Security.Policy/i.test(msg.text())) violations.push(`${username}: ${msg.text()}`);
      });
      const collect = async (where: string) => {
        await page.waitForLoadState('networkidle');
        await page.waitForTimeout(200);
        const found = await page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []);
        violations.push(...found.map((v) => `${username} ${where}: ${v}`));
      };
      await loginAs(page, username, DEMO_PASSWORD);
      await page.waitForURL((url) => !url.pathname.startsWith('/login'));
      await collect('after login');
      // The first page is a full document load; the others are the app's own (client-side) navigation: the
      // document, its headers and the bundle are the same for every path of the SPA, what differs is what each
      // page renders, and that is what a violation would come from. (A reload per page took ≈ 3 s of 2 cores.)
      for (const [i, path] of paths.entries()) {
        if (i === 0) {
          await page.goto(`${server.url}${path}`);
        } else {
          await page.evaluate((to) => {
            window.history.pushState({}, '', to);
            window.dispatchEvent(new PopStateEvent('popstate'));
          }, path);
        }
        await page.waitForURL((url) => url.pathname === path);
        await page.waitForSelector('.ant-layout', { timeout: 15_000 });
        await collect(path);
      }
      await context.close();
    }
    await walk('han.wenlan01', [
      '/dashboard',
      '/org',
      '/people',
      '/plans',
      '/tasks',
      '/meetings',
      '/study-plans',
      '/compliance',
      '/leading-groups',
      '/duty-lists',
      '/duty-letters',
      '/channels',
      '/publications',
      '/event-filings',
      '/self-checks',
      '/opinion/events',
      '/opinion/analysis',
      '/opinion/bulletins',
      '/reports',
      '/rectify',
      '/accountability',
      '/outputs',
      '/assessment',
      '/ledger',
      '/notifications',
      '/profile',
    ]);
    await walk('auditor', ['/audit', '/login-log']);
    expect(violations).toEqual([]);
  }, 300_000);
});
