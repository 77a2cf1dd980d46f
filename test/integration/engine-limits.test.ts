/**
 * Limits against runaway models and expressions, over HTTP on a real server (issue #10,
 * findings 2, 11 and 12): each hostile request is refused with a 4xx naming what and where,
 * nothing is stored, and the server keeps answering.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { bpmn, flow } from '../helpers/engine.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer();
const tokens: Record<string, string> = {};

beforeAll(async () => {
  tokens.admin = await t.login('admin', TEST_ADMIN_PASSWORD);
  const created = await t.request('POST', '/api/users', {
    token: tokens.admin,
    body: { username: 'wang', displayName: 'Wang', password: 'wang-password-1', role: 'staff' },
  });
  expect(created.status).toBe(201);
  tokens.staff = await t.login('wang', 'wang-password-1');
});

const deploy = (xml: string) => t.request('POST', '/api/definitions', { token: tokens.admin, body: { xml } });
const start = (definitionKey: string, variables: Record<string, unknown> = {}, token = tokens.admin) =>
  t.request('POST', '/api/instances', { token, body: { definitionKey, variables } });

async function instancesOf(definitionKey: string): Promise<number> {
  const [{ count }] = await t.server.ctx.db('process_instances').where({ definition_key: definitionKey }).count();
  return Number(count);
}

async function expectAlive(): Promise<void> {
  const health = await t.request('GET', '/api/health');
  expect(health.status).toBe(200);
}

const miProcess = bpmn(`<process id="hugeLoop" isExecutable="true">
  <startEvent id="s"/>
  <userTask id="sign" camunda:assignee="admin">
    <multiInstanceLoopCharacteristics><loopCardinality>\${n}</loopCardinality></multiInstanceLoopCharacteristics>
  </userTask>
  <endEvent id="e"/>
  ${flow('s', 'sign')}${flow('sign', 'e')}
</process>`);

describe('multi-instance size', () => {
  it('refuses a loop cardinality of 1e9 with a 422 naming the element and the limit, and stays up', async () => {
    expect((await deploy(miProcess)).status).toBe(201);
    const started = await start('hugeLoop', { n: 1_000_000_000 });
    expect(started.status).toBe(422);
    expect(started.body.error).toMatchObject({
      code: 'cardinality_exceeded',
      message: expect.stringMatching(/"sign".*1000000000.*at most 1000 .*LIUZHUAN_MAX_CARDINALITY/),
      details: [{ pointer: 'sign', message: expect.any(String) }],
    });
    expect(await instancesOf('hugeLoop')).toBe(0);
    await expectAlive();
    // At the limit it runs.
    const allowed = await start('hugeLoop', { n: 3 });
    expect(allowed.status).toBe(201);
  });

  it('refuses a literal cardinality above the limit at deploy', async () => {
    const deployed = await deploy(miProcess.replace('${n}', '1000000000'));
    expect(deployed.status).toBe(422);
    expect(deployed.body.error.details).toEqual([
      expect.objectContaining({ pointer: 'sign', message: expect.stringMatching(/loopCardinality 1000000000 is more than the 1000/) }),
    ]);
  });
});

describe('tokens of one instance', () => {
  it('refuses nested multi-instances that multiply past the token limit, naming where', async () => {
    // 1,000 sub-processes × 1,000 signers each: every level is allowed, the product is not.
    const xml = bpmn(`<process id="nestedMi" isExecutable="true">
      <startEvent id="s"/>
      <subProcess id="teams">
        <multiInstanceLoopCharacteristics><loopCardinality>1000</loopCardinality></multiInstanceLoopCharacteristics>
        <startEvent id="in"/>
        <userTask id="member" camunda:assignee="admin">
          <multiInstanceLoopCharacteristics><loopCardinality>1000</loopCardinality></multiInstanceLoopCharacteristics>
        </userTask>
        ${flow('in', 'member')}
      </subProcess>
      ${flow('s', 'teams')}
    </process>`);
    expect((await deploy(xml)).status).toBe(201);
    const started = await start('nestedMi');
    expect(started.status).toBe(422);
    expect(started.body.error).toMatchObject({
      code: 'too_many_tokens',
      message: expect.stringMatching(/more than 10000 tokens at once \(LIUZHUAN_MAX_TOKENS\)/),
      details: [{ pointer: 'member', message: 'more than 10000 tokens' }],
    });
    expect(await instancesOf('nestedMi')).toBe(0);
    await expectAlive();
  });
});

describe('expression budget', () => {
  it('stops a nested FEEL for-loop started by a staff user with a 422 naming the gateway; the server stays up', async () => {
    const xml = bpmn(`<process id="feelBomb" isExecutable="true">
      <startEvent id="s"/>
      <exclusiveGateway id="gw" default="gw-e"/>
      <userTask id="big" camunda:assignee="admin"/>
      <endEvent id="e"/>
      ${flow('s', 'gw')}
      ${flow('gw', 'big', '= count(for i in 1..100000 return for j in 1..100000 return i) > 0')}
      ${flow('gw', 'e')}${flow('big', 'e')}
    </process>`);
    expect((await deploy(xml)).status).toBe(201);
    const started = await start('feelBomb', {}, tokens.staff);
    expect(started.status).toBe(422);
    expect(started.body.error).toMatchObject({
      code: 'expression_budget_exceeded',
      details: [{ pointer: 'gw', message: expect.stringMatching(/FEEL evaluation stopped/) }],
    });
    expect(await instancesOf('feelBomb')).toBe(0);
    await expectAlive();
    // The sandbox is replaced: the next FEEL evaluation works.
    const fine = bpmn(`<process id="feelFine" isExecutable="true">
      <startEvent id="s"/><exclusiveGateway id="gw" default="gw-e"/><userTask id="big" camunda:assignee="admin"/><endEvent id="e"/>
      ${flow('s', 'gw')}${flow('gw', 'big', '= count(for i in 1..10 return i) = 10')}${flow('gw', 'e')}${flow('big', 'e')}
    </process>`);
    expect((await deploy(fine)).status).toBe(201);
    expect((await start('feelFine')).status).toBe(201);
  });
});

describe('runaway models', () => {
  it('refuses a timer cycle shorter than the minimum interval at deploy', async () => {
    const deployed = await deploy(
      bpmn(`<process id="tooOften" isExecutable="true">
        <startEvent id="tick"><timerEventDefinition><timeCycle>R/PT0.001S</timeCycle></timerEventDefinition></startEvent>
        <endEvent id="e"/>${flow('tick', 'e')}
      </process>`),
    );
    expect(deployed.status).toBe(422);
    expect(deployed.body.error.details).toEqual([
      expect.objectContaining({ pointer: 'tick', message: expect.stringMatching(/fires every 1 ms; the shortest allowed interval is 1 min/) }),
    ]);
    const cron = await deploy(
      bpmn(`<process id="cronOften" isExecutable="true">
        <startEvent id="tick"><timerEventDefinition><timeCycle>0/5 * * * * ?</timeCycle></timerEventDefinition></startEvent>
        <endEvent id="e"/>${flow('tick', 'e')}
      </process>`),
    );
    expect(cron.status).toBe(422);
    expect(cron.body.error.details[0]).toMatchObject({ pointer: 'tick', message: expect.stringMatching(/fires every 5 s/) });
  });

  it('stops a gateway loop without a wait state with a 422 naming where it ran', async () => {
    expect(
      (
        await deploy(
          bpmn(`<process id="spin" isExecutable="true">
            <startEvent id="s"/><task id="work"/><exclusiveGateway id="again"/><endEvent id="e"/>
            ${flow('s', 'work')}${flow('work', 'again')}${flow('again', 'work', '${true}')}${flow('again', 'e', '${false}')}
          </process>`),
        )
      ).status,
    ).toBe(201);
    const started = await start('spin');
    expect(started.status).toBe(422);
    expect(started.body.error.code).toBe('step_budget_exceeded');
    expect(started.body.error.message).toMatch(/ran 20000 steps \(LIUZHUAN_MAX_STEPS\)/);
    expect(started.body.error.details.map((detail: { pointer: string }) => detail.pointer)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^(work|again)$/)]),
    );
    expect(await instancesOf('spin')).toBe(0);
    await expectAlive();
  });

  it('refuses a parallel join fed from its own downstream at deploy, and keeps legitimate loops', async () => {
    const selfLoop = await deploy(
      bpmn(`<process id="selfJoin" isExecutable="true">
        <startEvent id="s"/><parallelGateway id="join"/><endEvent id="e"/>
        ${flow('s', 'join')}${flow('join', 'join')}${flow('join', 'e')}
      </process>`),
    );
    expect(selfLoop.status).toBe(422);
    expect(selfLoop.body.error.details).toEqual([
      expect.objectContaining({ pointer: 'join', message: expect.stringMatching(/can never fire.*'join-join' comes from the gateway itself/) }),
    ]);
    const downstream = await deploy(
      bpmn(`<process id="downJoin" isExecutable="true">
        <startEvent id="s"/><parallelGateway id="join"/><task id="after"/><exclusiveGateway id="x"/><endEvent id="e"/>
        ${flow('s', 'join')}${flow('join', 'after')}${flow('after', 'x')}${flow('x', 'join', '${again}')}${flow('x', 'e', '${!again}')}
      </process>`),
    );
    expect(downstream.status).toBe(422);
    expect(downstream.body.error.details[0]).toMatchObject({ pointer: 'join', message: expect.stringMatching(/'x-join' comes from 'x', after the gateway/) });

    // A loop back through an exclusive merge before the fork is fine and runs.
    const legit = await deploy(
      bpmn(`<process id="loopOk" isExecutable="true">
        <startEvent id="s"/><exclusiveGateway id="merge"/><parallelGateway id="fork"/><task id="a"/><task id="b"/>
        <parallelGateway id="join"/><exclusiveGateway id="x"/><endEvent id="e"/>
        ${flow('s', 'merge')}${flow('merge', 'fork')}${flow('fork', 'a')}${flow('fork', 'b')}${flow('a', 'join')}${flow('b', 'join')}
        ${flow('join', 'x')}${flow('x', 'merge', '${false}')}${flow('x', 'e', '${true}')}
      </process>`),
    );
    expect(legit.status).toBe(201);
    const ran = await start('loopOk');
    expect(ran.body).toMatchObject({ status: 'completed' });
  });

  it('refuses a start that would leave only tokens waiting at a join nothing can reach', async () => {
    // An exclusive split into a parallel join: deploys (both branches can be taken), but one
    // token can never join. The instance would be `active` forever with nothing to wait on.
    expect(
      (
        await deploy(
          bpmn(`<process id="zombie" isExecutable="true">
            <startEvent id="s"/><exclusiveGateway id="x"/><task id="a"/><task id="b"/><parallelGateway id="join"/><endEvent id="e"/>
            ${flow('s', 'x')}${flow('x', 'a', '${true}')}${flow('x', 'b', '${false}')}${flow('a', 'join')}${flow('b', 'join')}${flow('join', 'e')}
          </process>`),
        )
      ).status,
    ).toBe(201);
    const started = await start('zombie');
    expect(started.status).toBe(422);
    expect(started.body.error).toMatchObject({
      code: 'stuck_tokens',
      details: [{ pointer: 'join', message: 'waits for tokens that can never arrive' }],
    });
    expect(await instancesOf('zombie')).toBe(0);
  });
});

describe('model and step size', () => {
  function chain(id: string, tasks: number): string {
    const nodes = Array.from({ length: tasks }, (_, index) => `<task id="t${index}"/>`).join('');
    const flows = Array.from({ length: tasks - 1 }, (_, index) => flow(`t${index}`, `t${index + 1}`)).join('');
    return bpmn(`<process id="${id}" isExecutable="true"><startEvent id="s"/>${nodes}<endEvent id="e"/>
      ${flow('s', 't0')}${flows}${flow(`t${tasks - 1}`, 'e')}</process>`);
  }

  it('refuses a 10,000-element chain at deploy with a 422 naming the process and the limit', async () => {
    const deployed = await deploy(chain('longChain', 10_000));
    expect(deployed.status).toBe(422);
    expect(deployed.body.error.details).toEqual([
      expect.objectContaining({ pointer: 'longChain', message: expect.stringMatching(/20003 elements .*at most 5000 .*LIUZHUAN_MAX_MODEL_ELEMENTS/) }),
    ]);
  });

  it('runs a chain just under the limit in one step', async () => {
    expect((await deploy(chain('shortEnough', 2_400))).status).toBe(201);
    const started = await start('shortEnough');
    expect(started.status).toBe(201);
    expect(started.body.status).toBe('completed');
  });

  it('writes a legal step of more than 65,535 bind parameters (10,000 history rows) in chunks', async () => {
    // 1,000 inner instances × (sub-process, start, 7 tasks, end) = 10,000 history rows at 9 columns each.
    const tasks = Array.from({ length: 7 }, (_, index) => `<task id="t${index}"/>`).join('');
    const flows = Array.from({ length: 6 }, (_, index) => flow(`t${index}`, `t${index + 1}`)).join('');
    const xml = bpmn(`<process id="wideStep" isExecutable="true">
      <startEvent id="s"/>
      <subProcess id="each">
        <multiInstanceLoopCharacteristics><loopCardinality>1000</loopCardinality></multiInstanceLoopCharacteristics>
        <startEvent id="in"/>${tasks}<endEvent id="out"/>${flow('in', 't0')}${flows}${flow('t6', 'out')}
      </subProcess>
      <userTask id="check" camunda:assignee="admin"/>
      ${flow('s', 'each')}${flow('each', 'check')}
    </process>`);
    expect((await deploy(xml)).status).toBe(201);
    const started = await start('wideStep');
    expect(started.status).toBe(201);
    const [{ count }] = await t.server.ctx.db('activity_history').where({ instance_id: started.body.id }).count();
    expect(Number(count)).toBeGreaterThan(65_535 / 9);
    const tasksNow = await t.request('GET', `/api/tasks?instanceId=${started.body.id}`, { token: tokens.admin });
    expect(tasksNow.body.map((task: { elementId: string }) => task.elementId)).toEqual(['check']);
  });
});

describe('timers out of range', () => {
  it('refuses a P99999999999Y duration at deploy, naming the element', async () => {
    const deployed = await deploy(
      bpmn(`<process id="farAway" isExecutable="true">
        <startEvent id="s"/>
        <intermediateCatchEvent id="wait"><timerEventDefinition><timeDuration>P99999999999Y</timeDuration></timerEventDefinition></intermediateCatchEvent>
        <endEvent id="e"/>${flow('s', 'wait')}${flow('wait', 'e')}
      </process>`),
    );
    expect(deployed.status).toBe(422);
    expect(deployed.body.error.details).toEqual([
      expect.objectContaining({ pointer: 'wait', message: expect.stringMatching(/longer than 1000 years/) }),
    ]);
  });

  it('refuses a computed out-of-range duration at run time with a 422, not a 500', async () => {
    expect(
      (
        await deploy(
          bpmn(`<process id="farComputed" isExecutable="true">
            <startEvent id="s"/>
            <intermediateCatchEvent id="wait"><timerEventDefinition><timeDuration>\${wait}</timeDuration></timerEventDefinition></intermediateCatchEvent>
            <endEvent id="e"/>${flow('s', 'wait')}${flow('wait', 'e')}
          </process>`),
        )
      ).status,
    ).toBe(201);
    const started = await start('farComputed', { wait: 'P99999999999Y' });
    expect(started.status).toBe(422);
    expect(started.body.error).toMatchObject({ code: 'invalid_timer', details: [{ pointer: 'wait', message: expect.stringMatching(/longer than 1000 years/) }] });
    expect(await instancesOf('farComputed')).toBe(0);
  });
});

describe('deeply nested input', () => {
  it('answers 422 naming where a 5,000-deep JSON body gets too deep, and stays up', async () => {
    const xml = bpmn(`<process id="plainStart" isExecutable="true">
      <startEvent id="s"/><userTask id="u" camunda:assignee="admin"/>${flow('s', 'u')}
    </process>`);
    expect((await deploy(xml)).status).toBe(201);
    // Written as text: JSON.stringify itself would overflow the test's stack at this depth.
    const deep = `{"definitionKey":"plainStart","variables":{"deep":${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}}}`;
    const response = await fetch(`${t.url}/api/instances`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.admin}` },
      body: deep,
    });
    expect(response.status).toBe(422);
    const { error } = await response.json();
    expect(error).toMatchObject({ code: 'too_deeply_nested', message: 'The request body nests deeper than 64 levels' });
    expect(error.details[0].pointer).toMatch(/^\/variables\/deep(\/a)+$/);
    expect(await instancesOf('plainStart')).toBe(0);
    await expectAlive();
    // 60 levels are fine.
    let fine: unknown = 1;
    for (let level = 0; level < 60; level += 1) fine = { a: fine };
    const ok = await t.request('POST', '/api/instances', { token: tokens.admin, body: { definitionKey: 'plainStart', variables: { fine } } });
    expect(ok.status).toBe(201);
  });
});
