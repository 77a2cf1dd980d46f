/**
 * Ticket actions on a ticket linked to its process (engine/routing/taskLink.ts). Such a
 * ticket is changed through its task: claiming it claims the task, handing it back releases
 * the task to its candidates, and the flush participant then writes the ticket from the task.
 * The instance is locked before the ticket and the task are re-read — the order every task
 * command takes — so a claim via the ticket and one via the task never both win.
 */
import type { Db } from '../../db/connection.ts';
import { ConflictError, ForbiddenError } from '../../errors.ts';
import { taskAssigned, type DomainEvent } from '../../events.ts';
import type { AuthUser } from '../../identity/types.ts';
import { assertTicketMember } from '../../routing/tickets.ts';
import type { InstanceRun } from '../../runtime/instanceRun.ts';
import type { UnitOfWork } from '../../runtime/unitOfWork.ts';
import { findTask, recordTaskAction, setTaskAssignee, type TaskRow } from '../../store/tasks.ts';
import { findTicket, type TicketView } from '../../store/tickets.ts';
import { runCommand, type CommandDeps } from '../runCommand.ts';
import { mayClaim } from './taskAccess.ts';

export interface LockedTicket {
  ticket: TicketView;
  /** The instance the ticket follows, locked; undefined for a ticket of a record without a linked process. */
  run?: InstanceRun;
  /** The open task of the routed-department node the ticket points at. */
  task?: TaskRow;
}

/** Reads the ticket (404, 403 for non-members), locks its instance when linked, re-reads. */
export async function lockTicket(uow: UnitOfWork, user: AuthUser, ticketId: string): Promise<LockedTicket> {
  const seen = await assertTicketMember(uow.trx, user, ticketId);
  if (!seen.instanceId) return { ticket: seen };
  const run = await uow.load(seen.instanceId);
  const ticket = (await findTicket(uow.trx, ticketId))!;
  const task = ticket.taskId ? await findTask(uow.trx, ticket.taskId) : null;
  return { ticket, run, task: task?.status === 'open' ? task : undefined };
}

/** Claims the ticket's task for `user`; the ticket follows at flush. */
export async function claimLinkedTask(run: InstanceRun, uow: UnitOfWork, user: AuthUser, ticket: TicketView, task: TaskRow): Promise<void> {
  if (task.assignee || ticket.status !== 'queued') {
    throw new ConflictError(`Ticket ${ticket.id} is already claimed by ${task.assignee ?? ticket.claimedBy}`, 'ticket_taken');
  }
  if (task.held) throw new ConflictError(`The task of ticket ${ticket.id} is on hold`, 'task_held');
  if (!mayClaim(task, user)) throw new ForbiddenError(`The task of ticket ${ticket.id} is not offered to you`);
  await setTaskAssignee(uow.trx, task.id, user.username);
  await recordTaskAction(uow.trx, { taskId: task.id, instanceId: run.id, action: 'claim', actor: user.username, details: { ticketId: ticket.id } });
  run.emit({ type: 'task.updated', rooms: [], payload: { taskId: task.id, instanceId: run.id, assignee: user.username } });
}

/** Releases the claimer's task to its candidates again; the ticket follows at flush. */
export async function releaseLinkedTask(run: InstanceRun, uow: UnitOfWork, user: AuthUser, ticket: TicketView, task: TaskRow): Promise<void> {
  if (task.assignee && task.assignee !== user.username) {
    throw new ForbiddenError(`Ticket ${ticket.id} is claimed by ${task.assignee}; only they may hand it back`);
  }
  if (task.assignee !== user.username) throw new ConflictError(`Ticket ${ticket.id} is not claimed by you`, 'ticket_not_claimed');
  if (task.candidateUsers.length === 0 && task.candidateGroups.length === 0) {
    // Assigned to one person (e.g. the department's head): nobody to release it to.
    throw new ConflictError(
      `The task of ticket ${ticket.id} was assigned to you, not offered to the department; transfer it instead`,
      'task_not_offered',
    );
  }
  await setTaskAssignee(uow.trx, task.id, null);
  await recordTaskAction(uow.trx, { taskId: task.id, instanceId: run.id, action: 'release', actor: user.username, details: { ticketId: ticket.id } });
  run.emit({ type: 'task.updated', rooms: [], payload: { taskId: task.id, instanceId: run.id, status: 'open' } });
  run.emit(taskAssigned({ ...task, assignee: null }));
}

/** A linked ticket closes with its part of the process, not by hand, while the instance runs. */
export function assertNotFollowingProcess(locked: LockedTicket): void {
  const status = locked.run?.record.status;
  if (status === 'active' || status === 'incident') {
    throw new ConflictError(
      `Ticket ${locked.ticket.id} follows process instance ${locked.run!.id}: it closes when the department's part of the process ends`,
      'ticket_follows_process',
    );
  }
}

/**
 * Runs a ticket change (claim, hand back) as one command: on a linked ticket through its task
 * (`viaTask`; the answer is the ticket as the flush wrote it), on any other by `direct`.
 */
export async function changeTicket(
  deps: CommandDeps,
  input: { user: AuthUser; ticketId: string },
  viaTask: (run: InstanceRun, uow: UnitOfWork, user: AuthUser, ticket: TicketView, task: TaskRow) => Promise<void>,
  direct: (db: Db, user: AuthUser, ticketId: string) => Promise<{ ticket: TicketView; events: DomainEvent[] }>,
): Promise<TicketView> {
  let after: TicketView | undefined;
  const changed = await runCommand(deps, async (uow, scope) => {
    const { ticket, run, task } = await lockTicket(uow, input.user, input.ticketId);
    if (run && task) {
      await viaTask(run, uow, input.user, ticket, task);
      // The ticket is written from the task at flush (routing/taskLink.ts).
      scope.afterFlush(async () => void (after = await findTicket(uow.trx, ticket.id)));
      return ticket;
    }
    const result = await direct(uow.trx, input.user, input.ticketId);
    scope.emit(...result.events);
    return result.ticket;
  });
  return after ?? changed;
}
