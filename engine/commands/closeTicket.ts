/**
 * Closes a ticket: any member a queued one, its claimer (or an admin) a claimed one (engine/routing/tickets.ts).
 * A ticket linked to a running process is not closed by hand (409 `ticket_follows_process`):
 * it closes when the department's part of the process ends (routing/taskLink.ts).
 */
import type { AuthUser } from '../identity/types.ts';
import { closeTicket as change } from '../routing/tickets.ts';
import type { TicketView } from '../store/tickets.ts';
import { runCommand, type CommandDeps } from './runCommand.ts';
import { assertNotFollowingProcess, lockTicket } from './shared/linkedTicket.ts';

export async function closeTicket(deps: CommandDeps, input: { user: AuthUser; ticketId: string }): Promise<TicketView> {
  return runCommand(deps, async (uow, scope) => {
    assertNotFollowingProcess(await lockTicket(uow, input.user, input.ticketId));
    const { ticket, events } = await change(uow.trx, input.user, input.ticketId);
    scope.emit(...events);
    return ticket;
  });
}
