/**
 * The designer's frame in a real browser: the login page refuses a wrong password with the
 * server's message, the right one opens the shell with a live socket, and the language
 * switch turns the menu English; antd's animations follow the person's "reduce motion" setting.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBrowser } from '../helpers/browser.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer();
const browser = useBrowser();

/**
 * Opens the user menu and answers whether anything on the page animated meanwhile: every element
 * that takes an antd motion class (a MutationObserver sees each class change, however short) is
 * asked for its animation and transition durations. With motion off antd still steps through
 * the classes, but every duration is 0 s.
 */
async function userMenuAnimates(page: Page): Promise<string[]> {
  await page.evaluate(() => {
    const moving: string[] = [];
    (window as any).__moving = moving;
    const zero = (durations: string) => durations.split(',').every((duration) => parseFloat(duration) === 0);
    new MutationObserver((changes) => {
      for (const change of changes) {
        const elements = change.type === 'attributes' ? [change.target] : [...change.addedNodes];
        for (const element of elements) {
          if (!(element instanceof Element) || !/-(appear|enter|leave)-active\b/.test(element.getAttribute('class') ?? '')) continue;
          const style = getComputedStyle(element);
          if (!zero(style.animationDuration) || !zero(style.transitionDuration)) moving.push(`${element.getAttribute('class')}: ${style.animationName} ${style.animationDuration}`);
        }
      }
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['class'] });
  });
  await page.getByTestId('user-menu').click();
  await page.getByText('退出登录').waitFor();
  // Open and settled either way: a motion, had there been one, has shown its active class by now.
  await expect.poll(() => page.getByText('退出登录').isVisible()).toBe(true);
  return page.evaluate(() => (window as any).__moving as string[]);
}

/** The user menu button's transition duration: antd draws it from the motion tokens. */
function transitionOf(page: Page): Promise<string> {
  return page.getByTestId('user-menu').evaluate((button) => getComputedStyle(button).transitionDuration);
}

describe('designer shell', () => {
  it('shows a wrong password as an error and stays on the login page', async () => {
    const { page } = await browser.person(t.url, 'admin', TEST_ADMIN_PASSWORD);
    await page.getByTestId('user-menu').click();
    await page.getByText('退出登录').click();
    await page.waitForURL('**/login');
    await page.getByTestId('login-username').fill('admin');
    await page.getByTestId('login-password').fill('wrong-password');
    await page.getByTestId('login-submit').click();
    await expect.poll(() => page.getByTestId('login-error').textContent()).toMatch(/password|密码/i);
    expect(new URL(page.url()).pathname).toBe('/login');
  });

  it('logs in, connects the live socket, switches to English and keeps deep links', async () => {
    // Through the login page: every other browser test logs in with the same request, by cookie.
    const { page } = await browser.person(t.url, 'admin', TEST_ADMIN_PASSWORD, { loginForm: true });
    await page.getByTestId('realtime-on').waitFor();
    await page.getByTestId('locale-switch').getByText('EN').click();
    await expect.poll(() => page.getByTestId('user-menu').isVisible()).toBe(true);
    await page.goto('/no-such-page');
    await expect.poll(() => page.getByText(/does not exist/).isVisible()).toBe(true);
    await browser.screenshot(page, 'not-found');
  });

  it('turns the animations off for a person who asked their system to reduce motion', async () => {
    const still = await browser.person(t.url, 'admin', TEST_ADMIN_PASSWORD);
    expect(await userMenuAnimates(still.page)).toEqual([]);
    expect(await transitionOf(still.page)).toBe('0s');
    // Without the setting antd animates as usual. Its passing classes are not asked for here: a
    // motion that starts while the machine is busy can come and go between two observer calls
    // (a CI run saw none), while a button's transition is there for as long as the page is.
    const moving = await browser.person(t.url, 'admin', TEST_ADMIN_PASSWORD, { motion: true });
    expect(parseFloat(await transitionOf(moving.page))).toBeGreaterThan(0);
  });
});
