/**
 * A branching flow built without BPMN skills, in a real browser: the admin creates a flow
 * bound to a complaint form and, using only the add-node / add-branch actions (context pad,
 * the "+" on flows, the properties panel) and the condition builder — never dragging a shape —
 * builds: submit → handler → condition on severity (高 → a countersign node of two users;
 * otherwise → straight on) → join → a fill-in confirmation node. The diagram is laid out
 * automatically (no overlaps, all on screen); the deployed flow routes high severity through
 * the countersign node and skips it otherwise. A broken node's deploy error names the node
 * in the admin's words, in zh-CN and en; bpmn-js's own tooltips follow the UI language.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createOrg, type Org } from '../helpers/approvalOrg.ts';
import { useBrowser, type Person } from '../helpers/browser.ts';
import { eventually } from '../helpers/eventually.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer();
const browser = useBrowser();

const FORM = 'nc_complaint';
const FLOW = 'nc_complaint_flow';

let org: Org;
let admin: Person;
let countersignId: string;
let fillId: string;

const testId = (page: Page, id: string) => page.getByTestId(id);

/** Picks `text` in an antd Select by typing it and pressing Enter. */
async function choose(page: Page, selectTestId: string, text: string): Promise<void> {
  await testId(page, selectTestId).click();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

/** Selects a node by clicking it (a click, not a drag): its context pad opens. */
async function select(page: Page, elementId: string): Promise<void> {
  // A click on blank canvas first, so clicking an already selected node opens its pad again.
  const canvas = (await testId(page, 'flow-canvas').boundingBox())!;
  await page.mouse.click(canvas.x + canvas.width - 30, canvas.y + 30);
  await page.locator(`.djs-element.djs-shape[data-element-id="${elementId}"]`).click();
  await page.locator('.djs-context-pad.open').waitFor();
}

/** The id of the only shape on the canvas whose text is `name`. */
async function shapeNamed(page: Page, name: string): Promise<string> {
  const ids = await page.locator('.djs-element.djs-shape').evaluateAll(
    (shapes, wanted) => shapes.filter((shape) => shape.querySelector('.djs-visual text')?.textContent === wanted).map((shape) => shape.getAttribute('data-element-id')!),
    name,
  );
  expect(ids, `one shape named ${name}`).toHaveLength(1);
  return ids[0];
}

async function renameSelected(page: Page, name: string): Promise<void> {
  await testId(page, 'node-name').fill(name);
  await page.keyboard.press('Enter');
}

beforeAll(async () => {
  org = await createOrg(t);
  const created = await t.request('POST', '/api/forms', {
    token: org.tokens.admin,
    body: {
      key: FORM,
      title: '客户投诉单',
      schema: {
        type: 'object',
        required: ['customer', 'severity'],
        properties: {
          // Schema order differs from the form order on purpose (see the field-permission check).
          severity: { type: 'string', enum: ['low', 'medium', 'high'] },
          customer: { type: 'string', maxLength: 100 },
          details: { type: 'string', maxLength: 2000 },
        },
      },
      uiSchema: {
        'ui:order': ['customer', 'details', 'severity'],
        customer: { 'ui:title': { 'zh-CN': '客户', en: 'Customer' } },
        details: { 'ui:title': { 'zh-CN': '投诉内容', en: 'Details' } },
        severity: { 'ui:title': { 'zh-CN': '严重程度', en: 'Severity' }, 'ui:enumNames': { 'zh-CN': ['低', '中', '高'], en: ['Low', 'Medium', 'High'] } },
      },
    },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
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

    // The template's node becomes the handler.
    await select(page, 'approve_1');
    await renameSelected(page, '处理投诉');
    // Field permissions list the fields in form order, not schema order.
    const rows = await page.locator('[data-testid^=perm-row-]').evaluateAll((cells) => cells.map((cell) => cell.getAttribute('data-testid')));
    expect(rows).toEqual(['perm-row-customer', 'perm-row-details', 'perm-row-severity']);

    // 添加条件分支 from the handler's context pad: the condition editor opens for the new branch.
    await select(page, 'approve_1');
    await page.locator('.djs-context-pad [data-action="lz-add-condition-branch"]').click();
    await testId(page, 'condition-editor').waitFor();
    await testId(page, 'condition-add').click();
    await choose(page, 'condition-field-0', '严重程度');
    await testId(page, 'condition-value-0').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: /^(高|high)$/ }).click();
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

    const blank = (await testId(page, 'flow-canvas').boundingBox())!;
    await page.mouse.click(blank.x + blank.width - 30, blank.y + 30);
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

    await testId(page, 'flow-deploy').click();
    await expect.poll(async () => (await page.getByTestId('deploy-errors').count()) ? await page.getByTestId('deploy-errors').innerText() : await testId(page, 'flow-version').innerText()).toBe('已发布 v1');
    const latest = await t.request('GET', `/api/definitions/${FLOW}/latest`, { token: org.tokens.admin });
    expect(latest.status).toBe(200);
    expect(latest.body.xml).toMatch(/severity = (&#34;|&quot;|")high(&#34;|&quot;|")/);
  }, 120_000);

  it('routes a high-severity complaint through the countersign node and skips it otherwise', async () => {
    const start = async (severity: string) => {
      const started = await org.as('zhangsan').post('/api/instances', { definitionKey: FLOW, variables: { customer: '华信', severity } });
      expect(started.status, JSON.stringify(started.body)).toBe(201);
      const id: string = started.body.id;
      // The handler (zhangsan's department head) handles it first.
      const handler = await org.as('zhaoliu').get(`/api/tasks?instanceId=${id}`);
      expect(handler.body).toEqual([expect.objectContaining({ elementId: 'approve_1', assignee: 'zhaoliu' })]);
      const done = await org.as('zhaoliu').post(`/api/tasks/${handler.body[0].id}/approve`, { comment: '已处理' });
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
    expect(next).toHaveLength(1);
    const history = await org.as('admin').get(`/api/instances/${low}/history`);
    expect(history.body.map((step: { elementId: string }) => step.elementId)).not.toContain(countersignId);
  });

  it('a broken node is named in the deploy error with what to do, in zh-CN and in en; bpmn-js tooltips follow the language', async () => {
    const { page } = admin;
    // Chinese tooltips in the palette and the context pad.
    expect(await page.locator('.djs-palette [data-action="create.start-event"]').getAttribute('aria-label')).toBe('开始事件');
    await select(page, fillId);
    expect(await page.locator('.djs-context-pad [data-action="lz-add-condition-branch"]').getAttribute('title')).toBe('添加条件分支');
    expect(await page.locator('.djs-context-pad [data-action="delete"]').getAttribute('title')).toBe('删除');

    // An approver rule without anyone chosen: the deploy is refused, in the admin's words.
    await testId(page, 'assignee-add').click();
    const blank = (await testId(page, 'flow-canvas').boundingBox())!;
    await page.mouse.click(blank.x + blank.width - 30, blank.y + 30);
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
