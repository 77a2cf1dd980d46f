/**
 * Claims a queued ticket of the caller's department; a lost race is a 409 (engine/routing/tickets.ts).
 * A ticket linked to its process is claimed through its task (shared/linkedTicket.ts): the
 * caller becomes the task's assignee and the other candidates lose it.
 */
import type { AuthUser } from '../identity/types.ts';
import { claimTicket as change } from '../routing/tickets.ts';
import type { TicketView } from '../store/tickets.ts';
import type { CommandDeps } from './runCommand.ts';
import { changeTicket, claimLinkedTask } from './shared/linkedTicket.ts';

export async function claimTicket(deps: CommandDeps, input: { user: AuthUser; ticketId: string }): Promise<TicketView> {
  return changeTicket(deps, input, claimLinkedTask, change);
}
