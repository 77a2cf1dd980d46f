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

/**
 * `SCREENSHOTS=docs/screenshots npm test -- test/e2e` refreshes the README's pictures;
 * `SCREENSHOTS=test-results/screenshots` keeps them out of the docs. Unset: none are taken.
 */
const SCREENSHOT_DIR = process.env.SCREENSHOTS ? join(ROOT, process.env.SCREENSHOTS) : undefined;

export interface Person {
  context: BrowserContext;
  page: Page;
}

export interface BrowserHarness {
  /**
   * A fresh browser context (own cookies) with one page, logged in as `username`, on the home
   * page with the shell shown. The session comes from `POST /api/auth/login` in the context
   * (the cookie the login page would get); `loginForm: true` types it into the login page
   * instead, for a test about logging in. The person has "reduce motion" set (the designer then
   * turns antd's animations off: nothing to wait for between a click and what it shows, and
   * less drawing for the shared machine's two cores) unless `motion: true`; the shell test
   * checks both.
   */
  person(
    baseUrl: string,
    username: string,
    password: string,
    options?: { viewport?: { width: number; height: number }; loginForm?: boolean; motion?: boolean },
  ): Promise<Person>;
  /** A fresh browser context with no login (a customer opening a public link), e.g. phone-sized. */
  visitor(baseUrl: string, options?: { viewport?: { width: number; height: number }; locale?: string }): Promise<Person>;
  /** Saves a screenshot of the viewport (sticky bars where a person sees them) as `<name>.png` in $SCREENSHOTS; without it, nothing. */
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
      const context = await browser!.newContext({
        baseURL: baseUrl,
        viewport: options.viewport ?? { width: 1366, height: 860 },
        locale: 'zh-CN',
        reducedMotion: options.motion ? 'no-preference' : 'reduce',
      });
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      if (options.loginForm) {
        await page.goto('/login');
        await page.getByTestId('login-username').fill(username);
        await page.getByTestId('login-password').fill(password);
        await page.getByTestId('login-submit').click();
        await page.waitForURL((url) => !url.pathname.startsWith('/login'));
      } else {
        // The same request the login page sends; its httpOnly session cookie lands in this
        // context. Saves loading the login page for every person of a test not about logging in.
        const login = await context.request.post('/api/auth/login', { data: { username, password } });
        if (!login.ok()) throw new Error(`login ${username} failed: ${login.status()} ${await login.text()}`);
        // The shell shown is what counts (below), as after the login form's client-side redirect,
        // not the load event: that also waits for the chunks the first page pulls in.
        await page.goto('/', { waitUntil: 'commit' });
      }
      // Loading the bundle, asking /api/auth/me and drawing the shell, all from here: the login
      // form's path split that over two waits. A bound, not a pause.
      await page.getByTestId('user-menu').waitFor({ timeout: 30_000 });
      return { context, page };
    },
    async visitor(baseUrl, options = {}) {
      const context = await browser!.newContext({
        baseURL: baseUrl,
        viewport: options.viewport ?? { width: 390, height: 844 },
        locale: options.locale ?? 'zh-CN',
        isMobile: true,
        hasTouch: true,
        reducedMotion: 'reduce',
      });
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      return { context, page };
    },
    async screenshot(page, name) {
      // Only when asked for (SCREENSHOTS=…): a picture checks nothing, and some forty of them per
      // run cost Chromium's CPU on a 2-core machine.
      if (!SCREENSHOT_DIR) return;
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: false });
    },
  };
}
