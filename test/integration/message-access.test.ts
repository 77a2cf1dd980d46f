/**
 * Issue #10 finding 4: who may correlate a message or throw a signal, what it may carry, and
 * that every delivery is in the instance's action log with its actor. The model decides
 * (`liuzhuan:access`, `liuzhuan:variables` on `<message>`/`<signal>`; default: admins only).
 * Real HTTP, several users (test/helpers/approvalOrg.ts): zhangsan starts, lisi is uninvolved.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createOrg, type Org } from '../helpers/approvalOrg.ts';
import { bpmn, flow } from '../helpers/engine.ts';
import { useTestServer } from '../helpers/server.ts';

const t = useTestServer();
let org: Org;

/** start → catch `<event>` → end, the event's definition carrying `attributes`. */
function waitingProcess(id: string, kind: 'message' | 'signal', name: string, attributes = ''): string {
  const definitionId = `${id}-${kind}`;
  return bpmn(
    `<process id="${id}" isExecutable="true">
      <startEvent id="s"/>
      <intermediateCatchEvent id="wait"><${kind}EventDefinition ${kind}Ref="${definitionId}"/></intermediateCatchEvent>
      <endEvent id="e"/>
      ${flow('s', 'wait')}${flow('wait', 'e')}
    </process>`,
    `<${kind} id="${definitionId}" name="${name}" ${attributes}/>`,
  );
}

async function deploy(xml: string) {
  const deployed = await org.as('admin').post('/api/definitions', { xml });
  expect(deployed.status).toBe(201);
}

async function start(definitionKey: string, businessKey: string, variables: Record<string, unknown> = {}) {
  const started = await org.as('zhangsan').post('/api/instances', { definitionKey, businessKey, variables });
  expect(started.status).toBe(201);
  return started.body.id as string;
}

async function instance(id: string) {
  return (await org.as('admin').get(`/api/instances/${id}`)).body as { status: string; variables: Record<string, unknown>; activeElementIds: string[] };
}

async function deliveries(id: string) {
  const actions = (await org.as('admin').get(`/api/instances/${id}/actions`)).body as Array<{ action: string; actor: string; details: any }>;
  return actions.filter((action) => action.action === 'message' || action.action === 'signal');
}

beforeAll(async () => {
  org = await createOrg(t);
  await deploy(waitingProcess('contract', 'message', 'contract-signed'));
  await deploy(waitingProcess('order', 'message', 'order-confirmed', 'liuzhuan:access="involved" liuzhuan:variables="note"'));
  await deploy(waitingProcess('survey', 'message', 'survey-answered', 'liuzhuan:access="public"'));
  await deploy(waitingProcess('invoice', 'signal', 'invoice-paid'));
});

