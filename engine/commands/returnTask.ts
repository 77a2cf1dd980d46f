/** Returns a task (退回) to an earlier node: one command like `completeTask`. */
import { assertActionAllowed } from '../approval/nodeSettings.ts';
import { ValidationError } from '../errors.ts';
import { schedule } from '../runtime/interpreter.ts';
import { hostOf, moveToken } from '../runtime/moveToken.ts';
import { elementWasEntered } from '../store/history.ts';
import { recordTaskAction } from '../store/tasks.ts';
import { runCommand, type CommandDeps } from './runCommand.ts';
import { assertMayWorkOn, lockOpenTask } from './shared/taskAccess.ts';
import type { TaskActionInput } from './transferTask.ts';

/**
 * Sends the record back to `toElementId`, a user task of the same scope that this instance
 * has already passed. The current task is cancelled and the token enters the target again;
 * the instance's variables are kept. Other parallel tokens of the scope are left alone.
 */
export async function returnTask(deps: CommandDeps, input: TaskActionInput & { toElementId: string }): Promise<void> {
  await runCommand(deps, async (uow) => {
    const task = await lockOpenTask(uow, input.taskId, { assigneeUnchanged: true });
    await assertMayWorkOn(uow, task, input.actor);
    const run = await uow.load(task.instanceId);
    const current = run.node(task.elementId);
    assertActionAllowed(current, 'return');
    const target = run.process.nodes[input.toElementId];
    const refuse = (message: string) =>
      new ValidationError(`Cannot return to "${input.toElementId}": ${message}`, [{ pointer: '/toElementId', message }], 'invalid_return_target');
    if (!target) throw refuse('no such node in this process');
    if (target.type !== 'userTask') throw refuse('only user tasks can be returned to');
    if (target.id === current.id) throw refuse('the task is already at this node');
    if (target.scopeId !== current.scopeId) throw refuse('the node is in another scope');
    if (!(await elementWasEntered(uow.trx, run.id, target.id))) throw refuse('this instance has not passed that node yet');

    const step = uow.step(run);
    const execution = run.execution(task.executionId);
    // Every inner task of a multi-instance body is cancelled with it.
    const host = hostOf(step, execution);
    schedule(step, () => moveToken(step, execution, target.id));
    await recordTaskAction(uow.trx, {
      taskId: task.id,
      instanceId: run.id,
      action: 'return',
      actor: input.actor.username,
      comment: input.comment,
      details: { from: current.id, to: target.id, executionId: host.id },
    });
    run.emit({ type: 'task.updated', rooms: [], payload: { taskId: task.id, instanceId: run.id, status: 'cancelled' } });
  });
}
