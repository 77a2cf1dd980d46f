import { describe, expect, it } from 'vitest';
import { bpmn, flow, useEngine } from '../helpers/engine.ts';

const t = useEngine();

describe('embedded sub-process', () => {
  it('an error thrown inside is caught by a boundary error event outside it', async () => {
    await t.deploy(
      bpmn(
        `<process id="errs" isExecutable="true">
          <startEvent id="start"/>
          <subProcess id="check">
            <startEvent id="innerStart"/>
            <exclusiveGateway id="ok" default="ok-fine"/>
            <endEvent id="fail"><errorEventDefinition errorRef="credit"/></endEvent>
            <endEvent id="fine"/>
            <userTask id="parallelWork"/>
            ${flow('innerStart', 'ok')}
            ${flow('ok', 'fail', 'score < 50')}
            ${flow('ok', 'fine')}
          </subProcess>
          <boundaryEvent id="caught" attachedToRef="check"><errorEventDefinition errorRef="credit"/></boundaryEvent>
          <userTask id="manualReview"/>
          <userTask id="approve"/>
          ${flow('start', 'check')}
          ${flow('check', 'approve')}
          ${flow('caught', 'manualReview')}
        </process>`,
        '<error id="credit" errorCode="CREDIT_LOW"/>',
      ),
    );
    const bad = await t.engine.startInstance({ definitionKey: 'errs', variables: { score: 10 } });
    expect(await t.active(bad.id)).toEqual(['manualReview']);
    const good = await t.engine.startInstance({ definitionKey: 'errs', variables: { score: 90 } });
    expect(await t.active(good.id)).toEqual(['approve']);
  });

  it('an error event sub-process takes precedence over the boundary event', async () => {
    await t.deploy(
      bpmn(
        `<process id="precedence" isExecutable="true">
          <startEvent id="start"/>
          <subProcess id="sub">
            <startEvent id="s1"/>
            <endEvent id="boom"><errorEventDefinition errorRef="e"/></endEvent>
            ${flow('s1', 'boom')}
            <subProcess id="handler" triggeredByEvent="true">
              <startEvent id="hStart"><errorEventDefinition errorRef="e"/></startEvent>
              <userTask id="handledInside"/>
              ${flow('hStart', 'handledInside')}
            </subProcess>
          </subProcess>
          <boundaryEvent id="outside" attachedToRef="sub"><errorEventDefinition errorRef="e"/></boundaryEvent>
          <userTask id="handledOutside"/>
          <userTask id="after"/>
          ${flow('start', 'sub')}
          ${flow('sub', 'after')}
          ${flow('outside', 'handledOutside')}
        </process>`,
        '<error id="e" errorCode="E1"/>',
      ),
    );
    const { id } = await t.engine.startInstance({ definitionKey: 'precedence' });
    expect(await t.active(id)).toEqual(['handledInside', 'handler', 'sub']);
    await t.complete(id, 'handledInside');
    expect(await t.active(id)).toEqual(['after']);
  });

  it('a non-interrupting message event sub-process runs beside the main flow', async () => {
    await t.deploy(
      bpmn(
        `<process id="esp" isExecutable="true">
          <startEvent id="start"/>
          <userTask id="work"/>
          <endEvent id="end"/>
          ${flow('start', 'work')}
          ${flow('work', 'end')}
          <subProcess id="onQuery" triggeredByEvent="true">
            <startEvent id="qStart" isInterrupting="false"><messageEventDefinition messageRef="q"/></startEvent>
            <userTask id="answer"/>
            ${flow('qStart', 'answer')}
          </subProcess>
        </process>`,
        '<message id="q" name="statusQuery"/>',
      ),
    );
    const { id } = await t.engine.startInstance({ definitionKey: 'esp', businessKey: 'Q1' });
    await t.engine.correlateMessage({ messageName: 'statusQuery', correlationKey: 'Q1' });
    expect(await t.active(id)).toEqual(['answer', 'onQuery', 'work']);
    await t.complete(id, 'work');
    expect(await t.status(id)).toBe('active');
    await t.complete(id, 'answer');
    expect(await t.status(id)).toBe('completed');
  });
});

