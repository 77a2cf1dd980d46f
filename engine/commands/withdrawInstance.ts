/** Withdraws an instance (撤回): one command — lock the instance, check, log, terminate. */
import { ConflictError, ForbiddenError } from '../errors.ts';
import type { AuthUser } from '../identity/types.ts';
import { queryOpenTasks, recordTaskAction, someoneElseActed } from '../store/tasks.ts';
import { runCommand, type CommandDeps } from './runCommand.ts';

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
