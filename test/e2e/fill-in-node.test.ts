/**
 * A fill-in node (填写节点) in a real browser: the admin adds a node in the flow designer,
 * makes it 填写节点 in the properties panel (who fills in, a field required there) and
 * publishes; after a submission and the head's approval, the person it is assigned to opens it
 * from the inbox, sees 提交 and no approval banner, fills in the form, submits, and sees the
 * instance move on to its end.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEFAULT_DEMO_PASSWORD } from '../../server/bootstrap.ts';
import { pickOption as pickFromSelect } from '../helpers/antdSelect.ts';
import { useBrowser, type Person } from '../helpers/browser.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer({ LIUZHUAN_LOAD_TEMPLATES: 'true' });
const browser = useBrowser();

const FORM = 'e2e_incident';
const FLOW = 'e2e_incident_flow';

let admin: Person;
let adminToken: string;

const testId = (page: Page, id: string) => page.getByTestId(id);

/** Picks `text` in an antd Select by typing it and pressing Enter. */
async function choose(page: Page, selectTestId: string, text: string): Promise<void> {
  await testId(page, selectTestId).click();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

/** The labels of the options an open antd Select shows. */
const visibleOptions = (page: Page) =>
  page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden):visible .ant-select-item-option').allTextContents();

/** Opens an antd Select and clicks the option with exactly `label`. */
async function pickOption(page: Page, selectTestId: string, label: string): Promise<void> {
  await pickFromSelect(page, testId(page, selectTestId), label, { contains: true });
}

beforeAll(async () => {
  adminToken = await t.login('admin', TEST_ADMIN_PASSWORD);
  const form = await t.request('POST', '/api/forms', {
    token: adminToken,
    body: {
      key: FORM,
      title: '故障报告',
      schema: {
        type: 'object',
        required: ['title'],
        properties: {
          title: { type: 'string', minLength: 1 },
          reporter: { type: 'string', 'x-widget': 'user-picker' },
          dept: { type: 'string', 'x-widget': 'department-picker' },
          resolution: { type: 'string', maxLength: 500 },
        },
      },
      uiSchema: {
        'ui:order': ['title', 'reporter', 'dept', 'resolution'],
        title: { 'ui:title': { 'zh-CN': '故障', en: 'Fault' } },
        reporter: { 'ui:title': { 'zh-CN': '上报人', en: 'Reporter' } },
        dept: { 'ui:title': { 'zh-CN': '责任部门', en: 'Department' } },
        resolution: { 'ui:title': { 'zh-CN': '处理结果', en: 'Resolution' } },
      },
    },
  });
  expect(form.status).toBe(201);
  admin = await browser.person(t.url, 'admin', TEST_ADMIN_PASSWORD);
});