describe('call activity', () => {
  it('passes variables in and out and waits for the called process', async () => {
    await t.deploy(
      bpmn(`<process id="survey" isExecutable="true">
        <startEvent id="sStart"/>
        <userTask id="rate"/>
        <endEvent id="sEnd"/>
        ${flow('sStart', 'rate')}
        ${flow('rate', 'sEnd')}
      </process>`),
    );
    await t.deploy(
      bpmn(`<process id="revisit" isExecutable="true">
        <startEvent id="start"/>
        <callActivity id="callSurvey" calledElement="survey">
          <extensionElements>
            <camunda:in source="customer" target="who"/>
            <camunda:out source="score" target="satisfaction"/>
          </extensionElements>
        </callActivity>
        <userTask id="followUp"/>
        ${flow('start', 'callSurvey')}
        ${flow('callSurvey', 'followUp')}
      </process>`),
    );
    const { id } = await t.engine.startInstance({ definitionKey: 'revisit', variables: { customer: '华为', secret: 1 } });
    expect(await t.active(id)).toEqual(['callSurvey']);
    const [child] = await t.engine.deps.db('process_instances').where({ parent_instance_id: id });
    expect(child.variables).toEqual({ who: '华为' });
    await t.complete(child.id, 'rate', { score: 95 });
    expect(await t.status(child.id)).toBe('completed');
    expect(await t.active(id)).toEqual(['followUp']);
    expect((await t.engine.getInstance(id)).variables).toEqual({ customer: '华为', secret: 1, satisfaction: 95 });
  });
});

describe('multi-instance', () => {
  it('sequential stops early when its completion condition holds', async () => {
    await t.deploy(
      bpmn(`<process id="seq" isExecutable="true">
        <startEvent id="start"/>
        <userTask id="vote" camunda:assignee="\${voter}">
          <multiInstanceLoopCharacteristics isSequential="true" camunda:collection="voters" camunda:elementVariable="voter">
            <completionCondition>\${approvals >= 2}</completionCondition>
          </multiInstanceLoopCharacteristics>
        </userTask>
        <userTask id="done"/>
        ${flow('start', 'vote')}
        ${flow('vote', 'done')}
      </process>`),
    );
    const { id } = await t.engine.startInstance({
      definitionKey: 'seq',
      variables: { voters: ['zhang', 'li', 'wang', 'zhao'], approvals: 0 },
    });
    let [task] = await t.openTasks(id);
    expect(task!.assignee).toBe('zhang');
    await t.complete(id, 'vote', { approvals: 1 });
    [task] = await t.openTasks(id);
    expect(task!.assignee).toBe('li');
    await t.complete(id, 'vote', { approvals: 2 });
    expect(await t.active(id)).toEqual(['done']);
    expect((await t.visited(id)).filter((element) => element === 'vote')).toHaveLength(2);
  });

  it('parallel creates one task per item and finishes when all complete', async () => {
    await t.deploy(
      bpmn(`<process id="par" isExecutable="true">
        <startEvent id="start"/>
        <userTask id="sign" camunda:assignee="\${signer}">
          <multiInstanceLoopCharacteristics camunda:collection="signers" camunda:elementVariable="signer"/>
        </userTask>
        <endEvent id="end"/>
        ${flow('start', 'sign')}
        ${flow('sign', 'end')}
      </process>`),
    );
    const { id } = await t.engine.startInstance({ definitionKey: 'par', variables: { signers: ['a', 'b', 'c'] } });
    const tasks = await t.openTasks(id);
    expect(tasks.map((task) => task.assignee).sort()).toEqual(['a', 'b', 'c']);
    for (const task of tasks) await t.engine.completeTask({ taskId: task.id, variables: {}, actor: (await import('../helpers/engine.ts')).ADMIN });
    expect(await t.status(id)).toBe('completed');
  });

  it('loopCardinality with a completion condition on nrOfCompletedInstances', async () => {
    await t.deploy(
      bpmn(`<process id="card" isExecutable="true">
        <startEvent id="start"/>
        <userTask id="review">
          <multiInstanceLoopCharacteristics>
            <loopCardinality>3</loopCardinality>
            <completionCondition>\${nrOfCompletedInstances/nrOfInstances >= 0.5}</completionCondition>
          </multiInstanceLoopCharacteristics>
        </userTask>
        <endEvent id="end"/>
        ${flow('start', 'review')}
        ${flow('review', 'end')}
      </process>`),
    );
    const { id } = await t.engine.startInstance({ definitionKey: 'card' });
    const tasks = await t.openTasks(id);
    expect(tasks).toHaveLength(3);
    const { ADMIN } = await import('../helpers/engine.ts');
    await t.engine.completeTask({ taskId: tasks[0]!.id, variables: {}, actor: ADMIN });
    expect(await t.status(id)).toBe('active');
    await t.engine.completeTask({ taskId: tasks[1]!.id, variables: {}, actor: ADMIN });
    expect(await t.status(id)).toBe('completed');
    const leftover = await t.engine.deps.db('tasks').where({ id: tasks[2]!.id }).first();
    expect(leftover.status).toBe('cancelled');
  });
});
