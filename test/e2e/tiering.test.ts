/**
 * Customer tiering from the apps page in a real browser: the admin clicks 重新计算客户分级,
 * sees the spinner and then a toast with the counts per tier, and the customer list shows the
 * new tiers. The facts are made over HTTP with dates relative to today.
 */
import { describe, expect, it } from 'vitest';
import { useBrowser } from '../helpers/browser.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer({ LIUZHUAN_LOAD_TEMPLATES: 'true' });
const browser = useBrowser();

function day(days: number): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
  return new Date(Date.parse(`${today}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

describe('customer tiering in the apps page', () => {
  it('recomputes the tiers on a click and shows the counts', async () => {
    const token = await t.login('admin', TEST_ADMIN_PASSWORD);
    for (const record of (await t.request('GET', '/api/forms/contract/records', { token })).body.items) {
      expect((await t.request('DELETE', `/api/forms/contract/records/${record.id}`, { token })).status).toBe(204);
    }
    // 华东 800k of 1,000k: A (cumulative exactly 80 %); 北辰 200k: B (before it 80 %); the other three have none: C.
    for (const [customer, amount, no] of [['华东精密制造有限公司', 800_000, 'HT-E2E-1'], ['北辰零售连锁', 200_000, 'HT-E2E-2']] as const) {
      const created = await t.request('POST', '/api/forms/contract/records', {
        token,
        body: { data: { customer, contract_no: no, amount, signed_on: day(-20), payments: [] } },
      });
      expect(created.status).toBe(201);
    }
    const profiles = (await t.request('GET', '/api/forms/customer_profile/records?pageSize=100', { token })).body.items as any[];
    const beichen = profiles.find((record) => record.data.name === '北辰零售连锁');
    const huadong = profiles.find((record) => record.data.name === '华东精密制造有限公司');
    const nanhai = profiles.find((record) => record.data.name === '南海物流集团');
    // The demo data's hand-set tiers before the run; 南海 has no contract in the window, so it must become C.
    expect([huadong.data.tier, beichen.data.tier, nanhai.data.tier]).toEqual(['A', 'B', 'A']);

    const { page } = await browser.person(t.url, 'admin', TEST_ADMIN_PASSWORD);
    await page.goto('/admin/apps');
    const button = page.getByTestId('app-key-account-recompute-tiers');
    await button.waitFor();
    expect(await button.textContent()).toContain('重新计算客户分级');
    await button.click();
    const toast = page.locator('.ant-message-notice').filter({ hasText: '客户分级已更新' });
    await toast.waitFor();
    expect(await toast.textContent()).toContain('客户分级已更新（5 位客户）：A 1 · B 1 · C 3');
    await browser.screenshot(page, 'admin-apps-tiering');

    await page.goto('/forms/customer_profile/records');
    const row = (id: string) => page.getByTestId(`record-row-${id}`);
    await row(nanhai.id).waitFor();
    expect(await row(nanhai.id).textContent()).toContain('C 普通客户');
    expect(await row(beichen.id).textContent()).toContain('B 重要客户');
    expect(await row(huadong.id).textContent()).toContain('A 战略客户');
  });
});
