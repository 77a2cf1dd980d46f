/** Which tokens and waits can move to another version of a process (engine/packages/migrate/compatibility.ts). */
import { describe, expect, it } from 'vitest';
import { compileBpmn } from '../../engine/bpmn/compile.ts';
import { checkInstanceCompatibility } from '../../engine/packages/migrate/compatibility.ts';
import type { InstanceState } from '../../engine/runtime/state.ts';
import { bpmn, flow } from '../helpers/engine.ts';

async function model(body: string, extra = '') {
  return (await compileBpmn(bpmn(`<process id="p" isExecutable="true">${body}</process>`, extra))).processes[0]!;
}

const MESSAGES = '<message id="m1" name="paid"/><message id="m2" name="cancelled"/>';
const V1 = `<startEvent id="s"/>${flow('s', 'fork')}<parallelGateway id="fork"/>${flow('fork', 'approve')}${flow('fork', 'wait')}
  <userTask id="approve"/>${flow('approve', 'join')}
  <intermediateCatchEvent id="wait"><messageEventDefinition messageRef="m1"/></intermediateCatchEvent>${flow('wait', 'join')}
  <parallelGateway id="join"/>${flow('join', 'e')}<endEvent id="e"/>`;

const state = (...leaves: Array<{ elementId: string; status?: 'waiting' | 'joining'; arrivedVia?: string }>): InstanceState => ({
  executions: [
    { id: 'root', parentId: null, elementId: 'p', status: 'waiting' },
    ...leaves.map((leaf, index) => ({ id: `t${index}`, parentId: 'root', status: leaf.status ?? 'waiting', elementId: leaf.elementId, arrivedVia: leaf.arrivedVia })),
  ],
});

describe('instance migration compatibility', () => {
  it('the same model: every wait can move', async () => {
    const v1 = await model(V1, MESSAGES);
    const waits = [{ kind: 'subscription' as const, type: 'message', elementId: 'wait', eventName: 'paid' }];
    expect(checkInstanceCompatibility(state({ elementId: 'approve' }, { elementId: 'wait' }), waits, v1, v1)).toEqual({ waitingAt: ['approve', 'wait'], reasons: [] });
  });

  it('names each obstacle: a removed node, a changed type, another message, a join fed by a flow that is gone', async () => {
    const v1 = await model(V1, MESSAGES);
    const v2 = await model(
      `<startEvent id="s"/>${flow('s', 'fork')}<parallelGateway id="fork"/>${flow('fork', 'approve')}${flow('fork', 'wait')}
       <receiveTask id="approve" messageRef="m1"/>${flow('approve', 'join')}
       <intermediateCatchEvent id="wait"><messageEventDefinition messageRef="m2"/></intermediateCatchEvent><sequenceFlow id="late" sourceRef="wait" targetRef="join"/>
       <parallelGateway id="join"/>${flow('join', 'e')}<endEvent id="e"/>`,
      MESSAGES,
    );
    const waits = [{ kind: 'subscription' as const, type: 'message', elementId: 'wait', eventName: 'paid' }];
    const result = checkInstanceCompatibility(state({ elementId: 'approve' }, { elementId: 'wait' }, { elementId: 'join', status: 'joining', arrivedVia: 'wait-join' }), waits, v1, v2);
    expect(result.reasons).toEqual([
      "waits at 'approve', a userTask, which is a receiveTask in the new version",
      "waits at 'wait' for message 'paid', which waits for message 'cancelled' in the new version",
      "joins at 'join' by flow 'wait-join', which the new version does not lead there",
    ]);
    const gone = await model(`<startEvent id="s"/>${flow('s', 'e')}<endEvent id="e"/>`);
    expect(checkInstanceCompatibility(state({ elementId: 'approve' }), [{ kind: 'job', type: 'task:reminder', elementId: 'approve' }], v1, gone).reasons).toEqual([
      "waits at 'approve' which the new version does not have",
    ]);
    // A job or subscription of an element no token names (a boundary timer) is named itself.
    const withBoundary = await model(
      V1.replace('<userTask id="approve"/>', `<userTask id="approve"/><boundaryEvent id="approveLate" attachedToRef="approve" cancelActivity="false"><timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition></boundaryEvent>${flow('approveLate', 'e')}`),
      MESSAGES,
    );
    expect(checkInstanceCompatibility(state({ elementId: 'approve' }), [{ kind: 'job', type: 'timer', elementId: 'approveLate' }], withBoundary, v1).reasons).toEqual([
      "has a timer job at 'approveLate' which the new version does not have",
    ]);
  });
});
