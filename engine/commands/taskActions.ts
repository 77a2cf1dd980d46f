/**
 * Approval actions beyond completing a task: transfer it to someone else, return the record
 * to an earlier node, and withdraw an instance. Each is one command like `completeTask`:
 * lock the instance, re-read the task (409 if it closed or changed hands meanwhile), act,
 * record the action with its comment, publish events after commit.
 */
import { assertActionAllowed } from '../approval/nodeSettings.ts';
import { elementWasEntered } from '../store/history.ts';
import { activeUsernamesAmong } from '../store/users.ts';
import { ConflictError, ForbiddenError, ValidationError } from '../errors.ts';
import { taskAssigned } from '../events.ts';
import type { AuthUser } from '../identity/types.ts';
import { schedule } from '../runtime/interpreter.ts';
import { hostOf, moveToken } from '../runtime/moveToken.ts';
import { queryOpenTasks, recordTaskAction, setTaskAssignee, someoneElseActed } from '../store/tasks.ts';
import { runCommand, type CommandDeps } from './runCommand.ts';
import { lockOpenTask, mayWorkOn } from './taskCommands.ts';

export interface TaskActionInput {
  taskId: string;
  actor: AuthUser;
  comment?: string | null;
}

/** Hands the task to `to` (an active user). The previous assignee loses it. */
export async function transferTask(deps: CommandDeps, input: TaskActionInput & { to: string }): Promise<void> {
  await runCommand(deps, async (uow) => {
    const task = await lockOpenTask(uow, input.taskId, { assigneeUnchanged: true });
    if (!mayWorkOn(task, input.actor)) throw new ForbiddenError(`Task ${task.id} is not assigned to you`);
    const run = await uow.load(task.instanceId);
    assertActionAllowed(run.node(task.elementId), 'transfer');
    if (!(await activeUsernamesAmong(uow.trx, [input.to])).has(input.to)) {
      throw new ValidationError(`There is no active user "${input.to}"`, [{ pointer: '/to', message: 'no such active user' }], 'unknown_user');
    }
    await setTaskAssignee(uow.trx, task.id, input.to);
    await recordTaskAction(uow.trx, {
      taskId: task.id,
      instanceId: run.id,
      action: 'transfer',
      actor: input.actor.username,
      comment: input.comment,
      details: { from: task.assignee, to: input.to },
    });
    run.emit({ type: 'task.updated', rooms: [], payload: { taskId: task.id, instanceId: run.id, assignee: input.to } });
    run.emit(taskAssigned({ ...task, assignee: input.to }));
  });
}

/**
 * Sends the record back to `toElementId`, a user task of the same scope that this instance
 * has already passed. The current task is cancelled and the token enters the target again;
 * the instance's variables are kept. Other parallel tokens of the scope are left alone.
 */
export async function returnTask(deps: CommandDeps, input: TaskActionInput & { toElementId: string }): Promise<void> {
  await runCommand(deps, async (uow) => {
    const task = await lockOpenTask(uow, input.taskId, { assigneeUnchanged: true });
    if (!mayWorkOn(task, input.actor)) throw new ForbiddenError(`Task ${task.id} is not assigned to you`);
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

/**
 * The starter (or an admin) takes the instance back while nobody else has acted on any of
 * its tasks yet: the instance ends as `terminated`, its open tasks are cancelled.
 */
export async function withdrawInstance(
  deps: CommandDeps,
  input: { instanceId: string; actor: AuthUser; comment?: string | null },
): Promise<void> {
  await runCommand(deps, async (uow) => {
    const run = await uow.load(input.instanceId);
    const starter = run.record.startedBy;
    if (input.actor.role !== 'admin' && input.actor.username !== starter) {
      throw new ForbiddenError('Only the user who started the instance (or an admin) may withdraw it');
    }
    if (run.record.status !== 'active' && run.record.status !== 'incident') {
      throw new ConflictError(`Instance ${run.id} is already ${run.record.status}`, 'instance_closed');
    }
    if (await someoneElseActed(uow.trx, run.id, starter)) {
      throw new ConflictError(
        'The instance cannot be withdrawn: an approver has already acted on it',
        'withdraw_too_late',
      );
    }
    const open = await queryOpenTasks(uow.trx, { instanceId: run.id });
    // task_actions rows need a task id; the instance id stands in when no task is open.
    await recordTaskAction(uow.trx, {
      taskId: open[0]?.id ?? run.id,
      instanceId: run.id,
      action: 'withdraw',
      actor: input.actor.username,
      comment: input.comment,
      details: { cancelledTaskIds: open.map((task) => task.id) },
    });
    for (const task of open) {
      run.emit({ type: 'task.updated', rooms: [], payload: { taskId: task.id, instanceId: run.id, status: 'cancelled' } });
    }
    // Terminates called instances too, then `completeInstance(step, 'terminated')`.
    await uow.terminateCalledInstance(run.id);
  });
}
