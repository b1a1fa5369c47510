/**
 * Assessment in real Chromium: an assessor of the county opens this year's town assessment (seeded and
 * computed by the demo), sees an automatic score with its evidence, enters a manual score, and the
 * ranking table renders with totals.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifacts, DEMO_PASSWORD, launchBrowser, type RunningServer, startServer, submitLogin } from './support.js';

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

async function loginAs(page: Page, username: string) {
  await submitLogin(page, server.url, username, DEMO_PASSWORD);
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

interface Indicator {
  id: string;
  name: string;
  method: 'manual' | 'deduction' | 'auto' | null;
}

describe('assessment in Chromium', () => {
  let assessor = '';

  it('finds an assessor of the county', async () => {
    const page = await newPage();
    await loginAs(page, 'admin');
    const res = await page.request.get(`${server.url}/api/people`, { params: { role: 'assessor', pageSize: 200 } });
    const { items } = (await res.json()) as { items: { username: string }[] };
    expect(items.length).toBeGreaterThan(0);
    assessor = items[0]!.username;
    await page.context().close();
  });

  it('shows automatic scores with evidence, takes a manual score, and ranks the units', async () => {
    const page = await newPage();
    await loginAs(page, assessor);
    const list = await page.request.get(`${server.url}/api/assessment/cycles`, { params: { state: 'open', pageSize: 50 } });
    const cycles = (await list.json()) as { items: { id: string }[] };
    expect(cycles.items.length).toBeGreaterThan(0);
    const cycleId = cycles.items[0]!.id;
    const detail = (await (await page.request.get(`${server.url}/api/assessment/cycles/${cycleId}`)).json()) as {
      indicators: Indicator[];
      units: { unitId: string; unitName: string }[];
    };
    const auto = detail.indicators.find((i) => i.method === 'auto')!;
    const manual = detail.indicators.find((i) => i.method === 'manual')!;
    const unit = detail.units[0]!;

    await page.goto(`${server.url}/assessment/${cycleId}`);
    await page.getByTestId('assessment-table').waitFor({ timeout: 15_000 });
    // an automatic score with the figures behind it
    await page.getByTestId(`assessment-cell-${unit.unitId}-${auto.id}`).click();
    const drawer = page.getByTestId('assessment-cell-drawer');
    await expect.poll(() => drawer.getByTestId('assessment-evidence').textContent(), { timeout: 10_000 }).toMatch(/\S/);
    await expect.poll(() => drawer.getByTestId('assessment-cell-score').textContent()).toMatch(/\d/);
    await page.keyboard.press('Escape');
    // the assessor's manual score
    await page.getByTestId(`assessment-cell-${unit.unitId}-${manual.id}`).click();
    const field = drawer.getByTestId('assessment-score-input');
    const input = (await field.evaluate((e) => e.tagName)) === 'INPUT' ? field : field.locator('input');
    await input.fill('1');
    await drawer.getByTestId('assessment-score-save').click();
    await expect.poll(() => page.getByTestId(`assessment-cell-${unit.unitId}-${manual.id}`).textContent(), { timeout: 10_000 }).toBe('1');
    await page.keyboard.press('Escape');
    // the ranking: every unit with its total
    await expect.poll(() => page.locator('[data-testid^="assessment-total-"]').count()).toBe(detail.units.length);
    await page.screenshot({ path: join(artifacts, 'assessment.png'), fullPage: true });
    await page.context().close();
  });
});
