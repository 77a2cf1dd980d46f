/**
 * A real Chromium (Debian's `chromium`, driven by playwright-core) for the designer's
 * end-to-end tests. One browser per test file; each simulated person gets a context of
 * their own (own cookies, own socket). The designer is built first when its sources are
 * newer than designer/dist, under a lock so parallel files build it once.
 */
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, vi } from 'vitest';
import { buildDesigner, designerIsStale } from '../../scripts/build-designer.ts';
import { eventually } from './eventually.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Without the background-networking flags this machine's closed network refuses Chromium's own connections. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const LOCK = join(ROOT, 'test-results', '.designer-build.lock');

/** `SCREENSHOTS=docs/screenshots npm test -- test/e2e` refreshes the README's pictures. */
const SCREENSHOT_DIR = join(ROOT, process.env.SCREENSHOTS ?? 'test-results/screenshots');

async function ensureDesignerBuilt(): Promise<void> {
  mkdirSync(join(ROOT, 'test-results'), { recursive: true });
  await eventually(
    () => {
      try {
        mkdirSync(LOCK);
        return true;
      } catch {
        // A run killed mid-build leaves its lock behind; no build takes two minutes.
        const lock = statSync(LOCK, { throwIfNoEntry: false });
        if (lock && Date.now() - lock.mtimeMs > 120_000) rmSync(LOCK, { recursive: true, force: true });
        return false;
      }
    },
    { message: `${LOCK} (remove it if no build is running)`, timeoutMs: 180_000, intervalMs: 200 },
  );
  try {
    if (designerIsStale()) await buildDesigner();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

export interface Person {
  context: BrowserContext;
  page: Page;
}

export interface BrowserHarness {
  /** A fresh browser context (own cookies) with one page, logged in as `username`. */
  person(baseUrl: string, username: string, password: string, options?: { viewport?: { width: number; height: number } }): Promise<Person>;
  /** A fresh browser context with no login (a customer opening a public link), e.g. phone-sized. */
  visitor(baseUrl: string, options?: { viewport?: { width: number; height: number }; locale?: string }): Promise<Person>;
  /** Saves a screenshot of the viewport (sticky bars where a person sees them) as `<name>.png` (test-results/screenshots, or $SCREENSHOTS). */
  screenshot(page: Page, name: string): Promise<void>;
}

export function useBrowser(): BrowserHarness {
  // A person's story in a browser (logins, page loads, live updates) takes 20–30 s on the
  // 2-core CI machine when the other worker runs one too: 30 s, right for API tests, is no
  // margin here. A test's own timeout still wins.
  vi.setConfig({ testTimeout: 120_000 });
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`Chromium is not installed at ${CHROMIUM}: run \`apt-get install -y chromium\` (.ci/run does) or set CHROMIUM_PATH`);
    }
    await ensureDesignerBuilt();
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  }, 180_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
  });

  return {
    async person(baseUrl, username, password, options = {}) {
      const context = await browser!.newContext({ baseURL: baseUrl, viewport: options.viewport ?? { width: 1366, height: 860 }, locale: 'zh-CN' });
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      await page.goto('/login');
      await page.getByTestId('login-username').fill(username);
      await page.getByTestId('login-password').fill(password);
      await page.getByTestId('login-submit').click();
      await page.waitForURL((url) => !url.pathname.startsWith('/login'));
      await page.getByTestId('user-menu').waitFor();
      return { context, page };
    },
    async visitor(baseUrl, options = {}) {
      const context = await browser!.newContext({
        baseURL: baseUrl,
        viewport: options.viewport ?? { width: 390, height: 844 },
        locale: options.locale ?? 'zh-CN',
        isMobile: true,
        hasTouch: true,
      });
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      return { context, page };
    },
    async screenshot(page, name) {
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: false });
    },
  };
}
