/**
 * 发起回访 from a customer's profile card, in a real browser, with the key-account template as
 * installed: the account owner opens the customer's record page, which offers one button per
 * process that starts from customer profiles (revisit declares it), clicks 发起回访, sees the
 * spinner then the toast, and its button opens the new instance, waiting at 制定回访计划. Back on
 * the card, while that revisit runs, the button says so and links to it instead of starting another.
 */
import { describe, expect, it } from 'vitest';
import { useBrowser } from '../helpers/browser.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer({ LIUZHUAN_LOAD_TEMPLATES: 'true' });
const browser = useBrowser();

describe('a revisit started from a profile card', () => {
  it('starts from the record page and opens the new instance', async () => {
    const token = await t.login('admin', TEST_ADMIN_PASSWORD);
    const { items } = (await t.request('GET', '/api/forms/customer_profile/records?pageSize=100', { token })).body;
    const card = items.find((record: any) => record.data.name === '北辰零售连锁');

    const { page, context } = await browser.person(t.url, 'zhangsan', 'demo123');
    await page.goto(`/forms/customer_profile/records/${card.id}`);
    const start = page.getByTestId('record-start-revisit');
    await start.waitFor();
    expect((await start.innerText()).replace(/\s/g, '')).toBe('发起回访');
    await browser.screenshot(page, 'record-start-revisit');
    await start.click();
    const open = page.getByTestId('record-start-open');
    await open.waitFor();
    await open.click();
    await page.waitForURL(/\/instances\/[0-9a-f-]{36}$/);
    const instanceId = page.url().split('/').pop()!;
    await expect.poll(() => page.locator('body').innerText(), { timeout: 15_000 }).toContain('制定回访计划');

    // Started for this customer, by this person, keyed by the profile record.
    const instance = (await t.request('GET', `/api/instances/${instanceId}`, { token })).body;
    expect(instance).toMatchObject({ definitionKey: 'revisit', businessKey: card.id, startedBy: 'zhangsan' });
    expect(instance.variables).toMatchObject({ customer: '北辰零售连锁', owner: 'zhangsan', tier: 'B' });

    // One revisit per customer at a time: the card now links to the running one.
    await page.goto(`/forms/customer_profile/records/${card.id}`);
    const running = page.getByTestId('record-start-running-revisit');
    await running.waitFor();
    expect((await running.innerText()).replace(/\s/g, '')).toBe('回访进行中·查看');
    expect(await page.getByTestId('record-start-revisit').count()).toBe(0);
    await running.click();
    await page.waitForURL(new RegExp(`/instances/${instanceId}$`));
    await context.close();
  }, 120_000);
});
