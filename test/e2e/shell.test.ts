/**
 * The designer's frame in a real browser: the login page refuses a wrong password with the
 * server's message, the right one opens the shell with a live socket, and the language
 * switch turns the menu English.
 */
import { describe, expect, it } from 'vitest';
import { useBrowser } from '../helpers/browser.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer();
const browser = useBrowser();

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
});
