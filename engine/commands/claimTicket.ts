/** Claims a queued ticket of the caller's department; a lost race is a 409 (engine/routing/tickets.ts). */
import type { AuthUser } from '../identity/types.ts';
import { claimTicket as change } from '../routing/tickets.ts';
import type { TicketView } from '../store/tickets.ts';
import { runCommand, type CommandDeps } from './runCommand.ts';

export async function claimTicket(deps: CommandDeps, input: { user: AuthUser; ticketId: string }): Promise<TicketView> {
  return runCommand(deps, async ({ trx }, scope) => {
    const { ticket, events } = await change(trx, input.user, input.ticketId);
    scope.emit(...events);
    return ticket;
  });
}
