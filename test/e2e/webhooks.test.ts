/**
 * The Webhooks page as an admin uses it: create a subscription with the event picker, see the
 * secret once, watch a delivery appear in the log (its first try answered 500, the retry 200),
 * press 重新发送 and see the third try arrive at the receiver and in the log.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { useBrowser } from '../helpers/browser.ts';
import { eventually } from '../helpers/eventually.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

vi.stubEnv('LIUZHUAN_WEBHOOK_RETRY_BASE_MS', '50');
vi.stubEnv('LIUZHUAN_WEBHOOK_ALLOW_PRIVATE', 'true');

const t = useTestServer();
const browser = useBrowser();
const received: string[] = [];
let receiver: http.Server;
let url = '';

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const id = String(req.headers['x-liuzhuan-delivery']);
      received.push(id);
      res.writeHead(received.filter((r) => r === id).length === 1 ? 500 : 200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/in`;
  const admin = await t.login('admin', TEST_ADMIN_PASSWORD);
  const form = await t.request('POST', '/api/forms', {
    token: admin,
    body: { key: 'lead', title: '线索', schema: { type: 'object', properties: { name: { type: 'string' } } } },
  });
  expect(form.status).toBe(201);
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await new Promise((resolve) => receiver?.close(resolve));
});

it('creates a subscription, shows the delivery with its retry, and re-sends it', async () => {
  const { page } = await browser.person(t.url, 'admin', TEST_ADMIN_PASSWORD);
  await page.goto('/admin/webhooks');
  // The list has loaded (empty) before the first click.
  await page.getByTestId('admin-webhooks').locator('.ant-table-placeholder').waitFor();
  await page.getByTestId('webhook-new').click();
  await page.getByTestId('webhook-name').fill('CRM 同步');
  await page.getByTestId('webhook-url').fill(url);
  await page.getByTestId('webhook-events').getByText('数据修改').click();
  await page.getByTestId('webhook-create').click();
  const secret = page.getByTestId('webhook-secret');
  await expect.poll(() => secret.textContent()).toMatch(/^whsec_/);
  await page.getByTestId('webhook-secret-done').click();
  // The list shows the secret masked only.
  await page.getByText('CRM 同步').waitFor();
  expect(await page.getByTestId('admin-webhooks').textContent()).not.toContain((await secret.textContent())!.slice(8));

  const admin = await t.login('admin', TEST_ADMIN_PASSWORD);
  expect((await t.request('POST', '/api/forms/lead/records', { token: admin, body: { data: { name: '华为' } } })).status).toBe(201);

  await page.getByTestId('webhook-deliveries-open').click();
  const drawer = page.getByTestId('webhook-deliveries');
  // The drawer refreshes itself: the delivery appears, then succeeds on its second try.
  await drawer.getByTestId('webhook-delivery-status').filter({ hasText: '成功' }).waitFor();
  await expect.poll(() => drawer.getByTestId('webhook-delivery-attempts').first().textContent()).toBe('2');
  // Expanded, the delivery shows both tries: the 500 and the 200 after the back-off.
  await drawer.locator('.ant-table-row-expand-icon').first().click();
  await expect.poll(() => drawer.getByTestId('webhook-attempt').allTextContents()).toEqual([
    expect.stringMatching(/^第 1 次：500/),
    expect.stringMatching(/^第 2 次：200/),
  ]);
  await browser.screenshot(page, 'webhooks-deliveries');

  await drawer.getByTestId('webhook-resend').first().click();
  await page.getByText('已重新排队发送').waitFor();
  await eventually(() => received.length === 3, { message: 'the re-sent delivery reached the receiver' });
  await expect.poll(() => drawer.getByTestId('webhook-delivery-attempts').first().textContent(), { timeout: 10_000 }).toBe('3');
  await expect.poll(() => drawer.getByTestId('webhook-attempt').count()).toBe(3);
  expect(new Set(received).size).toBe(1);
});
