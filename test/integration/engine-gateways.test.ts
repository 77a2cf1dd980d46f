import { describe, expect, it } from 'vitest';
import { bpmn, flow, useEngine } from '../helpers/engine.ts';

const t = useEngine();

describe('exclusive gateway', () => {
  const xml = bpmn(`<process id="route" isExecutable="true">
    <startEvent id="start"/>
    <exclusiveGateway id="split" default="split-normal"/>
    <userTask id="big"/>
    <userTask id="normal"/>
    <endEvent id="end"/>
    ${flow('start', 'split')}
    ${flow('split', 'big', 'amount > 1000')}
    ${flow('split', 'normal')}
    ${flow('big', 'end')}
    ${flow('normal', 'end')}
  </process>`);

  it('takes the first true condition, else the default flow', async () => {
    await t.deploy(xml);
    const big = await t.engine.startInstance({ definitionKey: 'route', variables: { amount: 5000 } });
    expect(await t.active(big.id)).toEqual(['big']);
    const small = await t.engine.startInstance({ definitionKey: 'route', variables: { amount: 10 } });
    expect(await t.active(small.id)).toEqual(['normal']);
  });

  it('refuses to start with 422 naming the gateway when no path exists, and stores nothing', async () => {
    await t.deploy(
      bpmn(`<process id="nopath" isExecutable="true">
        <startEvent id="start"/>
        <exclusiveGateway id="gw"/>
        <endEvent id="a"/><endEvent id="b"/>
        ${flow('start', 'gw')}
        ${flow('gw', 'a', '${x == 1}')}
        ${flow('gw', 'b', '${x == 2}')}
      </process>`),
    );
    const before = await t.engine.deps.db('process_instances').count({ n: '*' });
    await expect(t.engine.startInstance({ definitionKey: 'nopath', variables: { x: 3 } })).rejects.toMatchObject({
      status: 422,
      code: 'no_path',
      details: [{ pointer: 'gw' }],
    });
    const after = await t.engine.deps.db('process_instances').count({ n: '*' });
    expect(after).toEqual(before);
  });
});

describe('parallel gateway', () => {
  it('joins after an exclusive branch inside one of the parallel paths', async () => {
    await t.deploy(
      bpmn(`<process id="forkjoin" isExecutable="true">
        <startEvent id="start"/>
        <parallelGateway id="fork"/>
        <userTask id="legal"/>
        <exclusiveGateway id="choose"/>
        <userTask id="cfo"/>
        <userTask id="manager"/>
        <exclusiveGateway id="merge"/>
        <parallelGateway id="join"/>
        <userTask id="sign"/>
        <endEvent id="end"/>
        ${flow('start', 'fork')}
        ${flow('fork', 'legal')}
        ${flow('fork', 'choose')}
        ${flow('choose', 'cfo', 'amount >= 100000')}
        ${flow('choose', 'manager', 'amount < 100000')}
        ${flow('cfo', 'merge')}
        ${flow('manager', 'merge')}
        ${flow('merge', 'join')}
        ${flow('legal', 'join')}
        ${flow('join', 'sign')}
        ${flow('sign', 'end')}
      </process>`),
    );
    const { id } = await t.engine.startInstance({ definitionKey: 'forkjoin', variables: { amount: 500 } });
    expect(await t.active(id)).toEqual(['legal', 'manager']);
    await t.complete(id, 'manager');
    expect(await t.active(id)).toEqual(['join', 'legal']);
    await t.complete(id, 'legal');
    expect(await t.active(id)).toEqual(['sign']);
    await t.complete(id, 'sign');
    expect(await t.status(id)).toBe('completed');
    const visited = await t.visited(id);
    expect(visited).not.toContain('cfo');
    expect(visited.filter((element) => element === 'join')).toHaveLength(2);
  });
});

describe('inclusive gateway', () => {
  const xml = bpmn(`<process id="inclusive" isExecutable="true">
    <startEvent id="start"/>
    <inclusiveGateway id="split"/>
    <userTask id="finance"/>
    <userTask id="legal"/>
    <userTask id="quality"/>
    <inclusiveGateway id="join"/>
    <userTask id="close"/>
    <endEvent id="end"/>
    ${flow('start', 'split')}
    ${flow('split', 'finance', 'billing = true')}
    ${flow('split', 'legal', 'legal = true')}
    ${flow('split', 'quality', 'quality = true')}
    ${flow('finance', 'join')}
    ${flow('legal', 'join')}
    ${flow('quality', 'join')}
    ${flow('join', 'close')}
    ${flow('close', 'end')}
  </process>`);

  it('waits only for the branches that were taken', async () => {
    await t.deploy(xml);
    const { id } = await t.engine.startInstance({
      definitionKey: 'inclusive',
      variables: { billing: true, legal: false, quality: true },
    });
    expect(await t.active(id)).toEqual(['finance', 'quality']);
    await t.complete(id, 'finance');
    expect(await t.active(id)).toEqual(['join', 'quality']);
    await t.complete(id, 'quality');
    expect(await t.active(id)).toEqual(['close']);
    expect(await t.visited(id)).not.toContain('legal');
  });

  it('passes straight through when only one branch is taken', async () => {
    const { id } = await t.engine.startInstance({
      definitionKey: 'inclusive',
      variables: { billing: false, legal: true, quality: false },
    });
    await t.complete(id, 'legal');
    expect(await t.active(id)).toEqual(['close']);
  });
});

describe('event-based gateway', () => {
  it('takes the branch of the first event and drops the other waits', async () => {
    await t.deploy(
      bpmn(
        `<process id="ebg" isExecutable="true">
          <startEvent id="start"/>
          <eventBasedGateway id="wait"/>
          <intermediateCatchEvent id="paid"><messageEventDefinition messageRef="m"/></intermediateCatchEvent>
          <intermediateCatchEvent id="late"><timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition></intermediateCatchEvent>
          <userTask id="thank"/>
          <userTask id="remind"/>
          ${flow('start', 'wait')}
          ${flow('wait', 'paid')}
          ${flow('wait', 'late')}
          ${flow('paid', 'thank')}
          ${flow('late', 'remind')}
        </process>`,
        '<message id="m" name="payment"/>',
      ),
    );
    const { id } = await t.engine.startInstance({ definitionKey: 'ebg', businessKey: 'INV-1' });
    const jobs = await t.engine.listJobs({ instanceId: id });
    expect(jobs).toHaveLength(1);
    await t.engine.correlateMessage({ messageName: 'payment', correlationKey: 'INV-1', variables: { paidAmount: 10 } });
    expect(await t.active(id)).toEqual(['thank']);
    expect(await t.engine.listJobs({ instanceId: id })).toHaveLength(0);
    expect((await t.engine.getInstance(id)).variables).toMatchObject({ paidAmount: 10 });
  });
});
