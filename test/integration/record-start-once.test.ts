/**
 * Starting a process from a record (发起回访 on a profile card) runs at most one instance of it
 * per record: a second start while one runs answers 409 `already_running` naming it, the
 * record's start options name it too, two starts at once give exactly one 201, and once it ends
 * the record can start it again. A process whose settings say startsFromOnce=false opts out.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer();
let admin = '';
let recordId = '';

function process(id: string, once?: string): string {
  const onceEntry = once === undefined ? '' : `<liuzhuan:entry key="startsFromOnce" value="${once}"/>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:liuzhuan="http://liuzhuan.dev/schema/bpmn/1.0" targetNamespace="t">
  <process id="${id}" name="${id}" isExecutable="true">
    <extensionElements><liuzhuan:settings>
      <liuzhuan:entry key="startsFrom" value="once_customer"/>${onceEntry}
    </liuzhuan:settings></extensionElements>
    <startEvent id="s"/><userTask id="call" camunda:assignee="admin" xmlns:camunda="http://camunda.org/schema/1.0/bpmn"/><endEvent id="e"/>
    <sequenceFlow id="f1" sourceRef="s" targetRef="call"/><sequenceFlow id="f2" sourceRef="call" targetRef="e"/>
  </process>
</definitions>`;
}

const start = (key: string) => t.request('POST', `/api/forms/once_customer/records/${recordId}/starts/${key}`, { token: admin });
const options = async () => (await t.request('GET', `/api/forms/once_customer/records/${recordId}/starts`, { token: admin })).body as any[];

beforeAll(async () => {
  admin = await t.login('admin', TEST_ADMIN_PASSWORD);
  const schema = { type: 'object', properties: { name: { type: 'string' } } };
  expect((await t.request('POST', '/api/forms', { token: admin, body: { key: 'once_customer', title: '客户', schema } })).status).toBe(201);
  for (const xml of [process('once_visit'), process('many_quote', 'false')]) {
    const deployed = await t.request('POST', '/api/definitions', { token: admin, body: { xml } });
    expect(deployed.status, JSON.stringify(deployed.body)).toBe(201);
  }
  const created = await t.request('POST', '/api/forms/once_customer/records', { token: admin, body: { data: { name: '甲公司' } } });
  expect(created.status).toBe(201);
  recordId = created.body.id;
});

describe('one running instance per record', () => {
  it('two starts at once: exactly one 201, the other 409 already_running naming it; again after it ends', async () => {
    const answers = await Promise.all([start('once_visit'), start('once_visit')]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
    const won = answers.find((a) => a.status === 201)!.body;
    const lost = answers.find((a) => a.status === 409)!.body;
    expect(lost.error.code).toBe('already_running');
    expect(lost.error.details[0].params.instanceId).toBe(won.id);
    const listed = (await t.request('GET', `/api/instances?definitionKey=once_visit`, { token: admin })).body;
    expect((listed.items ?? listed).filter((row: any) => row.businessKey === recordId)).toHaveLength(1);

    // A later click says the same, and the record's options name the running one.
    const again = await start('once_visit');
    expect(again.status).toBe(409);
    expect(again.body.error.details[0].params.instanceId).toBe(won.id);
    expect((await options()).find((o) => o.definitionKey === 'once_visit').runningInstanceId).toBe(won.id);

    // Once it ends, the record starts it again.
    const task = (await t.request('GET', `/api/tasks?instanceId=${won.id}`, { token: admin })).body[0];
    expect((await t.request('POST', `/api/tasks/${task.id}/complete`, { token: admin, body: {} })).status).toBe(200);
    expect((await options()).find((o) => o.definitionKey === 'once_visit').runningInstanceId).toBeNull();
    expect((await start('once_visit')).status).toBe(201);
  });

  it('a process with startsFromOnce=false starts as often as asked', async () => {
    const answers = await Promise.all([start('many_quote'), start('many_quote')]);
    expect(answers.map((a) => a.status)).toEqual([201, 201]);
    expect((await options()).find((o) => o.definitionKey === 'many_quote').runningInstanceId).toBeNull();
  });

  it('a startsFromOnce that is not true or false is refused at deploy', async () => {
    const deployed = await t.request('POST', '/api/definitions', { token: admin, body: { xml: process('bad_once', 'sometimes') } });
    expect(deployed.status).toBe(422);
    expect(JSON.stringify(deployed.body)).toContain('startsFromOnce');
  });
});
