/**
 * Hands a claimed ticket back to its department's queue; only its claimer may (engine/routing/tickets.ts).
 * A ticket linked to its process hands back its task: it is offered to the candidates again.
 */
import type { AuthUser } from '../identity/types.ts';
import { handBackTicket as change } from '../routing/tickets.ts';
import { findTicket, type TicketView } from '../store/tickets.ts';
import { runCommand, type CommandDeps } from './runCommand.ts';
import { lockTicket, releaseLinkedTask } from './shared/linkedTicket.ts';

export async function handBackTicket(deps: CommandDeps, input: { user: AuthUser; ticketId: string }): Promise<TicketView> {
  let after: TicketView | undefined;
  const handedBack = await runCommand(deps, async (uow, scope) => {
    const { ticket, run, task } = await lockTicket(uow, input.user, input.ticketId);
    if (run && task) {
      await releaseLinkedTask(run, uow, input.user, ticket, task);
      scope.afterFlush(async () => void (after = await findTicket(uow.trx, ticket.id)));
      return ticket;
    }
    const { ticket: changed, events } = await change(uow.trx, input.user, input.ticketId);
    scope.emit(...events);
    return changed;
  });
  return after ?? handedBack;
}
