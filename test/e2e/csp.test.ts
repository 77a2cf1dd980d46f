/**
 * The designer under its Content-Security-Policy (issue #10, finding 10): every page this
 * test opens — inbox, form designer, flow designer (bpmn-js), a record form validated in the
 * browser (ajv) — runs with no CSP violation. And a form stored with `ui:widget: "attachment"`
 * (finding 13: saved before the server checked widgets) renders with the default files
 * widget instead of crashing the page.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { insertFormVersion } from '../../engine/store/forms.ts';
import { useBrowser } from '../helpers/browser.ts';
import { bpmn, flow, lineDiagram } from '../helpers/engine.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer();
const browser = useBrowser();

/** CSP violations the page reports, as text; collected from the next navigation on. */
async function watchViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  await page.exposeFunction('reportCspViolation', (text: string) => violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      (window as unknown as { reportCspViolation(text: string): void }).reportCspViolation(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  return violations;
}

beforeAll(async () => {
  const admin = await t.login('admin', TEST_ADMIN_PASSWORD);
  const saved = await t.request('POST', '/api/forms', {
    token: admin,
    body: {
      key: 'cspcheck',
      title: 'CSP check',
      schema: { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 2 } } },
      uiSchema: { name: { 'ui:title': 'Name' } },
    },
  });
  expect(saved.status).toBe(201);
  const xml = bpmn(`<process id="cspflow" name="CSP flow" isExecutable="true">
    <startEvent id="start"/>
    <userTask id="review" name="Review" camunda:assignee="admin"/>
    <endEvent id="end"/>
    ${flow('start', 'review')}
    ${flow('review', 'end')}
  </process>
  ${lineDiagram('cspflow')}`);
  expect((await t.request('POST', '/api/definitions', { token: admin, body: { xml } })).status).toBe(201);
  // Stored directly, as forms saved before the server refused unknown widgets were.
  await insertFormVersion(t.server.ctx.db, {
    key: 'oldwidget',
    title: 'Old widget',
    schema: {
      type: 'object',
      properties: {
        title: { type: 'string' },
        files: { type: 'array', 'x-widget': 'attachment', items: { type: 'object', properties: { name: { type: 'string' }, dataUrl: { type: 'string' } } } },
      },
    },
    uiSchema: { files: { 'ui:widget': 'attachment', 'ui:title': 'Files' } },
    createdBy: null,
  });
});

describe('the designer under its CSP', () => {
  it('sends the policy and runs the inbox, both designers and a validated form without a violation', async () => {
    const { page } = await browser.person(t.url, 'admin', TEST_ADMIN_PASSWORD);
    const violations = await watchViolations(page);
    const response = await page.goto('/inbox');
    expect(response!.headers()['content-security-policy']).toMatch(/script-src 'self'/);
    await page.getByTestId('realtime-on').waitFor();

    await page.goto('/forms/new');
    await page.getByText(/单行文本/).first().waitFor();

    // bpmn-js draws the stored model.
    await page.goto('/flows/cspflow/design');
    await page.getByTestId('flow-canvas').locator('.djs-element[data-element-id="review"]').waitFor();

    // The browser validates with ajv (compiled schemas): an empty required field is shown.
    await page.goto('/forms/cspcheck/records/new');
    await page.getByTestId('field-name').waitFor();
    await page.getByTestId('record-submit').click();
    await expect.poll(() => page.getByTestId('field-name').textContent()).toMatch(/必填|required/i);
    await page.getByTestId('field-name').locator('input').fill('Zhang San');
    await page.getByTestId('record-submit').click();
    await page.waitForURL(/\/forms\/cspcheck\/records(\/|$|\?)/);

    expect(violations).toEqual([]);
  }, 120_000);

  it('draws a stored unknown ui:widget ("attachment") with the default files widget instead of crashing', async () => {
    const { page } = await browser.person(t.url, 'admin', TEST_ADMIN_PASSWORD);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto('/forms/oldwidget/records/new');
    await page.getByTestId('field-files').waitFor();
    await page.getByTestId('field-title').waitFor();
    expect(errors.filter((message) => /No widget/.test(message))).toEqual([]);
  }, 120_000);
});
