/**
 * A deploy's warnings name their element: the server answers `{elementId, line?, message}`
 * (the OpenAPI `deployDefinition` schema), and the flow designer lists each warning with a
 * link to its element. Typed by hand, the designer read `pointer` (an error detail's field),
 * so every warning showed as "整个流程" with no link; typed from the contract it cannot.
 */
import { describe, expect, it } from 'vitest';
import { useBrowser } from '../helpers/browser.ts';
import { bpmn, flow } from '../helpers/engine.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer();
const browser = useBrowser();

const shape = (id: string, x: number, y: number, w: number, h: number) =>
  `<bpmndi:BPMNShape id="${id}_di" bpmnElement="${id}"><dc:Bounds x="${x}" y="${y}" width="${w}" height="${h}"/></bpmndi:BPMNShape>`;
const edge = (id: string, x1: number, x2: number) =>
  `<bpmndi:BPMNEdge id="${id}_di" bpmnElement="${id}"><di:waypoint x="${x1}" y="118"/><di:waypoint x="${x2}" y="118"/></bpmndi:BPMNEdge>`;

// review → end carries an empty condition: deployable, with a warning naming that flow.
const xml = bpmn(`<process id="warnflow" name="Warn flow" isExecutable="true">
    <startEvent id="start"/>
    <userTask id="review" name="Review" camunda:assignee="admin"/>
    <endEvent id="end"/>
    ${flow('start', 'review')}
    <sequenceFlow id="review-end" sourceRef="review" targetRef="end"><conditionExpression xsi:type="tFormalExpression"></conditionExpression></sequenceFlow>
  </process>
  <bpmndi:BPMNDiagram id="diagram" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"
    xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI">
    <bpmndi:BPMNPlane id="plane" bpmnElement="warnflow">
      ${shape('start', 100, 100, 36, 36)}${shape('review', 200, 78, 100, 80)}${shape('end', 360, 100, 36, 36)}
      ${edge('start-review', 136, 200)}${edge('review-end', 300, 360)}
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>`);

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
