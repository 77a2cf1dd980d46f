/**
 * A real Chromium (Debian's `chromium`, driven by playwright-core) for the designer's
 * end-to-end tests. globalSetup starts one Chromium for the run (test/helpers/chromium.ts)
 * and each file connects to it; each simulated person gets a context of their own (own
 * cookies, own socket), closed with the file. Without a shared one (a run globalSetup did not
 * see browser files in) the file launches its own. The designer is built first when its
 * sources are newer than designer/dist.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, inject, vi } from 'vitest';
import { assertChromiumInstalled, CHROMIUM, CHROMIUM_ARGS, ensureDesignerBuilt } from './chromium.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** `SCREENSHOTS=docs/screenshots npm test -- test/e2e` refreshes the README's pictures. */
const SCREENSHOT_DIR = join(ROOT, process.env.SCREENSHOTS ?? 'test-results/screenshots');

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
    assertChromiumInstalled();
    // Already built by globalSetup in a whole run; rebuilt here if a source changed since.
    await ensureDesignerBuilt();
    const shared = inject('browserWsEndpoint');
    if (shared) {
      browser = await chromium.connect(shared).catch((error: unknown) => {
        // The run's Chromium is gone (it crashed): this file launches its own rather than fail.
        console.warn(`shared Chromium unreachable, launching one for this file: ${String(error)}`);
        return undefined;
      });
    }
    browser ??= await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  }, 180_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    // For a shared browser this only disconnects; the run's Chromium is closed by globalSetup.
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
