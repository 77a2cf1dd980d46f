/**
 * Returning from an inner task of a parallel multi-instance (会签): the whole body is
 * interrupted — every signer's task is cancelled — and the token goes back to the target.
 */
import { describe, expect, it } from 'vitest';
import { ADMIN, bpmn, flow, useEngine } from '../helpers/engine.ts';

const h = useEngine();

describe('return from a multi-instance node', () => {
  it('cancels every inner task and enters the earlier node again with the data kept', async () => {
    await h.deploy(
      bpmn(`<process id="countersign" isExecutable="true">
        <startEvent id="s"/>
        <userTask id="draft" camunda:assignee="admin"/>
        <userTask id="sign" camunda:assignee="\${signer}">
          <multiInstanceLoopCharacteristics camunda:collection="signers" camunda:elementVariable="signer"/>
        </userTask>
        <endEvent id="e"/>
        ${flow('s', 'draft')}${flow('draft', 'sign')}${flow('sign', 'e')}
      </process>`),
    );
    const { id } = await h.engine.startInstance({ definitionKey: 'countersign', variables: { signers: ['a', 'b', 'c'], title: 'x' } });
    await h.complete(id, 'draft');
    const inner = await h.openTasks(id);
    expect(inner).toHaveLength(3);
    await h.engine.returnTask({ taskId: inner[1]!.id, toElementId: 'draft', actor: ADMIN, comment: 'redo' });
    expect(await h.active(id)).toEqual(['draft']);
    const open = await h.openTasks(id);
    expect(open).toEqual([expect.objectContaining({ elementId: 'draft' })]);
    const statuses = await h.engine.deps.db('tasks').whereIn('id', inner.map((task) => task.id)).pluck('status');
    expect(statuses).toEqual(['cancelled', 'cancelled', 'cancelled']);
    expect((await h.engine.getInstance(id)).variables).toMatchObject({ signers: ['a', 'b', 'c'], title: 'x' });
    await h.complete(id, 'draft');
    expect(await h.openTasks(id)).toHaveLength(3);
  });
});