describe('a fill-in node is built, published and submitted', () => {
  it('the admin makes a new node 填写节点 in the properties panel and publishes the flow', async () => {
    const { page } = admin;
    await page.goto('/flows');
    await testId(page, 'flow-new').click();
    await testId(page, 'new-flow-name').fill('故障处理');
    await testId(page, 'new-flow-key').fill(FLOW);
    await choose(page, 'new-flow-form', FORM);
    await testId(page, 'new-flow-create').click();
    await page.waitForURL(`**/flows/${FLOW}/design`);

    // The modeler is ready when its toolbar is enabled (bpmn-js loads after the page).
    await page.locator('[data-testid=flow-add-approval]:not([disabled])').waitFor({ timeout: 30_000 });
    await testId(page, 'flow-add-approval').click();
    await testId(page, 'user-task-properties').waitFor();
    await testId(page, 'node-name').fill('填写处理结果');
    await page.keyboard.press('Enter');
    await testId(page, 'node-kind').getByText('填写节点').click();
    await expect.poll(() => testId(page, 'node-kind').locator('.ant-segmented-item-selected').textContent()).toBe('填写节点');
    // A fill-in node: 提交 is fixed, no 审批方式, the people are 填写人.
    await testId(page, 'fill-in-hint').waitFor();
    expect(await testId(page, 'action-submit').isChecked()).toBe(true);
    expect(await testId(page, 'action-submit').isDisabled()).toBe(true);
    expect(await testId(page, 'action-approve').count()).toBe(0);
    expect(await testId(page, 'approval-mode').isVisible()).toBe(false);
    await testId(page, 'assignee-remove-0').click();
    await testId(page, 'assignee-add').click();
    await choose(page, 'assignee-value-0', 'wangwu');
    await page.keyboard.press('Escape');

    // The approver types an admin expects: 发起人的第 N 级主管 with a level picker, and form
    // fields — the picker lists only the member and department fields, not 故障 or 处理结果.
    await testId(page, 'assignee-add').click();
    await pickOption(page, 'assignee-type-1', '发起人的第 N 级主管');
    await testId(page, 'assignee-value-1').click();
    await expect.poll(() => visibleOptions(page)).toEqual(expect.arrayContaining(['第 1 级主管（直属部门负责人）', '第 2 级主管', '第 3 级主管']));
    await page.keyboard.press('Escape');
    await pickOption(page, 'assignee-type-1', '表单中的成员字段');
    await testId(page, 'assignee-value-1').click();
    // (polled: the type picker's list closes with an animation)
    await expect.poll(() => visibleOptions(page)).toEqual(['上报人 (reporter)', '责任部门 (dept)']);
    // A department field: the rule becomes 表单中的部门字段, its members or its head.
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '责任部门' }).click();
    await expect.poll(() => testId(page, 'assignee-type-1').textContent()).toContain('表单中的部门字段');
    await pickOption(page, 'assignee-part-1', '负责人');
    await expect.poll(() => testId(page, 'assignee-part-1').textContent()).toContain('负责人');
    await testId(page, 'assignee-remove-1').click();
    await testId(page, 'perm-resolution-required').click();
    await browser.screenshot(page, 'flow-designer-fill-in');

    // 超时 on a fill-in node: the automatic action submits (自动提交), not 自动同意.
    await testId(page, 'timeout-enabled').click();
    await expect.poll(() => testId(page, 'timeout-action').textContent()).toContain('自动提交');
    await testId(page, 'timeout-action').click();
    await expect.poll(() => visibleOptions(page)).toEqual(['自动提交', '退回', '升级转交']);
    await page.keyboard.press('Escape');
    await testId(page, 'timeout-enabled').click();
    await expect.poll(() => testId(page, 'timeout-action').count()).toBe(0);

    await testId(page, 'flow-deploy').click();
    await expect.poll(async () => (await t.request('GET', `/api/definitions/${FLOW}/latest`, { token: adminToken })).status).toBe(200);
    const { xml } = (await t.request('GET', `/api/definitions/${FLOW}/latest`, { token: adminToken })).body;
    expect(xml).toMatch(/<liuzhuan:actions allowed="submit,return,transfer"\s*\/>/);
    expect(xml).toContain('access="required"');
  }, 90_000);

  it('the assignee opens it from the inbox, sees 提交 and no approval banner, fills in, submits; the instance moves on', async () => {
    // zhangsan (sales) submits; the first node is their head, zhaoliu, who approves.
    const staff = await t.login('zhangsan', DEFAULT_DEMO_PASSWORD);
    const submitted = await t.request('POST', `/api/forms/${FORM}/submit`, { token: staff, body: { data: { title: '打印机卡纸' } } });
    expect(submitted.status).toBe(201);
    const instanceId = submitted.body.instance.id as string;
    const head = await t.login('zhaoliu', DEFAULT_DEMO_PASSWORD);
    const [review] = (await t.request('GET', `/api/tasks?instanceId=${instanceId}`, { token: head })).body;
    expect((await t.request('POST', `/api/tasks/${review.id}/approve`, { token: head, body: { comment: '请处理' } })).status).toBe(200);
    const [fill] = (await t.request('GET', `/api/tasks?instanceId=${instanceId}`, { token: adminToken })).body;
    expect(fill).toMatchObject({ name: '填写处理结果', assignee: 'wangwu' });

    const { page } = await browser.person(t.url, 'wangwu', DEFAULT_DEMO_PASSWORD);
    await page.goto('/inbox');
    // The row of the task in 待办, and its 办理 button.
    await testId(page, `inbox-row-${fill.id}`).locator('[data-testid^=inbox-open-]').click();
    await testId(page, 'task-page').waitFor();
    await testId(page, 'action-submit').waitFor();
    expect(await testId(page, 'action-submit').textContent()).toMatch(/提\s*交/);
    expect(await testId(page, 'action-approve').count()).toBe(0);
    expect(await testId(page, 'action-reject').count()).toBe(0);
    expect(await testId(page, 'approval-progress').count()).toBe(0);
    expect(await page.getByText('已同意').count()).toBe(0);
    await testId(page, 'action-return').waitFor();
    await testId(page, 'action-transfer').waitFor();

    // 处理结果 is required at this node: submitting it empty is refused beside the field.
    await testId(page, 'action-submit').click();
    await expect.poll(() => testId(page, 'field-resolution').textContent()).toMatch(/必填|必须填写/);
    expect((await t.request('GET', `/api/instances/${instanceId}`, { token: adminToken })).body.activeElementIds).toEqual([fill.elementId]);

    await page.locator('[data-testid=field-resolution] input, [data-testid=field-resolution] textarea').first().fill('已清理卡纸并更换硒鼓');
    await testId(page, 'task-comment').fill('已处理');
    await browser.screenshot(page, 'task-fill-in');
    await testId(page, 'action-submit').click();
    await page.waitForURL('**/inbox**');

    await page.goto(`/instances/${instanceId}`);
    await expect.poll(() => testId(page, 'instance-status').getAttribute('data-status')).toBe('completed');
    const instance = (await t.request('GET', `/api/instances/${instanceId}`, { token: adminToken })).body;
    expect(instance.variables).toMatchObject({ title: '打印机卡纸', resolution: '已清理卡纸并更换硒鼓' });
    const actions = (await t.request('GET', `/api/instances/${instanceId}/actions`, { token: adminToken })).body;
    expect(actions.at(-1)).toMatchObject({ action: 'submit', actor: 'wangwu', comment: '已处理' });
  }, 90_000);
});
