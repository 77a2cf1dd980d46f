/** Hands a claimed ticket back to its department's queue; only its claimer may (engine/routing/tickets.ts). */
import type { AuthUser } from '../identity/types.ts';
import { handBackTicket as change } from '../routing/tickets.ts';
import type { TicketView } from '../store/tickets.ts';
import { runCommand, type CommandDeps } from './runCommand.ts';

export async function handBackTicket(deps: CommandDeps, input: { user: AuthUser; ticketId: string }): Promise<TicketView> {
  return runCommand(deps, async ({ trx }, scope) => {
    const { ticket, events } = await change(trx, input.user, input.ticketId);
    scope.emit(...events);
    return ticket;
  });
}
