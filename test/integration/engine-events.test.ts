import { describe, expect, it } from 'vitest';
import { bpmn, flow, useEngine } from '../helpers/engine.ts';

const t = useEngine();

describe('boundary events', () => {
  it('a non-interrupting message boundary starts a side path and leaves the task open', async () => {
    await t.deploy(
      bpmn(
        `<process id="nonint" isExecutable="true">
          <startEvent id="start"/>
          <userTask id="handle"/>
          <boundaryEvent id="urge" attachedToRef="handle" cancelActivity="false"><messageEventDefinition messageRef="m"/></boundaryEvent>
          <userTask id="callBack"/>
          <endEvent id="end"/>
          ${flow('start', 'handle')}
          ${flow('urge', 'callBack')}
          ${flow('handle', 'end')}
        </process>`,
        '<message id="m" name="customerChased"/>',
      ),
    );
    const { id } = await t.engine.startInstance({ definitionKey: 'nonint', businessKey: 'C-1' });
    await t.engine.correlateMessage({ messageName: 'customerChased', correlationKey: 'C-1' });
    expect(await t.active(id)).toEqual(['callBack', 'handle']);
    // Still subscribed while the host is active: a second chase makes a second call-back.
    await t.engine.correlateMessage({ messageName: 'customerChased', correlationKey: 'C-1' });
    expect((await t.openTasks(id)).filter((task) => task.elementId === 'callBack')).toHaveLength(2);
    await t.complete(id, 'handle');
    await expect(t.engine.correlateMessage({ messageName: 'customerChased', correlationKey: 'C-1' })).rejects.toMatchObject({
      status: 404,
    });
  });

  it('an interrupting timer boundary is a job; firing it cancels the task and moves on', async () => {
    await t.deploy(
      bpmn(`<process id="sla" isExecutable="true">
        <startEvent id="start"/>
        <userTask id="respond"/>
        <boundaryEvent id="late" attachedToRef="respond"><timerEventDefinition><timeDuration>PT4H</timeDuration></timerEventDefinition></boundaryEvent>
        <userTask id="escalate"/>
        <endEvent id="end"/>
        ${flow('start', 'respond')}
        ${flow('respond', 'end')}
        ${flow('late', 'escalate')}
      </process>`),
    );
    const { id } = await t.engine.startInstance({ definitionKey: 'sla' });
    const [job] = await t.engine.listJobs({ instanceId: id });
    expect(job).toMatchObject({ type: 'timer', elementId: 'late' });
    expect(job!.dueAt.getTime() - t.clock.now.getTime()).toBe(4 * 3600_000);
    expect(await t.engine.executeJob(job!.id)).toMatchObject({ status: 'executed' });
    expect(await t.active(id)).toEqual(['escalate']);
    const respond = await t.engine.deps.db('tasks').where({ instance_id: id, element_id: 'respond' }).first();
    expect(respond.status).toBe('cancelled');
    expect(await t.engine.listJobs({ instanceId: id })).toHaveLength(0);
  });
});

describe('messages', () => {
  it('correlate to the right one of two waiting instances by business key', async () => {
    await t.deploy(
      bpmn(
        `<process id="await" isExecutable="true">
          <startEvent id="start"/>
          <receiveTask id="waitReply" messageRef="reply"/>
          <userTask id="review"/>
          ${flow('start', 'waitReply')}
          ${flow('waitReply', 'review')}
        </process>`,
        '<message id="reply" name="customerReply"/>',
      ),
    );
    const first = await t.engine.startInstance({ definitionKey: 'await', businessKey: 'A' });
    const second = await t.engine.startInstance({ definitionKey: 'await', businessKey: 'B' });
    await expect(t.engine.correlateMessage({ messageName: 'customerReply' })).rejects.toMatchObject({ status: 409 });
    const result = await t.engine.correlateMessage({ messageName: 'customerReply', correlationKey: 'B', variables: { text: 'ok' } });
    expect(result).toEqual({ instanceId: second.id, started: false });
    expect(await t.active(second.id)).toEqual(['review']);
    expect(await t.active(first.id)).toEqual(['waitReply']);
    expect((await t.engine.getInstance(second.id)).variables).toMatchObject({ text: 'ok' });
  });

  it('a message start event starts a new instance with the correlation key as business key', async () => {
    await t.deploy(
      bpmn(
        `<process id="complaintIntake" isExecutable="true">
          <startEvent id="received"><messageEventDefinition messageRef="c"/></startEvent>
          <userTask id="triage"/>
          ${flow('received', 'triage')}
        </process>`,
        '<message id="c" name="complaintReceived"/>',
      ),
    );
    const result = await t.engine.correlateMessage({ messageName: 'complaintReceived', correlationKey: 'T-9', variables: { severity: 'high' } });
    expect(result.started).toBe(true);
    const instance = await t.engine.getInstance(result.instanceId);
    expect(instance).toMatchObject({ businessKey: 'T-9', activeElementIds: ['triage'], variables: { severity: 'high' } });
  });

  it('an unknown message answers 404', async () => {
    await expect(t.engine.correlateMessage({ messageName: 'nobodyListens' })).rejects.toMatchObject({ status: 404 });
  });
});

