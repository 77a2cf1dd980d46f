/**
 * Commands on user tasks. Each locks the task's instance first and only then re-reads
 * the task, so of two people acting on one task exactly one wins; the other gets 409.
 */
import { assertFieldPermissions } from '../approval/fieldAccess.ts';
import { decideApproval } from '../approval/flow.ts';
import { assertActionAllowed, fieldPermissionsOf } from '../approval/nodeSettings.ts';
import { approvalOf } from '../approval/state.ts';
import type { Db } from '../db/connection.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors.ts';
import type { AuthUser } from '../identity/types.ts';
import { leaveNode, schedule } from '../runtime/interpreter.ts';
import { setVariables } from '../runtime/variables.ts';
import { findTask, recordTaskAction, setTaskAssignee, type TaskRow } from '../store/tasks.ts';
import type { UnitOfWork } from '../runtime/unitOfWork.ts';
import { runCommand, type CommandDeps } from './runCommand.ts';

/**
 * Checks a task's form data before completion (the forms module plugs in here): the form
 * key, the instance's data merged with what is submitted, and the actor's locale. It reads
 * the form through the command's transaction `trx`: a second pooled connection, waited for
 * while this one is held, deadlocks a busy pool.
 */
export type TaskDataValidator = (trx: Db, formKey: string | null, merged: Record<string, unknown>, locale: string) => Promise<void>;

/**
 * With `assigneeUnchanged`, a task that was transferred between the caller's first read and
 * the lock is a 409 too: the caller acted on a task that changed hands under it.
 */
export async function lockOpenTask(uow: UnitOfWork, taskId: string, options: { assigneeUnchanged?: boolean } = {}): Promise<TaskRow> {
  const seen = await findTask(uow.trx, taskId);
  if (!seen) throw new NotFoundError(`Task ${taskId} does not exist`);
  await uow.load(seen.instanceId);
  const task = (await findTask(uow.trx, taskId))!;
  if (task.status !== 'open') throw new ConflictError(`Task ${taskId} is already ${task.status}`, 'task_closed');
  // On hold while a signer added before its assignee acts (前加签): nobody may act on it yet.
  if (task.held) throw new ConflictError(`Task ${taskId} is on hold until the signer added before it has acted`, 'task_held');
  if (options.assigneeUnchanged && task.assignee !== seen.assignee) {
    throw new ConflictError(`Task ${taskId} was just transferred to ${task.assignee ?? 'nobody'}`, 'task_reassigned');
  }
  return task;
}

/** approve → `approved: true`, reject → `approved: false`, and `<nodeId>_decision` either way. */
export type TaskDecision = 'approve' | 'reject';

/** Admins act on any task; others on tasks assigned to them or offered to them. */
export function mayWorkOn(task: TaskRow, user: AuthUser): boolean {
  if (user.role === 'admin') return true;
  if (task.assignee) return task.assignee === user.username;
  if (task.candidateUsers.length === 0 && task.candidateGroups.length === 0) return true;
  return task.candidateUsers.includes(user.username) || task.candidateGroups.some((group) => user.groups.includes(group));
}

export async function completeTask(
  deps: CommandDeps & { validateTaskData?: TaskDataValidator },
  input: {
    taskId: string;
    variables: Record<string, unknown>;
    actor: AuthUser;
    comment?: string | null;
    decision?: TaskDecision;
  },
): Promise<{ instanceId: string }> {
  return runCommand(deps, async (uow) => {
    const task = await lockOpenTask(uow, input.taskId, { assigneeUnchanged: true });
    if (!mayWorkOn(task, input.actor)) throw new ForbiddenError(`Task ${task.id} is not assigned to you`);
    const run = await uow.load(task.instanceId);
    const execution = run.execution(task.executionId);
    const node = run.node(task.elementId);
    // A plain completion moves the record on like an approval, so it needs that right.
    assertActionAllowed(node, input.decision ?? 'approve');
    const current = run.variablesOf(execution);
    // Field permissions before the form: nothing moves when either fails. A rejection
    // need not fill in what this node requires (the record goes back, not forward).
    assertFieldPermissions(fieldPermissionsOf(node), current, input.variables, input.actor.locale, {
      checkRequired: input.decision !== 'reject',
    });
    await deps.validateTaskData?.(uow.trx, task.formKey, { ...current, ...input.variables }, input.actor.locale);
    setVariables(run.state, execution, input.variables);
    const approval = approvalOf(execution);
    if (input.decision && !approval) {
      setVariables(run.state, execution, { approved: input.decision === 'approve', [`${task.elementId}_decision`]: input.decision });
    }
    run.completedTaskIds.set(task.id, input.actor.username);
    run.emit({ type: 'task.updated', rooms: [], payload: { taskId: task.id, instanceId: run.id, status: 'completed' } });
    const step = uow.step(run);
    // At an approval node one task is one signature; the node decides when its mode says so.
    if (approval) await decideApproval(step, execution, node, task.id, input.decision ?? 'approve', input.actor.username);
    else schedule(step, () => leaveNode(step, execution));
    await recordTaskAction(uow.trx, {
      taskId: task.id,
      instanceId: run.id,
      action: input.decision ?? 'complete',
      actor: input.actor.username,
      comment: input.comment,
    });
    return { instanceId: run.id };
  });
}

/**
 * Who may claim: whoever may work on the task as it was offered — a candidate user, a member
 * of a candidate group, anyone for a task offered to nobody in particular — whether or not a
 * colleague claimed it first; the assignee; admins.
 */
function mayClaim(task: TaskRow, user: AuthUser): boolean {
  if (user.role === 'admin' || task.assignee === user.username) return true;
  const offeredToAll = task.candidateUsers.length === 0 && task.candidateGroups.length === 0;
  if (offeredToAll) return !task.assignee;
  return task.candidateUsers.includes(user.username) || task.candidateGroups.some((group) => user.groups.includes(group));
}

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
