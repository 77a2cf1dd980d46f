/**
 * Who may act on a user task, and the lock every task command takes first: the task's instance
 * and the task, locked and read in one statement as they are once the lock is ours
 * (store/tasks.ts lockTaskWithInstance), so of two people acting on one task exactly one wins
 * and the other gets 409.
 */
import { ConflictError, ForbiddenError, NotFoundError } from '../../errors.ts';
import type { AuthUser } from '../../identity/types.ts';
import type { UnitOfWork } from '../../runtime/unitOfWork.ts';
import { outsideBudget } from '../../expressions/budget.ts';
import { lockTaskWithInstance, wasTransferredAwayFrom, type TaskRow } from '../../store/tasks.ts';

/**
 * With `assigneeUnchanged`, a task that was transferred between the caller's first read and
 * the lock is a 409 too: the caller acted on a task that changed hands under it.
 */
export async function lockOpenTask(
  uow: UnitOfWork,
  taskId: string,
  options: { assigneeUnchanged?: boolean } = {},
): Promise<TaskRow & { formLatestVersion: number | null }> {
  // Waiting for another command's lock is not this run's time (expressions/budget.ts).
  const locked = await outsideBudget(() => lockTaskWithInstance(uow.trx, taskId));
  if (!locked) throw new NotFoundError(`Task ${taskId} does not exist`);
  const { task, seenAssignee, formLatestVersion } = locked;
  await uow.adopt(locked.instance);
  const seen = { assignee: seenAssignee };
  if (task.status !== 'open') throw new ConflictError(`Task ${taskId} is already ${task.status}`, 'task_closed');
  // On hold while a signer added before its assignee acts (前加签): nobody may act on it yet.
  if (task.held) throw new ConflictError(`Task ${taskId} is on hold until the signer added before it has acted`, 'task_held');
  if (options.assigneeUnchanged && task.assignee !== seen.assignee) {
    throw new ConflictError(`Task ${taskId} was just transferred to ${task.assignee ?? 'nobody'}`, 'task_reassigned');
  }
  return { ...task, formLatestVersion };
}

/**
 * The check every task action makes after the lock. A caller who held the task until a
 * transfer committed a moment ago (their own double click, or a colleague acting at once)
 * gets 409 like any other lost race, whether their request read the task before or after
 * that commit; anyone else who may not work on it gets 403.
 */
export async function assertMayWorkOn(uow: UnitOfWork, task: TaskRow, user: AuthUser): Promise<void> {
  if (mayWorkOn(task, user)) return;
  if (await wasTransferredAwayFrom(uow.trx, task.id, user.username)) {
    throw new ConflictError(`Task ${task.id} was transferred to ${task.assignee ?? 'nobody'}`, 'task_reassigned');
  }
  throw new ForbiddenError(`Task ${task.id} is not assigned to you`);
}

/** Admins act on any task; others on tasks assigned to them or offered to them. */
export function mayWorkOn(task: TaskRow, user: AuthUser): boolean {
  if (user.role === 'admin') return true;
  if (task.assignee) return task.assignee === user.username;
  if (task.candidateUsers.length === 0 && task.candidateGroups.length === 0) return true;
  return task.candidateUsers.includes(user.username) || task.candidateGroups.some((group) => user.groups.includes(group));
}

/**
 * Who may claim: whoever may work on the task as it was offered — a candidate user, a member
 * of a candidate group, anyone for a task offered to nobody in particular — whether or not a
 * colleague claimed it first; the assignee; admins.
 */
export function mayClaim(task: TaskRow, user: AuthUser): boolean {
  if (user.role === 'admin' || task.assignee === user.username) return true;
  const offeredToAll = task.candidateUsers.length === 0 && task.candidateGroups.length === 0;
  if (offeredToAll) return !task.assignee;
  return task.candidateUsers.includes(user.username) || task.candidateGroups.some((group) => user.groups.includes(group));
}

/**
 * A command's answer lists at most this many next tasks. A multi-instance can open thousands
 * for one person: listing them all made a megabytes-long answer, built and sent in one piece on
 * the event loop. `nextTasksTotal` counts them all; `GET /api/tasks?instanceId=` pages the rest.
 */
export const NEXT_TASKS_IN_ANSWER = 100;

export interface NextTasks {
  /** The first NEXT_TASKS_IN_ANSWER of them, in the order they were opened. */
  nextTasks: TaskRow[];
  nextTasksTotal: number;
}

/**
 * The tasks a command opened that `user` may work on, as stored rows: a command's answer
 * carries them, so a client learns what is next for it without asking for its task list again.
 */
export function nextTasksFor(uow: UnitOfWork, user: AuthUser): NextTasks {
  const nextTasks: TaskRow[] = [];
  let nextTasksTotal = 0;
  for (const opened of uow.openedTasks()) {
    const task: TaskRow = { ...opened, status: 'open', held: false, endedAt: null, completedBy: null };
    if (!mayWorkOn(task, user)) continue;
    nextTasksTotal += 1;
    if (nextTasks.length < NEXT_TASKS_IN_ANSWER) nextTasks.push(task);
  }
  return { nextTasks, nextTasksTotal };
}