describe('signals', () => {
  it('are broadcast to every waiting instance, including a thrown signal inside a process', async () => {
    await t.deploy(
      bpmn(
        `<process id="listener" isExecutable="true">
          <startEvent id="start"/>
          <intermediateCatchEvent id="alert"><signalEventDefinition signalRef="s"/></intermediateCatchEvent>
          <userTask id="react"/>
          ${flow('start', 'alert')}
          ${flow('alert', 'react')}
        </process>
        <process id="thrower" isExecutable="true">
          <startEvent id="tStart"/>
          <intermediateThrowEvent id="raise"><signalEventDefinition signalRef="s"/></intermediateThrowEvent>
          <endEvent id="tEnd"/>
          ${flow('tStart', 'raise')}
          ${flow('raise', 'tEnd')}
        </process>`,
        '<signal id="s" name="recall"/>',
      ),
    );
    const a = await t.engine.startInstance({ definitionKey: 'listener' });
    const b = await t.engine.startInstance({ definitionKey: 'listener' });
    const thrower = await t.engine.startInstance({ definitionKey: 'thrower' });
    expect(await t.status(thrower.id)).toBe('completed');
    expect(await t.active(a.id)).toEqual(['react']);
    expect(await t.active(b.id)).toEqual(['react']);
    const c = await t.engine.startInstance({ definitionKey: 'listener' });
    expect(await t.engine.broadcastSignal({ signalName: 'recall' })).toEqual({ delivered: 1 });
    expect(await t.active(c.id)).toEqual(['react']);
  });
});

describe('end events and timers', () => {
  it('a terminate end event ends every other token', async () => {
    await t.deploy(
      bpmn(`<process id="term" isExecutable="true">
        <startEvent id="start"/>
        <parallelGateway id="fork"/>
        <userTask id="slow"/>
        <endEvent id="stop"><terminateEventDefinition/></endEvent>
        ${flow('start', 'fork')}
        ${flow('fork', 'slow')}
        ${flow('fork', 'stop')}
      </process>`),
    );
    const { id } = await t.engine.startInstance({ definitionKey: 'term' });
    expect(await t.status(id)).toBe('terminated');
    expect(await t.openTasks(id)).toHaveLength(0);
  });

  it('an intermediate timer waits as a job with its due date', async () => {
    await t.deploy(
      bpmn(`<process id="pause" isExecutable="true">
        <startEvent id="start"/>
        <intermediateCatchEvent id="wait"><timerEventDefinition><timeDuration>\${waitTime}</timeDuration></timerEventDefinition></intermediateCatchEvent>
        <endEvent id="end"/>
        ${flow('start', 'wait')}
        ${flow('wait', 'end')}
      </process>`),
    );
    const { id } = await t.engine.startInstance({ definitionKey: 'pause', variables: { waitTime: 'P2D' } });
    const [job] = await t.engine.listJobs({ instanceId: id });
    expect(job!.dueAt.toISOString()).toBe('2026-11-25T08:00:00.000Z');
    await t.engine.executeJob(job!.id);
    expect(await t.status(id)).toBe('completed');
    expect(await t.visited(id)).toEqual(['start', 'wait', 'end']);
  });
});
