/**
 * A deploy's warnings name their element: the server answers `{elementId, line?, message}`
 * (the OpenAPI `deployDefinition` schema), and the flow designer lists each warning with a
 * link to its element. Typed by hand, the designer read `pointer` (an error detail's field),
 * so every warning showed as "整个流程" with no link; typed from the contract it cannot.
 */
import { describe, expect, it } from 'vitest';
import { useBrowser } from '../helpers/browser.ts';
import { bpmn, flow, lineDiagram } from '../helpers/engine.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer();
const browser = useBrowser();

// review → end carries an empty condition: deployable, with a warning naming that flow.
const xml = bpmn(`<process id="warnflow" name="Warn flow" isExecutable="true">
    <startEvent id="start"/>
    <userTask id="review" name="Review" camunda:assignee="admin"/>
    <endEvent id="end"/>
    ${flow('start', 'review')}
    <sequenceFlow id="review-end" sourceRef="review" targetRef="end"><conditionExpression xsi:type="tFormalExpression"></conditionExpression></sequenceFlow>
  </process>
  ${lineDiagram('warnflow')}`);

describe('deploying from the flow designer', () => {
  it('lists each warning under the element it names', async () => {
    const admin = await t.login('admin', TEST_ADMIN_PASSWORD);
    const first = await t.request('POST', '/api/definitions', { token: admin, body: { xml } });
    expect(first.status).toBe(201);
    expect(first.body.warnings).toEqual([expect.objectContaining({ elementId: 'review-end' })]);

    const { page } = await browser.person(t.url, 'admin', TEST_ADMIN_PASSWORD);
    await page.goto('/flows/warnflow/design');
    await page.getByTestId('flow-canvas').locator('.djs-element[data-element-id="review"]').waitFor();
    await page.getByTestId('flow-deploy').click();
    await page.getByTestId('deploy-warnings').waitFor();
    const warning = page.getByTestId('deploy-warnings').getByTestId('deploy-error-0');
    expect(await warning.getAttribute('data-element-id')).toBe('review-end');
    await page.getByTestId('deploy-error-link-review-end').waitFor();
  }, 120_000);
});
