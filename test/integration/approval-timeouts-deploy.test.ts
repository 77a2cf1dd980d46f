/**
 * `<liuzhuan:timeout>` settings are checked when a model is deployed: each bad setting is a
 * 422 naming the user task, and nothing is stored.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { bpmn, flow } from '../helpers/engine.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer();
let token: string;

beforeAll(async () => {
  token = await t.login('admin', TEST_ADMIN_PASSWORD);
});

const timeout = (attributes: string) => `<extensionElements><liuzhuan:timeout ${attributes}/></extensionElements>`;
const as = (_user: 'admin') => ({
  get: (path: string) => t.request('GET', path, { token }),
  post: (path: string, body: unknown = {}) => t.request('POST', path, { token, body }),
});

describe('timeout settings are checked at deploy', () => {
  const refused = async (key: string, attributes: string) => {
    const xml = bpmn(`<process id="${key}" isExecutable="true">
      <startEvent id="s"/>
      <userTask id="first"/>
      <serviceTask id="svc"><extensionElements><liuzhuan:setVariables><liuzhuan:variable name="x" value="1"/></liuzhuan:setVariables></extensionElements></serviceTask>
      <userTask id="review">${timeout(attributes)}</userTask>
      <endEvent id="e"/>
      ${flow('s', 'first')}${flow('first', 'svc')}${flow('svc', 'review')}${flow('review', 'e')}
    </process>`);
    const answer = await as('admin').post('/api/definitions', { xml });
    expect(answer.status, JSON.stringify(answer.body)).toBe(422);
    expect(answer.body.error.code).toBe('invalid_bpmn');
    const details = answer.body.error.details.filter((item: any) => item.pointer === 'review');
    expect(details.length, JSON.stringify(answer.body.error.details)).toBeGreaterThan(0);
    const definitions = (await as('admin').get('/api/definitions')).body as any[];
    expect(definitions.some((definition) => definition.key === key)).toBe(false);
    return details.map((detail: any) => detail.message).join('\n') as string;
  };

  it('refuses bad durations, unknown actions, missing targets and bad return targets with 422 naming the element', async () => {
    expect(await refused('bad1', 'after="1 day" action="approve"')).toMatch(/after="1 day" is not an ISO 8601 duration/);
    expect(await refused('bad2', 'remindAfter="PT0S"')).toMatch(/longer than zero/);
    expect(await refused('bad3', 'after="P1D" action="delete"')).toMatch(/action="delete" is unknown/);
    expect(await refused('bad4', 'after="P1D" action="escalate"')).toMatch(/needs escalateTo/);
    expect(await refused('bad5', 'after="P1D" action="return" returnTo="svc"')).toMatch(/returnTo="svc" is a serviceTask, not a user task/);
    expect(await refused('bad6', 'after="P1D" action="return" returnTo="nowhere"')).toMatch(/not a node of this process/);
    expect(await refused('bad7', 'after="P1D"')).toMatch(/needs an action/);
    expect(await refused('bad8', 'action="approve"')).toMatch(/needs an after duration/);
    expect(await refused('bad9', '')).toMatch(/sets neither remindAfter nor after/);
  });

  it('refuses an action the node does not allow', async () => {
    const xml = bpmn(`<process id="bad11" isExecutable="true">
      <startEvent id="s"/>
      <userTask id="review"><extensionElements>
        <liuzhuan:actions allowed="approve,reject"/><liuzhuan:timeout after="P1D" action="escalate" escalateTo="zoe"/>
      </extensionElements></userTask>
      ${flow('s', 'review')}
    </process>`);
    const answer = await as('admin').post('/api/definitions', { xml });
    expect(answer.status).toBe(422);
    expect(answer.body.error.details).toEqual([
      expect.objectContaining({ pointer: 'review', message: expect.stringMatching(/needs the node action "transfer"/) }),
    ]);
  });

  it('refuses a timeout on anything but a user task', async () => {
    const xml = bpmn(`<process id="bad12" isExecutable="true">
      <startEvent id="s"/>
      <task id="plain"><extensionElements><liuzhuan:timeout after="P1D" action="approve"/></extensionElements></task>
      ${flow('s', 'plain')}
    </process>`);
    const answer = await as('admin').post('/api/definitions', { xml });
    expect(answer.status).toBe(422);
    expect(JSON.stringify(answer.body.error.details)).toContain('plain');
  });

  it('accepts a valid timeout and warns when the reminder would come after the deadline', async () => {
    const xml = bpmn(`<process id="lateRemind" isExecutable="true">
      <startEvent id="s"/>
      <userTask id="review" camunda:assignee="admin">${timeout('remindAfter="P2D" after="P1D" action="approve"')}</userTask>
      <endEvent id="e"/>
      ${flow('s', 'review')}${flow('review', 'e')}
    </process>`);
    const answer = await as('admin').post('/api/definitions', { xml });
    expect(answer.status).toBe(201);
    expect(JSON.stringify(answer.body)).toContain('the reminder will never be sent');
  });
});
