/**
 * The key-account template's four processes as an admin and a salesperson first meet them on
 * a fresh installation: listed on 流程 with their names, each opening in the flow designer
 * with its whole diagram on the canvas (no node left without a shape), and the form-bound
 * ones offered on 发起. Screenshots of the four diagrams are kept for the README.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_DEMO_PASSWORD } from '../../server/bootstrap.ts';
import { useBrowser } from '../helpers/browser.ts';
import { clickBlankCanvas } from '../helpers/flowDesignerUi.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer({ LIUZHUAN_LOAD_TEMPLATES: 'true' });
const browser = useBrowser();

const PROCESSES = [
  { key: 'revisit', name: '回访', form: 'revisit_plan' },
  { key: 'complaint_handling', name: '投诉处理', form: 'complaint' },
  { key: 'contract_approval', name: '合同审批', form: 'contract' },
  { key: 'feedback_loop', name: '反馈闭环', form: 'improvement' },
];

describe('the template processes', () => {
  it('are listed on 流程 and each opens in the flow designer with every node drawn', async () => {
    const admin = await t.login('admin', TEST_ADMIN_PASSWORD);
    const { page } = await browser.person(t.url, 'admin', TEST_ADMIN_PASSWORD, { viewport: { width: 1600, height: 900 } });
    await page.goto('/flows');
    for (const process of PROCESSES) {
      const row = page.getByTestId(`flow-row-${process.key}`);
      await row.waitFor();
      expect(await row.textContent()).toContain(process.name);
    }

    for (const process of PROCESSES) {
      const definition = await t.request('GET', `/api/definitions/${process.key}/latest`, { token: admin });
      expect(definition.status).toBe(200);
      // Every flow node the server deployed has a shape in the designer, inside the canvas.
      const nodeIds = [...String(definition.body.xml).matchAll(/<(?:bpmn:)?(?:\w*Task|\w*Event|\w*Gateway|subProcess|callActivity)\s[^>]*\bid="([^"]+)"/g)].map((m) => m[1]);
      expect(nodeIds.length).toBeGreaterThan(4);
      expect(definition.body.formKey).toBe(process.form);

      await page.goto(`/flows/${process.key}/design`);
      const canvas = page.getByTestId('flow-canvas');
      await canvas.locator(`.djs-element[data-element-id="${nodeIds[0]}"]`).waitFor();
      const drawn = async (id: string) => (await canvas.locator(`.djs-element[data-element-id="${id}"]`).count()) > 0;
      const hidden: string[] = [];
      for (const id of nodeIds) if (!(await drawn(id))) hidden.push(id);
      // What a collapsed sub-process holds is drawn one click away, on its own plane (drill-down).
      for (const [, subProcess] of String(definition.body.xml).matchAll(/<(?:bpmn:)?subProcess\s[^>]*\bid="([^"]+)"/g)) {
        const drillDown = page.locator(`.djs-overlays[data-container-id="${subProcess}"] .bjs-drilldown`);
        if (!hidden.length || !(await drillDown.count())) continue;
        await drillDown.click();
        await canvas.locator('.bjs-breadcrumbs').getByText(/./).last().waitFor();
        for (const id of [...hidden]) if (await drawn(id)) hidden.splice(hidden.indexOf(id), 1);
        await browser.screenshot(page, `process-${process.key}-${subProcess}`);
        await canvas.locator('.bjs-breadcrumbs li').first().click();
      }
      expect(hidden, `${process.key}: nodes without a shape in the designer`).toEqual([]);
      // The flow form the engine binds is the one 流程设置 shows (the models bind it in liuzhuan:settings).
      await clickBlankCanvas(page);
      await expect.poll(() => page.getByTestId('process-form').textContent()).toContain(`(${process.form})`);
      await browser.screenshot(page, `process-${process.key}`);
    }
  }, 240_000);

  it('offers the form-bound ones to a salesperson on 发起', async () => {
    const { page } = await browser.person(t.url, 'zhangsan', DEFAULT_DEMO_PASSWORD);
    await page.goto('/start');
    await page.getByTestId('start-page').waitFor();
    await page.getByTestId('start-card-complaint').waitFor();
    await page.getByTestId('start-card-contract').waitFor();
  }, 120_000);
});
