/**
 * End-to-end support: starts the real server (built web app, embedded database with the demo seed) on a
 * free port with a throw-away data directory, and Debian's Chromium through playwright-core.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { expect, inject } from 'vitest';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
export const artifacts = join(repoRoot, 'e2e', 'artifacts');
export const DEMO_PASSWORD = 'Demo#2026pass';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export interface RunningServer {
  url: string;
  stop(): Promise<void>;
}

export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'dl-e2e-'));
  // the demo county seeded once by global-setup.ts: each server starts on its own copy
  const template = inject('demoTemplateDir');
  if (template) cpSync(template, dataDir, { recursive: true });
  // Two specs start servers at once, each on a port found free a moment before: the other one can take it first.
  // A server that finds its port taken exits, and this one tries another port; "is running" on the child's own
  // output (not a health answer, which the other spec's server could give on that port) says it is ours.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const child: ChildProcess = spawn(process.execPath, [join(repoRoot, 'server/bin/dutyledger.mjs'), 'start', '--port', String(port)], {
      cwd: repoRoot,
      env: { ...process.env, DUTYLEDGER_DATA: dataDir, DUTYLEDGER_SCHEDULER: 'off', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (d) => {
      output += d;
    });
    child.stderr?.on('data', (d) => {
      output += d;
    });
    const deadline = Date.now() + 150_000;
    while (!output.includes('is running:')) {
      if (child.exitCode !== null) break;
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`server did not start:\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    if (child.exitCode !== null) {
      if (attempt < 3 && output.includes('already in use')) continue;
      throw new Error(`server exited early:\n${output}`);
    }
    const url = `http://127.0.0.1:${port}`;
    const health = await fetch(`${url}/api/health`);
    if (!health.ok) throw new Error(`GET /api/health: ${health.status}\n${output}`);
    return {
      url,
      stop: async () => {
        child.kill('SIGTERM');
        await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
}

export async function launchBrowser(): Promise<Browser> {
  mkdirSync(artifacts, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** Fills and submits the login form (does not wait for where the app goes next). */
export async function submitLogin(page: Page, baseUrl: string, username: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

/** Picks `text` in an antd TreeSelect with search and checks that it shows it; tried again like `pickSelect`. */
export async function pickTreeSelect(page: Page, testId: string, text: string): Promise<void> {
  const select = page.getByTestId(testId);
  await untilTaken(
    async () => {
      await select.click();
      await page.keyboard.type(text);
      await page.locator('.ant-select-dropdown:visible .ant-select-tree-node-content-wrapper', { hasText: text }).first().click();
    },
    async () => (await select.locator('.ant-select-selection-item').allTextContents()).some((shown) => shown.includes(text)),
    () => page.keyboard.press('Escape'),
  );
}

/** A person as GET /api/people lists them (the fields the specs use). */
export interface PersonRow {
  id: string;
  username: string;
  displayName: string;
  posts: { unitName: string; title: string; roles: string[] }[];
}

/**
 * The demo seed's usernames are generated: the people holding `role` in `unitName` (with `title`, when given),
 * looked up through the API, page by page, as whoever is signed in on `page`.
 */
export async function findPeople(page: Page, baseUrl: string, role: string, unitName: string, title?: string): Promise<PersonRow[]> {
  const found: PersonRow[] = [];
  for (let n = 1; ; n++) {
    const res = await page.request.get(`${baseUrl}/api/people`, { params: { role, page: n, pageSize: 200 } });
    if (!res.ok()) throw new Error(`GET /api/people: ${res.status()} ${await res.text()}`);
    const { items, total } = (await res.json()) as { items: PersonRow[]; total: number };
    const holds = (p: PersonRow) =>
      p.posts.some((post) => post.unitName === unitName && post.roles.includes(role) && (!title || post.title === title));
    found.push(...items.filter(holds));
    if (items.length === 0 || n * 200 >= total) return found;
  }
}

/** The first person holding `role` in `unitName` (see `findPeople`); throws when there is none. */
export async function findPerson(page: Page, baseUrl: string, role: string, unitName: string, title?: string): Promise<PersonRow> {
  const [first] = await findPeople(page, baseUrl, role, unitName, title);
  if (!first) throw new Error(`no ${role}${title ? ` ${title}` : ''} in ${unitName}`);
  return first;
}

/** Tries `step` until `took` holds, at most three times; `took` is polled for 3 s after each try. */
async function untilTaken(step: () => Promise<void>, took: () => Promise<boolean>, retry: () => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await step();
    try {
      await expect.poll(took, { timeout: 3_000 }).toBe(true);
      return;
    } catch (e) {
      if (attempt === 3) throw e;
      await retry();
    }
  }
}

/**
 * Confirms the open antd Popconfirm (its primary button) and checks that it closed. A click while the popover is
 * still in its opening motion can miss (seen in CI with two specs at a time: the popover stayed open, nothing was
 * sent), so the click waits for the motion to end and a confirm that did not take is clicked again, at most three
 * times.
 */
export async function confirmPopconfirm(page: Page): Promise<void> {
  const open = page.locator('.ant-popover.ant-popconfirm').filter({ visible: true });
  const settled = page.locator('.ant-popover.ant-popconfirm:not([class*="-enter"]):not([class*="-appear"])').filter({ visible: true });
  let tries = 0;
  await untilTaken(
    async () => {
      // the first click waits for the popover to open; a later one is for a popover still open
      if (tries++ > 0 && (await open.count()) === 0) return;
      await settled.locator('.ant-popconfirm-buttons .ant-btn-primary').click();
    },
    async () => (await open.count()) === 0,
    async () => undefined,
  );
}

const optionIn = (page: Page, text: string | RegExp) =>
  page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: text }).first();
const shows = (shown: string, text: string | RegExp) => (typeof text === 'string' ? shown.includes(text) : text.test(shown.trim()));

/**
 * Picks the option with `text` in the antd Select `testId` and checks that the select shows it. A click on an
 * option while the dropdown still slides in, or while a searching select replaces its options with the server's
 * answer, can miss (seen in CI with two specs at a time): a pick that did not take is tried again, at most three
 * times. `search` types the text first (for selects that search as one types).
 */
export async function pickSelect(page: Page, testId: string, text: string | RegExp, { search = false } = {}): Promise<void> {
  const select = page.getByTestId(testId);
  await untilTaken(
    async () => {
      await select.click();
      if (search && typeof text === 'string') await page.keyboard.type(text);
      await optionIn(page, text).click();
    },
    async () => (await select.locator('.ant-select-selection-item').allTextContents()).some((shown) => shows(shown, text)),
    () => page.keyboard.press('Escape'),
  );
}

/**
 * Adds the option with `text` to the antd multi-select `testId` and checks that it is among the chosen; tried
 * again like `pickSelect`. A chosen option is never clicked again (in a multi-select that would take it out).
 */
export async function addToMultiSelect(page: Page, testId: string, text: string | RegExp, { search = false } = {}): Promise<void> {
  const select = page.getByTestId(testId);
  const chosen = async () => (await select.locator('.ant-select-selection-item').allTextContents()).some((shown) => shows(shown, text));
  if (await chosen()) return;
  await untilTaken(
    async () => {
      if (await chosen()) return;
      await select.click();
      if (search && typeof text === 'string') await page.keyboard.type(text);
      await optionIn(page, text).click();
      await page.keyboard.press('Escape');
    },
    chosen,
    async () => undefined,
  );
}
