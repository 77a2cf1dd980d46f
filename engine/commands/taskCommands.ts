/**
 * Commands on user tasks. Each locks the task's instance first and only then re-reads
 * the task, so of two people acting on one task exactly one wins; the other gets 409.
 */
import { ConflictError, ForbiddenError, NotFoundError } from '../errors.ts';
import type { AuthUser } from '../identity/types.ts';
import { leaveNode, schedule } from '../runtime/interpreter.ts';
import { setVariables } from '../runtime/variables.ts';
import { findTask, recordTaskAction, setTaskAssignee, type TaskRow } from '../store/tasks.ts';
import type { UnitOfWork } from '../runtime/unitOfWork.ts';
import { runCommand, type CommandDeps } from './runCommand.ts';

/** Checks a task's form data before completion (the forms module plugs in here). */
export type TaskDataValidator = (task: TaskRow, variables: Record<string, unknown>) => Promise<void>;

async function lockOpenTask(uow: UnitOfWork, taskId: string): Promise<TaskRow> {
  const seen = await findTask(uow.trx, taskId);
  if (!seen) throw new NotFoundError(`Task ${taskId} does not exist`);
  await uow.load(seen.instanceId);
  const task = (await findTask(uow.trx, taskId))!;
  if (task.status !== 'open') throw new ConflictError(`Task ${taskId} is already ${task.status}`, 'task_closed');
  return task;
}

/** Admins act on any task; others on tasks assigned to them or offered to them. */
export function mayWorkOn(task: TaskRow, user: AuthUser): boolean {
  if (user.role === 'admin') return true;
  if (task.assignee) return task.assignee === user.username;
  if (task.candidateUsers.length === 0 && task.candidateGroups.length === 0) return true;
  return task.candidateUsers.includes(user.username) || task.candidateGroups.some((group) => user.groups.includes(group));
}

export async function completeTask(
  deps: CommandDeps & { validateTaskData?: TaskDataValidator },
  input: { taskId: string; variables: Record<string, unknown>; actor: AuthUser; comment?: string | null },
): Promise<{ instanceId: string }> {
  return runCommand(deps, async (uow) => {
    const task = await lockOpenTask(uow, input.taskId);
    if (!mayWorkOn(task, input.actor)) throw new ForbiddenError(`Task ${task.id} is not assigned to you`);
    await deps.validateTaskData?.(task, input.variables);
    const run = await uow.load(task.instanceId);
    const execution = run.execution(task.executionId);
    setVariables(run.state, execution, input.variables);
    run.completedTaskIds.set(task.id, input.actor.username);
    run.emit({ type: 'task.updated', rooms: [], payload: { taskId: task.id, instanceId: run.id, status: 'completed' } });
    const step = uow.step(run);
    schedule(step, () => leaveNode(step, execution));
    await recordTaskAction(uow.trx, {
      taskId: task.id,
      instanceId: run.id,
      action: 'complete',
      actor: input.actor.username,
      comment: input.comment,
    });
    return { instanceId: run.id };
  });
}

export async function claimTask(deps: CommandDeps, input: { taskId: string; actor: AuthUser }): Promise<void> {
  await runCommand(deps, async (uow) => {
    const task = await lockOpenTask(uow, input.taskId);
    if (task.assignee && task.assignee !== input.actor.username) {
      throw new ConflictError(`Task ${task.id} is already claimed by ${task.assignee}`, 'task_claimed');
    }
    if (!mayWorkOn(task, input.actor)) throw new ForbiddenError(`Task ${task.id} is not offered to you`);
    await setTaskAssignee(uow.trx, task.id, input.actor.username);
    await recordTaskAction(uow.trx, { taskId: task.id, instanceId: task.instanceId, action: 'claim', actor: input.actor.username });
    const run = await uow.load(task.instanceId);
    run.emit({ type: 'task.updated', rooms: [], payload: { taskId: task.id, instanceId: task.instanceId, assignee: input.actor.username } });
  });
}
