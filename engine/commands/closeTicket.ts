/** Closes a ticket: any member a queued one, its claimer (or an admin) a claimed one (engine/routing/tickets.ts). */
import type { AuthUser } from '../identity/types.ts';
import { closeTicket as change } from '../routing/tickets.ts';
import type { TicketView } from '../store/tickets.ts';
import { runCommand, type CommandDeps } from './runCommand.ts';

export async function closeTicket(deps: CommandDeps, input: { user: AuthUser; ticketId: string }): Promise<TicketView> {
  return runCommand(deps, async ({ trx }, scope) => {
    const { ticket, events } = await change(trx, input.user, input.ticketId);
    scope.emit(...events);
    return ticket;
  });
}
