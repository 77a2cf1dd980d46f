/**
 * The step guard is bounded in time as well as in steps (issue #10, finding 12): with the step
 * limit out of reach, a loop without a wait state — or a process that calls itself, each
 * instance quick on its own — is still stopped by the command's time budget, rolls back with
 * a 422, and the server keeps answering. Own file: the limits are
 * process-wide and this server sets them from its environment.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { bpmn, flow } from '../helpers/engine.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer({ LIUZHUAN_MAX_STEPS: '1000000000', LIUZHUAN_MAX_COMMAND_MS: '300' });
let token = '';

beforeAll(async () => {
  token = await t.login('admin', TEST_ADMIN_PASSWORD);
});

describe('step guard in time', () => {
  it('stops a gateway loop by its time budget when the step limit is out of reach', async () => {
    const xml = bpmn(`<process id="spinLong" isExecutable="true">
      <startEvent id="s"/><task id="work"/><exclusiveGateway id="again"/><endEvent id="e"/>
      ${flow('s', 'work')}${flow('work', 'again')}${flow('again', 'work', '${true}')}${flow('again', 'e', '${false}')}
    </process>`);
    expect((await t.request('POST', '/api/definitions', { token, body: { xml } })).status).toBe(201);
    const started = await t.request('POST', '/api/instances', { token, body: { definitionKey: 'spinLong' } });
    expect(started.status).toBe(422);
    expect(started.body.error).toMatchObject({
      code: 'step_budget_exceeded',
      message: expect.stringMatching(/ran for more than 300 ms \(LIUZHUAN_MAX_COMMAND_MS\) without reaching a wait state/),
    });
    const [{ count }] = await t.server.ctx.db('process_instances').where({ definition_key: 'spinLong' }).count();
    expect(Number(count)).toBe(0);
    expect((await t.request('GET', '/api/health')).status).toBe(200);
  });

  it('stops a process that calls itself: the time budget spans every instance the command starts', async () => {
    const xml = bpmn(`<process id="selfCall" isExecutable="true">
      <startEvent id="s"/><callActivity id="again" calledElement="selfCall"/>${flow('s', 'again')}
    </process>`);
    expect((await t.request('POST', '/api/definitions', { token, body: { xml } })).status).toBe(201);
    const started = await t.request('POST', '/api/instances', { token, body: { definitionKey: 'selfCall' } });
    expect(started.status).toBe(422);
    expect(started.body.error).toMatchObject({
      code: 'step_budget_exceeded',
      message: expect.stringMatching(/^Process "selfCall" ran for more than 300 ms \(LIUZHUAN_MAX_COMMAND_MS\)/),
    });
    const [{ count }] = await t.server.ctx.db('process_instances').where({ definition_key: 'selfCall' }).count();
    expect(Number(count)).toBe(0);
    expect((await t.request('GET', '/api/health')).status).toBe(200);
  });
});
