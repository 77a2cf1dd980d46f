/**
 * Routing's registrations (called once by engine/features.ts): the routed ticket follows the
 * process its record started (taskLink.ts).
 */
import { registerFlushParticipant } from '../extensions/flushParticipants.ts';
import { ticketTaskLink } from './taskLink.ts';

export function registerRouting(): void {
  registerFlushParticipant(ticketTaskLink);
}