describe('POST /api/messages', () => {
  it('refuses staff a message the model does not open (default admin), changing nothing; an admin moves it, logged', async () => {
    const id = await start('contract', 'C-1', { amount: 5000, approved: true });
    for (const user of ['lisi', 'zhangsan']) {
      const sent = await org.as(user).post('/api/messages', {
        messageName: 'contract-signed',
        correlationKey: 'C-1',
        variables: { amount: 1, approved: false },
      });
      expect(sent.status).toBe(403);
      expect(sent.body.error.code).toBe('event_forbidden');
    }
    expect(await instance(id)).toMatchObject({ status: 'active', activeElementIds: ['wait'], variables: { amount: 5000, approved: true } });
    expect(await deliveries(id)).toEqual([]);

    const sent = await org.as('admin').post('/api/messages', { messageName: 'contract-signed', correlationKey: 'C-1', variables: { signedBy: 'ACME' } });
    expect(sent.status).toBe(200);
    expect(sent.body).toEqual({ instanceId: id, started: false });
    expect(await instance(id)).toMatchObject({ status: 'completed', variables: { amount: 5000, approved: true, signedBy: 'ACME' } });
    expect(await deliveries(id)).toEqual([
      expect.objectContaining({
        action: 'message',
        actor: 'admin',
        details: expect.objectContaining({ messageName: 'contract-signed', elementId: 'wait', variables: { signedBy: 'ACME' } }),
      }),
    ]);
    // The starter sees who moved it.
    const seen = await org.as('zhangsan').get(`/api/instances/${id}/actions`);
    expect(seen.body.map((action: { action: string; actor: string }) => `${action.action}:${action.actor}`)).toContain('message:admin');
  });

  it('access="involved": 404 to the uninvolved, only the listed variables (422 naming the others) to the involved', async () => {
    const id = await start('order', 'O-1', { amount: 100 });
    const uninvolved = await org.as('lisi').post('/api/messages', { messageName: 'order-confirmed', correlationKey: 'O-1' });
    expect(uninvolved.status).toBe(404);
    expect(uninvolved.body.error.code).toBe('message_not_correlated');

    const extra = await org.as('zhangsan').post('/api/messages', {
      messageName: 'order-confirmed',
      correlationKey: 'O-1',
      variables: { note: 'ok', amount: 1, approved: false },
    });
    expect(extra.status).toBe(422);
    expect(extra.body.error.code).toBe('variables_not_allowed');
    expect(extra.body.error.details.map((detail: { pointer: string }) => detail.pointer).sort()).toEqual(['/variables/amount', '/variables/approved']);
    expect(await instance(id)).toMatchObject({ status: 'active', variables: { amount: 100 } });
    expect(await deliveries(id)).toEqual([]);

    const ok = await org.as('zhangsan').post('/api/messages', { messageName: 'order-confirmed', correlationKey: 'O-1', variables: { note: 'ok' } });
    expect(ok.status).toBe(200);
    expect(await instance(id)).toMatchObject({ status: 'completed', variables: { amount: 100, note: 'ok' } });
    expect((await deliveries(id)).map((row) => `${row.action}:${row.actor}`)).toEqual(['message:zhangsan']);
  });

  it('access="public": any logged-in user, but without declared variables a non-admin sends none', async () => {
    const id = await start('survey', 'S-1');
    const withData = await org.as('lisi').post('/api/messages', { messageName: 'survey-answered', correlationKey: 'S-1', variables: { score: 5 } });
    expect(withData.status).toBe(422);
    expect(withData.body.error.details).toEqual([expect.objectContaining({ pointer: '/variables/score' })]);
    expect((await instance(id)).status).toBe('active');
    const plain = await org.as('lisi').post('/api/messages', { messageName: 'survey-answered', correlationKey: 'S-1' });
    expect(plain.status).toBe(200);
    expect((await instance(id)).status).toBe('completed');
    expect((await deliveries(id)).map((row) => `${row.action}:${row.actor}`)).toEqual(['message:lisi']);
  });
});

describe('POST /api/signals', () => {
  it('refuses staff a signal the model does not open and delivers nothing; an admin broadcast is logged per instance', async () => {
    const first = await start('invoice', 'I-1', { paid: false });
    const second = await start('invoice', 'I-2', { paid: false });
    const thrown = await org.as('lisi').post('/api/signals', { signalName: 'invoice-paid', variables: { paid: true } });
    expect(thrown.status).toBe(403);
    expect(thrown.body.error.code).toBe('event_forbidden');
    for (const id of [first, second]) {
      expect(await instance(id)).toMatchObject({ status: 'active', activeElementIds: ['wait'], variables: { paid: false } });
    }

    const admin = await org.as('admin').post('/api/signals', { signalName: 'invoice-paid', variables: { paid: true } });
    expect(admin.status).toBe(200);
    expect(admin.body).toEqual({ delivered: 2 });
    for (const id of [first, second]) {
      expect(await instance(id)).toMatchObject({ status: 'completed', variables: { paid: true } });
      expect(await deliveries(id)).toEqual([
        expect.objectContaining({ action: 'signal', actor: 'admin', details: expect.objectContaining({ signalName: 'invoice-paid', variables: { paid: true } }) }),
      ]);
    }
  });
});

describe('deploying access rules', () => {
  it('refuses an unknown liuzhuan:access level, naming the event', async () => {
    const deployed = await org.as('admin').post('/api/definitions', { xml: waitingProcess('bad', 'message', 'bad-access', 'liuzhuan:access="everyone"') });
    expect(deployed.status).toBe(422);
    expect(deployed.body.error.details).toEqual([expect.objectContaining({ pointer: 'wait', message: expect.stringContaining('everyone') })]);
  });
});
