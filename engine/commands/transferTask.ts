/** Transfers a task (转交): one command like `completeTask` — lock, re-check, act, log, publish after commit. */
import { assertActionAllowed } from '../approval/nodeSettings.ts';
import { ValidationError } from '../errors.ts';
import { taskAssigned } from '../events.ts';
import type { AuthUser } from '../identity/types.ts';
import { recordTaskAction, setTaskAssignee } from '../store/tasks.ts';
import { activeUsernamesAmong } from '../store/users.ts';
import { runCommand, type CommandDeps } from './runCommand.ts';
import { assertMayWorkOn, lockOpenTask } from './shared/taskAccess.ts';

/** Transfer, return and add-signer share this input: the task, who acts, an optional comment. */
export interface TaskActionInput {
  taskId: string;
  actor: AuthUser;
  comment?: string | null;
}

/** Hands the task to `to` (an active user). The previous assignee loses it. */
export async function transferTask(deps: CommandDeps, input: TaskActionInput & { to: string }): Promise<void> {
  await runCommand(deps, async (uow) => {
    const task = await lockOpenTask(uow, input.taskId, { assigneeUnchanged: true });
    await assertMayWorkOn(uow, task, input.actor);
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
