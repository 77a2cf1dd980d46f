/**
 * Claims a queued ticket of the caller's department; a lost race is a 409 (engine/routing/tickets.ts).
 * A ticket linked to its process is claimed through its task (shared/linkedTicket.ts): the
 * caller becomes the task's assignee and the other candidates lose it.
 */
import type { AuthUser } from '../identity/types.ts';
import { claimTicket as change } from '../routing/tickets.ts';
import { findTicket, type TicketView } from '../store/tickets.ts';
import { runCommand, type CommandDeps } from './runCommand.ts';
import { claimLinkedTask, lockTicket } from './shared/linkedTicket.ts';

export async function claimTicket(deps: CommandDeps, input: { user: AuthUser; ticketId: string }): Promise<TicketView> {
  let after: TicketView | undefined;
  const claimed = await runCommand(deps, async (uow, scope) => {
    const { ticket, run, task } = await lockTicket(uow, input.user, input.ticketId);
    if (run && task) {
      await claimLinkedTask(run, uow, input.user, ticket, task);
      // The ticket is written from the task at flush (routing/taskLink.ts).
      scope.afterFlush(async () => void (after = await findTicket(uow.trx, ticket.id)));
      return ticket;
    }
    const { ticket: changed, events } = await change(uow.trx, input.user, input.ticketId);
    scope.emit(...events);
    return changed;
  });
  return after ?? claimed;
}
