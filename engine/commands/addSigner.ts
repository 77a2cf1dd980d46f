/**
 * 加签: `POST /api/tasks/:id/add-signer {username, position, comment?}`. One command like the
 * other task actions: lock the instance, re-read the task (409 if it closed, changed hands or
 * is on hold), check the caller and the node's allowed actions, act, log, publish.
 *
 * - `before` (前加签): the added user signs first; the caller's task is held (in nobody's
 *   todo) and re-opens for the caller when the added user approves. A rejection by the added
 *   user rejects the node.
 * - `after` (后加签): the caller approves now, and the node also waits for the added user.
 */
import { addSignerAt } from '../approval/flow.ts';
import { assertFieldPermissions } from '../approval/fieldAccess.ts';
import { assertActionAllowed, fieldPermissionsOf } from '../approval/nodeSettings.ts';
import { activeUsernamesAmong } from '../store/users.ts';
import { ValidationError } from '../errors.ts';
import type { AuthUser } from '../identity/types.ts';
import { recordTaskAction } from '../store/tasks.ts';
import { runCommand, type CommandDeps } from './runCommand.ts';
import { assertMayWorkOn, lockOpenTask } from './shared/taskAccess.ts';

export type SignerPosition = 'before' | 'after';

export interface AddSignerInput {
  taskId: string;
  username: string;
  position: SignerPosition;
  actor: AuthUser;
  comment?: string | null;
}

/** Returns the added signer's new task id. */
export async function addSigner(deps: CommandDeps, input: AddSignerInput): Promise<{ instanceId: string; addedTaskId: string }> {
  if (input.position !== 'before' && input.position !== 'after') {
    throw new ValidationError('"position" must be "before" or "after"', [{ pointer: '/position', message: 'before or after' }]);
  }
  return runCommand(deps, async (uow) => {
    const task = await lockOpenTask(uow, input.taskId, { assigneeUnchanged: true });
    await assertMayWorkOn(uow, task, input.actor);
    const run = await uow.load(task.instanceId);
    const node = run.node(task.elementId);
    assertActionAllowed(node, 'addSigner');
    if (!(await activeUsernamesAmong(uow.trx, [input.username])).has(input.username)) {
      throw new ValidationError(`There is no active user "${input.username}"`, [{ pointer: '/username', message: 'no such active user' }], 'unknown_user');
    }
    if (input.username === input.actor.username || input.username === task.assignee) {
      throw new ValidationError('A user cannot be added as a signer of their own task', [
        { pointer: '/username', message: 'already the signer of this task' },
      ], 'already_signer');
    }
    const execution = run.execution(task.executionId);
    if (input.position === 'after') {
      // The caller's approval counts, so it needs the right to approve and the node's required fields.
      assertActionAllowed(node, 'approve');
      assertFieldPermissions(fieldPermissionsOf(node), run.variablesOf(execution), {}, input.actor.locale, { checkRequired: true });
      run.completedTaskIds.set(task.id, input.actor.username);
      run.emit({ type: 'task.updated', rooms: [], payload: { taskId: task.id, instanceId: run.id, status: 'completed' } });
    }
    const addedTaskId = await addSignerAt(uow.step(run), execution, node, task, {
      username: input.username,
      position: input.position,
      actor: input.actor.username,
    });
    await recordTaskAction(uow.trx, {
      taskId: task.id,
      instanceId: run.id,
      action: 'add_signer',
      actor: input.actor.username,
      comment: input.comment,
      details: { position: input.position, username: input.username, addedTaskId },
    });
    if (input.position === 'after') {
      await recordTaskAction(uow.trx, { taskId: task.id, instanceId: run.id, action: 'approve', actor: input.actor.username });
    }
    return { instanceId: run.id, addedTaskId };
  });
}
