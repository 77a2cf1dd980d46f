/**
 * A department's queue in a real browser: a billing complaint filed by a salesperson lands
 * live in Finance's queue, a member claims it; and the admin pages open with the template
 * app's data (apps, users, routing rules, instances, incidents). Screenshots are kept.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_DEMO_PASSWORD } from '../../server/bootstrap.ts';
import { useBrowser } from '../helpers/browser.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer({ LIUZHUAN_LOAD_TEMPLATES: 'true' });
const browser = useBrowser();

const complaint = {
  customer: '华东精密',
  category: 'billing',
  severity: 'high',
  description: '发票金额与合同不符',
  received_at: '2026-11-23T09:00:00Z',
  status: 'open',
};

describe('department queue', () => {
  it('shows a routed complaint arriving live and lets a member claim it', async () => {
    const { page } = await browser.person(t.url, 'wangwu', DEFAULT_DEMO_PASSWORD);
    await page.goto('/queue');
    await page.getByTestId('queue-page').waitFor();
    await page.getByTestId('realtime-on').waitFor();

    const filer = await t.login('zhangsan', DEFAULT_DEMO_PASSWORD);
    const created = await t.request('POST', '/api/forms/complaint/records', { token: filer, body: { data: complaint } });
    expect(created.status).toBe(201);

    const card = page.locator('[data-testid^=queue-row-]').filter({ hasText: '发票金额与合同不符' });
    await card.waitFor({ timeout: 20_000 });
    expect(await card.getAttribute('data-status')).toBe('queued');
    await browser.screenshot(page, 'department-queue');
    const ticketId = (await card.getAttribute('data-testid'))!.replace('queue-row-', '');
    await page.getByTestId(`queue-claim-${ticketId}`).click();
    await expect.poll(() => card.getAttribute('data-status')).toBe('claimed');

    const head = await t.login('zhouba', DEFAULT_DEMO_PASSWORD);
    const departments = (await t.request('GET', '/api/departments', { token: head })).body as Array<{ id: string; code: string }>;
    const finance = departments.find((department) => department.code === 'finance')!;
    const queue = await t.request('GET', `/api/departments/${finance.id}/queue`, { token: head });
    expect(queue.body.items.find((ticket: { id: string }) => ticket.id === ticketId)).toMatchObject({ status: 'claimed' });
  });
});

describe('admin pages', () => {
  it('open with the template app, the organisation, its routing rules, instances and incidents', async () => {
    const { page } = await browser.person(t.url, 'admin', TEST_ADMIN_PASSWORD);
    const visit = async (path: string, ready: string, screenshot: string) => {
      await page.goto(path);
      await page.getByTestId(ready).first().waitFor();
      await browser.screenshot(page, screenshot);
    };
    await visit('/admin/apps', 'app-key-account', 'admin-apps');
    await visit('/admin/users', 'user-row-zhangsan', 'admin-users');
    await visit('/admin/departments', 'departments-tree', 'admin-departments');
    await visit('/admin/routing?form=complaint', 'routing-rule-0-condition', 'admin-routing');
    expect(await page.getByTestId('routing-rule-0-condition').inputValue()).toBe('category = "billing"');
    await visit('/admin/instances', 'instances-table', 'admin-instances');
    // The job executor's state sits above the incidents (from /api/health).
    await visit('/admin/incidents', 'executor-state', 'admin-incidents');
    expect(await page.getByTestId('executor-state').textContent()).toBe('运行中');
    await page.getByTestId('incidents-table').waitFor();
    await visit('/forms', 'form-row-complaint', 'forms-list');
    await visit('/inbox', 'inbox-tab-todo', 'inbox');
    // Eight pages, each loaded and photographed: more than the default 30 s on a busy 2-core CI machine.
  }, 120_000);
});

describe('on a phone', () => {
  it('fits the inbox and a form to a 390 px screen without sideways scrolling', async () => {
    const { page } = await browser.person(t.url, 'zhangsan', DEFAULT_DEMO_PASSWORD, { viewport: { width: 390, height: 844 } });
    await page.goto('/inbox');
    await page.getByTestId('inbox-tab-todo').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await browser.screenshot(page, 'phone-inbox');
    await page.goto('/forms/complaint/records/new');
    await page.getByTestId('field-description').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await browser.screenshot(page, 'phone-form');
  }, 120_000);
});
