/**
 * A process whose only start event is a message start can be started by its key, as Camunda 7's
 * `startProcessInstanceByKey` does: over `POST /api/instances` and through the engine's
 * `startInstance`, beginning at that message start event. The message still starts it too. A
 * process with two message starts (which one?) or only a signal start is refused as before.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { bpmn, flow } from '../helpers/engine.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer();
let admin: string;

const invoice = bpmn(
  `<process id="invoice" isExecutable="true">
    <startEvent id="received"><messageEventDefinition messageRef="newInvoice"/></startEvent>
    <userTask id="check" camunda:assignee="admin"/>
    <endEvent id="done"/>
    ${flow('received', 'check')}${flow('check', 'done')}
  </process>`,
  '<message id="newInvoice" name="newInvoice"/>',
);

const twoMessages = bpmn(
  `<process id="two_ways" isExecutable="true">
    <startEvent id="byMail"><messageEventDefinition messageRef="mail"/></startEvent>
    <startEvent id="byPhone"><messageEventDefinition messageRef="phone"/></startEvent>
    <userTask id="note" camunda:assignee="admin"/>
    ${flow('byMail', 'note')}${flow('byPhone', 'note')}
  </process>`,
  '<message id="mail" name="mail"/><message id="phone" name="phone"/>',
);

const signalOnly = bpmn(
  `<process id="on_signal" isExecutable="true">
    <startEvent id="alarm"><signalEventDefinition signalRef="fire"/></startEvent>
    <endEvent id="over"/>
    ${flow('alarm', 'over')}
  </process>`,
  '<signal id="fire" name="fire"/>',
);

beforeAll(async () => {
  admin = await t.login('admin', TEST_ADMIN_PASSWORD);
  for (const xml of [invoice, twoMessages, signalOnly]) {
    const deployed = await t.request('POST', '/api/definitions', { token: admin, body: { xml } });
    expect(deployed.status).toBe(201);
  }
});

async function history(id: string): Promise<string[]> {
  const rows = (await t.request('GET', `/api/instances/${id}/history`, { token: admin })).body as { elementId: string }[];
  return rows.map((row) => row.elementId);
}

describe('starting a message-start process by its key', () => {
  it('POST /api/instances starts it at the message start event, with the variables given', async () => {
    const started = await t.request('POST', '/api/instances', { token: admin, body: { definitionKey: 'invoice', variables: { amount: 1200 } } });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    const instance = (await t.request('GET', `/api/instances/${started.body.id}`, { token: admin })).body;
    expect(instance).toMatchObject({ status: 'active', activeElementIds: ['check'], variables: { amount: 1200 } });
    expect(await history(started.body.id)).toEqual(expect.arrayContaining(['received', 'check']));
    expect(started.body.nextTasks).toEqual([expect.objectContaining({ elementId: 'check' })]);
  });

  it("the engine's startInstance does the same", async () => {
    const started = await t.server.ctx.engine.startInstance({ definitionKey: 'invoice', businessKey: 'INV-7' });
    expect(started.status).toBe('active');
    expect(await t.server.ctx.engine.queryTasks({ instanceId: started.id })).toEqual([expect.objectContaining({ elementId: 'check' })]);
  });

  it('the message still starts it', async () => {
    const sent = await t.request('POST', '/api/messages', { token: admin, body: { messageName: 'newInvoice', variables: { amount: 5 } } });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    expect(sent.body.started).toBe(true);
    expect(await t.server.ctx.engine.queryTasks({ instanceId: sent.body.instanceId })).toEqual([expect.objectContaining({ elementId: 'check' })]);
  });

  it('refuses a process with two message starts or only a signal start, naming the process', async () => {
    for (const key of ['two_ways', 'on_signal']) {
      const refused = await t.request('POST', '/api/instances', { token: admin, body: { definitionKey: key } });
      expect(refused.status).toBe(422);
      expect(refused.body.error).toMatchObject({ code: 'no_start_event', details: [expect.objectContaining({ pointer: key })] });
    }
  });
});
