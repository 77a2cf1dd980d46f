/**
 * A branching flow built without BPMN skills, in a real browser: the admin creates a flow
 * bound to a complaint form and, using only the add-node / add-branch actions (context pad,
 * the "+" on flows, the properties panel) and the condition builder — never dragging a shape —
 * builds: submit → handler (head of the department the complaint was routed to) → condition on
 * severity (高 → a countersign node of two users; otherwise → straight on) → join → a fill-in
 * confirmation node for the submitter with a reminder. The diagram is laid out automatically
 * (no overlaps, all on screen); the deployed flow routes high severity through the countersign
 * node and skips it otherwise.
 *
 * Then the whole story of issue 12 with that flow: a staff member submits a complaint through
 * 发起; the head of the department it was routed to (投诉类别 账单 → finance) sees it arrive
 * with its summary and handles it; after the countersign the submitter's confirmation waits in
 * their inbox; the admin runs its due reminder and the submitter's bell shows it live; the
 * submitter opens it from the bell and submits (提交); the record page prints with the form's
 * template and links to the finished instance.
 *
 * Last, a broken node's deploy error names the node in the admin's words, in zh-CN and en;
 * bpmn-js's own tooltips follow the UI language.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createOrg, type Org } from '../helpers/approvalOrg.ts';
import { useBrowser, type Person } from '../helpers/browser.ts';
import { eventually } from '../helpers/eventually.ts';
import { choose, clickBlankCanvas, pickOption, renameSelected, selectNode as select, shapeNamed, testId } from '../helpers/flowDesignerUi.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer();
const browser = useBrowser();

const FORM = 'nc_complaint';
const FLOW = 'nc_complaint_flow';

let org: Org;
let admin: Person;
let countersignId: string;
let fillId: string;
const departmentIds: Record<string, string> = {};

beforeAll(async () => {
  org = await createOrg(t);
  const created = await t.request('POST', '/api/forms', {
    token: org.tokens.admin,
    body: {
      key: FORM,
      title: '客户投诉单',
      schema: {
        type: 'object',
        required: ['customer', 'category', 'severity'],
        properties: {
          // Schema order differs from the form order on purpose (see the field-permission check).
          severity: { type: 'string', enum: ['low', 'medium', 'high'] },
          customer: { type: 'string', maxLength: 100 },
          category: { type: 'string', enum: ['billing', 'service'] },
          details: { type: 'string', maxLength: 2000 },
        },
      },
      uiSchema: {
        'ui:title': { 'zh-CN': '客户投诉单', en: 'Customer complaint' },
        'ui:order': ['customer', 'category', 'details', 'severity'],
        customer: { 'ui:title': { 'zh-CN': '客户', en: 'Customer' } },
        category: { 'ui:title': { 'zh-CN': '投诉类别', en: 'Category' }, 'ui:enumNames': { 'zh-CN': ['账单', '服务'], en: ['Billing', 'Service'] } },
        details: { 'ui:title': { 'zh-CN': '投诉内容', en: 'Details' } },
        severity: { 'ui:title': { 'zh-CN': '严重程度', en: 'Severity' }, 'ui:enumNames': { 'zh-CN': ['低', '中', '高'], en: ['Low', 'Medium', 'High'] } },
      },
    },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  // 自动分派 (its own browser test is routing-builder): billing complaints go to finance, the rest to service.
  for (const department of (await org.as('admin').get('/api/departments')).body) departmentIds[department.code] = department.id;
  const routing = await t.request('PUT', `/api/routing/${FORM}`, {
    token: org.tokens.admin,
    body: { defaultDepartmentId: departmentIds.service, rules: [{ name: '账单问题', condition: 'category = "billing"', departmentId: departmentIds.finance, enabled: true }] },
  });
  expect(routing.status, JSON.stringify(routing.body)).toBe(200);
  const template = await t.request('PUT', '/api/templates/print/nc-complaint-slip', {
    token: org.tokens.admin,
    body: { formKey: FORM, title: '投诉回执', body: '<h1 class="slip">投诉回执</h1><p>客户：{{customer}}</p><p>类别：{{label "category" category}}</p>' },
  });
  expect(template.status, JSON.stringify(template.body)).toBeLessThan(300);
  admin = await browser.person(t.url, 'admin', TEST_ADMIN_PASSWORD);
});

describe('an admin builds a branching flow without BPMN skills', () => {
  it('builds handler → condition branch (countersign) → join → fill-in node with the actions only, laid out automatically', async () => {
    const { page } = admin;
    await page.goto('/flows/new');
    await testId(page, 'new-flow-name').fill('投诉处理');
    await testId(page, 'new-flow-key').fill(FLOW);
    await choose(page, 'new-flow-form', FORM);
    await testId(page, 'new-flow-create').click();
    await page.waitForURL(`**/flows/${FLOW}/design`);
    await page.locator('.djs-element[data-element-id="approve_1"]').waitFor();

    // The template's node becomes the handler: the head of the department the complaint was routed to.
    await select(page, 'approve_1');
    await renameSelected(page, '处理投诉');
    await pickOption(page, 'assignee-type-0', '分派到的部门');
    await pickOption(page, 'assignee-value-0', '分派到的部门（负责人）');
    await expect.poll(() => testId(page, 'assignee-value-0').textContent()).toBe('分派到的部门（负责人）');
    // Field permissions list the fields in form order, not schema order.
    const rows = await page.locator('[data-testid^=perm-row-]').evaluateAll((cells) => cells.map((cell) => cell.getAttribute('data-testid')));
    expect(rows).toEqual(['perm-row-customer', 'perm-row-category', 'perm-row-details', 'perm-row-severity']);

    // 添加条件分支 from the handler's context pad: the condition editor opens for the new branch.
    await select(page, 'approve_1');
    await page.locator('.djs-context-pad [data-action="lz-add-condition-branch"]').click();
    await testId(page, 'condition-editor').waitFor();
    await testId(page, 'condition-add').click();
    await choose(page, 'condition-field-0', '严重程度');
    await pickOption(page, 'condition-value-0', '高');
    await expect.poll(() => testId(page, 'condition-feel').inputValue()).toBe('severity = "high"');
    await renameSelected(page, '严重程度高');

    // The branch's new node becomes a countersign (会签) of two users.
    countersignId = await shapeNamed(page, '审批');
    await select(page, countersignId);
    await renameSelected(page, '服务经理会签');
    await testId(page, 'assignee-remove-0').click();
    await testId(page, 'assignee-add').click();
    await choose(page, 'assignee-value-0', 'wangwu');
    await page.keyboard.type('lisi');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    await testId(page, 'approval-mode-all').click();

    // After the join, before the end: the "+" on that flow → 填写节点.
    await page.locator('.lz-flow-add[data-target="end"]').click();
    await page.locator('.djs-popup [data-id="lz-add-fill"]').click();
    await testId(page, 'user-task-properties').waitFor();
    const fill = await shapeNamed(page, '填写');
    fillId = fill;

    // Undo takes back the insert and its layout in one step; redo puts both back.
    const layoutOf = () => page.locator('.djs-element.djs-shape:not(.djs-label)').evaluateAll((shapes) => shapes.map((shape) => shape.getAttribute('transform')).join(';'));
    const laidOut = await layoutOf();
    await testId(page, 'flow-undo').click();
    await expect.poll(() => page.locator(`.djs-element[data-element-id="${fill}"]`).count()).toBe(0);
    await testId(page, 'flow-redo').click();
    await expect.poll(layoutOf).toBe(laidOut);

    await select(page, fill);
    await renameSelected(page, '提交人确认');
    // 填写节点: the kind the properties panel shows.
    expect(await testId(page, 'node-kind').locator('.ant-segmented-item-selected').textContent()).toBe('填写节点');
    // The submitter confirms (填写人: 发起人), reminded 2 hours after the task arrives.
    await pickOption(page, 'assignee-type-0', '发起人');
    await expect.poll(() => testId(page, 'assignee-value-0').textContent()).toBe('发起流程的人');
    await testId(page, 'timeout-enabled').click();
    const remind = page.locator('input[data-testid=timeout-remind-amount], [data-testid=timeout-remind-amount] input').first();
    await remind.fill('2');
    await remind.press('Tab');
    await expect.poll(() => testId(page, 'timeout-action').textContent()).toContain('自动提交');

    await clickBlankCanvas(page);
    await browser.screenshot(page, 'flow-designer-branches');

    // Laid out: no two shapes overlap, and every shape is inside the visible canvas.
    const boxes = await page.locator('.djs-element.djs-shape:not([data-element-id$="_label"]) > .djs-hit').evaluateAll((hits) =>
      hits.map((hit) => {
        const box = hit.getBoundingClientRect();
        return { id: hit.parentElement!.getAttribute('data-element-id')!, x: box.x, y: box.y, right: box.right, bottom: box.bottom };
      }),
    );
    const canvas = (await testId(page, 'flow-canvas').boundingBox())!;
    expect(boxes.length).toBe(7); // start, handler, split, countersign, join, fill-in, end
    for (const box of boxes) {
      expect(box.x, `${box.id} left`).toBeGreaterThanOrEqual(canvas.x);
      expect(box.y, `${box.id} top`).toBeGreaterThanOrEqual(canvas.y);
      expect(box.right, `${box.id} right`).toBeLessThanOrEqual(canvas.x + canvas.width);
      expect(box.bottom, `${box.id} bottom`).toBeLessThanOrEqual(canvas.y + canvas.height);
    }
    for (const [i, a] of boxes.entries()) {
      for (const b of boxes.slice(i + 1)) {
        const overlap = a.x < b.right && b.x < a.right && a.y < b.bottom && b.y < a.bottom;
        expect(overlap, `${a.id} overlaps ${b.id}`).toBe(false);
      }
    }

    // 流程设置 (nothing selected): what an inbox row of this flow says.
    for (const label of ['投诉类别', '严重程度', '客户']) await choose(page, 'process-summary', label);
    await page.keyboard.press('Escape');

    await testId(page, 'flow-deploy').click();
    await expect.poll(async () => (await page.getByTestId('deploy-errors').count()) ? await page.getByTestId('deploy-errors').innerText() : await testId(page, 'flow-version').innerText()).toBe('已发布 v1');
    const latest = await t.request('GET', `/api/definitions/${FLOW}/latest`, { token: org.tokens.admin });
    expect(latest.status).toBe(200);
    expect(latest.body.xml).toMatch(/severity = (&#34;|&quot;|")high(&#34;|&quot;|")/);
    expect(latest.body.xml).toMatch(/<liuzhuan:assignee type="routedDepartment" value="head"\s*\/>/);
    expect(latest.body.xml).toMatch(/<liuzhuan:assignee type="submitter"/);
    expect(latest.body.xml).toMatch(/remindAfter="PT2H"/);
    expect(latest.body.xml).toMatch(/<liuzhuan:summary fields="category,severity,customer"\s*\/>/);
  }, 120_000);

  it('routes a high-severity complaint through the countersign node and skips it otherwise', async () => {
    const start = async (severity: string) => {
      // A service complaint: routed to the default department, service (head sunqi).
      const submitted = await org.as('zhangsan').post(`/api/forms/${FORM}/submit`, { data: { customer: '华信', category: 'service', severity } });
      expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
      const id: string = submitted.body.instance.id;
      // The handler (the routed department's head, not zhangsan's own head zhaoliu) handles it first.
      const handler = await org.as('sunqi').get(`/api/tasks?instanceId=${id}`);
      expect(handler.body).toEqual([expect.objectContaining({ elementId: 'approve_1', assignee: 'sunqi' })]);
      const done = await org.as('sunqi').post(`/api/tasks/${handler.body[0].id}/approve`, { comment: '已处理' });
      expect(done.status, JSON.stringify(done.body)).toBe(200);
      return id;
    };
    const tasksOf = async (id: string) => (await org.as('admin').get(`/api/tasks?instanceId=${id}`)).body as { elementId: string; assignee: string }[];

    const high = await start('high');
    const countersign = await eventually(async () => {
      const tasks = await tasksOf(high);
      expect(tasks.map((task) => task.elementId)).toEqual([countersignId, countersignId]);
      return tasks;
    }, { message: 'the high-severity complaint reaches the countersign node' });
    expect(countersign.map((task) => task.assignee).sort()).toEqual(['lisi', 'wangwu']);

    const low = await start('low');
    const next = await eventually(async () => {
      const tasks = await tasksOf(low);
      expect(tasks.map((task) => task.elementId)).toEqual([fillId]);
      return tasks;
    }, { message: 'the low-severity complaint goes straight to the fill-in node' });
    // The confirmation is the submitter's.
    expect(next).toEqual([expect.objectContaining({ assignee: 'zhangsan' })]);
    const history = await org.as('admin').get(`/api/instances/${low}/history`);
    expect(history.body.map((step: { elementId: string }) => step.elementId)).not.toContain(countersignId);
  });

  it('the whole story: submitted through 发起, handled by the routed head, confirmed by the submitter after a live reminder, printed', async () => {
    const head = await browser.person(t.url, 'zhouba', 'zhouba-password');
    await head.page.goto('/inbox');
    await testId(head.page, 'inbox-list-todo').waitFor();

    // zhangsan (sales) submits a billing complaint through 发起 → its start form.
    const staff = await browser.person(t.url, 'zhangsan', 'zhangsan-password');
    let page = staff.page;
    await page.goto('/start');
    await testId(page, `start-card-${FORM}`).click();
    await page.locator('[data-testid=field-customer] input').fill('华信科技');
    await pickOption(page, page.locator('[data-testid=field-category] .ant-select'), '账单');
    await page.locator('[data-testid=field-details] input, [data-testid=field-details] textarea').first().fill('同一笔账单扣了两次');
    await pickOption(page, page.locator('[data-testid=field-severity] .ant-select'), '高');
    await testId(page, 'start-submit').click();
    await page.waitForURL('**/instances/**');
    const instanceId = new URL(page.url()).pathname.split('/').pop()!;

    // Routed to finance by 投诉类别 = 账单: its head zhouba (not zhangsan's own head) sees it arrive live, with the summary.
    page = head.page;
    await expect.poll(() => testId(page, 'new-task-summary').textContent(), { timeout: 20_000 }).toContain('账单 · 高 · 华信科技');
    const [handle] = (await org.as('zhouba').get(`/api/tasks?instanceId=${instanceId}`)).body;
    expect(handle).toMatchObject({ elementId: 'approve_1', assignee: 'zhouba' });
    const row = testId(page, `inbox-row-${handle.id}`);
    await expect.poll(() => row.textContent()).toContain('处理投诉');
    expect(await row.getByTestId('inbox-summary').textContent()).toBe('投诉类别：账单 · 严重程度：高 · 客户：华信科技');
    await row.locator('[data-testid^=inbox-open-]').click();
    await testId(page, 'task-page').waitFor();
    await expect.poll(() => page.locator('[data-testid=field-customer] input').inputValue()).toBe('华信科技');
    await testId(page, 'task-comment').fill('已退还重复扣款');
    await testId(page, 'action-approve').click();
    await page.waitForURL('**/inbox**');

    // High severity: the service manager's countersign (会签) — its routing is the test above; here both agree.
    const countersign = await eventually(async () => {
      const tasks = (await org.as('admin').get(`/api/tasks?instanceId=${instanceId}`)).body as { id: string; elementId: string; assignee: string }[];
      expect(tasks.map((task) => task.elementId)).toEqual([countersignId, countersignId]);
      return tasks;
    }, { message: 'the countersign tasks', timeoutMs: 15_000 });
    for (const task of countersign) expect((await org.as(task.assignee).post(`/api/tasks/${task.id}/approve`, { comment: '同意' })).status).toBe(200);

    // The submitter's confirmation (填写节点, 发起人), with its reminder due: the admin runs it, as an operator can.
    const confirm = await eventually(async () => {
      const [task] = (await org.as('zhangsan').get(`/api/tasks?instanceId=${instanceId}`)).body;
      expect(task).toMatchObject({ elementId: fillId, name: '提交人确认', assignee: 'zhangsan' });
      return task as { id: string };
    }, { message: "the submitter's confirmation task", timeoutMs: 15_000 });
    page = staff.page;
    await page.goto('/inbox');
    await testId(page, `inbox-row-${confirm.id}`).waitFor();
    const bellCount = () => testId(page, 'notification-count').getAttribute('data-count');
    const before: number = (await org.as('zhangsan').get('/api/notifications')).body.unread;
    await expect.poll(bellCount).toBe(String(before));
    const jobs = (await org.as('admin').get(`/api/jobs?instanceId=${instanceId}`)).body as { id: string; type: string }[];
    const reminders = jobs.filter((job) => job.type === 'task:remind');
    expect(reminders, JSON.stringify(jobs)).toHaveLength(1);
    expect((await t.request('POST', `/api/jobs/${reminders[0].id}/execute`, { token: org.tokens.admin })).status).toBe(200);

    // No reload: the bell counts it and lists it; it leads to the task, which offers 提交 and no approval banner.
    await expect.poll(bellCount, { timeout: 20_000 }).toBe(String(before + 1));
    const toast = page.locator('.notification-toast');
    expect(await toast.innerText()).toContain('提交人确认');
    await toast.locator('.ant-notification-notice-close').click();
    await testId(page, 'notification-bell').click();
    await testId(page, 'notification-dropdown').waitFor();
    const { items } = (await org.as('zhangsan').get('/api/notifications')).body as { items: { id: string; link: string }[] };
    const reminder = items.find((item) => item.link === `/tasks/${confirm.id}`)!;
    expect(reminder, JSON.stringify(items)).toBeDefined();
    const item = testId(page, `notification-item-${reminder.id}`);
    await expect.poll(() => item.getAttribute('data-unread')).toBe('true');
    expect(await item.textContent()).toContain('提交人确认');
    await browser.screenshot(page, 'complaint-journey');
    await item.click();
    await page.waitForURL(`**/tasks/${confirm.id}`);
    await testId(page, 'task-page').waitFor();
    expect(await testId(page, 'action-submit').textContent()).toMatch(/提\s*交/);
    expect(await testId(page, 'action-approve').count()).toBe(0);
    expect(await testId(page, 'approval-progress').count()).toBe(0);
    await expect.poll(bellCount).toBe(String(before));
    await testId(page, 'task-comment').fill('已收到退款，确认');
    await testId(page, 'action-submit').click();
    await page.waitForURL('**/inbox**');

    // 数据 → the complaint: its process finished; 打印 with the form's template; the link opens its instance.
    const records = await admin.context.newPage();
    await records.goto('/data');
    await testId(records, `form-data-${FORM}`).click();
    await records.locator('[data-testid^=record-row-]').filter({ hasText: '华信科技' }).click();
    await testId(records, 'record-view').waitFor();
    await expect.poll(() => testId(records, 'record-process').getAttribute('data-status')).toBe('completed');
    expect(await testId(records, 'record-process').innerText()).toContain('已完成');
    const [printed] = await Promise.all([admin.context.waitForEvent('page'), testId(records, 'record-print').click()]);
    await printed.waitForLoadState();
    expect(await printed.locator('h1.slip').innerText()).toBe('投诉回执');
    expect(await printed.locator('body').innerText()).toMatch(/客户：华信科技[\s\S]*类别：账单/);
    await printed.close();
    await testId(records, 'record-process-history').click();
    await records.waitForURL(`**/instances/${instanceId}#history`);
    await expect.poll(() => testId(records, 'instance-status').getAttribute('data-status')).toBe('completed');
    await expect.poll(() => testId(records, 'instance-history').innerText()).toMatch(/处理投诉[\s\S]*已退还重复扣款[\s\S]*提交人确认[\s\S]*已收到退款，确认/);
    await records.close();
  }, 180_000);

  it('a broken node is named in the deploy error with what to do, in zh-CN and in en; bpmn-js tooltips follow the language', async () => {
    const { page } = admin;
    // Chinese tooltips in the palette and the context pad.
    expect(await page.locator('.djs-palette [data-action="create.start-event"]').getAttribute('aria-label')).toBe('开始事件');
    await select(page, fillId);
    expect(await page.locator('.djs-context-pad [data-action="lz-add-condition-branch"]').getAttribute('title')).toBe('添加条件分支');
    expect(await page.locator('.djs-context-pad [data-action="delete"]').getAttribute('title')).toBe('删除');

    // An approver rule without anyone chosen: the deploy is refused, in the admin's words.
    await testId(page, 'assignee-add').click();
    await clickBlankCanvas(page);
    await testId(page, 'flow-deploy').click();
    const errors = testId(page, 'deploy-errors');
    await errors.waitFor();
    const row = errors.locator(`[data-element-id="${fillId}"]`).first();
    await expect.poll(() => row.innerText()).toBe('节点「提交人确认」：第 2 条填写人规则还没有选择人员。请在右侧「填写人」中选好，或删除这条规则。');
    expect(await errors.innerText()).not.toContain('liuzhuan:');
    // The node is selected (its settings open) and marked on the canvas.
    await expect.poll(() => testId(page, 'user-task-properties').getAttribute('data-element-id')).toBe(fillId);
    expect(await page.locator(`.djs-element.lz-error[data-element-id="${fillId}"]`).count()).toBe(1);
    await browser.screenshot(page, 'flow-designer-deploy-error');

    await page.getByTestId('locale-switch').getByText('EN').click();
    await expect
      .poll(() => row.innerText())
      .toBe('Node "提交人确认": Rule 2 under "Filled in by" has no people chosen yet. Choose them there (on the right), or remove the rule.');
    await expect.poll(() => page.locator('.djs-palette [data-action="create.start-event"]').getAttribute('aria-label')).toBe('Create start event');
    await select(page, fillId);
    expect(await page.locator('.djs-context-pad [data-action="lz-add-condition-branch"]').getAttribute('title')).toBe('Add condition branch');
    expect(await page.locator('.djs-context-pad [data-action="delete"]').getAttribute('title')).toBe('Delete');
    expect(await page.locator(`.lz-flow-add[data-target="end"]`).getAttribute('title')).toBe('Add node');
    await page.getByTestId('locale-switch').getByText('中').click();
  }, 60_000);

  it('添加并行分支 from the properties panel adds a parallel split, two nodes and a join, laid out; one undo takes it back', async () => {
    const { page } = admin;
    const count = (selector: string) => page.locator(selector).count();
    const gateways = () => count('.djs-element.djs-shape[data-element-id^="Gateway_"]:not([data-element-id$="_label"])');
    const shapesBefore = await count('.djs-element.djs-shape:not([data-element-id$="_label"])');
    const gatewaysBefore = await gateways();
    await select(page, 'approve_1');
    await testId(page, 'node-action-parallel-branch').click();
    await expect.poll(() => count('.djs-element.djs-shape:not([data-element-id$="_label"])')).toBe(shapesBefore + 4);
    expect(await gateways()).toBe(gatewaysBefore + 2);
    // The layout runs after the insert: wait until everything is placed and on screen.
    const canvas = (await testId(page, 'flow-canvas').boundingBox())!;
    const problems = async () => {
      const boxes = await page.locator('.djs-element.djs-shape:not([data-element-id$="_label"]) > .djs-hit').evaluateAll((hits) =>
        hits.map((hit) => ({ id: hit.parentElement!.getAttribute('data-element-id')!, box: hit.getBoundingClientRect().toJSON() as DOMRect })),
      );
      const found: string[] = [];
      for (const [i, { id, box: a }] of boxes.entries()) {
        if (!(a.left >= canvas.x && a.right <= canvas.x + canvas.width && a.top >= canvas.y && a.bottom <= canvas.y + canvas.height)) found.push(`${id} off-canvas`);
        for (const { id: other, box: b } of boxes.slice(i + 1)) if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) found.push(`${id} overlaps ${other}`);
      }
      return found;
    };
    await expect.poll(problems, { timeout: 10_000 }).toEqual([]);
    await browser.screenshot(page, 'flow-designer-parallel');
    await testId(page, 'flow-undo').click();
    await expect.poll(() => count('.djs-element.djs-shape:not([data-element-id$="_label"])')).toBe(shapesBefore);
  }, 60_000);
});
