/** Claims a task offered to several people: it becomes the caller's; a colleague's claim first is a 409. */
import { ConflictError, ForbiddenError } from '../errors.ts';
import type { AuthUser } from '../identity/types.ts';
import { recordTaskAction, setTaskAssignee } from '../store/tasks.ts';
import { runCommand, type CommandDeps } from './runCommand.ts';
import { lockOpenTask, mayClaim } from './shared/taskAccess.ts';

export async function claimTask(deps: CommandDeps, input: { taskId: string; actor: AuthUser }): Promise<void> {
  await runCommand(deps, async (uow) => {
    const task = await lockOpenTask(uow, input.taskId);
    // Permission first: only those the task is offered to learn that (and by whom) it was claimed.
    if (!mayClaim(task, input.actor)) throw new ForbiddenError(`Task ${task.id} is not offered to you`);
    if (task.assignee && task.assignee !== input.actor.username) {
      throw new ConflictError(`Task ${task.id} is already claimed by ${task.assignee}`, 'task_claimed');
    }
    await setTaskAssignee(uow.trx, task.id, input.actor.username);
    await recordTaskAction(uow.trx, { taskId: task.id, instanceId: task.instanceId, action: 'claim', actor: input.actor.username });
    const run = await uow.load(task.instanceId);
    run.emit({ type: 'task.updated', rooms: [], payload: { taskId: task.id, instanceId: task.instanceId, assignee: input.actor.username } });
  });
}
