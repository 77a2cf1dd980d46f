/**
 * Hands a claimed ticket back to its department's queue; only its claimer may (engine/routing/tickets.ts).
 * A ticket linked to its process hands back its task: it is offered to the candidates again.
 */
import type { AuthUser } from '../identity/types.ts';
import { handBackTicket as change } from '../routing/tickets.ts';
import type { TicketView } from '../store/tickets.ts';
import type { CommandDeps } from './runCommand.ts';
import { changeTicket, releaseLinkedTask } from './shared/linkedTicket.ts';

export async function handBackTicket(deps: CommandDeps, input: { user: AuthUser; ticketId: string }): Promise<TicketView> {
  return changeTicket(deps, input, releaseLinkedTask, change);
}
